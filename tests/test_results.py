"""Results from hand-made outcomes: the summaries' definitions, number by number."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame
from learning_dilemma.games import Knowledge
from learning_dilemma.results import (
    Outcomes,
    TournamentResults as Results,
    by_opponent,
    mean_over_matches,
    mean_trajectories,
    merge_outcomes,
    normalised_scores,
    ranking,
    unique_labels,
    winners,
)

nan = np.nan


def outcomes(pairs, lengths, totals, gives, mutual, final, trajectories=None, **second_edition):
    pairs = np.array(pairs)
    trajectories = trajectories or tuple(np.zeros(int(np.max(l)) + 1) for l in lengths)
    return Outcomes(pairs, np.array(lengths), np.array(totals, dtype=float), np.array(gives),
                    np.array(mutual), np.array(final), tuple(trajectories),
                    **{k: np.array(v) for k, v in second_edition.items()})


# Endings by code (engine.vectorised.ENDINGS): open, first left, second left, both left, race over.
OPEN, A_LEFT, B_LEFT, BOTH_LEFT, RACE_OVER = range(5)


@pytest.fixture
def three_players():
    """Players 0, 1, 2, two repetitions, 10 rounds (pairing (0, 2) lasts 5 in
    repetition 1), knowledge stakes of M = 4 levels."""
    return Results(
        ["A", "B", "C"],
        outcomes(
            pairs=[(0, 1), (0, 2), (1, 2)],
            lengths=[[10, 10], [10, 5], [10, 10]],
            totals=[[[30, 30], [20, 40]], [[10, 50], [15, 5]], [[25, 25], [25, 25]]],
            gives=[[[10, 10], [8, 6]], [[2, 10], [5, 0]], [[5, 5], [5, 5]]],
            mutual=[[10, 6], [2, 0], [5, 5]],
            final=[[0, 1], [-2, 3], [0, 0]],
            trajectories=[np.array([0.0, 0.5, 0.5]), np.array([0.0, -1.0]), np.array([0.0, 0.0])],
            learning=[[[10, 10], [6, 8]], [[10, 2], [0, 5]], [[5, 5], [4, 6]]],
            joint=[[40, 30], [12, 5], [20, 20]],
            ended_by=[[OPEN, B_LEFT], [RACE_OVER, A_LEFT], [BOTH_LEFT, OPEN]],
            duration=[[10, 8], [6, 2], [5, 10]],
            final_stakes=[[[4, 4], [3, 2]], [[2, 0], [1, 4]], [[4, 4], [4, 4]]],
        ),
        LearningGame(knowledge=Knowledge(levels=4)),
        {"seed": 1},
    )


def test_scores_are_mean_payoffs_per_round_over_matches(three_players):
    r = three_players
    # Per repetition, payoff per round: A vs B 3, 2; A vs C 1, 3; B vs A 3, 4; C vs A 5, 1; B-C 2.5 both.
    np.testing.assert_allclose(r.payoffs_by_opponent[0, 1], [3, 2])
    np.testing.assert_allclose(r.payoffs_by_opponent[2, 0], [5, 1])
    np.testing.assert_allclose(r.normalised_scores, [[2.0, 2.5], [2.75, 3.25], [3.75, 1.75]])
    np.testing.assert_allclose(r.median_score, [2.25, 3.0, 2.75])
    np.testing.assert_allclose(r.mean_payoff, [2.25, 3.0, 2.75])
    np.testing.assert_allclose(r.payoff_spread, [0.25, 0.25, 1.0])
    assert r.ranking == [1, 2, 0] and r.ranked_names == ["B", "C", "A"]
    np.testing.assert_allclose(r.payoff_matrix, [[nan, 2.5, 2.0], [3.5, nan, 2.5], [3.0, 2.5, nan]])
    np.testing.assert_allclose(r.payoff_std, [[nan, 0.5, 1.0], [0.5, nan, 0.0], [2.0, 0.0, nan]])


def test_rates_power_and_wins(three_players):
    r = three_players
    # Give rates per repetition: A vs B 1, .8; A vs C .2, 1; B vs A 1, .6; C vs A 1, 0.
    np.testing.assert_allclose(r.give_rate_matrix, [[nan, 0.9, 0.6], [0.8, nan, 0.5], [0.5, 0.5, nan]])
    np.testing.assert_allclose(r.give_rate, [0.75, 0.65, 0.5])
    np.testing.assert_allclose(r.mutual_giving, [[nan, 0.8, 0.1], [0.8, nan, 0.5], [0.1, 0.5, nan]])
    assert r.mutual_giving_rate == pytest.approx(28 / 55)
    # Paid above the status quo, (u_a + u_b)/rounds - 2P: A-B 6-2, 6-2; A-C 6-2, 4-2; B-C 5-2.
    np.testing.assert_allclose(r.surplus, [[nan, 4, 3], [4, nan, 3], [3, 3, nan]])
    # Joint learning, the value created per round: A-B 4, 3; A-C 1.2, 1; B-C 2, 2.
    np.testing.assert_allclose(r.joint_learning, [[nan, 3.5, 1.1], [3.5, nan, 2], [1.1, 2, nan]])
    np.testing.assert_allclose(r.power_gap, [[nan, 0.5, 0.5], [-0.5, nan, 0], [-0.5, 0, nan]])
    np.testing.assert_allclose(r.dominance, [[nan, 0.5, 0.5], [0, nan, 0], [0.5, 0, nan]])
    # Wins: B beats A in rep 1; C beats A in rep 0, A beats C in rep 1; B-C tie.
    assert r.wins.tolist() == [1, 1, 1]
    trajectories = r.power_trajectories
    np.testing.assert_array_equal(trajectories[0, 1], [0, 0.5, 0.5])
    np.testing.assert_array_equal(trajectories[1, 0], [0, -0.5, -0.5])
    assert set(trajectories) == {(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)}


def test_learning_stakes_exits_and_duration(three_players):
    r = three_players
    # Learning per round: A vs B 1, .6; A vs C 1, 0; B vs A 1, .8; C vs A .2, 1; B vs C .5, .4; C vs B .5, .6.
    np.testing.assert_allclose(r.learning_matrix, [[nan, 0.8, 0.5], [0.9, nan, 0.45], [0.6, 0.55, nan]])
    np.testing.assert_allclose(r.learning, [0.65, 0.675, 0.575])
    # Stakes left (levels): A vs B 4, 3; A vs C 2, 1; B vs A 4, 2; C vs A 0, 4; B-C 4 both.
    np.testing.assert_allclose(r.stakes_left_matrix, [[nan, 3.5, 1.5], [3, nan, 4], [2, 4, nan]])
    np.testing.assert_allclose(r.stakes_left, [2.5, 3.5, 3.0])
    # Who left: B left A in rep 1; A left C in rep 1; B and C both left in rep 0.
    np.testing.assert_allclose(r.exit_matrix, [[nan, 0, 0.5], [0.5, nan, 0.5], [0, 0.5, nan]])
    np.testing.assert_allclose(r.exits, [0.25, 0.5, 0.25])
    assert r.exit_rate == pytest.approx(3 / 6)
    # The race ended A-C in rep 0, and nothing else.
    np.testing.assert_allclose(r.race_over_matrix, [[nan, 0, 0.5], [0, nan, 0], [0.5, 0, nan]])
    np.testing.assert_allclose(r.race_over, [0.25, 0, 0.25])
    assert r.race_over_rate == pytest.approx(1 / 6)
    # Rounds open: A-B 10, 8; A-C 6, 2; B-C 5, 10; shares of rounds: A-B 1, .8; A-C .6, .4; B-C .5, 1.
    np.testing.assert_allclose(r.duration_matrix, [[nan, 9, 4], [9, nan, 7.5], [4, 7.5, nan]])
    np.testing.assert_allclose(r.duration, [6.5, 8.25, 5.75])
    np.testing.assert_allclose(r.open_share_matrix, [[nan, 0.9, 0.5], [0.9, nan, 0.75], [0.5, 0.75, nan]])
    np.testing.assert_allclose(r.open_share, [0.7, 0.825, 0.625])
    assert r.open_rate == pytest.approx(41 / 55)


def test_stakes_left_is_undefined_without_stakes(three_players):
    """With knowledge stakes off the first edition's endless flow is never used
    up: stakes left is nan (blank in CSV, null in JSON), not zero."""
    r = Results(three_players.players, three_players.outcomes, LearningGame())
    assert np.isnan(r.stakes_left).all() and np.isnan(r.stakes_left_matrix).all()
    assert all(np.isnan(row["stakes_left"]) for row in r.summary())
    assert all(np.isnan(row["stakes_a"]) for row in r.interactions())


def test_outcomes_made_without_second_edition_arrays_say_so():
    """Hand-made outcomes of the first edition's fields: learning and joint value
    unknown (nan), the alliance open throughout, nobody left."""
    o = outcomes([(0, 1)], [[4]], [[[8, 4]]], [[[4, 2]]], [[2]], [[0]])
    assert np.isnan(o.learning).all() and np.isnan(o.joint).all()
    np.testing.assert_array_equal(o.duration, [[4]])
    np.testing.assert_array_equal(o.ended_by, [[0]])
    r = Results(["A", "B"], o, LearningGame())
    assert np.isnan(r.joint_learning[0, 1]) and r.surplus[0, 1] == 1.0 and r.open_share[0] == 1.0


def test_tables(three_players):
    r = three_players
    summary = r.summary()
    assert [row["player"] for row in summary] == ["B", "C", "A"]
    assert summary[0] == {
        "rank": 1, "player": "B", "median_score": 3.0, "mean_payoff": 3.0, "payoff_spread": 0.25,
        "give_rate": pytest.approx(0.65), "wins": 1, "power_gap": pytest.approx(-0.25),
        "learning": pytest.approx(0.675), "stakes_left": 3.5, "exits": 0.5, "race_over": 0.0,
        "duration": 8.25, "open_share": pytest.approx(0.825),
    }
    pairings = r.pairings()
    assert len(pairings) == 6
    assert pairings[0] == {
        "player": "A", "opponent": "B", "payoff": 2.5, "payoff_std": 0.5, "give_rate": pytest.approx(0.9),
        "mutual_giving": pytest.approx(0.8), "joint_learning": 3.5, "surplus": 4.0, "power_gap": 0.5,
        "dominance": 0.5, "learning": pytest.approx(0.8), "stakes_left": 3.5, "exits": 0.0, "race_over": 0.0,
        "duration": 9.0, "open_share": pytest.approx(0.9),
    }
    interactions = r.interactions()
    assert len(interactions) == 6
    assert interactions[3] == {
        "player_a": "A", "player_b": "C", "repetition": 1, "turns": 5, "total_a": 15.0, "total_b": 5.0,
        "gives_a": 5, "gives_b": 0, "mutual_giving": 0, "final_power": 3, "learning_a": 0.0, "learning_b": 5.0,
        "joint_value": 5.0, "ended_by": "first left", "duration": 2, "stakes_a": 1.0, "stakes_b": 4.0,
    }


def test_self_play_diagonal_averages_both_copies():
    r = Results(
        ["A", "B"],
        outcomes(
            pairs=[(0, 0), (0, 1), (1, 1)],
            lengths=[[4], [4], [4]],
            totals=[[[8, 4]], [[4, 12]], [[4, 4]]],
            gives=[[[4, 2]], [[0, 4]], [[0, 0]]],
            mutual=[[2], [0], [0]],
            final=[[2], [-1], [0]],
        ),
        LearningGame(),
    )
    assert r.self_play
    np.testing.assert_allclose(r.payoff_matrix, [[1.5, 1.0], [3.0, 1.0]])
    np.testing.assert_allclose(r.normalised_scores, [[1.25], [2.0]])  # the twin counts as a match
    np.testing.assert_allclose(np.diag(r.give_rate_matrix), [0.75, 0.0])
    np.testing.assert_allclose(np.diag(r.dominance), [0.5, 0.0])  # one of the two copies held power
    np.testing.assert_allclose(np.diag(r.power_gap), [0.0, 0.0])
    assert r.wins.tolist() == [0, 1]  # beating your own copy is no win
    assert len(r.pairings()) == 4


def test_unique_labels():
    assert unique_labels(["X", "Y", "X", "X"]) == ["X", "Y", "X #2", "X #3"]
    assert unique_labels(["X", "X #2", "X"]) == ["X", "X #2", "X #3"]
    assert unique_labels(["A", "B"]) == ["A", "B"]


def test_by_opponent_spreads_both_views_and_marks_unplayed():
    views = np.array([[[1.0, 2.0]], [[3.0, 5.0]]])  # pairings (0, 1) and (2, 2)
    table = by_opponent(3, np.array([[0, 1], [2, 2]]), views)
    assert table.shape == (3, 3, 1)
    assert table[0, 1, 0] == 1.0 and table[1, 0, 0] == 2.0 and table[2, 2, 0] == 4.0
    assert np.isnan(table[0, 2, 0]) and np.isnan(table[0, 0, 0])


def test_winners_ignore_rounding_differences():
    totals = np.array([[10.0, 9.0], [3.0, 3.0 + 1e-13], [2.0, 7.0]])
    np.testing.assert_array_equal(winners(totals), [[True, False], [False, False], [False, True]])


def test_scores_ranking_and_means_skip_unplayed():
    table = np.array([[[nan], [1.0], [3.0]], [[2.0], [nan], [nan]], [[1.0], [1.0], [1.0]]])
    np.testing.assert_array_equal(normalised_scores(table), [[2.0], [2.0], [1.0]])
    assert ranking(np.array([[1.0, 2.0], [1.5, 1.5], [0.0, 5.0]])) == [2, 0, 1]  # medians 1.5, 1.5, 2.5
    np.testing.assert_array_equal(mean_over_matches(np.array([[nan, 1.0, 2.0], [4.0, nan, nan]])), [1.5, 4.0])


def test_mean_trajectories_views():
    out = mean_trajectories(2, np.array([[0, 1], [1, 1]]), [np.array([0.0, 1.0]), np.array([0.0, 0.5])])
    np.testing.assert_array_equal(out[1, 0], [0.0, -1.0])
    np.testing.assert_array_equal(out[1, 1], [0.0, 0.0])


def test_merge_sorts_pairings_whatever_the_finishing_order():
    first = outcomes([(1, 2)], [[3]], [[[1, 2]]], [[[1, 1]]], [[1]], [[0]])
    second = outcomes([(0, 1), (0, 2)], [[4], [5]], [[[3, 4]], [[5, 6]]], [[[0, 1]], [[2, 2]]], [[0], [2]],
                      [[1], [-1]])
    merged = merge_outcomes([first, second])
    assert merged.pairs.tolist() == [[0, 1], [0, 2], [1, 2]]
    assert merged.lengths[:, 0].tolist() == [4, 5, 3]
    assert [len(t) for t in merged.trajectories] == [5, 6, 4]
    assert merged == merge_outcomes([second, first])
    assert merged != second
    # every per-match array follows its pairing
    np.testing.assert_array_equal(merged.duration[:, 0], [4, 5, 3])
    assert np.isnan(merged.joint).all()


def test_merge_carries_the_second_edition_arrays():
    first = outcomes([(1, 2)], [[3]], [[[1, 2]]], [[[1, 1]]], [[1]], [[0]], learning=[[[0.5, 1]]], joint=[[2.0]],
                     ended_by=[[4]], duration=[[2]], final_stakes=[[[0, 1]]])
    second = outcomes([(0, 1)], [[4]], [[[3, 4]]], [[[0, 1]]], [[0]], [[1]], learning=[[[1, 0]]], joint=[[1.0]],
                      ended_by=[[1]], duration=[[1]], final_stakes=[[[2, 3]]])
    merged = merge_outcomes([first, second])
    assert merged.pairs.tolist() == [[0, 1], [1, 2]]
    np.testing.assert_array_equal(merged.learning[:, 0], [[1, 0], [0.5, 1]])
    np.testing.assert_array_equal(merged.joint[:, 0], [1.0, 2.0])
    np.testing.assert_array_equal(merged.ended_by[:, 0], [1, 4])
    np.testing.assert_array_equal(merged.duration[:, 0], [1, 2])
    np.testing.assert_array_equal(merged.final_stakes[:, 0], [[2, 3], [0, 1]])
    changed = outcomes([(1, 2)], [[3]], [[[1, 2]]], [[[1, 1]]], [[1]], [[0]], learning=[[[0.5, 1]]],
                       joint=[[2.0]], ended_by=[[0]], duration=[[2]], final_stakes=[[[0, 1]]])
    assert changed != first  # how the alliance ended is part of the outcome


def test_equality_and_repr(three_players):
    same = Results(three_players.players, three_players.outcomes, LearningGame(), {"seed": 1})
    assert same == three_players
    assert Results(three_players.players, three_players.outcomes, LearningGame(), {"seed": 2}) != three_players
    assert repr(three_players) == "TournamentResults(3 players, 2 repetitions)"
