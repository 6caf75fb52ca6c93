"""Solving a chain: the discounted occupation, the Cesaro limit, fixed-length visits.

With ``M`` the one-round transition matrix of a :class:`~.chain.Chain` and
``e_0`` its start, the engine works with the normalised discounted occupation
of the joint states,

    d(w) = (1 - w) e_0 (I - w M)^{-1},      d(w) 1 = 1,

(:func:`occupancy`), the expected share of rounds spent in each state of a
match with continuation probability ``w``. Up to :data:`TRIANGULAR_LIMIT` it
is found by block forward substitution: the chain is block upper triangular in
its relation states (stakes only fall, the tie only grows, the closed state
is absorbing; :attr:`~.chain.Chain.depth`), so each relation state's block is
solved once the blocks before it are known (:func:`triangular_blocks`). Above
it, and for chains whose blocks are too large to solve dense, ``d(w)`` comes
from a bordered system built with the Cesaro limit
``Pi = lim (1/T) sum_t M^t = H P`` of the chain (:func:`ergodic_projector`;
Kemeny & Snell 1960), which stays well conditioned up to and including
``w = 1``, where ``d(1) = e_0 Pi`` is the limit of means
(:func:`limit_occupancy`). A fixed-length match of ``T`` rounds sums
``e_0 M^t`` over ``t < T`` (:func:`visits`).

"Per round" means, by default, the expected total over the expected length,
``E[total] / E[rounds]`` (``averaging="ratio"``); ``averaging="match"`` is
the expectation of each match's total over its own length,
``E[X_L / L] = int_0^1 v(w q / (1 - w + w q)) dq``, integrated by
:func:`averaging_plan` (derived in ``docs/analytic.md``).
:func:`averaged_occupancy` gives the occupation under either averaging.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ParameterError
from ..limits import check
from ..markov import stationary

if TYPE_CHECKING:
    from .chain import Chain

__all__ = [
    "AVERAGINGS", "BLOCK_LIMIT", "DENSE_BATCH_BYTES", "TRIANGULAR_LIMIT", "averaged_occupancy", "averaging_plan",
    "bordered_occupancy", "ergodic_projector", "limit_occupancy", "occupancy", "triangular_blocks", "visits",
]

# Bytes of stacked dense systems solved in one numpy call.
DENSE_BATCH_BYTES = 64 * 2**20

# Continuation values up to this one are solved by block forward substitution.
# A diagonal block whose automata can cycle for ever is close to singular as
# w -> 1 and its solve loses about eps / (1 - w) of relative accuracy: 1e-13 at
# this limit, against the 1e-12 to which the two methods are held to agree
# (tests/exact/test_solve.py). Above it the bordered system takes over.
TRIANGULAR_LIMIT = 0.999

# The largest diagonal block (joint automaton states of one relation state)
# that block forward substitution solves dense; chains with a larger block go
# to the bordered system (sparse LU for large chains).
BLOCK_LIMIT = 400

AVERAGINGS = ("ratio", "match")


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

    Values of ``w`` up to :data:`TRIANGULAR_LIMIT` are solved by block forward
    substitution over the chain's relation states (:func:`triangular_blocks`),
    the others, and every value for a chain with a diagonal block larger than
    :data:`BLOCK_LIMIT`, by the bordered system of :func:`bordered_occupancy`.
    Each value's numbers do not depend on which other values share the call.

    Parameters
    ----------
    chain : Chain
    continuations : array_like of float in [0, 1]

    Returns
    -------
    ndarray, shape (len(continuations), N)
    """
    ws = np.atleast_1d(np.asarray(continuations, dtype=float))
    out = np.empty((len(ws), chain.size))
    near = ws > TRIANGULAR_LIMIT
    if chain.triangular is None:
        near[:] = True
    if not near.all():
        out[~near] = _triangular_occupancy(chain, ws[~near])
    if near.any():
        out[near] = bordered_occupancy(chain, ws[near])
    return out


