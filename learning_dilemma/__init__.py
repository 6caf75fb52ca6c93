"""learning-dilemma: the interorganisational learning dilemma as iterated games.

Organisations in an alliance each round GIVE (share knowledge) or TAKE (absorb
without sharing): the interorganisational learning dilemma of Larsson,
Bengtsson, Henriksson & Sparks (1998), with power dynamics after Hamel (1991)
and the shadow of the future after Axelrod (1984).

>>> from learning_dilemma import LearningGame, Match
>>> from learning_dilemma.strategies import ContractualReciprocator, Opportunist
>>> result = Match(ContractualReciprocator(), Opportunist(), turns=10, seed=1).play()
>>> result.transcript()
'GT TT TT TT TT TT TT TT TT TT'
>>> result.totals
(9.0, 14.0)

The package is layered (``docs/architecture.md``): the game and its mechanisms
(:mod:`.games`), players and strategies (:mod:`.players`, :mod:`.strategies`),
the simulation engine (:mod:`.engine`), the exact engine (:mod:`.exact`),
matches and tournaments, evolutionary dynamics (:mod:`.dynamics`), input and
output (:mod:`.io`), experiments (:mod:`.experiments`), the command line and
the classroom. The names below are the public entry points.

Importing this package never imports axelrod, matplotlib or dask: the exact
engine, the dynamics and the scenario reader load on first use, and the axelrod
bridge lives in :mod:`learning_dilemma.axelrod`.
"""

from . import _compat
from ._version import __version__
from .errors import ParameterError
from .games import LearningGame, Power
from .match import Match, MatchBatch, MatchResult
from .moves import GIVE, TAKE, Move
from .players import Automaton, AutomatonTable, MatchContext, Player

_compat.install()

# Entry points loaded when first used: the heavier ones need scipy, and even the
# tournament is left out of a bare import so that start-up stays short.
_LAZY = {
    "Tournament": "learning_dilemma.tournament",
    "TournamentResults": "learning_dilemma.results",
    "Scenario": "learning_dilemma.io.scenarios",
    "load_scenario": "learning_dilemma.io.scenarios",
    "expected_payoffs": "learning_dilemma.exact",
    "roster_payoffs": "learning_dilemma.exact",
    "critical_continuation": "learning_dilemma.exact",
    "evolve": "learning_dilemma.dynamics",
    "replicator": "learning_dilemma.dynamics",
    "fixation_probabilities": "learning_dilemma.dynamics",
    "Sweep": "learning_dilemma.experiments.sweep",
    "build_report": "learning_dilemma.experiments.report",
}

__all__ = [
    "Automaton", "AutomatonTable", "GIVE", "LearningGame", "Match", "MatchBatch", "MatchContext",
    "MatchResult", "Move", "ParameterError", "Player", "Power", "TAKE", "__version__", *sorted(_LAZY),
]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    return _compat.moved_name(__name__, name)  # first-edition names, with a warning


def __dir__():
    return sorted(set(globals()) | set(__all__))
