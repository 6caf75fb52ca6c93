"""Organisational strategies against scripted opponents."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match, MatchContext
from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import Calculative, ContractualReciprocator, HabitualAvoidance, Opportunist, RaceToLearn

from scripted import Scripted, moves

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


@pytest.mark.parametrize("shadow, gives", [(0.66, 0.0), (2 / 3, 1.0), (0.67, 1.0)])
def test_calculative_threshold_is_axelrods_two_thirds(shadow, gives):
    """(3, 0, 5, 1): T - R = 2 <= w (R - S) = 3w iff w >= 2/3 (Axelrod 1984)."""
    table = Calculative().compiled(MatchContext(LearningGame(), shadow))
    assert table.give[1].tolist() == [gives] * 7 and table.give[0].tolist() == [1.0] * 7
    result = Match(Calculative(), Scripted(script="G"), continuation=shadow, seed=3, repetitions=200).play_batch()
    later = result.raw.moves[0][:, 1:]
    assert np.all(later[later >= 0] == gives)


def test_calculative_weighs_its_power_position():
    """With power, T_z - R_z = e + c - 2 s w_z and R_z - S_z = b + 2 s w_z (defaults), so
    at shadow 0.6 it gives iff w_z >= 0.5625, i.e. z >= 1 when w_z = 1/2 + 0.9 z / 6."""
    table = Calculative().compiled(MatchContext(POWER.with_power(strength=0.9), 0.6))
    assert table.give[1].tolist() == [0, 0, 0, 0, 1, 1, 1]


def test_race_to_learn_probes_at_its_rate_and_never_gives_up_a_lead():
    batch = Match(RaceToLearn(probe=0.3), Scripted(script="G"), turns=100, seed=5, repetitions=100).play_batch()
    assert batch.give_rates[:, 0].mean() == pytest.approx(0.7, abs=4 * np.sqrt(0.21 / 10000))
    # Ahead, it takes whatever the partner does: mutual taking leaves the ladder alone.
    assert moves(RaceToLearn(probe=0.0, target=2), "TGTG", game=POWER, initial_power=2) == "TTTT"


def test_habitual_avoidance_gives_at_its_openness_while_avoiding():
    batch = Match(HabitualAvoidance(openness=0.25), Scripted(script="T"), turns=100, seed=6,
                  repetitions=100).play_batch()
    assert batch.give_rates[:, 0].mean() == pytest.approx(0.25, abs=4 * np.sqrt(0.1875 / 10000))
