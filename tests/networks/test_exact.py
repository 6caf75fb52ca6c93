"""The exact expected payoffs of a network's ties (networks.exact): the reduction to
the pairwise exact engine, agreement with a Monte Carlo of the same ties, a closed
form written out by hand, the sums per person and organisation, and refusals."""

from __future__ import annotations

import numpy as np
import pytest

from leaving import Wanderer
from learning_dilemma import LearningGame, Match
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import expected_payoffs
from learning_dilemma.games import Knowledge, Ties, stage_payoffs
from learning_dilemma.games.levels import act_value, organisation_payoff, person_payoff
from learning_dilemma.moves import EXIT, GIVE
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.exact import expected_people, expected_ties
from learning_dilemma.players.player import Player
from learning_dilemma.seeding import tie_key
from learning_dilemma.strategies import (
    GTFT, Calculative, ContractualReciprocator, Defector, RaceToLearn, TitForTat, TrustBuilder,
)

# Axelrod's payoffs, the default game's.
R, S, T, P = 3.0, 0.0, 5.0, 1.0


def relation(overlap=0.7):
    """Every part of the relation: stakes, ties (tacit gives), partial overlap, power."""
    return LearningGame(knowledge=Knowledge(levels=3, pace=0.4), ties=Ties(levels=2),
                        overlap=overlap).with_power(strength=0.7)


POLICIES = {
    "Alpha": GTFT(tacitness=0.2),
    "Beta": Wanderer(p=0.7, q=0.03),
    "Gamma": TrustBuilder(tacitness=0.1, receptivity=0.7),
    "Delta": RaceToLearn(receptivity=0.6),
    "Epsilon": ContractualReciprocator(receptivity=0.4, tacitness=0.3),
    "Zeta": Calculative(),
}
# every pair of the six, some with prior rounds of mutual giving
TIES = [(u, v, (3 * k) % 5) for k, (u, v) in enumerate((u, v) for i, u in enumerate(POLICIES)
                                                        for v in list(POLICIES)[i + 1:])]


def one_each(**person):
    """One person per organisation, named after it, with the organisation's policy."""
    organisations = [Organisation(name, policy) for name, policy in POLICIES.items()]
    people = [Person(name, (name,), **person) for name in POLICIES]
    return Population(organisations, people, ties=TIES)


@pytest.mark.parametrize("length", [dict(turns=25), dict(turns=7, noise=0.05), dict(continuation=0.9),
                                    dict(continuation=0.8, noise=0.02)], ids=str)
def test_one_person_per_organisation_at_the_limits_is_the_pairwise_exact_engine(length):
    """REDUCTION: full identification and absorption, no recognition, no identity:
    each tie's expected person and organisation payoffs are expected_payoffs of its two
    strategies with its prior rounds, to the bit; so are its rates."""
    population = one_each()
    game = relation()
    result = expected_ties(population, game, **length)
    players = population.players()
    assert result["person_payoffs"].shape == (len(TIES), 2)
    for k, (u, v) in enumerate(population.tie_people):
        pairwise = expected_payoffs(players[u], players[v], game, prior_rounds=int(population.tie_prior[k]),
                                    **length)
        np.testing.assert_array_equal(result["person_payoffs"][k], pairwise.per_round)
        np.testing.assert_array_equal(result["organisation_payoffs"][k], pairwise.per_round)
        np.testing.assert_array_equal(result["give_rates"][k], pairwise.give_rates)
        np.testing.assert_array_equal(result["learning"][k], pairwise.learning)
        assert result["mutual_giving"][k] == pairwise.mutual_giving
        assert result["open_share"][k] == pairwise.open_share
        assert float(result["length"]) == pairwise.length
    assert len(set(population.tie_prior.tolist())) > 1  # the prior rounds were exercised


def test_the_tie_plays_at_its_organisations_overlap():
    """The overlap of two organisations given in ``overlaps`` is the tie's: at the
    limits a tie of strategies that do not read the game is expected_payoffs of the
    game with that overlap."""
    organisations = [Organisation("Gamma", TrustBuilder(tacitness=0.2)), Organisation("Delta", RaceToLearn())]
    people = [Person("g", ("Gamma",)), Person("d", ("Delta",))]
    population = Population(organisations, people, ties=[("g", "d", 2)], overlaps={("Delta", "Gamma"): 0.25})
    result = expected_ties(population, relation(0.7), turns=20)
    pairwise = expected_payoffs(TrustBuilder(tacitness=0.2), RaceToLearn(), relation(0.25), turns=20,
                                prior_rounds=2)
    np.testing.assert_allclose(result["person_payoffs"][0], pairwise.per_round, rtol=0, atol=1e-12)
    elsewhere = expected_payoffs(TrustBuilder(tacitness=0.2), RaceToLearn(), relation(0.7), turns=20,
                                 prior_rounds=2)
    assert np.abs(result["person_payoffs"][0] - elsewhere.per_round).max() > 0.01


