"""Players: the imperative :class:`Player` base class, the :class:`Automaton`
form every built-in strategy takes, and the tables the engines read."""

from .automaton import AutomatonTable, MatchContext
from .player import COMMON_DEFAULTS, Automaton, Player, fresh

__all__ = ["COMMON_DEFAULTS", "Automaton", "AutomatonTable", "MatchContext", "Player", "fresh"]
