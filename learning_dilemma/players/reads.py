"""Which fields of a match context a strategy's table reads.

A strategy compiles its automaton table from a
:class:`~learning_dilemma.players.automaton.MatchContext`: the game, the
continuation probability (the shadow of the future, Axelrod 1984) and, for a
fixed-length match, the number of turns. Two parts of the package need to know
which of these a table actually reads:

- the exact engine (:mod:`learning_dilemma.exact`) compiles a table that reads
  none of them once for a whole grid of continuation values and power
  strengths;
- the axelrod bridge (:mod:`learning_dilemma.axelrod.classifier`) reports
  axelrod's ``makes_use_of`` classifier (Knight et al. 2016): ``"game"`` for a
  table that reads the game, ``"length"`` for one that reads the continuation
  probability or the turns.

Both find out the same way, here: the table is compiled once with a
:class:`ReadTracking` context, which records every read of ``game``,
``continuation`` and ``turns``. The knowledge levels that size a table's views
(``levels``, ``positions``, ``own_stakes``, ``partner_stakes``) are not counted
as a read of the game: every table is built for its views, and a table that
reads nothing else is the same for every game with those levels and every match
length.

Examples
--------
>>> from learning_dilemma import LearningGame, MatchContext
>>> from learning_dilemma.strategies import GTFT, Calculative, TitForTat
>>> context = MatchContext(LearningGame(), 0.9)
>>> sorted(fields_read(TitForTat(), context))
[]
>>> sorted(fields_read(GTFT(), context))  # its generosity comes from the payoffs
['game']
>>> sorted(fields_read(Calculative(), context))
['continuation', 'game']
"""

from __future__ import annotations

from .automaton import AutomatonTable, MatchContext

__all__ = ["CONTEXT_FIELDS", "ReadTracking", "fields_read", "table_and_reads"]

#: The fields of a :class:`MatchContext` whose reads are recorded.
CONTEXT_FIELDS = ("game", "continuation", "turns")


class ReadTracking(MatchContext):
    """A match context that records which of :data:`CONTEXT_FIELDS` are read.

    Reads through the knowledge levels (``levels``, ``positions``,
    ``own_stakes``, ``partner_stakes``) are not recorded; reads through the deprecated ``shadow`` are recorded as
    ``continuation``.

    Attributes
    ----------
    reads : set of str
        The fields read so far.
    """

    def __init__(self, game, continuation, turns=None):
        super().__init__(game, continuation, turns)
        object.__setattr__(self, "reads", set())

    @classmethod
    def like(cls, context: MatchContext) -> "ReadTracking":
        """A tracking copy of ``context``."""
        return cls(context.game, context.continuation, context.turns)

    def __getattribute__(self, name):
        if name in CONTEXT_FIELDS:
            object.__getattribute__(self, "reads").add(name)
        return object.__getattribute__(self, name)

    @property
    def levels(self) -> int:
        return object.__getattribute__(self, "game").knowledge.levels


def table_and_reads(strategy, context: MatchContext) -> tuple[AutomatonTable, frozenset]:
    """The strategy's table in ``context`` and the context fields it read to build it.

    The table is built by ``strategy.table`` directly (not through the cache of
    ``strategy.compiled``), so every read happens.

    Returns
    -------
    table : AutomatonTable
    reads : frozenset of str
        A subset of :data:`CONTEXT_FIELDS`.
    """
    probe = ReadTracking.like(context)
    table = strategy.table(probe)
    return table, frozenset(probe.reads)


def fields_read(strategy, context: MatchContext) -> frozenset:
    """The fields of ``context`` (a subset of :data:`CONTEXT_FIELDS`) that the
    strategy's table reads."""
    return table_and_reads(strategy, context)[1]
