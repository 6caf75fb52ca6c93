"""Matches: textbook totals, power dynamics, seeds, and the two engine paths."""

from __future__ import annotations

import itertools

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
    assert list(result.payoffs[0]) == pytest.approx([2 * s + 4 for s in shares])


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
            seen["context"] = (self.continuation, getattr(self, "turns", None))
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
    assert cold.moves[0].tolist() == [0, 0, 0, 0, 0]

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
    assert result.payoffs[0][0] > result.payoffs[1][0]


def test_same_seed_same_results_and_repetitions_do_not_depend_on_batch_size():
    game = LearningGame().with_power(strength=0.6)
    a, b = TrustBuilder(tacitness=0.1), RandomPlayer()
    one = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=10).play_batch()
    two = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=10).play_batch()
    small = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=3).play_batch()
    assert np.array_equal(one.raw.moves[0], two.raw.moves[0]) and np.array_equal(one.totals, two.totals)
    for k in range(3):
        assert np.array_equal(one[k].moves[1], small[k].moves[1]) and np.array_equal(one[k].power, small[k].power)
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
            assert np.array_equal(fast.raw.moves[0], slow.raw.moves[0])
            assert np.array_equal(fast.raw.moves[1], slow.raw.moves[1])
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
    assert np.array_equal(mine.raw.moves[0], theirs.raw.moves[0])
    assert np.array_equal(mine.totals, theirs.totals)


def test_probability_answers_are_drawn_reproducibly_and_checked():
    class Coin(Player):
        def strategy(self, opponent):
            return 0.5

    first = Match(Coin(), Cooperator(), turns=200, seed=5).play()
    assert np.array_equal(first.moves[0], Match(Coin(), Cooperator(), turns=200, seed=5).play().moves[0])
    assert 0.35 < first.give_rates[0] < 0.65

    class Broken(Player):
        def strategy(self, opponent):
            return 1.5

    with pytest.raises(ValueError, match="probability in \\[0, 1\\]"):
        Match(Broken(), Cooperator(), turns=2).play()


def ladder_chain_expectations(p_a, p_b, r_a, r_b, strength, levels, rebalance, rounds, game):
    """Exact E[u_A,t], E[u_B,t] per round and the final ladder distribution, from docs/model.md alone.

    Two memoryless players give with probabilities ``p_a``, ``p_b``, so the ladder
    position z is a Markov chain on the 2m + 1 positions: from z it moves to z + 1
    with probability (1 - p_a) p_b r_a (A takes what B gives and absorbs it), to
    z - 1 with p_a (1 - p_b) r_b, one step toward 0 with p_a p_b rebalance, and
    stays otherwise (clipped at +-m). The payoffs of a round are the stage formula
    at the z the round starts from, averaged over the four move pairs.
    """
    P, b, c, s, e = game.status_quo, game.learning_benefit, game.leak, game.synergy, game.race_premium
    positions = np.arange(-levels, levels + 1)
    distribution = (positions == 0).astype(float)
    step = np.zeros((len(positions), len(positions)))
    for i, z in enumerate(positions):
        moves = [(+1, (1 - p_a) * p_b * r_a), (-1, p_a * (1 - p_b) * r_b), (-np.sign(z), p_a * p_b * rebalance)]
        for delta, probability in moves:
            step[i, min(levels, max(-levels, z + delta)) + levels] += probability
        step[i, i] += 1 - sum(probability for _, probability in moves)
    expected = []
    for _ in range(rounds):
        u_a = u_b = 0.0
        for g_a, g_b in itertools.product((0, 1), repeat=2):
            chance = (p_a if g_a else 1 - p_a) * (p_b if g_b else 1 - p_b)
            joint = 2 * P + s * (r_a + r_b) * g_a * g_b
            w_a = 0.5 + strength * positions / (2 * levels)
            pay_a = w_a * joint + b * r_a * g_b + e * r_a * g_b * (1 - g_a) - c * r_b * g_a
            pay_b = (1 - w_a) * joint + b * r_b * g_a + e * r_b * g_a * (1 - g_b) - c * r_a * g_b
            u_a += chance * distribution @ pay_a
            u_b += chance * distribution @ pay_b
        expected.append((u_a, u_b))
        distribution = distribution @ step
    return np.array(expected), distribution


