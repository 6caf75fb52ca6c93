"""The strategy library, one module per family, and lookup by name.

Families: ``organisational`` (the organisation as a calculating actor),
``larsson`` (Larsson et al.'s five learning strategies), ``interpersonal``
(people in knowledge-sharing networks), ``multilevel`` (a person acting for an
organisation) and ``classic`` (textbook iterated prisoner's dilemma strategies).
"""

from __future__ import annotations

import importlib

from .._lookup import NameIndex, split_prefix
from ..errors import ParameterError
from ..players.player import Player
from .classic import (
    GTFT,
    Alternator,
    Cooperator,
    Defector,
    Grudger,
    HardTitForTat,
    MemoryOne,
    RandomPlayer,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
    ZDExtort2,
    ZeroDeterminant,
)
from .interpersonal import Expert, ForgivingColleague, KnowHowTrader, Peer, TrustBuilder
from .larsson import Accommodation, Avoidance, Collaboration, Competition, Compromise
from .multilevel import BoundarySpanner, ChineseWall, MetaIdentity
from .organisational import Calculative, ContractualReciprocator, HabitualAvoidance, Opportunist, RaceToLearn

# The library in listing order; each class's ``family`` attribute says where it belongs.
ALL_STRATEGIES = [
    Opportunist, RaceToLearn, Calculative, ContractualReciprocator, HabitualAvoidance,
    Collaboration, Competition, Compromise, Accommodation, Avoidance,
    TrustBuilder, Peer, Expert, KnowHowTrader, ForgivingColleague,
    BoundarySpanner, ChineseWall, MetaIdentity,
    Cooperator, Defector, TitForTat, Grudger, TitForTwoTats, WinStayLoseShift, GTFT,
    RandomPlayer, SuspiciousTitForTat, Alternator, HardTitForTat, ZDExtort2, MemoryOne, ZeroDeterminant,
]
FAMILIES = tuple(dict.fromkeys(cls.family for cls in ALL_STRATEGIES))
# The library without its deprecated aliases (which warn when made): what rosters and
# pages built from "the library" use; the aliases stay in ALL_STRATEGIES for old scripts.
CURRENT_STRATEGIES = [cls for cls in ALL_STRATEGIES if not getattr(cls, "deprecated", False)]


def family(name: str) -> list[type[Player]]:
    """The strategies of one family, in listing order."""
    return [cls for cls in ALL_STRATEGIES if cls.family == name]


ORGANISATIONAL, LARSSON, INTERPERSONAL, MULTILEVEL, CLASSIC = (family(name) for name in FAMILIES)


_NAMES = NameIndex(ALL_STRATEGIES, "strategy", "`learning-dilemma strategies` lists them")

# Prefixes that take a strategy from elsewhere, and the function (module:name,
# imported only when such a name is used) that makes it. A plug-in point rather
# than an import, so the strategies never import the bridge that imports them.
AXELROD_PREFIX = "axelrod:"
PREFIXES = {AXELROD_PREFIX: "learning_dilemma.axelrod:from_axelrod"}


def strategy_class(name: str) -> type[Player]:
    """The strategy class called ``name`` (its display or class name, any case).

    Raises
    ------
    ParameterError
        For an unknown name, with the closest known names suggested.
    """
    return _NAMES.find(name)


def make_strategy(name: str, /, **parameters) -> Player:
    """A player of the strategy called ``name`` with the given parameters.

    Names of the form ``axelrod:Tit For Tat`` take the strategy from axelrod
    through :func:`learning_dilemma.axelrod.from_axelrod` (importing axelrod
    only then); :data:`PREFIXES` lists every such prefix.
    """
    for prefix, target in PREFIXES.items():
        rest = split_prefix(name, prefix)
        if rest is not None:
            module, _, function = target.partition(":")
            return getattr(importlib.import_module(module), function)(rest, **parameters)
    return strategy_class(name)(**parameters)


__all__ = [cls.__name__ for cls in ALL_STRATEGIES] + [
    "ALL_STRATEGIES", "AXELROD_PREFIX", "CLASSIC", "CURRENT_STRATEGIES", "FAMILIES", "INTERPERSONAL", "LARSSON", "MULTILEVEL",
    "ORGANISATIONAL", "PREFIXES", "family", "make_strategy", "strategy_class",
]
