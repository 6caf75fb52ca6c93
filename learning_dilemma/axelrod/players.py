"""Our strategies as axelrod players, ready made.

One :class:`axelrod.Player` class per built-in strategy, with the same class
name and parameters, so a mixed tournament takes one import::

    import axelrod as axl
    from learning_dilemma.axelrod.players import TrustBuilder, Peer

    axl.Tournament([TrustBuilder(), Peer(tolerance=2), axl.TitForTat()]).play()

How our strategies play inside axelrod (``docs/axelrod.md``):

- **Views.** axelrod tells its players only its game: no knowledge stakes, no
  power. Nobody learns inside axelrod, so an automaton plays the column of its
  table for the view of full stakes ``(M, M)``, power position ``z = 0``
  (:func:`~.games.axelrod_view`), for axelrod's game; an imperative strategy
  sees ``stakes = partner_stakes = power = 0`` and ``max_power = 0``.
- **Moves.** An automaton draws its stochastic moves from axelrod's seeded
  generator ``self._random`` and moves between states on the actions axelrod
  records, noise included. axelrod keeps one record of each move, which both
  players see: monitoring is public.
- **Tacitness** does not change what is played: a give of tacit knowledge that
  fails to transfer is still a give (second edition, ``docs/model.md``), so it is
  played and recorded as C. Only the learning game's scoring
  (:mod:`.scoring`) draws which gives transferred.
- **Exit.** axelrod has no third action. A strategy that leaves the alliance
  (an automaton's leave table, or ``Move.EXIT`` from a Python strategy) plays D,
  the nearest move (not sharing), in the round it leaves and for the rest of
  the match, and no longer consults its table or its ``strategy``;
  :attr:`exited_at` records the round. The partner plays on, and axelrod scores
  every round from the two actions, so a partner that still plays C is
  exploited: the exit earns T where our engine pays both the loner payoff P
  (Hauert et al. 2002) from the round of exit on.

Names start with ``ld:`` and carry every parameter that differs from the
default (exactly, so two parameterisations never share a name: axelrod's
deterministic cache keys matches on names), and the classifier is computed from
the automaton as it plays inside axelrod (:mod:`.classifier`).
"""

from __future__ import annotations

import copy
import functools
import inspect
import itertools

import axelrod as axl
import numpy as np

from ..errors import ParameterError
from ..games.execution import chooses
from ..moves import Move
from ..players.player import COMMON_DEFAULTS, Automaton, Player, fresh
from ..players.view import OpponentView
from ..strategies import ALL_STRATEGIES
from .classifier import classify
from .games import UNKNOWN_CLASSIFIER, C, D, axelrod_view, context_for, to_move

PREFIX = "ld:"



def exact_label(player: Player) -> str:
    """The player's label with every parameter value exact.

    As :attr:`Player.label`, except that a float whose short form would round
    (``0.1234567`` and ``0.1234568`` both print as ``0.123457``) is written in
    full.
    """
    merged = {**COMMON_DEFAULTS, **player.defaults}
    changed = [f"{k}={_exact(v)}" for k, v in player.parameters.items() if merged.get(k) != v]
    return f"{player.name}({', '.join(changed)})" if changed else player.name


def _exact(value) -> str:
    if isinstance(value, float):
        short = f"{value:g}"
        return short if float(short) == value else repr(value)
    if isinstance(value, Player):
        return exact_label(value)
    return str(value)


def axelrod_name(strategy: Player) -> str:
    """The name of our strategy in axelrod, e.g. ``ld:Peer(tolerance=2)``."""
    return PREFIX + exact_label(strategy)


def play_inside_axelrod(player: axl.Player, leave: float, give: float) -> axl.Action:
    """One move of ours inside axelrod: leave with probability ``leave``, else
    play C with probability ``give``.

    As in our engines (:func:`~learning_dilemma.games.execution.chooses`), one
    uniform draw decides both, here from axelrod's seeded generator
    ``player._random``, and none is drawn when nothing is random (as axelrod's
    ``random_choice``, which this equals without an exit). Leaving is played as
    D and recorded in ``player.exited_at`` (the round, from 1); the caller plays
    D from then on.
    """
    if leave >= 1.0:
        return _leave(player)
    if leave <= 0.0 and not 0.0 < give < 1.0:
        return C if give >= 1.0 else D
    leaves, gives = chooses(player._random.random(), leave, give)
    if leaves:
        return _leave(player)
    return C if gives else D


