"""Classic strategies of the iterated prisoner's dilemma, as automata.

Textbook strategies (Axelrod 1984; Nowak & Sigmund 1992, 1993; Press & Dyson
2012; Stewart & Plotkin 2012) with axelrod's names and first moves, so the
learning game can be checked against axelrod where the models coincide (full
overlap, no knowledge stakes, no exits, receptivity 1, no tacitness; power then
moves no payoff) and benchmarked on the same round robin.
"""

from __future__ import annotations

import numpy as np

from ..players.automaton import memory_one, memoryless, reactive, table
from ..errors import ParameterError
from ..players.player import Automaton

__all__ = [
    "Alternator", "Cooperator", "Defector", "Grudger", "GTFT", "HardTitForTat", "largest_phi", "MemoryOne",
    "RandomPlayer", "SuspiciousTitForTat", "TitForTat", "TitForTwoTats", "WinStayLoseShift", "ZDExtort2",
    "ZeroDeterminant", "zero_determinant_vector",
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
    1992) is computed from the game's stage payoffs, as axelrod does. Outside
    a prisoner's dilemma (e.g. at a low competitive overlap, where ``T < R``)
    the formula leaves [0, 1]; it is clipped to it (full generosity where
    taking does not tempt), our choice.
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
        forgive = 1 - (T - R) / (R - S) if R > S else 0.0
        reward = (R - P) / (T - P) if T > P else 1.0
        return float(np.clip(min(forgive, reward), 0.0, 1.0))

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


class MemoryOne(_Classic):
    """A memory-one strategy from its four probabilities (Nowak & Sigmund 1993).

    ``MemoryOne(p_gg, p_gt, p_tg, p_tt, first=1.0)``: the probability of giving
    after each outcome (own move, partner's move) of the last round, and in the
    first round. This is axelrod's ``MemoryOnePlayer`` four-vector
    ``(p_CC, p_CD, p_DC, p_DD)`` in our move names. The default is tit for tat.

    Examples
    --------
    >>> MemoryOne(1, 0, 1, 0).label
    'Memory One'
    >>> MemoryOne(0.9, 0.1, 0.8, 0.2, first=0.5).four_vector
    (0.9, 0.1, 0.8, 0.2)
    """

    name = "Memory One"
    description = "Gives with a probability set by the last round's outcome (its four-vector)."
    source = "Nowak & Sigmund (1993); Press & Dyson (2012)"
    defaults = {"p_gg": 1.0, "p_gt": 0.0, "p_tg": 1.0, "p_tt": 0.0, "first": 1.0}
    probabilities = ("p_gg", "p_gt", "p_tg", "p_tt", "first")

    def __init__(self, p_gg=1.0, p_gt=0.0, p_tg=1.0, p_tt=0.0, first=1.0, **parameters):
        super().__init__(p_gg=p_gg, p_gt=p_gt, p_tg=p_tg, p_tt=p_tt, first=first, **parameters)

    @property
    def four_vector(self) -> tuple:
        """``(p_gg, p_gt, p_tg, p_tt)``, axelrod's ``(p_CC, p_CD, p_DC, p_DD)``."""
        return tuple(self.parameters[k] for k in ("p_gg", "p_gt", "p_tg", "p_tt"))

    def table(self, context):
        return memory_one(context, self.first, *self.four_vector)


def zero_determinant_vector(game, baseline: float, slope: float, phi: float) -> tuple:
    """The four-vector of the zero-determinant strategy with baseline ``l``,
    slope ``s`` and scale ``phi`` in ``game``'s stage payoffs at parity
    (``z = 0``, every give transferring).

    Against any opponent the strategy enforces ``pi_Y - l = s (pi_X - l)``
    between the long-run payoffs per round of the opponent (Y) and itself (X)
    (Press & Dyson 2012; this parameterisation: Hilbe, Nowak & Sigmund 2013,
    eq. 3; axelrod's ``LRPlayer``)::

        p_GG = 1 - phi (1 - s) (R - l)
        p_GT = 1 - phi (s (l - S) + (T - l))
        p_TG = phi ((l - S) + s (T - l))
        p_TT = phi (1 - s) (l - P)
    """
    R, S, T, P = game.rstp()
    l, s = baseline, slope
    return (
        1 - phi * (1 - s) * (R - l),
        1 - phi * (s * (l - S) + (T - l)),
        phi * ((l - S) + s * (T - l)),
        phi * (1 - s) * (l - P),
    )


def largest_phi(game, baseline: float, slope: float) -> float:
    """The largest ``phi`` for which :func:`zero_determinant_vector` holds
    probabilities, 0 if none does.

    Each entry is linear in ``phi`` and sits at a bound of [0, 1] at ``phi = 0``
    (at ``(1, 1, 0, 0)``): the first two fall from 1 at their rates, the last two
    rise from 0 at theirs. A negative rate would push an entry out of [0, 1] for
    every ``phi > 0``, so no strategy with this baseline and slope exists.
    """
    R, S, T, P = game.rstp()
    l, s = baseline, slope
    rates = ((1 - s) * (R - l), s * (l - S) + (T - l), (l - S) + s * (T - l), (1 - s) * (l - P))
    if min(rates) < 0:
        return 0.0
    return min((1.0 / r for r in rates if r > 0), default=np.inf)


