"""Multilevel strategies: a person acting for an organisation.

Seed 000 shows boundary spanners in coopetitive alliances holding conflicting
identities (explorative or exploitative, independent or committed, fearing
malfeasance) and coping with them by identity segregation (Chinese walls,
avoidance) or identity aggregation (a meta-identity, multi-vocality), after
Pratt & Foreman (2000). Seed 001 (sections 4-6) argues the interpersonal level
can carry cooperation the organisational level would not.

Each strategy here combines an organisational policy and a person's own
dynamic, both automata, into one product automaton whose state is the pair of
their states; both observe every round. Strategies may nest (a spanner whose
organisation is itself a spanner...) up to the ``nesting`` resource limit
(:mod:`learning_dilemma.limits`), checked when the strategy is made.
"""

from __future__ import annotations

import numpy as np

from ..players.automaton import AutomatonTable
from ..errors import ParameterError
from ..limits import check
from ..players.player import Automaton, Player
from .interpersonal import TrustBuilder
from .organisational import Calculative

__all__ = ["BoundarySpanner", "ChineseWall", "combine", "MetaIdentity", "nesting_depth"]


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

    Parameters
    ----------
    organisation, person : Automaton
        The organisation's policy (default :class:`Calculative`) and the
        person's dynamic (default :class:`TrustBuilder`).
    identification : float
        Probability of acting as the organisation.
    """

    name = "Boundary Spanner"
    description = "Follows the organisation with probability `identification`, the person otherwise."
    source = "Titre & Soekijad, seed 000 s.2, s.5"
    defaults = {**_Spanner.defaults, "identification": 0.5}
    probabilities = ("identification",)

    def table(self, context):
        w = self.identification
        return combine(*self.parts(context), lambda org, person, v: v * org + (1 - v) * person, w)


class ChineseWall(_Spanner):
    """Identity segregation: crucial matters follow the organisation, the rest the person.

    Seed 000 (section 5) describes Chinese walls that keep competitive and
    cooperative identities apart. Knowledge at stake is crucial with
    probability ``crucial`` (von Hippel 1987); crucial rounds follow the
    organisation's policy in full, the rest the person's dynamic in full, so
    neither identity dilutes the other.

    Parameters
    ----------
    organisation, person : Automaton
    crucial : float
        Share of rounds whose knowledge is crucial to the organisation.
    """

    name = "Chinese Wall"
    description = "Identity segregation: crucial rounds follow the organisation, others the person."
    source = "Titre & Soekijad, seed 000 s.5 (identity segregation)"
    defaults = {**_Spanner.defaults, "crucial": 0.3}
    probabilities = ("crucial",)

    def table(self, context):
        k = self.crucial
        return combine(*self.parts(context), lambda org, person, v: v * org + (1 - v) * person, k)


class MetaIdentity(_Spanner):
    """Identity aggregation: giving is reframed as serving the organisation.

    Seed 000 (section 5) describes a meta-identity and multi-vocal policies that
    let a spanner read the organisation's interest so that sharing with the
    partner serves it. When the spanner acts for the organisation
    (probability ``identification``), a take the policy calls for becomes a give
    with probability ``aggregation`` times the person's own give probability;
    otherwise the person's dynamic applies.

    Parameters
    ----------
    organisation, person : Automaton
    identification : float
        Probability of acting as the organisation.
    aggregation : float
        Strength of the meta-identity, in [0, 1].
    """

    name = "Meta-Identity"
    description = "Identity aggregation: reframes giving as serving the organisation."
    source = "Titre & Soekijad, seed 000 s.5 (identity aggregation)"
    defaults = {**_Spanner.defaults, "identification": 0.5, "aggregation": 0.8}
    probabilities = ("identification", "aggregation")

    def table(self, context):
        w, a = self.identification, self.aggregation

        def give(org, person, v):
            reframed = org + a * (1 - org) * person
            return v * reframed + (1 - v) * person

        return combine(*self.parts(context), give, w)
