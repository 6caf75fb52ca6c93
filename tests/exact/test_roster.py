"""Every pairing of a roster (exact.roster), alone and over a grid; the deprecated names."""

from __future__ import annotations

import numpy as np
import pytest

import learning_dilemma.exact as exact
from learning_dilemma import LearningGame
from learning_dilemma.exact import RosterPayoffs, expected_payoffs, payoff_matrices, roster_payoffs
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


def test_roster_matrix_matches_pairwise_values():
    players = [TitForTat(), Defector(), GTFT(), Competition()]
    payoffs, gives = roster_payoffs(players, continuation=0.8)
    for i, a in enumerate(players):
        for j, b in enumerate(players):
            if i <= j:
                result = expected_payoffs(a, b, continuation=0.8)
                assert payoffs[i, j] == pytest.approx(result.per_round[0])
                assert payoffs[j, i] == pytest.approx(result.per_round[1])
                assert gives[i, j] == pytest.approx(result.give_rates[0])


@pytest.mark.parametrize("averaging, ws", [
    ("ratio", GRID_WS),
    ("match", [0.0, 0.3, 0.66, 0.67, 0.95]),  # each "match" value costs a quadrature's solves
])
def test_payoff_matrices_equal_single_matrices_at_every_grid_point(averaging, ws):
    game = LearningGame()
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
    # The grid really varies: Calculative against itself gives only until its first
    # round below 2/3 and until tacitness breaks it above, and power strength moves
    # the payoffs.
    calculative = grid.mutual_giving[:, 0, 0, 0]
    assert calculative[ws.index(0.67)] > calculative[ws.index(0.66)] + 0.3
    assert np.ptp(grid.payoffs[ws.index(0.95), :, 3, 2]) > 0.01  # Race To Learn vs Opportunist


def test_payoff_matrices_equal_chains_built_at_each_strength():
    """Against ``expected_payoffs``, whose chain is built directly at the point's
    strength and whose tables are compiled for the point's shadow (no sharing)."""
    game = LearningGame()
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


def test_payoff_matrices_honour_prior_rounds_and_initial_power():
    players = [Calculative(), TrustBuilder(initial=0, tacitness=0.1), RaceToLearn()]
    game = LearningGame()
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
