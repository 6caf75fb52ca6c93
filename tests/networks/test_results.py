"""The network's result structures (networks/results.py): Contributions, the summaries and
NetworkResults' tables, checked against numbers derived by hand from the default game
(``P, b, c, s, e = 1, 2, 1, 1, 2``, Axelrod's 3, 0, 5, 1) and the rule of games/levels.py.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from leaving import WalksOut
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import LearningGame
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.play import play_network
from learning_dilemma.networks.results import (
    GROUP_ENDINGS, Contributions, GroupSummary, NetworkResults, TieSummary,
)
from learning_dilemma.strategies import Cooperator, Defector, RandomPlayer, TitForTat

PERSON_COLUMNS = {
    "person", "organisations", "strategy", "ties", "groups", "identification", "recognition", "identity",
    "identity_weight", "absorption", "acts", "gives", "giving_share", "payoff", "payoff_per_round",
    "organisation_payoff", "learning", "absorbed",
}
ORGANISATION_COLUMNS = {
    "organisation", "people", "policy", "absorption", "acts", "gives", "giving_share", "payoff", "payoff_per_round",
    "learning",
}
ROUND_COLUMNS = {
    "round", "giving_share", "tie_giving_share", "mutual_giving", "open_ties", "active_group_members",
    "mean_person_payoff", "mean_organisation_payoff", "learning", "absorbed",
}
TIE_COLUMNS = {
    "tie", "person_u", "person_v", "organisations_u", "organisations_v", "prior", "overlap", "gives_u", "gives_v",
    "mutual_giving", "open_rounds", "final_tie", "final_stakes_u", "final_stakes_v", "ended_open", "ended_left",
    "ended_race_over",
}
GROUP_COLUMNS = {
    "group", "size", "members", "giving_share", "active_members", "open_rounds", "final_stakes", "ended_open",
    "ended_left", "ended_race_over",
}
SUMMARY_KEYS = {
    "people", "organisations", "ties", "groups", "rounds", "repetitions", "seed", "mean_person_payoff",
    "mean_organisation_payoff", "giving_share", "tie_mutual_giving", "ties_ended_by_exit", "ties_ended_by_race",
    "groups_ended_by_exit", "groups_ended_by_race", "learning_per_person_round", "absorbed_per_person_round",
}


def giver_and_taker(giver=None, taker=None, absorption=1.0):
    organisations = [Organisation("A", TitForTat()), Organisation("B", Defector(), absorption=absorption)]
    people = [Person("a", ("A",), giver or Cooperator()), Person("b", ("B",), taker)]
    return Population(organisations, people, [("a", "b")])


# --- Contributions ----------------------------------------------------------------

def test_contributions_start_at_zero_and_add_elementwise():
    zero = Contributions.zeros(2, 3, 4)
    assert zero.shape == (2, 3, 4)
    assert zero.gives.dtype == np.int32 and zero.acts.dtype == np.int32
    assert zero.person_payoffs.dtype == np.float64 and not zero.person_payoffs.any()
    rng = np.random.default_rng(0)
    one = Contributions(*(rng.random((2, 3, 4)) for _ in range(2)), *(rng.integers(0, 3, (2, 3, 4), dtype=np.int32)
                                                                      for _ in range(2)),
                        *(rng.random((2, 3, 4)) for _ in range(2)))
    two = one + one
    for name in ("person_payoffs", "organisation_payoffs", "gives", "acts", "learning", "absorbed"):
        assert np.array_equal(getattr(two, name), 2 * getattr(one, name)), name
        assert np.array_equal(getattr(zero + one, name), getattr(one, name)), name
    assert two.gives.dtype == np.int32
    with pytest.raises(ParameterError, match="cannot be added"):
        one + Contributions.zeros(2, 3, 5)
    with pytest.raises(TypeError):
        one + 1


# --- a tiny network by hand ---------------------------------------------------------

def test_a_giver_and_a_taker_by_hand():
    """Cooperator against Defector, 3 rounds at the defaults: S = 0 and T = 5 a round for the
    people and their organisations; the taker learns r = 1 a round, the giver nothing."""
    results = play_network(giver_and_taker(), rounds=3, seed=2)
    c = results.contributions
    assert np.array_equal(c.person_payoffs[0], [[0, 0, 0], [5, 5, 5]])
    assert np.array_equal(results.organisation_payoffs[0], [[0, 0, 0], [5, 5, 5]])
    assert np.array_equal(c.gives[0], [[1, 1, 1], [0, 0, 0]]) and np.all(c.acts == 1)
    assert np.array_equal(c.learning[0], [[0, 0, 0], [1, 1, 1]])
    people = results.person_table()
    assert [(p["person"], p["strategy"], p["payoff"], p["payoff_per_round"], p["giving_share"], p["learning"])
            for p in people] == [("a", "Cooperator", 0.0, 0.0, 1.0, 0.0), ("b", "Defector", 15.0, 5.0, 0.0, 3.0)]
    assert [p["ties"] for p in people] == [1, 1] and [p["acts"] for p in people] == [3.0, 3.0]
    organisations = results.organisation_table()
    assert [(o["organisation"], o["policy"], o["payoff"], o["learning"], o["giving_share"]) for o in organisations] \
        == [("A", "Tit For Tat", 0.0, 0.0, 1.0), ("B", "Defector", 15.0, 3.0, 0.0)]
    for row in results.round_table():
        assert row["giving_share"] == row["tie_giving_share"] == 0.5
        assert row["mutual_giving"] == 0.0 and row["open_ties"] == 1.0 and row["active_group_members"] == 0.0
        assert row["mean_person_payoff"] == row["mean_organisation_payoff"] == 2.5
        assert row["learning"] == row["absorbed"] == 1.0
    assert [row["round"] for row in results.round_table()] == [1, 2, 3]
    (tie,) = results.tie_table()
    assert (tie["person_u"], tie["person_v"], tie["gives_u"], tie["gives_v"], tie["mutual_giving"],
            tie["open_rounds"], tie["overlap"], tie["ended_open"]) == ("a", "b", 1.0, 0.0, 0.0, 3.0, 1.0, 1.0)
    summary = results.summary()
    assert summary["mean_person_payoff"] == 2.5  # (0 + 5) x 3 over 2 people x 3 rounds
    assert summary["mean_organisation_payoff"] == 2.5
    assert summary["giving_share"] == 0.5 and summary["tie_mutual_giving"] == 0.0
    assert summary["ties_ended_by_exit"] == summary["ties_ended_by_race"] == 0.0
    assert summary["learning_per_person_round"] == summary["absorbed_per_person_round"] == 0.5
    assert (summary["people"], summary["ties"], summary["groups"], summary["seed"]) == (2, 1, 0, 2)
    assert math.isnan(summary["groups_ended_by_exit"])


def test_learning_that_stays_with_the_person_by_hand():
    """The taker's organisation absorbs alpha = 1/2 (seed 001 s.7: KITe's learning "stayed individual").
    With C^alpha_i = gamma c (alpha_i r_i g_j - alpha_j r_j g_i) + gamma e alpha_i r_i x_j (1 - g_i):
    the taker's organisation earns P + alpha (b - c) + alpha (c + e) = 1 + 0.5 + 1.5 = 3, its person
    P + (b - c) + alpha (c + e) = 3.5; the giver's organisation and person P - alpha c = 0.5."""
    results = play_network(giver_and_taker(absorption=0.5), rounds=3, seed=2)
    c = results.contributions
    assert np.allclose(results.organisation_payoffs[0], [[0.5] * 3, [3.0] * 3])
    assert np.allclose(c.person_payoffs[0], [[0.5] * 3, [3.5] * 3])
    assert np.array_equal(c.learning[0, 1], [1, 1, 1]) and np.array_equal(c.absorbed[0, 1], [0.5] * 3)
    assert np.array_equal(results.organisation_learning[0], [[0, 0, 0], [0.5] * 3])
    summary = results.summary()
    assert summary["mean_person_payoff"] == pytest.approx(2.0)
    assert summary["mean_organisation_payoff"] == pytest.approx(1.75)
    assert summary["learning_per_person_round"] == 0.5 and summary["absorbed_per_person_round"] == 0.25
    assert [p["absorbed"] for p in results.person_table()] == [0.0, 1.5]
    assert [o["learning"] for o in results.organisation_table()] == [0.0, 1.5]


