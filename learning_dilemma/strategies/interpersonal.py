"""Interpersonal strategies: people in knowledge-sharing networks.

Seed 001 argues that individuals in knowledge-sharing networks do not live the
learning dilemma as their organisations do: personal trust, peer recognition,
reputation and informal know-how trading (von Hippel 1987) carry cooperation
where organisational calculation would take (seed 001, sections 4-6; Figure 1,
rows 2, 7, 11, 16).
"""

from __future__ import annotations

import numpy as np

from ..players.automaton import reactive, table
from ..errors import ParameterError
from ..players.player import Automaton

__all__ = ["Expert", "ForgivingColleague", "KnowHowTrader", "Peer", "TrustBuilder"]


class TrustBuilder(Automaton):
    """Affective trust that rises slowly with giving and falls fast when exploited.

    Personal trust and recognition ease learning between people (Larsson et al.
    1998; seed 001, section 3 and Figure 1, row 16; the Delta case, section 6).
    Trust is a level ``0..levels``. The person gives with probability
    ``min(1, level / confident)``: certainly once trust reaches ``confident``,
    hesitantly below it, never at zero. A partner's give raises trust by one
    step; a take after the person gave (being exploited) lowers it by ``drop``
    steps; a take after a take lowers it by one.

    Parameters
    ----------
    levels : int
        Number of trust steps above zero (>= 1).
    initial : int
        Starting trust level, in ``[0, levels]``.
    confident : int
        Trust level from which it always gives, in ``[1, levels]``.
    drop : int
        Steps lost when exploited (>= 1).
    """

    name = "Trust Builder"
    family = "interpersonal"
    description = "Trust rises slowly with mutual giving and falls fast when exploited."
    source = "Larsson et al. (1998); seed 001 s.3, s.6"
    defaults = {"levels": 4, "initial": 3, "confident": 2, "drop": 2}

    def validate(self):
        self.require_whole("levels", 1, sizes_table=True)
        self.require_whole("drop", 1)
        self.require_whole("initial", 0)
        self.require_whole("confident", 1)
        for key in ("initial", "confident"):
            if self.parameters[key] > self.levels:
                raise ParameterError(
                    f"{self.name}: {key} must be <= levels ({self.levels}), got {self.parameters[key]}"
                )

    def table(self, context):
        levels = np.arange(self.levels + 1)
        next_state = np.empty((len(levels), 2, 2), dtype=int)
        next_state[:, :, 1] = np.minimum(levels + 1, self.levels)[:, None]
        next_state[:, 1, 0] = np.maximum(levels - self.drop, 0)
        next_state[:, 0, 0] = np.maximum(levels - 1, 0)
        give = list(np.minimum(1.0, levels / self.confident))
        return table(context, give, next_state, self.initial, [f"trust {k}" for k in levels])


class Peer(Automaton):
    """Gives to partners who stay comparable; withholds once one pulls ahead.

    Members of a knowledge-sharing network recognise each other as peers (seed
    001, section 4; the Delta institutes, section 6); sharing lasts while
    neither side gains the upper hand. The peer reciprocates like tit for tat,
    and gives only while the power position ``z = K_partner - K_own`` is within
    ``tolerance`` levels of parity, on either side (neither has learned much
    more than the other).

    Parameters
    ----------
    tolerance : int
        Largest ``|z|`` at which it still gives (>= 0).
    """

    name = "Peer"
    family = "interpersonal"
    description = "Reciprocates while power stays near parity; withholds when one pulls ahead."
    source = "seed 001 s.4, s.6"
    defaults = {"tolerance": 1}

    def validate(self):
        self.require_whole("tolerance", 0)

    def table(self, context):
        at_parity = lambda z: (np.abs(z) <= self.tolerance).astype(float)  # noqa: E731
        return reactive(context, at_parity, at_parity, 0.0)


class Expert(Automaton):
    """Shares generously, secure in a personal reputation.

    An expert whose standing rests on being known as knowledgeable (von Hippel
    1987; seed 001, section 4) gives after the partner gives and, after a take,
    still gives with probability ``generosity``: forgiveness costs it little.

    Parameters
    ----------
    generosity : float
        Probability of giving after the partner took.
    """

    name = "Expert"
    family = "interpersonal"
    description = "Secure in personal reputation: gives, and forgives a take generously."
    source = "von Hippel (1987); seed 001 s.4"
    defaults = {"generosity": 0.5}
    probabilities = ("generosity",)

    def table(self, context):
        return reactive(context, 1.0, 1.0, self.generosity)


class KnowHowTrader(Automaton):
    """Trades know-how reciprocally but keeps crucial knowledge back.

    Von Hippel (1987): engineers of rival firms trade know-how informally,
    sharing what is useful but not crucial to their employer (seed 001, section
    4; Figure 1, row 11). The trader reciprocates like tit for tat, but each
    round it would give, the knowledge asked for is crucial with probability
    ``cruciality`` and it takes instead.

    Parameters
    ----------
    cruciality : float
        Probability that the knowledge at stake is crucial and withheld.
    """

    name = "Know-How Trader"
    family = "interpersonal"
    description = "Reciprocates, but withholds crucial knowledge with some probability."
    source = "von Hippel (1987); seed 001 s.4"
    defaults = {"cruciality": 0.2}
    probabilities = ("cruciality",)

    def table(self, context):
        trade = 1.0 - self.cruciality
        return reactive(context, trade, trade, 0.0)


class ForgivingColleague(Automaton):
    """Bears with a partner's takes until ``patience`` come in a row.

    A colleague in a long-term network who reads an occasional take as an
    accident, not a betrayal (seed 001, section 6, the Delta programme's
    long-term orientation; Figure 1, row 2). It takes only after ``patience``
    consecutive takes and gives again as soon as the partner gives. With
    ``patience = 2`` this is tit for two tats (Axelrod 1984).

    Parameters
    ----------
    patience : int
        Consecutive takes it tolerates before taking (>= 1).
    """

    name = "Forgiving Colleague"
    family = "interpersonal"
    description = "Takes only after several takes in a row; gives again at once."
    source = "Axelrod (1984); seed 001 s.6"
    defaults = {"patience": 2}

    def validate(self):
        self.require_whole("patience", 1, sizes_table=True)

    def table(self, context):
        run = np.arange(self.patience + 1)
        next_state = np.empty((len(run), 2, 2), dtype=int)
        next_state[:, :, 1] = 0
        next_state[:, :, 0] = np.minimum(run + 1, self.patience)[:, None]
        give = [1.0] * self.patience + [0.0]
        return table(context, give, next_state, 0, [f"{k} takes in a row" for k in run])
