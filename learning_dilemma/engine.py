"""The match engine: one round's rules, a vectorised path for automata and a
generic path for any player.

Rules of a round (``docs/model.md``):

1. Each player intends GIVE with its strategy's probability (draw ``u < p``).
2. Tacit knowledge: an intended GIVE fails and is played as TAKE with the
   player's ``tacitness`` (Larsson et al. 1998).
3. Stage payoffs use the ladder position at the start of the round.
4. Power (Hamel 1991): (TAKE, GIVE) moves ``z`` one step toward the taker with
   probability equal to the taker's receptivity; (GIVE, GIVE) moves it one step
   toward parity with probability ``rebalance``; (TAKE, TAKE) leaves it. The
   ladder is bounded to ``[-m, m]`` and frozen when power is off.

Both paths consume the same pre-drawn uniforms (:mod:`.seeding`), so an
automaton gives identical results through either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .automaton import AutomatonTable, MatchContext
from .game import LearningGame, stage_payoffs
from .moves import Move
from .player import Player
from .seeding import GIVE_A, GIVE_B, POWER, TACIT_A, TACIT_B


@dataclass
class RawPlay:
    """Arrays of a batch of plays, padded to the longest.

    ``moves_*`` hold 1 for GIVE, 0 for TAKE and -1 past a repetition's end;
    ``power`` holds A's view of the ladder before each round and after the last.
    """

    moves_a: np.ndarray
    moves_b: np.ndarray
    payoffs_a: np.ndarray
    payoffs_b: np.ndarray
    power: np.ndarray
    lengths: np.ndarray


def power_step(z, give_a, give_b, draw, receptivity_a, receptivity_b, rebalance, levels, active):
    """The ladder position after a round (vectorised; ``z`` is A's view)."""
    if not active:
        return z
    a_took = (give_a == 0) & (give_b == 1) & (draw < receptivity_a)
    b_took = (give_a == 1) & (give_b == 0) & (draw < receptivity_b)
    balance = (give_a == 1) & (give_b == 1) & (draw < rebalance)
    z = z + a_took.astype(z.dtype) - b_took.astype(z.dtype) - (balance * np.sign(z)).astype(z.dtype)
    return np.clip(z, -levels, levels)


def round_payoffs(game: LearningGame, moves_a, moves_b, receptivity_a, receptivity_b, power, lengths):
    """Per-round payoffs for padded move arrays; zero past each play's end."""
    valid = moves_a >= 0
    u_a, u_b = stage_payoffs(
        game,
        np.where(valid, moves_a, 0),
        np.where(valid, moves_b, 0),
        np.asarray(receptivity_a, dtype=float)[..., None],
        np.asarray(receptivity_b, dtype=float)[..., None],
        power[..., :-1],
    )
    return np.where(valid, u_a, 0.0), np.where(valid, u_b, 0.0)


def play_automata(
    game: LearningGame,
    tables_a: list[AutomatonTable],
    tables_b: list[AutomatonTable],
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    receptivity: tuple[np.ndarray, np.ndarray],
    tacitness: tuple[np.ndarray, np.ndarray],
    starts: tuple[np.ndarray, np.ndarray],
    draws: np.ndarray,
    lengths: np.ndarray,
    initial_power: int = 0,
) -> RawPlay:
    """Play many automaton matches at once, one per row.

    Row ``k`` pits ``tables_a[rows_a[k]]`` against ``tables_b[rows_b[k]]``;
    ``starts`` are the rows' start states (after prior rounds), ``draws`` has
    shape (rows, longest, 5), and all per-row parameters are arrays. The tables
    are stacked into one global state space so a whole tournament of different
    pairings runs in a single loop over rounds.
    """
    levels = game.power.levels
    gives_a, next_a, offsets_a = _stack(tables_a)
    gives_b, next_b, offsets_b = _stack(tables_b)
    n_rows, longest, _ = draws.shape
    state_a = offsets_a[rows_a] + starts[0]
    state_b = offsets_b[rows_b] + starts[1]
    receptivity_a, receptivity_b = receptivity
    tacit_a, tacit_b = tacitness
    moves_a = np.full((n_rows, longest), -1, dtype=np.int8)
    moves_b = np.full((n_rows, longest), -1, dtype=np.int8)
    power = np.empty((n_rows, longest + 1), dtype=np.int64)
    z = np.full(n_rows, initial_power, dtype=np.int64)
    power[:, 0] = z
    active = game.power.active
    rebalance = game.power.rebalance
    rounds = np.arange(longest)
    for t in rounds:
        step = draws[:, t]
        give_a = (step[:, GIVE_A] < gives_a[state_a, z + levels]) & (step[:, TACIT_A] >= tacit_a)
        give_b = (step[:, GIVE_B] < gives_b[state_b, levels - z]) & (step[:, TACIT_B] >= tacit_b)
        g_a = give_a.astype(np.int8)
        g_b = give_b.astype(np.int8)
        live = t < lengths
        moves_a[:, t] = np.where(live, g_a, -1)
        moves_b[:, t] = np.where(live, g_b, -1)
        z = np.where(live, power_step(z, g_a, g_b, step[:, POWER], receptivity_a, receptivity_b, rebalance, levels, active), z)
        power[:, t + 1] = z
        state_a = next_a[state_a, g_a, g_b]
        state_b = next_b[state_b, g_b, g_a]
    payoffs_a, payoffs_b = round_payoffs(game, moves_a, moves_b, receptivity_a, receptivity_b, power, lengths)
    return RawPlay(moves_a, moves_b, payoffs_a, payoffs_b, power, lengths)


def _stack(tables: list[AutomatonTable]):
    """Concatenate tables into one state space with global next-state indices."""
    sizes = np.array([t.n_states for t in tables])
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    gives = np.concatenate([t.give for t in tables])
    nexts = np.concatenate([t.next_state + off for t, off in zip(tables, offsets)])
    return gives, nexts, offsets


def play_generic(
    player_a: Player,
    player_b: Player,
    context: MatchContext,
    draws: np.ndarray,
    rngs: tuple[np.random.Generator, np.random.Generator],
    prior_rounds: int = 0,
    initial_power: int = 0,
):
    """Play one repetition round by round, calling each player's ``strategy``.

    The players must be fresh (see :func:`learning_dilemma.player.fresh`).
    Returns moves (1 = GIVE) and the power trajectory as arrays.
    """
    game = context.game
    power = game.power
    length = draws.shape[0]
    moves = np.empty((2, length), dtype=np.int8)
    trajectory = np.empty(length + 1, dtype=np.int64)
    z = int(initial_power)
    trajectory[0] = z
    player_a.begin(context, rngs[0], z, prior_rounds)
    player_b.begin(context, rngs[1], -z, prior_rounds)
    for t in range(length):
        step = draws[t]
        give_a = _intend(player_a.strategy(player_b), step[GIVE_A]) and step[TACIT_A] >= player_a.tacitness
        give_b = _intend(player_b.strategy(player_a), step[GIVE_B]) and step[TACIT_B] >= player_b.tacitness
        if power.active:
            z = _scalar_power_step(z, give_a, give_b, step[POWER], player_a.receptivity, player_b.receptivity, power)
        move_a, move_b = Move(int(give_a)), Move(int(give_b))
        moves[:, t] = move_a, move_b
        trajectory[t + 1] = z
        player_a.update(move_a, move_b, z)
        player_b.update(move_b, move_a, -z)
    return moves[0], moves[1], trajectory


def _scalar_power_step(z, give_a, give_b, draw, receptivity_a, receptivity_b, power) -> int:
    """:func:`power_step` for one round in plain Python (the generic path's hot loop)."""
    if give_a and give_b:
        if draw < power.rebalance:
            z -= (z > 0) - (z < 0)
    elif give_b and draw < receptivity_a:
        z += 1
    elif give_a and draw < receptivity_b:
        z -= 1
    return max(-power.levels, min(power.levels, z))


def _intend(choice, draw: float) -> bool:
    """Resolve a strategy's answer (a move or a give probability) to a bool."""
    if isinstance(choice, Move):
        return choice is Move.GIVE
    if isinstance(choice, (bool, np.bool_)):
        return bool(choice)
    probability = float(choice)
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"strategy returned {choice!r}: expected a Move or a probability in [0, 1]")
    return draw < probability
