"""Expected outcomes of every ordered pairing of a roster, alone or over a grid.

:func:`roster_payoffs` solves each unordered pair of a roster (and each player
against itself) once and returns a :class:`RosterPayoffs` of per-round payoffs,
totals, give rates and mutual giving, and the second edition's metrics: what
each learns, the joint value created, the alliance's open share and its
expected duration. :func:`payoff_matrices` does the same at
every point of a grid of continuation values and power strengths and returns a
:class:`RosterGrid`, sharing work across the grid: tables that read neither the
game nor the continuation probability are compiled once, chains are built once
per pair of distinct tables and power on or off (the transitions do not depend
on the strength), the continuation values sharing a chain are solved in one
batch, and, as stage payoffs are linear in power strength, one solve serves
every strength (``docs/analytic.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._compat import deprecated_alias, warn_renamed
from .._validation import (
    check_continuation, check_count, check_initial_power, check_length, check_probability, continuation_of,
)
from ..games import LearningGame
from .chain import (
    GIVE_A, GIVE_B, JOINT, LEARN_A, LEARN_B, MUTUAL, OPEN, PAY_A, PAY_B, _extremes, _game, check_chain_size,
)
from .solve import _check_averaging, _rate, averaged_occupancy, occupancy, visits
from .tables import CompiledTables, PairingChains

__all__ = ["RosterGrid", "RosterPayoffs", "payoff_matrices", "payoff_matrix", "roster_payoffs"]


@dataclass(frozen=True)
class RosterPayoffs:
    """Expected outcomes of every ordered pairing of a roster.

    ``payoffs[i, j]`` is what ``players[i]`` earns per round against
    ``players[j]`` (``players[i]`` plays as A when ``i <= j``). Unpacks as
    ``payoffs, give_rates = roster_payoffs(...)``.

    Attributes
    ----------
    payoffs, totals, give_rates, mutual_giving : ndarray, shape (n, n)
        ``gives`` is a deprecated alias of ``give_rates``.
    learning : ndarray, shape (n, n)
        What ``players[i]`` learns per round against ``players[j]``,
        ``r_i x_j`` (:attr:`.Expected.learning`).
    joint_learning, open_share, duration : ndarray, shape (n, n), symmetric
        The pairing's joint value created per round, share of rounds the
        alliance was open and expected number of rounds it was open
        (:class:`.Expected`).
    """

    payoffs: np.ndarray
    totals: np.ndarray
    give_rates: np.ndarray
    mutual_giving: np.ndarray
    learning: np.ndarray | None = None
    joint_learning: np.ndarray | None = None
    open_share: np.ndarray | None = None
    duration: np.ndarray | None = None

    gives = deprecated_alias("gives", "give_rates")

    def __iter__(self):
        return iter((self.payoffs, self.give_rates))


@dataclass(frozen=True)
class RosterGrid:
    """Roster matrices over a grid of continuation values and power strengths.

    Attributes
    ----------
    continuations : ndarray, shape (n_w,)
    strengths : ndarray, shape (n_s,)
    payoffs, totals, give_rates, mutual_giving : ndarray, shape (n_w, n_s, n, n)
        As in :class:`RosterPayoffs`, at each ``(continuation, strength)``.
        ``gives`` is a deprecated alias of ``give_rates``.
    learning, joint_learning, open_share, duration : ndarray, shape (n_w, n_s, n, n)
        As in :class:`RosterPayoffs`, at each ``(continuation, strength)``:
        power splits only the created value, but a table that reads the game
        (Calculative) may decide differently at another strength, so they are
        computed per point.
    """

    continuations: np.ndarray
    strengths: np.ndarray
    payoffs: np.ndarray
    totals: np.ndarray
    give_rates: np.ndarray
    mutual_giving: np.ndarray
    learning: np.ndarray | None = None
    joint_learning: np.ndarray | None = None
    open_share: np.ndarray | None = None
    duration: np.ndarray | None = None

    gives = deprecated_alias("gives", "give_rates")

    def at(self, w_index: int, s_index: int) -> RosterPayoffs:
        """The roster's outcomes at one grid point."""
        point = (w_index, s_index)
        return RosterPayoffs(*(None if getattr(self, name) is None else getattr(self, name)[point]
                               for name in _FIELDS))


