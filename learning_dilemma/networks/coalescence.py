"""When selection favours sharing on a given network: coalescence times (Allen et al. 2017).

Weak selection on any weighted graph
------------------------------------
People sit on the vertices of a graph with symmetric tie weights ``w_ij`` (no
self-ties); ``w_i = sum_j w_ij``, ``p_ij = w_ij / w_i`` is a step of the random
walk and ``pi_i = w_i / sum_k w_k`` its stationary distribution. Each person plays
the donation game with every neighbour and keeps the *edge-weighted average*
``f_i = sum_j p_ij u(s_i, s_j)`` (Allen et al. 2017, Fig. 1); fitness is
``F_i = 1 + delta f_i``. Under **death-birth** updating a uniformly random person
dies and the neighbours compete for the place with probability proportional to
``w_ij F_j``.

Allen, Lippner, Chen, Fotouhi, Momeni, Yau & Nowak (2017) showed that for weak
selection (``delta -> 0``) the fixation probability of one giver placed uniformly
at random among takers is

    rho_C = 1/N + delta/(2N) (-c tau^(2) + b (tau^(3) - tau^(1))) + O(delta^2),

so sharing is favoured (``rho_C > 1/N``, equivalently ``rho_C > rho_D``) exactly
when ``b/c > (b/c)* = tau^(2) / (tau^(3) - tau^(1))``. Here the *coalescence
times* ``tau_ij`` (expected meeting time of two random walkers from ``i`` and
``j``, one of them stepping each time) solve

    tau_ii = 0,    tau_ij = 1 + 1/2 sum_k (p_ik tau_kj + p_jk tau_ik)   (i != j),

and ``tau^(n) = sum_ij pi_i p_ij^(n) tau_ij`` is the expected coalescence time
from the two ends of an ``n``-step walk started at stationarity. The structure
coefficient ``sigma = ((b/c)* + 1)/((b/c)* - 1)`` carries the condition to any
2 x 2 game: strategy A is favoured over B if ``sigma a + b > c + sigma d``
(Allen et al. 2017, eq. (3) of the Methods and Extended Data Fig. 1; Tarnita,
Ohtsuki, Antal, Fu & Nowak 2009).

On a regular graph of degree ``k`` (no self-loops) this gives
``(b/c)* = (N - 2)/(N/k - 2)`` (Taylor, Day & Wild 2007; Chen 2013; Allen et
al. 2017), which tends to Ohtsuki, Hauert, Lieberman & Nowak's (2006)
``b/c > k`` as ``N`` grows. On a star ``tau^(3) = tau^(1)`` (three steps of the
walk end where one step does), so no ratio favours sharing (Allen et al. 2017:
the star never favours cooperation under death-birth updating).

The donation game is the learning game's own stage game at its donation-game
limit (issue 18): ``LearningGame(synergy=0, race_premium=0)`` at full overlap,
receptivity 1 and every give transferring pays ``u_i = P + b g_j - c g_i`` with
``b = learning_benefit`` and ``c = leak`` (:func:`donation_game`,
:func:`payoff_matrix`); ``b`` and ``c`` are never used apart from that game.

Exact check at finite selection
-------------------------------
:func:`fixation_probability` solves the full Markov chain of the ``2^N``
configurations of givers and takers (death-birth, or birth-death: a person
reproduces with probability proportional to ``F_i`` and the offspring replaces a
neighbour chosen with probability ``p_ij``), at any ``delta``, for small graphs.
:func:`simulate_fixation` runs the same process by Monte Carlo, vectorised over
runs. Both take the payoffs of any 2 x 2 stage game of the learning game
(``game=``), so the sigma rule can be checked too.

References
----------
Allen, B., Lippner, G., Chen, Y.-T., Fotouhi, B., Momeni, N., Yau, S.-T. &
Nowak, M. A. (2017). Evolutionary dynamics on any population structure. Nature
544, 227-230.
Chen, Y.-T. (2013). Sharp benefit-to-cost rules for the evolution of
cooperation on regular graphs. Annals of Applied Probability 23, 637-664.
Ohtsuki, H., Hauert, C., Lieberman, E. & Nowak, M. A. (2006). A simple rule for
the evolution of cooperation on graphs and social networks. Nature 441, 502-505.
Taylor, P. D., Day, T. & Wild, G. (2007). Evolution of cooperation in a finite
homogeneous graph. Nature 447, 469-472.
Tarnita, C. E., Ohtsuki, H., Antal, T., Fu, F. & Nowak, M. A. (2009). Strategy
selection in structured populations. Journal of Theoretical Biology 259, 570-581.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_count, check_number
from ..errors import ParameterError
from ..games.learning import LearningGame, stage_payoff
from ..limits import check
from ..seeding import root_entropy
from .population import Population

__all__ = [
    "Coalescence", "DENSE_PEOPLE", "FIXATION_ADDRESS", "FIXATION_STREAM", "FITNESS", "FixationEstimate", "RULES",
    "STARTS", "coalescence", "coalescence_times", "critical_ratio", "donation_game", "fixation_probability",
    "payoff_matrix", "regular_critical_ratio", "simulate_fixation", "weight_matrix",
]

#: Update rules: ``"db"`` death-birth, ``"bd"`` birth-death.
RULES = ("db", "bd")
#: Fitness from payoff: ``"linear"`` ``1 + delta f`` (Allen et al. 2017), ``"exp"`` ``exp(delta f)``.
FITNESS = ("linear", "exp")
#: Where the single mutant starts: ``"uniform"`` (each person with probability
#: ``1/N``; Allen et al. 2017 for death-birth), or a person (label or index).
STARTS = ("uniform",)
#: Up to this many people the coalescence times are solved by a dense Cholesky
#: factorisation (to rounding); above it by conjugate gradients, matrix-free.
DENSE_PEOPLE = 48
from ..seeding import FIXATION_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
from ..seeding import FIXATION_ADDRESS  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
# |tau^(3) - tau^(1)| below this share of tau^(3) is zero to rounding (the star's is exactly 0).
_ZERO = 1e-9


# --- the graph ------------------------------------------------------------------------


def weight_matrix(graph, weight: str = "weight"):
    """The symmetric tie weights of a graph, and who each row is.

    Parameters
    ----------
    graph : Population, networkx.Graph, ndarray or scipy sparse matrix
        A :class:`~.population.Population` (each tie weight 1), an undirected
        networkx graph (edge attribute ``weight``, default 1; a multigraph's
        parallel edges add up), or a square symmetric matrix of weights.
    weight : str
        The networkx edge attribute holding a tie's weight.

    Returns
    -------
    W : scipy.sparse.csr_array, shape (N, N)
        ``w_ij >= 0``, symmetric, zero diagonal, connected, ``N >= 2``.
    labels : tuple
        The person (name, node or index) of each row.
    """
    import scipy.sparse as sp

    if isinstance(graph, Population):
        n = graph.n_people
        check("people", n, "the graph")
        labels = tuple(p.name for p in graph.people)
        u, v = graph.tie_people[:, 0], graph.tie_people[:, 1]
        ones = np.ones(len(u))
        W = sp.csr_array((np.concatenate([ones, ones]), (np.concatenate([u, v]), np.concatenate([v, u]))),
                         shape=(n, n))
    elif _is_networkx(graph):
        W, labels = _from_networkx(graph, weight)
    elif isinstance(graph, np.ndarray) or sp.issparse(graph):
        W, labels = _from_matrix(graph)
    else:
        raise ParameterError(f"graph must be a Population, a networkx graph or a square weight matrix, "
                             f"got {type(graph).__name__}")
    n = W.shape[0]
    if n < 2:
        raise ParameterError(f"graph: evolution on a graph needs at least 2 people, got {n}")
    strength = np.asarray(W.sum(axis=1)).ravel()
    alone = np.flatnonzero(strength <= 0)
    if len(alone):
        raise ParameterError(f"graph: person {labels[alone[0]]!r} has no tie (a graph for evolution must be connected)")
    from scipy.sparse.csgraph import connected_components

    parts, which = connected_components(W, directed=False)
    if parts > 1:
        other = int(np.flatnonzero(which != which[0])[0])
        raise ParameterError(f"graph: not connected ({parts} parts; {labels[0]!r} and {labels[other]!r} are "
                             f"in different parts)")
    return W, labels


def _is_networkx(graph) -> bool:
    try:
        import networkx as nx
    except ImportError:  # pragma: no cover - networkx is a dependency
        return False
    return isinstance(graph, nx.Graph)


def _from_networkx(graph, weight: str):
    import scipy.sparse as sp

    if graph.is_directed():
        raise ParameterError("graph: must be undirected (Allen et al. 2017 take symmetric weights w_ij = w_ji)")
    labels = tuple(graph.nodes)
    n = len(labels)
    check("people", n, "the graph")
    check("ties", graph.number_of_edges(), "the graph")
    at = {node: k for k, node in enumerate(labels)}
    rows, cols, values = [], [], []
    for a, b, data in graph.edges(data=True):
        if a == b:
            raise ParameterError(f"graph: node {a!r} has a tie with itself (self-loops are not supported)")
        value = data.get(weight, 1.0)
        value = check_number(f"graph: edge {a!r}-{b!r} {weight}", value, 0.0)
        rows += [at[a], at[b]]
        cols += [at[b], at[a]]
        values += [value, value]
    W = sp.csr_array((np.array(values, dtype=float), (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp))),
                     shape=(n, n))
    W.sum_duplicates()
    return W, labels


def _from_matrix(matrix):
    import scipy.sparse as sp

    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ParameterError(f"graph: a weight matrix must be square, got shape {matrix.shape}")
    n = matrix.shape[0]
    check("people", n, "the graph")
    W = sp.csr_array(matrix, dtype=float)
    W.sum_duplicates()
    W.eliminate_zeros()
    data = W.data
    if not np.all(np.isfinite(data)):
        raise ParameterError("graph: the weight matrix must be finite")
    if np.any(data < 0):
        raise ParameterError("graph: weights must be >= 0")
    if np.any(W.diagonal() != 0):
        raise ParameterError("graph: the weight matrix must have a zero diagonal (self-loops are not supported)")
    gap = abs(W - W.T).max() if W.nnz else 0.0
    if gap > 1e-12 * (data.max() if W.nnz else 1.0):
        raise ParameterError("graph: the weight matrix must be symmetric (Allen et al. 2017 take w_ij = w_ji)")
    return sp.csr_array((W + W.T) / 2.0), tuple(range(n))


# --- coalescence times --------------------------------------------------------------------


def coalescence_times(graph, weight: str = "weight", method: str = "auto") -> np.ndarray:
    """The coalescence times ``tau_ij`` of a graph (Allen et al. 2017).

    ``tau_ii = 0`` and, for ``i != j``, ``tau_ij = 1 + 1/2 sum_k (p_ik tau_kj +
    p_jk tau_ik)``: the expected number of steps until two random walkers from
    ``i`` and ``j`` meet, one of them (each with probability 1/2) stepping each
    time. The ``N(N - 1)/2`` unknowns ``i < j`` are solved together; multiplied
    by ``w_i w_j``, the equations are symmetric positive definite (the pair of
    walkers is a reversible chain killed on meeting), so they are solved by
    Cholesky (``N <= DENSE_PEOPLE``) or by conjugate gradients without forming
    the matrix (``A tau = (w w') o tau - (w' o W tau + w o (W tau)') / 2`` off
    the diagonal).

    Parameters
    ----------
    graph : Population, networkx.Graph or weight matrix
        As :func:`weight_matrix` reads it.
    weight : str
        The networkx edge attribute of a tie's weight.
    method : {"auto", "dense", "cg"}

    Returns
    -------
    ndarray, shape (N, N)
        Symmetric, zero diagonal, rows in the order of :func:`weight_matrix`.

    Examples
    --------
    On a cycle the distance of two walkers is a fair random walk absorbed at 0
    and ``N``, so ``tau_ij = d (N - d)`` at distance ``d``:

    >>> import numpy as np
    >>> ring = np.roll(np.eye(5), 1, axis=1); ring = ring + ring.T
    >>> coalescence_times(ring)[0].round(9).tolist()
    [0.0, 4.0, 6.0, 6.0, 4.0]
    """
    W, _ = weight_matrix(graph, weight)
    return _solve_times(W, method)


def _solve_times(W, method: str = "auto") -> np.ndarray:
    if method not in ("auto", "dense", "cg"):
        raise ParameterError(f"method must be one of auto, dense, cg, got {method!r}")
    n = W.shape[0]
    pairs = n * (n - 1) // 2
    check("chain_states", pairs, f"coalescence times of {n:,} people ({pairs:,} pairs)")
    w = np.asarray(W.sum(axis=1)).ravel()
    iu, ju = np.triu_indices(n, 1)
    rhs = w[iu] * w[ju]
    if method == "dense" or (method == "auto" and n <= DENSE_PEOPLE):
        x = _solve_dense(W, w, iu, ju, rhs)
    else:
        x = _solve_cg(W, w, iu, ju, rhs)
    tau = np.zeros((n, n))
    tau[iu, ju] = x
    tau[ju, iu] = x
    return tau


def _solve_dense(W, w, iu, ju, rhs):
    from scipy.linalg import solve

    n = W.shape[0]
    pairs = len(iu)
    check("chain_states", pairs * pairs, f"a dense system of {pairs:,} pairs (method='dense')",
          hint="or use method='cg'")
    index = np.full((n, n), -1, dtype=np.intp)
    index[iu, ju] = index[ju, iu] = np.arange(pairs)
    coo = W.tocoo()
    a, k, wak = coo.row, coo.col, coo.data
    # the walker at a steps to k: row {a, j}, column {k, j}, coefficient -w_j w_ak / 2 (for j != a, k)
    j = np.arange(n)
    rows, cols = index[a[:, None], j[None, :]], index[k[:, None], j[None, :]]
    values = -0.5 * wak[:, None] * w[None, :]
    keep = (rows >= 0) & (cols >= 0)
    A = np.zeros((pairs, pairs))
    np.add.at(A, (rows[keep], cols[keep]), values[keep])
    A[np.arange(pairs), np.arange(pairs)] += rhs
    return solve(A, rhs, assume_a="pos")


def _solve_cg(W, w, iu, ju, rhs):
    """Conjugate gradients on the full symmetric matrix of ordered pairs (both halves; the
    diagonal held at 0 by an identity block), which avoids packing and unpacking pairs."""
    from scipy.sparse.linalg import LinearOperator, cg

    n = W.shape[0]
    size = n * n
    outer = np.outer(w, w)
    np.fill_diagonal(outer, 1.0)
    off = ~np.eye(n, dtype=bool)
    b = (outer * off).ravel()

    def apply(x):
        X = x.reshape(n, n) * off
        WX = np.asarray(W @ X)
        Y = outer * X - 0.5 * (w[None, :] * WX + w[:, None] * WX.T)
        Y[~off] = x.reshape(n, n)[~off]
        return Y.ravel()

    A = LinearOperator((size, size), matvec=apply, dtype=float)
    jacobi = LinearOperator((size, size), matvec=lambda r: r / outer.ravel(), dtype=float)
    x, info = cg(A, b, rtol=1e-13, atol=0.0, maxiter=max(1000, 20 * n), M=jacobi)
    residual = np.linalg.norm(apply(x) - b) / np.linalg.norm(b)
    if info != 0 and residual > 1e-10:
        raise ArithmeticError(f"coalescence times: conjugate gradients did not converge on {n:,} people "
                              f"(relative residual {residual:.1e})")
    X = x.reshape(n, n)
    return (X[iu, ju] + X[ju, iu]) / 2.0


# --- the critical ratio ------------------------------------------------------------------


@dataclass(frozen=True)
class Coalescence:
    """Coalescence times of a graph and what they say about sharing (Allen et al. 2017).

    Attributes
    ----------
    labels : tuple
        Who each row is.
    tau : ndarray, shape (N, N)
        Coalescence times ``tau_ij``.
    pi : ndarray, shape (N,)
        ``w_i / sum_k w_k``: the walk's stationary distribution (death-birth's
        reproductive values).
    tau1, tau2, tau3 : float
        ``tau^(n) = sum_ij pi_i p_ij^(n) tau_ij`` for ``n = 1, 2, 3``.
    """

    labels: tuple
    tau: np.ndarray
    pi: np.ndarray
    tau1: float
    tau2: float
    tau3: float

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def gap(self) -> float:
        """``tau^(3) - tau^(1)``, zero where it is zero to rounding."""
        gap = self.tau3 - self.tau1
        return 0.0 if abs(gap) <= _ZERO * abs(self.tau3) else gap

    @property
    def raw_ratio(self) -> float:
        """``tau^(2) / (tau^(3) - tau^(1))`` as it stands: negative where only spite
        (``b < 0``) could be favoured, ``inf`` where the gap is zero, ``nan`` when
        ``tau^(2)`` is zero too (two people)."""
        if self.gap == 0.0:
            return math.nan if self.tau2 == 0.0 else math.inf
        return self.tau2 / self.gap

    @property
    def critical_ratio(self) -> float:
        """``(b/c)*`` for death-birth: sharing is favoured when ``b/c`` exceeds it.

        ``inf`` where no ratio favours sharing (``tau^(3) <= tau^(1)``: the star,
        the complete graph, any regular graph with ``N <= 2k``), ``nan`` where
        selection cannot act (two people); :attr:`reason` says which.
        """
        raw = self.raw_ratio
        if math.isnan(raw) or raw > 0:
            return raw
        return math.inf

    @property
    def reason(self) -> str:
        """Why :attr:`critical_ratio` is what it is, in one sentence."""
        raw = self.raw_ratio
        if math.isnan(raw):
            return ("two people: each death is refilled by the other whatever the payoffs, so selection cannot "
                    "act (tau^(2) = tau^(3) - tau^(1) = 0)")
        if math.isinf(raw):
            return ("tau^(3) = tau^(1): giving never raises the giver's fixation above 1/N, whatever b/c "
                    "(the star's case)")
        if raw < 0:
            return (f"tau^(3) < tau^(1): no b/c > 0 favours sharing (only spite, b/c < {raw:.6g}, would be); "
                    f"the complete graph's case")
        return f"sharing is favoured when b/c > tau^(2)/(tau^(3) - tau^(1)) = {raw:.12g}"

    @property
    def sigma(self) -> float:
        """The structure coefficient ``((b/c)* + 1)/((b/c)* - 1) = (tau^(2) + gap)/(tau^(2) - gap)``:
        A is favoured over B in a 2 x 2 game ``[[a, b], [c, d]]`` when
        ``sigma a + b > c + sigma d`` (Allen et al. 2017, Methods eq. (3))."""
        gap = self.gap
        return (self.tau2 + gap) / (self.tau2 - gap) if self.tau2 != gap else math.inf

    def favours(self, b: float, c: float) -> bool:
        """Whether ``-c tau^(2) + b (tau^(3) - tau^(1)) > 0``: a giver's fixation above ``1/N``."""
        return -c * self.tau2 + b * self.gap > 0

    def fixation_slope(self, b: float, c: float) -> float:
        """``d rho_C / d delta`` at ``delta = 0``: ``(-c tau^(2) + b (tau^(3) - tau^(1))) / (2N)``
        (Allen et al. 2017, Methods), for one giver placed uniformly at random."""
        return (-c * self.tau2 + b * (self.tau3 - self.tau1)) / (2 * self.n)


