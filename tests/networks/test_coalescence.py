"""Allen et al.'s (2017) weak-selection condition on any graph (networks.coalescence).

The coalescence times against closed forms derived by hand (cycle, complete
graph); the critical ratio against the regular-graph closed form (N - 2)/(N/k - 2)
and its limit k (Ohtsuki et al. 2006); the exact 2^N-state chain against an
independent one-dimensional chain on the complete graph; the weak-selection
slope and the sign change of rho_C - 1/N at (b/c)* on a cycle, a random regular
graph, a small world, a user's irregular graph (weighted and a Population), and
the star (never); the sigma rule for a learning game that is not a donation
game; the Monte Carlo within sampling error of the exact chain; refusals.
"""

from __future__ import annotations

import math
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from learning_dilemma import LearningGame
from learning_dilemma.errors import ParameterError
from learning_dilemma.limits import ResourceLimitError, raised
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.coalescence import (
    coalescence, coalescence_times, critical_ratio, donation_game, fixation_probability, payoff_matrix,
    regular_critical_ratio, simulate_fixation, weight_matrix,
)
from learning_dilemma.networks.structures import small_world
from learning_dilemma.strategies import Cooperator


def cycle_matrix(n):
    ring = np.roll(np.eye(n), 1, axis=1)
    return ring + ring.T


def user_graph():
    """An irregular weighted graph as a user might draw it: two close pairs (strong ties,
    weight 3), a hub, a pendant person and a bridge."""
    g = nx.Graph()
    g.add_edge("ana", "ben", weight=3.0)
    g.add_edge("ana", "cai", weight=1.0)
    g.add_edge("ben", "cai", weight=1.0)
    g.add_edge("cai", "dev", weight=1.0)
    g.add_edge("cai", "eli", weight=1.0)
    g.add_edge("dev", "eli", weight=3.0)
    g.add_edge("eli", "fay", weight=1.0)
    g.add_edge("fay", "gus", weight=2.0)
    g.add_edge("gus", "cai", weight=0.5)
    return g


def user_population():
    """A KITe-like network: three organisations sending two to four people, irregular ties."""
    orgs = [Organisation(name, policy=Cooperator()) for name in ("Acme", "Bolt", "Core")]
    people = [Person(name, (org,)) for name, org in (
        ("a1", "Acme"), ("a2", "Acme"), ("a3", "Acme"), ("b1", "Bolt"), ("b2", "Bolt"),
        ("c1", "Core"), ("c2", "Core"), ("c3", "Core"), ("c4", "Core"))]
    ties = [("a1", "a2"), ("a1", "a3"), ("a2", "b1"), ("a3", "b1"), ("b1", "b2"), ("b2", "c1"), ("c1", "c2"),
            ("c1", "c3"), ("c2", "c3"), ("c3", "c4"), ("a1", "c4")]
    return Population(orgs, people, ties)


# --- coalescence times ------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 7, 10])
@pytest.mark.parametrize("method", ["dense", "cg"])
def test_cycle_times_are_d_times_n_minus_d(n, method):
    # On a cycle the distance of the two walkers moves +-1 with probability 1/2 each step
    # (whichever walker steps), a fair walk absorbed at 0 and n: tau = d (n - d).
    tau = coalescence_times(cycle_matrix(n), method=method)
    d = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :])
    d = np.minimum(d, n - d)
    assert np.allclose(tau, d * (n - d), rtol=1e-11, atol=1e-11)


@pytest.mark.parametrize("n", [2, 5, 9])
def test_complete_graph_times_are_n_minus_one(n):
    # By symmetry every tau_ij is one tau: tau = 1 + ((n - 2)/(n - 1)) tau, so tau = n - 1.
    tau = coalescence_times(nx.complete_graph(n))
    assert np.allclose(tau[~np.eye(n, dtype=bool)], n - 1, rtol=1e-12)
    assert np.all(np.diag(tau) == 0)


def test_times_solve_the_recurrence_on_a_weighted_irregular_graph():
    W, labels = weight_matrix(user_graph())
    W = W.toarray()
    P = W / W.sum(axis=1, keepdims=True)
    tau = coalescence_times(user_graph())
    off = ~np.eye(len(labels), dtype=bool)
    right = 1 + 0.5 * (P @ tau + tau @ P.T)
    assert np.allclose(tau[off], right[off], rtol=1e-12)
    assert np.allclose(tau, tau.T) and np.all(np.diag(tau) == 0)


