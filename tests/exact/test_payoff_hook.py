"""The payoff hook of the exact chain (``build_chain(..., payoffs=...)``): at its
default it is the stage payoff to the bit, a rule given in its place sets the
payoff columns and the power gain and nothing else, a closed round pays the status
quo whatever the rule, and a rule that cannot be used is refused in one line."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from leaving import Wanderer, WalksOut
from learning_dilemma import LearningGame, MatchContext
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import PAY_A, PAY_B, build_chain, expected_payoffs, pairing_chain
from learning_dilemma.games import Knowledge, Ties, stage_payoffs
from learning_dilemma.strategies import (
    GTFT, Calculative, ContractualReciprocator, Cooperator, Defector, RaceToLearn, TitForTat, TrustBuilder,
)

from .helpers import POWER, RELATION, P

GAMES = [LearningGame(), POWER, RELATION, LearningGame(knowledge=Knowledge(levels=2, pace=1.0), overlap=0.4)]
PLAYERS = [
    TitForTat, Defector, Calculative,
    lambda: GTFT(tacitness=0.2),
    lambda: RaceToLearn(receptivity=0.7),
    lambda: TrustBuilder(tacitness=0.1),
    lambda: ContractualReciprocator(receptivity=0.4, tacitness=0.3),
    lambda: Wanderer(p=0.7, q=0.05),
]
LENGTHS = [dict(turns=23), dict(turns=9, noise=0.04, prior_rounds=2), dict(continuation=0.9),
           dict(continuation=0.85, averaging="match", noise=0.02, initial_power=1)]


def wrapped(game, g_a, g_b, x_a, x_b, r_a, r_b, z):
    """The stage payoffs behind a different callable: the hook's general path."""
    u_a, u_b = stage_payoffs(game, g_a, g_b, x_a, x_b, r_a, r_b, z)
    return [u_a, u_b]


def fields(result):
    return (result.totals, result.per_round, result.give_rates, result.learning, result.mutual_giving,
            result.joint_learning, result.open_share, result.duration, result.length)


