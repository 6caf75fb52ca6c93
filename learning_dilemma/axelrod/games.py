"""Translations between the two libraries: moves, games and match lengths.

GIVE is axelrod's C (cooperate) and TAKE its D (defect). With power off and
receptivity 1 the learning game is a prisoner's dilemma (Larsson et al. 1998;
``docs/model.md``), so it maps to an :class:`axelrod.Game` and back.
"""

from __future__ import annotations

import math

import axelrod as axl

from ..players.automaton import MatchContext
from ..errors import ParameterError
from ..games import LearningGame
from .._validation import DEFAULT_TURNS, continuation_of
from ..moves import Move

__all__ = [
    "axelrod_game", "C", "context_for", "D", "known_length", "learning_game", "to_action", "to_move",
    "UNKNOWN_CLASSIFIER"
]

C, D = axl.Action.C, axl.Action.D


def to_action(move) -> axl.Action:
    """axelrod's action for one of our moves (GIVE is C)."""
    return C if int(move) == Move.GIVE else D


def to_move(action: axl.Action) -> Move:
    """Our move for one of axelrod's actions (C is GIVE)."""
    return Move.GIVE if action == C else Move.TAKE


def axelrod_game(game: LearningGame) -> axl.Game:
    """The :class:`axelrod.Game` that the learning game is at parity.

    Stage payoffs at ladder position ``z = 0`` with receptivity 1: with power
    off these are every round's payoffs; with power on, the game axelrod
    strategies are told about (they do not see the ladder).

    Examples
    --------
    >>> [float(v) for v in axelrod_game(LearningGame()).RPST()]
    [3.0, 1.0, 0.0, 5.0]
    """
    R, S, T, P = game.rstp()
    return axl.Game(r=R, s=S, t=T, p=P)


def learning_game(game: axl.Game) -> LearningGame:
    """The learning game (power off) whose stage payoffs are axelrod's game.

    The synergy of joint giving is not determined by ``R, S, T, P``; we keep
    the default 1 when the payoffs allow it and otherwise the nearest value
    that does (see :meth:`LearningGame.from_payoffs`). Axelrod's default game
    gives exactly ``LearningGame()``.

    Examples
    --------
    >>> learning_game(axl.Game()) == LearningGame()
    True
    """
    R, P, S, T = (float(v) for v in game.RPST())
    low, high = max(0.0, R + P - T - S), R - S
    if high < low:
        raise ParameterError(
            f"axelrod game (R, P, S, T) = {(R, P, S, T)} has no learning-game counterpart: "
            "need R - S >= max(0, R + P - T - S)"
        )
    synergy = min(max(1.0, low), high)
    return LearningGame.from_payoffs(R, S, T, P, synergy=synergy, strict=False)


def known_length(length) -> int | None:
    """axelrod's ``match_attributes["length"]`` as a number of turns, or None
    when unknown (axelrod uses -1 by default and infinity for matches with a
    probability of ending)."""
    if length is None or length < 1 or math.isinf(length):
        return None
    return int(length)


def context_for(match_attributes: dict) -> MatchContext:
    """The context one of our automata sees inside an axelrod match.

    The shadow of the future is ``1 - 1/length`` for a match of known length,
    as in our own fixed-length matches; when axelrod does not tell the length,
    it is that of axelrod's default 200-turn match.
    """
    turns = known_length(match_attributes.get("length")) or DEFAULT_TURNS
    return MatchContext(learning_game(match_attributes["game"]), continuation_of(turns, None))


# What axelrod is told about a player whose memory and randomness cannot be read off a table.
UNKNOWN_CLASSIFIER = {
    "memory_depth": float("inf"),
    "stochastic": True,
    "makes_use_of": set(),
    "long_run_time": False,
    "inspects_source": False,
    "manipulates_source": False,
    "manipulates_state": False,
}
