"""Exact fixation probabilities (learning_dilemma.dynamics.fixation) against a
direct solve of the birth-death chain and the results of Nowak et al. (2004),
and the small-mutation limit (Fudenberg & Imhof 2006)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma.dynamics import (
    PROCESSES,
    SmallMutationResult,
    fixation_probabilities,
    small_mutation_limit,
    stationary_distribution,
)

PD = [[3, 0], [5, 1]]  # Axelrod's prisoner's dilemma: 0 gives, 1 takes
PD_GIVES = [[1, 1], [0, 0]]
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
# Moderate intensities at which both processes are well defined for PD.
INTENSITY = {"moran": 0.2, "pairwise": 0.5}


def absorption_by_linear_solve(A, resident, mutant, N, process, intensity):
    """Probability that k = 1 mutants reach k = N, by solving the birth-death
    chain's absorption equations directly from its transition probabilities."""
    A = np.asarray(A, dtype=float)
    k = np.arange(1, N)
    f_mut = (A[mutant, mutant] * (k - 1) + A[mutant, resident] * (N - k)) / (N - 1)
    f_res = (A[resident, mutant] * k + A[resident, resident] * (N - k - 1)) / (N - 1)
    if process == "moran":
        F_mut, F_res = 1 - intensity + intensity * f_mut, 1 - intensity + intensity * f_res
        total = k * F_mut + (N - k) * F_res
        up = k * F_mut / total * (N - k) / N
        down = (N - k) * F_res / total * k / N
    else:
        meet = k * (N - k) / (N * (N - 1))
        up = meet / (1 + np.exp(-intensity * (f_mut - f_res)))
        down = meet / (1 + np.exp(-intensity * (f_res - f_mut)))
    # (up + down) x_k - up x_{k+1} - down x_{k-1} = 0, x_0 = 0, x_N = 1.
    system = np.diag(up + down) - np.diag(up[:-1], 1) - np.diag(down[1:], -1)
    target = np.zeros(N - 1)
    target[-1] = up[-1]
    return np.linalg.solve(system, target)[0]


@pytest.mark.parametrize("process, intensity", [("moran", 0.1), ("moran", 0.9), ("pairwise", 0.3), ("pairwise", 2.0)])
@pytest.mark.parametrize("N", [2, 3, 7, 25])
def test_fixation_probabilities_match_a_direct_solve_of_the_chain(process, intensity, N):
    rng = np.random.default_rng(N)
    A = rng.uniform(0, 5, size=(3, 3))
    rho = fixation_probabilities(A, N, process, intensity)
    for i in range(3):
        for j in range(3):
            expected = absorption_by_linear_solve(A, i, j, N, process, intensity)
            assert rho[i, j] == pytest.approx(expected, rel=1e-9), (i, j)


@pytest.mark.parametrize("process", PROCESSES)
def test_neutral_selection_gives_one_over_n(process):
    A = np.random.default_rng(1).normal(size=(4, 4))
    np.testing.assert_allclose(fixation_probabilities(A, 17, process, 0.0), 1 / 17)
    # Equal payoffs are neutral at any intensity; so is a strategy against itself.
    np.testing.assert_allclose(fixation_probabilities(np.ones((3, 3)), 9, process, 1.0), 1 / 9)
    np.testing.assert_allclose(np.diag(fixation_probabilities(PD, 9, process, INTENSITY[process])), 1 / 9)


@pytest.mark.parametrize("process", PROCESSES)
@pytest.mark.parametrize("N", [3, 10, 100])
def test_a_defector_invades_cooperators_and_not_vice_versa(process, N):
    rho = fixation_probabilities(PD, N, process, INTENSITY[process])
    assert rho[0, 1] > 1 / N > rho[1, 0]


