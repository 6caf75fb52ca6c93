"""Multilevel strategies: a person acting for an organisation.

Seed 000 shows boundary spanners in coopetitive alliances holding conflicting
identities (explorative or exploitative, independent or committed, fearing
malfeasance) and coping with them by identity segregation (Chinese walls,
avoidance) or identity aggregation (a meta-identity, multi-vocality), after
Pratt & Foreman (2000). Seed 001 (sections 4-6) argues the interpersonal level
can carry cooperation the organisational level would not.

The :class:`BoundarySpanner` combines an organisational policy and a person's
own dynamic, both automata, into one product automaton whose state is the pair
of their states; both observe every round. It is the identity conflict left
unresolved, round by round. Strategies may nest (a spanner whose organisation
is itself a spanner...) up to the ``nesting`` resource limit
(:mod:`learning_dilemma.limits`), checked when the strategy is made.

**Coping is not a give probability.** The first edition wrote two coping
mechanisms as strategies of the spanner's one formula: ``Chinese Wall(crucial=x)``
was the same automaton as ``Boundary Spanner(identification=x)``, and
``Meta-Identity(aggregation=0)`` that automaton again. Issue 17 replaces them by
structure (:mod:`learning_dilemma.networks.coping`): a Chinese wall is an
organisation's (``Organisation(walls=...)``) and lowers the leak its *partners*
perceive; avoidance for efficiency spends a person's attention in a group on
receptive counterparts; a meta-identity changes the horizon or synergy a
person's strategy is compiled with; multi-vocality gives one joint action a
private value for each side. In a match (one game for both sides) the spanner
carries the *perceived* part of these as parameters (:func:`perceive`):
``partner_wall`` (the partner's wall as this side perceives it),
``meta_horizon``, ``meta_synergy`` and ``multivocality``; all 0 by default, when
the spanner compiles its parts with the match's own context. The two old names
are deprecated aliases that play as before and warn (:class:`ChineseWall`,
:class:`MetaIdentity`).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from .._validation import check_number
from ..players.automaton import AutomatonTable, MatchContext
from ..errors import ParameterError
from ..limits import check
from ..players.player import Automaton, Player
from .interpersonal import TrustBuilder
from .organisational import Calculative

__all__ = [
    "BoundarySpanner", "ChineseWall", "combine", "MetaIdentity", "nesting_depth", "perceive", "walled_overlap",
]


def walled_overlap(game, walls) -> float:
    """The game's competitive overlap into a walled organisation,
    ``sum_d share_d gamma_d (1 - omega_d)`` (``gamma (1 - omega)`` without
    domains): what a partner perceives its leak into it is weighed by (seed 000
    s.5.3, Chinese walls; :mod:`learning_dilemma.networks.coping`).

    ``walls`` is one ``omega`` in [0, 1] for every domain, or one per domain of
    ``game.domains`` in their order.
    """
    if np.ndim(walls) == 0:
        omega = np.full(max(len(game.domains), 1), float(walls))
    else:
        omega = np.asarray(walls, dtype=float)
        if not game.domains or len(omega) != len(game.domains):
            raise ParameterError(f"partner_wall: one value per domain of the game ({len(game.domains)}), "
                                 f"or one number, got {tuple(walls)!r}")
    if game.domains:
        return float(sum(d.share * d.overlap * (1.0 - w) for d, w in zip(game.domains, omega)))
    return float(game.overlap * (1.0 - omega[0]))


def perceive(context: MatchContext, partner_overlap=None, horizon: float = 0.0, synergy: float = 0.0,
             multivocality: float = 0.0) -> MatchContext:
    """The context a strategy is compiled with under identity coping (seed 000 s.5.3).

    - ``partner_overlap`` (a walled partner; ``None``: none) becomes the game's
      :attr:`~learning_dilemma.games.LearningGame.partner_overlap`: the partner's
      walls keep what it learns from its competing units, so this side's leak
      counts less (``T - R`` falls by ``c (gamma - partner_overlap)``, ``R - S``
      stays);
    - the synergy becomes ``max(s, synergy) + multivocality``: a meta-identity
      that sees sharing as serving the organisation ("one cannot multiply without
      the capability to share"), and the private value the side reads into
      mutual giving (``R`` rises by ``multivocality`` at receptivity 1 and even
      power);
    - a ``horizon`` above the context's continuation replaces it, with no fixed
      end (``turns=None``): the meta-identity's long run (Akerlof & Kranton 2000:
      identity changes the payoffs a person acts on, not the game played).

    With nothing to change it returns ``context`` itself, unread.
    """
    wall = partner_overlap is not None
    if not (wall or horizon > 0 or synergy > 0 or multivocality > 0):
        return context
    game, continuation, turns = context.game, context.continuation, context.turns
    changes = {}
    if wall:
        changes["partner_overlap"] = float(partner_overlap)
    if synergy > game.synergy or multivocality > 0:
        changes["synergy"] = max(game.synergy, float(synergy)) + float(multivocality)
    seen = dataclasses.replace(game, **changes) if changes else game
    if horizon > continuation:
        continuation, turns = float(horizon), None
    if seen is game and continuation == context.continuation and turns == context.turns:
        return context
    return MatchContext(seen, continuation, turns)


def nesting_depth(player) -> int:
    """How deeply strategies nest inside ``player``: 0 for a plain strategy,
    1 for a spanner of plain strategies, one more for each level inside."""
    if not isinstance(player, _Spanner):
        return 0
    parts = [player.parameters[key] for key in ("organisation", "person")]
    return 1 + max((nesting_depth(part) for part in parts if part is not None), default=0)


def combine(organisation: AutomatonTable, person: AutomatonTable, give, weight: float = 1.0) -> AutomatonTable:
    """The product automaton of two tables with give probabilities
    ``give(org_row, person_row, weight_row)`` for each pair of states.

    A round, the spanner follows its organisation with probability ``weight``
    (identification) and its person otherwise, in leaving as in giving. It
    leaves with ``q = weight q_org + (1 - weight) q_person``; a person who does
    not identify with an avoiding organisation stays in the alliance (seed 000:
    Bencons' practitioners work with ITCOM although its wider community is
    reluctant). Given that it stayed, the role it follows is the organisation
    with probability ``weight (1 - q_org) / (1 - q)``, the weight ``give`` is
    called with (``weight`` itself where nobody leaves), so the give and leave
    tables together are the mixture of the two roles' choices.

    Its size is estimated first: ``n_org x n_person`` states times the table's
    views, against the ``chain_states`` limit (no pairing with a larger
    table could be solved exactly either)."""
    n_org, n_person = organisation.n_states, person.n_states
    positions = organisation.give.shape[1]
    check("chain_states", n_org * n_person * positions,
          f"a multilevel strategy of {n_org} x {n_person} states x {positions} views",
          hint="or nest fewer strategies")
    def staying_weight(i, j):
        stays = 1.0 - (weight * organisation.leave[i] + (1 - weight) * person.leave[j])
        safe = np.where(stays > 0, stays, 1.0)
        return np.where(stays > 0, weight * (1.0 - organisation.leave[i]) / safe, weight)

    gives = np.array([give(organisation.give[i], person.give[j], staying_weight(i, j))
                      for i in range(n_org) for j in range(n_person)])
    org_next = organisation.next_state[:, None, :, :]
    person_next = person.next_state[None, :, :, :]
    next_state = (org_next * n_person + person_next).reshape(n_org * n_person, 2, 2)
    names = [f"{a} / {b}" for a in organisation.state_names for b in person.state_names]
    start = organisation.start * n_person + person.start
    leave = np.array([weight * organisation.leave[i] + (1 - weight) * person.leave[j]
                      for i in range(n_org) for j in range(n_person)]).reshape(n_org * n_person, -1)
    return AutomatonTable(np.clip(gives, 0.0, 1.0), next_state, start, tuple(names), leave)


class _Spanner(Automaton):
    family = "multilevel"
    defaults = {"organisation": None, "person": None}

    def validate(self):
        for key in ("organisation", "person"):
            value = self.parameters[key]
            if value is not None and not (isinstance(value, Player) and value.is_automaton):
                raise ParameterError(f"{self.name}: {key} must be an automaton strategy, got {value!r}")
        depth = nesting_depth(self)
        check("nesting", depth, f"{self.name} with strategies nested {depth} deep")

    @property
    def organisation(self) -> Automaton:
        """The organisation's policy (default :class:`Calculative`)."""
        return self.parameters["organisation"] or Calculative()

    @property
    def person(self) -> Automaton:
        """The person's own dynamic (default :class:`TrustBuilder`)."""
        return self.parameters["person"] or TrustBuilder()

    def parts(self, context):
        return self.organisation.compiled(context), self.person.compiled(context)


