"""The round's rules and the two engine paths (learning_dilemma.engine).

The relation's rules themselves are checked in tests/contracts/test_relation.py and
tests/contracts/test_execution.py; the engines' agreement under every mechanism in
tests/games/test_knowledge.py."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, LearningGame, Match
from learning_dilemma.engine import intend as _intend
from learning_dilemma.engine import play_automata
from learning_dilemma.errors import StrategyError
from learning_dilemma.games import Knowledge, Ties
from learning_dilemma.moves import EXIT
from learning_dilemma.seeding import learn_draws
from learning_dilemma.strategies import (
    Cooperator, Grudger, Opportunist, RaceToLearn, RandomPlayer, TitForTat, WinStayLoseShift,
)


def test_a_strategy_answers_with_a_move_a_bool_or_a_probability():
    """The answer resolves to (leaves, gives) on one draw."""
    assert _intend(GIVE, 0.99) == (False, True) and _intend(TAKE, 0.0) == (False, False)
    assert _intend(True, 0.99) == (False, True) and _intend(np.bool_(False), 0.0) == (False, False)
    assert _intend(0.3, 0.29) == (False, True) and _intend(0.3, 0.3) == (False, False)  # give iff u < p
    assert _intend(EXIT, 0.99) == (True, False)  # a Python strategy leaves by returning Move.EXIT
    # an automaton's exit probability q comes first on the same draw: leave below q, give below q + (1 - q) p
    assert _intend(0.5, 0.19, leave=0.2) == (True, False)
    assert _intend(0.5, 0.59, leave=0.2) == (False, True) and _intend(0.5, 0.61, leave=0.2) == (False, False)
    for bad in (-0.5, 2.0, float("nan"), "G", "0.5", None):
        with pytest.raises(StrategyError, match="strategy returned .*: expected a Move, a bool or a give probability in"):
            _intend(bad, 0.1)


def test_payoffs_follow_the_stage_formula_round_by_round():
    """Each round's payoffs are the docs/model.md formula (second edition), written out
    here, at the power position before the round, with gives as played and transfers as
    they happened: u_i = P + (b - c) r_i x_j + gamma c (r_i g_j - r_j g_i)
    + gamma e r_i x_j (1 - g_i) + w_i s (r_i + r_j) x_i x_j, w_i = 1/2 + strength z_i / (2M)."""
    game = LearningGame(synergy=1.5, leak=0.5, overlap=0.6, knowledge=Knowledge(levels=2, pace=0.2),
                        ties=Ties(levels=2)).with_power(strength=0.8)
    result = Match(RandomPlayer(receptivity=0.7, tacitness=0.3), RandomPlayer(p=0.6, receptivity=0.4), game=game,
                   turns=60, seed=5).play()
    P, b, c, s, e, gamma = 1.0, 2.0, 0.5, 1.5, 2.0, 0.6
    r_a, r_b = 0.7, 0.4
    for t in range(result.turns):
        if result.moves[0][t] == EXIT:
            assert result.payoffs[:, t].tolist() == [P, P]
            continue
        g_a, g_b = result.moves[:, t]
        x_a, x_b = result.transfers[:, t]
        z = result.power[t]
        w_a = 0.5 + 0.8 * z / 4
        created = s * (r_a + r_b) * x_a * x_b
        u_a = P + (b - c) * r_a * x_b + gamma * c * (r_a * g_b - r_b * g_a) + gamma * e * r_a * x_b * (1 - g_a) \
            + w_a * created
        u_b = P + (b - c) * r_b * x_a + gamma * c * (r_b * g_a - r_a * g_b) + gamma * e * r_b * x_a * (1 - g_b) \
            + (1 - w_a) * created
        assert result.payoffs[0][t] == pytest.approx(u_a) and result.payoffs[1][t] == pytest.approx(u_b)
    assert len(set(result.power.tolist())) > 1  # power did move
    assert ((result.moves[0] == 1) & (result.transfers[0] == 0)).any()  # a tacit give failed


def test_many_pairings_in_one_loop_equal_each_pairing_alone():
    """play_automata stacks tables into one state space: row k must play as if alone,
    exits and stakes included."""
    game = LearningGame(knowledge=Knowledge(levels=2, pace=0.5)).with_power(strength=0.6)
    context = Match(Cooperator(), Cooperator(), game=game, turns=25).context
    players_a = [TitForTat(), WinStayLoseShift(), RandomPlayer(p=0.3), RaceToLearn()]
    players_b = [Grudger(), RandomPlayer(p=0.8)]
    tables_a = [p.compiled(context) for p in players_a]
    tables_b = [p.compiled(context) for p in players_b]
    rows_a, rows_b = np.array([0, 1, 2, 0, 2, 3, 3]), np.array([1, 0, 1, 0, 0, 1, 0])
    rng = np.random.default_rng(0)
    columns = max(learn_draws(False)) + 1
    draws, lengths = rng.random((7, 25, columns)), np.array([25, 10, 25, 3, 17, 25, 20])
    ones = np.ones(7)
    starts = (np.array([tables_a[i].start for i in rows_a]), np.array([tables_b[j].start for j in rows_b]))
    stakes = game.initial_stakes()
    together = play_automata(game, (tables_a, tables_b), (rows_a, rows_b), (ones, 0.5 * ones), (0 * ones, 0 * ones),
                             starts, draws, lengths, stakes)
    assert {1} <= set(together.ended_by.tolist())  # the race to learner left somewhere
    for k in range(7):
        alone = play_automata(game, ([tables_a[rows_a[k]]], [tables_b[rows_b[k]]]), (np.zeros(1, int), np.zeros(1, int)),
                              (ones[:1], 0.5 * ones[:1]), (0 * ones[:1], 0 * ones[:1]),
                              (starts[0][k : k + 1], starts[1][k : k + 1]), draws[k : k + 1], lengths[k : k + 1], stakes)
        for name in ("moves", "payoffs", "transfers", "stakes"):  # (player, row, round)
            assert np.array_equal(getattr(together, name)[:, k], getattr(alone, name)[:, 0]), (k, name)
        for name in ("power", "ties", "ended_by"):  # (row, ...)
            assert np.array_equal(getattr(together, name)[k], getattr(alone, name)[0]), (k, name)
        # Past a play's end: no moves, no payoffs, the stakes and power stay put.
        assert np.all(together.moves[0][k, lengths[k]:] == -1) and np.all(together.payoffs[0][k, lengths[k]:] == 0)
        assert np.all(together.power[k, lengths[k]:] == together.power[k, lengths[k]])


def test_a_give_that_transfers_teaches_the_receiver_a_level_with_probability_r_pace():
    """(TAKE, GIVE) from full stakes: the taker's stakes fall by one with probability
    r_A pace (absorptive capacity, Cohen & Levinthal 1990); the giver learns nothing."""
    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.5)).with_power(strength=0.5)
    for receptivity in (0.3, 0.8):
        batch = Match(Opportunist(receptivity=receptivity), Cooperator(receptivity=0.9), game=game, turns=1, seed=2,
                      repetitions=20000).play_batch()
        assert set(batch.final_power.tolist()) == {0, 1} and (batch.raw.stakes[1] == 3).all()
        rate, chance = (batch.final_power == 1).mean(), receptivity * 0.5
        assert abs(rate - chance) < 4 * np.sqrt(chance * (1 - chance) / 20000)


def test_mutual_giving_teaches_both_sides_independently():
    """Second edition: both gives transfer and each side learns at its own rate (the first
    edition instead pulled the ladder toward parity with probability rebalance)."""
    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.5))
    n = 20000
    batch = Match(Cooperator(receptivity=0.6), Cooperator(receptivity=0.2), game=game, turns=1, seed=4,
                  initial_power=-2, repetitions=n).play_batch()
    final = batch.raw.stakes[:, :, 1]  # (player, repetition) after the round: A started at 3, B at 1
    for (a, b), chance in {(3, 1): 0.7 * 0.9, (2, 1): 0.3 * 0.9, (3, 0): 0.7 * 0.1, (2, 0): 0.3 * 0.1}.items():
        rate = ((final[0] == a) & (final[1] == b)).mean()
        assert abs(rate - chance) < 4 * np.sqrt(chance * (1 - chance) / n), (a, b)
