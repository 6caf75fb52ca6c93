"""Simulated runs with mutation (learning_dilemma.dynamics.simulation): seeds,
absorption, and agreement with the exact fixation probabilities and the
small-mutation limit."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma.dynamics import (
    PROCESSES,
    SimulationResult,
    fixation_probabilities,
    simulate,
    small_mutation_limit,
)
from learning_dilemma.limits import raised

PD = [[3, 0], [5, 1]]  # Axelrod's prisoner's dilemma: 0 gives, 1 takes
PD_GIVES = [[1, 1], [0, 0]]
# Moderate intensities at which both processes are well defined for PD.
INTENSITY = {"moran": 0.2, "pairwise": 0.5}


@pytest.mark.parametrize("process", PROCESSES)
def test_simulation_is_reproducible(process):
    kwargs = dict(population=30, generations=300, mutation=0.02, process=process, give_rates=PD_GIVES)
    first, again, other = (simulate(PD, seed=s, **kwargs) for s in (5, 5, 6))
    np.testing.assert_array_equal(first.counts, again.counts)
    np.testing.assert_array_equal(first.mean_shares, again.mean_shares)
    assert first.give_rate == again.give_rate and first.entropy == 5
    assert not np.array_equal(first.counts, other.counts)
    assert first.counts.shape == (301, 2) and np.all(first.counts.sum(axis=1) == 30)
    np.testing.assert_array_equal(first.counts[0], [15, 15])  # an even start by default


@pytest.mark.parametrize("process", PROCESSES)
def test_without_mutation_the_population_absorbs(process):
    run = simulate(PD, population=20, generations=500, mutation=0.0, process=process, seed=3)
    final = run.counts[-1]
    assert sorted(final.tolist()) == [0, 20]
    first_absorbed = np.flatnonzero(run.counts.max(axis=1) == 20)[0]
    assert np.all(run.counts[first_absorbed:] == final)  # and stays there
    still = simulate(PD, population=20, generations=50, mutation=0.0, process=process, seed=3, start=[20, 0])
    assert still.events == 0 and np.all(still.counts == [20, 0])


@pytest.mark.parametrize("process", PROCESSES)
def test_simulated_fixation_frequency_matches_the_exact_probability(process):
    # A single cooperator among defectors in a coordination-like game where both
    # fixation probabilities are moderate; binomial tolerance of 4 standard deviations.
    A = [[4, 0], [2, 1.5]]
    N, runs = 8, 800
    rho = fixation_probabilities(A, N, process, INTENSITY[process])[1, 0]
    fixed = sum(
        simulate(A, N, 5000, 0.0, process, INTENSITY[process], seed=k, start=[1, N - 1]).counts[-1, 0] == N
        for k in range(runs)
    )
    assert abs(fixed / runs - rho) < 4 * np.sqrt(rho * (1 - rho) / runs)


@pytest.mark.parametrize("process, intensity", [("pairwise", 0.5), ("moran", 0.2)])
def test_time_averages_approach_the_small_mutation_limit(process, intensity):
    # N = 6, mutation 2e-4, 5 million generations (about 6,000 mutations). Over 20
    # seeds the time-averaged shares deviated from the limit by at most 0.033, with
    # standard deviation at most 0.015 per strategy: the tolerance 0.06 is about 4 of them,
    # and the limit itself is far from uniform (0.72 or 0.52 for the third strategy).
    A = [[2, 0, 1], [3, 1, 0], [1, 2, 2]]
    limit = small_mutation_limit(A, 6, process, intensity).distribution
    with raised(generations=30_000_000):  # 30 million steps: above the default limit, cheap with rare mutations
        run = simulate(A, 6, 5_000_000, 2e-4, process, intensity, seed=11)
    np.testing.assert_allclose(run.mean_shares, limit, atol=0.06)
    assert limit.max() > 0.5


def test_simulation_result_old_name_still_works_and_warns():
    run = simulate(PD, population=10, generations=20, mutation=0.05, seed=2, give_rates=PD_GIVES)
    assert isinstance(run, SimulationResult)
    with pytest.warns(DeprecationWarning, match="SimulationResult.give_share is deprecated; "
                      "use SimulationResult.give_rate"):
        assert run.give_share == run.give_rate
