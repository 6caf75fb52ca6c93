"""Evolutionary dynamics: textbook results of the replicator dynamics (Taylor &
Jonker 1978; Hofbauer & Sigmund 1998), exact fixation probabilities against a
direct solve of the birth-death chain and the results of Nowak et al. (2004),
the small-mutation limit (Fudenberg & Imhof 2006), and the simulated processes
against the exact results."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from learning_dilemma import Match, ParameterError
from learning_dilemma.io.text import evolution_table
from learning_dilemma.dynamics import (
    PROCESSES,
    EvolutionReport,
    evolve,
    fixation_probabilities,
    plot_shares,
    population_give_share,
    replicator,
    simulate,
    small_mutation_limit,
    stationary_distribution,
)
from learning_dilemma.strategies import Cooperator, Defector, TitForTat

PD = [[3, 0], [5, 1]]  # Axelrod's prisoner's dilemma: 0 gives, 1 takes
PD_GIVES = [[1, 1], [0, 0]]
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
# Moderate intensities at which both processes are well defined for PD.
INTENSITY = {"moran": 0.2, "pairwise": 0.5}


def hawk_dove(value, cost):
    """Hawk (0) and Dove (1): hawks fight for ``value`` at ``cost``."""
    return [[(value - cost) / 2, value], [0, value / 2]]


# --- replicator dynamics ------------------------------------------------------------

def test_replicator_prisoners_dilemma_defector_takes_over():
    result = replicator(PD, give_rates=PD_GIVES)
    assert result.survivors == (1,)
    assert result.final[1] > 1 - 1e-6
    assert result.give_share < 1e-6
    # It stopped at the rest point, long before t_max.
    assert result.converged and result.times[-1] < 100


@pytest.mark.parametrize("value, cost", [(2, 3), (1, 4), (3, 5)])
def test_replicator_hawk_dove_mixed_equilibrium_has_hawks_at_v_over_c(value, cost):
    for x0 in (None, [0.05, 0.95], [0.95, 0.05]):
        result = replicator(hawk_dove(value, cost), x0=x0)
        assert result.final[0] == pytest.approx(value / cost, abs=1e-6)
        assert result.survivors == (0, 1) and result.converged


def test_replicator_rock_paper_scissors_cycles_conserving_the_product():
    result = replicator(RPS, x0=[0.5, 0.3, 0.2], t_max=200, points=400)
    product = result.shares.prod(axis=1)
    assert np.max(np.abs(product / product[0] - 1)) < 1e-6  # x1 x2 x3 is a constant of motion
    assert not result.converged and result.times[-1] == 200
    assert result.survivors == (0, 1, 2)
    assert result.shares[:, 0].max() - result.shares[:, 0].min() > 0.2  # it really cycles


def test_replicator_at_a_rest_point_stays_there():
    result = replicator(RPS)  # the uniform start is RPS's interior rest point
    assert result.converged
    np.testing.assert_allclose(result.final, np.full(3, 1 / 3))


def test_replicator_does_not_stop_where_a_rare_strategy_can_still_invade():
    """Givers with one defector in 1e20 barely move at first (speed 2e-20), but
    the defector grows at rate T - R = 2 and takes over: that is no rest point."""
    result = replicator(PD, x0=[1 - 1e-20, 1e-20], give_rates=PD_GIVES)
    assert result.survivors == (1,) and result.converged
    assert result.give_share < 1e-6
    assert 20 < result.times[-1] < 100  # about log(1e20) / 2 = 23 to come back, then the takeover


def test_replicator_runs_past_the_quiet_saddle_of_the_larsson_roster():
    """docs/evolution.md: at w = 0.73, strength 0.2, the Expert / Know-How Trader mix
    is quiet by t = 1263 but Race To Learn (share 6e-16) can invade it; the run goes
    on to the Opportunist."""
    from learning_dilemma.exact import payoff_matrices
    from learning_dilemma.io.scenarios import load_scenario

    scenario = load_scenario("larsson")
    names = [p.label for p in scenario.players]
    grid = payoff_matrices(scenario.players, scenario.game, [0.73], [0.2])
    payoffs, gives = grid.payoffs[0, 0], grid.gives[0, 0]
    result = replicator(payoffs, give_rates=gives, points=2001)
    fitness = result.shares @ payoffs.T
    growth = fitness - np.einsum("ti,ti->t", result.shares, fitness)[:, None]
    quiet = np.flatnonzero(np.abs(result.shares * growth).max(axis=1) < 1e-9 * np.ptp(payoffs))[0]
    invader = int(np.argmax(growth[quiet]))
    assert names[invader] == "Race To Learn" and growth[quiet, invader] == pytest.approx(0.019, abs=5e-4)
    assert result.shares[quiet, invader] < 1e-15 and result.times[quiet] == pytest.approx(1263, abs=5)
    assert result.shares[quiet] @ gives @ result.shares[quiet] == pytest.approx(0.60, abs=0.005)
    assert result.converged and [names[i] for i in result.survivors] == ["Opportunist"]
    assert result.give_share < 1e-6 and result.times[-1] == pytest.approx(3190, abs=5)


def test_replicator_settles_only_at_nash_equilibria_of_the_strategies_present():
    """The limit of an interior orbit is a Nash equilibrium (Hofbauer & Sigmund
    1998, Theorem 7.2.1): where a run settles, no strategy earns more than the
    population's mean payoff, however rare it has become."""
    rng = np.random.default_rng(11)
    settled = 0
    for _ in range(30):
        payoffs = rng.uniform(0, 5, (4, 4))
        result = replicator(payoffs)
        if result.converged:
            settled += 1
            fitness = payoffs @ result.final
            # The run stops where that excess falls to the tolerance (an event root, to 1e-7 relative).
            assert fitness.max() - result.final @ fitness <= 1.000001e-9 * np.ptp(payoffs)
    assert settled >= 20