def test_dense_and_conjugate_gradients_agree():
    g = nx.connected_watts_strogatz_graph(40, 4, 0.2, seed=3)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = 1.0 + (u * 7 + v * 3) % 5  # irregular weights
    dense, cg = coalescence_times(g, method="dense"), coalescence_times(g, method="cg")
    assert np.allclose(cg, dense, rtol=1e-10, atol=1e-9)


def test_weights_scale_free_and_population_reads_as_its_ties():
    g = user_graph()
    doubled = nx.Graph()
    doubled.add_weighted_edges_from((u, v, 2 * d["weight"]) for u, v, d in g.edges(data=True))
    assert critical_ratio(doubled) == pytest.approx(critical_ratio(g), rel=1e-12)
    population = user_population()
    as_graph = nx.Graph([(population.people[u].name, population.people[v].name) for u, v in population.tie_people])
    assert critical_ratio(population) == pytest.approx(critical_ratio(as_graph), rel=1e-12)
    # the weight attribute is read: ignoring it (all 1) changes the answer
    assert critical_ratio(g, weight="none") != pytest.approx(critical_ratio(g), rel=1e-3)


# --- the critical ratio on regular graphs -----------------------------------------------


REGULAR = [
    ("cycle", 6, 2), ("cycle", 10, 2), ("cycle", 31, 2),
    ("random", 10, 3), ("random", 16, 3), ("random", 24, 5), ("random", 30, 4), ("random", 90, 6),
    ("lattice", 20, 4), ("lattice", 40, 6),
    ("complete", 7, 6), ("half", 12, 6), ("dense", 12, 8),
]


def regular_graph(kind, n, k):
    if kind == "cycle":
        return nx.cycle_graph(n)
    if kind == "random":
        return nx.random_regular_graph(k, n, seed=n * 100 + k)
    if kind == "lattice":
        return nx.watts_strogatz_graph(n, k, 0.0)  # ring lattice
    if kind == "complete":
        return nx.complete_graph(n)
    return nx.random_regular_graph(k, n, seed=7)


@pytest.mark.parametrize("kind,n,k", REGULAR)
def test_regular_graphs_give_the_closed_form(kind, n, k):
    g = regular_graph(kind, n, k)
    assert {d for _, d in g.degree} == {k} and nx.is_connected(g)
    computed, closed = critical_ratio(g), regular_critical_ratio(n, k)
    if math.isinf(closed):  # N <= 2k: no ratio favours sharing (the complete graph among them)
        assert math.isinf(computed)
        assert coalescence(g).raw_ratio <= 0 or math.isinf(coalescence(g).raw_ratio)
    else:
        assert computed == pytest.approx(closed, rel=1e-10)
        assert closed == pytest.approx((n - 2) / (n / k - 2), rel=1e-15)


def test_ratio_tends_to_k_as_n_grows():
    # (N - 2)/(N/k - 2) - k = 2k(k - 1)/(N - 2k): the computed ratios on random 3-regular
    # graphs fall to k = 3 exactly at that rate (Ohtsuki et al. 2006's b/c > k in the limit).
    k = 3
    gaps = []
    for n in (20, 50, 100, 200):
        ratio = critical_ratio(nx.random_regular_graph(k, n, seed=n))
        assert (ratio - k) * (n - 2 * k) == pytest.approx(2 * k * (k - 1), rel=1e-9)
        gaps.append(ratio - k)
    assert all(a > b > 0 for a, b in zip(gaps, gaps[1:]))
    assert regular_critical_ratio(10**7, k) == pytest.approx(k, abs=1e-5)


def test_cycle_structure_coefficient_is_tarnita_et_al():
    # Tarnita et al. (2009): death-birth on a cycle has sigma = (3N - 8)/N; in general
    # sigma = ((k + 1)N - 4k)/((k - 1)N) on k-regular graphs.
    for n in (5, 9, 20):
        assert coalescence(nx.cycle_graph(n)).sigma == pytest.approx((3 * n - 8) / n, rel=1e-10)
    g = nx.random_regular_graph(4, 30, seed=1)
    assert coalescence(g).sigma == pytest.approx((5 * 30 - 16) / (3 * 30), rel=1e-10)


