"""The moves (learning_dilemma.moves): GIVE and TAKE, and EXIT (second edition)."""

from __future__ import annotations

import pytest

from learning_dilemma import GIVE, TAKE, Move
from learning_dilemma.moves import EXIT


def test_a_move_is_its_own_give_indicator():
    assert int(GIVE) == 1 and int(TAKE) == 0
    assert Move(1) is GIVE and Move(0) is TAKE
    assert sum([GIVE, TAKE, GIVE]) == 2  # counting gives needs no conversion


def test_flip_and_letters():
    assert GIVE.flip() is TAKE and TAKE.flip() is GIVE
    assert (GIVE.letter, TAKE.letter, EXIT.letter) == ("G", "T", "X")
    assert f"{GIVE}{TAKE}{EXIT}" == "GTX"


def test_exit_is_a_third_move_with_no_opposite():
    """EXIT = 2 leaves the alliance (the loner of Hauert et al. 2002); it is not a give."""
    assert int(EXIT) == 2 and Move(2) is EXIT and Move.EXIT is EXIT
    assert [m == GIVE for m in (GIVE, TAKE, EXIT)] == [True, False, False]
    with pytest.raises(ValueError, match="EXIT has no opposite move"):
        EXIT.flip()


@pytest.mark.parametrize("letter, move", [("G", GIVE), ("g", GIVE), ("C", GIVE), ("T", TAKE), ("t", TAKE), ("D", TAKE),
                                          ("X", EXIT), ("x", EXIT)])
def test_from_letter_reads_our_letters_and_axelrods(letter, move):
    assert Move.from_letter(letter) is move


def test_from_letter_rejects_other_letters():
    with pytest.raises(ValueError, match="unknown move 'Z': expected G, T or X"):
        Move.from_letter("Z")
