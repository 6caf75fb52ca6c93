"""Translations between the two libraries: moves, games, match lengths and views.

GIVE is axelrod's C (cooperate) and TAKE its D (defect). axelrod has no third
action: a strategy of ours that leaves the alliance (EXIT) plays D for the rest
of an axelrod match (:mod:`.players`, ``docs/axelrod.md``). With every give
transferring and receptivity 1 the learning game's stage game is a prisoner's
dilemma at the defaults (Larsson et al. 1998; ``docs/model.md``), so it maps to
an :class:`axelrod.Game` and back.

axelrod tells its players only an :class:`axelrod.Game`: no knowledge stakes,
no ties, no power. Inside axelrod nobody learns, so each organisation's stakes
stay where they start, at ``M``: an automaton plays the column of its table for
the view of full stakes ``(M, M)``, power position ``z = 0``
(:func:`axelrod_view`). The context built from axelrod's attributes has stakes
off (``M = 0``), where that view is the table's one column.
"""

from __future__ import annotations

import math

import axelrod as axl

from ..players.automaton import MatchContext, view_index
from ..errors import ParameterError
from ..games import LearningGame
from .._validation import DEFAULT_TURNS, continuation_of
from ..moves import Move

__all__ = [
    "axelrod_game", "axelrod_view", "C", "context_for", "D", "known_length", "learning_game", "to_action",
    "to_move", "UNKNOWN_CLASSIFIER"
]

C, D = axl.Action.C, axl.Action.D


def to_action(move) -> axl.Action:
    """axelrod's action for one of our moves: GIVE is C; TAKE is D, and so is
    EXIT, the nearest move axelrod has (not sharing)."""
    return C if int(move) == Move.GIVE else D


def to_move(action: axl.Action) -> Move:
    """Our move for one of axelrod's actions (C is GIVE)."""
    return Move.GIVE if action == C else Move.TAKE


def axelrod_game(game: LearningGame) -> axl.Game:
    """The :class:`axelrod.Game` that the learning game's stage game is at parity.

    Stage payoffs (:meth:`LearningGame.rstp`, the competitive overlap included)
    at power position ``z = 0``, receptivity 1, every give transferring. With
    stakes off and no tacitness these are every round's payoffs; otherwise they
    are what axelrod strategies are told (they see neither the stakes nor what
    transferred).

    Examples
    --------
    >>> [float(v) for v in axelrod_game(LearningGame()).RPST()]
    [3.0, 1.0, 0.0, 5.0]
    """
    R, S, T, P = game.rstp()
    return axl.Game(r=R, s=S, t=T, p=P)


def learning_game(game: axl.Game) -> LearningGame:
    """The learning game (power, stakes and ties off; full overlap) whose stage
    payoffs are axelrod's game.

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

    The game is :func:`learning_game` of axelrod's game: stakes, ties and power
    off, since axelrod tells none of them. The shadow of the future is
    ``1 - 1/length`` for a match of known length, as in our own fixed-length
    matches (which also tell the turns); when axelrod does not tell the length,
    it is that of axelrod's default 200-turn match.
    """
    told = known_length(match_attributes.get("length"))
    turns = told or DEFAULT_TURNS
    return MatchContext(learning_game(match_attributes["game"]), continuation_of(turns, None), told)


def axelrod_view(context: MatchContext) -> int:
    """The table column an automaton plays inside axelrod: the view of full
    stakes ``(M, M)``, power position ``z = 0`` (nobody learns inside axelrod).

    Examples
    --------
    >>> from learning_dilemma.games import Knowledge
    >>> axelrod_view(MatchContext(LearningGame(), 0.9))  # stakes off: the one column
    0
    >>> context = MatchContext(LearningGame(knowledge=Knowledge(levels=2)), 0.9)
    >>> column = axelrod_view(context)
    >>> int(context.own_stakes[column]), int(context.partner_stakes[column]), int(context.positions[column])
    (2, 2, 0)
    """
    levels = context.levels
    return int(view_index(levels, levels, levels))


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
