"""Power from dependence (learning_dilemma.games.power), judged by issue 15: power splits
only the value the alliance creates, so it moves nothing when both take, and the faster
learner of Hamel's (1991) race ends holding it, even inside an alliance of givers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match
from learning_dilemma.games import Knowledge, bargaining_share, power_position, stage_payoffs
from learning_dilemma.strategies import Collaboration, Cooperator, Opportunist

STAKES = Knowledge(levels=4, pace=0.3)  # the shipped scenarios' stakes


def test_power_is_the_partners_remaining_stakes_less_ones_own():
    """Emerson (1962): power is the other's dependence, here what it still has to learn."""
    assert power_position(1, 3) == 2 and power_position(3, 1) == -2 and power_position(2, 2) == 0
    assert np.array_equal(power_position(np.array([0, 4]), np.array([4, 0])), [4, -4])


def test_the_bargaining_share_of_the_created_value():
    """w_i = 1/2 + strength z_i / (2M): in [0, 1], the two shares sum to one, 1/2 without stakes."""
    for levels, strength in itertools.product((1, 2, 4), (0.0, 0.3, 1.0)):
        z = np.arange(-levels, levels + 1)
        share = bargaining_share(z, strength, levels)
        assert np.allclose(share, 0.5 + strength * z / (2 * levels))
        assert np.all((share >= 0) & (share <= 1)) and np.allclose(share + bargaining_share(-z, strength, levels), 1)
    assert bargaining_share(3, 1.0, 0) == 0.5


@pytest.mark.parametrize("levels", [1, 2, 4])
@pytest.mark.parametrize("strength", [0.0, 0.4, 1.0])
def test_when_both_take_power_moves_no_payoff_between_them(levels, strength):
    """Whatever the power position and strength: both earn the status quo P (the first
    edition split 2P by power, so a power holder earned 2.0 against 0.0 when both took)."""
    game = LearningGame(knowledge=Knowledge(levels=levels)).with_power(strength=strength)
    for z, (r_a, r_b) in itertools.product(range(-levels, levels + 1), ((1.0, 1.0), (0.9, 0.1), (0.0, 0.6))):
        assert game.payoffs(0, 0, r_a, r_b, z=z) == (1.0, 1.0)
        # nor when both gave but tacit knowledge failed to transfer on one side: nothing was created
        assert game.payoffs(1, 1, r_a, r_b, z=z, transfer_a=0) == game.payoffs(1, 1, r_a, r_b, z=0, transfer_a=0)


def test_a_power_holder_gains_nothing_from_mutual_taking_in_play():
    """Opportunist against Opportunist, the first holding full power (3 of 4 levels ahead,
    strength 1): both earn P = 1 a round and the stakes, hence the power, stay put."""
    game = LearningGame(knowledge=STAKES).with_power(strength=1.0)
    result = Match(Opportunist(), Opportunist(), game=game, turns=50, initial_power=3, seed=1).play()
    assert result.payoffs.tolist() == [[1.0] * 50, [1.0] * 50]
    assert set(result.power.tolist()) == {3} and result.ended_by == 0


def fast_and_slow(stakes, first_fast=True, repetitions=300):
    """Two unconditional givers with receptivities 0.9 and 0.1 (Collaboration at full transparency)."""
    game = LearningGame(knowledge=stakes).with_power(strength=0.5)
    fast, slow = Collaboration(transparency=1.0, receptivity=0.9), Collaboration(transparency=1.0, receptivity=0.1)
    pair = (fast, slow) if first_fast else (slow, fast)
    return Match(*pair, game=game, turns=120, seed=15, repetitions=repetitions).play_batch()


def test_the_faster_learner_ends_holding_power():
    """Hamel (1991): the race is won by the faster learner inside a collaborative alliance."""
    batch = fast_and_slow(STAKES)
    assert (batch.raw.moves[batch.raw.moves >= 0] != 0).all()  # nobody ever took
    final = batch.final_power  # the fast learner's side
    assert final.mean() > 2 and (final > 0).mean() > 0.9
    assert (batch.raw.ended_by == 4).mean() > 0.9  # the race was over: it had learned everything
    swapped = fast_and_slow(STAKES, first_fast=False)
    assert swapped.final_power.mean() < -2 and (swapped.final_power < 0).mean() > 0.9
    # a memoryless give = 1 automaton is the same player
    game = LearningGame(knowledge=STAKES).with_power(strength=0.5)
    cooperators = Match(Cooperator(receptivity=0.9), Cooperator(receptivity=0.1), game=game, turns=120, seed=15,
                        repetitions=300).play_batch()
    assert np.array_equal(cooperators.final_power, final)


def test_without_stakes_the_power_position_stays_at_parity():
    """Ablation: stakes off, the same two givers never move the power position."""
    batch = fast_and_slow(Knowledge(), repetitions=20)
    assert set(batch.raw.power.ravel().tolist()) == {0} and (batch.raw.ended_by == 0).all()


def test_the_holder_takes_the_larger_share_of_what_is_created():
    """While the fast learner holds power, mutual giving pays it more of the created value
    than an equal split would; the sum of the two payoffs is what it would be at parity."""
    batch = fast_and_slow(STAKES, repetitions=20)
    game = batch.game
    for k in range(len(batch)):
        result = batch[k]
        for t in range(result.turns):
            if result.moves[0][t] == 2:
                continue
            x_a, x_b, z = result.transfers[0][t], result.transfers[1][t], result.power[t]
            at_parity = stage_payoffs(game, 1, 1, x_a, x_b, 0.9, 0.1, 0)
            here = result.payoffs[0][t], result.payoffs[1][t]
            assert sum(here) == pytest.approx(float(sum(at_parity)))
            gain = here[0] - float(at_parity[0])
            assert gain == pytest.approx(0.5 * z / 8 * game.synergy * 1.0 * x_a * x_b)