def coalescence(graph, weight: str = "weight", method: str = "auto") -> Coalescence:
    """The coalescence times of a graph and the quantities ``tau^(1..3)``.

    Parameters as :func:`coalescence_times`.

    Returns
    -------
    Coalescence

    Examples
    --------
    >>> import numpy as np
    >>> star = np.zeros((5, 5)); star[0, 1:] = star[1:, 0] = 1
    >>> result = coalescence(star)
    >>> result.critical_ratio, result.gap
    (inf, 0.0)
    """
    W, labels = weight_matrix(graph, weight)
    tau = _solve_times(W, method)
    w = np.asarray(W.sum(axis=1)).ravel()
    pi = w / w.sum()
    P = W.multiply(1.0 / w[:, None]).tocsr()
    step = P @ tau  # (P^n tau)_ii = sum_j p_ij^(n) tau_ij (tau is symmetric)
    taus = []
    for _ in range(3):
        taus.append(float(pi @ np.diagonal(step)))
        step = P @ step
    return Coalescence(labels, tau, pi, *taus)


def critical_ratio(graph, weight: str = "weight", method: str = "auto") -> float:
    """``(b/c)* = tau^(2) / (tau^(3) - tau^(1))``: death-birth favours sharing when ``b/c`` exceeds it.

    ``inf`` where no ratio favours sharing, ``nan`` where selection cannot act;
    :func:`coalescence` gives the reason (:attr:`Coalescence.reason`).

    Examples
    --------
    >>> import numpy as np
    >>> ring = np.roll(np.eye(10), 1, axis=1); ring = ring + ring.T
    >>> round(critical_ratio(ring), 9), regular_critical_ratio(10, 2)
    (2.666666667, 2.6666666666666665)
    """
    return coalescence(graph, weight, method).critical_ratio


