"""Batched evolutionary outcomes (learning_dilemma.dynamics.batch) against the
one-matrix functions of learning_dilemma.dynamics.replicator and .fixation."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma.exact import payoff_matrices
from learning_dilemma.errors import ParameterError
from learning_dilemma.dynamics import replicator, small_mutation_limit
from learning_dilemma.dynamics.batch import (
    ReplicatorEndpoints,
    SmallMutationLimits,
    replicator_endpoints,
    small_mutation_limits,
)
from learning_dilemma.io.scenarios import load_scenario


def random_stack(count, n, seed):
    rng = np.random.default_rng(seed)
    payoffs = rng.uniform(0.0, 5.0, (count, n, n))
    gives = rng.uniform(0.0, 1.0, (count, n, n))
    return payoffs, gives


@pytest.fixture(scope="module")
def larsson_stack():
    """Exact matrices of the default roster on a 6 x 5 grid of (continuation, strength)."""
    scenario = load_scenario("larsson")
    grid = payoff_matrices(scenario.players, scenario.game, np.linspace(0.5, 0.99, 6), np.linspace(0, 1, 5))
    n = len(scenario.players)
    return grid.payoffs.reshape(-1, n, n), grid.give_rates.reshape(-1, n, n)


def test_replicator_endpoints_agree_with_the_solve_ivp_replicator(larsson_stack):
    payoffs, gives = larsson_stack
    ends = replicator_endpoints(payoffs, give_rates=gives)
    for p in range(len(payoffs)):
        single = replicator(payoffs[p], give_rates=gives[p])
        assert ends.settled[p] == single.settled
        # A run still cycling at t_max has drifted a little along its cycle in each integrator.
        close = 1e-6 if single.settled else 1e-4
        assert ends.final[p] == pytest.approx(single.final, abs=close)
        assert ends.give_rates[p] == pytest.approx(single.give_rate, abs=close)
        assert ends.survivors[p] == single.survivors
    assert 0 < ends.settled.sum() < len(payoffs)  # both kinds of point are checked


def test_random_games_with_interior_rest_points_agree_too():
    payoffs, gives = random_stack(40, 4, seed=3)
    ends = replicator_endpoints(payoffs, give_rates=gives)
    for p in range(len(payoffs)):
        single = replicator(payoffs[p], give_rates=gives[p])
        assert ends.final[p] == pytest.approx(single.final, abs=1e-6)
        assert ends.survivors[p] == single.survivors


def test_hawk_dove_ends_at_v_over_c_and_the_prisoners_dilemma_at_defection():
    value, cost = 2.0, 3.0
    hawk_dove = [[(value - cost) / 2, value], [0.0, value / 2]]
    ends = replicator_endpoints([hawk_dove, [[3, 0], [5, 1]]], give_rates=[[0, 0], [1, 1]])
    assert ends.final[0, 0] == pytest.approx(value / cost, abs=1e-7)
    assert ends.survivors == [(0, 1), (1,)] and ends.settled.all()
    assert ends.final[1, 1] == pytest.approx(1.0, abs=1e-7)


def test_a_rest_point_a_rare_strategy_can_invade_is_not_the_end():
    """As in dynamics.replicator: a defector at 1e-20 among givers comes back and takes over,
    and every point that settles is a Nash equilibrium of the strategies present."""
    ends = replicator_endpoints([[3, 0], [5, 1]], x0=[1 - 1e-20, 1e-20])
    assert ends.survivors == [(1,)] and ends.settled[0] and ends.stop_times[0] > 20
    payoffs, _ = random_stack(40, 4, seed=5)
    ends = replicator_endpoints(payoffs)
    fitness = np.einsum("pij,pj->pi", payoffs, ends.final)
    excess = fitness.max(axis=1) - np.einsum("pi,pi->p", ends.final, fitness)
    assert ends.settled.sum() >= 25
    assert np.all(excess[ends.settled] <= 1e-9 * np.ptp(payoffs.reshape(40, -1), axis=1)[ends.settled])


def test_rock_paper_scissors_runs_to_t_max_on_its_orbit():
    """Zero-sum RPS conserves x1 x2 x3: the run never settles and stays on the orbit."""
    rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    start = [0.5, 0.3, 0.2]
    ends = replicator_endpoints(rps, x0=start, t_max=200.0)
    assert not ends.settled[0] and ends.stop_times[0] == 200.0
    assert np.prod(ends.final[0]) == pytest.approx(np.prod(start), rel=1e-6)


def test_absent_strategies_stay_absent_and_a_rest_point_stops_at_once():
    ends = replicator_endpoints([[3, 0, 0], [5, 1, 9], [0, 0, 1]], x0=[0.5, 0.5, 0.0])
    assert ends.final[0, 2] == 0.0 and ends.survivors == [(1,)]
    at_rest = replicator_endpoints([[1, 1], [1, 1]])
    assert at_rest.stop_times[0] == 0.0 and at_rest.steps[0] == 0 and at_rest.settled[0]


def test_a_point_does_not_depend_on_the_other_points_in_the_stack(larsson_stack):
    payoffs, gives = larsson_stack
    together = replicator_endpoints(payoffs, give_rates=gives)
    limits = small_mutation_limits(payoffs, 50, give_rates=gives)
    for p in (0, 7, len(payoffs) - 1):
        alone = replicator_endpoints(payoffs[p], give_rates=gives[p])
        assert np.array_equal(alone.final[0], together.final[p]) and alone.steps[0] == together.steps[p]
        one_limit = small_mutation_limits(payoffs[p], 50, give_rates=gives[p])
        assert np.array_equal(one_limit.distribution[0], limits.distribution[p])


@pytest.mark.parametrize("process, intensity", [("moran", 0.1), ("moran", 0.5), ("pairwise", 1.0), ("pairwise", 20.0)])
def test_small_mutation_limits_equal_the_one_matrix_function(larsson_stack, process, intensity):
    payoffs, gives = larsson_stack
    limits = small_mutation_limits(payoffs, 50, process, intensity, give_rates=gives)
    for p in range(0, len(payoffs), 3):
        single = small_mutation_limit(payoffs[p], 50, process, intensity, give_rates=gives[p])
        assert limits.distribution[p] == pytest.approx(single.distribution, rel=1e-9, abs=1e-15)
        assert limits.give_rates[p] == pytest.approx(single.give_rate, rel=1e-9, abs=1e-15)
        assert limits.survivors[p] == single.survivors


def test_the_linear_and_logarithmic_fixation_paths_agree(monkeypatch):
    """Products of fitness ratios are formed directly when they cannot overflow;
    forcing the log-space path must give the same numbers."""
    from learning_dilemma.dynamics import batch

    payoffs, _ = random_stack(12, 5, seed=8)
    direct = small_mutation_limits(payoffs, 30, "moran", 0.9).distribution
    monkeypatch.setattr(batch, "_LINEAR_SAFE", -1.0)
    logarithmic = small_mutation_limits(payoffs, 30, "moran", 0.9).distribution
    assert direct == pytest.approx(logarithmic, rel=1e-10)


def test_a_point_with_no_unique_distribution_is_nan_not_an_error():
    """Selection so strong that every fixation probability underflows: that point
    is nan, the others are computed."""
    frozen = np.array([[1000.0, 0.0], [0.0, 1000.0]])
    limits = small_mutation_limits([frozen, [[3, 0], [5, 1]]], 50, "pairwise", 50.0)
    assert np.isnan(limits.distribution[0]).all() and limits.survivors[0] == ()
    assert limits.distribution[1] == pytest.approx([0.0, 1.0], abs=1e-12)


def test_old_names_of_the_batched_results_still_work_and_warn():
    ends = replicator_endpoints([[[3, 0], [5, 1]]], give_rates=[[1, 1], [0, 0]])
    assert isinstance(ends, ReplicatorEndpoints)
    with pytest.warns(DeprecationWarning, match="ReplicatorEndpoints.converged is deprecated; "
                      "use ReplicatorEndpoints.settled"):
        assert ends.converged is ends.settled
    with pytest.warns(DeprecationWarning, match="ReplicatorEndpoints.give_shares is deprecated; "
                      "use ReplicatorEndpoints.give_rates"):
        assert ends.give_shares is ends.give_rates
    limits = small_mutation_limits([[3, 0], [5, 1]], 20, give_rates=[[1, 1], [0, 0]])
    assert isinstance(limits, SmallMutationLimits)
    with pytest.warns(DeprecationWarning, match="SmallMutationLimits.give_shares is deprecated; "
                      "use SmallMutationLimits.give_rates"):
        assert limits.give_shares is limits.give_rates


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: replicator_endpoints([[1, 2, 3]]), "shape"),
        (lambda: replicator_endpoints([[[1]]]), "at least 2"),
        (lambda: replicator_endpoints([[1, np.nan], [0, 1]]), "finite"),
        (lambda: replicator_endpoints([[1, 0], [0, 1]], give_rates=[[2, 0], [0, 0]]), "[0, 1]"),
        (lambda: replicator_endpoints([[1, 0], [0, 1]], give_rates=np.zeros((3, 3))), "shape"),
        (lambda: replicator_endpoints([[1, 0], [0, 1]], x0=[-1, 2]), "non-negative"),
        (lambda: replicator_endpoints([[1, 0], [0, 1]], t_max=0), "t_max"),
        (lambda: small_mutation_limits([[1, 0], [0, 1]], 1), "population"),
        (lambda: small_mutation_limits([[1, 0], [0, 1]], 10, "voter"), "process"),
        (lambda: small_mutation_limits([[-5, 0], [0, 1]], 10, "moran", 0.9), "fitness"),
    ],
)
def test_bad_input_is_a_parameter_error(call, words):
    with pytest.raises(ParameterError, match=None) as error:
        call()
    assert words in str(error.value)
