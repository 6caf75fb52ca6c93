"""Exact expected payoffs of automaton pairings, as Markov chains.

A match between two automata is a Markov chain over the joint state
``(state of A, state of B, power position z)``. Each round, exactly as the
simulator plays it (:mod:`.engine`, ``docs/model.md``): A intends GIVE with
probability ``give_a[state_a, z + m]`` and B with ``give_b[state_b, m - z]``
(each sees the ladder from its own side); tacitness turns an intended give into
a take (Larsson et al. 1998); the stage payoffs are paid at the ladder position
of the start of the round; then the ladder moves (Hamel 1991) and both automata
move on the moves as played.

With ``M`` the one-round transition matrix, ``u`` the expected stage payoffs of
each joint state and ``e_0`` the start, a match with continuation probability
``w`` (Axelrod 1984: round 1 is always played, then each further round with
probability ``w``) has the expected total

    V(w) = sum_t w^t e_0 M^t u = e_0 (I - w M)^{-1} u,

and the expected number of rounds is ``1 / (1 - w)``. The engine works with the
normalised discounted occupation of the joint states,

    d(w) = (1 - w) e_0 (I - w M)^{-1},      d(w) 1 = 1,

found by solving ``((1 - w) I + w (I - M))^T d^T = (1 - w) e_0`` (never by
inverting), with the diagonal of ``I - M`` formed from the off-diagonal row sums
so that nothing cancels as ``w -> 1``. The payoff per round ``d(w) u`` stays of
the order of the stage payoffs for every ``w`` and tends to the limit of means
``e_0 Pi u`` (``Pi`` the Cesaro limit of ``M^t``), which
:func:`limit_of_means` computes separately from the chain's closed classes.
A fixed-length match of ``T`` rounds sums ``e_0 M^t u`` over ``t < T``.

"Per round" means, by default, the expected total over the expected length,
``E[total] / E[rounds]`` (``averaging="ratio"``). A simulated tournament
reports the mean over repetitions of each match's total over its own length,
``E[total / rounds]``, which differs for continuation matches;
``averaging="match"`` computes that exactly, as the integral
``E[X_L / L] = int_0^1 v(w q / (1 - w + w q)) dq`` of per-round values ``v`` at
smaller discounts (derived in ``docs/analytic.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from ..players.automaton import AutomatonTable, MatchContext
from ..errors import ParameterError
from .._validation import check_continuation, check_count, check_initial_power, check_length, continuation_of
from ..games import LearningGame, ladder_transitions, stage_payoffs
from ..markov import stationary
from ..players.player import Player

# Columns of the per-state reward matrix: A's payoff, B's payoff, A gives,
# B gives, both give.
PAY_A, PAY_B, GIVE_A, GIVE_B, MUTUAL = range(5)
REWARD_COLUMNS = ("payoff A", "payoff B", "A gives", "B gives", "both give")

# Chains up to this many reachable states are solved with dense batched LU,
# larger ones with sparse LU (SuperLU), one continuation value at a time.
DENSE_LIMIT = 400
# Bytes of stacked dense systems solved in one numpy call.
DENSE_BATCH_BYTES = 64 * 2**20

AVERAGINGS = ("ratio", "match")


# --- the chain ---------------------------------------------------------------

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
    """
    from scipy import sparse
    from scipy.sparse.csgraph import breadth_first_order

    m = game.power.levels
    width = 2 * m + 1
    n_a, n_b = table_a.n_states, table_b.n_states
    sa, sb, k = (g.ravel() for g in np.meshgrid(np.arange(n_a), np.arange(n_b), np.arange(width), indexing="ij"))
    z = k - m
    n = sa.size
    give_a = table_a.give[sa, k] * (1.0 - tacitness[0])
    give_b = table_b.give[sb, width - 1 - k] * (1.0 - tacitness[1])
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


def pairing_chain(a: Player, b: Player, game: LearningGame, shadow: float, turns: int | None = None,
                  prior_rounds: int = 0, initial_power: int = 0) -> Chain:
    """The chain of ``a`` against ``b`` with tables compiled for this shadow of the future."""
    context = MatchContext(game, shadow, turns)
    table_a, table_b = (_automaton(p, name).compiled(context) for p, name in ((a, "a"), (b, "b")))
    return _chain_of(a, b, table_a, table_b, game, prior_rounds, initial_power)


