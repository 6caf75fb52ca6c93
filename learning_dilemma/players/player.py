"""Players: the base class for imperative strategies and for automata.

A strategy is written the way axelrod authors write one: subclass
:class:`Player` and implement ``strategy(self, opponent)``, returning a
:class:`~learning_dilemma.moves.Move` or a probability of giving (the engine
draws it from the match's seeded stream, so the result is reproducible). During
a match a player sees its own ``history`` (its moves as played), the opponent's
``history`` (the opponent's moves as this player saw them: a give of tacit
knowledge that failed to transfer looks like a take), its own knowledge
``stakes`` and the partner's ``partner_stakes`` (what each still has to learn),
the power position ``power = partner_stakes - stakes`` (positive when it holds
power), ``max_power`` (the knowledge levels ``M``) and ``continuation``; ``rng`` is
a numpy Generator seeded from the match seed for any extra randomness it needs.
Returning :data:`~learning_dilemma.moves.Move.EXIT` leaves the alliance.

Built-in strategies are :class:`Automaton` subclasses: they describe themselves as
a finite-state table (:mod:`.automaton`), which lets the engine vectorise them and
:mod:`learning_dilemma.exact` solve them exactly, and they still play through ``strategy``.
"""

from __future__ import annotations

import copy
from typing import ClassVar

import numpy as np

from .automaton import AutomatonTable, MatchContext, view_index
from ..errors import ParameterError
from ..limits import ResourceLimitError, check
from .._validation import check_probability
from .._compat import deprecated_alias
from ..moves import Move

__all__ = ["Automaton", "COMMON_DEFAULTS", "fresh", "Player"]

COMMON_DEFAULTS = {"receptivity": 1.0, "tacitness": 0.0}


class Player:
    """Base class of all strategies.

    Parameters
    ----------
    receptivity : float
        Absorptive capacity in [0, 1] (Larsson et al. 1998, after Hamel 1991):
        the share of the partner's knowledge this organisation can absorb.
    tacitness : float
        Probability in [0, 1] that a GIVE fails to transfer (with ties off;
        strong ties lower it: :mod:`learning_dilemma.games.knowledge`):
        knowledge too tacit to be made transparent (Larsson et al. 1998). A
        give that fails is still a give to its giver (recorded and paid as one);
        the partner sees a take and learns nothing.
    **parameters
        Strategy-specific parameters, declared in the class's ``defaults``.

    Class attributes
    ----------------
    name : str
        Display name; parameters that differ from the defaults are appended.
    family : str
        ``organisational``, ``larsson``, ``interpersonal``, ``multilevel``,
        ``classic`` or ``custom``.
    description, source : str
        One line each, shown by ``learning-dilemma strategies``.
    defaults : dict
        Parameters and their default values.
    probabilities : tuple of str
        Parameters that must lie in [0, 1].
    """

    name: ClassVar[str] = "Player"
    family: ClassVar[str] = "custom"
    description: ClassVar[str] = ""
    source: ClassVar[str] = ""
    defaults: ClassVar[dict] = {}
    probabilities: ClassVar[tuple] = ()

    shadow = deprecated_alias("shadow", "continuation")

    def __init__(self, **parameters):
        merged = {**COMMON_DEFAULTS, **self.defaults}
        unknown = sorted(set(parameters) - set(merged))
        if unknown:
            known = ", ".join(sorted(merged))
            raise ParameterError(f"{self.name}: unknown parameter {unknown[0]!r} (known: {known})")
        merged.update(parameters)
        for key in ("receptivity", "tacitness", *self.probabilities):
            merged[key] = check_probability(f"{self.name}: {key}", merged[key])
        self.parameters = merged
        self.validate()
        self.history: list[Move] = []
        self.observed: list[Move] = []
        self.power = 0
        self.max_power = 0
        self.stakes = 0
        self.partner_stakes = 0
        self.continuation = 0.0
        self.rng = np.random.default_rng(0)

    def validate(self) -> None:
        """Check strategy-specific parameters; raise :class:`ParameterError`."""

    def require_whole(self, key: str, minimum: int, sizes_table: bool = False) -> None:
        """Check that parameter ``key`` is a whole number of at least ``minimum``.

        ``sizes_table``: the parameter sets the number of states of the
        strategy's table, so it is also held to the ``chain_states`` resource
        limit before any table is built (:mod:`learning_dilemma.limits`).
        """
        value = self.parameters[key]
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
            raise ParameterError(f"{self.name}: {key} must be a whole number >= {minimum}, got {value!r}")
        if sizes_table:
            check("chain_states", value, f"{self.name}: {key}={value}")

    def __getattr__(self, key):
        # Parameters read as attributes: ``player.receptivity``.
        parameters = self.__dict__.get("parameters")
        if parameters is not None and key in parameters:
            return parameters[key]
        raise AttributeError(f"{type(self).__name__!s} has no attribute {key!r}")

    @property
    def label(self) -> str:
        """The name with every non-default parameter, e.g. ``Peer(tolerance=2)``,
        unless a display label was set with :meth:`labelled`."""
        custom = self.__dict__.get("custom_label")
        if custom is not None:
            return custom
        merged = {**COMMON_DEFAULTS, **self.defaults}
        changed = [f"{k}={_format(v)}" for k, v in self.parameters.items() if merged.get(k) != v]
        return f"{self.name}({', '.join(changed)})" if changed else self.name

    def __repr__(self) -> str:
        return self.label

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.parameters == other.parameters

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(self.parameters.items()))))

    # --- the match protocol -------------------------------------------------
    def strategy(self, opponent: "Player") -> Move | float:
        """The next move, or the probability of giving."""
        raise NotImplementedError(f"{type(self).__name__} must implement strategy(self, opponent)")

    def begin(self, context: MatchContext, rng: np.random.Generator, power: int, prior_rounds: int) -> None:
        """Called by the engine before the first round (after it has set :attr:`stakes`)."""
        self.history = [Move.GIVE] * prior_rounds
        self.observed = [Move.GIVE] * prior_rounds
        self.power = power
        self.max_power = context.levels
        self.continuation = context.continuation
        self.rng = rng

    def update(self, own: Move, partner: Move, power: int) -> None:
        """Called by the engine after each round with its own move as played and
        the partner's as seen (the engine has set the new :attr:`stakes` first)."""
        self.history.append(own)
        self.observed.append(partner)
        self.power = power

    def leave_probability(self) -> float:
        """The probability of leaving the alliance before this round (automata read
        their table; other strategies leave by returning ``Move.EXIT``)."""
        return 0.0

    def clone(self) -> "Player":
        """A fresh player with the same parameters (and display label)."""
        twin = type(self)(**self.parameters)
        if "custom_label" in self.__dict__:
            twin.custom_label = self.custom_label
        return twin

    def labelled(self, label: str) -> "Player":
        """Give the player a display label (e.g. ``"ITCOM"``) in place of its
        generated one; returns the player."""
        self.custom_label = str(label)
        return self

    def reset(self) -> None:
        """Forget the match in progress."""
        self.history = []
        self.observed = []
        self.power = 0
        self.stakes = self.partner_stakes = 0

    @property
    def is_automaton(self) -> bool:
        return False


