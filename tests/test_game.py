"""The stage game and the power share (learning_dilemma.games).

The second edition's mechanisms (overlap, domains, stakes, exit, tacit transfer)
have their own tests in tests/games/."""

from __future__ import annotations

import pytest

from learning_dilemma import LearningGame, Power
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, Ties, bargaining_share


def test_defaults_are_axelrods_payoffs_with_power_off_and_full_receptivity():
    game = LearningGame()
    assert game.rstp() == (3.0, 0.0, 5.0, 1.0)
    assert game.payoffs(1, 0) == (0.0, 5.0) and game.payoffs(0, 1) == (5.0, 0.0)
    assert game.is_prisoners_dilemma()


@pytest.mark.parametrize("payoffs, synergy", [((3, 0, 5, 1), 1.0), ((4, 0, 5, 1), 1.5), ((2, -1, 3, 0), 1.0)])
def test_from_payoffs_round_trips(payoffs, synergy):
    assert LearningGame.from_payoffs(*payoffs, synergy=synergy).rstp() == pytest.approx(payoffs)


@pytest.mark.parametrize(
    "payoffs, kwargs, words",
    [
        ((3, 0, 2, 1), {}, "T > R > P > S"),
        ((3, 0, 7, 1), {}, "2R > T + S"),
        ((3, 0, 5, 1), {"synergy": 5.0}, "choose synergy in [0, 3]"),
        ((3, 0, 5, 1), {"synergy": -1.0}, "synergy"),
    ],
)
def test_from_payoffs_rejects_what_it_cannot_build(payoffs, kwargs, words):
    with pytest.raises(ParameterError) as error:
        LearningGame.from_payoffs(*payoffs, **kwargs)
    assert words in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("name", ["learning_benefit", "leak", "synergy", "race_premium"])
def test_negative_parameters_are_rejected(name):
    with pytest.raises(ParameterError, match=f"game.{name}"):
        LearningGame(**{name: -0.5})


