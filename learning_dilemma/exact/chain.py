"""The Markov chain of a pairing of automata.

A match between two automata is a Markov chain over the joint state
``(state of A, state of B, stakes K_A, stakes K_B, tie t)`` while the alliance is
open, and one absorbing state once it has closed. Each round, exactly as the
simulator plays it (:mod:`learning_dilemma.engine`, ``docs/model.md``, "One round,
in order"), with each rule taken from the one place it is defined in
:mod:`learning_dilemma.games`: each side leaves with its table's exit
probability (a leave closes the alliance, both earn the status quo), otherwise
gives with its (noisy) give probability; a give transfers unless its tacit
knowledge fails at the tie's strength; stage payoffs are paid at the power
position ``K_B - K_A`` of the start of the round; the stakes run down where a
give transferred (:func:`~learning_dilemma.games.stakes_transitions`), the tie
grows after mutual giving, the alliance closes when one side's stakes are
exhausted, and each automaton moves on its own move and the partner's move as
seen (a failed give looks like a take).

Stakes only fall, the tie only grows and the closed state is absorbing, so the
chain is triangular in the relation ``(K_A, K_B, t)``: only the automata cycle
within a relation state. The states are numbered so that ``M`` is block upper
triangular (:attr:`Chain.depth`), and :mod:`.solve` solves it block by block.

:func:`build_chain` enumerates the joint states, keeps those reachable from the
start and returns a :class:`Chain`: the one-round transition matrix ``M``, the
generator ``I - M`` with its diagonal formed from the off-diagonal row sums
(Grassmann, Taksar & Heyman 1985), and the expected rewards of each state.
:func:`pairing_chain` builds it for two players, with their tables compiled for
a match context.

The payoff columns are the stage payoffs of :func:`~learning_dilemma.games.stage_payoffs`
unless a ``payoffs`` rule of the same signature is given (a *payoff hook*: the
knowledge-sharing networks' two-level payoffs, :mod:`learning_dilemma.games.levels`,
are paid this way by :mod:`learning_dilemma.networks.exact`). Only the rewards
change; the transitions are the relation's and do not depend on what is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from .._validation import check_initial_power, check_probability
from ..errors import ParameterError
from ..games.learning import closed_payoff, joint_value
from ..games import (
    LearningGame, Ties, failure_probability, initial_tie, race_over, stage_payoffs, stakes_transitions, tie_step,
)
from ..games.execution import played_give_probability
from ..limits import check
from ..players.automaton import AutomatonTable, MatchContext, view_index
from ..players.player import Player
from .solve import ergodic_projector, triangular_blocks

__all__ = [
    "DENSE_LIMIT", "GIVE_A", "GIVE_B", "JOINT", "LEARN_A", "LEARN_B", "MUTUAL", "OPEN", "PAY_A", "PAY_B",
    "REWARD_COLUMNS", "Chain", "build_chain", "check_chain_size", "joint_value", "pairing_chain",
    "relation_states",
]


# Columns of the per-state reward matrix: A's payoff, B's payoff, A gives, B
# gives, both give, A learns (r_A x_B), B learns, the joint value the alliance
# creates (absolute value of learning plus synergy), and the alliance open.
PAY_A, PAY_B, GIVE_A, GIVE_B, MUTUAL, LEARN_A, LEARN_B, JOINT, OPEN = range(9)
REWARD_COLUMNS = ("payoff A", "payoff B", "A gives", "B gives", "both give", "A learns", "B learns",
                  "joint value", "alliance open")

# Chains up to this many reachable states are stored as dense matrices, larger
# ones as sparse. Block forward substitution (exact.solve) solves each relation
# state's block dense either way; the bordered system uses dense batched LU for
# dense chains and sparse LU (SuperLU), one continuation value at a time, above.
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
    rewards : ndarray, shape (N, 9)
        The expected :data:`REWARD_COLUMNS` of a round in each state, at the
        power strength of the game the chain was built for.
    power_gain : ndarray, shape (N, 2)
        Derivative of the two expected payoffs with respect to power strength:
        stage payoffs are linear in it (``docs/model.md``), so at strength ``s``
        (with power on) the payoffs are ``rewards[:, :2] + (s - strength) *
        power_gain``. The transitions do not depend on the strength: power
        splits the created value and moves nothing else.
    strength : float
        The power strength ``rewards`` were computed at.
    start : int
        Index of the start state.
    states : ndarray of int, shape (N, 6)
        ``(state of A, state of B, K_A, K_B, tie, open)`` of each state; the
        closed state has automaton states -1 and stakes and tie 0.
    depth : ndarray of int, shape (N,)
        How far the relation of each state has moved from the fresh alliance:
        ``(M - K_A) + (M - K_B) + tie``, and one more than any open state's for
        the closed state. A round either leaves the relation as it is (only the
        automata move) or moves it to a greater depth, so with the states
        ordered by depth, as they are, ``M`` is block upper triangular, each
        diagonal block one relation state (``docs/analytic.md``).
    """

    transitions: object
    generator: object
    rewards: np.ndarray
    power_gain: np.ndarray
    strength: float
    start: int
    states: np.ndarray
    depth: np.ndarray | None = None

    @property
    def power(self) -> np.ndarray:
        """The power position ``K_B - K_A`` (A's view) of each state."""
        return self.states[:, 3] - self.states[:, 2]

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

    @cached_property
    def triangular(self):
        """The chain's diagonal blocks by depth, for block forward substitution
        (:func:`~.solve.triangular_blocks`); ``None`` where a block is too large
        to solve dense."""
        return triangular_blocks(self)

    def rewards_at(self, strength: float) -> np.ndarray:
        """The reward matrix at another power strength (power on)."""
        rewards = self.rewards.copy()
        rewards[:, [PAY_A, PAY_B]] += (strength - self.strength) * self.power_gain
        return rewards


