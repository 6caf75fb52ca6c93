"""Larsson et al.'s five strategies: a transparency and a receptivity each."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import Match
from learning_dilemma.moves import EXIT
from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import Accommodation, Avoidance, Collaboration, Competition, Compromise

from scripted import Scripted

EXPECTED = {Collaboration: (0.9, 0.9), Competition: (0.1, 0.9), Compromise: (0.5, 0.5),
            Accommodation: (0.9, 0.1), Avoidance: (0.1, 0.1)}


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_gives_at_its_transparency_whatever_the_partner_does(cls):
    transparency, receptivity = EXPECTED[cls]
    player = cls() if cls is not Avoidance else Avoidance(withdrawal=0.0)  # the first edition's Avoidance
    assert (player.transparency, player.receptivity) == (transparency, receptivity)
    for script in ("G", "T"):
        batch = Match(player, Scripted(script=script), turns=100, seed=4, repetitions=100).play_batch()
        error = np.sqrt(transparency * (1 - transparency) / 10000)
        assert batch.give_rates[:, 0].mean() == pytest.approx(transparency, abs=4 * error)


def test_parameters_can_be_changed_and_are_checked():
    assert Match(Collaboration(transparency=1.0), Scripted(script="T"), turns=20, seed=1).play().give_rates[0] == 1.0
    with pytest.raises(ParameterError):
        Competition(transparency=1.2)


def test_avoidance_does_not_partner_it_leaves_and_both_earn_the_status_quo():
    """Larsson's avoidance as not partnering (issue 15): it leaves in the first round,
    every round is EXIT for both and pays the status quo; nobody is exploited."""
    for script in ("G", "T"):
        result = Match(Avoidance(), Scripted(script=script), turns=30, seed=2).play()
        assert (result.moves == EXIT).all()
        assert result.totals == (30.0, 30.0)
        assert result.ended_by == 1  # the first player left


def test_avoidance_leaves_at_its_withdrawal_rate():
    # it leaves in round k with probability (1 - q)^(k-1) q: the alliance lasts 1/q - 1 rounds on average
    batch = Match(Avoidance(withdrawal=0.25), Scripted(script="G"), turns=200, seed=3, repetitions=4000).play_batch()
    open_rounds = (batch.raw.moves[0] != EXIT).sum(axis=1)
    mean, spread = open_rounds.mean(), open_rounds.std() / np.sqrt(len(open_rounds))
    assert abs(mean - (1 / 0.25 - 1)) < 4 * spread