@pytest.mark.parametrize("value", [1.5, -0.1, float("nan"), "0.5"])
def test_power_strength_is_checked(value):
    with pytest.raises(ParameterError, match=r"^game\.power\.strength must be") as error:
        Power(strength=value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("key, value", [("levels", 3), ("levels", 0), ("rebalance", 0.5), ("rebalance", 0.0)])
def test_the_first_editions_ladder_keys_are_refused_in_one_line(key, value):
    """The ladder (levels) and its rebalance are not a limit of the second edition's power
    (issue 15): asking for them is an error that names the key and points to the stakes."""
    with pytest.raises(ParameterError) as error:
        Power(strength=0.5, **{key: value})
    message = str(error.value)
    assert message.startswith(f"game.power.{key} was removed in the second edition") and "\n" not in message
    assert "game.knowledge.levels" in message
    with pytest.raises(ParameterError, match=f"game.power.{key} was removed"):
        LearningGame().with_power(**{key: value})


@pytest.mark.parametrize("make, words", [
    (lambda: Knowledge(levels=-1), r"^game\.knowledge\.levels must be a whole number >= 0, got -1$"),
    (lambda: Knowledge(levels=2.5), r"^game\.knowledge\.levels must be a whole number >= 0, got 2\.5$"),
    (lambda: Knowledge(levels=True), r"^game\.knowledge\.levels must be a whole number >= 0, got True$"),
    (lambda: Knowledge(levels=2, pace=0.0), r"^game\.knowledge\.pace must be"),
    (lambda: Knowledge(levels=2, pace=1.5), r"^game\.knowledge\.pace must be"),
    (lambda: Ties(levels=-2), r"^game\.ties\.levels must be a whole number >= 0, got -2$"),
    (lambda: Ties(levels="3"), r"^game\.ties\.levels must be a whole number >= 0, got '3'$"),
    (lambda: LearningGame(knowledge=3), r"^game\.knowledge must be a Knowledge, got 3$"),
    (lambda: LearningGame(ties=2), r"^game\.ties must be a Ties, got 2$"),
])
def test_stakes_and_ties_are_checked_in_one_line(make, words):
    with pytest.raises(ParameterError, match=words) as error:
        make()
    assert "\n" not in str(error.value)


def test_bargaining_share_formula():
    """w1 = 1/2 + strength z / (2m), and w2 = 1 - w1 (Hamel 1991)."""
    for z in range(-3, 4):
        assert bargaining_share(z, 0.6, 3) == pytest.approx(0.5 + 0.6 * z / 6)
        assert bargaining_share(z, 0.6, 3) + bargaining_share(-z, 0.6, 3) == pytest.approx(1.0)
    assert bargaining_share(2, 0.6, 0) == 0.5  # m = 0: power off


def test_the_power_holder_earns_more_as_z_grows_only_where_value_is_created():
    """Second edition: power splits only the created value, which needs two gives
    that transfer (first edition: it split 2P + synergy, so it paid under every outcome)."""
    game = LearningGame(knowledge=Knowledge(levels=3)).with_power(strength=0.8)
    payoffs = [game.payoffs(1, 1, z=z)[0] for z in range(-3, 4)]
    assert payoffs == sorted(payoffs) and payoffs[0] < payoffs[-1]
    for moves in [(0, 0), (0, 1), (1, 0)]:
        assert len({game.payoffs(*moves, z=z) for z in range(-3, 4)}) == 1
    assert len({game.payoffs(1, 1, z=z, transfer_b=0) for z in range(-3, 4)}) == 1  # a tacit failure creates nothing
    # Stakes off: nobody depends more, the same game whatever z.
    assert LearningGame().with_power(strength=0.8).rstp(z=2) == (3.0, 0.0, 5.0, 1.0)


def test_receptivity_scales_learning_and_leak():
    game = LearningGame()
    # A taker who absorbs half earns P + (b + e)/2 from a giver; the giver leaks half as much.
    assert game.payoffs(0, 1, receptivity_a=0.5, receptivity_b=1.0) == pytest.approx((1 + 2.0, 1 - 0.5))


def test_a_synergy_too_small_would_make_the_race_premium_negative():
    """(4, 0, 4.5, 1): e = T - P - b with b = R - S - s, so e >= 0 needs s >= R + P - T - S = 0.5."""
    with pytest.raises(ParameterError, match=r"synergy=0.2 cannot give these payoffs; choose synergy in \[0.5, 4\]"):
        LearningGame.from_payoffs(4, 0, 4.5, 1, synergy=0.2)
    game = LearningGame.from_payoffs(4, 0, 4.5, 1, synergy=0.5)
    assert game.race_premium == 0.0 and game.rstp() == pytest.approx((4, 0, 4.5, 1))


def test_from_payoffs_solves_for_each_parameter():
    game = LearningGame.from_payoffs(4, -1, 6, 0.5, synergy=2.0)
    assert (game.status_quo, game.leak, game.learning_benefit, game.race_premium) == (0.5, 1.5, 3.0, 2.5)


def test_non_strict_games_are_built_only_when_asked():
    with pytest.raises(ParameterError, match="not a strict prisoner's dilemma: need 2R > T \\+ S, got 2R=6, T\\+S=6"):
        LearningGame.from_payoffs(3, 0, 6, 1)
    game = LearningGame.from_payoffs(3, 0, 6, 1, strict=False)
    assert game.rstp() == pytest.approx((3, 0, 6, 1)) and not game.is_prisoners_dilemma()
    with pytest.raises(ParameterError, match="need P >= S"):
        LearningGame.from_payoffs(3, 2, 5, 1, strict=False)


@pytest.mark.parametrize("value, words", [(float("inf"), "must be finite"), ("1", "must be a number"),
                                          (True, "must be a number")])
def test_parameters_must_be_finite_numbers(value, words):
    with pytest.raises(ParameterError, match=f"game.leak {words}"):
        LearningGame(leak=value)


def test_the_status_quo_may_be_negative_and_power_must_be_a_power():
    assert LearningGame(status_quo=-1.0).rstp() == (1.0, -2.0, 3.0, -1.0)
    with pytest.raises(ParameterError, match="game.power must be a Power"):
        LearningGame(power=0.5)


def test_power_needs_strength_and_stakes_to_shift_a_payoff():
    assert Power(strength=0.5).active and not Power().active
    assert not Knowledge().active and Knowledge(levels=1).active and not Ties().active and Ties(levels=1).active
    with_stakes = LearningGame(knowledge=Knowledge(levels=3))
    assert with_stakes.with_power(strength=0.5).rstp(z=2)[0] > with_stakes.rstp(z=2)[0] == 3.0
    assert LearningGame().with_power(strength=0.5).rstp(z=2) == (3.0, 0.0, 5.0, 1.0)  # stakes off: M = 0


def test_power_splits_the_created_value_only():
    """The holder's extra payoff is strength z / (2M) times the created value s (r_i + r_j)
    of two gives that transfer, and nothing otherwise; the two payoffs' sum never moves."""
    game = LearningGame(knowledge=Knowledge(levels=3)).with_power(strength=0.6)
    for moves, created in (((1, 1), 2.0), ((0, 1), 0.0), ((1, 0), 0.0), ((0, 0), 0.0)):
        for z in (-3, 1, 3):
            assert game.payoffs(*moves, z=z)[0] - game.payoffs(*moves)[0] == pytest.approx(0.6 * z / 6 * created)
            assert sum(game.payoffs(*moves, z=z)) == pytest.approx(sum(game.payoffs(*moves)))


def test_the_old_name_payoff_matrix_still_gives_rstp_with_a_warning():
    with pytest.warns(DeprecationWarning, match=r"LearningGame.payoff_matrix\(\) is deprecated; use LearningGame.rstp\(\)"):
        assert LearningGame().payoff_matrix() == (3.0, 0.0, 5.0, 1.0)


def test_from_payoffs_picks_a_feasible_synergy_and_says_which():
    """(10, 0, 11, 9) needs synergy in [8, 10]: without one given, 8 (nearest to 1), with a warning."""
    with pytest.warns(UserWarning, match=r"synergy=1 cannot give R=10, S=0, T=11, P=9; using synergy=8 \(feasible: \[8, 10\]\)"):
        game = LearningGame.from_payoffs(10, 0, 11, 9)
    assert game.synergy == 8.0 and game.rstp() == (10.0, 0.0, 11.0, 9.0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default synergy fits Axelrod's payoffs: no warning
        assert LearningGame.from_payoffs(3, 0, 5, 1).synergy == 1.0


@pytest.mark.parametrize("name, value", [("status_quo", 1e308), ("status_quo", -1e308), ("learning_benefit", 1e101),
                                         ("leak", 1e300), ("synergy", 1.5e100), ("race_premium", 1e200)])
def test_game_values_whose_payoffs_overflow_are_refused_by_name(name, value):
    with pytest.raises(ParameterError, match=rf"^game\.{name} must be within ±1e\+100 \(larger payoffs overflow"):
        LearningGame(**{name: value})


def test_the_largest_game_values_allowed_keep_every_score_finite():
    import numpy as np

    from learning_dilemma.games.learning import MAX_GAME_VALUE
    from learning_dilemma.strategies import Cooperator, Defector
    from learning_dilemma.tournament import Tournament

    game = LearningGame(status_quo=-MAX_GAME_VALUE, learning_benefit=MAX_GAME_VALUE, leak=MAX_GAME_VALUE,
                        synergy=MAX_GAME_VALUE, race_premium=MAX_GAME_VALUE)
    results = Tournament([Cooperator(), Defector()], game=game, turns=50, repetitions=3, seed=1).play()
    off_diagonal = ~np.eye(2, dtype=bool)  # no self-play: the diagonal is NaN
    assert np.isfinite(results.payoff_matrix[off_diagonal]).all()
    assert all(np.isfinite(row["payoff_spread"]) and np.isfinite(row["mean_payoff"]) for row in results.summary())


@pytest.mark.parametrize("payoffs, key", [((3e300, 0, 5e300, 1), "R"), ((3, -1e308, 5, 1), "S"),
                                          ((3, 0, 1e100, 1), "T"), ((3, 0, 5, -1e100), "P")])
def test_payoffs_that_overflow_are_refused_by_letter(payoffs, key):
    with pytest.raises(ParameterError, match=rf"^{key} must be within ±1e\+99"):
        LearningGame.from_payoffs(*payoffs)