@pytest.mark.parametrize("process", PROCESSES)
def test_nowak_condition_for_weak_selection(process):
    # Nowak et al. (2004): for weak selection, a single A (row 0) fixes among B
    # (row 1) with probability above 1/N iff a(N-2) + b(2N-1) > c(N+1) + d(2N-4).
    rng = np.random.default_rng(2004)
    checked = 0
    for _ in range(200):
        (a, b), (c, d) = A = rng.uniform(0, 4, size=(2, 2))
        N = int(rng.integers(3, 40))
        margin = a * (N - 2) + b * (2 * N - 1) - c * (N + 1) - d * (2 * N - 4)
        if abs(margin) < 0.05 * N:
            continue  # too close to call at first order
        rho_A = fixation_probabilities(A, N, process, 1e-5)[1, 0]
        assert (rho_A > 1 / N) == (margin > 0), (A, N)
        checked += 1
    assert checked > 150


@pytest.mark.parametrize("process", PROCESSES)
@pytest.mark.parametrize("a, favoured", [(6.0, True), (4.0, False)])
def test_one_third_law(process, a, favoured):
    # Coordination game (a > c, d > b). Nowak et al. (2004): for weak selection and
    # large N, rho_A > 1/N iff A's share at the unstable equilibrium x* < 1/3.
    b, c, d = 0.0, 1.0, 2.0
    x_star = (d - b) / (a - b - c + d)
    assert (x_star < 1 / 3) == favoured  # 2/7 and 2/5
    N = 1000
    rho_A = fixation_probabilities([[a, b], [c, d]], N, process, 1e-5)[1, 0]
    assert (rho_A > 1 / N) == favoured


@pytest.mark.filterwarnings("error")
def test_strong_selection_stays_finite():
    rho = fixation_probabilities(PD, 500, "pairwise", 50.0)
    assert np.all(np.isfinite(rho)) and np.all((rho >= 0) & (rho <= 1))
    assert rho[1, 0] == 0.0 and rho[0, 1] > 0.99


# --- the small-mutation limit --------------------------------------------------------

@pytest.mark.parametrize("process", PROCESSES)
def test_small_mutation_limit_two_strategies_closed_form(process):
    rng = np.random.default_rng(7)
    for _ in range(5):
        A = rng.uniform(0, 5, size=(2, 2))
        limit = small_mutation_limit(A, 12, process, INTENSITY[process], give_rates=[[0.9, 0.5], [0.2, 0.1]])
        rho = limit.fixation
        pi = limit.distribution
        assert pi.sum() == pytest.approx(1.0)
        assert pi[0] / pi[1] == pytest.approx(rho[1, 0] / rho[0, 1], rel=1e-10)
        assert limit.give_rate == pytest.approx(0.9 * pi[0] + 0.1 * pi[1])


def test_stationary_distribution_agrees_with_powers_of_the_transition_matrix():
    rho = fixation_probabilities(np.random.default_rng(3).uniform(0, 5, size=(4, 4)), 8, "moran", 0.3)
    step = rho / 3
    np.fill_diagonal(step, 0)
    np.fill_diagonal(step, 1 - step.sum(axis=1))
    expected = np.linalg.matrix_power(step, 20000)[0]
    np.testing.assert_allclose(stationary_distribution(rho), expected, atol=1e-10)


def test_small_mutation_limit_of_symmetric_cycles_is_uniform_and_pd_is_defection():
    np.testing.assert_allclose(small_mutation_limit(RPS, 20, "pairwise", 1.0).distribution, 1 / 3)
    limit = small_mutation_limit(PD, 30, "pairwise", 1.0, give_rates=PD_GIVES)
    assert limit.survivors == (1,) and limit.give_rate < 1e-3


def test_small_mutation_result_old_name_still_works_and_warns():
    limit = small_mutation_limit(PD, 30, "pairwise", 1.0, give_rates=PD_GIVES)
    assert isinstance(limit, SmallMutationResult)
    with pytest.warns(DeprecationWarning, match="SmallMutationResult.give_share is deprecated; "
                      "use SmallMutationResult.give_rate"):
        assert limit.give_share == limit.give_rate