def test_strategies_see_the_populations_game_and_the_payoffs_the_ties_overlap():
    """As Match plays a tie (game=the population's game), a strategy that reads the game
    (GTFT's generosity) is compiled for the population's game; only the payoffs are at
    the tie's overlap: the tie is expected_payoffs in the population's game with the
    stage payoffs at the tie's overlap as the payoff rule."""
    organisations = [Organisation("Alpha", GTFT(tacitness=0.2)), Organisation("Delta", RaceToLearn())]
    people = [Person("a", ("Alpha",)), Person("d", ("Delta",))]
    population = Population(organisations, people, ties=[("a", "d", 2)], overlaps={("Delta", "Alpha"): 0.25})
    result = expected_ties(population, relation(0.7), turns=20)

    def at_the_ties_overlap(game, *outcome):
        return stage_payoffs(game, *outcome, overlap=0.25)

    pairwise = expected_payoffs(GTFT(tacitness=0.2), RaceToLearn(), relation(0.7), turns=20, prior_rounds=2,
                                payoffs=at_the_ties_overlap)
    np.testing.assert_allclose(result["person_payoffs"][0], pairwise.per_round, rtol=0, atol=1e-12)


# --- Monte Carlo ---------------------------------------------------------------------

def network():
    """Three organisations, a person of two of them, every person parameter away from
    its limit, one pair of organisations at a given overlap."""
    organisations = [Organisation("A", GTFT(tacitness=0.2), absorption=0.8),
                     Organisation("B", Wanderer(p=0.7, q=0.03), absorption=0.5),
                     Organisation("C", TrustBuilder(tacitness=0.1, receptivity=0.7), absorption=0.3)]
    people = [
        Person("a1", ("A",), identification=0.3, recognition=0.4, identity="profession", identity_weight=0.25),
        Person("b1", ("B",), identification=0.6, identity="organisation", identity_weight=0.5),
        Person("c1", ("C",), strategy=RaceToLearn(receptivity=0.6), identification=0.0, recognition=1.0),
        Person("ab", ("A", "B"), identification=0.8, recognition=0.2, identity="profession", identity_weight=0.1),
    ]
    ties = [("a1", "b1"), ("a1", "c1", 4), ("b1", "ab"), ("c1", "ab", 2), ("a1", "ab")]
    return Population(organisations, people, ties=ties, overlaps={("A", "C"): 0.4})


def simulated_tie(population, game, k, turns, repetitions, noise, seed):
    """Each repetition's mean per-round person and organisation payoff of tie ``k`` of
    both sides, shape (repetitions, 2) each: the tie played as Match plays it, the
    payoffs of games/levels.py applied to its moves, transfers and power (A's view at
    the start of each round), P in closed rounds and no act there."""
    u, v = (int(p) for p in population.tie_people[k])
    players = population.players()
    match = Match(players[u], players[v], game, turns=turns, seed=seed, key=tie_key(u, v),
                  repetitions=repetitions, noise=noise, prior_rounds=int(population.tie_prior[k]))
    raw = match.play_batch().raw
    closed = raw.moves[0] == EXIT
    g = [np.where(closed, 0, raw.moves[s] == GIVE).astype(float) for s in (0, 1)]
    x = [np.where(closed, 0, raw.transfers[s] == 1).astype(float) for s in (0, 1)]
    z = raw.power[:, :-1]
    r = [players[u].receptivity, players[v].receptivity]
    gamma = population.pair_overlap([u], [v], game)[0]
    alpha = population.absorption[[u, v]]
    values = {name: population.person_values(name)[[u, v]]
              for name in ("identification", "recognition", "identity_weight", "prescription")}
    person, organisation = [], []
    for i, j, z_i in ((0, 1, z), (1, 0, -z)):
        own = (person_payoff(game, g[i], g[j], x[i], x[j], r[i], r[j], z_i, alpha[i], alpha[j],
                             values["identification"][i], gamma)
               + act_value(g[i], values["recognition"][i], values["identity_weight"][i], values["prescription"][i]))
        firm = organisation_payoff(game, g[i], g[j], x[i], x[j], r[i], r[j], z_i, alpha[i], alpha[j], gamma)
        person.append(np.where(closed, P, own).mean(axis=1))
        organisation.append(np.where(closed, P, firm).mean(axis=1))
    return np.stack(person, axis=1), np.stack(organisation, axis=1)