class ZeroDeterminant(_Classic):
    """A zero-determinant strategy from its baseline, slope and scale.

    It enforces ``pi_Y - l = s (pi_X - l)`` on the long-run payoffs per round of
    any opponent Y and itself X (Press & Dyson 2012; Stewart & Plotkin 2012;
    Hilbe, Nowak & Sigmund 2013). Use the named constructors
    :meth:`extortionate`, :meth:`generous` and :meth:`equalizer`; ``phi=None``
    takes half the largest feasible scale for the game (axelrod's ZD-Extort-2
    is ``extortionate(chi=2)`` in Axelrod's payoffs, with ``phi = 1/9``).

    Parameters
    ----------
    baseline : float
        ``l``; ``None`` for the game's ``P`` (extortion).
    slope : float
        ``s`` in [-1, 1]; ``chi = 1/s`` is the extortion factor.
    phi : float, optional
        Scale, in ``(0, largest_phi]``.
    """

    name = "Zero Determinant"
    description = "Enforces a linear relation between its own and the partner's payoffs."
    source = "Press & Dyson (2012); Stewart & Plotkin (2012); Hilbe, Nowak & Sigmund (2013)"
    defaults = {"baseline": None, "slope": 0.5, "phi": None, "first": 1.0}
    probabilities = ("first",)

    @classmethod
    def extortionate(cls, chi: float = 2.0, phi: float | None = None, **parameters) -> "ZeroDeterminant":
        """``pi_X - P = chi (pi_Y - P)``: the extortioner takes ``chi`` times the
        partner's surplus over mutual taking (Press & Dyson 2012); ``chi >= 1``."""
        return cls(baseline="P", slope=1.0 / _check_chi(chi), phi=phi, **parameters)

    @classmethod
    def generous(cls, chi: float = 2.0, phi: float | None = None, **parameters) -> "ZeroDeterminant":
        """``pi_X - R = chi (pi_Y - R)``: a generous strategy concedes ``chi``
        times the partner's shortfall below mutual giving (Stewart & Plotkin 2012)."""
        return cls(baseline="R", slope=1.0 / _check_chi(chi), phi=phi, **parameters)

    @classmethod
    def equalizer(cls, baseline: float, phi: float | None = None, **parameters) -> "ZeroDeterminant":
        """``pi_Y = l`` whatever the partner does, for ``P <= l <= R`` (Press & Dyson 2012)."""
        return cls(baseline=baseline, slope=0.0, phi=phi, **parameters)

    def validate(self):
        baseline, slope, phi = self.parameters["baseline"], self.parameters["slope"], self.parameters["phi"]
        if baseline not in (None, "P", "R") and not _is_number(baseline):
            raise ParameterError(f"{self.name}: baseline must be a number, 'P' or 'R', got {baseline!r}")
        if not _is_number(slope) or not -1 <= slope <= 1:
            raise ParameterError(f"{self.name}: slope must be in [-1, 1], got {slope!r}")
        if phi is not None and (not _is_number(phi) or phi <= 0):
            raise ParameterError(f"{self.name}: phi must be a number > 0, got {phi!r}")

    def relation(self, game) -> tuple[float, float, float]:
        """``(l, s, phi)`` in this game's payoffs, with ``phi`` checked."""
        R, S, T, P = game.rstp()
        baseline = self.parameters["baseline"]
        l = {None: P, "P": P, "R": R}.get(baseline, baseline)
        s = float(self.parameters["slope"])
        if not P <= l <= R and s == 0:
            raise ParameterError(f"{self.label}: an equalizer's baseline must lie in [P, R] = [{P:g}, {R:g}], got {l:g}")
        largest = largest_phi(game, l, s)
        if largest == 0:
            raise ParameterError(
                f"{self.label}: no zero-determinant strategy has baseline {l:g} and slope {s:g} in this game "
                "(some probability would leave [0, 1] for every phi > 0)"
            )
        phi = self.parameters["phi"]
        phi = largest / 2 if phi is None else float(phi)
        vector = zero_determinant_vector(game, l, s, phi)
        if not all(-1e-12 <= p <= 1 + 1e-12 for p in vector):
            raise ParameterError(
                f"{self.label}: phi must be in (0, {largest:.6g}] for this game (l={l:g}, s={s:g}), got {phi:g}"
            )
        return l, s, phi

    def four_vector(self, game) -> tuple:
        """The give probabilities after GG, GT, TG, TT in ``game``."""
        return tuple(float(np.clip(p, 0.0, 1.0)) for p in zero_determinant_vector(game, *self.relation(game)))

    def table(self, context):
        return memory_one(context, self.first, *self.four_vector(context.game))


def _check_chi(chi) -> float:
    if not _is_number(chi) or chi < 1:
        raise ParameterError(f"chi (the extortion factor) must be a number >= 1, got {chi!r}")
    return float(chi)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) and np.isfinite(value)


class ZDExtort2(_Classic):
    """Extortionate zero-determinant strategy (Press & Dyson 2012; Stewart & Plotkin 2012).

    The linear-relation parameterisation of Hilbe et al. (2013) with
    ``l = P``, ``phi = 1/9``, ``s = 1/2``, as axelrod's ZD-Extort-2.
    """

    name = "ZD-Extort-2"
    description = "Extortionate zero-determinant strategy (chi = 2)."
    source = "Press & Dyson (2012); Stewart & Plotkin (2012)"
    defaults = {"phi": 1 / 9, "s": 0.5}

    def relation(self, game) -> tuple[float, float, float]:
        """``(l, s, phi)``: baseline ``P``, as axelrod's ``LRPlayer``."""
        return game.rstp()[3], float(self.s), float(self.phi)

    def table(self, context):
        vector = zero_determinant_vector(context.game, context.game.rstp()[3], self.s, self.phi)
        if not all(0 <= p <= 1 for p in vector):
            raise ParameterError(f"{self.label}: phi and s give probabilities outside [0, 1] for this game")
        return memory_one(context, 1.0, *vector)
