"""Classic strategies pinned to their textbook definitions."""

from __future__ import annotations

import pytest

from learning_dilemma import LearningGame, MatchContext
from learning_dilemma.strategies import (
    GTFT,
    Alternator,
    Cooperator,
    Defector,
    Grudger,
    HardTitForTat,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
    ZDExtort2,
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
    assert GTFT(p=0.2).compiled(CONTEXT).give[2].tolist() == [0.2] * 7


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