def test_replicator_trajectory_stays_on_the_simplex_and_faces_are_invariant():
    result = replicator([[3, 0, 3], [5, 1, 1], [3, 1, 3]], x0=[0.5, 0.0, 0.5])
    assert np.all(result.shares >= 0)
    np.testing.assert_allclose(result.shares.sum(axis=1), 1.0)
    assert np.all(result.shares[:, 1] == 0)  # an absent strategy never appears
    assert len(result.times) == 201 and result.times[0] == 0


def test_replicator_ignores_a_constant_added_to_a_column():
    # Hofbauer & Sigmund (1998): adding a constant to a column leaves the dynamics unchanged.
    A = np.array([[1.0, 4.0, 0.5], [2.0, 1.0, 3.0], [0.0, 2.0, 2.0]])
    shifted = A + np.array([0.0, 7.0, -2.0])
    a = replicator(A, x0=[0.2, 0.3, 0.5], t_max=20)
    b = replicator(shifted, x0=[0.2, 0.3, 0.5], t_max=20)
    np.testing.assert_allclose(a.final, b.final, atol=1e-7)


# --- exact fixation probabilities -----------------------------------------------------

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
        assert limit.give_share == pytest.approx(0.9 * pi[0] + 0.1 * pi[1])


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
    assert limit.survivors == (1,) and limit.give_share < 1e-3


# --- simulated runs -------------------------------------------------------------------

@pytest.mark.parametrize("process", PROCESSES)
def test_simulation_is_reproducible(process):
    kwargs = dict(population=30, generations=300, mutation=0.02, process=process, give_rates=PD_GIVES)
    first, again, other = (simulate(PD, seed=s, **kwargs) for s in (5, 5, 6))
    np.testing.assert_array_equal(first.counts, again.counts)
    np.testing.assert_array_equal(first.mean_shares, again.mean_shares)
    assert first.give_share == again.give_share and first.entropy == 5
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
    run = simulate(A, 6, 5_000_000, 2e-4, process, intensity, seed=11)
    np.testing.assert_allclose(run.mean_shares, limit, atol=0.06)
    assert limit.max() > 0.5


def test_population_give_share_counts_each_individual_meeting_the_others():
    G = np.array([[0.9, 0.4], [0.3, 0.0]])
    # Counts (2, 1): ordered pairs 0-0 twice, 0-1 twice, 1-0 twice, out of 3 * 2.
    assert population_give_share([2, 1], G) == pytest.approx((2 * 0.9 + 2 * 0.4 + 2 * 0.3) / 6)
    # A pure giver's share of giving is its share of the population.
    run = simulate(PD, population=25, generations=400, mutation=0.05, seed=2, give_rates=PD_GIVES)
    assert run.give_share == pytest.approx(run.mean_shares[0])


# --- a tiny real roster -----------------------------------------------------------------

def roster_matrices(players, turns=200):
    n = len(players)
    payoffs, gives = np.zeros((n, n)), np.zeros((n, n))
    for i, a in enumerate(players):
        for j, b in enumerate(players):
            result = Match(a, b, turns=turns, seed=1).play()
            payoffs[i, j], gives[i, j] = result.mean_payoffs[0], result.give_rates[0]
    return payoffs, gives


