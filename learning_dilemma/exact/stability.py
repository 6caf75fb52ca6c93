"""Collective stability against invaders, and the critical shadow of the future.

A resident strategy resists an invader where it does at least as well against
itself as the invader does against it: Axelrod's (1984) collective stability,
"no strategy does better against it than it does against itself", checked
against one invader or every invader of a set (the question of collective
stability is "against every invader": the margin is the smallest over the
set). :func:`resistance` is the margin per round as a function of the
continuation probability ``w``; :func:`critical_continuation` is the smallest
``w`` from which the resident resists.

Both read the pairings' exact chains, so they count everything the second
edition's match holds: knowledge stakes that run out (the race over closes the
alliance and both earn the status quo ``P`` from then on), exits, tie strength
and tacit transfer, partial overlap and power. For tit for tat with stakes off
the thresholds are Axelrod's, ``(T - R) / (T - P)`` against always-take and
``(T - R) / (R - S)`` against the alternator, with ``R, S, T, P`` the stage
game's at the game's overlap ``gamma`` (``T - R = gamma (c + e) - s`` at
receptivity 1; 0 where that is negative). Power splits only the value the
alliance creates, so it leaves the threshold against always-take unchanged at
every strength. ``tests/exact/test_stability.py`` derives these and the
thresholds with stakes and exit independently of the chain.
"""

from __future__ import annotations

import numpy as np

from .._compat import UNSET, renamed_argument
from .._validation import check_continuation, check_count, check_initial_power, check_probability
from ..errors import ParameterError
from ..games import LearningGame
from ..players.player import Player
from .chain import PAY_A, _game
from .tables import CompiledTables, PairingChains

__all__ = ["critical_continuation", "resistance"]


def resistance(resident: Player, invaders=UNSET, game: LearningGame | None = None, continuation=UNSET,
               prior_rounds: int = 0, initial_power: int = 0, *, noise: float = 0.0, continuations=UNSET,
               invader=UNSET):
    """How much better the resident does against itself than an invader does against it.

    ``V(resident vs resident) - V(invader vs resident)``, per round (the
    invader plays as A against the resident as B); for a set of invaders, the
    smallest of these margins. The resident resists where this is ``>= 0``:
    Axelrod's (1984) collective stability, "no strategy does better against it
    than it does against itself", checked against these invaders.

    Parameters
    ----------
    resident : Player
        An automaton strategy.
    invaders : Player or sequence of Player
        One automaton strategy or several (``invader=`` is its deprecated name).
    game : LearningGame, optional
    continuation : float or array_like of float in [0, 1)
        One continuation probability or many (0.9 if not given).
        ``continuations=`` is its deprecated name.
    prior_rounds, initial_power, noise
        As for :class:`~learning_dilemma.match.Match`.

    Returns
    -------
    float for one ``continuation``, ndarray for many.
    """
    continuation = renamed_argument("resistance", "continuation", continuation, "continuations", continuations, 0.9)
    invaders = renamed_argument("resistance", "invaders", invaders, "invader", invader, UNSET)
    game = _game(game)
    ws = np.atleast_1d(continuation)
    margin = _Margin(resident, invaders, game, prior_rounds, initial_power, noise)
    margin = margin([check_continuation(w) for w in ws])
    return float(margin[0]) if np.ndim(continuation) == 0 else margin


class _Margin:
    """``resistance`` as a function of ``w``, reusing tables and chains between calls."""

    def __init__(self, resident, invaders, game, prior_rounds, initial_power, noise=0.0):
        prior_rounds = check_count("prior_rounds", prior_rounds)
        initial_power = check_initial_power(initial_power, game)
        noise = check_probability("noise", noise)
        invaders = _invaders(invaders)
        resident_tables = CompiledTables(resident, "resident")
        self.home = PairingChains(resident, resident, game, prior_rounds, initial_power,
                                  (resident_tables, resident_tables), noise)
        self.away = [
            PairingChains(invader, resident, game, prior_rounds, initial_power,
                          (CompiledTables(invader, name), resident_tables), noise)
            for name, invader in invaders
        ]

    def __call__(self, ws) -> np.ndarray:
        home = self.home.per_round(ws)[:, PAY_A]
        return np.min([home - away.per_round(ws)[:, PAY_A] for away in self.away], axis=0)


