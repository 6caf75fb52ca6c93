"""axelrod's own contract, ``TestPlayer`` (axelrod/tests/strategies/test_player.py),
run on every strategy we export to axelrod (issue 14).

Each exported class gets a subclass of axelrod's ``TestPlayer`` declaring its
name, class and classifier, as axelrod's own strategy tests do; pytest collects
them as unittest cases. axelrod's checks draw opponents, seeds and noise with
hypothesis (in the test extra).
"""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")
axl = pytest.importorskip("axelrod")

from axelrod.tests.strategies.test_player import TestPlayer  # noqa: E402

from learning_dilemma.axelrod.players import READY_MADE  # noqa: E402


def _contract(cls) -> type:
    player = cls()
    classifier = {key: value for key, value in player.classifier.items()}
    return type(f"TestAxelrodContract{cls.__name__}", (TestPlayer,), {
        "__module__": __name__,
        "name": str(player),
        "player": cls,
        "expected_classifier": classifier,
        "__test__": True,
    })


for _cls in READY_MADE.values():
    _case = _contract(_cls)
    globals()[_case.__name__] = _case


# axelrod's own tests of the namesakes of our classic strategies, with our exported
# class in place of axelrod's (only the name differs: ours carry the "ld:" prefix).
NAMESAKES = {
    "Cooperator": ("test_cooperator", "TestCooperator"),
    "Defector": ("test_defector", "TestDefector"),
    "TitForTat": ("test_titfortat", "TestTitForTat"),
    "TitForTwoTats": ("test_titfortat", "TestTitFor2Tats"),
    "SuspiciousTitForTat": ("test_titfortat", "TestSuspiciousTitForTat"),
    "HardTitForTat": ("test_titfortat", "TestHardTitForTat"),
    "Grudger": ("test_grudger", "TestGrudger"),
    "WinStayLoseShift": ("test_memoryone", "TestWinStayLoseShift"),
    "GTFT": ("test_memoryone", "TestGTFT"),
    "RandomPlayer": ("test_rand", "TestRandom"),
    "Alternator": ("test_alternator", "TestAlternator"),
    "ZDExtort2": ("test_zero_determinant", "TestZDExtort2"),
}


def _namesake(cls) -> type | None:
    import importlib

    where = NAMESAKES.get(cls.strategy_class.__name__)
    if where is None:
        return None
    base = getattr(importlib.import_module(f"axelrod.tests.strategies.{where[0]}"), where[1])
    return type(f"TestAxelrodNamesake{cls.__name__}", (base,), {
        "__module__": __name__, "player": cls, "name": str(cls()), "__test__": True,
    })


for _cls in READY_MADE.values():
    _case = _namesake(_cls)
    if _case is not None:
        globals()[_case.__name__] = _case


def test_every_classic_namesake_is_checked_by_axelrods_own_test():
    checked = {name for name in globals() if name.startswith("TestAxelrodNamesake")}
    assert len(checked) == len(NAMESAKES)


# Strategies that leave the alliance: inside axelrod they play D for the rest of
# the match (learning_dilemma/axelrod/players.py). axelrod's contract (clone,
# reset, pickling, reproducible play, memory-depth claims) must hold with the exit
# state too: a deterministic exit (grudger-like) and a random one.
from learning_dilemma.axelrod.players import AutomatonPlayer  # noqa: E402
from learning_dilemma.players.automaton import table  # noqa: E402
from learning_dilemma.players.player import Automaton  # noqa: E402
from leaving import WalksOut  # noqa: E402


class MayLeave(Automaton):
    """Gives, probing with a take one round in five, and leaves with probability 0.1 a round."""

    name = "May Leave"

    def table(self, context):
        return table(context, [0.8], [[[0, 0], [0, 0]]], 0, ("only",), leave=[0.1])


class WalksOutPlayer(AutomatonPlayer):
    name = "ld:Walks Out"

    def __init__(self):
        super().__init__(WalksOut())


class MayLeavePlayer(AutomatonPlayer):
    name = "ld:May Leave"

    def __init__(self):
        super().__init__(MayLeave())


class TestAxelrodContractWalksOut(TestPlayer):
    __test__ = True
    name = "ld:Walks Out"
    player = WalksOutPlayer
    expected_classifier = {"memory_depth": float("inf"), "stochastic": False, "makes_use_of": set(),
                           "long_run_time": False, "inspects_source": False, "manipulates_source": False,
                           "manipulates_state": False}

    def test_strategy(self):
        self.versus_test(axl.Alternator(), expected_actions=[
            (axl.Action.C, axl.Action.C), (axl.Action.C, axl.Action.D), (axl.Action.D, axl.Action.C),
            (axl.Action.D, axl.Action.D), (axl.Action.D, axl.Action.C)])


class TestAxelrodContractMayLeave(TestPlayer):
    __test__ = True
    name = "ld:May Leave"
    player = MayLeavePlayer
    expected_classifier = {"memory_depth": float("inf"), "stochastic": True, "makes_use_of": set(),
                           "long_run_time": False, "inspects_source": False, "manipulates_source": False,
                           "manipulates_state": False}


del TestPlayer  # collected only through the subclasses
