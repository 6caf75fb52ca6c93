"""Organisational strategies: the organisation as a calculating actor.

These stand for the interorganisational level of the learning dilemma, where
Larsson et al. (1998) locate the temptation "to take more than it gives" and
Hamel (1991) the race to learn; seed 001, sections 3 and 5 (Figure 1, rows 1-3)
and seed 000, section 5 (habitual avoidance of a partner).
"""

from __future__ import annotations

import numpy as np

from ..players.automaton import MatchContext, memoryless, reactive, table
from ..games import race_over, stage_payoff, stakes_transitions
from ..players.player import Automaton

__all__ = [
    "Calculative", "calculative_gives", "ContractualReciprocator", "HabitualAvoidance", "Opportunist",
    "RaceToLearn"
]


class Opportunist(Automaton):
    """Always takes: the organisation that puts its own share of the joint
    learning first (Larsson et al. 1998, "take but rather not give"; seed 001,
    section 3). Axelrod's Defector under the learning game."""

    name = "Opportunist"
    family = "organisational"
    description = "Always takes: maximises its own share of the joint learning."
    source = "Larsson et al. (1998); seed 001 s.3"

    def table(self, context):
        return memoryless(context, 0.0)


class RaceToLearn(Automaton):
    """Races to learn: probes by taking while behind, and leaves once it is ahead.

    Hamel's (1991) race to learn: the faster learner wins bargaining power, and
    once it has learned what it needed the partner is dispensable (seed 001,
    section 3, "power dynamics"; Figure 1, row 1; Inkpen & Beamish 1997). While
    it is not yet ``target`` levels ahead in the race (its power position
    ``z = K_partner - K_own``), it gives to keep the partner transparent but
    takes with probability ``probe`` to absorb without reciprocating; once
    ahead it leaves the alliance. Without knowledge stakes nobody is ever ahead,
    so it stays a mostly giving prober.

    Parameters
    ----------
    target : int
        Levels of lead at which it leaves (>= 1).
    probe : float
        Probability of taking while not yet ahead.
    """

    name = "Race To Learn"
    family = "organisational"
    description = "Gives but probes by taking while behind in the race; leaves once it is ahead."
    source = "Hamel (1991); seed 001 s.3"
    defaults = {"target": 1, "probe": 0.2}
    probabilities = ("probe",)

    def validate(self):
        self.require_whole("target", 1)

    def table(self, context):
        behind = lambda z: (z < self.target).astype(float)  # noqa: E731
        return table(context, [lambda z: behind(z) * (1.0 - self.probe)], np.zeros((1, 2, 2), dtype=int), 0,
                     ("racing",), leave=[lambda z: 1.0 - behind(z)])


def alliance_survival(context: MatchContext, receptivity: float) -> np.ndarray:
    """Probability, per view, that a round of mutual giving leaves the alliance open.

    A side on its last level of stakes learns it with probability ``r pace``
    and the race is over (:mod:`learning_dilemma.games.knowledge`); the
    calculative organisation assumes the partner's receptivity equals its own.
    1 everywhere with stakes off.
    """
    knowledge = context.game.knowledge
    if not knowledge.active:
        return np.ones_like(context.positions, dtype=float)
    # the stakes rule and the end of the race, from games.knowledge: both gives transfer
    survival = np.zeros(len(context.positions))
    for own, p_own in stakes_transitions(context.own_stakes, 1, receptivity, knowledge):
        for partner, p_partner in stakes_transitions(context.partner_stakes, 1, receptivity, knowledge):
            survival += p_own * p_partner * ~race_over(own, partner, knowledge)
    return survival