def regular_critical_ratio(n: int, k: int) -> float:
    """``(b/c)* = (N - 2)/(N/k - 2)`` on a regular graph of degree ``k`` (Chen 2013; Allen et al. 2017).

    Tends to ``k`` as ``N`` grows (Ohtsuki et al. 2006). ``inf`` where
    ``N <= 2k`` (then ``N/k - 2 <= 0``: no ratio favours sharing; the complete
    graph ``k = N - 1`` included), ``nan`` for two people, as
    :attr:`Coalescence.critical_ratio`.
    """
    n = check_count("n", n, 2)
    k = check_count("k", k, 1)
    if k > n - 1 or (n * k) % 2:
        raise ParameterError(f"k: no simple {k}-regular graph on {n} people (need k <= n - 1 and n k even)")
    if n == 2:
        return math.nan
    if n <= 2 * k:
        return math.inf
    return (n - 2) / (n / k - 2)


# --- the stage game ---------------------------------------------------------------------


def donation_game(b, c, status_quo: float = 0.0) -> LearningGame:
    """The learning game at its donation-game limit: ``u_i = P + b g_j - c g_i``.

    ``LearningGame(status_quo=P, learning_benefit=b, leak=c, synergy=0,
    race_premium=0)`` at full overlap (spec of issue 18): ``R = P + b - c``,
    ``S = P - c``, ``T = P + b``, so ``T - R = c = P - S``.
    """
    b = check_number("b", b, 0.0)
    c = check_number("c", c, 0.0)
    status_quo = check_number("status_quo", status_quo)
    return LearningGame(status_quo=status_quo, learning_benefit=b, leak=c, synergy=0.0, race_premium=0.0)


