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

Importing this package never imports axelrod, matplotlib or dask; the axelrod
bridge lives in :mod:`learning_dilemma.axelrod` and loads axelrod when imported.
"""

from .automaton import AutomatonTable, MatchContext
from .errors import ParameterError
from .game import LearningGame, Power
from .match import Match, MatchBatch, MatchResult
from .moves import GIVE, TAKE, Move
from .player import Automaton, Player

__version__ = "0.1.0"

__all__ = [
    "Automaton", "AutomatonTable", "GIVE", "LearningGame", "Match", "MatchBatch", "MatchContext",
    "MatchResult", "Move", "ParameterError", "Player", "Power", "TAKE", "__version__",
]
