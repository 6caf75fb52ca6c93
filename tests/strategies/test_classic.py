"""Classic strategies pinned to their textbook definitions."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, MatchContext
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge
from learning_dilemma.strategies import (
    GTFT,
    Alternator,
    Cooperator,
    Defector,
    Grudger,
    HardTitForTat,
    MemoryOne,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
    ZDExtort2,
    ZeroDeterminant,
)

from scripted import moves

CONTEXT = MatchContext(LearningGame(), 0.9)


@pytest.mark.parametrize(
    "player, script, expected",
    [
        (Cooperator(), "TTG", "GGG"),
        (Defector(), "GGG", "TTT"),
        (TitForTat(), "GTTG", "GGTT"),
        (SuspiciousTitForTat(), "GGT", "TGG"),
        (Grudger(), "GTGGG", "GGTTT"),
        (TitForTwoTats(), "TGTTGG", "GGGGTG"),
        (HardTitForTat(), "TGGGG", "GTTTG"),
        (WinStayLoseShift(), "GTTGG", "GGTGG"),
        (Alternator(), "GGGG", "GTGT"),
    ],
)
def test_moves(player, script, expected):
    assert moves(player, script) == expected


def test_alternator_plays_the_opposite_of_its_own_last_move():
    table = Alternator().compiled(CONTEXT)
    assert table.next_state[0, 0, 1] == 0 and table.next_state[0, 1, 0] == 1  # own move decides


def test_gtft_default_generosity_is_one_third_with_classic_payoffs():
    table = GTFT().compiled(CONTEXT)
    assert table.give[:, 0].tolist() == pytest.approx([1.0, 1.0, 1 / 3])


def test_zd_extort_two_four_vector():
    table = ZDExtort2().compiled(CONTEXT)
    assert table.give[1:, 0].tolist() == pytest.approx([8 / 9, 1 / 2, 1 / 3, 0.0])


def test_gtft_generosity_follows_the_game():
    """p = min(1 - (T-R)/(R-S), (R-P)/(T-P)) (Nowak & Sigmund 1992): (4, 0, 6, 1) gives min(1/2, 3/5)."""
    game = LearningGame.from_payoffs(4, 0, 6, 1)
    assert GTFT().compiled(MatchContext(game, 0.9)).give[2, 0] == pytest.approx(0.5)
    assert GTFT(p=0.2).compiled(CONTEXT).give[2].tolist() == [0.2]  # one view with stakes off
    with_stakes = MatchContext(LearningGame(knowledge=Knowledge(levels=2)), 0.9)
    assert GTFT(p=0.2).compiled(with_stakes).give[2].tolist() == [0.2] * 9  # (M + 1)^2 views


def test_classic_parameters_are_checked():
    from learning_dilemma.errors import ParameterError

    with pytest.raises(ParameterError, match="GTFT: p must be in"):
        GTFT(p=1.5)
    with pytest.raises(ParameterError, match="ZD-Extort-2\\(phi=1\\): phi and s give probabilities outside"):
        ZDExtort2(phi=1.0).compiled(CONTEXT)


def test_win_stay_lose_shift_is_pavlov():
    """Memory-one vector (p_GG, p_GT, p_TG, p_TT) = (1, 0, 0, 1) (Nowak & Sigmund 1993)."""
    assert WinStayLoseShift().compiled(CONTEXT).give[:, 0].tolist() == [1, 1, 0, 0, 1]


def test_hard_tit_for_tat_remembers_three_rounds():
    assert moves(HardTitForTat(), "TGGGGG") == "GTTTGG"
    assert moves(HardTitForTat(), "GTGTGGGG") == "GGTTTTTG"


def test_memory_one_takes_its_four_vector_and_first_move():
    table = MemoryOne(0.9, 0.1, 0.8, 0.2, first=0.5).compiled(CONTEXT)
    assert table.give[:, 0].tolist() == [0.5, 0.9, 0.1, 0.8, 0.2]
    assert moves(MemoryOne(1, 0, 1, 0), "GTTG", ) == moves(TitForTat(), "GTTG")
    with pytest.raises(ParameterError, match="Memory One: p_gt must be in"):
        MemoryOne(1, 1.5, 0, 0)


def test_zero_determinant_constructors_reproduce_axelrods_vectors_and_check_phi():
    game = LearningGame()
    assert ZeroDeterminant.extortionate(2).four_vector(game) == pytest.approx((8 / 9, 1 / 2, 1 / 3, 0))  # ZD-Extort-2
    assert ZeroDeterminant.extortionate(2).compiled(CONTEXT).give.tolist() == ZDExtort2().compiled(CONTEXT).give.tolist()
    assert ZeroDeterminant.generous(2, phi=0.25).four_vector(game) == pytest.approx((1, 1 / 8, 1, 1 / 4))  # ZD-GTFT-2
    with pytest.raises(ParameterError, match=r"phi must be in \(0, 0.222222\] for this game \(l=1, s=0.5\), got 0.5"):
        ZeroDeterminant.extortionate(2, phi=0.5).compiled(CONTEXT)
    with pytest.raises(ParameterError, match="chi .the extortion factor. must be a number >= 1"):
        ZeroDeterminant.extortionate(0.5)
    with pytest.raises(ParameterError, match="equalizer's baseline must lie in"):
        ZeroDeterminant.equalizer(4.0).compiled(CONTEXT)


@pytest.mark.parametrize("make, relation", [
    (lambda: ZeroDeterminant.extortionate(3), lambda x, y: (x - 1) - 3 * (y - 1)),       # pi_X - P = chi (pi_Y - P)
    (lambda: ZeroDeterminant.generous(2, phi=0.1), lambda x, y: (x - 3) - 2 * (y - 3)),  # pi_X - R = chi (pi_Y - R)
    (lambda: ZeroDeterminant.equalizer(2.0), lambda x, y: y - 2.0),                    # pi_Y = l
])
def test_zero_determinant_strategies_enforce_their_relation_exactly(make, relation):
    """Press & Dyson (2012): the relation holds against any memory-one opponent,
    in the exact engine's limit of means, to 1e-12."""
    from learning_dilemma.exact import limit_of_means

    rng = np.random.default_rng(2012)
    for _ in range(20):
        opponent = MemoryOne(*rng.uniform(0.02, 0.98, 4), first=float(rng.uniform()))
        expected = limit_of_means(make(), opponent, LearningGame())
        x, y = expected.per_round
        assert abs(relation(x, y)) < 1e-12


def test_gtft_generosity_stays_a_probability_outside_the_dilemma():
    """At a low competitive overlap T < R (no dilemma): axelrod's formula would give a
    generosity above 1; it is clipped to [0, 1] (full forgiveness where taking does not tempt)."""
    from learning_dilemma.games import LearningGame

    for overlap in (0.0, 0.2, 1 / 3):
        game = LearningGame(overlap=overlap)
        R, S, T, P = game.rstp()
        assert T <= R  # no temptation left
        assert GTFT().compiled(MatchContext(game, 0.9)).give[2, 0] == 1.0
    R, S, T, P = LearningGame(overlap=0.5).rstp()
    expected = min(1 - (T - R) / (R - S), (R - P) / (T - P))
    assert 0 < expected < 1
    assert GTFT().compiled(MatchContext(LearningGame(overlap=0.5), 0.9)).give[2, 0] == pytest.approx(expected)