def payoff_matrix(game: LearningGame) -> np.ndarray:
    """The 2 x 2 stage payoffs ``M[s_i, s_j]`` of a learning game, ``1`` give and ``0`` take.

    From :func:`~learning_dilemma.games.stage_payoff` with receptivity 1, every
    give transferring and equal power (the stage game that Cooperator and
    Defector play): ``M = [[P, T], [S, R]]``.

    Examples
    --------
    >>> payoff_matrix(donation_game(3.0, 1.0)).tolist()
    [[0.0, 3.0], [-1.0, 2.0]]
    """
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {type(game).__name__}")
    mine, theirs = np.meshgrid([0.0, 1.0], [0.0, 1.0], indexing="ij")
    return np.asarray(stage_payoff(game, mine, theirs, mine, theirs, 1.0, 1.0, 0), dtype=float)


def _payoffs(b, c, game, status_quo) -> np.ndarray:
    if game is not None:
        if b is not None or c is not None:
            raise ParameterError("give either b and c (the donation game) or game, not both")
        return payoff_matrix(game)
    if b is None or c is None:
        raise ParameterError("b and c (the donation game's benefit and cost) are needed unless game is given")
    return payoff_matrix(donation_game(b, c, status_quo))


def _fitness_rule(fitness: str, delta, M: np.ndarray) -> float:
    if fitness not in FITNESS:
        raise ParameterError(f"fitness must be one of {', '.join(FITNESS)}, got {fitness!r}")
    delta = check_number("delta", delta, 0.0)
    if fitness == "linear" and 1.0 + delta * M.min() <= 0:
        raise ParameterError(f"delta: fitness 1 + delta f must stay positive, but 1 + {delta:g} x {M.min():g} <= 0 "
                             f"(lower delta, or use fitness='exp')")
    return delta