def _leave(player: axl.Player) -> axl.Action:
    player.exited_at = len(player.history) + 1
    return D


@functools.lru_cache(maxsize=1024)
def _classifier(strategy: Automaton) -> dict:
    # axelrod re-runs __init__ at every reset; classify each parameterisation once.
    return classify(strategy)


class AutomatonPlayer(axl.Player):
    """One of our automata as an :class:`axelrod.Player`.

    It plays the view of full stakes, ``z = 0`` (:func:`~.games.axelrod_view`),
    and once it leaves the alliance it plays D for the rest of the match
    (module docstring).

    Parameters
    ----------
    strategy : Automaton

    Attributes
    ----------
    exited_at : int or None
        The round (from 1) in which it left the alliance; None while it has not.
    """

    name = PREFIX + "Automaton"
    classifier = dict(UNKNOWN_CLASSIFIER)

    def __init__(self, strategy: Automaton):
        if not isinstance(strategy, Automaton):
            raise ParameterError(f"AutomatonPlayer takes one of our automaton strategies, got {strategy!r}")
        self.automaton = strategy
        self.name = axelrod_name(strategy)
        super().__init__()  # calls receive_match_attributes
        self.classifier.update(copy.deepcopy(_classifier(strategy)))

    def receive_match_attributes(self):
        context = context_for(self.match_attributes)
        table = self.automaton.compiled(context)
        column = axelrod_view(context)
        self._give = table.give[:, column]
        self._leave = table.leave[:, column]
        self._next = table.next_state
        self._state = table.start
        self._describe_as_axelrod_does(context)
        # replay the history so far (empty at the start of a match), up to an exit in it
        exited = getattr(self, "exited_at", None)
        self.exited_at = exited if exited is not None and exited <= len(self.history) else None
        rounds = len(self.history) if self.exited_at is None else self.exited_at - 1
        for play, coplay in itertools.islice(zip(self.history, self.history.coplays), rounds):
            self._advance(play, coplay)

    def _describe_as_axelrod_does(self, context) -> None:
        """The attributes axelrod's own tests read: a memory-one automaton's
        ``_four_vector`` and ``_initial`` (``MemoryOnePlayer``), and a
        zero-determinant strategy's ``l``, ``phi`` and ``s`` (``LRPlayer``)."""
        after = self._next[:, (1, 1, 0, 0), (1, 0, 1, 0)]  # the state after CC, CD, DC, DD, from each state
        if np.all(after == after[0]) and not self._leave.any():  # the last round alone sets the move: memory one
            outcomes = [(C, C), (C, D), (D, C), (D, D)]
            self._four_vector = {o: float(self._give[state]) for o, state in zip(outcomes, after[0])}
            self._initial = C if self._give[self._state] >= 0.5 else D
        relation = getattr(self.automaton, "relation", None)
        if callable(relation):
            self.l, self.s, self.phi = relation(context.game)

    def _advance(self, play, coplay):
        self._state = int(self._next[self._state, int(play == C), int(coplay == C)])

    def strategy(self, opponent: axl.Player) -> axl.Action:
        if self.exited_at is not None:
            return D
        return play_inside_axelrod(self, float(self._leave[self._state]), float(self._give[self._state]))

    def update_history(self, play, coplay):
        super().update_history(play, coplay)
        if self.exited_at is None:
            self._advance(play, coplay)

    @property
    def receptivity(self) -> float:
        return self.automaton.receptivity

    @property
    def tacitness(self) -> float:
        """Its tacitness: not played inside axelrod, read by the learning game's scoring."""
        return self.automaton.tacitness

    @property
    def state(self) -> str:
        """Name of the automaton's current state (``"left"`` once it has left the alliance)."""
        if self.exited_at is not None:
            return "left"
        return self.automaton.compiled(context_for(self.match_attributes)).state_names[self._state]

    def __repr__(self) -> str:
        return self.name


