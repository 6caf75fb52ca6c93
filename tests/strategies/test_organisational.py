"""Organisational strategies against scripted opponents."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match, MatchContext
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, stage_payoff
from learning_dilemma.strategies import (
    Calculative, ContractualReciprocator, Cooperator, HabitualAvoidance, Opportunist, RaceToLearn,
)
from learning_dilemma.strategies.organisational import alliance_survival

from scripted import Scripted, moves

STAKES = LearningGame(knowledge=Knowledge(levels=3)).with_power(strength=0.8)
DEAF = {"receptivity": 0.0}  # a scripted partner that learns nothing: only the player's own stakes move


def test_opportunist_always_takes():
    assert moves(Opportunist(), "GGTGTG") == "TTTTTT"


def test_contractual_reciprocator_mirrors():
    assert moves(ContractualReciprocator(), "GTTGGT") == "GGTTGG"


def test_race_to_learn_gives_while_behind_and_leaves_once_ahead():
    """Second edition (the first took every round once ahead): once ``target`` levels ahead
    in the race it has learned what it came for and leaves (Hamel 1991; pace 1, so it
    learns a level from each give it receives)."""
    assert moves(RaceToLearn(probe=0.0), "GGGG", DEAF, game=STAKES) == "GXXX"
    assert moves(RaceToLearn(probe=0.0), "GGGG", DEAF, game=STAKES, initial_power=1) == "XXXX"
    assert moves(RaceToLearn(probe=0.0, target=2), "GGGG", DEAF, game=STAKES, initial_power=1) == "GXXX"
    assert moves(RaceToLearn(probe=0.0, target=2), "GGGG", DEAF, game=STAKES) == "GGXX"
    # probe 1 takes while behind, and leaves as soon as the partner's gives have put it ahead
    assert moves(RaceToLearn(probe=1.0), "GGGG", DEAF, game=STAKES) == "TXXX"
    # a partner learning as fast keeps it from getting ahead: the race ends with both stakes exhausted
    assert moves(RaceToLearn(probe=0.0), "GGGG", game=STAKES) == "GGGX"


@pytest.mark.parametrize("turns, expected", [(2, "GT"), (4, "GGGG"), (10, "GGGGGGGGGG")])
def test_calculative_gives_only_if_the_shadow_beats_the_gain(turns, expected):
    """With (3, 0, 5, 1): after a give it gives iff T - R <= w (R - S), i.e. w >= 2/3;
    a fixed match tells it the shadow w = 1 - 1/turns (0.5, 0.75, 0.9 here)."""
    assert moves(Calculative(), "G" * turns) == expected


def test_calculative_retaliates():
    assert moves(Calculative(), "GTGGGGGGGG")[:4] == "GGTG"


def test_habitual_avoidance_needs_proof_and_relapses():
    assert moves(HabitualAvoidance(proof=2), "GGGTGGG") == "TTGGTTG"
    assert moves(HabitualAvoidance(proof=2), "GG", prior_rounds=2) == "GG"


@pytest.mark.parametrize("make", [lambda: RaceToLearn(target=0), lambda: HabitualAvoidance(proof=0),
                                  lambda: HabitualAvoidance(openness=2), lambda: RaceToLearn(speed=1)])
def test_parameter_validation(make):
    with pytest.raises(ParameterError):
        make()


@pytest.mark.parametrize("shadow, gives", [(0.66, 0.0), (2 / 3, 1.0), (0.67, 1.0)])
def test_calculative_threshold_is_axelrods_two_thirds(shadow, gives):
    """(3, 0, 5, 1), stakes off: T - R = 2 <= w (R - S) = 3w iff w >= 2/3 (Axelrod 1984)."""
    table = Calculative().compiled(MatchContext(LearningGame(), shadow))
    assert table.give[1].tolist() == [gives] and table.give[0].tolist() == [1.0]
    result = Match(Calculative(), Scripted(script="G"), continuation=shadow, seed=3, repetitions=200).play_batch()
    later = result.raw.moves[0][:, 1:]
    assert np.all(later[later >= 0] == gives)


def expected_calculative(game, shadow, receptivity):
    """Per view (K_own, K_partner): give after a give iff T_z - R_z <= w q (R_z - S_z), with
    z = K_partner - K_own, payoffs at full transfer from the stage formula, and q the chance
    that a round of mutual giving leaves the race open: each side on its last level learns it
    with probability r pace (the partner's receptivity taken to be its own). A view where a
    side has no stakes left is one of a closed alliance (never played): q = 0 there."""
    M, pace = game.knowledge.levels, game.knowledge.pace
    gives = []
    for own, partner in itertools.product(range(M + 1), repeat=2):
        z = partner - own
        R, S, T = (float(stage_payoff(game, g, h, g, h, receptivity, receptivity, z))
                   for g, h in ((1, 1), (1, 0), (0, 1)))
        q = (1 - receptivity * pace * (own == 1)) * (1 - receptivity * pace * (partner == 1)) * (own > 0 < partner)
        gives.append(float(T - R <= shadow * q * (R - S)))
    return gives


def test_calculative_weighs_its_power_position_and_the_stakes_left():
    """With power, R_z = 2 + 2 w_z, S = 0, T = 5 (defaults: power splits only the created
    value 2 s), so at shadow 0.6 it gives iff 3 - 2 w_z <= 0.6 q (2 + 2 w_z): where q = 1,
    iff w_z >= 0.5625, i.e. z >= 1 when w_z = 1/2 + 0.9 z / 6."""
    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.2)).with_power(strength=0.9)
    context = MatchContext(game, 0.6)
    table = Calculative().compiled(context)
    assert table.give[1].tolist() == expected_calculative(game, 0.6, 1.0)
    far = (context.own_stakes >= 2) & (context.partner_stakes >= 2)  # q = 1: the race cannot end this round
    assert table.give[1][far].tolist() == (context.positions[far] >= 1).astype(float).tolist()


def test_calculative_takes_on_the_last_level_when_the_alliance_may_not_survive():
    """w = 0.9, r = 0.5, pace 0.6: on a last level q = 1 - 0.3 = 0.7 and w q (R - S) =
    0.9 x 0.7 x 3 = 1.89 < T - R = 2, so it takes; with more left q = 1 and 2.7 >= 2, it
    gives. With stakes off it is Axelrod's condition w >= 2/3 everywhere (so it gives)."""
    game = LearningGame(knowledge=Knowledge(levels=2, pace=0.6))
    context = MatchContext(game, 0.9)
    assert alliance_survival(context, 0.5).tolist() == pytest.approx(
        [(1 - 0.3 * (o == 1)) * (1 - 0.3 * (p == 1)) * (o > 0 < p)
         for o, p in zip(context.own_stakes, context.partner_stakes)])
    table = Calculative(receptivity=0.5).compiled(context)
    last = (context.own_stakes <= 1) | (context.partner_stakes <= 1)  # 0: a closed alliance's view
    assert table.give[1].tolist() == expected_calculative(game, 0.9, 0.5) == (~last).astype(float).tolist()
    assert Calculative(receptivity=0.5).compiled(MatchContext(LearningGame(), 0.9)).give[1].tolist() == [1.0]
    # in play: against a giver it gives until one side is down to its last level, then takes
    batch = Match(Calculative(receptivity=0.5), Cooperator(receptivity=0.5), game=game, continuation=0.9, seed=3,
                  repetitions=200).play_batch()
    took = 0
    for result in batch:
        for t in range(1, result.duration):
            stakes = result.stakes[:, t].tolist()
            assert result.moves[0][t] == (0 if 1 in stakes else 1), (t, stakes)
            took += 1 in stakes
    assert took > 0


def test_race_to_learn_probes_at_its_rate_and_never_leaves_without_stakes():
    """Stakes off: nobody is ever ahead, so it stays a prober that never leaves (ablation of
    its exit); stakes on, the same player leaves in almost every repetition."""
    batch = Match(RaceToLearn(probe=0.3), Scripted(script="G"), turns=100, seed=5, repetitions=100).play_batch()
    assert batch.give_rates[:, 0].mean() == pytest.approx(0.7, abs=4 * np.sqrt(0.21 / 10000))
    assert (batch.raw.ended_by == 0).all() and not (batch.raw.moves == 2).any()
    racing = Match(RaceToLearn(probe=0.3), Scripted(script="G", receptivity=0.2),
                   game=LearningGame(knowledge=Knowledge(levels=4, pace=0.5)), turns=100, seed=5,
                   repetitions=100).play_batch()
    assert (racing.raw.ended_by == 1).mean() > 0.9
    # leaving is in its leave table exactly where it is target levels ahead
    context = MatchContext(LearningGame(knowledge=Knowledge(levels=3)), 0.9)
    table = RaceToLearn(target=2).compiled(context)
    assert table.leave[0].tolist() == (context.positions >= 2).astype(float).tolist()


def test_habitual_avoidance_gives_at_its_openness_while_avoiding():
    batch = Match(HabitualAvoidance(openness=0.25), Scripted(script="T"), turns=100, seed=6,
                  repetitions=100).play_batch()
    assert batch.give_rates[:, 0].mean() == pytest.approx(0.25, abs=4 * np.sqrt(0.1875 / 10000))