def test_a_tie_closed_by_an_exit_in_the_tables():
    """Walks Out leaves in round 2: from then on nobody acts, so the round's giving share is
    undefined (nan) and no tie is open; the tie ended by an exit."""
    results = play_network(giver_and_taker(giver=WalksOut()), rounds=4, seed=1)
    rounds = results.round_table()
    assert rounds[0]["giving_share"] == 0.5 and rounds[0]["open_ties"] == 1.0
    for row in rounds[1:]:
        assert math.isnan(row["giving_share"]) and math.isnan(row["tie_giving_share"])
        assert row["open_ties"] == 0.0 and row["mean_person_payoff"] == 1.0
    (tie,) = results.tie_table()
    assert (tie["gives_u"], tie["gives_v"], tie["open_rounds"], tie["ended_left"], tie["ended_open"]) == \
        (1.0, 0.0, 1.0, 1.0, 0.0)
    assert results.summary()["ties_ended_by_exit"] == 1.0
    assert [p["acts"] for p in results.person_table()] == [1.0, 1.0]


# --- tables and sums on a larger network ----------------------------------------------

def larger():
    organisations = [Organisation("A", TitForTat(), absorption=0.4), Organisation("B", RandomPlayer(p=0.3)),
                     Organisation("C", Cooperator(receptivity=0.6), absorption=0.8)]
    people = [Person("a1", ("A",)), Person("a2", ("A", "B"), identification=0.3), Person("b1", ("B",)),
              Person("c1", ("C",), recognition=0.2), Person("c2", ("C", "A"), identity="profession",
                                                                 identity_weight=0.5)]
    ties = [("a1", "b1"), ("a1", "c1", 2), ("a2", "c2"), ("b1", "c2"), ("c1", "c2"), ("a2", "b1")]
    return Population(organisations, people, ties, overlaps={("A", "C"): 0.5})


