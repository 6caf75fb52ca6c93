"""Contract: the relation's rules (learning_dilemma.games.knowledge) are each written once,
and their forms agree with the rule written out here case by case: the stakes rule
(stakes_move) with its sampled form (stakes_step, both simulation engines) and its exact
form (stakes_transitions, the exact engine); tie_step; failure_probability; race_over."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from learning_dilemma.games import (
    Knowledge, Ties, failure_probability, race_over, stakes_move, stakes_step, stakes_transitions, tie_step,
)

KNOWLEDGE = [Knowledge(levels=3, pace=1.0), Knowledge(levels=3, pace=0.3), Knowledge(levels=1, pace=0.5)]
RECEPTIVITIES = (0.0, 0.35, 1.0)
GRID = (np.arange(4000) + 0.5) / 4000  # evenly spaced draws: exact frequencies to 1/4000


def written_law(stakes, learned, receptivity, knowledge):
    """docs/model.md: a transferred give of the partner teaches one level with probability
    r pace (Cohen & Levinthal 1990); nothing is learned from a take or a failed give, nothing
    below 0, nothing at all with stakes off; stakes never rise."""
    if not knowledge.active or not learned or stakes == 0:
        return {stakes: 1.0}
    chance = receptivity * knowledge.pace
    return {k: v for k, v in {stakes - 1: chance, stakes: 1.0 - chance}.items() if v > 0} or {stakes: 1.0}


CASES = [(k, s, x, r) for k in KNOWLEDGE for s in range(k.levels + 1) for x in (0, 1) for r in RECEPTIVITIES]


@pytest.mark.parametrize("knowledge, stakes, learned, receptivity", CASES)
def test_the_sampled_and_exact_stakes_rules_follow_the_written_rule(knowledge, stakes, learned, receptivity):
    expected = written_law(stakes, learned, receptivity, knowledge)
    # the exact form, zero-probability entries dropped
    exact = {}
    for following, chance in stakes_transitions(stakes, learned, receptivity, knowledge):
        exact[int(following)] = exact.get(int(following), 0.0) + float(chance)
    exact = {k: v for k, v in exact.items() if v > 0}
    assert sum(exact.values()) == pytest.approx(1.0) and exact == pytest.approx(expected)
    # the sampled form, on arrays (the vectorised engine) and on Python numbers (round by round)
    sampled = stakes_step(np.full(GRID.size, stakes), np.full(GRID.size, learned), GRID, receptivity, knowledge)
    frequencies = {int(k): c / GRID.size for k, c in zip(*np.unique(sampled, return_counts=True))}
    assert frequencies == pytest.approx(expected, abs=1 / GRID.size)
    scalar = [int(stakes_step(stakes, learned, float(d), receptivity, knowledge)) for d in GRID[::97]]
    assert scalar == sampled[::97].tolist()
    # the one rule: where it moves and with which probability
    moved, probability = stakes_move(stakes, learned, receptivity, knowledge)
    if stakes > 0 and learned and knowledge.active:
        assert int(moved) == stakes - 1 and float(probability) == pytest.approx(receptivity * knowledge.pace)
    else:
        assert float(probability) == 0.0


def test_a_level_is_learned_exactly_where_the_draw_is_below_r_pace():
    knowledge = Knowledge(levels=2, pace=0.5)
    assert stakes_step(2, 1, 0.2999, 0.6, knowledge) == 1 and stakes_step(2, 1, 0.3, 0.6, knowledge) == 2
    assert stakes_step(2, 0, 0.0, 0.6, knowledge) == 2  # nothing transferred, nothing learned


def test_stakes_off_never_move_in_any_form():
    off = Knowledge()
    assert stakes_step(0, 1, 0.0, 1.0, off) == 0
    assert stakes_transitions(0, 1, 1.0, off) == [(0, 1.0)]
    assert not race_over(0, 0, off)


@pytest.mark.parametrize("levels", [0, 1, 3])
def test_the_tie_grows_after_each_round_of_mutual_giving_up_to_h(levels):
    """Hansen (1999): one level stronger after a round where both played give (whether or
    not it transferred), never weaker, at most H; always 0 with ties off (H = 0)."""
    ties = Ties(levels=levels)
    for tie, g_a, g_b in itertools.product(range(levels + 1), (0, 1), (0, 1)):
        expected = min(tie + (g_a and g_b), levels)
        assert int(tie_step(tie, g_a, g_b, ties)) == expected
        assert int(tie_step(tie, bool(g_a), bool(g_b), ties)) == expected  # the round-by-round engine's bools
    tie, g_a, g_b = (np.array(c) for c in zip(*itertools.product(range(levels + 1), (0, 1), (0, 1))))
    assert tie_step(tie, g_a, g_b, ties).tolist() == [min(t + (a and b), levels) for t, a, b in zip(tie, g_a, g_b)]


@pytest.mark.parametrize("tacitness", [0.0, 0.2, 1.0])
def test_a_give_fails_with_probability_tau_times_the_ties_missing_strength(tacitness):
    """tau (1 - t / H) with ties on, tau with ties off, on numbers and arrays alike."""
    for levels in (1, 2, 4):
        ties = Ties(levels=levels)
        for tie in range(levels + 1):
            assert float(failure_probability(tacitness, tie, ties)) == pytest.approx(tacitness * (1 - tie / levels))
        array = failure_probability(np.full(levels + 1, tacitness), np.arange(levels + 1), ties)
        assert np.allclose(array, tacitness * (1 - np.arange(levels + 1) / levels))
    assert float(failure_probability(tacitness, 0, Ties())) == tacitness
    assert np.array_equal(failure_probability(np.array([tacitness] * 3), np.zeros(3), Ties()), [tacitness] * 3)


def test_the_race_is_over_when_either_sides_stakes_are_exhausted():
    knowledge = Knowledge(levels=2)
    for a, b in itertools.product(range(3), repeat=2):
        assert bool(race_over(a, b, knowledge)) == (a == 0 or b == 0)
    a, b = np.array([0, 1, 2, 2]), np.array([2, 1, 0, 2])
    assert race_over(a, b, knowledge).tolist() == [True, False, True, False]
