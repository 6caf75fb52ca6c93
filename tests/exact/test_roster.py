"""Every pairing of a roster (exact.roster), alone and over a grid; the deprecated names."""

from __future__ import annotations

import numpy as np
import pytest

import learning_dilemma.exact as exact
from learning_dilemma import LearningGame
from learning_dilemma.exact import RosterPayoffs, expected_payoffs, payoff_matrices, roster_payoffs
from learning_dilemma.games import Knowledge, Ties
from learning_dilemma.strategies import (
    GTFT,
    BoundarySpanner,
    Calculative,
    Competition,
    Defector,
    MetaIdentity,
    Opportunist,
    RaceToLearn,
    TitForTat,
    TrustBuilder,
)


GRID_ROSTER = [
    Calculative(tacitness=0.05),
    TrustBuilder(tacitness=0.1, receptivity=0.8),
    Opportunist(),
    RaceToLearn(),
    TitForTat(tacitness=0.05),
    GTFT(),
    BoundarySpanner(),
    MetaIdentity(tacitness=0.1),
]


GRID_WS = [0.0, 0.3, 0.6, 0.66, 0.67, 0.8, 0.95, 0.999]


GRID_STRENGTHS = [0.0, 0.25, 1.0]


# The shipped scenarios' relation: four levels of stakes at pace 0.3, ties of three.
GRID_GAME = LearningGame(knowledge=Knowledge(levels=4, pace=0.3), ties=Ties(levels=3))


@pytest.mark.parametrize("length", [{"continuation": 0.8}, {"turns": 12}])
def test_roster_matrix_matches_pairwise_values(length):
    players = [TitForTat(), Defector(), GTFT(tacitness=0.2), Competition(), RaceToLearn(receptivity=0.6)]
    roster = roster_payoffs(players, GRID_GAME.with_power(strength=0.5), **length)
    payoffs, gives = roster
    for i, a in enumerate(players):
        for j, b in enumerate(players):
            if i <= j:
                result = expected_payoffs(a, b, GRID_GAME.with_power(strength=0.5), **length)
                assert payoffs[i, j] == pytest.approx(result.per_round[0], abs=1e-12)
                assert payoffs[j, i] == pytest.approx(result.per_round[1], abs=1e-12)
                assert gives[i, j] == pytest.approx(result.give_rates[0], abs=1e-12)
                assert roster.learning[i, j] == pytest.approx(result.learning[0], abs=1e-12)
                assert roster.learning[j, i] == pytest.approx(result.learning[1], abs=1e-12)
                for field in ("joint_learning", "open_share", "duration"):
                    assert getattr(roster, field)[i, j] == getattr(roster, field)[j, i]
                    assert getattr(roster, field)[i, j] == pytest.approx(getattr(result, field), abs=1e-11)
    assert roster.open_share[4, 4] < 1.0  # the race-to-learner leaves itself


@pytest.mark.parametrize("averaging, ws", [
    ("ratio", GRID_WS),
    ("match", [0.0, 0.3, 0.66, 0.67, 0.95]),  # each "match" value costs a quadrature's solves
])
def test_payoff_matrices_equal_single_matrices_at_every_grid_point(averaging, ws):
    game = GRID_GAME
    grid = payoff_matrices(GRID_ROSTER, game, ws, GRID_STRENGTHS, averaging=averaging)
    n = len(GRID_ROSTER)
    assert grid.payoffs.shape == (len(ws), len(GRID_STRENGTHS), n, n)
    assert np.array_equal(grid.continuations, ws) and np.array_equal(grid.strengths, GRID_STRENGTHS)
    for i, w in enumerate(ws):
        for k, s in enumerate(GRID_STRENGTHS):
            single = roster_payoffs(GRID_ROSTER, game.with_power(strength=s), continuation=w, averaging=averaging)
            point = grid.at(i, k)
            np.testing.assert_allclose(point.payoffs, single.payoffs, rtol=0, atol=1e-10)
            np.testing.assert_allclose(point.totals * (1 - w), single.totals * (1 - w), rtol=0, atol=1e-10)
            np.testing.assert_allclose(point.give_rates, single.give_rates, rtol=0, atol=1e-10)
            np.testing.assert_allclose(point.mutual_giving, single.mutual_giving, rtol=0, atol=1e-10)
            for field in ("learning", "joint_learning", "open_share"):
                np.testing.assert_allclose(getattr(point, field), getattr(single, field), rtol=0, atol=1e-10)
            np.testing.assert_allclose(point.duration * (1 - w), single.duration * (1 - w), rtol=0, atol=1e-10)
    # The grid really varies: Calculative against itself gives only until its first
    # round below 2/3 and until tacitness breaks it above, and power strength moves
    # the payoffs ...
    calculative = grid.mutual_giving[:, 0, 0, 0]
    assert calculative[ws.index(0.67)] > calculative[ws.index(0.66)] + 0.3
    assert np.ptp(grid.payoffs[ws.index(0.95), :, 1, 4]) > 0.01  # Trust Builder (r = 0.8) vs tit for tat
    # ... but never against always-take, with whom nothing is created (second edition).
    assert np.ptp(grid.payoffs[:, :, 2, :], axis=1).max() < 1e-12
    assert np.ptp(grid.payoffs[:, :, :, 2], axis=1).max() < 1e-12
    # Nor, among strategies whose tables do not read the game, what anyone learns or
    # how long the alliance lasts: power splits value, it moves no knowledge.
    blind = np.ix_(range(len(ws)), range(len(GRID_STRENGTHS)), [1, 2, 3, 4], [1, 2, 3, 4])
    for field in ("learning", "joint_learning", "open_share", "duration"):
        assert np.ptp(getattr(grid, field)[blind], axis=1).max() < 1e-10