def test_cooperator_defector_tit_for_tat_roster():
    names = ["Cooperator", "Defector", "Tit For Tat"]
    A, G = roster_matrices([Cooperator(), Defector(), TitForTat()])
    assert A[1, 2] == pytest.approx((5 + 199) / 200) and A[2, 1] == pytest.approx(199 / 200)
    flow = replicator(A, give_rates=G)
    # Computed: from the uniform start the defector dies out and the population
    # comes to rest on the line of neutral cooperator / tit-for-tat mixtures, at a
    # cooperator share 0.229. Defectors could re-invade there only if the
    # cooperator share exceeded (3 - 1.02) / (5 - 1.02) = 0.4975.
    assert flow.converged and flow.survivors == (0, 2)
    assert flow.final[1] < 1e-6
    assert 0.2 < flow.final[0] < (3 - A[1, 2]) / (A[1, 0] - A[1, 2])
    assert flow.give_share == pytest.approx(1.0, abs=1e-6)
    # Finite populations with rare mutations: tit for tat is the most abundant.
    report = evolve(A, G, names, population=50, process="moran", intensity=0.5, generations=500, seed=1)
    assert np.argmax(report.limit.distribution) == 2
    assert report.survivors["replicator"] == ["Cooperator", "Tit For Tat"]


# --- the report and the plot -------------------------------------------------------------

def test_evolution_report_collects_every_method():
    report = evolve(PD, PD_GIVES, ["Giver", "Taker"], population=20, process="pairwise", mutation=0.01,
                    generations=300, seed=4)
    assert isinstance(report, EvolutionReport)
    assert report.give_shares == {
        "replicator": report.replicator.give_share,
        "small mutations": report.limit.give_share,
        "simulation": report.simulation.give_share,
    }
    assert report.survivors == {"replicator": ["Taker"], "small mutations": ["Taker"], "simulation": ["Taker"]}
    assert report.settings["entropy"] == 4 and report.settings["intensity"] == 1.0
    text = evolution_table(report)
    assert "Giver" in text and "Taker" in text and "share of giving (simulation)" in text
    assert f"{report.simulation.mean_shares[1]:.3f}" in text
    assert "share of giving" not in evolution_table(evolve(PD, population=10, generations=10, seed=1))
    assert "not settled" not in text


def test_evolution_report_says_when_the_replicator_run_has_not_settled():
    cycling = evolve(RPS, population=10, process="pairwise", generations=10, seed=1, x0=[0.5, 0.3, 0.2], t_max=50)
    assert not cycling.replicator.converged
    assert "not settled by t=50" in evolution_table(cycling)


@pytest.mark.parametrize("suffix, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_plot_shares_writes_the_file(tmp_path, suffix, magic):
    for k, trajectory in enumerate([replicator(RPS, x0=[0.5, 0.3, 0.2], t_max=30),
                                    simulate(RPS, 30, 100, 0.01, "pairwise", seed=1)]):
        path = tmp_path / f"shares{k}.{suffix}"
        plot_shares(trajectory, ["rock", "paper", "scissors"], path)
        assert path.read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"shares0.{suffix}", f"shares1.{suffix}"]


def test_importing_evolution_loads_neither_matplotlib_nor_scipy_integrate():
    code = (
        "import sys, learning_dilemma.dynamics\n"
        "assert 'matplotlib' not in sys.modules and 'scipy.integrate' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: replicator([[1, 2, 3], [4, 5, 6]]), "square"),
        (lambda: replicator([[1]]), "at least 2"),
        (lambda: replicator([[1, np.nan], [0, 1]]), "finite"),
        (lambda: replicator("abc"), "square"),
        (lambda: replicator(PD, x0=[1, -1]), "x0"),
        (lambda: replicator(PD, give_rates=[[1, 2], [0, 0]]), "give_rates"),
        (lambda: replicator(PD, give_rates=np.ones((3, 3))), "give_rates"),
        (lambda: fixation_probabilities(PD, 1), "population"),
        (lambda: fixation_probabilities(PD, 10, "wright-fisher"), "process"),
        (lambda: fixation_probabilities(PD, 10, "pairwise", -1.0), "intensity"),
        (lambda: fixation_probabilities(PD, 10, "moran", 1.5), "intensity"),
        (lambda: fixation_probabilities([[3, -2], [5, 1]], 10, "moran", 0.5), "w < 0.333"),
        (lambda: simulate(PD, mutation=1.5), "mutation"),
        (lambda: simulate(PD, generations=0), "generations"),
        (lambda: simulate(PD, population=10, start=[5, 4]), "start"),
        (lambda: simulate(PD, seed=-1), "seed"),
        (lambda: evolve(PD, names=["only one"]), "names"),
        (lambda: plot_shares(replicator(PD), ["a", "b"], "shares.pdf"), ".png or .svg"),
    ],
)
def test_bad_input_is_a_parameter_error(call, words):
    with pytest.raises(ParameterError, match=words.replace(".", r"\.")):
        call()
