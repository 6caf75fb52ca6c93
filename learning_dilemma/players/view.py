"""What a strategy sees of its opponent: a read-only view.

The round-by-round engine hands each strategy an :class:`OpponentView` of the
other player, never the player itself. It serves what a strategy may read: the
opponent's ``history`` (a read-only sequence of its moves as the viewer saw
them: a give that failed to transfer looks like a take), ``label``,
``name``, ``parameters`` (a read-only mapping) and each parameter as an attribute
(``opponent.receptivity``), the class's ``family``, ``description``, ``source``,
``defaults`` and ``probabilities``, ``is_automaton``, and the match facts the
opponent also knows (``power`` from its side, ``max_power``, ``continuation``).
Setting or deleting an attribute, changing a parameter or the history raises a
one-line :class:`~learning_dilemma.errors.StrategyError` naming the strategy that
tried; reading anything else (its ``rng``, its methods, its internal state) is an
:class:`AttributeError` that says what may be read.

This keeps honest strategies honest (axelrod's tournament rules: a strategy may
not inspect or manipulate its opponent); it is not a sandbox against code set on
getting round it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import StrategyError

__all__ = ["OpponentView", "ReadOnlyHistory", "ReadOnlyMapping", "READABLE", "safe_label", "underlying"]

#: What a strategy may read of its opponent, besides each parameter by name.
READABLE = frozenset({
    "history", "label", "name", "parameters", "family", "description", "source", "defaults",
    "probabilities", "is_automaton", "power", "max_power", "continuation",
    "shadow",  # the deprecated name of continuation: still readable, with its warning
})
_MAPPINGS = frozenset({"parameters", "defaults"})


def safe_label(player) -> str:
    """A player's label for an error message, even if its ``label`` is broken."""
    try:
        return str(player.label)
    except Exception:  # noqa: BLE001 - a broken label must not hide the error being reported
        return type(player).__name__


def _refuse(view: "OpponentView", what: str):
    """The error for a strategy that tried to change its opponent."""
    viewer = object.__getattribute__(view, "_viewer")
    player = object.__getattribute__(view, "_player")
    reason = f"it may not change its opponent: {what} is refused (the opponent is read-only)"
    return StrategyError(
        f"strategy {safe_label(viewer)!r} may not change its opponent {safe_label(player)!r}: {what} is refused "
        "(the opponent is read-only)",
        reason,
    )


class ReadOnlyHistory(Sequence):
    """A read-only window on a player's list of moves (no copy is made).

    It indexes, slices (a slice is a new list), iterates, counts and compares
    equal to a list or tuple of the same moves; ``append``, ``extend``, item
    assignment and the other list mutators raise a :class:`StrategyError`.
    """

    __slots__ = ("_moves", "_view")

    def __init__(self, moves, view: "OpponentView"):
        self._moves = moves
        self._view = view

    def __len__(self) -> int:
        return len(self._moves)

    def __getitem__(self, index):
        return self._moves[index]

    def __iter__(self):
        return iter(self._moves)

    def __reversed__(self):
        return reversed(self._moves)

    def __contains__(self, move) -> bool:
        return move in self._moves

    def count(self, move) -> int:
        return self._moves.count(move)

    def index(self, move, *bounds) -> int:
        return self._moves.index(move, *bounds)

    def copy(self) -> list:
        """The moves as a new list."""
        return list(self._moves)

    def __array__(self, dtype=None, copy=None):
        return np.array(self._moves, dtype=dtype)

    def __eq__(self, other) -> bool:
        if isinstance(other, ReadOnlyHistory):
            other = other._moves
        if isinstance(other, (list, tuple)):
            return len(other) == len(self._moves) and all(a == b for a, b in zip(self._moves, other))
        return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def __add__(self, other) -> list:
        return list(self._moves) + list(other)

    def __radd__(self, other) -> list:
        return list(other) + list(self._moves)

    def __repr__(self) -> str:
        return repr(list(self._moves))

    def _mutate(self, name):
        def refused(*args, **kwargs):
            raise _refuse(self._view, f"changing its history ({name})")
        return refused

    def __getattr__(self, key):
        if key in ("append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"):
            return self._mutate(f"history.{key}")
        raise AttributeError(f"an opponent's history has no attribute {key!r}")

    def __setitem__(self, index, value):
        raise _refuse(self._view, "changing its history (history[...] = ...)")

    def __delitem__(self, index):
        raise _refuse(self._view, "changing its history (del history[...])")

    def __iadd__(self, other):
        raise _refuse(self._view, "changing its history (history += ...)")

    def __imul__(self, other):
        raise _refuse(self._view, "changing its history (history *= ...)")

    def __reduce__(self):
        return list, (list(self._moves),)


