"""The Markov chain of a pairing of automata.

A match between two automata is a Markov chain over the joint state
``(state of A, state of B, power position z)``. Each round, exactly as the
simulator plays it (:mod:`learning_dilemma.engine`, ``docs/model.md``): A
intends GIVE with probability ``give_a[state_a, z + m]`` and B with
``give_b[state_b, m - z]`` (each sees the ladder from its own side); tacitness
turns an intended give into a take (Larsson et al. 1998); the stage payoffs are
paid at the ladder position of the start of the round; then the ladder moves
(Hamel 1991, :func:`learning_dilemma.games.ladder_transitions`) and both
automata move on the moves as played.

:func:`build_chain` enumerates the joint states, keeps those reachable from the
start and returns a :class:`Chain`: the one-round transition matrix ``M``, the
generator ``I - M`` with its diagonal formed from the off-diagonal row sums
(Grassmann, Taksar & Heyman 1985), and the expected rewards of each state.
:func:`pairing_chain` builds it for two players, with their tables compiled for
a match context.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from .._validation import check_probability
from ..errors import ParameterError
from ..games import LearningGame, ladder_transitions, stage_payoffs
from ..games.execution import give_probability
from ..limits import check
from ..players.automaton import AutomatonTable, MatchContext
from ..players.player import Player
from .solve import ergodic_projector

__all__ = [
    "DENSE_LIMIT", "GIVE_A", "GIVE_B", "MUTUAL", "PAY_A", "PAY_B", "REWARD_COLUMNS",
    "Chain", "build_chain", "pairing_chain",
]


# Columns of the per-state reward matrix: A's payoff, B's payoff, A gives,
# B gives, both give.
PAY_A, PAY_B, GIVE_A, GIVE_B, MUTUAL = range(5)
REWARD_COLUMNS = ("payoff A", "payoff B", "A gives", "B gives", "both give")

# Chains up to this many reachable states are solved with dense batched LU,
# larger ones with sparse LU (SuperLU), one continuation value at a time.
DENSE_LIMIT = 400


@dataclass(frozen=True, eq=False)
class Chain:
    """A pairing as a Markov chain over the joint states reachable from its start.

    Attributes
    ----------
    transitions : ndarray or scipy.sparse.csr_matrix, shape (N, N)
        ``M[i, j]``: probability that joint state ``i`` is followed by ``j``;
        dense up to :data:`DENSE_LIMIT` states, sparse above.
    generator : same type as ``transitions``
        ``I - M``, its diagonal formed as the off-diagonal row sums: ``1 - M_ii``
        computed as a difference loses digits when ``M_ii`` is close to 1, the
        sum of the other entries is the same number without the cancellation
        (the device of Grassmann, Taksar & Heyman 1985).
    rewards : ndarray, shape (N, 5)
        Expected A payoff, B payoff, A gives, B gives and both give in each
        state, at the power strength of the game the chain was built for.
    power_gain : ndarray, shape (N, 2)
        Derivative of the two expected payoffs with respect to power strength:
        stage payoffs are linear in it (``docs/model.md``), so at strength ``s``
        (with power on) the payoffs are ``rewards[:, :2] + (s - strength) *
        power_gain``. The transitions do not depend on the strength, only on
        whether power is on.
    strength : float
        The power strength ``rewards`` were computed at.
    start : int
        Index of the start state.
    states : ndarray of int, shape (N, 3)
        ``(state of A, state of B, z)`` of each state, ``z`` in A's view.
    """

    transitions: object
    generator: object
    rewards: np.ndarray
    power_gain: np.ndarray
    strength: float
    start: int
    states: np.ndarray

    @property
    def size(self) -> int:
        return len(self.states)

    @property
    def dense(self) -> bool:
        return isinstance(self.transitions, np.ndarray)

    @cached_property
    def ergodic(self):
        """``(H, P)``: the Cesaro limit of the chain in factored form (:func:`ergodic_projector`)."""
        return ergodic_projector(self)

    def rewards_at(self, strength: float) -> np.ndarray:
        """The reward matrix at another power strength (power on)."""
        rewards = self.rewards.copy()
        rewards[:, [PAY_A, PAY_B]] += (strength - self.strength) * self.power_gain
        return rewards


# The four outcomes (A's move, B's move), as columns for broadcasting.
_MOVES_A = np.array([0, 0, 1, 1])[:, None]
_MOVES_B = np.array([0, 1, 0, 1])[:, None]


def build_chain(
    table_a: AutomatonTable,
    table_b: AutomatonTable,
    game: LearningGame,
    receptivity=(1.0, 1.0),
    tacitness=(0.0, 0.0),
    start=None,
    initial_power: int = 0,
    noise: float = 0.0,
) -> Chain:
    """The Markov chain of a pairing, restricted to the states reachable from its start.

    Parameters
    ----------
    table_a, table_b : AutomatonTable
    game : LearningGame
    receptivity, tacitness : pair of float
        A's and B's.
    start : pair of int, optional
        Start states of A and B (default: the tables' own).
    initial_power : int
        Ladder position at the start, A's view.

    The joint states ``n_a x n_b x (2m + 1)`` are counted first and refused
    above the ``chain_states`` resource limit (:mod:`learning_dilemma.limits`).
    """
    from scipy import sparse
    from scipy.sparse.csgraph import breadth_first_order

    m = game.power.levels
    width = 2 * m + 1
    n_a, n_b = table_a.n_states, table_b.n_states
    check("chain_states", n_a * n_b * width,
          f"the exact chain of {n_a} x {n_b} automaton states x {width} ladder positions",
          hint="or simulate instead")
    sa, sb, k = (g.ravel() for g in np.meshgrid(np.arange(n_a), np.arange(n_b), np.arange(width), indexing="ij"))
    z = k - m
    n = sa.size
    noise = check_probability("noise", noise)
    # intention, noise, tacitness: the rules of learning_dilemma.games.execution, exactly
    give_a = give_probability(table_a.give[sa, k], noise, tacitness[0])
    give_b = give_probability(table_b.give[sb, width - 1 - k], noise, tacitness[1])
    # outcome[o, i]: probability of outcome o in state i
    outcome = np.where(_MOVES_A, give_a, 1.0 - give_a) * np.where(_MOVES_B, give_b, 1.0 - give_b)
    payoff = [np.stack(stage_payoffs(g, _MOVES_A, _MOVES_B, *receptivity, z)) for g in (game, *_extremes(game))]
    rewards = np.column_stack([
        (outcome * payoff[0][0]).sum(axis=0), (outcome * payoff[0][1]).sum(axis=0),
        outcome[2] + outcome[3], outcome[1] + outcome[3], outcome[3],
    ])
    gain = ((payoff[2] - payoff[1]) * outcome).sum(axis=1).T
    rows, cols, probs = [], [], []
    for o, (move_a, move_b) in enumerate(zip(_MOVES_A.ravel(), _MOVES_B.ravel())):
        automata = (table_a.next_state[sa, move_a, move_b] * n_b + table_b.next_state[sb, move_b, move_a]) * width
        for following, chance in ladder_transitions(z, move_a, move_b, *receptivity, game.power):
            rows.append(np.arange(n))
            cols.append(automata + following + m)
            probs.append(outcome[o] * chance)
    rows, cols, probs = (np.concatenate(x) for x in (rows, cols, probs))
    keep = probs > 0
    rows, cols, probs = rows[keep], cols[keep], probs[keep]
    first_a, first_b = (table_a.start, table_b.start) if start is None else start
    origin = (first_a * n_b + first_b) * width + initial_power + m
    graph = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    states = np.sort(breadth_first_order(graph, origin, directed=True, return_predecessors=False))
    position = np.full(n, -1)
    position[states] = np.arange(len(states))
    inside = position[rows] >= 0
    rows, cols, probs = position[rows[inside]], position[cols[inside]], probs[inside]
    size = len(states)
    off = rows != cols
    leaving = np.bincount(rows[off], probs[off], minlength=size)
    if size <= DENSE_LIMIT:
        transitions = np.bincount(rows * size + cols, probs, minlength=size * size).reshape(size, size)
        generator = -transitions
        generator[np.diag_indices(size)] = leaving
    else:
        transitions = sparse.csr_matrix((probs, (rows, cols)), shape=(size, size))
        generator = sparse.csr_matrix(
            (np.concatenate([-probs[off], leaving]), (np.concatenate([rows[off], np.arange(size)]),
                                                       np.concatenate([cols[off], np.arange(size)]))),
            shape=(size, size))
    return Chain(
        transitions=transitions,
        generator=generator,
        rewards=rewards[states],
        power_gain=gain[states],
        strength=float(game.power.strength),
        start=int(position[origin]),
        states=np.stack([sa[states], sb[states], z[states]], axis=1),
    )


@lru_cache(maxsize=64)
def _extremes(game: LearningGame):
    """The game with power strength 0 and 1, between which stage payoffs are linear."""
    return game.with_power(strength=0.0), game.with_power(strength=1.0)


def pairing_chain(a: Player, b: Player, game: LearningGame, continuation: float, turns: int | None = None,
                  prior_rounds: int = 0, initial_power: int = 0, noise: float = 0.0) -> Chain:
    """The chain of ``a`` against ``b`` with tables compiled for this continuation probability.

    Parameters
    ----------
    a, b : Player
        Automaton strategies; ``a`` plays as A.
    game : LearningGame
    continuation : float
        The continuation probability the tables are compiled for (the shadow of
        the future the strategies see; the chain itself does not depend on it).
    turns : int, optional
        The length of a fixed-length match, as the strategies are told.
    prior_rounds, initial_power, noise
        As for :class:`~learning_dilemma.match.Match`.
    """
    context = MatchContext(game, continuation, turns)
    table_a, table_b = (_automaton(p, name).compiled(context) for p, name in ((a, "a"), (b, "b")))
    return _chain_of(a, b, table_a, table_b, game, prior_rounds, initial_power, noise)


def _chain_of(a, b, table_a, table_b, game, prior_rounds, initial_power, noise=0.0) -> Chain:
    check("match_rounds", prior_rounds, f"prior_rounds={prior_rounds}")
    start = (table_a.after_prior_rounds(prior_rounds), table_b.after_prior_rounds(prior_rounds))
    return build_chain(table_a, table_b, game, (a.receptivity, b.receptivity), (a.tacitness, b.tacitness),
                       start, initial_power, noise)


def _automaton(player: Player, name: str) -> Player:
    if not isinstance(player, Player):
        raise ParameterError(f"player {name} must be a Player, got {player!r}")
    if not player.is_automaton:
        raise ParameterError(f"the exact engine needs automaton strategies; player {name} is {player.label}")
    return player


def _game(game) -> LearningGame:
    if game is None:
        return LearningGame()
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    return game
