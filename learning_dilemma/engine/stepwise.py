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

import numpy as np

from ..errors import StrategyError
from ..games import ladder_step_scalar
from ..games.execution import flip, intends_give, transfers
from ..moves import Move
from ..players.automaton import MatchContext
from ..players.player import Player
from ..players.view import OpponentView, safe_label
from ..seeding import GIVE_DRAWS, LADDER_DRAW, NOISE_DRAWS, TACIT_DRAWS
from .vectorised import PROGRESS_ROUNDS

__all__ = ["intend", "play_generic", "strategy_failure"]

EXPECTED = "expected a Move, a bool or a give probability in [0, 1]"


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
):
    """Play one repetition round by round, calling each player's ``strategy``.

    The players must be fresh (see :func:`learning_dilemma.players.player.fresh`).
    Returns the moves, shape (players, rounds), with 1 for GIVE, and the power
    trajectory. With ``noise > 0`` each intention is flipped with that
    probability (:mod:`learning_dilemma.games.execution`) before tacitness.
    ``repetition`` (1-based), when given, is named in a strategy's error.

    Raises
    ------
    StrategyError
        When a player raises or gives a bad answer, naming it, its opponent
        and the round.
    """
    first, second = players
    power = context.game.power
    length = draws.shape[0]
    moves = np.empty((2, length), dtype=np.int8)
    trajectory = np.empty(length + 1, dtype=np.int64)
    z = int(initial_power)
    trajectory[0] = z
    # What each sees of the other: a read-only view.
    seen_by_first, seen_by_second = OpponentView(second, first), OpponentView(first, second)
    try:
        first.begin(context, rngs[0], z, prior_rounds)
    except Exception as error:
        raise strategy_failure(first, second, 0, repetition, error) from error
    try:
        second.begin(context, rngs[1], -z, prior_rounds)
    except Exception as error:
        raise strategy_failure(second, first, 0, repetition, error) from error
    # A player's parameters are fixed for the match.
    tacit_first, tacit_second = first.tacitness, second.tacitness
    receptive_first, receptive_second = first.receptivity, second.receptivity
    for t in range(length):
        if progress is not None and t % PROGRESS_ROUNDS == 0:
            progress(t, length)
        step = draws[t]
        try:
            intend_first = intend(first.strategy(seen_by_first), step[GIVE_DRAWS[0]])
        except Exception as error:
            raise strategy_failure(first, second, t + 1, repetition, error) from error
        try:
            intend_second = intend(second.strategy(seen_by_second), step[GIVE_DRAWS[1]])
        except Exception as error:
            raise strategy_failure(second, first, t + 1, repetition, error) from error
        if noise:
            intend_first = bool(flip(intend_first, step[NOISE_DRAWS[0]], noise))
            intend_second = bool(flip(intend_second, step[NOISE_DRAWS[1]], noise))
        give_first = bool(transfers(intend_first, step[TACIT_DRAWS[0]], tacit_first))
        give_second = bool(transfers(intend_second, step[TACIT_DRAWS[1]], tacit_second))
        move_first, move_second = Move(int(give_first)), Move(int(give_second))
        if power.active:
            z = ladder_step_scalar(z, move_first, move_second, step[LADDER_DRAW],
                                   receptive_first, receptive_second, power)
        moves[:, t] = move_first, move_second
        trajectory[t + 1] = z
        try:
            first.update(move_first, move_second, z)
        except Exception as error:
            raise strategy_failure(first, second, t + 1, repetition, error) from error
        try:
            second.update(move_second, move_first, -z)
        except Exception as error:
            raise strategy_failure(second, first, t + 1, repetition, error) from error
    return moves, trajectory


class _BadAnswer(StrategyError):
    """A strategy answered with something that is not a move or a probability."""


def intend(choice, draw: float) -> bool:
    """Resolve a strategy's answer (a move, a bool or a give probability) to a bool.

    Raises
    ------
    StrategyError
        For anything else (a string, ``None``, a number outside [0, 1], NaN).
    """
    if isinstance(choice, Move):
        return choice is Move.GIVE
    if isinstance(choice, (bool, np.bool_)):
        return bool(choice)
    probability = math.nan
    if not isinstance(choice, (str, bytes)):
        try:
            probability = float(choice)
        except (TypeError, ValueError):
            pass
    if not 0.0 <= probability <= 1.0:  # NaN fails too
        reason = f"it returned {_shown(choice)}: {EXPECTED}"
        raise _BadAnswer(f"strategy returned {_shown(choice)}: {EXPECTED}", reason)
    return bool(intends_give(draw, probability))


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
