"""The learning game: stage payoffs and the power ladder.

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
from dataclasses import dataclass, field

import numpy as np

from .errors import ParameterError


def _check_number(name: str, value, low=None, high=None, *, low_open=False, high_open=False):
    """Return ``value`` as a float, or raise a one-line :class:`ParameterError`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ParameterError(f"{name} must be finite, got {value!r}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ParameterError(f"{name} must be in {left}{lo}, {hi}{right}, got {value:g}")
    return value


def check_probability(name: str, value) -> float:
    """Validate a probability in [0, 1]."""
    return _check_number(name, value, 0.0, 1.0)


def check_continuation(value) -> float:
    """Validate a continuation probability (shadow of the future) in [0, 1)."""
    return _check_number("continuation", value, 0.0, 1.0, high_open=True)


@dataclass(frozen=True)
class Power:
    """Power dynamics on a bounded ladder, after Hamel (1991).

    The ladder position ``z`` lies in ``[-levels, levels]``; ``z > 0`` means the
    first organisation holds power. Its bargaining share of the joint rents is
    ``w_1 = 1/2 + strength * z / (2 * levels)``.

    Parameters
    ----------
    strength : float
        How much a full power advantage shifts the split, in [0, 1]; 0 switches
        power off.
    levels : int
        Half-width ``m`` of the ladder; 0 switches power off.
    rebalance : float
        Probability that a round of mutual giving moves ``z`` one step toward
        parity (reciprocity restores balance).
    """

    strength: float = 0.0
    levels: int = 3
    rebalance: float = 0.5

    def __post_init__(self):
        _check_number("game.power.strength", self.strength, 0.0, 1.0)
        if isinstance(self.levels, bool) or not isinstance(self.levels, (int, np.integer)):
            raise ParameterError(f"game.power.levels must be a whole number, got {self.levels!r}")
        if self.levels < 0:
            raise ParameterError(f"game.power.levels (m) must be >= 0, got {self.levels}")
        check_probability("game.power.rebalance", self.rebalance)

    @property
    def active(self) -> bool:
        """Whether power shifts payoffs at all."""
        return self.strength > 0 and self.levels > 0

    @property
    def ladder_size(self) -> int:
        """Number of ladder positions, ``2m + 1``."""
        return 2 * self.levels + 1


def bargaining_share(z, strength: float, levels: int):
    """Share of the joint rents held by the organisation at ladder position ``z``.

    ``z`` is taken from that organisation's own point of view (positive means it
    holds power). Hamel (1991): the taker's bargaining position improves.
    """
    if levels == 0:
        return 0.5 + 0.0 * np.asarray(z, dtype=float)
    return 0.5 + strength * np.asarray(z, dtype=float) / (2 * levels)


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
    >>> game.payoff_matrix()
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
            _check_number(f"game.{name}", getattr(self, name), low)
        if not isinstance(self.power, Power):
            raise ParameterError(f"game.power must be a Power, got {self.power!r}")

    def with_power(self, **changes) -> "LearningGame":
        """A copy with power parameters changed, e.g. ``with_power(strength=0.5)``."""
        return dataclasses.replace(self, power=dataclasses.replace(self.power, **changes))

    def payoffs(self, give_a, give_b, receptivity_a=1.0, receptivity_b=1.0, z=0):
        """Stage payoffs ``(u_a, u_b)`` for one round; ``z`` is A's ladder view."""
        u_a, u_b = stage_payoffs(self, int(give_a), int(give_b), receptivity_a, receptivity_b, z)
        return float(u_a), float(u_b)

    def payoff_matrix(self, receptivity_a=1.0, receptivity_b=1.0, z=0):
        """``(R, S, T, P)`` seen by A at ladder position ``z``.

        R: both give; S: A gives, B takes; T: A takes, B gives; P: both take.
        """
        return (
            self.payoffs(1, 1, receptivity_a, receptivity_b, z)[0],
            self.payoffs(1, 0, receptivity_a, receptivity_b, z)[0],
            self.payoffs(0, 1, receptivity_a, receptivity_b, z)[0],
            self.payoffs(0, 0, receptivity_a, receptivity_b, z)[0],
        )

    def is_prisoners_dilemma(self, receptivity_a=1.0, receptivity_b=1.0, z=0) -> bool:
        """Whether the stage game seen by A is a strict prisoner's dilemma."""
        R, S, T, P = self.payoff_matrix(receptivity_a, receptivity_b, z)
        return T > R > P > S and 2 * R > T + S

    @classmethod
    def from_payoffs(cls, R, S, T, P, *, synergy=1.0, power=None, strict=True):
        """The learning game whose stage payoffs (power off, r = 1) are R, S, T, P.

        Solves ``P = status_quo``, ``S = P - c``, ``T = P + b + e`` and
        ``R = P + s + b - c`` for the given synergy ``s``.

        Parameters
        ----------
        R, S, T, P : float
            Reward, sucker's payoff, temptation, punishment.
        synergy : float
            Joint rents of mutual giving; it must leave ``b`` and ``e``
            non-negative, i.e. lie in ``[max(0, R + P - T - S), R - S]``.
        power : Power, optional
        strict : bool
            Require a strict prisoner's dilemma: ``T > R > P > S`` and
            ``2R > T + S`` (mutual giving beats taking turns).

        Examples
        --------
        >>> LearningGame.from_payoffs(3, 0, 5, 1).payoff_matrix()
        (3.0, 0.0, 5.0, 1.0)
        """
        R, S, T, P = (_check_number(n, v) for n, v in zip("RSTP", (R, S, T, P)))
        synergy = _check_number("synergy", synergy, 0.0)
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
        leak = P - S
        benefit = R - S - synergy
        race = T - P - benefit
        if benefit < 0 or race < 0:
            low, high = max(0.0, R + P - T - S), R - S
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