def test_the_exact_two_level_payoffs_agree_with_a_monte_carlo_of_the_ties():
    """30 fixed rounds, 4,000 repetitions of each tie, noise: every tie's expected person and
    organisation payoffs of both sides within 4.5 standard errors of the simulated means.
    The levels are far enough from the stage payoff that a tie paid the stage payoff
    instead would fail."""
    population, game = network(), relation()
    turns, repetitions, noise = 30, 4000, 0.05
    exact = expected_ties(population, game, turns=turns, noise=noise)
    stage = np.array([expected_payoffs(population.players()[u], population.players()[v], game, turns=turns,
                                       noise=noise, prior_rounds=int(prior)).per_round
                      for (u, v), prior in zip(population.tie_people, population.tie_prior)])
    worst = 0.0
    for k in range(population.n_ties):
        simulated = simulated_tie(population, game, k, turns, repetitions, noise, seed=20240 + k)
        for name, sample in zip(("person_payoffs", "organisation_payoffs"), simulated):
            error = sample.std(axis=0, ddof=1) / np.sqrt(repetitions)
            assert np.all(error > 0)
            score = np.abs(sample.mean(axis=0) - exact[name][k]) / error
            assert np.all(score < 4.5), (k, name, score)
            worst = max(worst, score.max())
            # the mechanism is visible at this sample size: the stage payoff is far away
            assert np.abs(stage[k] - exact[name][k]).max() > 10 * error.max(), (k, name)
    assert worst > 0


# --- a closed form ---------------------------------------------------------------------

def tft_against_defector(rho=0.0, kappa=0.0, absorption=1.0):
    organisations = [Organisation("Trusting", TitForTat()), Organisation("Taking", Defector(), absorption)]
    people = [Person("t", ("Trusting",), recognition=rho),
              Person("d", ("Taking",), identity="profession", identity_weight=kappa)]
    return Population(organisations, people, ties=[("t", "d")])


@pytest.mark.parametrize("rho", [0.0, 0.5, 2.0])
def test_tit_for_tat_against_a_defector_with_recognition_by_hand(rho):
    """Default game (Axelrod's R, S, T, P = 3, 0, 5, 1), full identification and
    absorption. Tit For Tat gives in round one and is recognised for it, then takes:
    its person earns S + rho, then P each round, so per round (S + rho + (n - 1) P) / n
    over n rounds, and (1 - w)(S + rho) + w P with continuation w. The defector's
    professional identity prescribes sharing: it loses kappa in every (open) round,
    T - kappa, then P - kappa."""
    kappa = 0.3
    population = tft_against_defector(rho, kappa)
    for n in (1, 4, 25):
        result = expected_ties(population, turns=n)
        assert result["person_payoffs"][0] == pytest.approx(
            [(S + rho + (n - 1) * P) / n, (T + (n - 1) * P) / n - kappa], abs=1e-12)
    for w in (0.5, 0.9):
        result = expected_ties(population, continuation=w)
        assert result["person_payoffs"][0] == pytest.approx(
            [(1 - w) * (S + rho) + w * P, (1 - w) * T + w * P - kappa], abs=1e-12)
    # recognition and identity are the person's, not the organisation's
    assert expected_ties(population, turns=4)["organisation_payoffs"][0] == pytest.approx(
        [(S + 3 * P) / 4, (T + 3 * P) / 4], abs=1e-12)


def test_the_organisations_feel_the_learners_absorption_by_hand():
    """In round one the defector's organisation holds only alpha_D of what its person
    took: the positional transfer gamma c alpha_D and the race premium gamma e alpha_D
    (and the absolute value (b - c) alpha_D) scale with it. With gamma = 1, c = P - S,
    b + e = T - P: Pi_TFT = P - alpha_D (P - S) and Pi_D = P + alpha_D (T - P), then P."""
    alpha = 0.4
    result = expected_ties(tft_against_defector(absorption=alpha), turns=5)
    assert result["organisation_payoffs"][0] == pytest.approx(
        [(P - alpha * (P - S) + 4 * P) / 5, (P + alpha * (T - P) + 4 * P) / 5], abs=1e-12)
    assert result["absorbed"][0] == pytest.approx([0.0, alpha / 5], abs=1e-12)


# --- per person and per organisation ---------------------------------------------------

