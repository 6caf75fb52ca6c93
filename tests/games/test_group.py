"""The group game's rules (learning_dilemma.games.group), one by one.

Each rule is checked against an independent derivation: the pairwise rule at
n = 2 (to the bit), hand-computed values from the stage game's R, S, T, P, and
the documented limits (nobody gives: P; congestion off: sums; on: means).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, LearningGame, Power, stage_payoff
from learning_dilemma.games.group import (
    GroupGame, Pairs, attention, group_learned, group_organisation_payoffs, group_payoff, group_person_payoffs,
    group_stage_payoffs, observed_give, others_stakes, quorum_needed,
)
from learning_dilemma.games.levels import organisation_payoff, person_payoff


# --- GroupGame -------------------------------------------------------------------------


def test_defaults_are_a_fixed_attention_budget_and_a_majority_quorum():
    assert GroupGame() == GroupGame(congestion=1.0, quorum=0.5)
    assert GroupGame(congestion=0, quorum=1).congestion == 0.0


@pytest.mark.parametrize("kwargs, key", [
    ({"congestion": -0.1}, "group.congestion"), ({"congestion": 1.5}, "group.congestion"),
    ({"congestion": "high"}, "group.congestion"), ({"congestion": float("nan")}, "group.congestion"),
    ({"quorum": 0.0}, "group.quorum"), ({"quorum": 1.01}, "group.quorum"), ({"quorum": None}, "group.quorum"),
])
def test_bad_parameters_give_one_line_naming_the_key(kwargs, key):
    with pytest.raises(ParameterError) as error:
        GroupGame(**kwargs)
    assert key in str(error.value) and "\n" not in str(error.value)


# --- pairs -----------------------------------------------------------------------------


def test_pairs_run_giver_major_as_the_draws_columns():
    pairs = Pairs.of_sizes([3, 2])
    # group 0 (members 0, 1, 2): 0->1, 0->2, 1->0, 1->2, 2->0, 2->1; group 1 (members 3, 4): 3->4, 4->3
    assert list(zip(pairs.first.tolist(), pairs.second.tolist())) == [
        (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (3, 4), (4, 3)]
    assert pairs.members == 5 and len(pairs) == 8


@pytest.mark.parametrize("sizes", [[2], [5], [2, 7, 3]])
def test_reverse_maps_each_pair_to_its_mirror(sizes):
    pairs = Pairs.of_sizes(sizes)
    assert np.array_equal(pairs.first[pairs.reverse], pairs.second)
    assert np.array_equal(pairs.second[pairs.reverse], pairs.first)
    assert np.array_equal(pairs.reverse[pairs.reverse], np.arange(len(pairs)))


# --- attention, learning, the quorum, the view ----------------------------------------------


@pytest.mark.parametrize("theta", [0.0, 0.3, 0.5, 1.0])
def test_attention_is_exactly_one_for_two_members(theta):
    assert attention(2, theta) == 1.0 and attention(np.array([2, 2]), theta).tolist() == [1.0, 1.0]


def test_attention_spreads_a_budget_over_the_others():
    n = np.arange(2, 20)
    assert np.array_equal(attention(n, 0.0), np.ones(len(n)))                  # no congestion
    assert np.allclose(attention(n, 1.0) * (n - 1), 1.0)                        # one relation's worth in all
    assert np.allclose(attention(n, 0.5), 1 / np.sqrt(n - 1))


def test_learning_is_the_attention_weighted_share_of_gives_capped_at_one():
    assert group_learned(1.0, np.array([0, 1])).tolist() == [0.0, 1.0]         # the pairwise x_j
    assert group_learned(0.25, np.array([0, 1, 2, 4])).tolist() == [0.0, 0.25, 0.5, 1.0]
    assert group_learned(1.0, np.array([3])).tolist() == [1.0]                  # theta = 0: capped


@pytest.mark.parametrize("quorum", [1e-9, 0.2, 0.5, 0.99, 1.0])
def test_at_two_members_any_quorum_sees_the_partner_give_as_it_transferred(quorum):
    assert observed_give(np.array([0, 1]), np.array([2, 2]), quorum).tolist() == [False, True]


@pytest.mark.parametrize("quorum, others, need", [
    (0.5, 4, 2), (0.75, 4, 3), (1.0, 4, 4), (0.5, 5, 3), (0.7, 10, 7), (0.3, 10, 3), (0.1, 3, 1), (1.0, 14, 14),
])
def test_the_quorum_is_the_smallest_count_at_least_its_share_of_the_others(quorum, others, need):
    assert quorum_needed(others + 1, quorum) == need
    assert observed_give(need, others + 1, quorum) and not observed_give(need - 1, others + 1, quorum)


def test_others_stakes_are_the_partners_at_two_and_a_rounded_mean_above():
    # group of two: K = (3, 1): each sees the other's
    assert others_stakes(np.array([4, 4]), np.array([3, 1]), np.array([2, 2])).tolist() == [1, 3]
    # group of three with K = (0, 1, 4): member 0 sees mean(1, 4) = 2.5 -> 2 (half to even), member 2 sees 0.5 -> 0
    assert others_stakes(np.array([5, 5, 5]), np.array([0, 1, 4]), 3).tolist() == [2, 2, 0]


# --- payoffs ---------------------------------------------------------------------------------


def _random_round(rng, sizes, levels=3):
    pairs = Pairs.of_sizes(sizes)
    n = pairs.members
    gives = rng.random(n) < 0.6
    transfers = gives[pairs.first] & (rng.random(len(pairs)) < 0.7)
    r = rng.uniform(0.05, 1.0, n)
    stakes = rng.integers(0, levels + 1, n)
    return pairs, gives, transfers, r, stakes


GAME = LearningGame(status_quo=0.37, learning_benefit=2.3, leak=0.9, synergy=1.3, race_premium=1.7,
                    knowledge=Knowledge(3), power=Power(0.6), overlap=0.7)


def test_at_two_members_the_group_payoff_is_the_pairwise_stage_payoff_to_the_bit():
    rng = np.random.default_rng(3)
    for _ in range(50):
        pairs, gives, transfers, r, stakes = _random_round(rng, [2] * 40)
        active = np.ones(pairs.members, dtype=bool)
        count = np.full(pairs.members, 2)
        for theta in (0.0, 0.5, 1.0):
            got = group_stage_payoffs(GAME, pairs, gives, transfers, r, stakes, active, attention(count, theta), count)
            i, j = pairs.first, pairs.second
            # member i is the first of exactly one pair, (i, j): u_i = u_ij
            want = stage_payoff(GAME, gives[i], gives[j], transfers, transfers[pairs.reverse], r[i], r[j],
                                stakes[j] - stakes[i])
            assert np.array_equal(got[i], want)


@pytest.mark.parametrize("n", [2, 3, 5, 8, 15, 49])
@pytest.mark.parametrize("theta", [0.0, 0.3, 0.5, 1.0])
def test_a_group_where_nobody_gives_pays_everyone_the_status_quo(n, theta):
    for status_quo, exact in ((1.0, True), (0.3, False), (-2.5, False)):
        game = LearningGame(status_quo=status_quo)
        pairs = Pairs.of_sizes([n])
        none = np.zeros(n, dtype=bool)
        count = np.full(n, n)
        got = group_stage_payoffs(game, pairs, none, np.zeros(len(pairs), bool), np.ones(n), np.zeros(n, int),
                                  np.ones(n, bool), attention(count, theta), count)
        if exact:  # at P = 1 the status-quo weight (1 - a(n - 1)) makes it exact, whatever the rounding of a
            assert np.array_equal(got, np.full(n, status_quo))
        else:
            assert np.allclose(got, status_quo, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("n", [3, 5, 9])
def test_a_takers_payoff_grows_with_the_gives_it_receives_as_documented(n):
    # the taker is member 0; k of the others give (every give transfers), the rest take
    game = LearningGame()
    R, S, T, P = game.rstp()
    pairs = Pairs.of_sizes([n])
    count = np.full(n, n)
    for k in range(n):
        gives = np.array([False] + [m <= k for m in range(1, n)])
        transfers = gives[pairs.first].copy()
        args = (game, pairs, gives, transfers, np.ones(n), np.zeros(n, int), np.ones(n, bool))
        summed = group_stage_payoffs(*args, attention(count, 0.0), count)[0]
        mean = group_stage_payoffs(*args, attention(count, 1.0), count)[0]
        # no congestion: each received give pays T - P on top of P; a fixed budget: the share of givers does
        assert summed == pytest.approx(P + k * (T - P), abs=1e-12)
        assert mean == pytest.approx(P + k / (n - 1) * (T - P), abs=1e-12)


def test_members_not_active_earn_the_status_quo_and_count_for_nobody():
    game = LearningGame()
    R, S, T, P = game.rstp()
    pairs = Pairs.of_sizes([4])
    gives = np.array([False, True, True, True])
    active = np.array([True, True, True, False])          # member 3 has left: its give reaches nobody
    transfers = gives[pairs.first] & active[pairs.second] & active[pairs.first]
    count = np.full(4, 3)
    got = group_stage_payoffs(game, pairs, gives, transfers, np.ones(4), np.zeros(4, int), active,
                              attention(count, 1.0), count)
    assert got[3] == P
    assert got[0] == pytest.approx(T)                       # both other active members gave: T, averaged
    assert got[1] == pytest.approx((S + R) / 2)             # one taker, one giver among its two others


def test_group_payoff_weighs_pairs_and_fills_the_status_quo():
    pairs = Pairs.of_sizes([3])
    values = np.arange(1.0, 7.0)                            # pairs (0,1)=1, (0,2)=2, (1,0)=3, ...
    active = np.ones(3, dtype=bool)
    out = group_payoff(pairs, values, active, np.full(3, 0.5), np.full(3, 3), 10.0)
    assert out.tolist() == [0.5 * 3 + 0.0 * 10, 0.5 * 7, 0.5 * 11]


def test_two_levels_reduce_to_the_stage_payoff_to_the_bit_and_weigh_each_pair():
    rng = np.random.default_rng(5)
    for sizes in ([2] * 10, [3, 5, 2, 7]):
        pairs, gives, transfers, r, stakes = _random_round(rng, sizes)
        n = pairs.members
        active = rng.random(n) < 0.9
        count = np.full(n, 4)
        weight = attention(count, 0.7)
        stage = group_stage_payoffs(GAME, pairs, gives, transfers, r, stakes, active, weight, count)
        ones, zeros = np.ones(n), np.zeros(n)
        person = group_person_payoffs(GAME, pairs, gives, transfers, r, stakes, active, weight, count, ones, ones,
                                      zeros, zeros, zeros)
        organisation = group_organisation_payoffs(GAME, pairs, gives, transfers, r, stakes, active, weight, count,
                                                  ones)
        assert np.array_equal(person, stage) and np.array_equal(organisation, stage)
        # away from the limits: each pair's levels payoff, weighted, plus the act value once
        alpha, lam = rng.random(n), rng.random(n)
        rho, kappa, prescribed = rng.random(n), rng.random(n), (rng.random(n) < 0.5) * 1.0
        i, j = pairs.first, pairs.second
        x_ij, x_ji, z = transfers, transfers[pairs.reverse], stakes[j] - stakes[i]
        u = person_payoff(GAME, gives[i], gives[j], x_ij, x_ji, r[i], r[j], z, alpha[i], alpha[j], lam[i])
        pi = organisation_payoff(GAME, gives[i], gives[j], x_ij, x_ji, r[i], r[j], z, alpha[i], alpha[j])
        live = active[i] & active[j]
        act = rho * gives - kappa * np.abs(gives - prescribed)
        P = GAME.status_quo
        for got, per_pair, extra in (
            (group_person_payoffs(GAME, pairs, gives, transfers, r, stakes, active, weight, count, alpha, lam, rho,
                                  kappa, prescribed), u, act),
            (group_organisation_payoffs(GAME, pairs, gives, transfers, r, stakes, active, weight, count, alpha),
             pi, 0.0),
        ):
            summed = np.array([per_pair[(i == m) & live].sum() for m in range(n)])
            want = np.where(active, weight * summed + (1 - weight * 3) * P + extra, P)
            assert np.allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n", [2, 4, 10])
def test_recognition_is_paid_once_per_give_whatever_the_group_size(n):
    pairs = Pairs.of_sizes([n])
    gives = np.arange(n) % 2 == 0
    transfers = gives[pairs.first]
    count = np.full(n, n)
    ones, zeros = np.ones(n), np.zeros(n)
    args = (LearningGame(), pairs, gives, transfers, ones, np.zeros(n, int), np.ones(n, bool), attention(count, 1.0),
            count, ones, ones)
    plain = group_person_payoffs(*args, zeros, zeros, zeros)
    recognised = group_person_payoffs(*args, np.full(n, 0.5), zeros, zeros)
    assert np.allclose(recognised - plain, 0.5 * gives)


def test_overlap_per_pair_enters_each_relation():
    # member 0 takes from two givers: one a direct rival (gamma = 1), one of the same organisation (gamma = 0)
    game = LearningGame()
    pairs = Pairs.of_sizes([3])
    gives = np.array([False, True, True])
    transfers = gives[pairs.first]
    gamma = np.array([1.0, 0.0, 1.0, 0.5, 0.0, 0.5])       # (0,1), (0,2), (1,0), (1,2), (2,0), (2,1)
    count = np.full(3, 3)
    got = group_stage_payoffs(game, pairs, gives, transfers, np.ones(3), np.zeros(3, int), np.ones(3, bool),
                              attention(count, 0.0), count, gamma)
    one = [stage_payoff(game, 0, 1, 0, 1, 1.0, 1.0, 0, g) for g in (1.0, 0.0)]
    assert got[0] == pytest.approx(one[0] + one[1] - game.status_quo)
    assert one[0] != one[1]


def test_rules_are_vectorised_and_python_numbers_work():
    assert attention(3, 1.0) == 0.5
    assert bool(observed_give(2, 5, 0.5)) and not bool(observed_give(1, 5, 0.5))
    assert list(itertools.islice(quorum_needed(np.array([2, 3, 4, 5]), 1.0), 4)) == [1, 2, 3, 4]