def _fitness(f, delta, fitness):
    return np.exp(delta * f) if fitness == "exp" else 1.0 + delta * f


def _rule(rule: str) -> str:
    if rule not in RULES:
        raise ParameterError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    return rule


def _mutant(mutant: str) -> int:
    if mutant not in ("give", "take"):
        raise ParameterError(f"mutant must be 'give' or 'take', got {mutant!r}")
    return 1 if mutant == "give" else 0


def _start(start, labels) -> np.ndarray:
    """The distribution of the mutant's place."""
    n = len(labels)
    if isinstance(start, str) and start == "uniform":
        return np.full(n, 1.0 / n)
    if not isinstance(start, (list, dict, set, np.ndarray)) and start in labels:
        at = labels.index(start)
    elif isinstance(start, (int, np.integer)) and not isinstance(start, bool) and 0 <= start < n:
        at = int(start)
    else:
        raise ParameterError(f"start must be 'uniform' or a person of the graph, got {start!r}")
    out = np.zeros(n)
    out[at] = 1.0
    return out


# --- the exact chain ----------------------------------------------------------------------


def _flip_rates(S, W, P, M, delta, fitness, rule):
    """Per configuration (rows of ``S``) and person, the probability per step that the person
    changes strategy (death-birth: times ``N``; birth-death: as it is)."""
    share = S @ P.T  # share of each person's tie weight on givers
    f = (1 - S) * (M[0, 0] * (1 - share) + M[0, 1] * share) + S * (M[1, 0] * (1 - share) + M[1, 1] * share)
    F = _fitness(f, delta, fitness)
    if rule == "db":
        give = ((S * F) @ W.T) / (F @ W.T)  # the chance a giver fills i's place
        return np.where(S == 1, 1.0 - give, give)
    # birth-death: j reproduces with F_j / sum F, its offspring lands on i with p_ji
    other = 1 - S
    to_give = (S * F) @ P / F.sum(axis=1, keepdims=True)
    to_take = (other * F) @ P / F.sum(axis=1, keepdims=True)
    return np.where(S == 1, to_take, to_give)


