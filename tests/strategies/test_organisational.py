"""Organisational strategies against scripted opponents."""

from __future__ import annotations

import pytest

from learning_dilemma import LearningGame
from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import Calculative, ContractualReciprocator, HabitualAvoidance, Opportunist, RaceToLearn

from scripted import moves

POWER = LearningGame().with_power(strength=0.8, levels=3)


def test_opportunist_always_takes():
    assert moves(Opportunist(), "GGTGTG") == "TTTTTT"


def test_contractual_reciprocator_mirrors():
    assert moves(ContractualReciprocator(), "GTTGGT") == "GGTTGG"


def test_race_to_learn_gives_until_ahead_then_takes():
    # probe 0: with no lead it gives; started one step ahead it takes and keeps taking.
    assert moves(RaceToLearn(probe=0.0), "GGGG", game=POWER) == "GGGG"
    assert moves(RaceToLearn(probe=0.0), "GGGG", game=POWER, initial_power=1) == "TTTT"
    assert moves(RaceToLearn(probe=0.0, target=2), "GGG", game=POWER, initial_power=1) == "GGG"
    # probe 1 takes to get ahead, then keeps taking.
    assert moves(RaceToLearn(probe=1.0), "GGGG", game=POWER) == "TTTT"


@pytest.mark.parametrize("turns, expected", [(2, "GT"), (4, "GGGG"), (10, "GGGGGGGGGG")])
def test_calculative_gives_only_if_the_shadow_beats_the_gain(turns, expected):
    """With (3, 0, 5, 1): after a give it gives iff T - R <= w (R - S), i.e. w >= 2/3;
    a fixed match tells it the shadow w = 1 - 1/turns (0.5, 0.75, 0.9 here)."""
    assert moves(Calculative(), "G" * turns) == expected


def test_calculative_retaliates():
    assert moves(Calculative(), "GTGGGGGGGG")[:4] == "GGTG"


def test_habitual_avoidance_needs_proof_and_relapses():
    assert moves(HabitualAvoidance(proof=2), "GGGTGGG") == "TTGGTTG"
    assert moves(HabitualAvoidance(proof=2), "GG", prior_rounds=2) == "GG"


@pytest.mark.parametrize("make", [lambda: RaceToLearn(target=0), lambda: HabitualAvoidance(proof=0),
                                  lambda: HabitualAvoidance(openness=2), lambda: RaceToLearn(speed=1)])
def test_parameter_validation(make):
    with pytest.raises(ParameterError):
        make()