@pytest.mark.parametrize(
    "a, b, p_a, p_b",
    [
        (Opportunist(receptivity=0.6), Cooperator(receptivity=0.9), 0.0, 1.0),
        (RandomPlayer(p=0.3, receptivity=0.7), RandomPlayer(p=0.8, receptivity=0.5), 0.3, 0.8),
        (RandomPlayer(p=0.5, tacitness=0.4), RandomPlayer(p=0.9, receptivity=0.3), 0.3, 0.9),
    ],
    ids=["opportunist-cooperator", "random-random", "tacit"],
)
def test_monte_carlo_payoffs_match_the_exact_ladder_chain(a, b, p_a, p_b):
    """With m = 2 the ladder is a 5-state Markov chain; iterate it exactly (no engine)
    and check the simulated mean payoffs of each round and the final ladder
    distribution within 4 standard errors. ``p_a`` is the effective give rate after
    tacitness, p (1 - tacitness)."""
    game = LearningGame(synergy=1.5, leak=0.5).with_power(strength=0.7, levels=2, rebalance=0.4)
    rounds, n = 8, 20000
    expected, final = ladder_chain_expectations(p_a, p_b, a.receptivity, b.receptivity, 0.7, 2, 0.4, rounds, game)
    batch = Match(a, b, game=game, turns=rounds, seed=21, repetitions=n).play_batch()
    for payoffs, column in ((batch.raw.payoffs[0], 0), (batch.raw.payoffs[1], 1)):
        error = payoffs.std(axis=0) / np.sqrt(n) + 1e-12
        assert np.all(np.abs(payoffs.mean(axis=0) - expected[:, column]) < 4 * error)
        totals = payoffs.sum(axis=1)
        assert abs(totals.mean() - expected[:, column].sum()) < 4 * totals.std() / np.sqrt(n)
    observed = np.array([(batch.final_power == z).mean() for z in range(-2, 3)])
    assert np.all(np.abs(observed - final) <= 4 * np.sqrt(final * (1 - final) / n) + 1e-12)


def test_a_fixed_match_tells_its_length_and_the_equivalent_shadow():
    context = Match(Cooperator(), Cooperator(), turns=4).context
    assert context.turns == 4 and context.continuation == 0.75
    assert Match(Cooperator(), Cooperator()).context.turns == 200  # the default length


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"continuation": 1.0}, "continuation must be in [0, 1), got 1"),
        ({"turns": 0}, "turns must be a whole number >= 1, got 0"),
        ({"turns": 2.5}, "turns must be a whole number >= 1, got 2.5"),
        ({"turns": 5, "continuation": 0.5}, "give either turns or continuation, not both"),
        ({"prior_rounds": -1}, "prior_rounds must be a whole number >= 0, got -1"),
        ({"initial_power": 1}, "initial_power must be in [-0, 0] (the power ladder), got 1"),
        ({"game": "classic"}, "game must be a LearningGame, got 'classic'"),
    ],
)
def test_invalid_match_parameters_say_what_was_expected(kwargs, message):
    if "initial_power" in kwargs:
        kwargs["game"] = LearningGame().with_power(levels=0)
    with pytest.raises(ParameterError) as error:
        Match(Cooperator(), Cooperator(), **kwargs)
    assert str(error.value) == message


def test_players_must_be_players():
    with pytest.raises(ParameterError, match="player_b must be a Player, got 'Opportunist'"):
        Match(Cooperator(), "Opportunist")


def test_power_off_freezes_the_ladder_even_when_power_strength_is_set_but_m_is_zero():
    game = LearningGame().with_power(strength=0.9, levels=0)
    result = Match(Opportunist(), Cooperator(), game=game, turns=5).play()
    assert set(result.power.tolist()) == {0} and result.totals == (25.0, 0.0)


def test_noise_zero_is_the_noiseless_match_and_noise_flips_moves():
    from learning_dilemma.strategies import Cooperator, TitForTat

    plain = Match(TitForTat(), TitForTat(), turns=200, seed=3).play()
    assert np.array_equal(Match(TitForTat(), TitForTat(), turns=200, seed=3, noise=0.0).play().moves, plain.moves)
    noisy = Match(Cooperator(), Cooperator(), turns=20000, seed=3, noise=0.1).play()
    assert abs(noisy.give_rates[0] - 0.9) < 4 * np.sqrt(0.09 / 20000)
    echoes = Match(TitForTat(), TitForTat(), turns=200, seed=3, noise=0.05).play()
    assert 0 < echoes.mutual_giving < 1  # a flipped move sets off echoes of retaliation


def test_noisy_matches_are_the_same_through_both_engines():
    from learning_dilemma.strategies import GTFT, Grudger, TrustBuilder

    game = LearningGame().with_power(strength=0.5)
    for a, b in ((GTFT(), Grudger(tacitness=0.1)), (TrustBuilder(), GTFT())):
        match = Match(a, b, game=game, continuation=0.95, seed=8, repetitions=30, noise=0.07)
        fast, slow = match.play_batch(), match.play_batch(vectorised=False)
        assert np.array_equal(fast.raw.moves, slow.raw.moves) and np.array_equal(fast.raw.power, slow.raw.power)


def test_noise_is_checked():
    from learning_dilemma.strategies import Cooperator

    with pytest.raises(ParameterError, match=r"noise must be in \[0, 1\], got 1.5"):
        Match(Cooperator(), Cooperator(), noise=1.5)


def test_a_long_match_reports_its_progress_through_both_engines():
    from learning_dilemma.engine.vectorised import PROGRESS_ROUNDS
    from learning_dilemma.strategies import TitForTat

    for vectorised in (True, False):
        heard = []
        Match(TitForTat(), TitForTat(), turns=2 * PROGRESS_ROUNDS + 5, seed=1).play(
            vectorised, progress=lambda done, total: heard.append((done, total)))
        total = 2 * PROGRESS_ROUNDS + 5
        assert heard == [(0, total), (PROGRESS_ROUNDS, total), (2 * PROGRESS_ROUNDS, total)]
