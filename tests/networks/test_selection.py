"""Multilevel selection (Traulsen & Nowak 2006): the published condition, the exact chain, the draws.

Every expected number is derived independently of the simulation: hand algebra
(the donation-game limit, the critical ratios and their weak-selection
expansion), exchangeability (the neutral fixation probability is exactly
``k / N``), the full Markov chain of the process solved as a linear system, or
the published condition ``b/c > 1 + n/m`` itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.games import LearningGame
from learning_dilemma.limits import ResourceLimitError
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks import selection
from learning_dilemma.networks.selection import (
    MultilevelSelection,
    critical_ratio,
    donation_game,
    exact_fixation_probability,
    fixation_probability,
    game_payoffs,
    rare_splitting_fixation,
    simulate_population,
    weak_selection_ratio,
)
from learning_dilemma.strategies.classic import Cooperator, Defector, TitForTat


# --- the game and the ratios ----------------------------------------------------------


@pytest.mark.parametrize("b, c, P", [(3.0, 1.0, 0.0), (2.5, 0.5, 1.0), (4.0, 3.0, -2.0)])
def test_the_learning_game_at_synergy_and_race_premium_zero_is_the_donation_game(b, c, P):
    R, S, T, P_ = game_payoffs(donation_game(b, c, P))
    assert (R, S, T, P_) == pytest.approx((P + b - c, P - c, P + b, P), abs=1e-12)
    assert T - R == pytest.approx(c) and P_ - S == pytest.approx(c)
    # the same game written as the spec writes it
    game = LearningGame(status_quo=P, learning_benefit=b, leak=c, synergy=0, race_premium=0)
    assert game_payoffs(game) == (R, S, T, P_)


def test_paper_matrix_at_status_quo_zero():
    # Traulsen & Nowak's (b - c, -c; b, 0)
    assert game_payoffs(donation_game(5.0, 2.0)) == (3.0, -2.0, 5.0, 0.0)


def test_critical_ratios_by_hand():
    assert critical_ratio(4, 8) == 1.5
    assert critical_ratio(10, 5) == 3.0
    assert weak_selection_ratio(4, 6) == 2.0
    assert weak_selection_ratio(3, 4) == 2.5
    assert weak_selection_ratio(5, 2) == math.inf
    # the paper's 1 + n/m is the large-m form of 1 + n/(m - 2)
    assert weak_selection_ratio(5, 10**7) == pytest.approx(critical_ratio(5, 10**7), rel=1e-12)


def test_rare_splitting_formula_matches_the_hand_expansion_at_weak_selection():
    # rho_C N - 1 ~ (w/2) ((m - 1)(b - c) - (n - 1) c - b) (module docstring, derived by hand there)
    w = 1e-6
    for b, c, n, m in [(3.0, 1.0, 4, 8), (1.2, 1.0, 5, 3), (6.0, 2.0, 3, 10)]:
        slope = (rare_splitting_fixation(b, c, n, m, w) * n * m - 1) / w
        assert slope == pytest.approx(0.5 * ((m - 1) * (b - c) - (n - 1) * c - b), rel=1e-4)


def test_rare_splitting_under_constant_fitness_is_the_product_of_two_moran_probabilities():
    # with a cost only to cooperators (b = 0) the within-group
    # and between-group factors are Moran fixation with constant relative fitness r = (1 - w - w c) / (1 - w)
    c, w, n, m = 1.0, 0.2, 4, 6
    r = (1 - w - w * c) / (1 - w)

    def moran(r, size):
        return (1 - 1 / r) / (1 - r ** -size)

    assert rare_splitting_fixation(0.0, c, n, m, w) == pytest.approx(moran(r, n) * moran(r, m), rel=1e-12)


# --- the exact chain ------------------------------------------------------------------


@pytest.mark.parametrize("n, m, q, cooperators", [(3, 3, 0.3, 1), (2, 4, 0.9, 1), (3, 4, 1.0, 2), (4, 3, 0.05, 3)])
def test_exact_chain_without_selection_gives_k_over_N(n, m, q, cooperators):
    # at w = 0 the N starting individuals are exchangeable: each founds the final population with probability 1/N
    rho = exact_fixation_probability(3.0, 1.0, n, m, q, 0.0, cooperators=cooperators)
    assert rho == pytest.approx(cooperators / (n * m), rel=1e-10)


@pytest.mark.parametrize("n, m, w, b", [(3, 4, 0.2, 3.0), (3, 3, 0.3, 2.0), (2, 4, 0.4, 1.5)])
def test_exact_chain_tends_to_the_rare_splitting_product_as_q_vanishes(n, m, w, b):
    rare = rare_splitting_fixation(b, 1.0, n, m, w)
    far = abs(exact_fixation_probability(b, 1.0, n, m, 1e-3, w) - rare)
    near = abs(exact_fixation_probability(b, 1.0, n, m, 1e-7, w) - rare)
    assert near < 1e-6 * rare
    assert near < far / 100  # the difference shrinks with q


def test_exact_chain_tends_to_the_product_with_exponential_fitness_too():
    model = MultilevelSelection(3, 4, 1e-7, 0.5, donation_game(3.0, 1.0), fitness="exponential")
    assert model.exact_fixation_probability() == pytest.approx(model.rare_splitting_fixation(), rel=1e-5)


@pytest.mark.parametrize("n, m", [(3, 4), (2, 5), (2, 3)])
def test_weak_selection_ratio_is_where_the_exact_chain_crosses_one_over_N(n, m):
    ratio = weak_selection_ratio(n, m)
    below = exact_fixation_probability(ratio - 0.05, 1.0, n, m, 1e-6, 1e-3)
    above = exact_fixation_probability(ratio + 0.05, 1.0, n, m, 1e-6, 1e-3)
    assert below < 1 / (n * m) < above


def test_paper_ratio_is_the_large_m_approximation():
    # between 1 + n/m and 1 + n/(m - 2) cooperators are not yet favoured (few groups)
    n, m = 2, 5
    between = (critical_ratio(n, m) + weak_selection_ratio(n, m)) / 2
    assert exact_fixation_probability(between, 1.0, n, m, 1e-6, 1e-3) < 1 / (n * m)


# --- simulation against the exact chain -------------------------------------------------


@pytest.mark.parametrize("method, runs", [("jumps", 20000), ("steps", 12000)])
def test_simulation_agrees_with_the_exact_chain(method, runs):
    b, c, n, m, q, w = 3.0, 1.0, 3, 3, 0.2, 0.3
    exact = exact_fixation_probability(b, c, n, m, q, w)
    est = fixation_probability(b, c, n, m, q, w, runs=runs, seed=11, method=method)
    assert est.unresolved == 0 and est.fixed + est.lost == runs
    assert abs(est.probability - exact) < 4 * est.standard_error
    # not vacuous: selection moves the chain's answer far from 1/N at this sample size
    assert abs(exact - 1 / (n * m)) > 5 * est.standard_error


def test_population_engine_agrees_with_the_exact_chain():
    # one cooperator among defectors in two full groups of two, through a Population
    orgs = [Organisation("Givers", Cooperator()), Organisation("Takers", Defector())]
    people = [Person("g", ("Givers",)), Person("t1", ("Takers",)), Person("t2", ("Takers",)), Person("t3", ("Takers",))]
    population = Population(orgs, people, groups=[("x", ["g", "t1"]), ("y", ["t2", "t3"])])
    game, q, w = donation_game(4.0, 1.0), 0.5, 0.4
    history = simulate_population(population, q, w, steps=3000, seed=5, game=game, runs=8000, record_every=3000)
    exact = MultilevelSelection(2, 2, q, w, game).exact_fixation_probability()
    resolved = history.outcome >= 0
    assert resolved.all()
    p = float(np.mean(history.outcome == 1))
    se = math.sqrt(p * (1 - p) / len(history.outcome))
    assert abs(p - exact) < 4 * se
    assert abs(exact - 0.25) > 5 * se


# --- the published result ------------------------------------------------------------------

N4, M10 = 4, 10  # 1 + n/m = 1.4, 1 + n/(m - 2) = 1.5, N = 40


def test_cooperators_favoured_well_above_one_plus_n_over_m():
    b, c = 4.0, 1.0
    assert b / c > 2 * critical_ratio(N4, M10)
    est = fixation_probability(b, c, N4, M10, q=0.01, w=0.05, runs=8000, seed=2006)
    assert est.unresolved == 0
    assert est.neutral == 1 / 40
    assert est.probability - est.neutral > 3 * est.standard_error


def test_cooperators_disfavoured_well_below_one_plus_n_over_m():
    b, c = 1.1, 1.0
    assert b / c < critical_ratio(N4, M10) - 0.25
    est = fixation_probability(b, c, N4, M10, q=0.01, w=0.2, runs=8000, seed=2006)
    assert est.unresolved == 0
    assert est.neutral - est.probability > 3 * est.standard_error


def test_neutral_case_gives_one_over_N():
    est = fixation_probability(4.0, 1.0, N4, M10, q=0.01, w=0.0, runs=8000, seed=2006)
    assert est.unresolved == 0
    assert abs(est.probability - 1 / 40) < 3 * math.sqrt((1 / 40) * (39 / 40) / est.runs)


def test_small_q_simulation_agrees_with_the_rare_splitting_product():
    b, c, w = 4.0, 1.0, 0.05
    est = fixation_probability(b, c, N4, M10, q=0.001, w=w, runs=8000, seed=7)
    rare = rare_splitting_fixation(b, c, N4, M10, w)
    assert abs(est.probability - rare) < 4 * est.standard_error


def test_without_splitting_cooperators_never_take_over():
    # q = 0: a group of cooperators can never replace another; such runs stay unresolved, none fixes
    est = fixation_probability(4.0, 1.0, 2, 2, q=0.0, w=0.3, runs=2000, seed=1)
    assert est.fixed == 0 and est.unresolved > 0 and est.lost + est.unresolved == 2000
    assert est.bounds == (0.0, est.unresolved / 2000)


# --- draws ------------------------------------------------------------------------------------


def _outcomes(**kw):
    model = MultilevelSelection(3, 4, 0.3, 0.3, donation_game(3.0, 1.0))
    return model.outcomes(seed=kw.pop("seed", 9), **kw)


@pytest.mark.parametrize("method", ["jumps", "steps"])
def test_same_seed_same_bytes_and_runs_addressed_by_index(method, monkeypatch):
    full = _outcomes(runs=300, method=method)
    assert full.tobytes() == _outcomes(runs=300, method=method).tobytes()
    assert full.tobytes() != _outcomes(runs=300, method=method, seed=10).tobytes()
    # a prefix of runs, or runs taken in two ranges (two processes), draw what they draw together
    assert np.array_equal(_outcomes(runs=150, method=method), full[:150])
    parts = [_outcomes(runs=100, method=method, first_run=k) for k in (0, 100, 200)]
    assert np.array_equal(np.concatenate(parts), full)
    # batches of another size change nothing
    monkeypatch.setattr(selection, "_BATCH_RUNS", 7)
    assert np.array_equal(_outcomes(runs=300, method=method), full)


def test_population_history_same_seed_same_bytes():
    population = _population()
    a = simulate_population(population, 0.2, 0.2, steps=200, seed=3, runs=3, record_every=20)
    b = simulate_population(population, 0.2, 0.2, steps=200, seed=3, runs=3, record_every=20)
    for name in ("cooperator_share", "group_share", "group_origin", "organisation_share", "descendants", "outcome"):
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes()


# --- a population's groups ----------------------------------------------------------------


def _population():
    orgs = [Organisation("A", Cooperator()), Organisation("B", Defector()), Organisation("C", Defector())]
    people = [Person("a1", ("A",)), Person("a2", ("A",)), Person("b1", ("B",)), Person("b2", ("B",)),
              Person("c1", ("C",)), Person("ab", ("A", "B"), strategy=Cooperator()), Person("c2", ("C",))]
    groups = [("g1", ["a1", "b1", "c1"]), ("g2", ["a2", "b2"]), ("g3", ["ab", "c2", "b1"])]
    return Population(orgs, people, groups=groups)


def test_population_history_starts_from_the_population_and_keeps_people_and_organisations():
    population = _population()
    h = simulate_population(population, q=0.1, w=0.2, steps=400, seed=3, game=donation_game(4.0, 1.0), runs=4,
                            record_every=10)
    assert h.steps.tolist() == list(range(0, 401, 10))
    assert h.group_names == ("g1", "g2", "g3") and h.organisation_names == ("A", "B", "C")
    assert h.person_names == ("a1", "a2", "b1", "b2", "c1", "ab", "c2")
    # at the start, by hand: g1 = a1 gives, b1 c1 take; g2 = a2 gives, b2 takes; g3 = ab gives, c2 b1 take
    assert h.cooperator_share[:, 0] == pytest.approx(3 / 8)
    assert h.group_share[:, 0] == pytest.approx(np.tile([1 / 3, 1 / 2, 1 / 3], (4, 1)))
    assert (h.group_origin[:, 0] == [0, 1, 2]).all()
    # A: a1, a2 and half of ab, all giving; B: b1 twice (two groups), b2, half of ab; C: c1, c2
    assert h.organisation_size[:, 0] == pytest.approx(np.tile([2.5, 3.5, 2.0], (4, 1)))
    assert h.organisation_share[:, 0] == pytest.approx(np.tile([1.0, 0.5 / 3.5, 0.0], (4, 1)))
    # at the end: the descendants are the population, their shares the history's last entry
    final = h.descendants.sum(axis=1)
    assert (final >= 3).all() and (final <= 9).all()  # m groups of 1 to n = 3 members
    gives = np.array([1, 1, 0, 0, 0, 1, 0])
    assert h.cooperator_share[:, -1] == pytest.approx((h.descendants @ gives) / final)
    settled = h.outcome >= 0
    assert (h.cooperator_share[settled, -1] == h.outcome[settled]).all()
    assert ((h.group_origin >= 0) & (h.group_origin < 3)).all()
    # organisations with no descendants left have no share (NaN), the others a share in [0, 1]
    size, share = h.organisation_size, h.organisation_share
    assert np.isnan(share[size == 0]).all()
    assert ((share[size > 0] >= 0) & (share[size > 0] <= 1)).all()


def test_population_with_larger_n_keeps_groups_below_it():
    h = simulate_population(_population(), q=0.0, w=0.1, steps=300, seed=1, n=5, record_every=300)
    assert h.descendants.sum() <= 3 * 5


# --- errors and guards ---------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, key", [
    (dict(n=1), "n"), (dict(n=41), "n"), (dict(m=1), "m"), (dict(q=1.5), "q"), (dict(w=-0.1), "w"),
    (dict(w=0.9), "w"), (dict(fitness="logistic"), "fitness"), (dict(game="donation"), "game"),
])
def test_bad_model_parameters_give_one_line_errors_naming_the_key(kwargs, key):
    args = dict(n=4, m=5, q=0.1, w=0.1, game=donation_game(3.0, 1.0))
    args.update(kwargs)
    with pytest.raises(ParameterError) as info:
        MultilevelSelection(**args)
    message = str(info.value)
    assert "\n" not in message and message.startswith(key)


@pytest.mark.parametrize("kwargs, key", [
    (dict(runs=0), "runs"), (dict(cooperators=20), "cooperators"), (dict(cooperators=0), "cooperators"),
    (dict(method="gillespie"), "method"), (dict(first_run=-1), "first_run"), (dict(max_steps=0), "max_steps"),
])
def test_bad_run_parameters_give_one_line_errors_naming_the_key(kwargs, key):
    model = MultilevelSelection(4, 5, 0.1, 0.1, donation_game(3.0, 1.0))
    args = dict(runs=10, seed=1)
    args.update(kwargs)
    with pytest.raises(ParameterError) as info:
        model.outcomes(**args)
    message = str(info.value)
    assert "\n" not in message and message.startswith(key)


def test_bad_donation_game_and_seed():
    with pytest.raises(ParameterError, match="^c "):
        donation_game(3.0, -1.0)
    with pytest.raises(ParameterError, match="^seed"):
        fixation_probability(3.0, 1.0, 3, 3, 0.1, 0.1, runs=5, seed=-1)


def test_population_errors_are_one_line():
    population = _population()
    with pytest.raises(ParameterError, match=r"^n must be at least the largest group \(3 members\)"):
        simulate_population(population, 0.1, 0.1, steps=10, seed=1, n=2)
    one_group = Population([Organisation("A", Cooperator())], [Person("x", ("A",)), Person("y", ("A",))],
                           groups=[("g", ["x", "y"])])
    with pytest.raises(ParameterError, match="^population: multilevel selection needs at least two groups"):
        simulate_population(one_group, 0.1, 0.1, steps=10, seed=1)
    tft = Population([Organisation("A", TitForTat())], [Person(p, ("A",)) for p in "wxyz"],
                     groups=[("g", ["w", "x"]), ("h", ["y", "z"])])
    with pytest.raises(ParameterError, match="^person 'w': multilevel selection plays .* got 'Tit For Tat'$"):
        simulate_population(tft, 0.1, 0.1, steps=10, seed=1)
    with pytest.raises(ParameterError, match="^population must be a Population"):
        simulate_population("network", 0.1, 0.1, steps=10, seed=1)


def test_resource_guards_refuse_before_allocating():
    with pytest.raises(ResourceLimitError, match="^n x m"):
        MultilevelSelection(2, 200_000, 0.1, 0.1)
    model = MultilevelSelection(3, 3, 0.1, 0.1)
    with pytest.raises(ResourceLimitError, match="^max_steps"):
        model.outcomes(runs=1, seed=1, max_steps=10**12)
    with pytest.raises(ParameterError, match="states; at most"):
        MultilevelSelection(6, 6, 0.1, 0.1).exact_fixation_probability()
    with pytest.raises(ResourceLimitError, match="records of the shares"):
        simulate_population(_population(), 0.1, 0.1, steps=5_000_000, seed=1, runs=50)