def test_tables_have_their_columns_and_one_row_each():
    results = play_network(larger(), rounds=12, seed=4, repetitions=3, noise=0.05)
    assert [set(row) for row in results.person_table()] == [PERSON_COLUMNS] * 5
    assert [set(row) for row in results.organisation_table()] == [ORGANISATION_COLUMNS] * 3
    assert [set(row) for row in results.round_table()] == [ROUND_COLUMNS] * 12
    assert [set(row) for row in results.tie_table()] == [TIE_COLUMNS] * 6
    assert results.group_table() == []
    assert set(results.summary()) == SUMMARY_KEYS
    json.dumps([results.person_table(), results.organisation_table(), results.round_table(), results.tie_table(),
                results.summary()])  # plain Python values only
    assert [p["organisations"] for p in results.person_table()] == ["A", "A+B", "B", "C", "C+A"]
    assert [o["people"] for o in results.organisation_table()] == [3, 2, 2]


def test_sums_agree_between_people_and_organisations():
    results = play_network(larger(), rounds=12, seed=4, repetitions=3, noise=0.05)
    c = results.contributions
    # membership rows sum to one: organisations hold exactly what the people's relations brought them
    assert np.allclose(results.organisation_payoffs.sum(axis=1), c.organisation_payoffs.sum(axis=1))
    assert np.allclose(results.organisation_learning.sum(axis=1), c.absorbed.sum(axis=1))
    people, organisations = results.person_table(), results.organisation_table()
    assert sum(o["payoff"] for o in organisations) == pytest.approx(sum(p["organisation_payoff"] for p in people))
    assert sum(o["acts"] for o in organisations) == pytest.approx(sum(p["acts"] for p in people))
    assert sum(o["learning"] for o in organisations) == pytest.approx(sum(p["absorbed"] for p in people))
    # every tie has two sides acting in each open round; degree = ties a person is in
    assert c.acts.sum() == 2 * results.ties.open_rounds.sum()
    assert [p["ties"] for p in people] == [2, 2, 3, 2, 3]
    # a person's giving share is their gives over their acts
    for row, share in zip(people, results.giving_share):
        assert row["giving_share"] == pytest.approx(share) and row["gives"] / row["acts"] == pytest.approx(share)
    # the round table's giving share is the repetitions' mean of gives / acts in that round
    per_rep = c.gives.sum(axis=1) / c.acts.sum(axis=1)
    assert [r["giving_share"] for r in results.round_table()] == pytest.approx(per_rep.mean(axis=0))
    # the summary: person payoff per person-relation-round, organisation payoff per organisation-round
    summary = results.summary()
    assert summary["mean_person_payoff"] == pytest.approx(c.person_payoffs.sum() / (3 * 12 * 2 * 6))
    assert summary["mean_organisation_payoff"] == pytest.approx(results.organisation_payoffs.sum() / (3 * 3 * 12))


