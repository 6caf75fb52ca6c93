"""Automata that leave the alliance, shared by the tests of several modules."""

from __future__ import annotations

import numpy as np

from learning_dilemma.players.automaton import table
from learning_dilemma.players.player import Automaton

__all__ = ["Wanderer", "WalksOut"]


class Wanderer(Automaton):
    """Memoryless: leaves with probability ``q`` each round, otherwise gives with ``p``."""

    name = "Wanderer"
    defaults = {"p": 1.0, "q": 0.1}
    probabilities = ("p", "q")

    def table(self, context):
        return table(context, [self.p], np.zeros((1, 2, 2), dtype=int), 0, ("only",), leave=[self.q])


class WalksOut(Automaton):
    """Gives until the partner's first take, then leaves the alliance."""

    name = "Walks Out"

    def table(self, context):
        return table(context, [1.0, 1.0], [[[1, 0], [1, 0]], [[1, 1], [1, 1]]], 0, ("trusting", "wronged"),
                     leave=[0.0, 1.0])