def test_star_never_favours_sharing():
    # Allen et al. (2017): on the star tau^(3) = tau^(1) (three steps of the walk end where
    # one does), so no b/c favours cooperation under death-birth.
    result = coalescence(nx.star_graph(6))
    assert result.tau3 == pytest.approx(result.tau1, rel=1e-12)
    assert math.isinf(result.critical_ratio) and "star" in result.reason
    assert result.sigma == pytest.approx(1.0)
    for ratio in (2.0, 20.0, 500.0):
        assert fixation_probability(nx.star_graph(6), ratio, 1.0, delta=1e-3) < 1 / 7


def test_two_people_selection_cannot_act():
    result = coalescence(nx.path_graph(2))
    assert math.isnan(result.critical_ratio) and "two people" in result.reason
    assert math.isnan(regular_critical_ratio(2, 1))
    assert fixation_probability(nx.path_graph(2), 10.0, 1.0, delta=0.5) == pytest.approx(0.5, abs=1e-12)


# --- the exact chain ----------------------------------------------------------------------


def one_dimensional(n, M, delta, rule):
    """Fixation of one giver on the complete graph, from the chain in the number of givers
    (written out here, independently of the 2^N chain)."""
    product, total = 1.0, 1.0
    for i in range(1, n):
        f_give = ((i - 1) * M[1, 1] + (n - i) * M[1, 0]) / (n - 1)
        f_take = (i * M[0, 1] + (n - i - 1) * M[0, 0]) / (n - 1)
        F_give, F_take = 1 + delta * f_give, 1 + delta * f_take
        if rule == "db":  # a taker dies and a giver fills the place, or the reverse
            up = (n - i) / n * i * F_give / (i * F_give + (n - i - 1) * F_take)
            down = i / n * (n - i) * F_take / ((i - 1) * F_give + (n - i) * F_take)
        else:  # a giver reproduces onto a taker, or the reverse
            up = i * F_give / (i * F_give + (n - i) * F_take) * (n - i) / (n - 1)
            down = (n - i) * F_take / (i * F_give + (n - i) * F_take) * i / (n - 1)
        product *= down / up
        total += product
    return 1.0 / total  # 1 / (1 + sum_{k=1}^{n-1} prod_{j <= k} down_j / up_j)


@pytest.mark.parametrize("rule", ["db", "bd"])
@pytest.mark.parametrize("delta", [0.0, 0.05, 0.4])
def test_complete_graph_chain_matches_the_birth_death_chain(rule, delta):
    M = payoff_matrix(donation_game(3.0, 1.0, status_quo=1.0))
    exact = fixation_probability(nx.complete_graph(7), 3.0, 1.0, delta, rule=rule, status_quo=1.0)
    assert exact == pytest.approx(one_dimensional(7, M, delta, rule), rel=1e-10)


def test_the_donation_game_is_the_learning_games_limit():
    game = donation_game(4.0, 1.5, status_quo=1.0)
    assert game.synergy == 0 and game.race_premium == 0
    assert game.learning_benefit == 4.0 and game.leak == 1.5
    (P, T), (S, R) = payoff_matrix(game)
    assert (R, S, T, P) == (1.0 + 4.0 - 1.5, 1.0 - 1.5, 1.0 + 4.0, 1.0)
    assert T - R == pytest.approx(P - S) == pytest.approx(1.5)


def test_no_selection_no_structure_effect():
    # delta = 0: every mutant fixes with its reproductive value, 1/N on average, on any graph
    for g in (nx.star_graph(5), user_graph(), nx.cycle_graph(7)):
        n = g.number_of_nodes()
        assert fixation_probability(g, 9.0, 1.0, delta=0.0) == pytest.approx(1 / n, rel=1e-12)
        assert fixation_probability(g, 9.0, 1.0, delta=0.0, mutant="take") == pytest.approx(1 / n, rel=1e-12)


