"""The chain of a pairing (exact.chain): its reward columns against the stage
game written out, exit and the end of the race, its triangular order, power
strength, start states, inputs."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, MatchContext
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import (
    GIVE_A, GIVE_B, JOINT, LEARN_A, LEARN_B, MUTUAL, OPEN, PAY_A, PAY_B, build_chain, expected_payoffs,
    limit_occupancy, pairing_chain,
)
from learning_dilemma.games import Knowledge, Ties
from learning_dilemma.strategies import (
    GTFT,
    Calculative,
    ContractualReciprocator,
    Cooperator,
    Defector,
    RaceToLearn,
    TitForTat,
    TrustBuilder,
)

from .helpers import POWER, RELATION, P, R


def test_reward_columns_follow_the_stage_game_with_a_tacit_giver():
    """Two always-givers, stakes off: A's give fails to transfer a quarter of the time.

    Written out from the stage game (docs/model.md): b - c = 1, c = 1, s = 1,
    P = 1, full overlap, power off (shares 1/2). A learns r_A = 0.8 a round, B
    r_B (1 - tau_A) = 0.45. A's exposure is what it played (a give), so its
    positional part is c (r_A - r_B) = 0.2 whether or not the give transferred:
    the failure never pays A more than a give. The created value s (r_A + r_B)
    = 1.4 comes only when both gives transfer (3/4), half to each.
    """
    a, b = Cooperator(receptivity=0.8, tacitness=0.25), Cooperator(receptivity=0.6)
    chain = pairing_chain(a, b, LearningGame(), 0.9)
    assert chain.size == 1
    expected = {PAY_A: 1 + 0.8 + 0.2 + 0.5 * 1.4 * 0.75, PAY_B: 1 + 0.45 - 0.2 + 0.5 * 1.4 * 0.75,
                GIVE_A: 1.0, GIVE_B: 1.0, MUTUAL: 1.0, LEARN_A: 0.8, LEARN_B: 0.45,
                JOINT: (0.8 + 0.45) + 1.4 * 0.75, OPEN: 1.0}
    for column, value in expected.items():
        assert chain.rewards[0, column] == pytest.approx(value, abs=1e-12)


def test_the_race_ends_when_the_stakes_are_exhausted():
    """Two always-givers who learn a level every round (pace 1, receptivity 1) exhaust
    two levels of stakes after two rounds: R, R, then the status quo P."""
    game = LearningGame(knowledge=Knowledge(levels=2, pace=1.0))
    result = expected_payoffs(Cooperator(), Cooperator(), game, turns=5)
    assert result.per_round == pytest.approx([(2 * R + 3 * P) / 5] * 2, abs=1e-12)
    assert result.give_rates == pytest.approx([0.4, 0.4], abs=1e-12)  # a closed alliance records EXIT
    assert result.open_share == pytest.approx(0.4, abs=1e-12) and result.duration == pytest.approx(2.0, abs=1e-12)
    assert result.learning == pytest.approx([0.4, 0.4], abs=1e-12)
    chain = pairing_chain(Cooperator(), Cooperator(), game, 0.9)
    closed = np.flatnonzero(chain.states[:, 5] == 0)
    assert len(closed) == 1 and chain.transitions[closed[0], closed[0]] == 1.0
    assert chain.rewards[closed[0]] == pytest.approx([P, P] + [0.0] * 7, abs=0)


def test_an_exit_closes_the_alliance_for_both():
    """Race To Learn leaves once it is a level ahead: in those states the round is
    already closed (both paid P, nobody gives, nothing learned) and the next one too."""
    chain = pairing_chain(RaceToLearn(), Cooperator(receptivity=0.3), POWER, 0.9)
    ahead = np.flatnonzero((chain.states[:, 5] == 1) & (chain.power >= 1))
    closed = int(np.flatnonzero(chain.states[:, 5] == 0)[0])
    assert len(ahead) > 0
    transitions = np.asarray(chain.transitions)
    for state in ahead:
        assert chain.rewards[state] == pytest.approx([P, P] + [0.0] * 7, abs=1e-15)
        assert transitions[state, closed] == 1.0
    # Behind or level, it gives with probability 1 - probe and stays.
    behind = np.flatnonzero((chain.states[:, 5] == 1) & (chain.power < 1))
    assert chain.rewards[behind, GIVE_A] == pytest.approx(0.8) and np.all(chain.rewards[behind, OPEN] == 1.0)
    # The exact engine sees the exit: the alliance is open in fewer rounds than not.
    result = expected_payoffs(RaceToLearn(), Cooperator(receptivity=0.3), POWER, continuation=0.95)
    assert 0.0 < result.open_share < 0.9 and result.duration == pytest.approx(20 * result.open_share)


@pytest.mark.parametrize("a, b, game", [
    (RaceToLearn(tacitness=0.2, receptivity=0.7), TrustBuilder(tacitness=0.1), RELATION),
    (GTFT(tacitness=0.3), Calculative(tacitness=0.1, receptivity=0.5), RELATION),
    (TrustBuilder(), TitForTat(), LearningGame()),
])
def test_the_chain_is_block_upper_triangular_in_the_relation(a, b, game):
    """Stakes only fall, the tie only grows, the closed state absorbs: in the
    chain's order every transition stays in its relation state or goes to a
    deeper one, so M is block upper triangular."""
    chain = pairing_chain(a, b, game, 0.9, noise=0.01)
    transitions = np.asarray(chain.transitions if chain.dense else chain.transitions.toarray())
    source, target = np.nonzero(transitions)
    assert np.all(chain.depth[source] <= chain.depth[target])
    assert np.all(np.diff(chain.depth) >= 0)  # states in order of depth
    relation = chain.states[:, 2:]
    same_depth = chain.depth[source] == chain.depth[target]
    assert np.all(relation[source[same_depth]] == relation[target[same_depth]])
    # Numbered in order, each relation state's states together: below its diagonal
    # blocks the matrix is zero.
    block = np.cumsum(np.r_[0, np.any(relation[1:] != relation[:-1], axis=1)])
    assert len(np.unique(block)) == len({tuple(row) for row in relation})
    assert np.all(block[source] <= block[target])
    opened = chain.states[:, 5] == 1
    moved = opened[source] & opened[target]
    stakes_a, stakes_b, tie = (chain.states[:, k] for k in (2, 3, 4))
    assert np.all(stakes_a[target[moved]] <= stakes_a[source[moved]])
    assert np.all(stakes_b[target[moved]] <= stakes_b[source[moved]])
    assert np.all(tie[target[moved]] >= tie[source[moved]])
    np.testing.assert_allclose(transitions.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_prior_rounds_build_the_tie():
    """Prior rounds of mutual giving count toward the tie (games.initial_tie). A's
    give fails with probability 0.6 (1 - t/3): after one prior round the tie is
    1, 2, 3 in rounds 1-3, so B learns (0.6 + 0.8 + 1)/3 = 0.8 a round; after three
    it is full from the start and nothing fails; without prior rounds 0.6."""
    game = LearningGame(ties=Ties(levels=3))
    a, b = Cooperator(tacitness=0.6), Cooperator()
    for prior, learned in ((0, (0.4 + 0.6 + 0.8) / 3), (1, 0.8), (3, 1.0), (7, 1.0)):
        result = expected_payoffs(a, b, game, turns=3, prior_rounds=prior)
        assert result.learning == pytest.approx([1.0, learned], abs=1e-12)


@pytest.mark.parametrize("built_at, wanted", [(1.0, 0.3), (1.0, 1.0), (0.25, 0.8), (0.6, 0.05)])
def test_rewards_at_another_strength_equal_a_chain_built_there(built_at, wanted):
    context = MatchContext(POWER, 0.9)
    table_a = TrustBuilder().compiled(context)
    table_b = RaceToLearn().compiled(context)
    options = dict(receptivity=(0.7, 0.9), tacitness=(0.1, 0.05), initial_power=1)
    source = build_chain(table_a, table_b, POWER.with_power(strength=built_at), **options)
    target = build_chain(table_a, table_b, POWER.with_power(strength=wanted), **options)
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
    # A has learned 3 of 4 levels beyond B: z_A = 3, A's share of the created value
    # s (r_A + r_B) = 2 is 1/2 + 0.8 * 3 / 8 = 0.8 (power from dependence).
    game = LearningGame(knowledge=Knowledge(levels=4, pace=0.3)).with_power(strength=0.8)
    ahead = expected_payoffs(Cooperator(), Cooperator(), game, turns=1, initial_power=3)
    assert ahead.totals == pytest.approx([1 + 1 + 2 * 0.8, 1 + 1 + 2 * 0.2], abs=1e-12)
    with pytest.raises(ParameterError, match="initial_power needs knowledge stakes"):
        build_chain(TitForTat().compiled(MatchContext(LearningGame(), 0.9)),
                    TitForTat().compiled(MatchContext(LearningGame(), 0.9)), LearningGame(), initial_power=1)


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
