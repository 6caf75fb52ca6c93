"""Survivors and give rates read off a population (learning_dilemma.dynamics.measures),
and the deprecated give_share names."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma.dynamics import (
    give_rate,
    give_share,
    population_give_rate,
    population_give_share,
    simulate,
    surviving,
)

PD = [[3, 0], [5, 1]]  # Axelrod's prisoner's dilemma: 0 gives, 1 takes
PD_GIVES = [[1, 1], [0, 0]]


def test_population_give_rate_counts_each_individual_meeting_the_others():
    G = np.array([[0.9, 0.4], [0.3, 0.0]])
    # Counts (2, 1): ordered pairs 0-0 twice, 0-1 twice, 1-0 twice, out of 3 * 2.
    assert population_give_rate([2, 1], G) == pytest.approx((2 * 0.9 + 2 * 0.4 + 2 * 0.3) / 6)
    # A pure giver's share of giving is its share of the population.
    run = simulate(PD, population=25, generations=400, mutation=0.05, seed=2, give_rates=PD_GIVES)
    assert run.give_rate == pytest.approx(run.mean_shares[0])


def test_give_rate_is_x_g_x_and_survivors_meet_the_threshold():
    assert give_rate([0.25, 0.75], PD_GIVES) == pytest.approx(0.25)
    assert give_rate([0.25, 0.75], None) is None and population_give_rate([2, 1], None) is None
    assert surviving([0.5, 0.049, 0.05], 0.05) == (0, 2)


def test_the_old_give_share_functions_still_work_and_warn():
    G = np.array([[0.9, 0.4], [0.3, 0.0]])
    with pytest.warns(DeprecationWarning, match="give_share is deprecated; use give_rate"):
        assert give_share([0.5, 0.5], G) == give_rate([0.5, 0.5], G)
    with pytest.warns(DeprecationWarning, match="population_give_share is deprecated; use population_give_rate"):
        assert population_give_share([2, 1], G) == population_give_rate([2, 1], G)