def calculative_gives(context: MatchContext, receptivity: float) -> np.ndarray:
    """Whether giving pays against a reciprocating partner, per view.

    The one-round gain from taking, ``T_z - R_z``, is weighed against the loss
    of one round of retaliation, ``R_z - S_z``, discounted by the shadow of the
    future and by the chance that the alliance survives the round, which falls
    as the stakes run out (Larsson et al. 1998: high learning stakes empower
    cooperation). Payoffs are at the current power split of the created
    value. With stakes off this is Axelrod's (1984) condition for tit for tat,
    ``w >= (T - R)/(R - S)``.
    """
    game, z = context.game, np.asarray(context.positions)
    R = stage_payoff(game, 1, 1, 1, 1, receptivity, receptivity, z)
    S = stage_payoff(game, 1, 0, 1, 0, receptivity, receptivity, z)
    T = stage_payoff(game, 0, 1, 0, 1, receptivity, receptivity, z)
    shadow = context.continuation * alliance_survival(context, receptivity)
    return (T - R <= shadow * (R - S)).astype(float)


class Calculative(Automaton):
    """Reciprocates, but takes whenever a power-adjusted calculation says so.

    The calculative organisation of Larsson et al. (1998) weighing the
    short-term gain of opportunism against the shadow of the future (Axelrod
    1984; seed 001, section 3 and Figure 1, rows 1-2). It opens by giving,
    answers a take with a take, and after a give it gives only if
    ``T_z - R_z <= w q (R_z - S_z)`` at its current power position ``z``, where
    ``w`` is the match's shadow of the future and ``q`` the chance that the
    alliance survives a round of mutual giving (:func:`alliance_survival`: it
    weighs the stakes left).
    """

    name = "Calculative"
    family = "organisational"
    description = "Reciprocates, but takes when the one-round gain beats the shadow-weighted loss."
    source = "Larsson et al. (1998); Axelrod (1984); seed 001 s.3"

    def table(self, context):
        gives = calculative_gives(context, self.receptivity)
        return reactive(context, 1.0, gives, 0.0)


class ContractualReciprocator(Automaton):
    """Gives first, then does what the partner did last round (tit for tat).

    Contractual, formal reciprocity between organisations: a continuous alliance
    contract under which each side matches the other (seed 000, section 3; seed
    001, section 3, Axelrod 1984).
    """

    name = "Contractual Reciprocator"
    family = "organisational"
    description = "Tit for tat: gives first, then mirrors the partner's last move."
    source = "Axelrod (1984); seed 000 s.3"

    def table(self, context):
        return reactive(context, 1.0, 1.0, 0.0)


class HabitualAvoidance(Automaton):
    """Avoids the partner out of habit until it has proof of reciprocity.

    Seed 000 (section 5, identity segregation) describes ITCOM's service units
    disqualifying Bencons as a partner without a rational reason beyond lacking
    experience together: avoidance as habitual practice. The organisation takes
    (gives with probability ``openness``) until the partner has given
    ``proof`` rounds in a row; then it reciprocates, and one take sends it back
    to avoidance. Prior rounds of mutual giving count as proof, so prior
    relations (Axelrod 1984) dissolve the habit.

    It still avoids by taking, not by leaving: an exit is for good (it ends the
    alliance for both), so a habit that left could never be dissolved by proof
    within the relation. Seed 000's habit forms across opportunities and
    partners (the hot-stove lock-in of Denrell & March 2001), which needs
    partner choice in a population; that is the knowledge-sharing network's
    (issue 17), where avoidance becomes not choosing the partner.

    Parameters
    ----------
    proof : int
        Consecutive partner gives needed before it engages (>= 1).
    openness : float
        Probability of giving while avoiding.
    """

    name = "Habitual Avoidance"
    family = "organisational"
    description = "Takes by habit until the partner has given several rounds in a row."
    source = "Titre & Soekijad, seed 000 s.5"
    defaults = {"proof": 3, "openness": 0.0}
    probabilities = ("openness",)

    def validate(self):
        self.require_whole("proof", 1, sizes_table=True)

    def table(self, context):
        engaged = self.proof
        # States 0..proof-1 count the partner's consecutive gives; ``proof`` is engaged.
        next_state = np.zeros((engaged + 1, 2, 2), dtype=int)
        for state in range(engaged + 1):
            next_state[state, :, 1] = min(state + 1, engaged)
        give = [self.openness] * engaged + [1.0]
        names = [f"avoiding ({k} gives seen)" for k in range(engaged)] + ["engaged"]
        return table(context, give, next_state, 0, names)
