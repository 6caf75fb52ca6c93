"""Collective stability and the critical shadow of the future (exact.stability)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import critical_continuation, resistance
from learning_dilemma.strategies import (
    GTFT,
    Alternator,
    Calculative,
    ContractualReciprocator,
    Cooperator,
    Defector,
    Opportunist,
    RaceToLearn,
    TitForTat,
    WinStayLoseShift,
)

from .helpers import POWER, P, R, S, T


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


def test_critical_continuation_nan_and_zero_with_power_on():
    ws = np.linspace(0.0, 0.999, 12)
    # Always-take resists everything: nobody does better against it than it does.
    assert critical_continuation(Opportunist(), GTFT(), POWER) == 0.0
    assert np.all(resistance(Opportunist(), GTFT(), POWER, ws) >= 0)
    # Always-give resists no taker.
    assert np.isnan(critical_continuation(Cooperator(), RaceToLearn(), POWER))
    assert np.all(resistance(Cooperator(), RaceToLearn(), POWER, ws) < 0)


@pytest.mark.parametrize("grid", [9, 0, -50, True, 12.0, "200", None])
def test_critical_continuation_rejects_a_bad_grid(grid):
    with pytest.raises(ParameterError, match="grid"):
        critical_continuation(TitForTat(), Defector(), grid=grid)


def test_critical_continuation_with_the_smallest_grid():
    assert critical_continuation(TitForTat(), Defector(), grid=np.int64(10)) == pytest.approx(0.5, abs=1e-9)


def test_resistance_accepts_arrays_and_keeps_scalars_scalar():
    """TFT at home earns R; always-take against it (1-w)T + wP per round."""
    ws = np.array([0.1, 0.5, 0.8, 0.99])
    margins = resistance(TitForTat(), Defector(), LearningGame(), ws)
    assert isinstance(margins, np.ndarray) and margins.shape == ws.shape
    np.testing.assert_allclose(margins, R - ((1 - ws) * T + ws * P), rtol=0, atol=1e-12)
    np.testing.assert_allclose(resistance(TitForTat(), Defector(), None, list(ws)), margins, rtol=0, atol=0)
    single = resistance(TitForTat(), Defector(), None, 0.8)
    assert isinstance(single, float) and single == pytest.approx(margins[2], abs=1e-12)
    assert isinstance(resistance(TitForTat(), Defector(), None, np.float64(0.8)), float)
    # Shadow-dependent tables are recompiled per value of the array.
    # At home Calculative gives once and then both take below 2/3, and always gives above.
    curve = resistance(Calculative(), Defector(), LearningGame(), [0.6, 0.7])
    assert curve == pytest.approx([(0.4 * R + 0.6 * P) - (0.4 * T + 0.6 * P), R - (0.3 * T + 0.7 * P)], abs=1e-12)


def test_resistance_continuations_keyword_still_works_and_warns():
    """``continuations=`` is the deprecated name of ``continuation=`` (a scalar or an array)."""
    ws = [0.3, 0.8]
    with pytest.warns(DeprecationWarning, match="continuation"):
        margins = resistance(TitForTat(), Defector(), LearningGame(), continuations=ws)
    np.testing.assert_array_equal(margins, resistance(TitForTat(), Defector(), LearningGame(), continuation=ws))
    with pytest.warns(DeprecationWarning):
        single = resistance(TitForTat(), Defector(), continuations=0.8)
    assert isinstance(single, float) and single == resistance(TitForTat(), Defector(), continuation=0.8)
    with pytest.raises(ParameterError, match="not both"):  # refused before any warning
        resistance(TitForTat(), Defector(), None, 0.5, continuations=0.8)
