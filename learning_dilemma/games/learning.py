"""The learning game: its stage payoffs.

The power ladder lives in :mod:`.ladder`.

The model follows the interorganisational learning dilemma of Larsson,
Bengtsson, Henriksson & Sparks (1998): each organisation does best by taking more
than it gives, yet joint learning collapses if both do. Power dynamics follow
Hamel (1991): the organisation that has taken more than it gave gains bargaining
power and a larger share of the alliance's rents. The equations are documented,
with their sources, in ``docs/model.md``.

Stage payoff of organisation *i* against *j*, with ``g = 1`` for GIVE, receptivity
``r`` and bargaining share ``w_i``::

    V   = 2P + s (r_i + r_j) g_i g_j                      joint rents
    u_i = w_i V + b r_i g_j + e r_i g_j (1 - g_i) - c r_j g_i

``P`` is the status quo, ``b`` the private learning benefit, ``e`` the race
premium for learning without reciprocating, ``c`` the competitive leak of giving
and ``s`` the synergy of joint giving. With the defaults, power off and ``r = 1``
this is exactly Axelrod's prisoner's dilemma ``R, S, T, P = 3, 0, 5, 1``.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._compat import warn_renamed
from .._validation import check_number
from ..errors import ParameterError
from .ladder import Power, bargaining_share

__all__ = ["DEFAULT_SYNERGY", "LearningGame", "MAX_GAME_VALUE", "MAX_PAYOFF_VALUE", "stage_payoff", "stage_payoffs"]

# The synergy of mutual giving that gives Axelrod's R = 3 with the other defaults.
DEFAULT_SYNERGY = 1.0

#: The largest magnitude of a game value (status quo, benefit, leak, synergy,
#: race premium). A stage payoff is then below 1e101 in magnitude, its square
#: below 1e202, and totals, means and spreads over any run stay finite; larger
#: values would give infinite or NaN scores.
MAX_GAME_VALUE = 1e100
#: The largest magnitude of R, S, T and P in :meth:`LearningGame.from_payoffs`
#: (the game values it derives are then within :data:`MAX_GAME_VALUE`).
MAX_PAYOFF_VALUE = 1e99


def _check_magnitude(name: str, value: float, bound: float) -> None:
    if abs(value) > bound:
        raise ParameterError(f"{name} must be within ±{bound:g} (larger payoffs overflow the scores), got {value:g}")


def stage_payoff(game: "LearningGame", g_i, g_j, r_i, r_j, z_i):
    """Stage payoff of organisation *i* (vectorised over numpy arrays).

    Parameters
    ----------
    game : LearningGame
    g_i, g_j : array_like of {0, 1}
        1 where the organisation gave (after tacitness).
    r_i, r_j : array_like
        Receptivities.
    z_i : array_like
        Ladder position from *i*'s point of view.
    """
    g_i = np.asarray(g_i, dtype=float)
    g_j = np.asarray(g_j, dtype=float)
    joint = 2 * game.status_quo + game.synergy * (r_i + r_j) * g_i * g_j
    share = bargaining_share(z_i, game.power.strength, game.power.levels)
    return (
        share * joint
        + game.learning_benefit * r_i * g_j
        + game.race_premium * r_i * g_j * (1 - g_i)
        - game.leak * r_j * g_i
    )


def stage_payoffs(game: "LearningGame", g_a, g_b, r_a, r_b, z):
    """Stage payoffs ``(u_a, u_b)`` of both organisations; ``z`` is A's view."""
    z = np.asarray(z)
    return stage_payoff(game, g_a, g_b, r_a, r_b, z), stage_payoff(game, g_b, g_a, r_b, r_a, -z)


