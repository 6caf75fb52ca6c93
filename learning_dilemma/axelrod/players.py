"""Our strategies as axelrod players, ready made.

One :class:`axelrod.Player` class per built-in strategy, with the same class
name and parameters, so a mixed tournament takes one import::

    import axelrod as axl
    from learning_dilemma.axelrod.players import TrustBuilder, Peer

    axl.Tournament([TrustBuilder(), Peer(tolerance=2), axl.TitForTat()]).play()

An automaton plays its table at parity (``z = 0``: axelrod has no power
ladder) for axelrod's game, draws its stochastic moves from axelrod's seeded
generator ``self._random`` and moves between states on the actions axelrod
records, noise included. Tacitness turns an intended C into D with its
probability (Larsson et al. 1998). Names start with ``ld:`` and carry every
parameter that differs from the default (exactly, so two parameterisations
never share a name: axelrod's deterministic cache keys matches on names), and
the classifier is computed from the automaton (:mod:`.classifier`).
"""

from __future__ import annotations

import copy
import functools
import inspect

import axelrod as axl
import numpy as np

from ..errors import ParameterError
from ..moves import Move
from ..players.player import COMMON_DEFAULTS, Automaton, Player, fresh
from ..players.view import OpponentView
from ..strategies import ALL_STRATEGIES
from .classifier import classify
from .games import UNKNOWN_CLASSIFIER, C, D, context_for, to_move

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


@functools.lru_cache(maxsize=1024)
def _classifier(strategy: Automaton) -> dict:
    # axelrod re-runs __init__ at every reset; classify each parameterisation once.
    return classify(strategy)


class AutomatonPlayer(axl.Player):
    """One of our automata as an :class:`axelrod.Player`.

    Parameters
    ----------
    strategy : Automaton
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
        self._give = table.give[:, context.levels] * (1.0 - self.automaton.tacitness)
        self._next = table.next_state
        self._state = table.start
        self._describe_as_axelrod_does(context)
        for play, coplay in zip(self.history, self.history.coplays):
            self._advance(play, coplay)

    def _describe_as_axelrod_does(self, context) -> None:
        """The attributes axelrod's own tests read: a memory-one automaton's
        ``_four_vector`` and ``_initial`` (``MemoryOnePlayer``), and a
        zero-determinant strategy's ``l``, ``phi`` and ``s`` (``LRPlayer``)."""
        after = self._next[:, (1, 1, 0, 0), (1, 0, 1, 0)]  # the state after CC, CD, DC, DD, from each state
        if np.all(after == after[0]):  # the next state depends on the last round only: memory one
            outcomes = [(C, C), (C, D), (D, C), (D, D)]
            self._four_vector = {o: float(self._give[state]) for o, state in zip(outcomes, after[0])}
            self._initial = C if self._give[self._state] >= 0.5 else D
        relation = getattr(self.automaton, "relation", None)
        if callable(relation):
            self.l, self.s, self.phi = relation(context.game)

    def _advance(self, play, coplay):
        self._state = int(self._next[self._state, int(play == C), int(coplay == C)])

    def strategy(self, opponent: axl.Player) -> axl.Action:
        p = float(self._give[self._state])
        if p >= 1.0:
            return C
        if p <= 0.0:
            return D
        return self._random.random_choice(p)

    def update_history(self, play, coplay):
        super().update_history(play, coplay)
        self._advance(play, coplay)

    @property
    def receptivity(self) -> float:
        return self.automaton.receptivity

    @property
    def state(self) -> str:
        """Name of the automaton's current state."""
        return self.automaton.compiled(context_for(self.match_attributes)).state_names[self._state]

    def __repr__(self) -> str:
        return self.name


class ImperativePlayer(axl.Player):
    """One of our imperative strategies as an :class:`axelrod.Player`.

    Its ``strategy`` method runs as in our engine, power held at parity, with a
    numpy generator seeded from axelrod's. Nothing about its memory or
    randomness is known, so it is classified as stochastic with unbounded
    memory: axelrod then seeds it and never replays a cached match.
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

    def _begin(self):
        context = context_for(self.match_attributes)
        seed = self._random.random_seed_int() if hasattr(self, "_random") else 0
        rng = np.random.default_rng(int(seed))
        self._live, self._partner = fresh(self.original), Player()
        self._live.begin(context, rng, 0, 0)
        self._partner.begin(context, rng, 0, 0)
        self._seen = OpponentView(self._partner, self._live)  # read-only, as in our engine

    def strategy(self, opponent: axl.Player) -> axl.Action:
        if self._live is None:
            self._begin()
        choice = self._live.strategy(self._seen)
        if isinstance(choice, (Move, bool, np.bool_)):
            return C if int(choice) else D
        return self._random.random_choice(float(choice))

    def update_history(self, play, coplay):
        super().update_history(play, coplay)
        if self._live is not None:
            own, partner = to_move(play), to_move(coplay)
            self._live.update(own, partner, 0)
            self._partner.update(partner, own, 0)

    @property
    def receptivity(self) -> float:
        return self.original.receptivity

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
    "AutomatonPlayer", "ImperativePlayer", "READY_MADE", "axelrod_name",
]
