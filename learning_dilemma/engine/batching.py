"""Batching: how a tournament's many repetitions become engine runs.

The vectorised engine plays rows (pairings x repetitions) in one loop over
rounds, padded to the longest row. This module decides which rows run
together within a memory budget, pads their draws, and reduces the engine's
arrays to per-row outcomes whose values do not depend on how rows were
batched (bitwise), so results are the same on any number of processes.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ..games import LearningGame
from ..games.learning import joint_value
from ..moves import EXIT, GIVE
from .vectorised import RawPlay

__all__ = [
    "DRAWS_BUDGET", "Summary", "draw_chunks", "mean_trajectory", "pad_draws", "running_totals", "sum_by", "summarise",
]

# Largest padded draws array handed to the engine at once, in bytes.
DRAWS_BUDGET = 200_000_000


def pad_draws(plays):
    """Stack ``(length, draws)`` pairs into padded arrays."""
    lengths = np.array([length for length, _ in plays], dtype=np.int64)
    longest = int(lengths.max())
    draws = np.ones((len(plays), longest, plays[0][1].shape[1]))
    for k, (length, block) in enumerate(plays):
        draws[k, :length] = block
    return lengths, draws


def running_totals(payoffs: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Total payoffs, shape (rows, players), from payoffs of shape (players, rows, longest).

    The one way totals are summed: a running sum read at each row's last round,
    so a total is the same to the bit whether its row was played alone, in a
    batch of a match's repetitions or in a tournament's padded engine run.
    """
    lengths = np.asarray(lengths)
    return np.cumsum(payoffs, axis=-1)[:, np.arange(len(lengths)), lengths - 1].T


class Summary(NamedTuple):
    """Per-row outcomes of a batch of plays (:func:`summarise`); rows are repetitions.

    Attributes
    ----------
    lengths : ndarray of int, shape (rows,)
        Rounds played (the match's length, including rounds after the alliance closed).
    totals : ndarray, shape (rows, 2)
        Total payoffs.
    gives : ndarray of int, shape (rows, 2)
        Rounds in which each side played GIVE.
    mutual : ndarray of int, shape (rows,)
        Rounds in which both played GIVE.
    final_power : ndarray of int, shape (rows,)
        Power position at the end, the first player's view (``K_second - K_first``).
    power : ndarray of int, shape (rows, longest + 1)
        Power trajectories, zero past each row's end.
    learning : ndarray, shape (rows, 2)
        What each absorbed over the match, ``sum_t r_i x_j(t)`` (what actually
        transferred, times the learner's receptivity).
    joint : ndarray, shape (rows,)
        The value the alliance created over the match, the sum of
        :func:`~learning_dilemma.games.learning.joint_value` over its rounds.
    ended_by : ndarray of int8, shape (rows,)
        How the alliance ended (:data:`~learning_dilemma.engine.vectorised.ENDINGS`).
    duration : ndarray of int, shape (rows,)
        Rounds the alliance was open.
    final_stakes : ndarray of int, shape (rows, 2)
        The knowledge each still lacked at the end (zero with stakes off).
    """

    lengths: np.ndarray
    totals: np.ndarray
    gives: np.ndarray
    mutual: np.ndarray
    final_power: np.ndarray
    power: np.ndarray
    learning: np.ndarray
    joint: np.ndarray
    ended_by: np.ndarray
    duration: np.ndarray
    final_stakes: np.ndarray


def summarise(raw: RawPlay, game: LearningGame | None = None, receptivities=(1.0, 1.0)) -> Summary:
    """Per-row outcomes of a batch of plays, as a :class:`Summary`.

    ``game`` (default ``LearningGame()``) values the joint learning;
    ``receptivities`` holds each player's receptivity, a number or one per row.
    Totals and the joint value are running sums read at each row's last round
    (:func:`running_totals`), and learning is a receptivity times a count of
    transfers, so none depends on how far the batch was padded (bitwise,
    whatever the batching).
    """
    game = LearningGame() if game is None else game
    lengths = raw.lengths
    n_rows = len(lengths)
    rows = np.arange(n_rows)
    totals = running_totals(raw.payoffs, lengths)
    gave = raw.moves == GIVE
    gives = gave.sum(axis=2).T
    mutual = gave.all(axis=0).sum(axis=1)
    final = raw.power[rows, lengths]
    running = np.arange(raw.power.shape[1]) <= lengths[:, None]
    receptivity = [np.broadcast_to(np.asarray(r, dtype=float), (n_rows,)) for r in receptivities]
    moved = raw.transfers == 1  # only in rounds the alliance was open
    learning = np.stack([receptivity[p] * moved[1 - p].sum(axis=1) for p in (0, 1)], axis=-1)
    per_round = joint_value(game, moved[0], moved[1], receptivity[0][:, None], receptivity[1][:, None])
    joint = running_totals(per_round[None], lengths)[:, 0]
    duration = ((raw.moves[0] >= 0) & (raw.moves[0] != EXIT)).sum(axis=1)
    final_stakes = raw.stakes[:, rows, lengths].T.astype(np.int64)
    return Summary(lengths, totals, gives, mutual, final, np.where(running, raw.power, 0), learning, joint,
                   raw.ended_by.astype(np.int8), duration, final_stakes)


def mean_trajectory(power_sum: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Mean power position after ``t`` rounds over the repetitions that lasted
    at least ``t`` rounds, from the summed positions."""
    steps = np.arange(int(lengths.max()) + 1)
    running = (lengths[:, None] >= steps).sum(axis=0)
    return power_sum[: len(steps)] / running


def sum_by(keys: np.ndarray, values: np.ndarray):
    """Sums of the rows of ``values`` sharing a key: ``(unique keys, sums)``."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    return sorted_keys[starts], np.add.reduceat(values[order], starts, axis=0)


def draw_chunks(draws_of: Callable[[int], tuple], n_rows: int, budget: int | None = None):
    """Yield engine chunks ``(rows, (lengths, padded draws))`` covering every row.

    Draws are made row by row until a group holds about ``budget`` bytes. The
    group's rows are sorted longest first and cut into chunks whose padded
    draws stay within the budget and whose rows last at least half as long as
    the chunk's longest, so continuation matches, whose lengths are
    geometric, waste at most half the engine's work on padding. Each chunk is
    padded only when the engine asks for it.
    """
    budget = DRAWS_BUDGET if budget is None else budget
    row = 0
    while row < n_rows:
        blocks, cells = [], 0
        while row < n_rows and (not blocks or cells * round_bytes < budget):
            blocks.append(draws_of(row))
            round_bytes = blocks[0][1].shape[1] * blocks[0][1].itemsize
            cells += blocks[-1][0]
            row += 1
        first = row - len(blocks)
        block_lengths = np.array([length for length, _ in blocks])
        order = np.argsort(-block_lengths, kind="stable")
        ordered = block_lengths[order]
        start = 0
        while start < len(order):
            longest = int(ordered[start])
            fits = max(1, budget // (longest * round_bytes))
            band = int(np.searchsorted(-ordered, -(longest // 2), side="left"))  # first row shorter than half
            stop = min(start + fits, max(band, start + 1))
            chunk = order[start:stop]
            yield first + chunk, pad_draws([blocks[k] for k in chunk])
            start = stop