# The per-pairing fields of RosterPayoffs, in order.
_FIELDS = ("payoffs", "totals", "give_rates", "mutual_giving", "learning", "joint_learning", "open_share", "duration")


def roster_payoffs(players, game: LearningGame | None = None, continuation: float | None = None,
                   turns: int | None = None, prior_rounds: int = 0, initial_power: int = 0,
                   averaging: str = "ratio", noise: float = 0.0) -> RosterPayoffs:
    """Exact per-round payoffs, totals and give rates of every ordered pairing of a roster.

    Each unordered pair (and each player against itself) is solved once.

    Parameters
    ----------
    players : sequence of Player
        Automaton strategies.
    game : LearningGame, optional
    continuation, turns
        As for :class:`~learning_dilemma.match.Match` (200 turns by default).
    prior_rounds, initial_power, noise
        As for :class:`~learning_dilemma.match.Match`.
    averaging : {"ratio", "match"}
        As for :func:`~.expected.expected_payoffs`.

    Returns
    -------
    RosterPayoffs

    Examples
    --------
    >>> from learning_dilemma.strategies import Defector, TitForTat
    >>> payoffs, give_rates = roster_payoffs([TitForTat(), Defector()], turns=10)
    >>> payoffs  # TFT: S once then P; the defector T once then P
    array([[3. , 0.9],
           [1.4, 1. ]])
    """
    game = _game(game)
    turns, continuation = check_length(turns, continuation)
    if turns is None:
        return payoff_matrices(players, game, [continuation], None, prior_rounds, initial_power, averaging,
                               noise).at(0, 0)
    _check_averaging(averaging)
    noise = check_probability("noise", noise)
    prior_rounds = check_count("prior_rounds", prior_rounds)
    initial_power = check_initial_power(initial_power, game)
    tables = [CompiledTables(p, f"players[{i}]") for i, p in enumerate(players)]
    n = len(players)
    shares = np.empty((n, n, 6))
    w = continuation_of(turns, None)  # what the strategies are told of a fixed-length match
    # every pairing's chain is held to the limit before the first one is built
    largest = [source.tables[source.at(game, w, turns)].n_states for source in tables]
    for i in range(n):
        for j in range(i, n):
            check_chain_size(largest[i], largest[j], game, (players[i].tacitness, players[j].tacitness))
    for i in range(n):
        for j in range(i, n):
            pairing = PairingChains(players[i], players[j], game, prior_rounds, initial_power,
                                    (tables[i], tables[j]), noise)
            chain = pairing.chain(pairing.key(w, turns=turns))
            values = visits(chain, turns) @ chain.rewards / turns
            shares[i, j] = values[[PAY_A, GIVE_A, MUTUAL, LEARN_A, JOINT, OPEN]]
            shares[j, i] = values[[PAY_B, GIVE_B, MUTUAL, LEARN_B, JOINT, OPEN]]
    pay, give, mutual, learning, joint, open_share = np.moveaxis(shares, 2, 0)
    open_share = _rate(open_share)
    return RosterPayoffs(pay, turns * pay, _rate(give), _rate(mutual), learning, joint, open_share,
                         turns * open_share)


def payoff_matrix(*args, **kwargs) -> RosterPayoffs:
    """Deprecated: use :func:`roster_payoffs` (same arguments and result)."""
    warn_renamed("learning_dilemma.exact.payoff_matrix", "learning_dilemma.exact.roster_payoffs")
    return roster_payoffs(*args, **kwargs)


