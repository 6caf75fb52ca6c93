"""Larsson et al.'s five strategies: a transparency and a receptivity each."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import Match
from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import Accommodation, Avoidance, Collaboration, Competition, Compromise

from scripted import Scripted

EXPECTED = {Collaboration: (0.9, 0.9), Competition: (0.1, 0.9), Compromise: (0.5, 0.5),
            Accommodation: (0.9, 0.1), Avoidance: (0.1, 0.1)}


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_gives_at_its_transparency_whatever_the_partner_does(cls):
    transparency, receptivity = EXPECTED[cls]
    player = cls()
    assert (player.transparency, player.receptivity) == (transparency, receptivity)
    for script in ("G", "T"):
        batch = Match(player, Scripted(script=script), turns=100, seed=4, repetitions=100).play_batch()
        error = np.sqrt(transparency * (1 - transparency) / 10000)
        assert batch.give_rates[:, 0].mean() == pytest.approx(transparency, abs=4 * error)


def test_parameters_can_be_changed_and_are_checked():
    assert Match(Collaboration(transparency=1.0), Scripted(script="T"), turns=20, seed=1).play().give_rates[0] == 1.0
    with pytest.raises(ParameterError):
        Competition(transparency=1.2)
