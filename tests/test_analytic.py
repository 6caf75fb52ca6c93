"""The exact Markov-chain engine against closed forms, Axelrod's thresholds and simulation."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match
from learning_dilemma.analytic import (
    critical_continuation,
    expected_payoffs,
    payoff_matrix,
    per_round_curve,
    resistance,
)
from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import (
    Alternator,
    Calculative,
    Competition,
    ContractualReciprocator,
    Cooperator,
    Defector,
    GTFT,
    Opportunist,
    TitForTat,
    TrustBuilder,
    WinStayLoseShift,
)

R, S, T, P = 3.0, 0.0, 5.0, 1.0


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


def test_sound_as_the_shadow_approaches_one():
    """Per-round values stay exact as w -> 1 and tend to the limit of means."""
    for w in (1 - 1e-6, 1 - 1e-9):
        exact = [(1 - w) * S + w * P, (1 - w) * T + w * P]
        assert expected_payoffs(TitForTat(), Defector(), continuation=w).per_round == pytest.approx(exact, abs=1e-6)
        assert expected_payoffs(TitForTat(), TitForTat(), continuation=w).per_round == pytest.approx([R, R], abs=1e-6)


def test_axelrods_thresholds_for_tit_for_tat():
    """Collective stability needs w >= max((T-R)/(T-P), (T-R)/(R-S)) (Axelrod 1984)."""
    assert critical_continuation(TitForTat(), Defector()) == pytest.approx((T - R) / (T - P), abs=1e-9)
    assert critical_continuation(TitForTat(), Alternator()) == pytest.approx((T - R) / (R - S), abs=1e-9)
    threshold = max((T - R) / (T - P), (T - R) / (R - S))
    for invader in (Defector(), Alternator()):
        assert resistance(TitForTat(), invader, LearningGame(), threshold + 1e-3) >= 0
    assert resistance(TitForTat(), Alternator(), LearningGame(), threshold - 1e-3) < 0


def test_win_stay_lose_shift_against_always_take():
    """WSLS resists always-take iff w >= (T-R)/(R-P); with (4, 0, 5, 1) that is 1/3."""
    game = LearningGame.from_payoffs(4, 0, 5, 1, synergy=1.5)
    assert critical_continuation(WinStayLoseShift(), Defector(), game) == pytest.approx(1 / 3, abs=1e-9)
    # With Axelrod's payoffs the threshold is 1: it never resists below it.
    assert np.isnan(critical_continuation(WinStayLoseShift(), Defector()))


def test_always_resisting_and_never_resisting():
    assert critical_continuation(Defector(), Cooperator()) == 0.0
    assert np.isnan(critical_continuation(Cooperator(), Defector()))


def test_power_raises_the_critical_shadow():
    """The race to learn: a taker's growing share makes exploitation pay longer, so
    the reciprocator needs a longer shadow to resist as power strength grows."""
    thresholds = [
        critical_continuation(ContractualReciprocator(), Opportunist(), LearningGame().with_power(strength=s))
        for s in (0.0, 0.5, 1.0)
    ]
    assert thresholds[0] == pytest.approx(0.5, abs=1e-9)
    assert thresholds[0] < thresholds[1] < thresholds[2]


@pytest.mark.parametrize("length", [{"continuation": 0.9}, {"turns": 30}])
def test_agrees_with_monte_carlo_within_four_standard_errors(length):
    game = LearningGame().with_power(strength=0.7)
    a, b = TrustBuilder(tacitness=0.1, receptivity=0.8), Calculative(tacitness=0.05)
    exact = expected_payoffs(a, b, game, **length)
    batch = Match(a, b, game=game, repetitions=20000, seed=5, **length).play_batch()
    mean = batch.totals.mean(axis=0)
    error = batch.totals.std(axis=0) / np.sqrt(len(batch))
    assert np.all(np.abs(mean - exact.totals) < 4 * error)
    gives = batch.give_rates.mean(axis=0) if "turns" in length else None
    if gives is not None:
        assert exact.give_rates == pytest.approx(gives, abs=0.01)


def test_prior_rounds_and_initial_power_are_honoured():
    from learning_dilemma.strategies import HabitualAvoidance

    cold = expected_payoffs(HabitualAvoidance(proof=3), ContractualReciprocator(), turns=20)
    warm = expected_payoffs(HabitualAvoidance(proof=3), ContractualReciprocator(), turns=20, prior_rounds=3)
    assert cold.mutual_giving == 0.0 and warm.mutual_giving == 1.0
    game = LearningGame().with_power(strength=0.8)
    ahead = expected_payoffs(Cooperator(), Cooperator(), game, turns=1, initial_power=3)
    assert ahead.totals[0] > ahead.totals[1]


def test_roster_matrix_matches_pairwise_values():
    players = [TitForTat(), Defector(), GTFT(), Competition()]
    payoffs, gives = payoff_matrix(players, continuation=0.8)
    for i, a in enumerate(players):
        for j, b in enumerate(players):
            if i <= j:
                result = expected_payoffs(a, b, continuation=0.8)
                assert payoffs[i, j] == pytest.approx(result.per_round[0])
                assert payoffs[j, i] == pytest.approx(result.per_round[1])
                assert gives[i, j] == pytest.approx(result.give_rates[0])


def test_curve_recompiles_shadow_dependent_strategies():
    """Calculative pairs give only the opening round below w = 2/3, always above."""
    ws = [0.5, 0.6, 0.7, 0.9]
    curve = per_round_curve(Calculative(), Calculative(), LearningGame(), ws)
    mutual = curve[:, 4]
    assert mutual == pytest.approx([0.5, 0.4, 1.0, 1.0])


def test_imperative_players_are_refused():
    from learning_dilemma import GIVE, Player

    class Always(Player):
        def strategy(self, opponent):
            return GIVE

    with pytest.raises(ParameterError, match="automaton"):
        expected_payoffs(Always(), Defector(), continuation=0.5)
