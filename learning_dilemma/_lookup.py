"""Finding a strategy by name: the one lookup that our registry and the
axelrod bridge share.

A name matches a class's display name or its class name, in any case and
spacing (``"Tit For Tat"``, ``"tit-for-tat"``, ``"TitForTat"``). An unknown
name is a one-line :class:`~learning_dilemma.errors.ParameterError` with the
closest known names suggested.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable

from .errors import ParameterError

__all__ = ["NameIndex", "name_key", "split_prefix"]


def name_key(name: str) -> str:
    """The form names are compared in: lower case letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def split_prefix(name: str, prefix: str) -> str | None:
    """``name`` without ``prefix`` (any case, trimmed), or ``None`` if it lacks it."""
    if name.lower().startswith(prefix.lower()):
        return name[len(prefix):].strip()
    return None


class NameIndex:
    """Classes with a ``name`` attribute, found by display or class name.

    Parameters
    ----------
    classes : iterable of type
    what : str
        What the classes are, for messages (``"strategy"``, ``"axelrod strategy"``).
    listed_by : str
        Where the user finds every name, said when nothing is close.
    suggestions : int
        How many close names to suggest at most.
    cutoff : float
        How close a name must be to be suggested (:func:`difflib.get_close_matches`).
    always_list : bool
        Say where every name is listed even when close names are suggested.
    fold_case : bool
        Compare case-folded names when suggesting.
    """

    def __init__(self, classes: Iterable[type], what: str, listed_by: str, suggestions: int = 3,
                 cutoff: float = 0.5, always_list: bool = True, fold_case: bool = False):
        self.classes = list(classes)
        self.what = what
        self.listed_by = listed_by
        self.suggestions = suggestions
        self.cutoff = cutoff
        self.always_list = always_list
        self.fold_case = fold_case
        self._index = {}
        for cls in self.classes:
            self._index.setdefault(name_key(cls.name), cls)
            self._index.setdefault(name_key(cls.__name__), cls)

    def find(self, name: str) -> type:
        """The class called ``name``, or a one-line error suggesting close names."""
        try:
            return self._index[name_key(name)]
        except KeyError:
            pass
        fold = str.lower if self.fold_case else str
        names = {fold(cls.name): cls.name for cls in self.classes}
        close = difflib.get_close_matches(fold(name), list(names), n=self.suggestions, cutoff=self.cutoff)
        message = f"unknown {self.what} {name!r}"
        if close:
            message += f"; did you mean {' or '.join(repr(names[c]) for c in close)}?"
        if not close or self.always_list:
            message += f" ({self.listed_by})"
        raise ParameterError(message)
