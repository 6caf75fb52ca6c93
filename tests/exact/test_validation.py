"""Arguments the exact engine refuses, across its entry points."""

from __future__ import annotations

import pytest

from learning_dilemma import LearningGame, Player
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import (
    averaging_plan,
    critical_continuation,
    expected_payoffs,
    limit_of_means,
    payoff_matrices,
    per_round_curve,
    resistance,
    roster_payoffs,
)
from learning_dilemma.strategies import Defector, TitForTat


class _Imperative(Player):
    def strategy(self, opponent):
        return 1


@pytest.mark.parametrize("call", [
    lambda: expected_payoffs(TitForTat(), Defector(), continuation=0.5, averaging="mean"),
    lambda: expected_payoffs(TitForTat(), Defector(), turns=10, averaging="mean"),
    lambda: per_round_curve(TitForTat(), Defector(), None, [0.0, 0.5], averaging="mean"),
    lambda: roster_payoffs([TitForTat(), Defector()], continuation=0.5, averaging="mean"),
    lambda: roster_payoffs([TitForTat(), Defector()], turns=10, averaging=None),
    lambda: payoff_matrices([TitForTat(), Defector()], None, [0.0], averaging="Match"),
    lambda: averaging_plan(0.5, "mean"),
], ids=["expected", "expected turns", "curve", "matrix", "matrix turns", "matrices", "plan"])
def test_bad_averaging_is_refused(call):
    with pytest.raises(ParameterError, match="averaging"):
        call()


def test_bad_averaging_is_refused_at_zero_continuation():
    with pytest.raises(ParameterError, match="averaging"):
        expected_payoffs(TitForTat(), Defector(), continuation=0.0, averaging="mean")


@pytest.mark.parametrize("call", [
    lambda game: expected_payoffs(TitForTat(), Defector(), game, continuation=0.5),
    lambda game: limit_of_means(TitForTat(), Defector(), game),
    lambda game: per_round_curve(TitForTat(), Defector(), game, [0.5]),
    lambda game: roster_payoffs([TitForTat(), Defector()], game, continuation=0.5),
    lambda game: roster_payoffs([TitForTat(), Defector()], game, turns=5),
    lambda game: payoff_matrices([TitForTat(), Defector()], game, [0.5]),
    lambda game: resistance(TitForTat(), Defector(), game, 0.5),
    lambda game: critical_continuation(TitForTat(), Defector(), game),
], ids=["expected", "limit", "curve", "matrix", "matrix turns", "matrices", "resistance", "critical"])
@pytest.mark.parametrize("game", ["axelrod", {"strength": 0.5}, LearningGame().power])
def test_a_game_that_is_not_a_learning_game_is_refused(call, game):
    with pytest.raises(ParameterError, match="game must be a LearningGame"):
        call(game)


@pytest.mark.parametrize("call, message", [
    (lambda: expected_payoffs(_Imperative(), Defector(), continuation=0.5), "player a is"),
    (lambda: expected_payoffs(Defector(), _Imperative(), turns=3), "player b is"),
    (lambda: limit_of_means(TitForTat, Defector()), "player a must be a Player"),
    (lambda: per_round_curve(Defector(), "Tit For Tat", None, [0.5]), "player b must be a Player"),
    (lambda: roster_payoffs([TitForTat(), _Imperative()], continuation=0.5), r"players\[1\] is"),
    (lambda: roster_payoffs([TitForTat(), None], turns=4), r"players\[1\] must be a Player"),
    (lambda: payoff_matrices([_Imperative(), TitForTat()], None, [0.5, 0.9]), r"players\[0\] is"),
    (lambda: resistance(_Imperative(), Defector()), "player resident is"),
    (lambda: critical_continuation(TitForTat(), _Imperative()), "player invader is"),
])
def test_players_that_are_not_automata_are_refused(call, message):
    with pytest.raises(ParameterError, match=message):
        call()
