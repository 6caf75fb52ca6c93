"""The vectorised engine: many automaton matches at once, one loop over rounds.

Rules of a round (``docs/model.md``):

1. Each player intends GIVE with its strategy's probability (draw ``u < p``).
2. Tacit knowledge: an intended GIVE fails and is played as TAKE with the
   player's ``tacitness`` (Larsson et al. 1998).
3. Stage payoffs use the ladder position at the start of the round.
4. Power (Hamel 1991) moves by the one ladder rule of
   :mod:`learning_dilemma.games.ladder`.

The round-by-round engine (:mod:`.stepwise`) consumes the same pre-drawn
uniforms (:mod:`learning_dilemma.seeding`), so an automaton gives identical
results through either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..games import LearningGame, ladder_step, stage_payoffs
from ..games.execution import flip, intends_give, transfers
from ..players.automaton import AutomatonTable
from ..seeding import GIVE_DRAWS, LADDER_DRAW, NOISE_DRAWS, TACIT_DRAWS

__all__ = ["PLAYERS", "PROGRESS_ROUNDS", "RawPlay", "play_automata", "round_payoffs"]

# A long match reports progress (``progress(rounds done, rounds)``) this often.
PROGRESS_ROUNDS = 65_536

# The players of a dyad, by index: every per-player array has this first axis.
PLAYERS = (0, 1)


@dataclass
class RawPlay:
    """Arrays of a batch of plays, padded to the longest.

    Attributes
    ----------
    moves : ndarray of int8, shape (players, rows, longest)
        The move codes of :class:`~learning_dilemma.moves.Move` (1 GIVE, 0 TAKE),
        -1 past a row's end.
    payoffs : ndarray, shape (players, rows, longest)
        Stage payoffs, 0 past a row's end.
    power : ndarray of int, shape (rows, longest + 1)
        The ladder position (the first player's view) before each round and
        after the last.
    lengths : ndarray of int, shape (rows,)
    """

    moves: np.ndarray
    payoffs: np.ndarray
    power: np.ndarray
    lengths: np.ndarray


def round_payoffs(game: LearningGame, moves, receptivities, power) -> np.ndarray:
    """Per-round payoffs, shape (players, rows, longest), for padded ``moves``;
    zero past each play's end. ``receptivities`` holds one array a player."""
    valid = moves[0] >= 0
    first, second = (np.where(valid, m, 0) for m in moves)
    receptivity_first, receptivity_second = (np.asarray(r, dtype=float)[..., None] for r in receptivities)
    payoffs = stage_payoffs(game, first, second, receptivity_first, receptivity_second, power[..., :-1])
    return np.where(valid, np.stack(payoffs), 0.0)


def play_automata(
    game: LearningGame,
    tables: tuple[list[AutomatonTable], list[AutomatonTable]],
    rows: tuple[np.ndarray, np.ndarray],
    receptivities: tuple[np.ndarray, np.ndarray],
    tacitnesses: tuple[np.ndarray, np.ndarray],
    starts: tuple[np.ndarray, np.ndarray],
    draws: np.ndarray,
    lengths: np.ndarray,
    initial_power: int = 0,
    noise: float = 0.0,
    progress=None,
) -> RawPlay:
    """Play many automaton matches at once, one per row.

    Row ``k`` pits ``tables[0][rows[0][k]]`` against ``tables[1][rows[1][k]]``;
    every per-player argument is a pair indexed by player. ``starts`` are the
    rows' start states (after prior rounds), ``draws`` has shape
    (rows, longest, DRAWS_PER_ROUND), with the noise columns when ``noise > 0``
    (:mod:`learning_dilemma.games.execution`). The tables are stacked into one global
    state space so a whole tournament of different pairings runs in a single
    loop over rounds.
    ``progress(rounds done, rounds)``, if given, hears of a long run every
    :data:`PROGRESS_ROUNDS` rounds.
    """
    levels = game.power.levels
    stacked = [_stack(tables[p]) for p in PLAYERS]
    n_rows, longest, _ = draws.shape
    state = [stacked[p][2][rows[p]] + starts[p] for p in PLAYERS]
    moves = np.full((2, n_rows, longest), -1, dtype=np.int8)
    power = np.empty((n_rows, longest + 1), dtype=np.int64)
    z = np.full(n_rows, initial_power, dtype=np.int64)
    power[:, 0] = z
    for t in range(longest):
        if progress is not None and t % PROGRESS_ROUNDS == 0:
            progress(t, longest)
        step = draws[:, t]
        view = (z + levels, levels - z)  # each player reads the ladder from its own side
        intended = [intends_give(step[:, GIVE_DRAWS[p]], stacked[p][0][state[p], view[p]]) for p in PLAYERS]
        if noise:
            intended = [flip(intended[p], step[:, NOISE_DRAWS[p]], noise) for p in PLAYERS]
        played = [transfers(intended[p], step[:, TACIT_DRAWS[p]], tacitnesses[p]).astype(np.int8) for p in PLAYERS]
        live = t < lengths
        for p in PLAYERS:
            moves[p, :, t] = np.where(live, played[p], -1)
        z = np.where(live, ladder_step(z, played[0], played[1], step[:, LADDER_DRAW], *receptivities, game.power), z)
        power[:, t + 1] = z
        state = [stacked[0][1][state[0], played[0], played[1]], stacked[1][1][state[1], played[1], played[0]]]
    payoffs = round_payoffs(game, moves, receptivities, power)
    return RawPlay(moves, payoffs, power, lengths)


def _stack(tables: list[AutomatonTable]):
    """Concatenate tables into one state space: ``(gives, next states, offsets)``."""
    sizes = np.array([t.n_states for t in tables])
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    gives = np.concatenate([t.give for t in tables])
    nexts = np.concatenate([t.next_state + off for t, off in zip(tables, offsets)])
    return gives, nexts, offsets