def test_the_tie_summary_agrees_with_the_contributions():
    results = play_network(larger(), rounds=12, seed=4, repetitions=3, noise=0.05)
    s, c = results.ties, results.contributions
    assert isinstance(s, TieSummary)
    assert s.gives.shape == (3, 6, 2) and s.mutual.shape == (3, 6) and s.giving_by_round.shape == (3, 12)
    # gives per person from the tie summary: share x open rounds, summed over the person's sides
    gives = np.zeros((3, 5))
    for k, (u, v) in enumerate(results.population.tie_people):
        for side, person in enumerate((u, v)):
            gives[:, person] += np.nan_to_num(s.gives[:, k, side]) * s.open_rounds[:, k]
    assert np.allclose(gives, c.gives.sum(axis=2))
    assert np.allclose(s.giving_by_round, c.gives.sum(axis=1) / c.acts.sum(axis=1))
    assert np.array_equal(s.open_by_round.sum(axis=1), s.open_rounds.sum(axis=1))
    assert np.allclose(s.mutual_by_round.mean(axis=1), s.mutual.mean(axis=1))


# --- groups (the structure; networks/groups.py fills it) ------------------------------

def test_group_rows_read_the_group_summary():
    organisations = [Organisation("A", Cooperator()), Organisation("B", Defector())]
    people = [Person("a", ("A",)), Person("b", ("B",)), Person("c", ("A",))]
    population = Population(organisations, people, groups=[("g", ["a", "b", "c"]), ("h", ["b", "c"])])
    nan = np.nan
    summary = GroupSummary(
        gives=np.array([[[1.0, 0.5, nan], [0.0, 0.0, 0.0]], [[0.5, 0.5, 0.5], [1.0, nan, nan]]]),
        active=np.array([[[3, 2, 0], [2, 2, 2]], [[3, 3, 3], [2, 0, 0]]]),
        ended_by=np.array([[1, 0], [0, 2]], dtype=np.int8),
        final_stakes=[np.array([[0, 1, 2], [3, 3, 3]]), np.array([[1, 1], [0, 0]])],
    )
    results = NetworkResults(population, LearningGame(), None, 3, 2, 0, Contributions.zeros(2, 3, 3), None, summary)
    g, h = results.group_table()
    assert (g["group"], g["size"], g["members"]) == ("g", 3, "a, b, c")
    assert g["giving_share"] == pytest.approx((1 + 0.5 + 0.5 * 3) / 5)
    assert g["active_members"] == pytest.approx(14 / 6) and g["open_rounds"] == pytest.approx((2 + 3) / 2)
    assert g["final_stakes"] == 2.0
    assert (g["ended_open"], g["ended_left"], g["ended_race_over"]) == (0.5, 0.5, 0.0)
    assert (h["giving_share"], h["final_stakes"]) == (pytest.approx(1 / 4), 0.5)
    assert (h["ended_open"], h["ended_left"], h["ended_race_over"]) == (0.5, 0.0, 0.5)
    assert [r["active_group_members"] for r in results.round_table()] == [5.0, 3.5, 2.5]
    assert [p["groups"] for p in results.person_table()] == [1, 2, 2]
    summary = results.summary()
    assert (summary["groups_ended_by_exit"], summary["groups_ended_by_race"]) == (0.25, 0.25)
    assert math.isnan(summary["ties_ended_by_exit"])
    assert GROUP_ENDINGS == ("open", "left", "race over")


def test_results_import_no_graph_or_plotting_library():
    code = ("import sys, learning_dilemma.networks.results, learning_dilemma.networks.play; "
            "print(sorted(m for m in ('networkx', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
