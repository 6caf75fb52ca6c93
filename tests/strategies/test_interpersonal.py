"""Interpersonal strategies against scripted opponents."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match, MatchContext
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge
from learning_dilemma.strategies import Expert, ForgivingColleague, KnowHowTrader, Peer, TrustBuilder

from scripted import Scripted, moves

CONTEXT = MatchContext(LearningGame(), 0.9)


def test_trust_rises_slowly_and_falls_fast():
    table = TrustBuilder(levels=4, initial=3, confident=2, drop=2).compiled(CONTEXT)
    give = table.give[:, 0]
    assert list(give) == [0.0, 0.5, 1.0, 1.0, 1.0]  # min(1, level / confident)
    GIVE, TAKE = 1, 0
    assert table.next_state[3, GIVE, GIVE] == 4 and table.next_state[4, GIVE, GIVE] == 4  # +1, capped
    assert table.next_state[4, GIVE, TAKE] == 2  # exploited: -drop
    assert table.next_state[2, TAKE, TAKE] == 1  # mutual taking: -1
    assert table.next_state[0, TAKE, GIVE] == 1  # a partner's give rebuilds
    # Confident from trust 1: exploited twice from 3 it reaches 0 and takes, then a
    # partner's give rebuilds trust and it gives again.
    assert moves(TrustBuilder(confident=1), "TTGGG") == "GGTGG"


def test_peer_reciprocates_only_near_parity():
    """|z| <= tolerance, z = K_partner - K_own the difference in dependence (Emerson 1962)."""
    game = LearningGame(knowledge=Knowledge(levels=3)).with_power(strength=0.5)
    assert moves(Peer(), "GTGG") == "GGTG"
    deaf = {"receptivity": 0.0}  # a partner that learns nothing keeps the stakes where they start
    assert moves(Peer(tolerance=1, receptivity=0.0), "GGG", deaf, game=game, initial_power=2) == "TTT"
    assert moves(Peer(tolerance=1, receptivity=0.0), "GGG", deaf, game=game, initial_power=-2) == "TTT"
    assert moves(Peer(tolerance=2, receptivity=0.0), "GGG", deaf, game=game, initial_power=2) == "GGG"
    # Behind by two it takes; learning from the partner's give brings it within tolerance, and
    # it gives until the partner's stakes are exhausted and the race is over.
    assert moves(Peer(tolerance=1), "GGGG", game=game, initial_power=-2) == "TGXX"


def test_expert_forgives_at_its_generosity():
    assert moves(Expert(generosity=0.0), "GTG") == "GGT"
    assert moves(Expert(generosity=1.0), "TTTT") == "GGGG"
    batch = Match(Expert(generosity=0.3), Scripted(script="T"), turns=200, seed=2, repetitions=50).play_batch()
    later = (batch.raw.moves[0][:, 1:] == 1).mean()
    assert later == pytest.approx(0.3, abs=4 * np.sqrt(0.21 / (199 * 50)))


def test_know_how_trader_withholds_crucial_knowledge():
    assert moves(KnowHowTrader(cruciality=0.0), "GTG") == "GGT"
    assert moves(KnowHowTrader(cruciality=1.0), "GGG") == "TTT"
    batch = Match(KnowHowTrader(cruciality=0.25), Scripted(script="G"), turns=200, seed=3, repetitions=50).play_batch()
    assert batch.give_rates[:, 0].mean() == pytest.approx(0.75, abs=4 * np.sqrt(0.1875 / 10000))


def test_forgiving_colleague_waits_for_a_run_of_takes():
    assert moves(ForgivingColleague(patience=2), "TGTTGG") == "GGGGTG"
    assert moves(ForgivingColleague(patience=1), "TGT") == "GTG"


@pytest.mark.parametrize("make", [lambda: TrustBuilder(initial=5), lambda: TrustBuilder(confident=0),
                                  lambda: TrustBuilder(drop=0), lambda: Peer(tolerance=-1),
                                  lambda: Expert(generosity=1.5), lambda: KnowHowTrader(cruciality=-0.1),
                                  lambda: ForgivingColleague(patience=0)])
def test_parameter_validation(make):
    with pytest.raises(ParameterError):
        make()
