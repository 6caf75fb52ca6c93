"""Collective stability and the critical shadow of the future (exact.stability)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import critical_continuation, expected_payoffs, resistance
from learning_dilemma.games import Domain, Knowledge
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


def test_power_does_not_move_the_critical_shadow_against_always_take():
    """Replaces the first edition's test_power_raises_the_critical_shadow (0.500 ->
    0.545 as power grew): power splits only the value the alliance creates, and
    always-take against a reciprocator creates none, so the critical shadow of
    tit for tat against it stays (T - R)/(T - P) = 1/2 at every strength. With
    stakes off power cannot act at all (nobody depends more); with stakes on it
    can, and still moves nothing here (the stakes change the threshold itself:
    test_critical_shadow_against_always_take_with_stakes)."""
    stakes = LearningGame(knowledge=Knowledge(levels=3, pace=0.4))
    for game, expected in ((LearningGame(), (T - R) / (T - P)), (stakes, None)):
        thresholds = [critical_continuation(ContractualReciprocator(), Opportunist(), game.with_power(strength=s))
                      for s in (0.0, 0.25, 0.5, 1.0)]
        assert thresholds == pytest.approx([expected if expected is not None else thresholds[0]] * 4, abs=1e-9)
    # ... though power does move payoffs in that game (between two reciprocators
    # with different receptivities, the faster learner gains the created value).
    fast, slow = ContractualReciprocator(receptivity=0.9), ContractualReciprocator(receptivity=0.4)
    split = [resistance(fast, slow, stakes.with_power(strength=s), 0.9) for s in (0.0, 1.0)]
    assert abs(split[1] - split[0]) > 0.01


@pytest.mark.parametrize("overlap", [1.0, 0.8, 0.5, 0.3, 0.0])
def test_critical_shadow_at_partial_overlap(overlap):
    """At overlap gamma (receptivity 1, stakes off) the stage game is
    R = P + (b - c) + s, T = P + (b - c) + gamma (c + e), S = P - gamma c
    (docs/model.md). Tit for tat resists always-take iff w >= (T - R)/(T - P) =
    (gamma (c + e) - s) / ((b - c) + gamma (c + e)), and from w = 0 where that is
    <= 0 (gamma (c + e) <= s: 1/3 at the defaults, where T <= R and there is no
    temptation left); the alternator needs w >= (T - R)/(R - S) =
    (gamma (c + e) - s) / ((b - c) + s + gamma c)."""
    b, c, s, e = 2.0, 1.0, 1.0, 2.0
    game = LearningGame(overlap=overlap)
    temptation = overlap * (c + e) - s
    against_take = max(0.0, temptation / ((b - c) + overlap * (c + e)))
    against_alternator = max(0.0, temptation / ((b - c) + s + overlap * c))
    assert critical_continuation(TitForTat(), Defector(), game) == pytest.approx(against_take, abs=1e-9)
    assert critical_continuation(TitForTat(), Alternator(), game) == pytest.approx(against_alternator, abs=1e-9)
    # Domains pay what their overall overlap pays.
    if 0.0 < overlap < 1.0:
        share = (overlap - 0.1) / 0.9  # share of the fully competing domain
        domains = LearningGame(domains=(Domain("hardware", 1 - share, 0.1), Domain("services", share, 1.0)))
        assert critical_continuation(TitForTat(), Defector(), domains) == pytest.approx(against_take, abs=1e-9)


def _open_probability(rounds: np.ndarray, levels: int, learn: float) -> np.ndarray:
    """P(Bin(t, learn) < levels): one side still has stakes after ``t`` rounds of the partner's giving."""
    from scipy.stats import binom

    return binom.cdf(levels - 1, rounds, learn)