def test_weak_selection_slope_is_allen_et_al():
    # rho_C = 1/N + delta/(2N) (-c tau2 + b (tau3 - tau1)) + O(delta^2): the chain's slope,
    # extrapolated (2 D(d/2) - D(d), error O(d^2)), on a weighted irregular graph.
    g = user_graph()
    n = g.number_of_nodes()
    result = coalescence(g)
    for b, c in ((2.0, 1.0), (9.0, 1.0), (9.0, 0.0)):
        slopes = [(fixation_probability(g, b, c, d) - 1 / n) / d for d in (1e-3, 5e-4)]
        assert 2 * slopes[1] - slopes[0] == pytest.approx(result.fixation_slope(b, c), rel=1e-4)


def graphs_with_a_crossing():
    return {
        "cycle": nx.cycle_graph(8),
        "random regular": nx.random_regular_graph(3, 10, seed=4),
        "small world": Population([Organisation("Net", policy=Cooperator())],
                                  [Person(f"p{i}", ("Net",)) for i in range(12)],
                                  small_world([f"p{i}" for i in range(12)], 4, 0.3, seed=11)),
        "user's weighted graph": user_graph(),
        "user's population": user_population(),
    }


@pytest.mark.parametrize("name", list(graphs_with_a_crossing()))
def test_fixation_crosses_one_over_n_at_the_critical_ratio(name):
    g = graphs_with_a_crossing()[name]
    ratio = critical_ratio(g)
    assert 1 < ratio < math.inf
    n = len(weight_matrix(g)[1])
    c = 1.0
    # At delta = 1e-3 the crossing moves by O(delta) from (b/c)*: 1% either side is past it.
    below = fixation_probability(g, 0.99 * ratio * c, c, delta=1e-3)
    above = fixation_probability(g, 1.01 * ratio * c, c, delta=1e-3)
    assert below < 1 / n < above
    # and giving beats taking exactly there too (rho_C > rho_D)
    assert fixation_probability(g, 1.01 * ratio * c, c, 1e-3, mutant="take") < above


def test_crossing_converges_to_the_critical_ratio():
    from scipy.optimize import brentq

    g = nx.random_regular_graph(3, 10, seed=4)
    crossings = [brentq(lambda b: fixation_probability(g, b, 1.0, d) - 0.1, 2, 20, xtol=1e-12) for d in (2e-3, 1e-3)]
    # the crossing moves by O(delta) and the extrapolation lands on (b/c)* to O(delta^2)
    assert abs(crossings[0] - crossings[1]) < 0.05
    assert 2 * crossings[1] - crossings[0] == pytest.approx(critical_ratio(g), rel=1e-5)


def test_birth_death_never_favours_sharing_on_a_regular_graph():
    # Ohtsuki et al. (2006): under birth-death updating cooperation is never favoured on
    # regular graphs; the same graph favours it under death-birth.
    g = nx.cycle_graph(8)
    for ratio in (5.0, 50.0):
        assert fixation_probability(g, ratio, 1.0, 1e-3, rule="bd") < 1 / 8
    assert fixation_probability(g, 5.0, 1.0, 1e-3, rule="db") > 1 / 8


def test_sigma_rule_for_a_learning_game_beyond_the_donation_game():
    # Allen et al. (2017), Methods eq. (3): A is favoured over B when sigma a + b > c + sigma d.
    # With synergy s and race premium e: R = b - c + s, S = -c, T = b + e, P = 0, so the
    # givers' fixation overtakes the takers' at s* = (b + e + c)/sigma - (b - c).
    g = nx.connected_watts_strogatz_graph(10, 4, 0.3, seed=5)
    sigma = coalescence(g).sigma

    def advantage(s, delta=1e-3):
        game = LearningGame(status_quo=0.0, learning_benefit=2.0, leak=1.0, synergy=s, race_premium=0.5)
        return fixation_probability(g, delta=delta, game=game) - fixation_probability(g, delta=delta, game=game,
                                                                                        mutant="take")

    predicted = (2.0 + 0.5 + 1.0) / sigma - (2.0 - 1.0)
    assert advantage(predicted * 0.98) < 0 < advantage(predicted * 1.02)


# --- Monte Carlo ------------------------------------------------------------------------