def test_people_and_organisations_sum_their_ties():
    """A person's expected payoff per round is the sum over their ties' sides; an
    organisation's is the sum over its people of their relations' Pi, a person of two
    organisations paying each half."""
    population, game = network(), relation()
    ties = expected_ties(population, game, turns=12)
    people = expected_people(population, game, turns=12)
    by_hand = np.zeros(population.n_people)
    firms = np.zeros(population.n_people)
    for k, (u, v) in enumerate(population.tie_people):
        by_hand[u] += ties["person_payoffs"][k, 0]
        by_hand[v] += ties["person_payoffs"][k, 1]
        firms[u] += ties["organisation_payoffs"][k, 0]
        firms[v] += ties["organisation_payoffs"][k, 1]
    np.testing.assert_allclose(people["person_payoffs"], by_hand, rtol=0, atol=1e-12)
    a1, b1, c1, ab = range(4)
    expected = [firms[a1] + firms[ab] / 2, firms[b1] + firms[ab] / 2, firms[c1]]
    np.testing.assert_allclose(people["organisation_payoffs"], expected, rtol=0, atol=1e-12)
    on_ab = [k for k, pair in enumerate(population.tie_people) if ab in pair]
    assert len(on_ab) == 3
    assert people["acts"][ab] == pytest.approx(ties["open_share"][on_ab].sum(), abs=1e-12)
    assert people["gives"].shape == people["learning"].shape == (population.n_people,)
    np.testing.assert_allclose(people["organisation_learning"].sum(), people["absorbed"].sum(), rtol=1e-12)


def test_a_person_without_ties_earns_nothing_from_ties():
    organisations = [Organisation("Alpha", TitForTat())]
    people = [Person("a", ("Alpha",)), Person("b", ("Alpha",)), Person("alone", ("Alpha",))]
    population = Population(organisations, people, ties=[("a", "b")])
    people = expected_people(population, turns=3)
    assert people["person_payoffs"].tolist() == [R, R, 0.0]
    # mutual giving pays R at any overlap (the positional parts cancel): R to each person,
    # 2 R to their one organisation
    assert people["organisation_payoffs"].tolist() == [2 * R]


# --- refusals ----------------------------------------------------------------------------

class MyTitForTat(Player):
    """An imperative Tit For Tat: not an automaton."""

    name = "My Tit For Tat"

    def strategy(self, opponent):
        return opponent.history[-1] if opponent.history else GIVE


def one_line_error(call, *args, **kwargs):
    with pytest.raises(ParameterError) as refused:
        call(*args, **kwargs)
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_only_automata_are_solved():
    organisations = [Organisation("Alpha", TitForTat())]
    people = [Person("a", ("Alpha",)), Person("imperative", ("Alpha",), strategy=MyTitForTat())]
    population = Population(organisations, people, ties=[("a", "imperative")])
    assert "'imperative'" in one_line_error(expected_ties, population, turns=5)
    # a non-automaton person without ties is not in the way
    people.append(Person("c", ("Alpha",)))
    fine = Population(organisations, [people[0], people[2], people[1]], ties=[("a", "c")])
    assert expected_ties(fine, turns=2)["person_payoffs"].tolist() == [[R, R]]


def test_bad_inputs_are_refused_in_one_line():
    population = tft_against_defector()
    assert "population" in one_line_error(expected_ties, "not a population")
    assert "game" in one_line_error(expected_ties, population, game=3)
    assert "noise" in one_line_error(expected_ties, population, noise=2.0)
    assert "turns" in one_line_error(expected_ties, population, turns=0)
    assert "continuation" in one_line_error(expected_ties, population, continuation=1.0)
    grouped = Population(population.organisations, population.people, ties=[("t", "d")],
                         groups=[("everyone", ("t", "d"))])
    assert "groups" in one_line_error(expected_people, grouped, turns=3)


def test_a_network_without_ties_has_no_tie_payoffs():
    organisations = [Organisation("Alpha", TitForTat())]
    population = Population(organisations, [Person("a", ("Alpha",))])
    result = expected_ties(population, turns=4)
    assert result["person_payoffs"].shape == (0, 2)
    assert expected_people(population, turns=4)["person_payoffs"].tolist() == [0.0]


def test_identity_coping_is_refused_in_one_line_not_ignored():
    """The exact expectations leave walls, multi-vocality and perceived games out: a
    population with any of them is refused rather than given numbers of another model."""
    from learning_dilemma.networks import Organisation, Person, Population
    from learning_dilemma.networks.exact import expected_ties
    from learning_dilemma.strategies import TitForTat

    def population(walls=0.0, **person):
        organisations = [Organisation("A", policy=TitForTat(), walls=walls), Organisation("B", policy=TitForTat())]
        people = [Person("a", "A"), Person("b", "B", **person)]
        return Population(organisations, people, ties=[("a", "b")])

    expected_ties(population(), turns=5)  # nothing on: computed
    for kwargs, who in (({"walls": 0.5}, "organisation 'A'"), ({"multivocality": 0.5}, "person 'b'"),
                        ({"meta_horizon": 0.99}, "person 'b'")):
        with pytest.raises(ParameterError, match=f"identity coping \\({who} has it\\)") as caught:
            expected_ties(population(**kwargs), turns=5)
        assert "\n" not in str(caught.value)