def payoff_matrices(players, game: LearningGame | None = None, continuations=(0.9,), strengths=None,
                    prior_rounds: int = 0, initial_power: int = 0, averaging: str = "ratio",
                    noise: float = 0.0) -> RosterGrid:
    """Roster matrices for many continuation values and power strengths at once.

    Work is shared across the grid: a table that reads neither the game nor the
    continuation probability is compiled once; each pairing's chain is built
    once per pair of distinct tables and power on or off (the transitions do
    not depend on the strength); the continuation values sharing a chain are
    solved in one batch; and as stage payoffs are linear in power strength,
    one solve serves every strength.

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
    noise = check_probability("noise", noise)
    prior_rounds = check_count("prior_rounds", prior_rounds)
    initial_power = check_initial_power(initial_power, game)
    n, n_w, n_s = len(players), len(ws), len(strengths)
    tables = [CompiledTables(p, f"players[{i}]") for i, p in enumerate(players)]
    numbers = np.stack([source.over_grid(games, ws) for source in tables])
    # every pairing's chain is held to the limit before the first one is built
    largest = [max(t.n_states for t in source.tables) for source in tables]
    for i in range(n):
        for j in range(i, n):
            check_chain_size(largest[i], largest[j], game, (players[i].tacitness, players[j].tacitness))
    active = np.array([g.power.active for g in games])
    grid_s = np.broadcast_to(strengths, (n_w, n_s)).ravel()
    grid_w = np.broadcast_to(np.arange(n_w)[:, None], (n_w, n_s)).ravel()
    grid_active = np.broadcast_to(active, (n_w, n_s)).ravel()
    # values[i, j, point, :] = (pay A, pay B, give A, give B, mutual) for i <= j
    pay, total, give, mutual, learning, joint, open_share, duration = (np.empty((n, n, n_w * n_s)) for _ in range(8))
    length = 1.0 / (1.0 - ws[grid_w])
    for i in range(n):
        for j in range(i, n):
            pairing = PairingChains(players[i], players[j], game, prior_rounds, initial_power,
                                    (tables[i], tables[j]), noise)
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
                n_columns = chain.rewards.shape[1]
                values = _rows_times(averaged_occupancy(chain, ws[w_used], averaging), basis)
                values = values[w_index.ravel()]
                shift = (grid_s[points] - chain.strength)[:, None]
                gains = values[:, n_columns:]
                payoffs_ab = values[:, [PAY_A, PAY_B]] + shift * gains
                if averaging == "ratio":
                    plain = values
                else:
                    plain = _rows_times(occupancy(chain, ws[w_used]), basis)
                    plain = plain[w_index.ravel()]
                totals_ab = (plain[:, [PAY_A, PAY_B]] + shift * plain[:, n_columns:]) * length[points, None]
                pay[i, j, points], pay[j, i, points] = payoffs_ab.T
                total[i, j, points], total[j, i, points] = totals_ab.T
                give[i, j, points], give[j, i, points] = values[:, GIVE_A], values[:, GIVE_B]
                mutual[i, j, points] = mutual[j, i, points] = values[:, MUTUAL]
                learning[i, j, points], learning[j, i, points] = values[:, LEARN_A], values[:, LEARN_B]
                joint[i, j, points] = joint[j, i, points] = values[:, JOINT]
                open_share[i, j, points] = open_share[j, i, points] = values[:, OPEN]
                duration[i, j, points] = duration[j, i, points] = _rate(plain[:, OPEN]) * length[points]

    def shaped(array):
        return np.moveaxis(array.reshape(n, n, n_w, n_s), (0, 1), (2, 3))

    # Rates are shares of rounds; the solves may leave them a rounding error outside [0, 1].
    return RosterGrid(ws, strengths, shaped(pay), shaped(total), _rate(shaped(give)), _rate(shaped(mutual)),
                      shaped(learning), shaped(joint), _rate(shaped(open_share)), shaped(duration))


def _rows_times(rows: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``rows @ matrix`` with each row's sums in a fixed order: BLAS may pick a
    different kernel (and rounding) for one row than for many, and a sweep's
    numbers must not depend on how its points were batched."""
    return np.einsum("wn,nk->wk", rows, matrix)
