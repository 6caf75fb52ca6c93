"""Matches: textbook totals, power dynamics, seeds, and the two engine paths."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, LearningGame, Match, Player
from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import (
    ALL_STRATEGIES,
    Calculative,
    ContractualReciprocator,
    Cooperator,
    HabitualAvoidance,
    Opportunist,
    RandomPlayer,
    TitForTat,
    TrustBuilder,
)


def test_tit_for_tat_against_always_take_over_ten_turns():
    result = Match(ContractualReciprocator(), Opportunist(), turns=10, seed=1).play()
    assert result.transcript() == "GT" + " TT" * 9
    assert result.totals == (9.0, 14.0)


def test_a_taker_races_ahead_one_step_a_round_until_the_ladder_ends():
    game = LearningGame().with_power(strength=0.8, levels=3)
    result = Match(Opportunist(), Cooperator(), game=game, turns=6, seed=0).play()
    assert list(result.power) == [0, 1, 2, 3, 3, 3, 3]
    shares = result.shares()
    assert list(shares) == pytest.approx([0.5, 0.5 + 0.8 / 6, 0.5 + 1.6 / 6, 0.9, 0.9, 0.9])
    # The taker's payoff per round grows with its share: w V + b + e with V = 2P.
    assert list(result.payoffs_a) == pytest.approx([2 * s + 4 for s in shares])


def test_the_ladder_never_leaves_its_bounds():
    game = LearningGame().with_power(strength=1.0, levels=2, rebalance=0.3)
    rng = np.random.default_rng(0)
    players = [cls() for cls in ALL_STRATEGIES]
    for _ in range(20):
        a, b = rng.choice(len(players), 2)
        batch = Match(players[a], players[b], game=game, continuation=0.95, seed=int(rng.integers(1e6)),
                      repetitions=50).play_batch()
        assert batch.raw.power.min() >= -2 and batch.raw.power.max() <= 2


def test_mutual_giving_rebalances_and_mutual_taking_does_not():
    game = LearningGame().with_power(strength=0.5, levels=3, rebalance=1.0)
    assert list(Match(Cooperator(), Cooperator(), game=game, turns=4, initial_power=3).play().power) == [3, 2, 1, 0, 0]
    assert set(Match(Opportunist(), Opportunist(), game=game, turns=4, initial_power=2).play().power) == {2}
    # Power off freezes the ladder wherever it starts.
    off = LearningGame().with_power(strength=0.0)
    assert set(Match(Opportunist(), Cooperator(), game=off, turns=5, initial_power=1).play().power) == {1}


def test_monte_carlo_mean_matches_the_hand_derived_expectation():
    """Opportunist (A, receptivity r = 0.5) against Cooperator (B), m = 2, strength s = 1.

    Every round is (TAKE, GIVE), so A earns w_A V + b r + e r with V = 2P = 2 and
    w_A = 1/2 + s z/(2m) = 1/2 + z/4, and z climbs one step with probability r, capped at
    2: P(z_0 = 0) = 1; P(z_1 = 1) = r; P(z_2 = 2) = r^2, P(z_2 = 1) = 2r(1-r); and so on.
    E[u_t] = 1 + 2 E[z_t]/4 + (b + e) r = 3 + E[z_t]/2 for r = 1/2. Over 4 rounds
    E[z] = 0, 1/2, 1, 11/8 (the ladder distribution iterated by hand), so the expected
    total is 4 * 3 + (0 + 1/2 + 1 + 11/8)/2 = 13.4375.
    """
    game = LearningGame().with_power(strength=1.0, levels=2)
    batch = Match(Opportunist(receptivity=0.5), Cooperator(), game=game, turns=4, seed=11,
                  repetitions=40000).play_batch()
    totals = batch.totals[:, 0]
    error = totals.std() / np.sqrt(len(totals))
    assert abs(totals.mean() - 13.4375) < 4 * error


def test_tacitness_turns_gives_into_takes_at_its_rate():
    batch = Match(Cooperator(tacitness=0.3), Cooperator(), turns=100, seed=3, repetitions=200).play_batch()
    rate = batch.give_rates[:, 0].mean()
    assert rate == pytest.approx(0.7, abs=4 * np.sqrt(0.21 / 20000))
    assert Match(Cooperator(tacitness=1.0), Cooperator(), turns=50, seed=1).play().give_rates[0] == 0.0


def test_continuation_lengths_are_geometric_and_hidden():
    batch = Match(Cooperator(), Cooperator(), continuation=0.8, seed=2, repetitions=20000).play_batch()
    assert batch.lengths.min() >= 1
    assert batch.lengths.mean() == pytest.approx(5.0, abs=4 * np.sqrt(0.8) / 0.2 / np.sqrt(20000))
    assert Match(Cooperator(), Cooperator(), continuation=0.0, seed=2).play().turns == 1
    seen = {}

    class Inspector(Player):
        def strategy(self, opponent):
            seen["context"] = (self.shadow, getattr(self, "turns", None))
            return GIVE

    match = Match(Inspector(), Cooperator(), continuation=0.7, seed=1)
    match.play()
    assert match.context.turns is None and seen["context"] == (0.7, None)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"continuation": 1.0}, "continuation"),
        ({"continuation": 1.5}, "continuation"),
        ({"continuation": -0.1}, "continuation"),
        ({"turns": 0}, "turns"),
        ({"turns": 5, "continuation": 0.5}, "not both"),
        ({"prior_rounds": -1}, "prior_rounds"),
        ({"initial_power": 4, "game": LearningGame().with_power(strength=0.5, levels=3)}, "initial_power"),
        ({"repetitions": 0}, "repetitions"),
        ({"seed": -3}, "seed"),
    ],
)
def test_invalid_match_parameters(kwargs, words):
    with pytest.raises(ParameterError, match=words):
        Match(Cooperator(), Cooperator(), **kwargs)


@pytest.mark.parametrize("kwargs", [{"receptivity": -0.1}, {"tacitness": 1.2}, {"nonsense": 1}])
def test_invalid_player_parameters(kwargs):
    with pytest.raises(ParameterError):
        Cooperator(**kwargs)


def test_prior_rounds_are_seen_but_earn_nothing():
    result = Match(HabitualAvoidance(proof=3), ContractualReciprocator(), turns=5, prior_rounds=3).play()
    assert result.transcript() == "GG GG GG GG GG" and result.totals == (15.0, 15.0)
    cold = Match(HabitualAvoidance(proof=3), ContractualReciprocator(), turns=5).play()
    assert cold.moves_a.tolist() == [0, 0, 0, 0, 0]

    histories = []

    class Recorder(Player):
        def strategy(self, opponent):
            histories.append(list(opponent.history))
            return TAKE

    Match(Recorder(), Cooperator(), turns=1, prior_rounds=2).play()
    assert histories == [[GIVE, GIVE]]


def test_initial_power_shifts_payoffs_from_round_one():
    game = LearningGame().with_power(strength=0.9, levels=3)
    result = Match(Cooperator(), Cooperator(), game=game, turns=1, initial_power=3).play()
    assert result.payoffs_a[0] > result.payoffs_b[0]


def test_same_seed_same_results_and_repetitions_do_not_depend_on_batch_size():
    game = LearningGame().with_power(strength=0.6)
    a, b = TrustBuilder(tacitness=0.1), RandomPlayer()
    one = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=10).play_batch()
    two = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=10).play_batch()
    small = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=3).play_batch()
    assert np.array_equal(one.raw.moves_a, two.raw.moves_a) and np.array_equal(one.totals, two.totals)
    for k in range(3):
        assert np.array_equal(one[k].moves_b, small[k].moves_b) and np.array_equal(one[k].power, small[k].power)
    other = Match(a, b, game=game, continuation=0.9, seed=8, repetitions=10).play_batch()
    assert not np.array_equal(one.totals, other.totals)


@pytest.mark.parametrize("cls", ALL_STRATEGIES, ids=lambda c: c.__name__)
def test_vectorised_and_round_by_round_paths_agree(cls):
    game = LearningGame().with_power(strength=0.7, levels=2)
    for opponent in (TitForTat(tacitness=0.1), RandomPlayer(receptivity=0.6), Calculative()):
        for length in ({"turns": 30}, {"continuation": 0.9}):
            match = Match(cls(tacitness=0.05, receptivity=0.8), opponent, game=game, seed=4, repetitions=5,
                          prior_rounds=1, **length)
            fast, slow = match.play_batch(), match.play_batch(vectorised=False)
            assert np.array_equal(fast.raw.moves_a, slow.raw.moves_a)
            assert np.array_equal(fast.raw.moves_b, slow.raw.moves_b)
            assert np.array_equal(fast.raw.power, slow.raw.power)
            assert np.allclose(fast.totals, slow.totals)


def test_an_imperative_tit_for_tat_agrees_with_the_automaton():
    class MyTitForTat(Player):
        name = "My Tit For Tat"

        def strategy(self, opponent):
            return opponent.history[-1] if opponent.history else GIVE

    game = LearningGame().with_power(strength=0.5)
    opponent = RandomPlayer(p=0.6, tacitness=0.1)
    mine = Match(MyTitForTat(), opponent, game=game, turns=40, seed=9, repetitions=4).play_batch()
    theirs = Match(TitForTat(), opponent, game=game, turns=40, seed=9, repetitions=4).play_batch()
    assert np.array_equal(mine.raw.moves_a, theirs.raw.moves_a)
    assert np.array_equal(mine.totals, theirs.totals)


def test_probability_answers_are_drawn_reproducibly_and_checked():
    class Coin(Player):
        def strategy(self, opponent):
            return 0.5

    first = Match(Coin(), Cooperator(), turns=200, seed=5).play()
    assert np.array_equal(first.moves_a, Match(Coin(), Cooperator(), turns=200, seed=5).play().moves_a)
    assert 0.35 < first.give_rates[0] < 0.65

    class Broken(Player):
        def strategy(self, opponent):
            return 1.5

    with pytest.raises(ValueError, match="probability in \\[0, 1\\]"):
        Match(Broken(), Cooperator(), turns=2).play()