class BoundarySpanner(_Spanner):
    """A person acting for an organisation, torn between the two.

    Each round the spanner follows the organisation's policy with probability
    ``identification`` and the person's own dynamic otherwise: the identity
    conflict of seed 000 (section 5) left unresolved, round by round.

    Both parts are compiled with the game as the spanner perceives it
    (:func:`perceive`), which is the match's own unless a coping parameter is
    set: the pairwise view of :mod:`learning_dilemma.networks.coping`, where the
    same mechanisms also change payoffs and attention.

    Parameters
    ----------
    organisation, person : Automaton
        The organisation's policy (default :class:`Calculative`) and the
        person's dynamic (default :class:`TrustBuilder`).
    identification : float
        Probability of acting as the organisation.
    partner_wall : float or sequence of float
        The partner organisation's Chinese wall ``omega`` as this side perceives
        it, one number for every domain or one per domain of the game (seed 000
        s.5.3: Bencons' practitioners confident in ITCOM's walls); the parts see
        ``partner_overlap = sum_d share_d gamma_d (1 - omega_d)``
        (:func:`walled_overlap`). Default 0: no wall.
    meta_horizon : float
        ``w_id`` in [0, 1): the shadow of the future a meta-identity perceives
        (compiled with ``max(w, w_id)``). Default 0.
    meta_synergy : float
        ``s'`` >= 0: the synergy a meta-identity perceives (``max(s, s')``). Default 0.
    multivocality : float
        ``v`` >= 0: the private value read into mutual giving, perceived as
        synergy ``s + v`` (in a match only perceived: one game pays both sides).
        Default 0.
    """

    name = "Boundary Spanner"
    description = ("Follows the organisation with probability `identification`, the person otherwise "
                   "(perceiving a partner's wall, a meta-identity, multi-vocality).")
    source = "Titre & Soekijad, seed 000 s.2, s.5"
    defaults = {**_Spanner.defaults, "identification": 0.5, "partner_wall": 0.0, "meta_horizon": 0.0,
                "meta_synergy": 0.0, "multivocality": 0.0}
    probabilities = ("identification",)

    def validate(self):
        super().validate()
        wall = self.parameters["partner_wall"]
        if isinstance(wall, (list, tuple)):
            if not wall:
                raise ParameterError(f"{self.name}: partner_wall must be a number or one number per domain, got []")
            wall = tuple(check_number(f"{self.name}: partner_wall", w, 0.0, 1.0) for w in wall)
        else:
            wall = check_number(f"{self.name}: partner_wall", wall, 0.0, 1.0)
        self.parameters["partner_wall"] = wall
        self.parameters["meta_horizon"] = check_number(f"{self.name}: meta_horizon", self.parameters["meta_horizon"],
                                                       0.0, 1.0, high_open=True)
        for key in ("meta_synergy", "multivocality"):
            self.parameters[key] = check_number(f"{self.name}: {key}", self.parameters[key], 0.0, 1e100)

    def perceived(self, context: MatchContext) -> MatchContext:
        """The context both parts are compiled with (:func:`perceive`)."""
        wall = self.partner_wall
        walled = any(w > 0 for w in wall) if isinstance(wall, tuple) else wall > 0
        overlap = walled_overlap(context.game, wall) if walled else None
        return perceive(context, overlap, self.meta_horizon, self.meta_synergy, self.multivocality)

    def table(self, context):
        w = self.identification
        return combine(*self.parts(self.perceived(context)), lambda org, person, v: v * org + (1 - v) * person, w)


