"""The round-by-round engine: any player, one round at a time.

It calls each player's ``strategy(opponent)`` and follows the same rules of a
round as :mod:`.vectorised`, consuming the same pre-drawn uniforms, so an
automaton gives identical results through either engine.

Each strategy sees a read-only view of its opponent
(:class:`~learning_dilemma.players.view.OpponentView`). An exception raised in a
player's ``begin``, ``strategy`` or ``update``, and an answer that is not a move,
a bool or a probability of giving in [0, 1], becomes a one-line
:class:`~learning_dilemma.errors.StrategyError` naming the strategy, its opponent
and the round (the original exception chained as its cause).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import StrategyError
from ..games import failure_probability, initial_tie, race_over, stakes_step, tie_step
from ..games.execution import chooses, flip, transfers
from ..moves import Move
from ..players.automaton import MatchContext
from ..players.player import Player
from ..players.view import OpponentView, safe_label
from ..seeding import GIVE_DRAWS, NOISE_DRAWS, TACIT_DRAWS, learn_draws
from .vectorised import FIRST_LEFT, PROGRESS_ROUNDS, RACE_OVER, SECOND_LEFT

__all__ = ["Played", "intend", "play_generic", "strategy_failure"]

EXPECTED = "expected a Move, a bool or a give probability in [0, 1]"
_MOVES = (Move.TAKE, Move.GIVE)  # indexed by a give indicator


@dataclass
class Played:
    """One repetition played round by round (the arrays of :class:`~.vectorised.RawPlay`, one row)."""

    moves: np.ndarray
    transfers: np.ndarray
    stakes: np.ndarray
    ties: np.ndarray
    power: np.ndarray
    ended_by: int


def play_generic(
    players: tuple[Player, Player],
    context: MatchContext,
    draws: np.ndarray,
    rngs: tuple[np.random.Generator, np.random.Generator],
    prior_rounds: int = 0,
    initial_power: int = 0,
    noise: float = 0.0,
    repetition: int | None = None,
    progress=None,
) -> Played:
    """Play one repetition round by round, calling each player's ``strategy``.

    The players must be fresh (see :func:`learning_dilemma.players.player.fresh`).
    Returns the moves, shape (players, rounds), with 1 for GIVE, 0 for TAKE and
    2 for EXIT, what transferred, and the stakes, tie and power trajectories.
    With ``noise > 0`` each intention is flipped with that probability
    (:mod:`learning_dilemma.games.execution`) before tacit transfer.
    ``repetition`` (1-based), when given, is named in a strategy's error.

    Raises
    ------
    StrategyError
        When a player raises or gives a bad answer, naming it, its opponent
        and the round.
    """
    first, second = players
    game = context.game
    knowledge, ties = game.knowledge, game.ties
    learn = learn_draws(noise > 0)
    length = draws.shape[0]
    moves = np.empty((2, length), dtype=np.int8)
    moved = np.empty((2, length), dtype=np.int8)
    stakes_path = np.empty((2, length + 1), dtype=np.int32)
    stakes = list(game.initial_stakes(int(initial_power)))
    tie, is_open, ended_by = initial_tie(prior_rounds, ties), True, 0
    tie_path = np.full(length + 1, tie, dtype=np.int32)
    stakes_path[:, 0] = stakes
    # What each sees of the other: a read-only view.
    seen_by_first, seen_by_second = OpponentView(second, first), OpponentView(first, second)
    for player, other, own, partner in ((first, second, 0, 1), (second, first, 1, 0)):
        player.stakes, player.partner_stakes = stakes[own], stakes[partner]
        try:
            player.begin(context, rngs[own], stakes[partner] - stakes[own], prior_rounds)
        except Exception as error:
            raise strategy_failure(player, other, 0, repetition, error) from error
    # A player's parameters are fixed for the match.
    tacit = (first.tacitness, second.tacitness)
    receptive = (first.receptivity, second.receptivity)
    # With ties off the failure probability is the tacitness in every round.
    failure = [float(failure_probability(tacit[p], 0, ties)) for p in (0, 1)]
    for t in range(length):
        if progress is not None and t % PROGRESS_ROUNDS == 0:
            progress(t, length)
        step = draws[t].tolist()  # Python floats: the same values, compared faster than numpy scalars
        if not is_open:
            moves[:, t], moved[:, t] = int(Move.EXIT), 0
            stakes_path[:, t + 1], tie_path[t + 1] = stakes, tie
            continue
        leaves, gives = [False, False], [False, False]
        for p, (player, other, seen) in enumerate(((first, second, seen_by_first), (second, first, seen_by_second))):
            try:
                leaves[p], gives[p] = intend(player.strategy(seen), step[GIVE_DRAWS[p]], player.leave_probability())
            except Exception as error:
                raise strategy_failure(player, other, t + 1, repetition, error) from error
        if noise:
            gives = [bool(flip(gives[p], step[NOISE_DRAWS[p]], noise)) and not leaves[p] for p in (0, 1)]
        if leaves[0] or leaves[1]:
            is_open = False
            ended_by = FIRST_LEFT * leaves[0] + SECOND_LEFT * leaves[1]
            moves[:, t], moved[:, t] = int(Move.EXIT), 0
            stakes_path[:, t + 1], tie_path[t + 1] = stakes, tie
            continue
        if ties.active:
            failure = [float(failure_probability(tacit[p], tie, ties)) for p in (0, 1)]
        done = [bool(transfers(gives[p], step[TACIT_DRAWS[p]], failure[p])) for p in (0, 1)]
        if knowledge.active:
            stakes = [int(stakes_step(stakes[p], done[1 - p], step[learn[p]], receptive[p], knowledge))
                      for p in (0, 1)]
            if race_over(stakes[0], stakes[1], knowledge):
                is_open, ended_by = False, RACE_OVER
        if ties.active:
            tie = int(tie_step(tie, gives[0], gives[1], ties))
        moves[:, t] = gives
        moved[:, t] = done
        stakes_path[:, t + 1], tie_path[t + 1] = stakes, tie
        for player, other, own, partner in ((first, second, 0, 1), (second, first, 1, 0)):
            player.stakes, player.partner_stakes = stakes[own], stakes[partner]
            try:
                player.update(_MOVES[gives[own]], _MOVES[done[partner]], stakes[partner] - stakes[own])
            except Exception as error:
                raise strategy_failure(player, other, t + 1, repetition, error) from error
    power = (stakes_path[1] - stakes_path[0]).astype(np.int64)
    return Played(moves, moved, stakes_path, tie_path, power, int(ended_by))


class _BadAnswer(StrategyError):
    """A strategy answered with something that is not a move or a probability."""


def intend(choice, draw: float, leave: float = 0.0) -> tuple[bool, bool]:
    """Resolve a strategy's answer (a move, a bool or a give probability) and its
    exit probability ``leave`` to ``(leaves, gives)``, by
    :func:`~learning_dilemma.games.execution.chooses` on one ``draw``.

    Raises
    ------
    StrategyError
        For anything else (a string, ``None``, a number outside [0, 1], NaN).
    """
    if isinstance(choice, Move):
        if choice is Move.EXIT:
            return True, False
        choice = float(choice is Move.GIVE)
    elif isinstance(choice, (bool, np.bool_)):
        choice = float(choice)
    probability = math.nan
    if not isinstance(choice, (str, bytes)):
        try:
            probability = float(choice)
        except (TypeError, ValueError):
            pass
    if not 0.0 <= probability <= 1.0:  # NaN fails too
        reason = f"it returned {_shown(choice)}: {EXPECTED}"
        raise _BadAnswer(f"strategy returned {_shown(choice)}: {EXPECTED}", reason)
    leaves, gives = chooses(draw, leave, probability)
    return bool(leaves), bool(gives)


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 and "\n" not in text else f"{text[:57].splitlines()[0]}..."


def strategy_failure(player, opponent, round_number: int, repetition: int | None,
                     error: BaseException) -> StrategyError:
    """The one-line error for ``player`` failing against ``opponent``.

    ``round_number`` is 1-based; 0 means before the first round (in ``begin``).
    """
    if isinstance(error, StrategyError):
        reason = error.reason
    else:
        message = " ".join(str(error).split())
        reason = f"{type(error).__name__}: {message}" if message else type(error).__name__
    where = f"in round {round_number}" if round_number else "before round 1"
    if repetition is not None:
        where += f" of repetition {repetition}"
    return StrategyError(
        f"strategy {safe_label(player)!r} against {safe_label(opponent)!r} failed {where}: {reason}", reason,
    )