class Automaton(Player):
    """A strategy given as a stochastic finite-state automaton.

    Subclasses implement ``table(self, context)`` returning an
    :class:`~learning_dilemma.automaton.AutomatonTable`, usually through the
    builders in :mod:`learning_dilemma.automaton`.
    """

    def table(self, context: MatchContext) -> AutomatonTable:
        raise NotImplementedError

    def compiled(self, context: MatchContext) -> AutomatonTable:
        """The table for this context, cached (tables are immutable)."""
        cache = self.__dict__.setdefault("_tables", {})
        # read through __dict__: a context that records what a table reads
        # (players/reads.py) must not count the cache's own look-up as a read
        fields = context.__dict__
        key = (fields["game"], fields["continuation"], fields["turns"])
        if key not in cache:
            try:
                cache[key] = self.table(context)
            except ParameterError as error:  # name the strategy whose table is wrong
                if isinstance(error, ResourceLimitError) or str(error).startswith(self.label):
                    raise
                raise ParameterError(f"{self.label}: {error}") from None
        return cache[key]

    @property
    def is_automaton(self) -> bool:
        return True

    def begin(self, context, rng, power, prior_rounds):
        super().begin(context, rng, power, prior_rounds)
        self._table = self.compiled(context)
        self._state = self._table.after_prior_rounds(prior_rounds)

    def _view(self) -> int:
        return view_index(self.stakes, self.partner_stakes, self.max_power)

    def strategy(self, opponent):
        return float(self._table.give[self._state, self._view()])

    def leave_probability(self) -> float:
        return float(self._table.leave[self._state, self._view()])

    def update(self, own, partner, power):
        super().update(own, partner, power)
        self._state = int(self._table.next_state[self._state, own, partner])

    @property
    def state(self) -> str:
        """Name of the current state (for inspection and teaching)."""
        return self._table.state_names[self._state]

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_tables", None)
        return state


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Player):
        return value.label
    return str(value)


def fresh(player: Player) -> Player:
    """An independent copy for one match (players carry match state)."""
    return copy.deepcopy(player) if not player.is_automaton else player.clone()
