"""The two moves of the learning dilemma.

Each round an organisation either GIVES (is transparent: shares its knowledge) or
TAKES (absorbs what the partner shares and shares nothing), after Larsson,
Bengtsson, Henriksson & Sparks (1998) and Hamel (1991). GIVE corresponds to
axelrod's C (cooperate), TAKE to D (defect).
"""

from enum import IntEnum

__all__ = ["GIVE", "Move", "TAKE"]


class Move(IntEnum):
    """A move. ``int(Move.GIVE) == 1`` so a move is its own give indicator."""

    TAKE = 0
    GIVE = 1

    def flip(self) -> "Move":
        """The other move."""
        return Move(1 - self)

    @property
    def letter(self) -> str:
        """``"G"`` or ``"T"``, as used in compact match transcripts."""
        return "G" if self is Move.GIVE else "T"

    def __str__(self) -> str:
        return self.letter

    @classmethod
    def from_letter(cls, letter: str) -> "Move":
        """Parse ``G``/``T`` (also axelrod's ``C``/``D``)."""
        try:
            return {"G": cls.GIVE, "C": cls.GIVE, "T": cls.TAKE, "D": cls.TAKE}[letter.upper()]
        except KeyError:
            raise ValueError(f"unknown move {letter!r}: expected G or T") from None


GIVE = Move.GIVE
TAKE = Move.TAKE