def _chain_of(a, b, table_a, table_b, game, prior_rounds, initial_power) -> Chain:
    start = (table_a.after_prior_rounds(prior_rounds), table_b.after_prior_rounds(prior_rounds))
    return build_chain(table_a, table_b, game, (a.receptivity, b.receptivity), (a.tacitness, b.tacitness),
                       start, initial_power)


def _automaton(player: Player, name: str) -> Player:
    if not isinstance(player, Player):
        raise ParameterError(f"player {name} must be a Player, got {player!r}")
    if not player.is_automaton:
        raise ParameterError(f"the analytic engine needs automaton strategies; player {name} is {player.label}")
    return player


# --- solving -----------------------------------------------------------------

def ergodic_projector(chain: Chain):
    """The Cesaro limit ``Pi = lim (1/T) sum_t M^t`` of the chain, in factored form ``Pi = H P``.

    ``P[c]`` is the stationary distribution of closed class ``c`` (a strongly
    connected component that nothing leaves) and ``H[i, c]`` the probability of
    ending in class ``c`` from state ``i`` (Kemeny & Snell 1960): 1 on the class,
    0 on the others, and on the transient states the solution of
    ``(I - Q) h = R 1_c``. Periodic classes need no special care: ``Pi`` is
    the long-run share of rounds, not a limit of ``M^t``.

    Returns
    -------
    H : ndarray, shape (N, r)
    P : ndarray, shape (r, N)
    """
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    transitions, generator = chain.transitions, chain.generator
    graph = sparse.csr_matrix(transitions) if chain.dense else transitions
    n_classes, labels = connected_components(graph, directed=True, connection="strong")
    source, target = graph.nonzero()
    leaving = labels[source] != labels[target]
    is_open = np.zeros(n_classes, dtype=bool)
    is_open[labels[source[leaving]]] = True
    closed = np.nonzero(~is_open)[0]
    H = (labels[:, None] == closed[None, :]).astype(float)
    P = np.zeros((len(closed), chain.size))
    for c, label in enumerate(closed):
        members = np.nonzero(labels == label)[0]
        P[c, members] = stationary(generator[np.ix_(members, members)] if chain.dense
                                    else generator[members][:, members])
    transient = np.nonzero(is_open[labels])[0]
    if len(transient):
        into = transitions[transient] @ H
        block = generator[np.ix_(transient, transient)] if chain.dense else generator[transient][:, transient]
        H[transient] = _solve(block, np.asarray(into))
    return H, P


def _solve(matrix, rhs):
    """Solve a dense or sparse system."""
    if isinstance(matrix, np.ndarray):
        return np.linalg.solve(matrix, rhs)
    from scipy.sparse.linalg import spsolve

    solution = spsolve(matrix.tocsc(), rhs)
    return np.asarray(solution).reshape(rhs.shape)


def limit_occupancy(chain: Chain) -> np.ndarray:
    """The long-run share of rounds in each state, ``e_0 Pi`` (the limit of means)."""
    H, P = chain.ergodic
    return H[chain.start] @ P


