"""The strategy library, one module per family, and lookup by name.

Families: ``organisational`` (the organisation as a calculating actor),
``larsson`` (Larsson et al.'s five learning strategies), ``interpersonal``
(people in knowledge-sharing networks), ``multilevel`` (a person acting for an
organisation) and ``classic`` (textbook iterated prisoner's dilemma strategies).
"""

from __future__ import annotations

import difflib
import re

from ..errors import ParameterError
from ..player import Player
from .classic import (
    GTFT,
    Alternator,
    Cooperator,
    Defector,
    Grudger,
    HardTitForTat,
    RandomPlayer,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
    ZDExtort2,
)
from .interpersonal import Expert, ForgivingColleague, KnowHowTrader, Peer, TrustBuilder
from .larsson import Accommodation, Avoidance, Collaboration, Competition, Compromise
from .multilevel import BoundarySpanner, ChineseWall, MetaIdentity
from .organisational import Calculative, ContractualReciprocator, HabitualAvoidance, Opportunist, RaceToLearn

ORGANISATIONAL = [Opportunist, RaceToLearn, Calculative, ContractualReciprocator, HabitualAvoidance]
LARSSON = [Collaboration, Competition, Compromise, Accommodation, Avoidance]
INTERPERSONAL = [TrustBuilder, Peer, Expert, KnowHowTrader, ForgivingColleague]
MULTILEVEL = [BoundarySpanner, ChineseWall, MetaIdentity]
CLASSIC = [
    Cooperator, Defector, TitForTat, Grudger, TitForTwoTats, WinStayLoseShift, GTFT,
    RandomPlayer, SuspiciousTitForTat, Alternator, HardTitForTat, ZDExtort2,
]
ALL_STRATEGIES = ORGANISATIONAL + LARSSON + INTERPERSONAL + MULTILEVEL + CLASSIC
FAMILIES = ("organisational", "larsson", "interpersonal", "multilevel", "classic")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _index() -> dict[str, type[Player]]:
    index = {}
    for cls in ALL_STRATEGIES:
        index[_key(cls.name)] = cls
        index[_key(cls.__name__)] = cls
    return index


_INDEX = _index()


def strategy_class(name: str) -> type[Player]:
    """The strategy class called ``name`` (its display or class name, any case).

    Raises
    ------
    ParameterError
        For an unknown name, with the closest known names suggested.
    """
    try:
        return _INDEX[_key(name)]
    except KeyError:
        names = [cls.name for cls in ALL_STRATEGIES]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ParameterError(
            f"unknown strategy {name!r}{hint} (`learning-dilemma strategies` lists them)"
        ) from None


AXELROD_PREFIX = "axelrod:"


def make_strategy(name: str, /, **parameters) -> Player:
    """A player of the strategy called ``name`` with the given parameters.

    Names of the form ``axelrod:Tit For Tat`` take the strategy from axelrod
    through :func:`learning_dilemma.axelrod.from_axelrod` (importing axelrod
    only then).
    """
    if name.lower().startswith(AXELROD_PREFIX):
        from ..axelrod import from_axelrod

        return from_axelrod(name[len(AXELROD_PREFIX):].strip(), **parameters)
    return strategy_class(name)(**parameters)


__all__ = [cls.__name__ for cls in ALL_STRATEGIES] + [
    "ALL_STRATEGIES", "FAMILIES", "strategy_class", "make_strategy",
]
