"""Larsson et al.'s (1998) five interorganisational learning strategies.

Larsson, Bengtsson, Henriksson & Sparks (1998) place each organisation in an
alliance on two dimensions taken from Hamel (1991): transparency (how openly it
shares) and receptivity (how much of the partner's knowledge it can absorb).
The five combinations are collaboration, competition, compromise,
accommodation and avoidance. Seed 001, section 3 (footnote 2 defines both
dimensions) and Figure 1, rows 9 and 14.

Each strategy here gives with probability ``transparency`` every round,
whatever the partner does, and absorbs with its ``receptivity``. Avoidance
does not partner at all: it leaves the alliance (the loner of Hauert et al.
2002), as the second edition reads Larsson et al.'s avoidance (not partnering,
not exploiting: issue 15).
"""

from __future__ import annotations

import numpy as np

from ..players.automaton import memoryless, table
from ..players.player import Automaton

__all__ = [
    "Accommodation", "Avoidance", "Collaboration", "Competition", "Compromise", "HIGH", "LOW", "MEDIUM"
]

HIGH, MEDIUM, LOW = 0.9, 0.5, 0.1


class _LarssonStrategy(Automaton):
    family = "larsson"
    source = "Larsson et al. (1998); seed 001 s.3"
    probabilities = ("transparency",)

    def table(self, context):
        return memoryless(context, self.transparency)


class Collaboration(_LarssonStrategy):
    """High transparency, high receptivity: gives and learns openly."""

    name = "Collaboration"
    description = "High transparency and high receptivity."
    defaults = {"transparency": HIGH, "receptivity": HIGH}


class Competition(_LarssonStrategy):
    """Low transparency, high receptivity: the race to learn (Hamel 1991)."""

    name = "Competition"
    description = "Low transparency, high receptivity: learns without sharing."
    defaults = {"transparency": LOW, "receptivity": HIGH}


class Compromise(_LarssonStrategy):
    """Moderate transparency and receptivity."""

    name = "Compromise"
    description = "Moderate transparency and moderate receptivity."
    defaults = {"transparency": MEDIUM, "receptivity": MEDIUM}


class Accommodation(_LarssonStrategy):
    """High transparency, low receptivity: shares but learns little."""

    name = "Accommodation"
    description = "High transparency, low receptivity: shares but absorbs little."
    defaults = {"transparency": HIGH, "receptivity": LOW}


class Avoidance(_LarssonStrategy):
    """Low transparency, low receptivity: stays out of the alliance.

    Larsson et al.'s (1998) avoidance neither shares nor learns; the seeds'
    drift "from mutual collaboration to mutual avoidance" (seed 001, section
    3) is disengagement. It leaves the alliance with probability ``withdrawal``
    in each round it is in it (both sides then earn the status quo, the loner
    payoff of Hauert et al. 2002) and otherwise gives with ``transparency``.
    With ``withdrawal = 0`` it is the first edition's Avoidance, a rare giver.

    Parameters
    ----------
    withdrawal : float
        Probability of leaving in each round; 1 (the default) never partners.
    """

    name = "Avoidance"
    description = "Low transparency and low receptivity: leaves the alliance rather than partner."
    defaults = {"transparency": LOW, "receptivity": LOW, "withdrawal": 1.0}
    probabilities = ("transparency", "withdrawal")

    def table(self, context):
        return table(context, [self.transparency], np.zeros((1, 2, 2), dtype=int), 0, ("only",),
                     leave=[self.withdrawal])