class ReadOnlyMapping(Mapping):
    """A read-only window on a dict (no copy is made); changing it raises a
    :class:`StrategyError`."""

    __slots__ = ("_items", "_view", "_name")

    def __init__(self, items: dict, view: "OpponentView", name: str):
        self._items, self._view, self._name = items, view, name

    def __getitem__(self, key):
        return _shielded(self._items[key], self._view)

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return repr(self._items)

    def copy(self) -> dict:
        """The items as a new dict."""
        return dict(self._items)

    def __setitem__(self, key, value):
        raise _refuse(self._view, f"setting its {self._name}[{key!r}]")

    def __delitem__(self, key):
        raise _refuse(self._view, f"deleting its {self._name}[{key!r}]")

    def __getattr__(self, key):
        if key in ("update", "pop", "popitem", "clear", "setdefault"):
            def refused(*args, **kwargs):
                raise _refuse(self._view, f"changing its {self._name} ({self._name}.{key})")
            return refused
        raise AttributeError(f"an opponent's {self._name} has no attribute {key!r}")


def _shielded(value, view: "OpponentView"):
    """A parameter value as a strategy may see it: a player inside another
    (a person acting for an organisation) is shown read-only too."""
    from .player import Player

    if isinstance(value, Player):
        return OpponentView(value, object.__getattribute__(view, "_viewer"))
    return value


class OpponentView:
    """A read-only view of ``player`` for the strategy ``viewer``.

    Parameters
    ----------
    player : Player
        The opponent.
    viewer : Player
        The strategy that sees it, named in the error when it tries to change
        the opponent.
    """

    __slots__ = ("_player", "_viewer", "_history", "_history_view")

    def __init__(self, player, viewer):
        object.__setattr__(self, "_player", player)
        object.__setattr__(self, "_viewer", viewer)
        object.__setattr__(self, "_history", None)
        object.__setattr__(self, "_history_view", None)

    @property
    def history(self):
        """The opponent's moves as the viewer saw them, prior rounds first
        (read-only): a give that failed to transfer was seen as a take."""
        moves = getattr(self._viewer, "observed", None)
        if moves is None:
            moves = self._player.history
        if moves is not self._history:
            if isinstance(moves, tuple):
                return moves
            object.__setattr__(self, "_history", moves)
            object.__setattr__(self, "_history_view", ReadOnlyHistory(moves, self))
        return self._history_view

    @property
    def label(self) -> str:
        return self._player.label

    @property
    def name(self) -> str:
        return self._player.name

    @property
    def parameters(self) -> ReadOnlyMapping:
        return ReadOnlyMapping(self._player.parameters, self, "parameters")

    def __getattr__(self, key):
        player = object.__getattribute__(self, "_player")
        if key in READABLE:
            value = getattr(player, key)
            return ReadOnlyMapping(value, self, key) if key in _MAPPINGS else value
        parameters = getattr(player, "parameters", None) or {}
        if key in parameters and not key.startswith("_"):
            return _shielded(parameters[key], self)
        raise AttributeError(
            f"strategy {safe_label(self._viewer)!r} may not read {key!r} of its opponent {safe_label(player)!r}: "
            "a strategy sees its opponent's history, label, name and parameters"
        )

    def __setattr__(self, key, value):
        raise _refuse(self, f"setting its {key!r}")

    def __delattr__(self, key):
        raise _refuse(self, f"deleting its {key!r}")

    def __repr__(self) -> str:
        return f"<read-only view of {safe_label(self._player)}>"

    def __eq__(self, other) -> bool:
        if isinstance(other, OpponentView):
            other = other._player
        return self._player == other

    def __hash__(self) -> int:
        return hash(self._player)

    def __copy__(self):
        return self  # read-only: a copy may as well be the view itself

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return OpponentView, (self._player, self._viewer)


def underlying(opponent):
    """The player behind an opponent view (a player is returned as it is).

    For the engine and the axelrod bridge only: two axelrod strategies meet as
    in axelrod, each seeing the other's axelrod player.
    """
    if isinstance(opponent, OpponentView):
        return object.__getattribute__(opponent, "_player")
    return opponent