@dataclass(frozen=True)
class LearningGame:
    """The interorganisational learning dilemma as a stage game with power.

    Larsson et al. (1998) for the dilemma, Hamel (1991) for power dynamics. The
    defaults give Axelrod's (1984) payoffs ``R, S, T, P = 3, 0, 5, 1`` when
    power is off and receptivity is 1.

    Parameters
    ----------
    status_quo : float
        ``P``: what each organisation earns when nobody gives.
    learning_benefit : float
        ``b``: private benefit of absorbing the partner's knowledge.
    leak : float
        ``c``: competitive loss of knowledge given to a receptive partner.
    synergy : float
        ``s``: joint rents created when both give.
    race_premium : float
        ``e``: extra gain from learning without reciprocating (Hamel's race to
        learn).
    power : Power
        The power ladder; off by default.

    Examples
    --------
    >>> game = LearningGame()
    >>> game.rstp()
    (3.0, 0.0, 5.0, 1.0)
    """

    status_quo: float = 1.0
    learning_benefit: float = 2.0
    leak: float = 1.0
    synergy: float = 1.0
    race_premium: float = 2.0
    power: Power = field(default_factory=Power)

    def __post_init__(self):
        for name in ("status_quo", "learning_benefit", "leak", "synergy", "race_premium"):
            low = None if name == "status_quo" else 0.0
            _check_magnitude(f"game.{name}", check_number(f"game.{name}", getattr(self, name), low), MAX_GAME_VALUE)
        if not isinstance(self.power, Power):
            raise ParameterError(f"game.power must be a Power, got {self.power!r}")

    def with_power(self, **changes) -> "LearningGame":
        """A copy with power parameters changed, e.g. ``with_power(strength=0.5)``."""
        return dataclasses.replace(self, power=dataclasses.replace(self.power, **changes))

    def payoffs(self, give_a, give_b, receptivity_a=1.0, receptivity_b=1.0, z=0):
        """Stage payoffs ``(u_a, u_b)`` for one round; ``z`` is A's ladder view."""
        u_a, u_b = stage_payoffs(self, int(give_a), int(give_b), receptivity_a, receptivity_b, z)
        return float(u_a), float(u_b)

    def rstp(self, receptivity_a=1.0, receptivity_b=1.0, z=0):
        """The stage game's ``(R, S, T, P)`` seen by the first organisation at ladder position ``z``.

        R: both give; S: it gives, the partner takes; T: it takes, the partner
        gives; P: both take (the order of the prisoner's dilemma's letters; axelrod's
        ``Game.RPST()`` gives the same four in another order).
        """
        return (
            self.payoffs(1, 1, receptivity_a, receptivity_b, z)[0],
            self.payoffs(1, 0, receptivity_a, receptivity_b, z)[0],
            self.payoffs(0, 1, receptivity_a, receptivity_b, z)[0],
            self.payoffs(0, 0, receptivity_a, receptivity_b, z)[0],
        )

    def payoff_matrix(self, receptivity_a=1.0, receptivity_b=1.0, z=0):
        """Deprecated: use :meth:`rstp` (the name clashed with the tournament's payoff matrix)."""
        warn_renamed("LearningGame.payoff_matrix()", "LearningGame.rstp()")
        return self.rstp(receptivity_a, receptivity_b, z)

    def is_prisoners_dilemma(self, receptivity_a=1.0, receptivity_b=1.0, z=0) -> bool:
        """Whether the stage game seen by A is a strict prisoner's dilemma."""
        R, S, T, P = self.rstp(receptivity_a, receptivity_b, z)
        return T > R > P > S and 2 * R > T + S

    @classmethod
    def from_payoffs(cls, R, S, T, P, *, synergy=None, power=None, strict=True):
        """The learning game whose stage payoffs (power off, r = 1) are R, S, T, P.

        Solves ``P = status_quo``, ``S = P - c``, ``T = P + b + e`` and
        ``R = P + s + b - c`` for the given synergy ``s``.

        Parameters
        ----------
        R, S, T, P : float
            Reward, sucker's payoff, temptation, punishment.
        synergy : float, optional
            Joint rents of mutual giving; it must leave ``b`` and ``e``
            non-negative, i.e. lie in ``[max(0, R + P - T - S), R - S]``. Left
            out, it is 1 (the first edition's default) when that is feasible,
            otherwise the feasible value nearest to 1, and a ``UserWarning``
            says which.
        power : Power, optional
        strict : bool
            Require a strict prisoner's dilemma: ``T > R > P > S`` and
            ``2R > T + S`` (mutual giving beats taking turns).

        Examples
        --------
        >>> LearningGame.from_payoffs(3, 0, 5, 1).rstp()
        (3.0, 0.0, 5.0, 1.0)
        """
        R, S, T, P = (check_number(n, v) for n, v in zip("RSTP", (R, S, T, P)))
        for name, value in zip("RSTP", (R, S, T, P)):
            _check_magnitude(name, value, MAX_PAYOFF_VALUE)
        low, high = max(0.0, R + P - T - S), R - S
        if strict:
            if not T > R > P > S:
                raise ParameterError(
                    f"not a prisoner's dilemma: need T > R > P > S, got R={R:g}, S={S:g}, T={T:g}, P={P:g}"
                )
            if not 2 * R > T + S:
                raise ParameterError(
                    f"not a strict prisoner's dilemma: need 2R > T + S, got 2R={2 * R:g}, T+S={T + S:g}"
                )
        elif P < S:
            raise ParameterError(f"need P >= S (giving to a taker cannot pay), got P={P:g}, S={S:g}")
        if synergy is None:
            synergy = min(max(DEFAULT_SYNERGY, low), high) if low <= high else DEFAULT_SYNERGY
            if synergy != DEFAULT_SYNERGY:
                warnings.warn(
                    f"synergy={DEFAULT_SYNERGY:g} cannot give R={R:g}, S={S:g}, T={T:g}, P={P:g}; "
                    f"using synergy={synergy:g} (feasible: [{low:g}, {high:g}])", UserWarning, stacklevel=2)
        synergy = check_number("synergy", synergy, 0.0)
        leak = P - S
        benefit = R - S - synergy
        race = T - P - benefit
        if benefit < 0 or race < 0:
            raise ParameterError(
                f"synergy={synergy:g} cannot give these payoffs; choose synergy in [{low:g}, {high:g}]"
            )
        return cls(
            status_quo=P,
            learning_benefit=benefit,
            leak=leak,
            synergy=synergy,
            race_premium=race,
            power=power if power is not None else Power(),
        )
