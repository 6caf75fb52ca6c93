"""Per-round averaging (exact.solve): "ratio" and "match", against closed forms,
the series over match lengths and simulation."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match
from learning_dilemma.exact import (
    PAY_A,
    PAY_B,
    averaging_plan,
    expected_payoffs,
    pairing_chain,
    payoff_matrices,
    roster_payoffs,
)
from learning_dilemma.strategies import GTFT, Calculative, Defector, RaceToLearn, TitForTat

from .helpers import POWER, P, S, T, as_dense


@pytest.mark.parametrize("w", [0.1, 0.5, 0.9, 0.99, 0.999])
def test_match_averaging_of_tit_for_tat_against_always_take_closed_form(w):
    """E[(S + (L-1)P)/L] = P + (S-P) E[1/L], E[1/L] = (1-w)/w (-log(1-w)), L geometric."""
    inverse_length = (1 - w) / w * -np.log1p(-w)
    result = expected_payoffs(TitForTat(), Defector(), continuation=w, averaging="match")
    assert result.per_round == pytest.approx([P + (S - P) * inverse_length, P + (T - P) * inverse_length],
                                             rel=0, abs=1e-9)
    # E[total] does not depend on the averaging.
    assert result.totals == pytest.approx([S + w * P / (1 - w), T + w * P / (1 - w)], rel=1e-10)
    ratio = expected_payoffs(TitForTat(), Defector(), continuation=w)
    assert np.all(np.abs(result.per_round - ratio.per_round) > 1e-3)


@pytest.mark.parametrize("w", [0.5, 0.9, 0.99, 0.999])
def test_match_averaging_equals_the_series_over_match_lengths(w):
    """sum_l (1-w) w^(l-1) (1/l) sum_{t<l} e_0 M^t u, summed until w^l < 1e-17."""
    a, b, game = RaceToLearn(), GTFT(tacitness=0.1), POWER
    chain = pairing_chain(a, b, game, w)
    transitions = as_dense(chain.transitions)
    distribution = np.zeros(chain.size)
    distribution[chain.start] = 1.0
    running, series = np.zeros(chain.size), np.zeros(chain.size)
    for length in range(1, int(np.log(1e-17) / np.log(w)) + 2):
        running += distribution
        series += (1 - w) * w ** (length - 1) / length * running
        distribution = distribution @ transitions
    exact = expected_payoffs(a, b, game, continuation=w, averaging="match")
    shares = series @ chain.rewards
    np.testing.assert_allclose(exact.per_round, shares[[PAY_A, PAY_B]], rtol=0, atol=1e-9)
    np.testing.assert_allclose(exact.give_rates, shares[[2, 3]], rtol=0, atol=1e-9)
    assert exact.mutual_giving == pytest.approx(shares[4], abs=1e-9)


@pytest.mark.parametrize("w", [0.2, 0.9, 0.999, 1 - 1e-6])
def test_averaging_plan_weights_integrate_one(w):
    discounts, weights = averaging_plan(w, "match")
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)  # int_0^1 dq
    assert np.all(weights > 0) and np.all((discounts > 0) & (discounts < w))
    assert averaging_plan(w, "ratio")[0].tolist() == [w]


def test_match_averaging_agrees_with_monte_carlo_within_four_standard_errors():
    a, b, w = RaceToLearn(), GTFT(tacitness=0.1), 0.7
    exact = expected_payoffs(a, b, POWER, continuation=w, averaging="match")
    ratio = expected_payoffs(a, b, POWER, continuation=w)
    batch = Match(a, b, game=POWER, continuation=w, repetitions=40000, seed=11).play_batch()
    for simulated, analytic_value, ratio_value in (
        (batch.mean_payoffs, exact.per_round, ratio.per_round),
        (batch.give_rates, exact.give_rates, ratio.give_rates),
        (batch.mutual_giving[:, None], [exact.mutual_giving], [ratio.mutual_giving]),
    ):
        mean = simulated.mean(axis=0)
        error = simulated.std(axis=0) / np.sqrt(len(simulated))
        assert np.all(np.abs(mean - analytic_value) < 4 * error)
    # The simulation tells the two averagings apart, so the check has teeth.
    error = batch.mean_payoffs.std(axis=0) / np.sqrt(len(batch))
    assert np.all(np.abs(batch.mean_payoffs.mean(axis=0) - ratio.per_round) > 8 * error)


def test_ratio_and_match_coincide_for_fixed_turns_and_for_one_round_matches():
    a, b, game = GTFT(tacitness=0.1), RaceToLearn(), POWER
    for turns in (1, 7, 40):
        ratio = expected_payoffs(a, b, game, turns=turns)
        match = expected_payoffs(a, b, game, turns=turns, averaging="match")
        np.testing.assert_array_equal(ratio.per_round, match.per_round)
        np.testing.assert_array_equal(ratio.totals, match.totals)
    roster = [a, b, Calculative()]
    np.testing.assert_array_equal(roster_payoffs(roster, game, turns=12).payoffs,
                                  roster_payoffs(roster, game, turns=12, averaging="match").payoffs)
    # w = 0: every match lasts one round.
    np.testing.assert_allclose(expected_payoffs(a, b, game, continuation=0.0, averaging="match").per_round,
                               expected_payoffs(a, b, game, turns=1).per_round, rtol=0, atol=1e-12)


def test_payoff_matrices_match_averaging_keeps_expected_totals():
    roster = [GTFT(), RaceToLearn(), Calculative(tacitness=0.1)]
    ws = [0.5, 0.9]
    ratio = payoff_matrices(roster, LearningGame(), ws, [0.0, 0.5])
    match = payoff_matrices(roster, LearningGame(), ws, [0.0, 0.5], averaging="match")
    np.testing.assert_allclose(match.totals, ratio.totals, rtol=1e-10, atol=1e-10)
    assert np.abs(match.payoffs - ratio.payoffs).max() > 1e-3
