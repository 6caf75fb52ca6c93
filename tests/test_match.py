"""Matches: textbook totals, the race to learn, seeds, and the two engine paths."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, LearningGame, Match, Player
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, Ties
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

from leaving import Wanderer


def test_tit_for_tat_against_always_take_over_ten_turns():
    result = Match(ContractualReciprocator(), Opportunist(), turns=10, seed=1).play()
    assert result.transcript() == "GT" + " TT" * 9
    assert result.totals == (9.0, 14.0)


def test_a_taker_learns_a_level_a_round_until_its_race_is_over():
    """Opportunist (r = 1) against Cooperator, M = 3 at pace 1: the taker learns one level a
    round, its power position climbs 1, 2, 3 and the race is over after round 3 (Hamel
    1991); the created value is nil (one side gives), so power moves no payoff: the taker
    earns T = 5 and the giver S = 0 until the alliance closes, then both earn P = 1."""
    game = LearningGame(knowledge=Knowledge(levels=3)).with_power(strength=0.8)
    result = Match(Opportunist(), Cooperator(), game=game, turns=6, seed=0).play()
    assert list(result.power) == [0, 1, 2, 3, 3, 3, 3]
    assert result.stakes.tolist() == [[3, 2, 1, 0, 0, 0, 0], [3, 3, 3, 3, 3, 3, 3]]
    assert list(result.shares()) == pytest.approx([0.5, 0.5 + 0.8 / 6, 0.5 + 1.6 / 6, 0.9, 0.9, 0.9])
    assert result.payoffs.tolist() == [[5.0, 5.0, 5.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]]
    assert result.transcript() == "TG TG TG XX XX XX" and result.ended_by == 4
    assert (result.duration, result.final_stakes, result.learning) == (3, (0, 3), (0.5, 0.0))


def test_stakes_stay_in_bounds_and_never_rise():
    game = LearningGame(knowledge=Knowledge(levels=2, pace=0.7), ties=Ties(levels=2)).with_power(strength=1.0)
    rng = np.random.default_rng(0)
    players = [cls() for cls in ALL_STRATEGIES]
    for _ in range(20):
        a, b = rng.choice(len(players), 2)
        batch = Match(players[a], players[b], game=game, continuation=0.95, seed=int(rng.integers(1e6)),
                      repetitions=50).play_batch()
        stakes = batch.raw.stakes
        assert stakes.min() >= 0 and stakes.max() <= 2 and (np.diff(stakes, axis=2) <= 0).all()
        assert batch.raw.power.min() >= -2 and batch.raw.power.max() <= 2
        assert np.array_equal(batch.raw.power, stakes[1] - stakes[0])
        ties = batch.raw.ties
        assert ties.min() >= 0 and ties.max() <= 2 and (np.diff(ties, axis=1) >= 0).all()


def test_mutual_giving_runs_both_stakes_down_and_mutual_taking_leaves_them():
    """Second edition: no rebalance toward parity. Two givers at pace 1 each learn a level a
    round from where they start; two takers learn nothing and the power position stays."""
    game = LearningGame(knowledge=Knowledge(levels=3)).with_power(strength=0.5)
    givers = Match(Cooperator(), Cooperator(), game=game, turns=4, initial_power=2).play()
    assert givers.stakes.tolist() == [[1, 0, 0, 0, 0], [3, 2, 2, 2, 2]] and set(givers.power.tolist()) == {2}
    assert givers.ended_by == 4  # the first had learned all it came for
    takers = Match(Opportunist(), Opportunist(), game=game, turns=4, initial_power=2).play()
    assert set(takers.power.tolist()) == {2} and takers.stakes.tolist() == [[1] * 5, [3] * 5]
    # Stakes off: no power position whatever the moves.
    assert set(Match(Opportunist(), Cooperator(), turns=5).play().power) == {0}


def test_monte_carlo_mean_matches_the_hand_derived_expectation():
    """Cooperator A (receptivity 1/2) against Cooperator B (receptivity 1), M = 2 at pace 1,
    strength 1, default game (P, b, c, s, e) = (1, 2, 1, 1, 2), gamma = 1.

    Both give every round and every give transfers. Round 1 at z = 0:
    u_A = P + (b - c) r_A + c (r_A - r_B) + s (r_A + r_B) / 2 = 1 + 1/2 - 1/2 + 3/4 = 1.75.
    B learns a level for sure (K_B = 1), A with probability 1/2 (K_A = 1 or 2), so in
    round 2 z_A = K_B - K_A is 0 or -1 with probability 1/2 each and
    E[w_A] = 1/2 + E[z_A]/4 = 3/8: E[u_A] = 1 + 1/2 - 1/2 + (3/8)(3/2) = 1.5625.
    After round 2 B's stakes are exhausted: the race is over and rounds 3 and 4 pay P.
    Expected total 1.75 + 1.5625 + 1 + 1 = 5.3125 (B: 3.25 + 3.4375 + 2 = 8.6875).
    """
    game = LearningGame(knowledge=Knowledge(levels=2)).with_power(strength=1.0)
    batch = Match(Cooperator(receptivity=0.5), Cooperator(), game=game, turns=4, seed=11,
                  repetitions=40000).play_batch()
    for player, expected in ((0, 5.3125), (1, 8.6875)):
        totals = batch.totals[:, player]
        assert abs(totals.mean() - expected) < 4 * totals.std() / np.sqrt(len(totals))
    assert (batch.raw.ended_by == 4).all() and (batch.raw.moves[:, :, 2:] == 2).all()


def test_tacitness_fails_gives_at_its_rate_and_they_stay_gives():
    """Second edition: a give of tacit knowledge that fails is still a give (the first
    edition played it as a take): the give rate stays 1, the transfers fall to 1 - tau."""
    batch = Match(Cooperator(tacitness=0.3), Cooperator(), turns=100, seed=3, repetitions=200).play_batch()
    assert (batch.give_rates[:, 0] == 1.0).all()
    rate = (batch.raw.transfers[0] == 1).mean()
    assert rate == pytest.approx(0.7, abs=4 * np.sqrt(0.21 / 20000))
    hidden = Match(Cooperator(tacitness=1.0), Cooperator(), turns=50, seed=1).play()
    assert hidden.give_rates[0] == 1.0 and (hidden.transfers[0] == 0).all() and hidden.learning == (1.0, 0.0)


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
        ({"initial_power": 3, "game": LearningGame(knowledge=Knowledge(levels=3))}, "initial_power"),
        ({"initial_power": 1}, "initial_power needs knowledge stakes"),
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
    """A prior relation in which A learned 2 levels beyond B: A holds power from round 1."""
    game = LearningGame(knowledge=Knowledge(levels=3)).with_power(strength=0.9)
    result = Match(Cooperator(), Cooperator(), game=game, turns=1, initial_power=2).play()
    assert result.stakes[:, 0].tolist() == [1, 3] and result.power[0] == 2
    assert result.payoffs[0][0] > result.payoffs[1][0]
    assert Match(Cooperator(), Cooperator(), game=game, turns=1, initial_power=-2).play().stakes[:, 0].tolist() == [3, 1]


def test_same_seed_same_results_and_repetitions_do_not_depend_on_batch_size():
    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.3), ties=Ties(levels=2)).with_power(strength=0.6)
    a, b = TrustBuilder(tacitness=0.1), RandomPlayer()
    one = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=10).play_batch()
    two = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=10).play_batch()
    small = Match(a, b, game=game, continuation=0.9, seed=7, repetitions=3).play_batch()
    assert np.array_equal(one.raw.moves[0], two.raw.moves[0]) and np.array_equal(one.totals, two.totals)
    for k in range(3):
        assert np.array_equal(one[k].moves[1], small[k].moves[1]) and np.array_equal(one[k].power, small[k].power)
        assert np.array_equal(one[k].stakes, small[k].stakes) and np.array_equal(one[k].transfers, small[k].transfers)
    other = Match(a, b, game=game, continuation=0.9, seed=8, repetitions=10).play_batch()
    assert not np.array_equal(one.totals, other.totals)


@pytest.mark.parametrize("cls", ALL_STRATEGIES, ids=lambda c: c.__name__)
def test_vectorised_and_round_by_round_paths_agree(cls):
    game = LearningGame(knowledge=Knowledge(levels=2, pace=0.5), ties=Ties(levels=2)).with_power(strength=0.7)
    for opponent in (TitForTat(tacitness=0.1), RandomPlayer(receptivity=0.6), Calculative()):
        for length in ({"turns": 30}, {"continuation": 0.9}):
            match = Match(cls(tacitness=0.05, receptivity=0.8), opponent, game=game, seed=4, repetitions=5,
                          prior_rounds=1, **length)
            fast, slow = match.play_batch(), match.play_batch(vectorised=False)
            for name in ("moves", "payoffs", "power", "transfers", "stakes", "ties", "ended_by"):
                assert np.array_equal(getattr(fast.raw, name), getattr(slow.raw, name)), name
            assert np.array_equal(fast.totals, slow.totals)


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


def stakes_chain_expectations(players, game, rounds):
    """Exact E[u_A,t], E[u_B,t] per round and the final distribution, from docs/model.md alone.

    Two memoryless players: player i leaves with probability q_i, otherwise gives with
    probability p_i, and a give transfers with probability 1 - tau_i (ties off). The state
    is the pair of stakes (K_A, K_B) while the alliance is open, plus "closed". From an
    open state every combination of (leaves, gives, transfers) is enumerated with its
    probability: an exit closes the alliance and pays P to both; otherwise the stage
    formula is paid at z_A = K_B - K_A, each side whose partner's give transferred learns
    a level with probability r pace, and the alliance closes if a side's stakes hit 0.
    """
    P, b, c, s, e = game.status_quo, game.learning_benefit, game.leak, game.synergy, game.race_premium
    gamma, M, pace, strength = game.overlap, game.knowledge.levels, game.knowledge.pace, game.power.strength
    (p_a, q_a, tau_a, r_a), (p_b, q_b, tau_b, r_b) = players

    def u(g_i, g_j, x_i, x_j, r_i, r_j, z):
        w = 0.5 + strength * z / (2 * M)
        return (P + (b - c) * r_i * x_j + gamma * c * (r_i * g_j - r_j * g_i) + gamma * e * r_i * x_j * (1 - g_i)
                + w * s * (r_i + r_j) * x_i * x_j)

    def outcomes(p, q, tau):  # (leaves, gives, transfers, probability)
        yield 1, 0, 0, q
        yield 0, 0, 0, (1 - q) * (1 - p)
        yield 0, 1, 0, (1 - q) * p * tau
        yield 0, 1, 1, (1 - q) * p * (1 - tau)

    distribution = {(M, M): 1.0}  # open states; "closed" is the key None
    expected = []
    for _ in range(rounds):
        u_a = u_b = 0.0
        following = {}
        for state, mass in distribution.items():
            if state is None:
                u_a, u_b = u_a + mass * P, u_b + mass * P
                following[None] = following.get(None, 0.0) + mass
                continue
            K_a, K_b = state
            for (l_a, g_a, x_a, pr_a), (l_b, g_b, x_b, pr_b) in itertools.product(outcomes(p_a, q_a, tau_a),
                                                                                  outcomes(p_b, q_b, tau_b)):
                chance = mass * pr_a * pr_b
                if l_a or l_b:
                    u_a, u_b = u_a + chance * P, u_b + chance * P
                    following[None] = following.get(None, 0.0) + chance
                    continue
                u_a += chance * u(g_a, g_b, x_a, x_b, r_a, r_b, K_b - K_a)
                u_b += chance * u(g_b, g_a, x_b, x_a, r_b, r_a, K_a - K_b)
                learn_a, learn_b = r_a * pace * x_b, r_b * pace * x_a
                for d_a, d_b in itertools.product((0, 1), repeat=2):
                    step = (learn_a if d_a else 1 - learn_a) * (learn_b if d_b else 1 - learn_b)
                    after = (K_a - d_a, K_b - d_b)
                    key = None if 0 in after else after
                    following[key] = following.get(key, 0.0) + chance * step
        expected.append((u_a, u_b))
        distribution = following
    return np.array(expected), distribution


@pytest.mark.parametrize(
    "a, b, parameters",
    [
        (Opportunist(receptivity=0.6), Cooperator(receptivity=0.9), ((0.0, 0.0, 0.0, 0.6), (1.0, 0.0, 0.0, 0.9))),
        (Wanderer(p=0.3, q=0.05, receptivity=0.7), RandomPlayer(p=0.8, receptivity=0.5),
         ((0.3, 0.05, 0.0, 0.7), (0.8, 0.0, 0.0, 0.5))),
        (Wanderer(p=0.5, q=0.0, tacitness=0.4), Wanderer(p=0.9, q=0.1, receptivity=0.3),
         ((0.5, 0.0, 0.4, 1.0), (0.9, 0.1, 0.0, 0.3))),
    ],
    ids=["opportunist-cooperator", "wanderer-random", "tacit-wanderers"],
)
def test_monte_carlo_payoffs_match_the_exact_stakes_chain(a, b, parameters):
    """With M = 2 the open alliance is a Markov chain on the pairs of stakes, plus one
    closed state; iterate it exactly (no engine) and check the simulated mean payoffs of
    each round and the final distribution within 4 standard errors."""
    game = LearningGame(synergy=1.5, leak=0.5, overlap=0.8, knowledge=Knowledge(levels=2, pace=0.6)).with_power(
        strength=0.7)
    rounds, n = 8, 20000
    expected, final = stakes_chain_expectations(parameters, game, rounds)
    batch = Match(a, b, game=game, turns=rounds, seed=21, repetitions=n).play_batch()
    for payoffs, column in ((batch.raw.payoffs[0], 0), (batch.raw.payoffs[1], 1)):
        error = payoffs.std(axis=0) / np.sqrt(n) + 1e-12
        assert np.all(np.abs(payoffs.mean(axis=0) - expected[:, column]) < 4 * error)
        totals = payoffs.sum(axis=1)
        assert abs(totals.mean() - expected[:, column].sum()) < 4 * totals.std() / np.sqrt(n)
    closed = batch.raw.ended_by != 0  # closed by the end of the last round
    stakes = batch.raw.stakes[:, :, -1]
    for state, chance in final.items():
        observed = closed.mean() if state is None else (~closed & (stakes[0] == state[0]) & (stakes[1] == state[1])).mean()
        assert abs(observed - chance) <= 4 * np.sqrt(chance * (1 - chance) / n) + 1e-12, state


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
        ({"initial_power": 1}, "initial_power needs knowledge stakes (power comes from dependence; set "
                               "game.knowledge.levels), got 1"),
        ({"initial_power": 3, "game": LearningGame(knowledge=Knowledge(levels=3))},
         "initial_power must be in [-2, 2] (levels already learned, below game.knowledge.levels), got 3"),
        ({"initial_power": 1.0, "game": LearningGame(knowledge=Knowledge(levels=3))},
         "initial_power must be a whole number, got 1.0"),
        ({"game": "classic"}, "game must be a LearningGame, got 'classic'"),
    ],
)
def test_invalid_match_parameters_say_what_was_expected(kwargs, message):
    with pytest.raises(ParameterError) as error:
        Match(Cooperator(), Cooperator(), **kwargs)
    assert str(error.value) == message


def test_players_must_be_players():
    with pytest.raises(ParameterError, match="player_b must be a Player, got 'Opportunist'"):
        Match(Cooperator(), "Opportunist")


def test_power_strength_without_stakes_changes_nothing():
    """M = 0: nobody depends more than the other, the power position stays 0 and the
    payoffs are Axelrod's whatever the strength."""
    game = LearningGame().with_power(strength=0.9)
    result = Match(Opportunist(), Cooperator(), game=game, turns=5).play()
    assert set(result.power.tolist()) == {0} and result.totals == (25.0, 0.0)
    assert result.stakes.tolist() == [[0] * 6, [0] * 6] and result.ended_by == 0


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

    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.3), ties=Ties(levels=2)).with_power(strength=0.5)
    for a, b in ((GTFT(), Grudger(tacitness=0.1)), (TrustBuilder(), GTFT())):
        match = Match(a, b, game=game, continuation=0.95, seed=8, repetitions=30, noise=0.07)
        fast, slow = match.play_batch(), match.play_batch(vectorised=False)
        assert np.array_equal(fast.raw.moves, slow.raw.moves) and np.array_equal(fast.raw.power, slow.raw.power)
        assert np.array_equal(fast.raw.stakes, slow.raw.stakes) and np.array_equal(fast.raw.payoffs, slow.raw.payoffs)


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
