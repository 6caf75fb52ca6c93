"""The round's rules and the two engine paths (learning_dilemma.engine).

The ladder rule itself is checked in tests/contracts/test_ladder.py."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, LearningGame, Match, Power
from learning_dilemma.engine import intend as _intend
from learning_dilemma.errors import StrategyError
from learning_dilemma.engine import play_automata
from learning_dilemma.strategies import Cooperator, Grudger, Opportunist, RandomPlayer, TitForTat, WinStayLoseShift

def test_a_strategy_answers_with_a_move_a_bool_or_a_probability():
    assert _intend(GIVE, 0.99) and not _intend(TAKE, 0.0)
    assert _intend(True, 0.99) and not _intend(np.bool_(False), 0.0)
    assert _intend(0.3, 0.29) and not _intend(0.3, 0.3)  # give iff u < p
    for bad in (-0.5, 2.0, float("nan"), "G", "0.5", None):
        with pytest.raises(StrategyError, match="strategy returned .*: expected a Move, a bool or a give probability in"):
            _intend(bad, 0.1)


def test_payoffs_follow_the_stage_formula_round_by_round():
    """Each round's payoffs are the docs/model.md formula at the ladder position before the round."""
    game = LearningGame(synergy=1.5, leak=0.5).with_power(strength=0.8, levels=2)
    result = Match(RandomPlayer(receptivity=0.7), RandomPlayer(p=0.6, receptivity=0.4), game=game, turns=60,
                   seed=5).play()
    P, b, c, s, e = 1.0, 2.0, 0.5, 1.5, 2.0
    for t in range(result.turns):
        g_a, g_b, z = result.moves[0][t], result.moves[1][t], result.power[t]
        joint = 2 * P + s * (0.7 + 0.4) * g_a * g_b
        w_a = 0.5 + 0.8 * z / 4
        u_a = w_a * joint + b * 0.7 * g_b + e * 0.7 * g_b * (1 - g_a) - c * 0.4 * g_a
        u_b = (1 - w_a) * joint + b * 0.4 * g_a + e * 0.4 * g_a * (1 - g_b) - c * 0.7 * g_b
        assert result.payoffs[0][t] == pytest.approx(u_a) and result.payoffs[1][t] == pytest.approx(u_b)
    assert len(set(result.power.tolist())) > 1  # the ladder did move


def test_many_pairings_in_one_loop_equal_each_pairing_alone():
    """play_automata stacks tables into one state space: row k must play as if alone."""
    game = LearningGame().with_power(strength=0.6, levels=2)
    context = Match(Cooperator(), Cooperator(), game=game, turns=25).context
    players_a = [TitForTat(), WinStayLoseShift(), RandomPlayer(p=0.3)]
    players_b = [Grudger(), RandomPlayer(p=0.8)]
    tables_a = [p.compiled(context) for p in players_a]
    tables_b = [p.compiled(context) for p in players_b]
    rows_a, rows_b = np.array([0, 1, 2, 0, 2]), np.array([1, 0, 1, 0, 0])
    rng = np.random.default_rng(0)
    draws, lengths = rng.random((5, 25, 5)), np.array([25, 10, 25, 3, 17])
    ones = np.ones(5)
    starts = (np.array([tables_a[i].start for i in rows_a]), np.array([tables_b[j].start for j in rows_b]))
    together = play_automata(game, (tables_a, tables_b), (rows_a, rows_b), (ones, ones), (0 * ones, 0 * ones), starts,
                             draws, lengths)
    for k in range(5):
        alone = play_automata(game, ([tables_a[rows_a[k]]], [tables_b[rows_b[k]]]), (np.zeros(1, int), np.zeros(1, int)),
                              (ones[:1], ones[:1]), (0 * ones[:1], 0 * ones[:1]),
                              (starts[0][k : k + 1], starts[1][k : k + 1]), draws[k : k + 1], lengths[k : k + 1])
        assert np.array_equal(together.moves[0][k], alone.moves[0][0])
        assert np.array_equal(together.power[k], alone.power[0])
        assert np.array_equal(together.payoffs[1][k], alone.payoffs[1][0])
        # Past a play's end: no moves, no payoffs, the ladder stays put.
        assert np.all(together.moves[0][k, lengths[k]:] == -1) and np.all(together.payoffs[0][k, lengths[k]:] == 0)
        assert np.all(together.power[k, lengths[k]:] == together.power[k, lengths[k]])


def test_a_take_moves_the_ladder_with_the_takers_receptivity():
    """(TAKE, GIVE) from parity: z becomes 1 with probability r_A (Hamel 1991)."""
    game = LearningGame().with_power(strength=0.5, levels=3)
    for receptivity in (0.3, 0.8):
        batch = Match(Opportunist(receptivity=receptivity), Cooperator(receptivity=0.1), game=game, turns=1, seed=2,
                      repetitions=20000).play_batch()
        rate = (batch.final_power == 1).mean()
        assert set(batch.final_power.tolist()) == {0, 1}
        assert abs(rate - receptivity) < 4 * np.sqrt(receptivity * (1 - receptivity) / 20000)


def test_mutual_giving_rebalances_with_probability_rebalance():
    game = LearningGame().with_power(strength=0.5, levels=3, rebalance=0.35)
    batch = Match(Cooperator(), Cooperator(), game=game, turns=1, seed=4, initial_power=-2,
                  repetitions=20000).play_batch()
    assert set(batch.final_power.tolist()) == {-2, -1}
    assert abs((batch.final_power == -1).mean() - 0.35) < 4 * np.sqrt(0.35 * 0.65 / 20000)
