"""The learning game: its stage payoffs (second edition).

The model follows the interorganisational learning dilemma of Larsson,
Bengtsson, Henriksson & Sparks (1998): each organisation does best by taking more
than it gives, yet joint learning collapses if both do. Every term is documented,
with its source, in ``docs/model.md``.

In a round organisation *i* plays ``g_i = 1`` (GIVE: it exposes its knowledge) or
0 (TAKE); ``x_i = 1`` where its give also transferred (tacit knowledge may not:
:mod:`.knowledge`). What *i* learns is ``L_i = r_i x_j`` (receptivity ``r_i``,
absorptive capacity: Cohen & Levinthal 1990). Its stage payoff is the sum of

    status quo         P                                  what it earns on its own
    absolute value     (b - c) L_i                        learning is worth having
    positional value   gamma c (r_i g_j - r_j g_i)        standing between rivals; sums to zero
    race premium       gamma e L_i (1 - g_i)              learning without exposing (Hamel 1991)
    created value      w_i s (r_i + r_j) x_i x_j          joint creation, split by power

``gamma`` is the competitive overlap of the two organisations (Zander & Kogut
1995; Bengtsson & Kock 2000), possibly per knowledge domain; ``w_i`` the
bargaining share of :mod:`.power`. Exposure (``g``) sets the positional part, so
a give that fails to transfer costs its giver what a give costs and never pays
it more than a give would. At ``gamma = 1``, no tacitness and power off this is
the first edition's ``u_i = b r_i g_j + e r_i g_j (1 - g_i) - c r_j g_i +
(2P + s (r_i + r_j) g_i g_j) / 2``, and at the defaults Axelrod's prisoner's
dilemma ``R, S, T, P = 3, 0, 5, 1``. A closed alliance pays ``P`` to both (the
loner payoff of Hauert et al. 2002).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._compat import warn_renamed
from .._validation import check_number
from ..errors import ParameterError
from .knowledge import Knowledge, Ties
from .power import Power, bargaining_share

__all__ = [
    "DEFAULT_SYNERGY", "Domain", "LearningGame", "MAX_GAME_VALUE", "MAX_PAYOFF_VALUE", "PAYOFF_PARTS", "closed_payoff",
    "joint_value", "payoff_parts", "stage_payoff", "stage_payoffs",
]

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


PAYOFF_PARTS = ("status quo", "absolute", "positional", "race premium", "created")


def _directions(game: "LearningGame", overlap):
    """``(gamma_in_i, gamma_in_j)``: the overlap that weighs what flows into *i*
    (its positional gain and race premium) and into *j* (*i*'s positional loss).

    ``overlap`` is ``None`` (the game's: :attr:`LearningGame.effective_overlap`
    into *i*, :attr:`LearningGame.into_partner` into *j*), one value or array
    for both directions, or a pair ``(into_i, into_j)``. The directions differ
    only where a Chinese wall keeps what one side learns from its competing
    units (seed 000; ``docs/networks.md``).
    """
    if overlap is None:
        gamma = game.effective_overlap
        return (gamma, gamma) if game.partner_overlap is None else (gamma, float(game.partner_overlap))
    if isinstance(overlap, tuple):
        return overlap
    return overlap, overlap


def payoff_parts(game: "LearningGame", g_i, g_j, x_i, x_j, r_i, r_j, z_i, overlap=None) -> dict:
    """The five parts of organisation *i*'s stage payoff (vectorised over numpy arrays).

    The stage payoff's terms by meaning (``docs/model.md``, "The stage game").
    :func:`stage_payoff` writes the same sum grouped as the first edition added
    it, so that seeded first-edition runs are unchanged to the bit; the two
    forms are kept equal (to rounding) by ``tests/games/test_learning.py``.

    Parameters
    ----------
    game : LearningGame
    g_i, g_j : array_like of {0, 1}
        1 where the organisation gave (exposed its knowledge).
    x_i, x_j : array_like of {0, 1}
        1 where its give transferred (``x <= g``; tacit knowledge may not).
    r_i, r_j : array_like
        Receptivities.
    z_i : array_like
        Power position from *i*'s point of view (:func:`.power.power_position`).
    overlap : array_like or pair of array_like, optional
        The competitive overlap ``gamma`` of *i* and *j*; default the game's
        (:attr:`LearningGame.effective_overlap`). Networks give one per pair of
        people (``docs/networks.md``). A pair ``(into_i, into_j)`` weighs what
        flows into each side apart: *i*'s positional gain and race premium by
        ``into_i``, its positional loss by ``into_j`` (a Chinese wall on one
        side, :func:`_directions`).
    """
    g_i, g_j, x_i, x_j = (np.asarray(v, dtype=float) for v in (g_i, g_j, x_i, x_j))
    learned = r_i * x_j
    into_i, into_j = _directions(game, overlap)
    share = bargaining_share(z_i, game.power.strength, game.knowledge.levels)
    zero = 0.0 * (learned + g_i)
    if into_i is into_j:  # one overlap: the sum as it has always been grouped
        positional = into_i * game.leak * (r_i * g_j - r_j * g_i)
    else:
        positional = game.leak * (into_i * r_i * g_j - into_j * r_j * g_i)
    return {
        "status quo": game.status_quo + zero,
        "absolute": game.learning_value * learned,
        "positional": positional,
        "race premium": into_i * game.race_premium * learned * (1 - g_i),
        "created": share * game.synergy * (r_i + r_j) * x_i * x_j,
    }


def stage_payoff(game: "LearningGame", g_i, g_j, x_i, x_j, r_i, r_j, z_i, overlap=None):
    """Stage payoff of organisation *i*: the sum of :func:`payoff_parts`.

    The parts are regrouped (our choice) so that the floating-point operations
    are the first edition's ``w (2P + s (r_i + r_j) g_i g_j) + b r_i g_j + e r_i
    g_j (1 - g_i) - c r_j g_i`` whenever that game is played (full overlap, every
    give transferring, equal split): seeded first-edition runs then reproduce
    bit for bit, not only to rounding. The regrouping is exact algebra:
    ``(b - c) x_j + gamma c g_j = b x_j - c (x_j - gamma g_j)``, and
    ``P + s (r_i + r_j) x_i x_j / 2`` is ``(2P + s (r_i + r_j) x_i x_j) / 2``
    to the bit (halving is exact). ``overlap`` as for :func:`payoff_parts`.
    """
    g_i, g_j, x_i, x_j = (np.asarray(v, dtype=float) for v in (g_i, g_j, x_i, x_j))
    into_i, into_j = _directions(game, overlap)
    share = bargaining_share(z_i, game.power.strength, game.knowledge.levels)
    return (
        (game.status_quo + share * game.synergy * (r_i + r_j) * x_i * x_j)      # status quo + created
        + r_i * (game.learning_benefit * x_j - game.leak * (x_j - into_i * g_j))   # absolute + positional gain
        + into_i * game.race_premium * r_i * x_j * (1 - g_i)                     # race premium
        - into_j * game.leak * r_j * g_i                                         # positional loss
    )


def joint_value(game: "LearningGame", x_a, x_b, r_a, r_b):
    """The value a round creates for the alliance as a whole: its joint learning.

    ``(b - c)(r_A x_B + r_B x_A) + s (r_A + r_B) x_A x_B``: the absolute value
    of what each actually learned plus the value created when both gives
    transferred (the ``absolute`` and ``created`` parts of :func:`payoff_parts`,
    summed over both organisations; the bargaining shares sum to one). The
    positional part is a transfer between rivals (it sums to zero) and the race
    premium is competition, not knowledge created: both are left out (our
    reading of Larsson et al. 1998, where taking *reduces* joint learning;
    ``docs/model.md``, "Metrics"). A round with no transfer creates nothing.
    Vectorised over numpy arrays; ``x`` are 1 where a give transferred.
    """
    x_a, x_b = (np.asarray(v, dtype=float) for v in (x_a, x_b))
    return game.learning_value * (r_a * x_b + r_b * x_a) + game.synergy * (r_a + r_b) * x_a * x_b


def closed_payoff(game: "LearningGame") -> float:
    """What each side earns in a round of a closed alliance: the status quo, its
    standalone payoff (the loner's payoff of Hauert et al. 2002; issue 15)."""
    return game.status_quo


def stage_payoffs(game: "LearningGame", g_a, g_b, x_a, x_b, r_a, r_b, z, overlap=None):
    """Stage payoffs ``(u_a, u_b)`` of both organisations; ``z`` is A's power position
    (``overlap`` as for :func:`payoff_parts`, seen from A: a pair ``(into_a, into_b)``
    is read the other way round for B)."""
    z = np.asarray(z)
    if overlap is None and game.partner_overlap is not None:
        overlap = (game.effective_overlap, game.into_partner)
    reverse = overlap[::-1] if isinstance(overlap, tuple) else overlap
    return (stage_payoff(game, g_a, g_b, x_a, x_b, r_a, r_b, z, overlap),
            stage_payoff(game, g_b, g_a, x_b, x_a, r_b, r_a, -z, reverse))


@dataclass(frozen=True)
class Domain:
    """A knowledge domain with its own competitive overlap (seed 000: ITCOM's
    complementary hardware and software against competing services).

    Parameters
    ----------
    name : str
    share : float
        The domain's share of the knowledge exchanged, > 0 (the shares of a
        game's domains sum to 1).
    overlap : float
        ``gamma_d`` in [0, 1]: how directly the two organisations compete in it.
    """

    name: str
    share: float
    overlap: float

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ParameterError(f"game.domains: a domain needs a name, got {self.name!r}")
        check_number(f"game.domains.{self.name}.share", self.share, 0.0, 1.0, low_open=True)
        check_number(f"game.domains.{self.name}.overlap", self.overlap, 0.0, 1.0)


@dataclass(frozen=True)
class LearningGame:
    """The interorganisational learning dilemma as a stage game (second edition).

    Larsson et al. (1998) for the dilemma; Hamel (1991) and Emerson (1962) for
    power; Zander & Kogut (1995) and Bengtsson & Kock (2000) for competitive
    overlap; Cohen & Levinthal (1990) and Hansen (1999) for the knowledge stakes
    and tie strength of :mod:`.knowledge`. The defaults give Axelrod's (1984)
    payoffs ``R, S, T, P = 3, 0, 5, 1`` when receptivity is 1.

    Parameters
    ----------
    status_quo : float
        ``P``: what each organisation earns on its own, in a round without
        exchange and in every round after the alliance has closed (the loner
        payoff).
    learning_benefit : float
        ``b``: what learning a unit of the partner's knowledge is worth to the
        learner in a full-overlap alliance (``gamma = 1``): its absolute value
        ``b - c`` (:attr:`learning_value`) plus the positional gain ``c``.
    leak : float
        ``c``: the standing a giver loses to a receptive partner per unit exposed,
        at full overlap (the partner gains it: a transfer between rivals).
    synergy : float
        ``s``: value created when both gives transfer, split by power.
    race_premium : float
        ``e``: extra gain, at full overlap, from learning without exposing
        (Hamel's race to learn).
    power : Power
        How strongly dependence shifts the split of the created value; off by default.
    knowledge : Knowledge
        The learning stakes; off by default (the first edition's endless flow).
    ties : Ties
        Tie strength built by mutual giving; off by default.
    overlap : float
        ``gamma`` in [0, 1], the competitive overlap: 1 for direct rivals (the
        default, the first edition's game), 0 for a pre-competitive, academic
        setting. Give either ``overlap`` or ``domains``.
    domains : tuple of Domain
        Knowledge domains with their own overlap; the game's overlap is then
        ``sum_d share_d gamma_d`` (:attr:`effective_overlap`).
    partner_overlap : float, optional
        The overlap that weighs what flows into the *partner*, where it differs
        from the player's own (:attr:`into_partner`): a Chinese wall on the
        partner's side keeps what it learns from its competing units, so the
        player's leak counts less (seed 000; the game as a person facing a
        walled organisation sees it, ``docs/networks.md``). ``None``: the same.

    Examples
    --------
    >>> game = LearningGame()
    >>> game.rstp()
    (3.0, 0.0, 5.0, 1.0)
    >>> LearningGame(overlap=0.0).rstp()  # pre-competitive: no dilemma left
    (3.0, 1.0, 2.0, 1.0)
    """

    status_quo: float = 1.0
    learning_benefit: float = 2.0
    leak: float = 1.0
    synergy: float = 1.0
    race_premium: float = 2.0
    power: Power = field(default_factory=Power)
    knowledge: Knowledge = field(default_factory=Knowledge)
    ties: Ties = field(default_factory=Ties)
    overlap: float = 1.0
    domains: tuple = ()
    partner_overlap: float | None = None

    def __post_init__(self):
        for name in ("status_quo", "learning_benefit", "leak", "synergy", "race_premium"):
            low = None if name == "status_quo" else 0.0
            _check_magnitude(f"game.{name}", check_number(f"game.{name}", getattr(self, name), low), MAX_GAME_VALUE)
        for name, kind in (("power", Power), ("knowledge", Knowledge), ("ties", Ties)):
            if not isinstance(getattr(self, name), kind):
                raise ParameterError(f"game.{name} must be a {kind.__name__}, got {getattr(self, name)!r}")
        check_number("game.overlap", self.overlap, 0.0, 1.0)
        if self.partner_overlap is not None:
            check_number("game.partner_overlap", self.partner_overlap, 0.0, 1.0)
        domains = tuple(self.domains)
        object.__setattr__(self, "domains", domains)
        if domains:
            if not all(isinstance(d, Domain) for d in domains):
                raise ParameterError(f"game.domains must hold Domain entries, got {domains!r}")
            names = [d.name for d in domains]
            if len(set(names)) != len(names):
                raise ParameterError(f"game.domains: names must differ, got {', '.join(names)}")
            if self.overlap != 1.0:
                raise ParameterError("give either game.overlap or game.domains (each domain has its own overlap)")
            total = sum(d.share for d in domains)
            if abs(total - 1.0) > 1e-9:
                raise ParameterError(f"game.domains: the shares must sum to 1, got {total:g}")

    @property
    def effective_overlap(self) -> float:
        """``gamma``: the overlap, or ``sum_d share_d gamma_d`` over the domains.

        Payoffs are linear in ``gamma``, so a game with domains pays exactly what
        the game with this one overlap pays; the domains say where the
        competition lies (:meth:`competition_by_domain`; the network model's
        Chinese walls act per domain).
        """
        if not self.domains:
            return float(self.overlap)
        return float(sum(d.share * d.overlap for d in self.domains))

    @property
    def into_partner(self) -> float:
        """The overlap that weighs what flows into the partner: :attr:`partner_overlap`,
        or :attr:`effective_overlap` when it is not set."""
        if self.partner_overlap is None:
            return self.effective_overlap
        return float(self.partner_overlap)

    def competition_by_domain(self) -> dict:
        """Each domain's part of the competitive overlap, ``share_d gamma_d``: the share of
        the positional value and the race premium that arises in it (knowledge is
        exchanged in each domain in proportion to its share). One entry, ``"all"``,
        without domains.

        Examples
        --------
        >>> game = LearningGame(domains=(Domain("hardware", 0.6, 0.1), Domain("services", 0.4, 1.0)))
        >>> {k: round(v, 2) for k, v in game.competition_by_domain().items()}
        {'hardware': 0.06, 'services': 0.4}
        """
        if not self.domains:
            return {"all": float(self.overlap)}
        return {d.name: d.share * d.overlap for d in self.domains}

    @property
    def learning_value(self) -> float:
        """``b - c``: the absolute value of learning a unit, whatever the overlap."""
        return self.learning_benefit - self.leak

    def initial_stakes(self, initial_power: int = 0) -> tuple[int, int]:
        """The two organisations' stakes at the start: ``M`` each, less the
        ``initial_power`` levels one side has already learned (a prior relation)."""
        levels = self.knowledge.levels
        return levels - max(initial_power, 0), levels - max(-initial_power, 0)

    def with_power(self, **changes) -> "LearningGame":
        """A copy with power parameters changed, e.g. ``with_power(strength=0.5)``."""
        return dataclasses.replace(self, power=dataclasses.replace(self.power, **changes))

    def payoffs(self, give_a, give_b, receptivity_a=1.0, receptivity_b=1.0, z=0, transfer_a=None, transfer_b=None):
        """Stage payoffs ``(u_a, u_b)`` for one round; ``z`` is A's power position.

        ``transfer_a``/``transfer_b`` say whether a give transferred (default:
        every give does).
        """
        x_a = give_a if transfer_a is None else transfer_a
        x_b = give_b if transfer_b is None else transfer_b
        for name, gave, moved in (("transfer_a", give_a, x_a), ("transfer_b", give_b, x_b)):
            if int(moved) > int(gave):
                raise ParameterError(f"{name}: only a give can transfer, got a transfer of a take")
        u_a, u_b = stage_payoffs(self, int(give_a), int(give_b), int(x_a), int(x_b), receptivity_a, receptivity_b, z)
        return float(u_a), float(u_b)

    def rstp(self, receptivity_a=1.0, receptivity_b=1.0, z=0):
        """The stage game's ``(R, S, T, P)`` seen by the first organisation at power position ``z``.

        R: both give; S: it gives, the partner takes; T: it takes, the partner
        gives; P: both take (the order of the prisoner's dilemma's letters; axelrod's
        ``Game.RPST()`` gives the same four in another order). Every give transfers.
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
        """The learning game whose stage payoffs (full overlap, r = 1) are R, S, T, P.

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
        if not low <= synergy <= high:
            raise ParameterError(
                f"synergy={synergy:g} cannot give these payoffs; choose synergy in [{low:g}, {high:g}]"
            )
        leak = P - S
        # within [low, high] both are >= 0 in exact arithmetic; at an end of the interval
        # floating-point rounding may leave -1e-16, which is 0
        benefit = max(R - S - synergy, 0.0)
        race = max(T - P - benefit, 0.0)
        return cls(
            status_quo=P,
            learning_benefit=benefit,
            leak=leak,
            synergy=synergy,
            race_premium=race,
            power=power if power is not None else Power(),
        )