def _neutral_values(W, rule):
    """Reproductive values: the neutral process's fixation probability is ``sum_i v_i s_i``
    (``v ~ w_i`` for death-birth, ``~ 1/w_i`` for birth-death)."""
    w = np.asarray(W.sum(axis=1)).ravel()
    v = w if rule == "db" else 1.0 / w
    return v / v.sum()


def _absorption(W, M, delta, fitness, rule):
    """The probability that every person ends up giving, from every configuration (bit ``i`` of
    the index is person ``i``'s strategy)."""
    from scipy.sparse import csr_array, diags
    from scipy.sparse.linalg import bicgstab, spsolve

    n = W.shape[0]
    states = 1 << n
    Wd = W.toarray()
    P = Wd / Wd.sum(axis=1, keepdims=True)
    codes = np.arange(states)
    S = ((codes[:, None] >> np.arange(n)[None, :]) & 1).astype(float)
    flip = _flip_rates(S, Wd, P, M, delta, fitness, rule)
    full = states - 1
    transient = codes[1:full]
    index = np.full(states, -1, dtype=np.int64)
    index[transient] = np.arange(states - 2)
    rows, cols, values = [], [], []
    rhs = np.zeros(states - 2)
    for i in range(n):
        target = transient ^ (1 << i)
        rate = flip[transient, i]
        inside = index[target] >= 0
        rows.append(index[transient][inside])
        cols.append(index[target][inside])
        values.append(-rate[inside])
        rhs += np.where(target == full, rate, 0.0)
    diagonal = flip[transient].sum(axis=1)
    if np.any(diagonal <= 0):
        raise ArithmeticError("the chain has a configuration it never leaves (fitness underflow at this delta)")
    A = csr_array((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=(states - 2,) * 2)
    A = A + diags(diagonal)
    # Start from the neutral solution and solve for the correction (small at weak selection).
    guess = S[transient] @ _neutral_values(W, rule)
    residual = rhs - A @ guess
    scale = np.linalg.norm(residual)
    x = guess
    if scale > 0:
        correction, info = bicgstab(A, residual, rtol=1e-13, atol=0.0, maxiter=100_000, M=diags(1.0 / diagonal))
        left = np.linalg.norm(A @ correction - residual) / scale
        if info != 0 and left > 1e-9:
            if states > 1 << 12:
                raise ArithmeticError(f"exact chain of {n} people: the solver did not converge "
                                      f"(relative residual {left:.1e})")
            correction = spsolve(A.tocsc(), residual)
        x = guess + correction
    out = np.empty(states)
    out[0], out[full] = 0.0, 1.0
    out[transient] = x
    return out


def fixation_probability(graph, b=None, c=None, delta=0.0, rule: str = "db", start="uniform", *,
                         mutant: str = "give", game: LearningGame | None = None, status_quo: float = 0.0,
                         fitness: str = "linear", weight: str = "weight") -> float:
    """The exact fixation probability of one mutant, from the full ``2^N``-state chain.

    Each configuration of givers and takers is a state; per step one person is
    replaced (death-birth: a uniformly random person dies and a neighbour ``j``
    fills the place with probability ``w_ij F_j / sum_k w_ik F_k``; birth-death:
    ``j`` reproduces with probability ``F_j / sum_k F_k`` and replaces neighbour
    ``i`` with probability ``p_ji``), with ``F = 1 + delta f`` (or ``exp(delta
    f)``) and ``f_i = sum_j p_ij M[s_i, s_j]`` the edge-weighted mean payoff
    (Allen et al. 2017). The absorption probabilities solve the chain's linear
    equations (BiCGSTAB from the neutral solution, whose fixation probability is
    the mutant's reproductive value). Refused above the ``chain_states`` limit
    (``2^N x N`` transition rates: 14 people ask for 229,376, 16 for 1,048,576).

    Parameters
    ----------
    graph : Population, networkx.Graph or weight matrix
    b, c : float
        The donation game's benefit and cost (:func:`donation_game`), or None with ``game``.
    delta : float
        Selection intensity, >= 0.
    rule : {"db", "bd"}
    start : "uniform" or a person
        Where the mutant appears: uniformly at random (mean of the ``N``
        places), or at one person (label or row index).
    mutant : {"give", "take"}
        The single mutant's strategy (``rho_C`` or ``rho_D``).
    game : LearningGame, optional
        Any learning game's 2 x 2 stage game (:func:`payoff_matrix`) instead of the donation game.
    status_quo : float
        ``P`` of the donation game (0: Allen et al.'s payoffs).
    fitness : {"linear", "exp"}
    weight : str
        The networkx edge attribute of a tie's weight.

    Returns
    -------
    float

    Examples
    --------
    Without selection the giver fixes with probability ``1/N`` on any graph:

    >>> import numpy as np
    >>> path = np.diag([1.0, 1.0, 1.0], 1); path = path + path.T
    >>> round(fixation_probability(path, 2.0, 1.0, delta=0.0), 12)
    0.25
    """
    rule = _rule(rule)
    side = _mutant(mutant)
    M = _payoffs(b, c, game, status_quo)
    delta = _fitness_rule(fitness, delta, M)
    W, labels = weight_matrix(graph, weight)
    n = W.shape[0]
    where = _start(start, labels)
    check("chain_states", (1 << n) * n, f"the exact {rule} chain of {n} people (2^{n} configurations x {n} rates)",
          hint="or use simulate_fixation")
    x = _absorption(W, M, delta, fitness, rule)
    singles = np.array([1 << i for i in range(n)])
    if side == 1:
        return float(where @ x[singles])
    return float(where @ (1.0 - x[((1 << n) - 1) ^ singles]))


# --- Monte Carlo -------------------------------------------------------------------------


@dataclass(frozen=True)
class FixationEstimate:
    """A simulated fixation probability.

    Attributes
    ----------
    probability : float
        The share of runs in which the mutant took over.
    standard_error : float
        ``sqrt(p (1 - p) / runs)``.
    runs : int
    fixed : ndarray of bool, shape (runs,)
        Each run's outcome (run ``r``'s draws depend only on the seed and ``r``).
    steps : ndarray of int, shape (runs,)
        The steps each run took to fixation or extinction.
    """

    probability: float
    standard_error: float
    runs: int
    fixed: np.ndarray
    steps: np.ndarray


def simulate_fixation(graph, b=None, c=None, delta=0.0, runs: int = 1000, seed=None, rule: str = "db",
                      start="uniform", *, mutant: str = "give", game: LearningGame | None = None,
                      status_quo: float = 0.0, fitness: str = "linear", weight: str = "weight",
                      max_steps: int = 10_000, chunk: int = 256) -> FixationEstimate:
    """Monte Carlo of the process :func:`fixation_probability` solves, vectorised over runs.

    All runs step together (one person replaced per step in each run), with
    numpy over runs and people; a run stops at fixation or extinction. Run ``r``
    draws from its own generator, keyed by ``(seed, FIXATION_STREAM,
    FIXATION_ADDRESS, r)``: first the mutant's place (if ``start`` is
    ``"uniform"``), then two uniforms per step (who dies and who fills the place;
    birth-death: who reproduces and where the offspring lands). A run's outcome
    therefore depends only on the seed and its index, never on how many runs go
    with it. Refused above the ``generations`` limit (``runs x max_steps``).

    Parameters
    ----------
    graph, b, c, delta, rule, start, mutant, game, status_quo, fitness, weight
        As :func:`fixation_probability`.
    runs : int
        Independent runs, each from one mutant.
    seed : int, optional
    max_steps : int
        Steps a run may take; a run still mixed after them is an error.
    chunk : int
        Steps drawn at a time per run (memory ``runs x chunk x 2`` numbers; the
        draws, and so the results, do not depend on it).

    Returns
    -------
    FixationEstimate
    """
    rule = _rule(rule)
    side = _mutant(mutant)
    M = _payoffs(b, c, game, status_quo)
    delta = _fitness_rule(fitness, delta, M)
    runs = check_count("runs", runs, 1)
    max_steps = check_count("max_steps", max_steps, 1)
    chunk = check_count("chunk", chunk, 1)
    W, labels = weight_matrix(graph, weight)
    n = W.shape[0]
    where = _start(start, labels)
    uniform = isinstance(start, str) and start == "uniform"
    check("generations", runs * max_steps, f"runs={runs:,} x max_steps={max_steps:,} elementary steps")
    entropy = root_entropy(seed)
    Wd = W.toarray()
    P = Wd / Wd.sum(axis=1, keepdims=True)
    cumulative_p = np.cumsum(P, axis=1)
    generators = [np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        entropy, spawn_key=(FIXATION_STREAM, FIXATION_ADDRESS, r)))) for r in range(runs)]
    S = np.full((runs, n), float(1 - side))
    if uniform:
        places = np.minimum((np.array([g.random() for g in generators]) * n).astype(np.intp), n - 1)
    else:
        places = np.full(runs, int(np.flatnonzero(where)[0]))
    S[np.arange(runs), places] = float(side)
    fixed = np.zeros(runs, dtype=bool)
    steps = np.zeros(runs, dtype=np.int64)
    active = np.arange(runs)
    taken = 0
    while len(active):
        if taken >= max_steps:
            raise ParameterError(f"max_steps: {len(active):,} of {runs:,} runs had not fixed after {max_steps:,} steps "
                                 f"(raise max_steps)")
        length = min(chunk, max_steps - taken)
        draws = np.stack([generators[r].random((length, 2)) for r in active])  # (active, length, 2)
        state = S[active]
        done_at = np.full(len(active), -1, dtype=np.int64)
        live = np.arange(len(active))
        for t in range(length):
            s = state[live]
            u = draws[live, t]
            share = s @ P.T
            f = ((1 - s) * (M[0, 0] * (1 - share) + M[0, 1] * share)
                 + s * (M[1, 0] * (1 - share) + M[1, 1] * share))
            F = _fitness(f, delta, fitness)
            rows = np.arange(len(live))
            if rule == "db":
                dies = np.minimum((u[:, 0] * n).astype(np.intp), n - 1)
                pull = Wd[dies] * F
                pull = np.cumsum(pull, axis=1)
                parent = _pick(pull, u[:, 1])
                s[rows, dies] = s[rows, parent]
            else:
                parent = _pick(np.cumsum(F, axis=1), u[:, 0])
                dies = _pick(cumulative_p[parent], u[:, 1])
                s[rows, dies] = s[rows, parent]
            state[live] = s
            total = s.sum(axis=1)
            over = (total == 0) | (total == n)
            done_at[live[over]] = taken + t + 1
            live = live[~over]
            if not len(live):
                break
        S[active] = state
        finished = done_at >= 0
        steps[active[finished]] = done_at[finished]
        fixed[active[finished]] = state[finished].sum(axis=1) == (n if side == 1 else 0)
        active = active[~finished]
        taken += length
    p = float(fixed.mean())
    return FixationEstimate(p, math.sqrt(p * (1 - p) / runs), runs, fixed, steps)


def _pick(cumulative: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Row-wise draws from unnormalised cumulative weights (the first index with cumulative > u x total)."""
    target = u * cumulative[:, -1]
    picked = (cumulative <= target[:, None]).sum(axis=1)
    return np.minimum(picked, cumulative.shape[1] - 1)