def assert_same_bits(first, second):
    for x, y in zip(fields(first), fields(second), strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


@pytest.mark.parametrize("game", GAMES, ids=["axelrod", "power", "relation", "overlap"])
def test_the_default_hook_is_the_stage_payoff_to_the_bit(game):
    """None, stage_payoffs passed explicitly and stage_payoffs behind another callable
    (which goes through the general path of the hook) give the same bits, for every
    pairing of automata with and without stakes, ties, tacitness, noise, leaving."""
    for (make_a, make_b), length in itertools.product(itertools.product(PLAYERS, repeat=2), LENGTHS):
        if "initial_power" in length and not game.knowledge.active:
            continue
        default = expected_payoffs(make_a(), make_b(), game, **length)
        for rule in (stage_payoffs, wrapped):
            assert_same_bits(default, expected_payoffs(make_a(), make_b(), game, **length, payoffs=rule))


def test_the_default_chain_is_the_same_chain_with_the_hook_given():
    a, b = GTFT(tacitness=0.2), Wanderer(p=0.6, q=0.1)
    default = pairing_chain(a, b, RELATION, 0.9, noise=0.03, prior_rounds=1)
    hooked = pairing_chain(a, b, RELATION, 0.9, noise=0.03, prior_rounds=1, payoffs=wrapped)
    for name in ("transitions", "generator", "rewards", "power_gain", "states", "depth"):
        np.testing.assert_array_equal(getattr(default, name), getattr(hooked, name))
    assert (default.start, default.strength) == (hooked.start, hooked.strength)


def counting_rule(game, g_a, g_b, x_a, x_b, r_a, r_b, z):
    """Pays A 1 per give, B 2 per give of A's that transferred (no stage game at all)."""
    g_a, x_a = np.asarray(g_a, dtype=float), np.asarray(x_a, dtype=float)
    return g_a + 0.0 * z, 2.0 * x_a + 0.0 * z


def test_a_rule_sets_the_payoff_columns_and_nothing_else():
    """Expected per round under the counting rule: A's give rate, and twice the share of
    rounds A's give transferred (B's learning over its receptivity); the closed rounds
    pay P. Every other field is the stage payoff's."""
    a, b = Wanderer(p=0.6, q=0.05, tacitness=0.3), Cooperator(receptivity=0.5)
    for length in (dict(turns=17, noise=0.1), dict(continuation=0.8)):
        plain = expected_payoffs(a, b, RELATION, **length)
        counted = expected_payoffs(a, b, RELATION, **length, payoffs=counting_rule)
        closed = 1.0 - plain.open_share
        assert counted.per_round[0] == pytest.approx(plain.give_rates[0] + closed * P, abs=1e-12)
        assert counted.per_round[1] == pytest.approx(2 * plain.learning[1] / 0.5 + closed * P, abs=1e-12)
        assert counted.totals == pytest.approx(counted.per_round * counted.length, abs=1e-9)
        for name in ("give_rates", "learning", "mutual_giving", "joint_learning", "open_share", "duration"):
            np.testing.assert_array_equal(getattr(plain, name), getattr(counted, name))


def test_a_closed_round_pays_the_status_quo_whatever_the_rule():
    """Walks Out leaves after the Defector's first take: round one pays the rule's
    (A gave, B took), then P for ever. The rule pays 100 a round to both; the closed
    state is not the rule's."""
    def generous(game, g_a, g_b, x_a, x_b, r_a, r_b, z):
        return 100.0 + 0.0 * z, 100.0 + 0.0 * z

    result = expected_payoffs(WalksOut(), Defector(), LearningGame(), turns=10, payoffs=generous)
    assert result.per_round == pytest.approx([(100 + 9 * P) / 10] * 2, abs=1e-12)
    chain = pairing_chain(WalksOut(), Defector(), LearningGame(), 0.9, payoffs=generous)
    closed = chain.states[:, 5] == 0
    assert closed.sum() == 1 and np.all(chain.rewards[closed][:, [PAY_A, PAY_B]] == P)


def overlap_rule(game, g_a, g_b, x_a, x_b, r_a, r_b, z):
    """Half the stage payoffs at overlap 0.3, plus one: affine in the power strength,
    with half the stage payoffs' power gain."""
    u_a, u_b = stage_payoffs(game, g_a, g_b, x_a, x_b, r_a, r_b, z, overlap=0.3)
    return 0.5 * u_a + 1.0, 0.5 * u_b + 1.0


@pytest.mark.parametrize("built_at, wanted", [(0.6, 0.0), (0.6, 1.0), (0.2, 0.85)])
def test_the_power_gain_follows_the_rule(built_at, wanted):
    """The power gain is the rule's: a hook chain moved to another strength by
    rewards_at is the hook chain built at that strength."""
    a, b = TrustBuilder(tacitness=0.1), RaceToLearn(receptivity=0.6)
    source = pairing_chain(a, b, RELATION.with_power(strength=built_at), 0.9, payoffs=overlap_rule)
    target = pairing_chain(a, b, RELATION.with_power(strength=wanted), 0.9, payoffs=overlap_rule)
    np.testing.assert_allclose(source.rewards_at(wanted), target.rewards, rtol=0, atol=1e-12)
    default = pairing_chain(a, b, RELATION.with_power(strength=built_at), 0.9)
    open_states = source.states[:, 5] == 1
    assert np.abs(default.power_gain[open_states]).max() > 0.01
    np.testing.assert_allclose(source.power_gain, 0.5 * default.power_gain, rtol=0, atol=1e-12)


def test_a_chain_built_for_a_rule_is_never_reused_for_another():
    """pairing_chain builds afresh: the default chain after a hook chain is the default's."""
    a, b = GTFT(), RaceToLearn()
    first = pairing_chain(a, b, POWER, 0.9)
    hooked = pairing_chain(a, b, POWER, 0.9, payoffs=overlap_rule)
    again = pairing_chain(a, b, POWER, 0.9)
    assert not np.array_equal(first.rewards, hooked.rewards)
    np.testing.assert_array_equal(first.rewards, again.rewards)
    np.testing.assert_array_equal(first.power_gain, again.power_gain)


def test_a_rule_that_cannot_be_used_is_refused_in_one_line():
    tables = [p.compiled(MatchContext(LearningGame(), 0.9)) for p in (TitForTat(), Defector())]
    bad = {
        "not callable": 3.0,
        "not a pair": lambda *args: stage_payoffs(*args)[0],
        "three values": lambda *args: (*stage_payoffs(*args), 0.0),
        "wrong shape": lambda *args: (np.zeros(4), np.zeros(4)),
        "not finite": lambda *args: (np.full(9, np.nan)[:, None], np.zeros((9, 1))),
    }
    for name, rule in bad.items():
        with pytest.raises(ParameterError) as refused:
            build_chain(*tables, LearningGame(), payoffs=rule)
        message = str(refused.value)
        assert "payoffs" in message and "\n" not in message, name
    with pytest.raises(TypeError):
        build_chain(*tables, LearningGame(), None, None, None, 0, 0.0, 0, wrapped)  # keyword only
