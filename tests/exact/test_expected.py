"""One pairing's expected outcome (exact.expected) against closed forms,
simulation, and the limit of means."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import (
    PAY_A,
    PAY_B,
    expected_payoffs,
    limit_occupancy,
    limit_of_means,
    pairing_chain,
    per_round_curve,
)
from learning_dilemma.strategies import (
    GTFT,
    Calculative,
    ContractualReciprocator,
    Defector,
    Grudger,
    Opportunist,
    RaceToLearn,
    TitForTat,
    TrustBuilder,
    WinStayLoseShift,
)

from .helpers import POWER, RELATION, P, S, T, Committer, cesaro_by_powers


@pytest.mark.parametrize("w", [0.0, 0.3, 0.5, 0.9, 0.99])
def test_tit_for_tat_against_always_take_closed_form(w):
    """TFT earns S then P for ever; the taker T then P: totals S + wP/(1-w), T + wP/(1-w)."""
    result = expected_payoffs(TitForTat(), Defector(), continuation=w)
    assert result.totals == pytest.approx([S + w * P / (1 - w), T + w * P / (1 - w)], rel=1e-10)
    assert result.per_round == pytest.approx((1 - w) * result.totals)


def test_fixed_turns_match_the_textbook_totals():
    result = expected_payoffs(ContractualReciprocator(), Opportunist(), turns=10)
    assert result.totals == pytest.approx([9.0, 14.0])
    assert result.give_rates == pytest.approx([0.1, 0.0])


@pytest.mark.parametrize("length", [{"continuation": 0.9}, {"turns": 30}])
def test_agrees_with_monte_carlo_within_four_standard_errors(length):
    """Totals (tests/exact/test_monte_carlo.py checks every per-round figure)."""
    game = RELATION
    a, b = TrustBuilder(tacitness=0.1, receptivity=0.8), Calculative(tacitness=0.05)
    exact = expected_payoffs(a, b, game, **length)
    batch = Match(a, b, game=game, repetitions=20000, seed=5, **length).play_batch()
    mean = batch.totals.mean(axis=0)
    error = batch.totals.std(axis=0) / np.sqrt(len(batch))
    assert np.all(np.abs(mean - exact.totals) < 4 * error)
    gives = batch.give_rates.mean(axis=0) if "turns" in length else None
    if gives is not None:
        assert exact.give_rates == pytest.approx(gives, abs=0.01)


def test_curve_recompiles_shadow_dependent_strategies():
    """Calculative pairs give only the opening round below w = 2/3, always above."""
    ws = [0.5, 0.6, 0.7, 0.9]
    curve = per_round_curve(Calculative(), Calculative(), LearningGame(), ws)
    assert curve.shape == (4, 5)
    mutual = curve[:, 4]
    assert mutual == pytest.approx([0.5, 0.4, 1.0, 1.0])
    every = per_round_curve(Calculative(), Calculative(), LearningGame(), ws, columns="all")
    assert every.shape == (4, 9) and np.array_equal(every[:, :5], curve)
    assert every[:, 5] == pytest.approx(mutual) and every[:, 8] == pytest.approx(1.0)  # learns what is given
    with pytest.raises(ParameterError, match="columns must be"):
        per_round_curve(Calculative(), Calculative(), LearningGame(), ws, columns="learning")


def test_ratio_figures_and_totals_of_tit_for_tat_against_always_take():
    """TFT gives once, the taker learns r_A from it once: learning per round (1 - w) r_A,
    joint value (1 - w)(b - c) r_A; the alliance stays open (nothing ends it)."""
    w = 0.8
    result = expected_payoffs(Defector(receptivity=0.6), TitForTat(), continuation=w)
    assert result.learning == pytest.approx([(1 - w) * 0.6, 0.0], abs=1e-12)
    assert result.joint_learning == pytest.approx((1 - w) * 0.6, abs=1e-12)
    assert result.open_share == 1.0 and result.duration == pytest.approx(1 / (1 - w))


def test_limit_of_means_of_tit_for_tat_against_always_take():
    result = limit_of_means(TitForTat(), Defector())
    assert result.per_round == pytest.approx([P, P], abs=1e-12)
    assert result.give_rates == pytest.approx([0.0, 0.0], abs=1e-12)
    assert result.length == np.inf and np.all(np.isnan(result.totals))


@pytest.mark.parametrize("a, b, game", [
    (GTFT(), GTFT(tacitness=0.1), LearningGame()),
    (GTFT(), RaceToLearn(), POWER),
    (TrustBuilder(tacitness=0.1, receptivity=0.8), Calculative(tacitness=0.05), POWER),
    (TrustBuilder(tacitness=0.1, receptivity=0.8), Calculative(tacitness=0.05), RELATION),
    (WinStayLoseShift(tacitness=0.05), TitForTat(tacitness=0.05), LearningGame()),
])
def test_limit_of_means_is_the_limit_of_per_round_values(a, b, game):
    limit = limit_of_means(a, b, game)
    near = per_round_curve(a, b, game, [1 - 1e-9], columns="all")[0]
    expected = np.concatenate([limit.per_round, limit.give_rates, [limit.mutual_giving], limit.learning,
                               [limit.joint_learning, limit.open_share]])
    np.testing.assert_allclose(near, expected, rtol=0, atol=1e-6)
    assert np.isnan(limit.duration)
    if game.knowledge.active:
        # Every give teaches, so in the long run the race is over or nobody gives: the status quo.
        assert limit.per_round == pytest.approx([P, P], abs=1e-9)
        assert limit.learning == pytest.approx([0, 0], abs=1e-9)


@pytest.mark.parametrize("game", [LearningGame(), POWER], ids=["power off", "power on"])
def test_limit_of_means_of_a_reducible_chain_is_the_cesaro_limit(game):
    """Grudger (tacit) against Committer ends, at random, in one of two closed
    classes, one of them periodic: M^t has no limit, its Cesaro mean does."""
    a, b = Grudger(tacitness=0.1), Committer(p=0.4)
    chain = pairing_chain(a, b, game, 1.0)
    absorption, stationary = chain.ergodic
    assert len(stationary) >= 2 and np.count_nonzero(absorption[chain.start] > 0) >= 2
    rounds = 100_000
    by_powers = cesaro_by_powers(chain, rounds)
    np.testing.assert_allclose(limit_occupancy(chain), by_powers, rtol=0, atol=1e-4)
    result = limit_of_means(a, b, game)
    np.testing.assert_allclose(result.per_round, by_powers @ chain.rewards[:, [PAY_A, PAY_B]], rtol=0, atol=5e-4)
    if not game.power.active:
        # Committer gives first with p = 0.4, then alternates against a Grudger that
        # soon takes for ever: (T + P)/2 and (S + P)/2; otherwise both take: P.
        assert result.per_round == pytest.approx([0.4 * (T + P) / 2 + 0.6 * P, 0.4 * (S + P) / 2 + 0.6 * P],
                                                 abs=1e-12)
        assert result.give_rates == pytest.approx([0.0, 0.2], abs=1e-12)


def test_limit_of_means_shadow_keyword_still_works_and_warns():
    """``shadow=`` is the deprecated name of ``continuation=``."""
    expected = limit_of_means(Calculative(), Calculative(), None, continuation=0.5)
    with pytest.warns(DeprecationWarning, match="continuation"):
        old = limit_of_means(Calculative(), Calculative(), None, shadow=0.5)
    np.testing.assert_array_equal(old.per_round, expected.per_round)
    # Calculative compiled for w = 0.5 takes after the opening round; for w = 1 it gives for ever.
    assert old.mutual_giving == 0.0
    assert limit_of_means(Calculative(), Calculative()).mutual_giving == 1.0
    with pytest.raises(ParameterError, match="not both"):  # refused before any warning
        limit_of_means(Calculative(), Calculative(), None, continuation=0.9, shadow=0.5)