_CHINESE_WALL_REPLACED = (
    "Chinese Wall is deprecated: it was Boundary Spanner(identification=crucial), the same automaton under another "
    "name; a Chinese wall is now an organisation's: Organisation(walls=...) in a "
    "network (learning_dilemma.networks.coping), perceived by its partners, or Boundary Spanner(partner_wall=...) "
    "on the partner's side of a match (see CHANGELOG.md)"
)
_META_IDENTITY_REPLACED = (
    "Meta-Identity is deprecated: its reframed give probability is replaced by a meta-identity's perceived horizon "
    "or synergy: Person(meta_horizon=..., meta_synergy=...) in a network (learning_dilemma.networks.coping), or "
    "Boundary Spanner(meta_horizon=..., meta_synergy=...) in a match; Meta-Identity(aggregation=0) is Boundary "
    "Spanner(identification=...) (see CHANGELOG.md)"
)


class ChineseWall(_Spanner):
    """Deprecated alias: ``Boundary Spanner(identification=crucial)``.

    The first edition's identity segregation: crucial rounds (probability
    ``crucial``) follow the organisation's policy, the rest the person's
    dynamic. That is the :class:`BoundarySpanner`'s formula with another
    name, and it put the wall on the side that *has* it, lowering its own
    giving; seed 000 s.5.3 has the wall raise the *partner's* confidence. It is
    replaced by structure: ``Organisation(walls=...)``
    (:mod:`learning_dilemma.networks.coping`), perceived by the partner
    (``BoundarySpanner(partner_wall=...)`` in a match). Making one warns
    (:class:`DeprecationWarning`); it plays as before.

    Parameters
    ----------
    organisation, person : Automaton
    crucial : float
        Share of rounds whose knowledge is crucial to the organisation.
    """

    name = "Chinese Wall"
    deprecated = True  # left out of CURRENT_STRATEGIES: rosters and pages built from the library
    description = "Deprecated: Boundary Spanner(identification=crucial); walls are organisations' (networks.coping)."
    source = "Titre & Soekijad, seed 000 s.5 (identity segregation)"
    defaults = {**_Spanner.defaults, "crucial": 0.3}
    probabilities = ("crucial",)

    def __init__(self, **parameters):
        warnings.warn(_CHINESE_WALL_REPLACED, DeprecationWarning, stacklevel=2)
        super().__init__(**parameters)

    def table(self, context):
        k = self.crucial
        return combine(*self.parts(context), lambda org, person, v: v * org + (1 - v) * person, k)