def test_payoff_matrices_equal_chains_built_at_each_strength():
    """Against ``expected_payoffs``, whose chain is built directly at the point's
    strength and whose tables are compiled for the point's shadow (no sharing)."""
    game = GRID_GAME
    ws, strengths = [0.3, 0.66, 0.67, 0.95], [0.0, 0.4, 1.0]
    grid = payoff_matrices(GRID_ROSTER, game, ws, strengths)
    for i, w in enumerate(ws):
        for k, s in enumerate(strengths):
            at_s = game.with_power(strength=s)
            for a in range(len(GRID_ROSTER)):
                for b in range(a, len(GRID_ROSTER)):
                    result = expected_payoffs(GRID_ROSTER[a], GRID_ROSTER[b], at_s, continuation=w)
                    assert grid.payoffs[i, k, a, b] == pytest.approx(result.per_round[0], abs=1e-10)
                    assert grid.payoffs[i, k, b, a] == pytest.approx(result.per_round[1], abs=1e-10)
                    assert grid.totals[i, k, a, b] == pytest.approx(result.totals[0], rel=1e-10, abs=1e-10)
                    assert grid.give_rates[i, k, a, b] == pytest.approx(result.give_rates[0], abs=1e-10)
                    assert grid.give_rates[i, k, b, a] == pytest.approx(result.give_rates[1], abs=1e-10)
                    assert grid.mutual_giving[i, k, a, b] == pytest.approx(result.mutual_giving, abs=1e-10)
                    assert grid.learning[i, k, b, a] == pytest.approx(result.learning[1], abs=1e-10)
                    assert grid.joint_learning[i, k, a, b] == pytest.approx(result.joint_learning, abs=1e-10)
                    assert grid.open_share[i, k, a, b] == pytest.approx(result.open_share, abs=1e-10)
                    assert grid.duration[i, k, a, b] == pytest.approx(result.duration, rel=1e-10, abs=1e-10)


def test_payoff_matrices_honour_prior_rounds_and_initial_power():
    players = [Calculative(), TrustBuilder(initial=0, tacitness=0.1), RaceToLearn()]
    game = GRID_GAME
    ws, strengths = [0.5, 0.9], [0.0, 0.7]
    grid = payoff_matrices(players, game, ws, strengths, prior_rounds=2, initial_power=-2)
    for i, w in enumerate(ws):
        for k, s in enumerate(strengths):
            single = roster_payoffs(players, game.with_power(strength=s), continuation=w, prior_rounds=2,
                                   initial_power=-2)
            np.testing.assert_allclose(grid.at(i, k).payoffs, single.payoffs, rtol=0, atol=1e-10)
            result = expected_payoffs(players[1], players[2], game.with_power(strength=s), continuation=w,
                                      prior_rounds=2, initial_power=-2)
            assert grid.payoffs[i, k, 1, 2] == pytest.approx(result.per_round[0], abs=1e-10)


def test_payoff_matrix_is_a_deprecated_alias_of_roster_payoffs():
    players = [TitForTat(), Defector(), GTFT()]
    new = roster_payoffs(players, continuation=0.8)
    with pytest.warns(DeprecationWarning, match="roster_payoffs"):
        old = exact.payoff_matrix(players, continuation=0.8)
    assert isinstance(old, RosterPayoffs)
    for field in ("payoffs", "totals", "give_rates", "mutual_giving"):
        np.testing.assert_array_equal(getattr(old, field), getattr(new, field))
    with pytest.warns(DeprecationWarning):
        payoffs, give_rates = exact.payoff_matrix(players, LearningGame(), None, 10)
    np.testing.assert_array_equal(payoffs, roster_payoffs(players, turns=10).payoffs)


def test_a_grid_point_has_every_field():
    """``RosterGrid.at`` hands on every per-pairing field (the second edition's too)."""
    from dataclasses import fields

    grid = payoff_matrices([TitForTat(), RaceToLearn()], GRID_GAME, [0.5, 0.9], [0.0, 1.0])
    point = grid.at(1, 1)
    for field in fields(RosterPayoffs):
        np.testing.assert_array_equal(getattr(point, field.name), getattr(grid, field.name)[1, 1])


def test_roster_results_unpack_and_keep_gives_as_a_deprecated_alias():
    players = [TitForTat(), Defector()]
    result = roster_payoffs(players, turns=10)
    payoffs, give_rates = result
    assert payoffs is result.payoffs and give_rates is result.give_rates
    np.testing.assert_allclose(give_rates, [[1.0, 0.1], [0.0, 0.0]], rtol=0, atol=1e-12)  # TFT gives once vs the defector
    with pytest.warns(DeprecationWarning, match="RosterPayoffs.give_rates"):
        assert result.gives is result.give_rates
    grid = payoff_matrices(players, None, [0.5, 0.9], [0.0, 1.0])
    with pytest.warns(DeprecationWarning, match="RosterGrid.give_rates"):
        assert grid.gives is grid.give_rates
    np.testing.assert_array_equal(grid.at(1, 0).give_rates, grid.give_rates[1, 0])