# Each side's three outcomes of an open round, (gave, transferred): took, gave
# and it transferred, gave and it did not. The nine outcomes of a round are the
# pairs, A's outcome first: _GIVE_A[k], _MOVED_A[k], _GIVE_B[k], _MOVED_B[k].
_OUTCOMES = ((0, 0), (1, 1), (1, 0))
_GIVE_A, _MOVED_A, _GIVE_B, _MOVED_B = (
    np.array([pair[side][part] for pair in ((a, b) for a in _OUTCOMES for b in _OUTCOMES)])[:, None]
    for side in (0, 1) for part in (0, 1)
)


def build_chain(
    table_a: AutomatonTable,
    table_b: AutomatonTable,
    game: LearningGame,
    receptivity=(1.0, 1.0),
    tacitness=(0.0, 0.0),
    start=None,
    initial_power: int = 0,
    noise: float = 0.0,
    prior_rounds: int = 0,
    *,
    payoffs=None,
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
        Levels A has already learned beyond B (:meth:`LearningGame.initial_stakes`).
    noise : float
        Probability that an intended move is flipped.
    prior_rounds : int
        Rounds of mutual giving before the match: the tie starts at
        :func:`~learning_dilemma.games.initial_tie` (the automata's start
        states are ``start``).
    payoffs : callable, optional
        ``payoffs(game, g_a, g_b, x_a, x_b, r_a, r_b, z) -> (u_a, u_b)``, what A
        and B are paid in an open round with gives ``g``, transfers ``x``,
        receptivities ``r`` and A's power position ``z`` (arrays that broadcast
        together); default :func:`~learning_dilemma.games.stage_payoffs`. It
        sets the ``PAY_A``/``PAY_B`` rewards and :attr:`Chain.power_gain`, which
        it is called for with the game at power strength 0 and 1, so it must be
        affine in the power strength as the stage payoffs are (anything built
        from :func:`~learning_dilemma.games.learning.payoff_parts` is). A closed
        round pays :func:`~learning_dilemma.games.learning.closed_payoff` whatever
        the rule (the alliance is closed: nothing is played).

    The joint states ``n_a x n_b x`` (relation states) are counted first and
    refused above the ``chain_states`` resource limit
    (:mod:`learning_dilemma.limits`). The states are ordered by
    :attr:`Chain.depth` (then by relation state, then by the automata), so
    that ``M`` is block upper triangular with one diagonal block per relation
    state (:mod:`.solve` uses it).
    """
    from scipy import sparse
    from scipy.sparse.csgraph import breadth_first_order

    knowledge, ties = game.knowledge, game.ties
    levels = knowledge.levels
    low = 1 if knowledge.active else 0  # stakes of an open alliance: an exhausted side has closed it
    n_k = levels + 1 - low
    # the tie only matters through tacit transfer: without tacitness it is left out of the state
    tie_top = ties.levels if ties.active and max(tacitness) > 0 else 0
    n_t = tie_top + 1
    n_a, n_b = table_a.n_states, table_b.n_states
    check_chain_size(n_a, n_b, game, tacitness)
    noise = check_probability("noise", noise)
    rule = _payoff_rule(payoffs)
    initial_power = check_initial_power(initial_power, game)
    # Relation-major: (K_A, K_B) falling from M, the tie growing from 0, then the
    # automata. A round moves the relation only this way, so every transition
    # goes to the same relation state or a later one.
    stakes_down = np.arange(levels, low - 1, -1)
    grids = np.meshgrid(stakes_down, stakes_down, np.arange(n_t), np.arange(n_a), np.arange(n_b), indexing="ij")
    ka, kb, tie, sa, sb = (g.ravel() for g in grids)
    n_open = sa.size
    closed = n_open
    n = n_open + 1

    def index(next_a, next_b, next_ka, next_kb, next_tie):
        flat = ((((levels - next_ka) * n_k + (levels - next_kb)) * n_t + next_tie) * n_a + next_a) * n_b + next_b
        return np.where(race_over(next_ka, next_kb, knowledge), closed, flat)

    view_a, view_b = view_index(ka, kb, levels), view_index(kb, ka, levels)
    leave_a, leave_b = table_a.leave[sa, view_a], table_b.leave[sb, view_b]
    # exit, intention and noise, then tacit transfer: the rules of learning_dilemma.games, exactly
    give_a = played_give_probability(leave_a, table_a.give[sa, view_a], noise)
    give_b = played_give_probability(leave_b, table_b.give[sb, view_b], noise)
    fail_a = failure_probability(tacitness[0], tie, Ties(tie_top))
    fail_b = failure_probability(tacitness[1], tie, Ties(tie_top))
    chance_a = np.stack((1.0 - leave_a - give_a, give_a * (1.0 - fail_a), give_a * fail_a))
    chance_b = np.stack((1.0 - leave_b - give_b, give_b * (1.0 - fail_b), give_b * fail_b))
    # chance[k, i]: probability of outcome k in open state i (the nine outcomes, A's first)
    chance = (chance_a[:, None, :] * chance_b[None, :, :]).reshape(9, n_open)
    leaving = 1.0 - (1.0 - leave_a) * (1.0 - leave_b)
    r_a, r_b = receptivity
    # stage payoffs of each outcome at each power position (A's view), then per state
    positions, position_of = np.unique(kb - ka, return_inverse=True)
    outcome = (_GIVE_A, _GIVE_B, _MOVED_A, _MOVED_B, r_a, r_b, positions[None, :])
    pay = [np.broadcast_to(_paid(rule, g, outcome), (2, 9, len(positions)))[:, :, position_of.ravel()]
           for g in (game, *_extremes(game))]
    rewards = np.zeros((n, len(REWARD_COLUMNS)))
    rewards[:n_open, [PAY_A, PAY_B]] = (leaving * closed_payoff(game) + np.einsum("ki,pki->pi", chance, pay[0])).T
    # per outcome: A gives, B gives, both give, A learns, B learns, joint value
    counts = np.column_stack([_GIVE_A, _GIVE_B, _GIVE_A * _GIVE_B, r_a * _MOVED_B, r_b * _MOVED_A,
                              joint_value(game, _MOVED_A, _MOVED_B, r_a, r_b)])
    rewards[:n_open, [GIVE_A, GIVE_B, MUTUAL, LEARN_A, LEARN_B, JOINT]] = chance.T @ counts
    rewards[:n_open, OPEN] = 1.0 - leaving
    rewards[closed, [PAY_A, PAY_B]] = closed_payoff(game)
    gain = np.zeros((n, 2))
    gain[:n_open] = np.einsum("ki,pki->ip", chance, pay[2] - pay[1])
    # the outcomes that can happen, (outcome k, state i), as flat arrays
    outcome, state = np.nonzero(chance > 0)
    happens = chance[outcome, state]
    g_a, x_a, g_b, x_b = (part[outcome, 0] for part in (_GIVE_A, _MOVED_A, _GIVE_B, _MOVED_B))
    automata = table_a.next_state[sa[state], g_a, x_b] * n_b + table_b.next_state[sb[state], g_b, x_a]
    next_tie = tie_step(tie[state], g_a, g_b, Ties(tie_top))
    rows = [np.arange(n_open), np.array([closed])]
    cols = [np.full(n_open, closed), np.array([closed])]
    probs = [leaving, np.array([1.0])]
    for next_ka, p_a in stakes_transitions(ka[state], x_b, r_a, knowledge):
        for next_kb, p_b in stakes_transitions(kb[state], x_a, r_b, knowledge):
            relation = ((levels - next_ka) * n_k + (levels - next_kb)) * n_t + next_tie
            rows.append(state)
            cols.append(np.where(race_over(next_ka, next_kb, knowledge), closed, relation * (n_a * n_b) + automata))
            probs.append(happens * p_a * p_b)
    rows, cols, probs = (np.concatenate(part) for part in (rows, cols, probs))
    keep = probs > 0
    rows, cols, probs = rows[keep].astype(np.intp), cols[keep].astype(np.intp), probs[keep]
    first_a, first_b = (table_a.start, table_b.start) if start is None else start
    stakes_a, stakes_b = game.initial_stakes(initial_power)
    first_tie = initial_tie(prior_rounds, Ties(tie_top))
    origin = int(index(np.intp(first_a), np.intp(first_b), np.intp(stakes_a), np.intp(stakes_b), np.intp(first_tie)))
    graph = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    reached = breadth_first_order(graph, origin, directed=True, return_predecessors=False)
    # depth: levels learned by both plus the tie; it grows by at least one whenever the relation moves
    depth = np.append((levels - ka) + (levels - kb) + tie, 2 * levels + tie_top + 1)
    states = reached[np.lexsort((reached, depth[reached]))]
    position = np.full(n, -1)
    position[states] = np.arange(len(states))
    inside = position[rows] >= 0
    rows, cols, probs = position[rows[inside]], position[cols[inside]], probs[inside]
    size = len(states)
    off = rows != cols
    leaving_rows = np.bincount(rows[off], probs[off], minlength=size)
    if size <= DENSE_LIMIT:
        transitions = np.bincount(rows * size + cols, probs, minlength=size * size).reshape(size, size)
        generator = -transitions
        generator[np.diag_indices(size)] = leaving_rows
    else:
        transitions = sparse.csr_matrix((probs, (rows, cols)), shape=(size, size))
        generator = sparse.csr_matrix(
            (np.concatenate([-probs[off], leaving_rows]), (np.concatenate([rows[off], np.arange(size)]),
                                                           np.concatenate([cols[off], np.arange(size)]))),
            shape=(size, size))
    labels = np.column_stack([
        np.append(sa, -1), np.append(sb, -1), np.append(ka, 0), np.append(kb, 0), np.append(tie, 0),
        np.append(np.ones(n_open, dtype=np.intp), 0),
    ])
    return Chain(
        transitions=transitions,
        generator=generator,
        rewards=rewards[states],
        power_gain=gain[states],
        strength=float(game.power.strength),
        start=int(position[origin]),
        states=labels[states],
        depth=depth[states],
    )


def relation_states(game: LearningGame, tacitness=(0.0, 0.0)) -> int:
    """The open relation states of a pairing's chain: ``M^2`` pairs of stakes (an
    open alliance has both at 1 or more; one with stakes off), times ``H + 1`` tie
    levels when a give can fail (tacitness above 0), else 1."""
    knowledge, ties = game.knowledge, game.ties
    stakes = knowledge.levels if knowledge.active else 1
    tie_top = ties.levels if ties.active and max(tacitness) > 0 else 0
    return stakes ** 2 * (tie_top + 1)


def check_chain_size(n_a: int, n_b: int, game: LearningGame, tacitness=(0.0, 0.0)) -> None:
    """Refuse a chain of ``n_a x n_b`` automaton states above the ``chain_states`` limit
    before anything is built (the closed state counts one more)."""
    n_rel = relation_states(game, tacitness)
    check("chain_states", n_a * n_b * n_rel + 1,
          f"the exact chain of {n_a} x {n_b} automaton states x {n_rel} relation states",
          hint="or simulate instead")


def _payoff_rule(payoffs):
    """The payoff rule of a chain: ``stage_payoffs`` unless a callable is given."""
    if payoffs is None:
        return stage_payoffs
    if not callable(payoffs):
        raise ParameterError(f"payoffs must be a callable payoffs(game, g_a, g_b, x_a, x_b, r_a, r_b, z), "
                             f"got {payoffs!r}")
    return payoffs


def _paid(rule, game, outcome) -> np.ndarray:
    """``(u_a, u_b)`` of ``rule`` on the nine outcomes, stacked: shape (2, 9, positions)."""
    if rule is stage_payoffs:
        return np.stack(stage_payoffs(game, *outcome))
    paid = rule(game, *outcome)
    if not isinstance(paid, (tuple, list, np.ndarray)) or len(paid) != 2:
        raise ParameterError(f"payoffs must return a pair (u_a, u_b), got {type(paid).__name__}")
    u_a, u_b = (np.asarray(u, dtype=float) for u in paid)
    try:
        shape = (9, outcome[-1].shape[-1])
        stacked = np.stack([np.broadcast_to(u_a, shape), np.broadcast_to(u_b, shape)])
    except ValueError:
        raise ParameterError(f"payoffs returned arrays of shapes {u_a.shape} and {u_b.shape}, which do not "
                             f"broadcast to the (9 outcomes, positions) of its arguments") from None
    if not np.all(np.isfinite(stacked)):
        raise ParameterError("payoffs returned a value that is not finite")
    return stacked


@lru_cache(maxsize=64)
def _extremes(game: LearningGame):
    """The game with power strength 0 and 1, between which stage payoffs are linear."""
    return game.with_power(strength=0.0), game.with_power(strength=1.0)


def pairing_chain(a: Player, b: Player, game: LearningGame, continuation: float, turns: int | None = None,
                  prior_rounds: int = 0, initial_power: int = 0, noise: float = 0.0, *, payoffs=None) -> Chain:
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
    payoffs : callable, optional
        The payoff rule of the reward columns (:func:`build_chain`); default the
        stage payoffs. The chain is built afresh on every call (nothing here is
        cached), so a chain built for one rule is never reused for another.
    """
    context = MatchContext(game, continuation, turns)
    table_a, table_b = (_automaton(p, name).compiled(context) for p, name in ((a, "a"), (b, "b")))
    return _chain_of(a, b, table_a, table_b, game, prior_rounds, initial_power, noise, payoffs=payoffs)


def _chain_of(a, b, table_a, table_b, game, prior_rounds, initial_power, noise=0.0, *, payoffs=None) -> Chain:
    check("match_rounds", prior_rounds, f"prior_rounds={prior_rounds}")
    start = (table_a.after_prior_rounds(prior_rounds), table_b.after_prior_rounds(prior_rounds))
    return build_chain(table_a, table_b, game, (a.receptivity, b.receptivity), (a.tacitness, b.tacitness),
                       start, initial_power, noise, prior_rounds, payoffs=payoffs)


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