@pytest.mark.parametrize("levels, pace, overlap", [(1, 0.2, 1.0), (3, 0.4, 1.0), (4, 0.3, 0.6)])
def test_critical_shadow_against_always_take_with_stakes(levels, pace, overlap):
    """Two reciprocators give while the alliance is open, each learning a level a
    round with probability p = r pace, and earn R until one side has learned all
    it came for, then P: home = P + (R - P)(1 - w) S(w), S(w) = sum_t w^t
    P(Bin(t, p) < M)^2. Always-take earns T once and then P (the reciprocator
    answers with takes, nothing moves): away = (1 - w) T + w P. It resists iff
    (R - P) S(w) >= T - P; the threshold is found here from the series, not from
    the chain, and it is the same at every power strength."""
    from scipy.optimize import brentq

    game = LearningGame(knowledge=Knowledge(levels=levels, pace=pace), overlap=overlap)
    b, c, s, e, P_ = 2.0, 1.0, 1.0, 2.0, 1.0
    R_ = P_ + (b - c) + s
    T_ = P_ + (b - c) + overlap * (c + e)
    rounds = np.arange(4000)

    def margin(w):
        series = np.sum(w ** rounds * _open_probability(rounds, levels, pace) ** 2)
        return (R_ - P_) * series - (T_ - P_)

    expected = brentq(margin, 1e-9, 1 - 1e-6, xtol=1e-14)
    if levels == 1:  # S(w) = 1 / (1 - w (1 - p)^2): w* = (T - R) / ((T - P)(1 - p)^2)
        assert expected == pytest.approx((T_ - R_) / ((T_ - P_) * (1 - pace) ** 2), abs=1e-12)
    for strength in (0.0, 0.5, 1.0):
        found = critical_continuation(ContractualReciprocator(), Opportunist(), game.with_power(strength=strength))
        assert found == pytest.approx(expected, abs=1e-8)
    ws = np.array([0.2, 0.6, 0.9, 0.99])
    per_round = [(1 - w) * ((R_ - P_) * np.sum(w ** rounds * _open_probability(rounds, levels, pace) ** 2)
                            - (T_ - P_)) for w in ws]
    np.testing.assert_allclose(resistance(ContractualReciprocator(), Opportunist(), game, ws), per_round,
                               rtol=0, atol=1e-10)
    # The stakes raise the threshold: the alliance ends, so the future of giving is shorter.
    assert expected > critical_continuation(ContractualReciprocator(), Opportunist(), LearningGame(overlap=overlap))


def _recursion_totals(a, b, game_values, w):
    """Expected totals of A by a direct recursion over (K_A, K_B, state A, state B),
    written out from docs/model.md independently of the exact engine.

    ``a`` and ``b`` are ``(start, leave(z, state), give(z, state), next(state,
    partner's move))``; no tacitness, so a give always transfers."""
    levels, pace, strength, overlap, r_a, r_b = game_values
    P_, b_, c_, s_, e_ = 1.0, 2.0, 1.0, 1.0, 2.0

    def pay(g_i, g_j, r_i, r_j, z_i):
        share = 0.5 + strength * z_i / (2 * levels)
        return (P_ + (b_ - c_) * r_i * g_j + overlap * c_ * (r_i * g_j - r_j * g_i)
                + overlap * e_ * r_i * g_j * (1 - g_i) + share * s_ * (r_i + r_j) * g_i * g_j)

    states = [(ka, kb, sa, sb) for ka in range(1, levels + 1) for kb in range(1, levels + 1)
              for sa in (0, 1) for sb in (0, 1)]
    number = {state: k for k, state in enumerate(states)}
    closed = len(states)
    matrix = np.zeros((closed + 1, closed + 1))
    reward = np.zeros(closed + 1)
    matrix[closed, closed], reward[closed] = 1.0, P_
    for (ka, kb, sa, sb), k in number.items():
        z = kb - ka
        leave_a, leave_b = a[1](z, sa), b[1](-z, sb)
        leaving = 1 - (1 - leave_a) * (1 - leave_b)
        reward[k] += leaving * P_
        matrix[k, closed] += leaving
        for g_a in (0, 1):
            for g_b in (0, 1):
                chance = ((1 - leave_a) * (a[2](z, sa) if g_a else 1 - a[2](z, sa))
                          * (1 - leave_b) * (b[2](-z, sb) if g_b else 1 - b[2](-z, sb)))
                if chance == 0:
                    continue
                reward[k] += chance * pay(g_a, g_b, r_a, r_b, z)
                for learn_a in (0, 1):
                    for learn_b in (0, 1):
                        p_a = r_a * pace if g_b else 0.0
                        p_b = r_b * pace if g_a else 0.0
                        step = (p_a if learn_a else 1 - p_a) * (p_b if learn_b else 1 - p_b)
                        next_ka, next_kb = ka - learn_a, kb - learn_b
                        target = (closed if min(next_ka, next_kb) == 0
                                  else number[(next_ka, next_kb, a[3](sa, g_b), b[3](sb, g_a))])
                        matrix[k, target] += chance * step
    values = np.linalg.solve(np.eye(closed + 1) - w * matrix, reward)
    return values[number[(levels, levels, a[0], b[0])]]