class MetaIdentity(_Spanner):
    """Deprecated: identity aggregation as a reframed give probability.

    The first edition's meta-identity: when the spanner acts for the
    organisation (probability ``identification``), a take the policy calls for
    becomes a give with probability ``aggregation`` times the person's own give
    probability; otherwise the person's dynamic applies. At ``aggregation = 0``
    it is :class:`BoundarySpanner`. Replaced by a meta-identity that changes
    the game the person perceives, not their give probability
    (``Person(meta_horizon=..., meta_synergy=...)`` in a network,
    :mod:`learning_dilemma.networks.coping`; ``BoundarySpanner(meta_horizon=...,
    meta_synergy=...)`` in a match), and by multi-vocality (``multivocality``).
    Making one warns (:class:`DeprecationWarning`); it plays as before.

    Parameters
    ----------
    organisation, person : Automaton
    identification : float
        Probability of acting as the organisation.
    aggregation : float
        Strength of the meta-identity, in [0, 1].
    """

    name = "Meta-Identity"
    deprecated = True  # left out of CURRENT_STRATEGIES
    description = "Deprecated: reframes giving as serving the organisation; see meta_horizon (networks.coping)."
    source = "Titre & Soekijad, seed 000 s.5 (identity aggregation)"
    defaults = {**_Spanner.defaults, "identification": 0.5, "aggregation": 0.8}
    probabilities = ("identification", "aggregation")

    def __init__(self, **parameters):
        warnings.warn(_META_IDENTITY_REPLACED, DeprecationWarning, stacklevel=2)
        super().__init__(**parameters)

    def table(self, context):
        w, a = self.identification, self.aggregation

        def give(org, person, v):
            reframed = org + a * (1 - org) * person
            return v * reframed + (1 - v) * person

        return combine(*self.parts(context), give, w)
