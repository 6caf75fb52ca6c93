"""Shared fixtures of the exact engine's tests: games with knowledge stakes (where
power acts), an automaton whose chain against Grudger is reducible and periodic,
and a Cesaro mean by powers."""

from __future__ import annotations

import numpy as np

from learning_dilemma import Automaton, LearningGame
from learning_dilemma.games import Knowledge, Ties
from learning_dilemma.players.automaton import table

__all__ = ["P", "POWER", "R", "RELATION", "S", "T", "Committer", "as_dense", "cesaro_by_powers"]

# Axelrod's stage payoffs, the default game's (no stakes, full overlap).
R, S, T, P = 3.0, 0.0, 5.0, 1.0

# Power acts only through knowledge stakes (power from dependence, Emerson 1962):
# a game where it moves payoffs.
POWER = LearningGame(knowledge=Knowledge(levels=3, pace=0.5)).with_power(strength=0.6)

# Every part of the relation at once: stakes, ties (with tacitness), partial
# overlap and power.
RELATION = LearningGame(knowledge=Knowledge(levels=3, pace=0.4), ties=Ties(levels=2),
                        overlap=0.7).with_power(strength=0.7)


class Committer(Automaton):
    """Decides once, in its first round: after a give it alternates give/take for
    ever, after a take it takes for ever. Against Grudger the chain has two closed
    classes (one of period 2; with knowledge stakes the alternation teaches and
    ends the race instead) and which one the match ends in is random."""

    name = "Committer"
    defaults = {"p": 0.4}
    probabilities = ("p",)

    def table(self, context):
        next_state = np.zeros((4, 2, 2), dtype=int)
        next_state[0, 1, :] = 1  # gave first: alternate, starting with a give
        next_state[0, 0, :] = 3  # took first: take for ever
        next_state[1], next_state[2], next_state[3] = 2, 1, 3
        return table(context, [self.p, 1.0, 0.0, 0.0], next_state, 0,
                     ("undecided", "give next", "take next", "taker"))


def as_dense(matrix):
    return matrix if isinstance(matrix, np.ndarray) else matrix.toarray()


def cesaro_by_powers(chain, rounds):
    """``(1/T) sum_{t<T} e_0 M^t`` by repeated vector-matrix products."""
    transitions = as_dense(chain.transitions)
    distribution = np.zeros(chain.size)
    distribution[chain.start] = 1.0
    total = np.zeros(chain.size)
    for _ in range(rounds):
        total += distribution
        distribution = distribution @ transitions
    return total / rounds