class ImperativePlayer(axl.Player):
    """One of our imperative strategies as an :class:`axelrod.Player`.

    Its ``strategy`` method runs as in our engine, in the view of full stakes
    (``stakes = partner_stakes = power = 0`` with stakes off, as axelrod's game
    tells), with a numpy generator seeded from axelrod's. A returned
    ``Move.EXIT`` (or a ``leave_probability`` it declares) leaves the alliance:
    it plays D then and for the rest of the match, and ``strategy`` is no
    longer called, as our engine calls no strategy after an exit. Nothing about
    its memory or randomness is known, so it is classified as stochastic with
    unbounded memory: axelrod then seeds it and never replays a cached match.

    Attributes
    ----------
    exited_at : int or None
        The round (from 1) in which it left the alliance; None while it has not.
    """

    name = PREFIX + "Player"
    classifier = dict(UNKNOWN_CLASSIFIER)

    def __init__(self, strategy: Player):
        if not isinstance(strategy, Player):
            raise ParameterError(f"ImperativePlayer takes one of our strategies, got {strategy!r}")
        self.original = strategy
        self.name = axelrod_name(strategy)
        super().__init__()
        self._live = self._partner = self._seen = None
        self.exited_at = None

    def _begin(self):
        context = context_for(self.match_attributes)
        seed = self._random.random_seed_int() if hasattr(self, "_random") else 0
        rng = np.random.default_rng(int(seed))
        self._live, self._partner = fresh(self.original), Player()
        self._live.begin(context, rng, 0, 0)
        self._partner.begin(context, rng, 0, 0)
        self._seen = OpponentView(self._partner, self._live)  # read-only, as in our engine

    def strategy(self, opponent: axl.Player) -> axl.Action:
        if self.exited_at is not None:
            return D
        if self._live is None:
            self._begin()
        choice = self._live.strategy(self._seen)
        leave = float(self._live.leave_probability())  # asked after strategy, as in our engine
        if isinstance(choice, Move):
            if choice is Move.EXIT:
                return _leave(self)
            give = float(choice is Move.GIVE)
        elif isinstance(choice, (bool, np.bool_)):
            give = float(choice)
        else:
            give = float(choice)
        return play_inside_axelrod(self, leave, give)

    def update_history(self, play, coplay):
        super().update_history(play, coplay)
        if self._live is not None and self.exited_at is None:
            own, partner = to_move(play), to_move(coplay)
            self._live.update(own, partner, 0)
            self._partner.update(partner, own, 0)

    @property
    def receptivity(self) -> float:
        return self.original.receptivity

    @property
    def tacitness(self) -> float:
        """Its tacitness: not played inside axelrod, read by the learning game's scoring."""
        return self.original.tacitness

    def __repr__(self) -> str:
        return self.name


def _ready_made(strategy_class: type[Automaton]) -> type[AutomatonPlayer]:
    """An axelrod player class for one built-in strategy, taking its parameters
    as keyword arguments (axelrod clones a player from its init arguments)."""
    defaults = {**COMMON_DEFAULTS, **strategy_class.defaults}

    def __init__(self, **parameters):
        AutomatonPlayer.__init__(self, strategy_class(**parameters))

    __init__.__signature__ = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=v) for k, v in defaults.items()]
    )
    __init__.__qualname__ = f"{strategy_class.__name__}.__init__"
    namespace = {
        "__init__": __init__,
        "__module__": __name__,
        "__qualname__": strategy_class.__name__,
        "__doc__": f"{strategy_class.name} as an axelrod player: {strategy_class.description}",
        "name": axelrod_name(strategy_class()),
        "strategy_class": strategy_class,
    }
    return type(strategy_class.__name__, (AutomatonPlayer,), namespace)


READY_MADE = {cls: _ready_made(cls) for cls in ALL_STRATEGIES}
globals().update({player.__name__: player for player in READY_MADE.values()})

__all__ = [player.__name__ for player in READY_MADE.values()] + [
    "AutomatonPlayer", "ImperativePlayer", "READY_MADE", "axelrod_name", "play_inside_axelrod",
]
