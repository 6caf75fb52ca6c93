"""Classic strategies of the iterated prisoner's dilemma, as automata.

Textbook strategies (Axelrod 1984; Nowak & Sigmund 1992, 1993; Press & Dyson
2012; Stewart & Plotkin 2012) with axelrod's names and first moves, so the
learning game can be checked against axelrod where the models coincide (power
off, receptivity 1, no tacitness) and benchmarked on the same round robin.
"""

from __future__ import annotations

import numpy as np

from ..players.automaton import memory_one, memoryless, reactive, table
from ..errors import ParameterError
from ..players.player import Automaton

__all__ = [
    "Alternator", "Cooperator", "Defector", "Grudger", "GTFT", "HardTitForTat", "RandomPlayer",
    "SuspiciousTitForTat", "TitForTat", "TitForTwoTats", "WinStayLoseShift", "ZDExtort2"
]


class _Classic(Automaton):
    family = "classic"


class Cooperator(_Classic):
    """Always gives (axelrod's Cooperator)."""

    name = "Cooperator"
    description = "Always gives."
    source = "Axelrod (1984)"

    def table(self, context):
        return memoryless(context, 1.0)


class Defector(_Classic):
    """Always takes (axelrod's Defector)."""

    name = "Defector"
    description = "Always takes."
    source = "Axelrod (1984)"

    def table(self, context):
        return memoryless(context, 0.0)


class TitForTat(_Classic):
    """Gives first, then copies the partner's last move (Rapoport; Axelrod 1984)."""

    name = "Tit For Tat"
    description = "Gives first, then copies the partner's last move."
    source = "Axelrod (1984)"

    def table(self, context):
        return reactive(context, 1.0, 1.0, 0.0)


class SuspiciousTitForTat(_Classic):
    """Takes first, then copies the partner's last move."""

    name = "Suspicious Tit For Tat"
    description = "Takes first, then copies the partner's last move."
    source = "Beaufils et al. (1997)"

    def table(self, context):
        return reactive(context, 0.0, 1.0, 0.0)


class Grudger(_Classic):
    """Gives until the partner takes once, then takes for ever (Friedman's grim trigger)."""

    name = "Grudger"
    description = "Gives until the partner takes once, then always takes."
    source = "Axelrod (1984)"

    def table(self, context):
        next_state = np.array([[[1, 0], [1, 0]], [[1, 1], [1, 1]]])
        return table(context, [1.0, 0.0], next_state, 0, ("trusting", "grudge"))


class TitForTwoTats(_Classic):
    """Takes only after the partner took twice in a row (Axelrod 1984)."""

    name = "Tit For 2 Tats"
    description = "Takes only after the partner took twice in a row."
    source = "Axelrod (1984)"

    def table(self, context):
        # State = the partner's current run of takes, capped at 2.
        next_state = np.array([[[min(s + 1, 2), 0]] * 2 for s in range(3)])
        return table(context, [1.0, 1.0, 0.0], next_state, 0, ("no take", "one take", "two takes"))


class WinStayLoseShift(_Classic):
    """Repeats its move after R or T, switches after S or P (Nowak & Sigmund 1993)."""

    name = "Win-Stay Lose-Shift"
    description = "Keeps its move after a good round, switches after a bad one (Pavlov)."
    source = "Nowak & Sigmund (1993)"

    def table(self, context):
        return memory_one(context, 1.0, 1.0, 0.0, 0.0, 1.0)


class GTFT(_Classic):
    """Generous tit for tat: forgives a take with probability ``p``.

    The default ``p = min(1 - (T-R)/(R-S), (R-P)/(T-P))`` (Nowak & Sigmund
    1992) is computed from the game's stage payoffs, as axelrod does.
    """

    name = "GTFT"
    description = "Tit for tat that forgives a take with probability p."
    source = "Nowak & Sigmund (1992)"
    defaults = {"p": None}

    def validate(self):
        p = self.parameters["p"]
        if p is not None and not (isinstance(p, (int, float)) and 0 <= p <= 1):
            raise ParameterError(f"{self.name}: p must be in [0, 1], got {p!r}")

    def generosity(self, context) -> float:
        if self.p is not None:
            return float(self.p)
        R, S, T, P = context.game.rstp()
        return min(1 - (T - R) / (R - S), (R - P) / (T - P))

    def table(self, context):
        return reactive(context, 1.0, 1.0, self.generosity(context))


class RandomPlayer(_Classic):
    """Gives with probability ``p`` each round, regardless of anything."""

    name = "Random"
    description = "Gives with probability p each round."
    source = "Axelrod (1984)"
    defaults = {"p": 0.5}
    probabilities = ("p",)

    def table(self, context):
        return memoryless(context, self.p)


class Alternator(_Classic):
    """Gives first, then plays the opposite of its own last move (as axelrod's),
    so after a failed give it gives again."""

    name = "Alternator"
    description = "Plays the opposite of its own last move, starting with give."
    source = "Axelrod (1984)"

    def table(self, context):
        # The next state follows its own move as played: after a take, give.
        next_state = np.array([[[0, 0], [1, 1]]] * 2)
        return table(context, [1.0, 0.0], next_state, 0, ("give next", "take next"))


class HardTitForTat(_Classic):
    """Takes if the partner took in any of the last three rounds."""

    name = "Hard Tit For Tat"
    description = "Takes if the partner took in any of the last three rounds."
    source = "Axelrod (1984)"

    def table(self, context):
        # State bits: the partner's last three moves, 1 where it took.
        states = np.arange(8)
        next_state = np.empty((8, 2, 2), dtype=int)
        for partner in (0, 1):
            next_state[:, :, partner] = (((states << 1) | (1 - partner)) & 7)[:, None]
        give = [1.0 if s == 0 else 0.0 for s in states]
        return table(context, give, next_state, 0, [f"takes seen {s:03b}" for s in states])


class ZDExtort2(_Classic):
    """Extortionate zero-determinant strategy (Press & Dyson 2012; Stewart & Plotkin 2012).

    The linear-relation parameterisation of Hilbe et al. (2013) with
    ``l = P``, ``phi = 1/9``, ``s = 1/2``, as axelrod's ZD-Extort-2.
    """

    name = "ZD-Extort-2"
    description = "Extortionate zero-determinant strategy (chi = 2)."
    source = "Press & Dyson (2012); Stewart & Plotkin (2012)"
    defaults = {"phi": 1 / 9, "s": 0.5}

    def table(self, context):
        R, S, T, P = context.game.rstp()
        phi, s, l = self.phi, self.s, P
        vector = (
            1 - phi * (1 - s) * (R - l),
            1 - phi * (s * (l - S) + (T - l)),
            phi * ((l - S) + s * (T - l)),
            phi * (1 - s) * (l - P),
        )
        if not all(0 <= p <= 1 for p in vector):
            raise ParameterError(f"{self.label}: phi and s give probabilities outside [0, 1] for this game")
        return memory_one(context, 1.0, *vector)
