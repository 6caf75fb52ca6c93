"""Batching: how a tournament's many repetitions become engine runs.

The vectorised engine plays rows (pairings x repetitions) in one loop over
rounds, padded to the longest row. This module decides which rows run
together within a memory budget, pads their draws, and reduces the engine's
arrays to per-row outcomes whose values do not depend on how rows were
batched (bitwise), so results are the same on any number of processes.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..moves import GIVE
from .vectorised import RawPlay

__all__ = ["DRAWS_BUDGET", "draw_chunks", "mean_trajectory", "pad_draws", "running_totals", "sum_by", "summarise"]

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


def summarise(raw: RawPlay):
    """Per-row outcomes of a batch of plays.

    Totals are running sums read at each row's last round, so they do not
    depend on how far the batch was padded (bitwise, whatever the batching).

    Returns
    -------
    lengths, totals (rows, 2), gives (rows, 2), mutual, final_power, and the
    power trajectories with zeros past each row's end.
    """
    lengths = raw.lengths
    rows = np.arange(len(lengths))
    totals = running_totals(raw.payoffs, lengths)
    gave = raw.moves == GIVE
    gives = gave.sum(axis=2).T
    mutual = gave.all(axis=0).sum(axis=1)
    final = raw.power[rows, lengths]
    running = np.arange(raw.power.shape[1]) <= lengths[:, None]
    return lengths, totals, gives, mutual, final, np.where(running, raw.power, 0)


def mean_trajectory(power_sum: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Mean ladder position after ``t`` rounds over the repetitions that lasted
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