def test_simulated_fixation_agrees_with_the_exact_chain():
    g = nx.Graph([(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (3, 4), (4, 5)])
    exact = fixation_probability(g, 8.0, 1.0, delta=0.5)
    with raised(generations=10**9):
        estimate = simulate_fixation(g, 8.0, 1.0, delta=0.5, runs=20_000, seed=2024)
    assert abs(estimate.probability - exact) < 4 * estimate.standard_error
    # selection is visible: the neutral 1/N is far outside the estimate's error
    assert abs(estimate.probability - 1 / 6) > 10 * estimate.standard_error


def test_simulated_birth_death_agrees_with_the_exact_chain():
    g = user_graph()
    exact = fixation_probability(g, 6.0, 1.0, delta=0.5, rule="bd", start="cai")
    estimate = simulate_fixation(g, 6.0, 1.0, delta=0.5, runs=4000, seed=5, rule="bd", start="cai", max_steps=2500)
    assert abs(estimate.probability - exact) < 4 * estimate.standard_error


def test_simulation_is_keyed_by_run_not_by_batch():
    g = nx.cycle_graph(6)
    whole = simulate_fixation(g, 5.0, 1.0, 0.2, runs=300, seed=9)
    again = simulate_fixation(g, 5.0, 1.0, 0.2, runs=300, seed=9, chunk=7)
    part = simulate_fixation(g, 5.0, 1.0, 0.2, runs=120, seed=9)
    assert np.array_equal(whole.fixed, again.fixed) and np.array_equal(whole.steps, again.steps)
    assert np.array_equal(whole.fixed[:120], part.fixed) and np.array_equal(whole.steps[:120], part.steps)
    other = simulate_fixation(g, 5.0, 1.0, 0.2, runs=300, seed=10)
    assert not np.array_equal(whole.steps, other.steps)


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("graph,message", [
    (nx.DiGraph([(0, 1), (1, 0)]), "undirected"),
    (nx.Graph([(0, 1), (2, 3)]), "not connected"),
    (nx.Graph([(0, 1), (1, 1)]), "self-loops"),
    (nx.Graph([(0, 1, {"weight": -1.0})]), "weight"),
    (np.array([[0.0, 1.0], [2.0, 0.0]]), "symmetric"),
    (np.zeros((1, 1)), "at least 2"),
    ("not a graph", "graph must be"),
])
def test_bad_graphs_are_refused_in_one_line(graph, message):
    with pytest.raises(ParameterError, match=message) as error:
        critical_ratio(graph)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("kwargs,key", [
    (dict(rule="moran"), "rule"),
    (dict(delta=-0.1), "delta"),
    (dict(delta=2.0), "delta"),  # 1 + 2 x (-1) <= 0 for the giver among takers
    (dict(mutant="both"), "mutant"),
    (dict(start="nobody"), "start"),
    (dict(fitness="square"), "fitness"),
    (dict(game=LearningGame()), "either b and c"),
])
def test_bad_parameters_are_refused_naming_the_key(kwargs, key):
    arguments = dict(b=3.0, c=1.0, delta=0.1)
    arguments.update(kwargs)
    with pytest.raises(ParameterError, match=key):
        fixation_probability(nx.cycle_graph(5), **arguments)


def test_limits_guard_before_work():
    with raised(chain_states=1000), pytest.raises(ResourceLimitError, match="chain_states"):
        fixation_probability(nx.cycle_graph(9), 3.0, 1.0, 0.01)  # 2^9 x 9 = 4,608 rates
    with raised(chain_states=100), pytest.raises(ResourceLimitError, match="chain_states"):
        coalescence_times(nx.cycle_graph(20))  # 190 pairs
    with pytest.raises(ResourceLimitError, match="generations"):
        simulate_fixation(nx.cycle_graph(5), 3.0, 1.0, 0.1, runs=10**4, seed=1, max_steps=10**4)
    with pytest.raises(ParameterError, match="max_steps"):
        simulate_fixation(nx.cycle_graph(12), 3.0, 1.0, 0.0, runs=50, seed=1, max_steps=3)
    with pytest.raises(ParameterError, match="k:"):
        regular_critical_ratio(5, 3)  # 5 x 3 is odd


def test_import_stays_light():
    code = ("import sys, learning_dilemma.networks.coalescence; "
            "print(sorted(m for m in ('networkx', 'scipy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