def _invaders(invaders) -> list[tuple[str, Player]]:
    """``[(name for messages, invader), ...]`` from one invader or a sequence of them."""
    if isinstance(invaders, Player):
        return [("invader", invaders)]
    if isinstance(invaders, (str, bytes)) or not hasattr(invaders, "__iter__"):
        raise ParameterError(f"invaders must be a Player or a list of Players, got {invaders!r}")
    listed = list(invaders)
    if not listed:
        raise ParameterError("invaders must name at least one strategy")
    return [(f"invaders[{k}]", invader) for k, invader in enumerate(listed)]


def critical_continuation(resident: Player, invaders=UNSET, game: LearningGame | None = None,
                          prior_rounds: int = 0, initial_power: int = 0, grid: int = 200,
                          tolerance: float = 1e-11, *, noise: float = 0.0, invader=UNSET) -> float:
    """The critical shadow of the future: the smallest ``w`` from which the resident resists the invaders.

    ``invaders`` is one automaton strategy or a sequence of them; against a
    set the resident must resist every one (Axelrod 1984: collective stability
    is stability against every invader), so the margin is the smallest over
    the set. ``invader=`` is the deprecated name of ``invaders``.

    The resident resists at ``w`` when :func:`resistance` is ``>= 0`` (up to
    ``tolerance`` times the payoff scale). Returned is the smallest ``w*`` in
    ``[0, 1)`` such that it resists at every ``w`` in ``[w*, 1)``: the
    margin is scanned on ``grid`` points spread evenly over ``[0, 0.99]`` and
    geometrically up to ``1 - 1e-8``, and the last change from failing to
    resisting is refined with Brent's method (``scipy.optimize.brentq``; if a
    table changes with ``w`` it converges to that jump).

    With knowledge stakes every match ends in the status quo, so as
    ``w -> 1`` both per-round values tend to ``P`` and the margin to 0 like
    ``(1 - w)`` times the difference of the expected totals; its sign is that
    of the difference, and margins within ``tolerance`` of 0 count as
    resisting.

    Returns
    -------
    float
        ``0.0`` if the resident resists already at ``w = 0`` and throughout;
        ``nan`` if it does not resist even at ``w = 1 - 1e-8`` (it never
        resists, or only in the limit ``w -> 1``). A resisting interval below
        a failing one is not reported: see :func:`resistance` for the curve.

    Examples
    --------
    >>> from learning_dilemma.strategies import Alternator, Defector, TitForTat
    >>> round(critical_continuation(TitForTat(), Defector()), 9)  # (T - R) / (T - P)
    0.5
    >>> round(critical_continuation(TitForTat(), Alternator()), 9)  # (T - R) / (R - S)
    0.666666667
    >>> round(critical_continuation(TitForTat(), [Defector(), Alternator()]), 9)  # against both
    0.666666667
    """
    from scipy.optimize import brentq

    game = _game(game)
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 10:
        raise ParameterError(f"grid must be a whole number >= 10, got {grid!r}")
    invaders = renamed_argument("critical_continuation", "invaders", invaders, "invader", invader, UNSET)
    margin = _Margin(resident, invaders, game, prior_rounds, initial_power, noise)
    near_one = max(3, grid // 8)
    ws = np.concatenate([np.linspace(0.0, 0.99, grid - near_one), 1.0 - np.logspace(-2, -8, near_one + 1)[1:]])
    values = margin(ws)
    R, S, T, P = game.rstp()
    slack = tolerance * max(1.0, abs(R), abs(S), abs(T), abs(P))
    resists = values >= -slack
    if not resists[-1]:
        return float("nan")
    if resists.all():
        return 0.0
    last_fail = int(np.nonzero(~resists)[0][-1])
    low, high = ws[last_fail], ws[last_fail + 1]
    return float(brentq(lambda w: margin([w])[0] + slack, low, high, xtol=1e-13, rtol=4 * np.finfo(float).eps))