def occupancy(chain: Chain, continuations) -> np.ndarray:
    """The normalised discounted occupation ``d(w) = (1 - w) e_0 (I - w M)^{-1}``.

    ``d(w)[i]`` is the expected share of rounds spent in joint state ``i``
    (rounds weighted by the probability that the match reaches them), so
    ``d(w) @ rewards`` is the expected payoff per round,
    ``E[total] / E[rounds]``.

    ``I - w M`` becomes singular as ``w -> 1`` (``M`` has the eigenvalue 1),
    and a direct solve loses about ``eps / (1 - w)`` of relative accuracy. With
    the Cesaro limit ``Pi = H P`` (:func:`ergodic_projector`) the identity
    ``(I - wM)^{-1} = Pi / (1 - w) + (I - w(M - Pi))^{-1} (I - Pi)`` gives

        d(w) = w e_0 Pi + (1 - w) y,     y (I - w M + w Pi) = e_0,

    where ``I - w(M - Pi)`` stays well conditioned up to and including
    ``w = 1``. ``y`` is found from the bordered system
    ``[y, q] [[I - wM, wH], [P, -I]] = [e_0, 0]``, which keeps ``M``
    sparse and ``Pi`` in factored form; ``I - wM`` is formed as
    ``(1 - w) I + w (I - M)`` with the exact diagonal of :attr:`Chain.generator`.

    Parameters
    ----------
    chain : Chain
    continuations : array_like of float in [0, 1]

    Returns
    -------
    ndarray, shape (len(continuations), N)
    """
    ws = np.atleast_1d(np.asarray(continuations, dtype=float))
    H, P = chain.ergodic
    n, r = chain.size, len(P)
    limit = H[chain.start] @ P
    out = np.empty((len(ws), n))
    if chain.dense:
        border = np.zeros((n + r, n + r))
        border[:n, n:] = P.T
        border[n:, n:] = -np.eye(r)
        transposed = chain.generator.T
        identity = np.eye(n)
        per_batch = max(1, DENSE_BATCH_BYTES // (8 * (n + r) ** 2))
        for first in range(0, len(ws), per_batch):
            w = ws[first:first + per_batch, None, None]
            systems = np.broadcast_to(border, (len(w), n + r, n + r)).copy()
            systems[:, :n, :n] = w * transposed + (1.0 - w) * identity
            systems[:, n:, :n] = w * H.T
            rhs = np.zeros((len(w), n + r, 1))
            rhs[:, chain.start, 0] = 1.0
            y = np.linalg.solve(systems, rhs)[:, :n, 0]
            out[first:first + per_batch] = w[:, :, 0] * limit + (1.0 - w[:, :, 0]) * y
        return out
    from scipy import sparse
    from scipy.sparse.linalg import splu

    transposed = chain.generator.T.tocsc()
    identity = sparse.identity(n, format="csc")
    rhs = np.zeros(n + r)
    rhs[chain.start] = 1.0
    for k, w in enumerate(ws):
        system = sparse.bmat([[w * transposed + (1.0 - w) * identity, sparse.csc_matrix(P.T)],
                              [sparse.csc_matrix(w * H.T), -sparse.identity(r)]], format="csc")
        out[k] = w * limit + (1.0 - w) * splu(system).solve(rhs)[:n]
    return out


def visits(chain: Chain, turns: int) -> np.ndarray:
    """Expected number of rounds spent in each state over exactly ``turns`` rounds,
    ``sum_{t < turns} e_0 M^t``, by repeated vector-matrix products."""
    distribution = np.zeros(chain.size)
    distribution[chain.start] = 1.0
    total = np.zeros(chain.size)
    transposed = chain.transitions.T if chain.dense else chain.transitions.T.tocsr()
    for _ in range(turns):
        total += distribution
        distribution = transposed @ distribution
    return total


def averaging_plan(continuation: float, averaging: str = "ratio", panels: int | None = None, nodes: int = 12):
    """Discounts and weights whose occupations average to the requested per-round weighting.

    ``"ratio"``: ``d(w)`` itself (``E[total] / E[rounds]``). ``"match"``: the
    expectation of each match's total over its own length,
    ``E[X_L / L] = int_0^1 v(w q / (1 - w + w q)) dq``; substituting
    ``tau = -log(1 - omega)`` for the discount ``omega`` gives
    ``(1 - w)/w int_0^{-log(1-w)} v(1 - e^{-tau}) e^tau dtau``, an integrand
    analytic in a strip around the real axis, integrated by Gauss-Legendre
    rules on unit-length panels.

    Returns
    -------
    discounts, weights : ndarray
        ``sum_k weights[k] * d(discounts[k])`` is the averaged occupation.
    """
    if averaging == "ratio" or continuation == 0.0:
        return np.array([continuation]), np.ones(1)
    if averaging != "match":
        raise ParameterError(f"averaging must be one of {', '.join(AVERAGINGS)}, got {averaging!r}")
    end = -np.log1p(-continuation)
    count = panels if panels is not None else max(1, int(np.ceil(end)))
    x, weight = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(0.0, end, count + 1)
    half = np.diff(edges)[:, None] / 2
    tau = (edges[:-1, None] + half * (x + 1)).ravel()
    weights = (half * weight).ravel() * np.exp(tau) * (1 - continuation) / continuation
    return -np.expm1(-tau), weights


# --- tables across contexts ---------------------------------------------------

class _ReadTracking(MatchContext):
    """A match context that records whether a table reads the game, the shadow or the turns.

    A table that reads none of them (through ``levels`` and ``positions``
    only) is the same for every game with that ladder and every match length,
    so it is compiled once for a whole grid of continuation values and power
    strengths.
    """

    def __init__(self, game, shadow, turns=None):
        super().__init__(game, shadow, turns)
        object.__setattr__(self, "reads", set())

    def __getattribute__(self, name):
        if name in ("game", "continuation", "turns"):
            object.__getattribute__(self, "reads").add(name)
        return object.__getattribute__(self, name)

    @property
    def levels(self) -> int:
        return object.__getattribute__(self, "game").power.levels


class _Tables:
    """One player's compiled tables across contexts, each distinct table numbered once."""

    def __init__(self, player: Player, name: str):
        self.player = _automaton(player, name)
        self.fixed = None  # (levels, number) if the table reads no game, shadow or turns
        self.known = {}
        self.tables = []

    def at(self, game: LearningGame, shadow: float, turns: int | None = None) -> int:
        """The number of the player's table in this context."""
        levels = game.power.levels
        if self.fixed is not None and self.fixed[0] == levels:
            return self.fixed[1]
        if not self.known:
            probe = _ReadTracking(game, shadow, turns)
            table = self.player.table(probe)
            if not probe.reads:
                self.fixed = (levels, self._number(table))
                return self.fixed[1]
        return self._number(self.player.compiled(MatchContext(game, shadow, turns)))

    def over_grid(self, games, ws) -> np.ndarray:
        """Table numbers at every ``(w, game)`` point, shape (len(ws), len(games))."""
        numbers = np.empty((len(ws), len(games)), dtype=np.int64)
        numbers[0, 0] = self.at(games[0], float(ws[0]))
        if self.fixed is not None and all(g.power.levels == self.fixed[0] for g in games):
            numbers[:] = self.fixed[1]
            return numbers
        for s, game in enumerate(games):
            for k, w in enumerate(ws):
                numbers[k, s] = self.at(game, float(w))
        return numbers

    def _number(self, table: AutomatonTable) -> int:
        key = (table.give.tobytes(), table.give.shape, table.next_state.tobytes(), table.start)
        if key not in self.known:
            self.known[key] = len(self.tables)
            self.tables.append(table)
        return self.known[key]


class _Pairing:
    """A pairing's chains across continuation values, built once per pair of distinct tables."""

    def __init__(self, a: Player, b: Player, game: LearningGame, prior_rounds: int, initial_power: int,
                 tables=None):
        self.a, self.b, self.game = a, b, game
        self.prior_rounds, self.initial_power = prior_rounds, initial_power
        self.tables = tables if tables is not None else (_Tables(a, "a"), _Tables(b, "b"))
        self.chains = {}

    def key(self, shadow: float, game: LearningGame | None = None, turns: int | None = None):
        game = game if game is not None else self.game
        return self.tables[0].at(game, shadow, turns), self.tables[1].at(game, shadow, turns), game.power.active

    def chain(self, key, game: LearningGame | None = None) -> Chain:
        if key not in self.chains:
            table_a, table_b = self.tables[0].tables[key[0]], self.tables[1].tables[key[1]]
            self.chains[key] = _chain_of(self.a, self.b, table_a, table_b, game or self.game,
                                         self.prior_rounds, self.initial_power)
        return self.chains[key]

    def per_round(self, continuations, averaging: str = "ratio") -> np.ndarray:
        """Per-round values, shape (len(continuations), 5), grouping values that share a chain."""
        ws = np.asarray(continuations, dtype=float)
        out = np.empty((len(ws), 5))
        groups = {}
        for index, w in enumerate(ws):
            groups.setdefault(self.key(float(w)), []).append(index)
        for key, indices in groups.items():
            chain = self.chain(key)
            out[indices] = averaged_occupancy(chain, ws[indices], averaging) @ chain.rewards
        return out


def averaged_occupancy(chain: Chain, continuations, averaging: str = "ratio") -> np.ndarray:
    """Occupations under the requested averaging, shape (len(continuations), N)."""
    ws = np.atleast_1d(np.asarray(continuations, dtype=float))
    if averaging == "ratio":
        return occupancy(chain, ws)
    plans = [averaging_plan(float(w), averaging) for w in ws]
    solved = occupancy(chain, np.concatenate([discounts for discounts, _ in plans]))
    out = np.empty((len(ws), chain.size))
    first = 0
    for k, (discounts, weights) in enumerate(plans):
        out[k] = weights @ solved[first:first + len(discounts)]
        first += len(discounts)
    return out


# --- public results -------------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    """Expected outcome of a pairing.

    Attributes
    ----------
    totals : ndarray, shape (2,)
        Expected total payoffs of A and B over the match (all rounds count
        fully; with continuation ``w`` that is ``sum_t w^t E[u_t]``). ``nan``
        for the limit of means.
    per_round : ndarray, shape (2,)
        Expected payoff per round: ``totals / length`` (``averaging="ratio"``)
        or the expectation of each match's own mean (``"match"``).
    give_rates : ndarray, shape (2,)
        Share of rounds in which each gave, weighted the same way.
    mutual_giving : float
        Share of rounds in which both gave.
    length : float
        Expected number of rounds.
    """

    totals: np.ndarray
    per_round: np.ndarray
    give_rates: np.ndarray
    mutual_giving: float
    length: float


def _expected(shares: np.ndarray, length: float, totals=None) -> Expected:
    totals = length * shares[[PAY_A, PAY_B]] if totals is None else totals
    return Expected(totals, shares[[PAY_A, PAY_B]], _rate(shares[[GIVE_A, GIVE_B]]), float(_rate(shares[MUTUAL])),
                    length)


def _rate(values):
    """Clip a share of rounds into [0, 1], where rounding in the solves may leave it."""
    return np.clip(values, 0.0, 1.0)


def expected_payoffs(a: Player, b: Player, game: LearningGame | None = None, continuation: float | None = None,
                     turns: int | None = None, prior_rounds: int = 0, initial_power: int = 0,
                     averaging: str = "ratio") -> Expected:
    """The exact expected outcome of ``a`` (as A) against ``b``.

    Parameters
    ----------
    a, b : Player
        Automaton strategies.
    game : LearningGame, optional
    continuation, turns
        As for :class:`~learning_dilemma.match.Match` (200 turns by default).
    prior_rounds, initial_power
        As for :class:`~learning_dilemma.match.Match`.
    averaging : {"ratio", "match"}
        How per-round values average over continuation matches of random
        length: ``E[total] / E[rounds]`` or ``E[total / rounds]`` (what a
        simulated tournament's payoff matrix estimates). Equal for fixed turns.

    Examples
    --------
    >>> from learning_dilemma.strategies import Defector, TitForTat
    >>> result = expected_payoffs(TitForTat(), Defector(), continuation=0.5)
    >>> result.totals  # TFT gets S + w P/(1-w), the defector T + w P/(1-w)
    array([1., 6.])
    >>> result.per_round  # (1 - w) times the totals
    array([0.5, 3. ])
    """
    game = _game(game)
    turns, continuation = check_length(turns, continuation)
    prior_rounds = check_count("prior_rounds", prior_rounds)
    initial_power = check_initial_power(initial_power, game)
    _check_averaging(averaging)
    chain = pairing_chain(a, b, game, continuation_of(turns, continuation), turns, prior_rounds, initial_power)
    if turns is not None:
        return _expected(visits(chain, turns) @ chain.rewards / turns, float(turns))
    length = 1.0 / (1.0 - continuation)
    shares = averaged_occupancy(chain, [continuation], averaging)[0] @ chain.rewards
    if averaging == "ratio":
        return _expected(shares, length)
    totals = occupancy(chain, [continuation])[0] @ chain.rewards[:, [PAY_A, PAY_B]] * length
    return _expected(shares, length, totals)


def limit_of_means(a: Player, b: Player, game: LearningGame | None = None, shadow: float = 1.0,
                   prior_rounds: int = 0, initial_power: int = 0) -> Expected:
    """The long-run payoffs per round of an endless match (the limit of means).

    The Cesaro limit of the chain (:func:`limit_occupancy`), which is also the
    limit of the per-round values as the continuation probability tends to 1
    (Abel's theorem). Tables are compiled for the given ``shadow``.
    """
    game = _game(game)
    prior_rounds = check_count("prior_rounds", prior_rounds)
    initial_power = check_initial_power(initial_power, game)
    chain = pairing_chain(a, b, game, float(shadow), None, prior_rounds, initial_power)
    shares = limit_occupancy(chain) @ chain.rewards
    return _expected(shares, np.inf, np.full(2, np.nan))


def per_round_curve(a: Player, b: Player, game: LearningGame | None, continuations, prior_rounds: int = 0,
                    initial_power: int = 0, averaging: str = "ratio") -> np.ndarray:
    """Per-round values for many continuation probabilities at once.

    Returns shape (len(continuations), 5): A's and B's payoff, A's and B's
    give rate and mutual giving, per round. Tables that depend on the shadow
    (e.g. Calculative) are compiled for each ``w``; values sharing a chain are
    solved in one batch.
    """
    game = _game(game)
    ws = [check_continuation(w) for w in np.atleast_1d(continuations)]
    _check_averaging(averaging)
    pairing = _Pairing(a, b, game, check_count("prior_rounds", prior_rounds), check_initial_power(initial_power, game))
    return pairing.per_round(ws, averaging)


# --- rosters --------------------------------------------------------------------

@dataclass(frozen=True)
class RosterPayoffs:
    """Expected outcomes of every ordered pairing of a roster.

    ``payoffs[i, j]`` is what ``players[i]`` earns per round against
    ``players[j]`` (``players[i]`` plays as A when ``i <= j``). Unpacks as
    ``payoffs, gives = payoff_matrix(...)``.

    Attributes
    ----------
    payoffs, totals, gives, mutual_giving : ndarray, shape (n, n)
    """

    payoffs: np.ndarray
    totals: np.ndarray
    gives: np.ndarray
    mutual_giving: np.ndarray

    def __iter__(self):
        return iter((self.payoffs, self.gives))


@dataclass(frozen=True)
class RosterGrid:
    """Roster matrices over a grid of continuation values and power strengths.

    Attributes
    ----------
    continuations : ndarray, shape (n_w,)
    strengths : ndarray, shape (n_s,)
    payoffs, totals, gives, mutual_giving : ndarray, shape (n_w, n_s, n, n)
        As in :class:`RosterPayoffs`, at each ``(continuation, strength)``.
    """

    continuations: np.ndarray
    strengths: np.ndarray
    payoffs: np.ndarray
    totals: np.ndarray
    gives: np.ndarray
    mutual_giving: np.ndarray

    def at(self, w_index: int, s_index: int) -> RosterPayoffs:
        return RosterPayoffs(self.payoffs[w_index, s_index], self.totals[w_index, s_index],
                             self.gives[w_index, s_index], self.mutual_giving[w_index, s_index])


def payoff_matrix(players, game: LearningGame | None = None, continuation: float | None = None,
                  turns: int | None = None, prior_rounds: int = 0, initial_power: int = 0,
                  averaging: str = "ratio") -> RosterPayoffs:
    """Exact per-round payoffs, totals and give rates of every ordered pairing of a roster.

    Each unordered pair (and each player against itself) is solved once.

    Examples
    --------
    >>> from learning_dilemma.strategies import Defector, TitForTat
    >>> payoffs, gives = payoff_matrix([TitForTat(), Defector()], turns=10)
    >>> payoffs  # TFT: S once then P; the defector T once then P
    array([[3. , 0.9],
           [1.4, 1. ]])
    """
    game = _game(game)
    turns, continuation = check_length(turns, continuation)
    if turns is None:
        return payoff_matrices(players, game, [continuation], None, prior_rounds, initial_power, averaging).at(0, 0)
    _check_averaging(averaging)
    prior_rounds = check_count("prior_rounds", prior_rounds)
    initial_power = check_initial_power(initial_power, game)
    tables = [_Tables(p, f"players[{i}]") for i, p in enumerate(players)]
    n = len(players)
    shares = np.empty((n, n, 3))
    mutual = np.empty((n, n))
    shadow = continuation_of(turns, None)
    for i in range(n):
        for j in range(i, n):
            pairing = _Pairing(players[i], players[j], game, prior_rounds, initial_power, (tables[i], tables[j]))
            chain = pairing.chain(pairing.key(shadow, turns=turns))
            values = visits(chain, turns) @ chain.rewards / turns
            shares[i, j] = values[[PAY_A, GIVE_A, MUTUAL]]
            shares[j, i] = values[[PAY_B, GIVE_B, MUTUAL]]
    return RosterPayoffs(shares[..., 0], turns * shares[..., 0], _rate(shares[..., 1]), _rate(shares[..., 2]))


def payoff_matrices(players, game: LearningGame | None = None, continuations=(0.9,), strengths=None,
                    prior_rounds: int = 0, initial_power: int = 0, averaging: str = "ratio") -> RosterGrid:
    """Roster matrices for many continuation values and power strengths at once.

    Work is shared across the grid: a table that reads neither the game nor the
    shadow is compiled once; each pairing's chain is built once per pair of
    distinct tables and power on or off (the transitions do not depend on the
    strength); the continuation values sharing a chain are solved in one
    batch; and as stage payoffs are linear in power strength, one solve serves
    every strength.

    Parameters
    ----------
    players : sequence of Player
        Automaton strategies.
    game : LearningGame, optional
        Everything but the power strength.
    continuations : array_like of float in [0, 1)
    strengths : array_like of float in [0, 1], optional
        Power strengths (default: the game's).

    Returns
    -------
    RosterGrid
    """
    game = _game(game)
    ws = np.array([check_continuation(w) for w in np.atleast_1d(continuations)])
    strengths = np.array([game.power.strength] if strengths is None else np.atleast_1d(strengths), dtype=float)
    games = [game.with_power(strength=float(s)) for s in strengths]  # validates each strength
    _check_averaging(averaging)
    prior_rounds = check_count("prior_rounds", prior_rounds)
    initial_power = check_initial_power(initial_power, game)
    n, n_w, n_s = len(players), len(ws), len(strengths)
    tables = [_Tables(p, f"players[{i}]") for i, p in enumerate(players)]
    numbers = np.stack([source.over_grid(games, ws) for source in tables])
    active = np.array([g.power.active for g in games])
    grid_s = np.broadcast_to(strengths, (n_w, n_s)).ravel()
    grid_w = np.broadcast_to(np.arange(n_w)[:, None], (n_w, n_s)).ravel()
    grid_active = np.broadcast_to(active, (n_w, n_s)).ravel()
    # values[i, j, point, :] = (pay A, pay B, give A, give B, mutual) for i <= j
    pay = np.empty((n, n, n_w * n_s))
    total = np.empty((n, n, n_w * n_s))
    give = np.empty((n, n, n_w * n_s))
    mutual = np.empty((n, n, n_w * n_s))
    length = 1.0 / (1.0 - ws[grid_w])
    for i in range(n):
        for j in range(i, n):
            pairing = _Pairing(players[i], players[j], game, prior_rounds, initial_power, (tables[i], tables[j]))
            codes = (numbers[i].ravel() * (numbers[j].max() + 1) + numbers[j].ravel()) * 2 + grid_active
            distinct, first, group = np.unique(codes, return_index=True, return_inverse=True)
            for g, sample in enumerate(first):
                points = np.nonzero(group.ravel() == g)[0]
                key = (int(numbers[i].flat[sample]), int(numbers[j].flat[sample]), bool(grid_active[sample]))
                # Chains with power on are built at strength 1 whatever the grid, so
                # a point's numbers never depend on which other points share the call.
                reference = _extremes(game)[1] if key[2] else games[sample % n_s]
                chain = pairing.chain(key, reference)
                w_used, w_index = np.unique(grid_w[points], return_inverse=True)
                basis = np.concatenate([chain.rewards, chain.power_gain], axis=1)
                values = _rows_times(averaged_occupancy(chain, ws[w_used], averaging), basis)
                values = values[w_index.ravel()]
                shift = (grid_s[points] - chain.strength)[:, None]
                payoffs_ab = values[:, [PAY_A, PAY_B]] + shift * values[:, 5:7]
                if averaging == "ratio":
                    totals_ab = payoffs_ab * length[points, None]
                else:
                    plain = _rows_times(occupancy(chain, ws[w_used]), basis)
                    plain = plain[w_index.ravel()]
                    totals_ab = (plain[:, [PAY_A, PAY_B]] + shift * plain[:, 5:7]) * length[points, None]
                pay[i, j, points], pay[j, i, points] = payoffs_ab.T
                total[i, j, points], total[j, i, points] = totals_ab.T
                give[i, j, points], give[j, i, points] = values[:, GIVE_A], values[:, GIVE_B]
                mutual[i, j, points] = mutual[j, i, points] = values[:, MUTUAL]

    def shaped(array):
        return np.moveaxis(array.reshape(n, n, n_w, n_s), (0, 1), (2, 3))

    # Rates are shares of rounds; the solves may leave them a rounding error outside [0, 1].
    return RosterGrid(ws, strengths, shaped(pay), shaped(total), _rate(shaped(give)), _rate(shaped(mutual)))


# --- the critical shadow of the future ---------------------------------------------

def resistance(resident: Player, invader: Player, game: LearningGame | None = None, continuations=0.9,
               prior_rounds: int = 0, initial_power: int = 0):
    """How much better the resident does against itself than the invader does against it.

    ``V(resident vs resident) - V(invader vs resident)``, per round (the
    invader plays as A against the resident as B). The resident resists the
    invader where this is ``>= 0``: Axelrod's (1984) collective stability,
    "no strategy does better against it than it does against itself", checked
    against this one invader. Returns a float for one ``w``, an array for many.
    """
    game = _game(game)
    ws = np.atleast_1d(continuations)
    margin = _Margin(resident, invader, game, prior_rounds, initial_power)([check_continuation(w) for w in ws])
    return float(margin[0]) if np.ndim(continuations) == 0 else margin


class _Margin:
    """``resistance`` as a function of ``w``, reusing tables and chains between calls."""

    def __init__(self, resident, invader, game, prior_rounds, initial_power):
        prior_rounds = check_count("prior_rounds", prior_rounds)
        initial_power = check_initial_power(initial_power, game)
        resident_tables = _Tables(resident, "resident")
        self.home = _Pairing(resident, resident, game, prior_rounds, initial_power,
                             (resident_tables, resident_tables))
        self.away = _Pairing(invader, resident, game, prior_rounds, initial_power,
                             (_Tables(invader, "invader"), resident_tables))

    def __call__(self, ws) -> np.ndarray:
        return self.home.per_round(ws)[:, PAY_A] - self.away.per_round(ws)[:, PAY_A]


def critical_continuation(resident: Player, invader: Player, game: LearningGame | None = None,
                          prior_rounds: int = 0, initial_power: int = 0, grid: int = 200,
                          tolerance: float = 1e-11) -> float:
    """The critical shadow of the future: the smallest ``w`` from which the resident resists the invader.

    The resident resists at ``w`` when :func:`resistance` is ``>= 0`` (up to
    ``tolerance`` times the payoff scale). Returned is the smallest ``w*`` in
    ``[0, 1)`` such that it resists at every ``w`` in ``[w*, 1)``: the
    margin is scanned on ``grid`` points spread evenly over ``[0, 0.99]`` and
    geometrically up to ``1 - 1e-8``, and the last change from failing to
    resisting is refined with Brent's method (``scipy.optimize.brentq``; if a
    table changes with ``w`` it converges to that jump).

    Returns
    -------
    float
        ``0.0`` if the resident resists already at ``w = 0`` and throughout;
        ``nan`` if it does not resist even at ``w = 1 - 1e-8`` (it never
        resists, or only in the limit ``w -> 1``). A resisting interval below
        a failing one is not reported: see :func:`resistance` for the curve.

    Examples
    --------
    >>> from learning_dilemma.strategies import Alternator, Defector, TitForTat
    >>> round(critical_continuation(TitForTat(), Defector()), 9)  # (T - R) / (T - P)
    0.5
    >>> round(critical_continuation(TitForTat(), Alternator()), 9)  # (T - R) / (R - S)
    0.666666667
    """
    from scipy.optimize import brentq

    game = _game(game)
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 10:
        raise ParameterError(f"grid must be a whole number >= 10, got {grid!r}")
    margin = _Margin(resident, invader, game, prior_rounds, initial_power)
    near_one = max(3, grid // 8)
    ws = np.concatenate([np.linspace(0.0, 0.99, grid - near_one), 1.0 - np.logspace(-2, -8, near_one + 1)[1:]])
    values = margin(ws)
    R, S, T, P = game.payoff_matrix()
    slack = tolerance * max(1.0, abs(R), abs(S), abs(T), abs(P))
    resists = values >= -slack
    if not resists[-1]:
        return float("nan")
    if resists.all():
        return 0.0
    last_fail = int(np.nonzero(~resists)[0][-1])
    low, high = ws[last_fail], ws[last_fail + 1]
    return float(brentq(lambda w: margin([w])[0] + slack, low, high, xtol=1e-13, rtol=4 * np.finfo(float).eps))


# --- helpers --------------------------------------------------------------------------

def _game(game) -> LearningGame:
    if game is None:
        return LearningGame()
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    return game


def _rows_times(rows: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``rows @ matrix`` with each row's sums in a fixed order: BLAS may pick a
    different kernel (and rounding) for one row than for many, and a sweep's
    numbers must not depend on how its points were batched."""
    return np.einsum("wn,nk->wk", rows, matrix)


def _check_averaging(averaging) -> None:
    if averaging not in AVERAGINGS:
        raise ParameterError(f"averaging must be one of {', '.join(AVERAGINGS)}, got {averaging!r}")