# (start, leave(z, state), give(z, state), next(state, partner's move)) of three strategies.
_RECIPROCATOR = (1, lambda z, s: 0.0, lambda z, s: float(s), lambda s, partner: partner)
_TAKER = (0, lambda z, s: 0.0, lambda z, s: 0.0, lambda s, partner: 0)
_RACER = (0, lambda z, s: float(z >= 1), lambda z, s: 0.8 * (z < 1), lambda s, partner: 0)  # probe 0.2, target 1


@pytest.mark.parametrize("strength, overlap, receptivity", [(0.0, 1.0, 1.0), (0.7, 0.8, 0.9), (1.0, 0.7, 1.0)])
def test_resistance_with_stakes_and_exit_equals_a_direct_recursion(strength, overlap, receptivity):
    """Tit for tat against the race-to-learner, which leaves once a level ahead,
    and against always-take, with stakes, power and partial overlap: the margin and
    the critical shadow equal those of a recursion written out from the rules."""
    from scipy.optimize import brentq

    levels, pace = 3, 0.5
    game = LearningGame(knowledge=Knowledge(levels=levels, pace=pace), overlap=overlap).with_power(strength=strength)
    values = (levels, pace, strength, overlap, receptivity, 1.0)
    home_values = (levels, pace, strength, overlap, 1.0, 1.0)
    resident = ContractualReciprocator()
    for invader, automaton in ((RaceToLearn(receptivity=receptivity), _RACER),
                               (Opportunist(receptivity=receptivity), _TAKER)):
        def margin(w):
            home = _recursion_totals(_RECIPROCATOR, _RECIPROCATOR, home_values, w)
            away = _recursion_totals(automaton, _RECIPROCATOR, values, w)
            return (1 - w) * (home - away)

        ws = [0.1, 0.5, 0.8, 0.95]
        np.testing.assert_allclose(resistance(resident, invader, game, ws), [margin(w) for w in ws],
                                   rtol=0, atol=1e-11)
        found = critical_continuation(resident, invader, game)
        signs = np.sign([margin(w) for w in np.linspace(0.0, 0.999, 60)])
        if np.all(signs >= 0):
            assert found == 0.0
        else:
            last_fail = np.linspace(0.0, 0.999, 60)[np.nonzero(signs < 0)[0][-1]]
            assert found == pytest.approx(brentq(margin, last_fail, 0.999, xtol=1e-14), abs=1e-8)


def test_the_race_to_learners_exit_lets_an_always_giver_resist_it():
    """With stakes the race-to-learner leaves as soon as it is a level ahead and
    forgoes the rest of the alliance, so two always-givers, who learn until the
    race is over, earn more from a moderate shadow on; without stakes it never
    leaves, probes for ever, and the always-giver never resists."""
    stakes = POWER
    assert np.isnan(critical_continuation(Cooperator(), RaceToLearn(), LearningGame()))
    threshold = critical_continuation(Cooperator(), RaceToLearn(), stakes)
    assert 0.0 < threshold < 0.9
    assert expected_payoffs(RaceToLearn(), Cooperator(), stakes, continuation=0.95).open_share < 0.5


def test_critical_continuation_nan_and_zero_with_power_on():
    ws = np.linspace(0.0, 0.999, 12)
    # Always-take resists everything: nobody does better against it than it does.
    assert critical_continuation(Opportunist(), GTFT(), POWER) == 0.0
    assert np.all(resistance(Opportunist(), GTFT(), POWER, ws) >= 0)
    # Always-give resists no taker.
    assert np.isnan(critical_continuation(Cooperator(), Opportunist(), POWER))
    assert np.all(resistance(Cooperator(), Opportunist(), POWER, ws) < 0)


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
