"""The chain of a pairing (exact.chain): power strength, start states, inputs."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, MatchContext
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import MUTUAL, build_chain, expected_payoffs, limit_occupancy, pairing_chain
from learning_dilemma.strategies import (
    Calculative,
    ContractualReciprocator,
    Cooperator,
    Defector,
    RaceToLearn,
    TitForTat,
    TrustBuilder,
)

from .helpers import POWER


@pytest.mark.parametrize("built_at, wanted", [(1.0, 0.3), (1.0, 1.0), (0.25, 0.8), (0.6, 0.05)])
def test_rewards_at_another_strength_equal_a_chain_built_there(built_at, wanted):
    context = MatchContext(POWER, 0.9)
    table_a = TrustBuilder().compiled(context)
    table_b = RaceToLearn().compiled(context)
    options = dict(receptivity=(0.7, 0.9), tacitness=(0.1, 0.05), initial_power=1)
    source = build_chain(table_a, table_b, LearningGame().with_power(strength=built_at), **options)
    target = build_chain(table_a, table_b, LearningGame().with_power(strength=wanted), **options)
    assert source.strength == built_at and target.strength == wanted
    assert np.array_equal(source.states, target.states) and source.start == target.start
    np.testing.assert_array_equal(source.transitions, target.transitions)
    np.testing.assert_allclose(source.power_gain, target.power_gain, rtol=0, atol=1e-12)
    np.testing.assert_allclose(source.rewards_at(wanted), target.rewards, rtol=0, atol=1e-12)
    assert np.abs(source.power_gain).max() > 0.1  # the shift is not vacuous


def test_prior_rounds_and_initial_power_are_honoured():
    from learning_dilemma.strategies import HabitualAvoidance

    cold = expected_payoffs(HabitualAvoidance(proof=3), ContractualReciprocator(), turns=20)
    warm = expected_payoffs(HabitualAvoidance(proof=3), ContractualReciprocator(), turns=20, prior_rounds=3)
    assert cold.mutual_giving == 0.0 and warm.mutual_giving == 1.0
    game = LearningGame().with_power(strength=0.8)
    ahead = expected_payoffs(Cooperator(), Cooperator(), game, turns=1, initial_power=3)
    assert ahead.totals[0] > ahead.totals[1]


def test_imperative_players_are_refused():
    from learning_dilemma import GIVE, Player

    class Always(Player):
        def strategy(self, opponent):
            return GIVE

    with pytest.raises(ParameterError, match="automaton"):
        expected_payoffs(Always(), Defector(), continuation=0.5)


def test_pairing_chain_compiles_the_tables_for_its_continuation():
    """Calculative gives after a give only if ``T - R <= w (R - S)``, i.e. from w = 2/3."""
    game = LearningGame()
    below = pairing_chain(Calculative(), Calculative(), game, continuation=0.5)
    above = pairing_chain(Calculative(), Calculative(), game, continuation=0.9)
    assert limit_occupancy(below) @ below.rewards[:, MUTUAL] == pytest.approx(0.0, abs=1e-12)
    assert limit_occupancy(above) @ above.rewards[:, MUTUAL] == pytest.approx(1.0, abs=1e-12)
    # The chain itself does not depend on the continuation, only its tables do.
    again = pairing_chain(TitForTat(), Defector(), game, 0.2)
    np.testing.assert_array_equal(again.transitions, pairing_chain(TitForTat(), Defector(), game, 0.9).transitions)