def bordered_occupancy(chain: Chain, continuations) -> np.ndarray:
    """:func:`occupancy` from the bordered system, sound up to and including ``w = 1``.

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


@dataclass(frozen=True, eq=False)
class _Depth:
    """The states of one depth of a chain, ``low:high``, for block forward substitution.

    ``inflow`` is ``M[:low, low:high]`` (dense, or for a sparse chain the
    sparse CSR of its transpose; ``None`` at depth 0). The relation states of
    one depth do not reach one another, so its part of ``M`` is block
    diagonal: ``blocks[b]`` is the transposed generator block of its relation
    state ``b``, padded to a common size with the identity, ``gather[b]`` the
    block's states relative to ``low`` (padding repeats its first state) and
    ``mask[b]`` which entries are states, not padding.
    """

    low: int
    high: int
    inflow: object
    gather: np.ndarray
    mask: np.ndarray
    blocks: np.ndarray


def triangular_blocks(chain: Chain):
    """The chain cut into depths and relation states, for block forward substitution.

    Stakes only fall, the tie only grows and the closed state is absorbing, so
    a round leaves the relation state as it is or moves it to a greater
    :attr:`~.chain.Chain.depth`; with the states in order of depth, ``M`` is
    block upper triangular, one diagonal block per relation state, and the
    relation states of one depth do not reach one another. The occupation
    ``d (I - w M) = (1 - w) e_0`` then reads, depth by depth,

        d_k ((1 - w) I + w G_kk) = (1 - w) e_0,k + w sum_{j < k} d_j M_jk,

    ``G = I - M`` the chain's generator (exact diagonal), ``G_kk`` block
    diagonal: one small dense solve per relation state, all those of a depth
    in one batched call.

    Returns
    -------
    list of _Depth, or None
        ``None`` if the chain has no depths (built without them) or a relation
        state with more than :data:`BLOCK_LIMIT` reachable states.
    """
    if chain.depth is None:
        return None
    n = chain.size
    depth = chain.depth
    relation = chain.states[:, 2:]
    moved = np.any(relation[1:] != relation[:-1], axis=1) | (depth[1:] != depth[:-1])
    starts = np.concatenate([[0], np.flatnonzero(moved) + 1])
    sizes = np.diff(np.append(starts, n))
    if sizes.max() > BLOCK_LIMIT:
        return None
    # every diagonal block at once, padded to the largest: blocks[b, j, i] = G[i, j]
    offsets = np.arange(sizes.max())
    mask = offsets[None, :] < sizes[:, None]
    gather = np.where(mask, starts[:, None] + offsets[None, :], starts[:, None])
    if chain.dense:
        blocks = chain.generator[gather[:, None, :], gather[:, :, None]]
        blocks[~(mask[:, :, None] & mask[:, None, :])] = 0.0
    else:
        entries = chain.generator.tocoo()
        block = np.repeat(np.arange(len(starts)), sizes)
        offset = np.arange(n) - starts[block]
        same = block[entries.row] == block[entries.col]
        rows, cols = entries.row[same], entries.col[same]
        blocks = np.zeros((len(starts),) + mask.shape[1:] * 2)
        blocks[block[rows], offset[cols], offset[rows]] = entries.data[same]
    blocks[:, offsets, offsets] += ~mask  # padding: (1 - w) + w = 1 on its diagonal, nothing else
    columns = None if chain.dense else chain.transitions.tocsc()
    parts = []
    edges = np.concatenate([[0], np.flatnonzero(np.diff(depth)) + 1, [n]])
    cuts = np.searchsorted(starts, edges)
    for low, high, first, last in zip(edges[:-1].tolist(), edges[1:].tolist(), cuts[:-1], cuts[1:]):
        if low == 0:
            inflow = None
        elif chain.dense:
            inflow = chain.transitions[:low, low:high]
        else:
            inflow = columns[:, low:high][:low].T.tocsr()
        width = int(sizes[first:last].max())
        parts.append(_Depth(low, high, inflow, gather[first:last, :width] - low, mask[first:last, :width],
                            np.ascontiguousarray(blocks[first:last, :width, :width])))
    return parts


def _triangular_occupancy(chain: Chain, ws: np.ndarray) -> np.ndarray:
    """:func:`occupancy` by block forward substitution over :func:`triangular_blocks`."""
    parts = chain.triangular
    out = np.zeros((len(ws), chain.size))
    largest = max(part.blocks.size for part in parts)
    per_batch = max(1, DENSE_BATCH_BYTES // (8 * largest))
    for first in range(0, len(ws), per_batch):
        w = ws[first:first + per_batch]
        d = out[first:first + per_batch]
        for part in parts:
            rhs = np.zeros((len(w), part.high - part.low))
            if part.low <= chain.start < part.high:
                rhs[:, chain.start - part.low] = 1.0 - w
            if part.inflow is not None:
                before = d[:, :part.low]
                # fixed summation orders: a value's numbers must not depend on its batch
                arrived = (np.einsum("wn,nk->wk", before, part.inflow) if chain.dense
                           else (part.inflow @ before.T).T)
                rhs += w[:, None] * arrived
            size = part.blocks.shape[-1]
            systems = (w[:, None, None, None] * part.blocks
                       + (1.0 - w)[:, None, None, None] * np.eye(size))
            solved = np.linalg.solve(systems, (rhs[:, part.gather] * part.mask)[..., None])[..., 0]
            d[:, part.low + part.gather[part.mask]] = solved[:, part.mask]
    return out


def visits(chain: Chain, turns: int) -> np.ndarray:
    """Expected number of rounds spent in each state over exactly ``turns`` rounds,
    ``sum_{t < turns} e_0 M^t``, by repeated vector-matrix products (one a
    round, so ``turns`` is held to the ``match_rounds`` limit)."""
    check("match_rounds", turns, f"turns={turns}")
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


def _rate(values):
    """Clip a share of rounds into [0, 1], where rounding in the solves may leave it."""
    return np.clip(values, 0.0, 1.0)


def _check_averaging(averaging) -> None:
    if averaging not in AVERAGINGS:
        raise ParameterError(f"averaging must be one of {', '.join(AVERAGINGS)}, got {averaging!r}")
