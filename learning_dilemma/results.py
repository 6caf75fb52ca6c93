"""Tournament results: the outcome of every match, and the summaries drawn from them.

A round robin's raw material is small: for each pairing and repetition, the
match length, both totals, both give counts, the rounds of mutual giving, the
final power position, what each side learned, the value the alliance created,
how and when the alliance ended and the stakes left. :class:`Outcomes` holds
these as arrays; :class:`TournamentResults` is a thin object over them whose
summaries are computed by the pure functions of this module.

Second edition (issue 15, "metrics that mean what they say"): ``joint_learning``
is the value the alliance created (knowledge actually transferred, and what
joint giving created), no longer everything paid above the status quo, which
counted the race premium of exploitation as joint learning (that figure is now
``surplus``); ``power_gap`` and ``dominance`` read the dependence-based power
position ``z = K_partner - K_own``; and the results report learning per
organisation, stakes left, exits, race-over endings and alliance duration.

Scores follow Axelrod's (1984) tournaments as the axelrod library reports them:
a player's normalised score in a repetition is its mean payoff per round,
averaged over its matches, and players rank by the median over repetitions.
With ``self_play`` a player's match against its twin counts as one of its
matches, as in Axelrod's own tournaments (the axelrod library plays
self-interactions but leaves them out of scores and wins; without self-play the
two agree). Wins never count self-play. A player meeting itself is both row and
column, so diagonal entries average its two copies' views.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np

from ._compat import deprecated_alias
from .engine.vectorised import BOTH_LEFT, ENDINGS, FIRST_LEFT, RACE_OVER, SECOND_LEFT

__all__ = [
    "both_sides", "by_opponent", "left_by", "mean_over_matches", "mean_trajectories", "merge_outcomes",
    "normalised_scores", "Outcomes", "OUTCOME_FIELDS", "ranking", "TIE_TOLERANCE", "TournamentResults",
    "unique_labels", "winners"
]

# Totals closer than this count as a draw: payoffs are sums of floats, so two
# mathematically equal totals may differ in the last bits.
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class Outcomes:
    """The outcome of every match of a tournament, by pairing and repetition.

    Pairing ``p`` is player ``pairs[p, 0]`` (side A) against ``pairs[p, 1]``
    (side B); the last axis of two-sided arrays is (A, B).

    Attributes
    ----------
    pairs : ndarray of int, shape (pairings, 2)
    lengths : ndarray of int, shape (pairings, repetitions)
        Rounds played (the match's length: rounds after the alliance closed count,
        each paying the status quo, so per-round figures stay comparable).
    totals : ndarray, shape (pairings, repetitions, 2)
        Total payoffs.
    gives : ndarray of int, shape (pairings, repetitions, 2)
        Rounds in which each side played GIVE (a give of tacit knowledge that
        failed to transfer is still a give: the giver knows it gave).
    mutual : ndarray of int, shape (pairings, repetitions)
        Rounds in which both played GIVE.
    final_power : ndarray of int, shape (pairings, repetitions)
        Power position at the end, A's view: ``K_B - K_A``, how much more B
        still has to learn from A than A from B (Emerson 1962).
    trajectories : tuple of ndarray
        Per pairing, the mean power position (A's view) after ``t`` rounds,
        ``t = 0..longest``, over the repetitions that lasted at least ``t``
        rounds.
    learning : ndarray, shape (pairings, repetitions, 2), optional
        What each side absorbed over the match, ``sum_t r_i x_j(t)``. Default: nan (unknown).
    joint : ndarray, shape (pairings, repetitions), optional
        The value the alliance created over the match (the sum of
        :func:`~learning_dilemma.games.learning.joint_value`). Default: nan (unknown).
    ended_by : ndarray of int, shape (pairings, repetitions), optional
        How the alliance ended, a code of
        :data:`~learning_dilemma.engine.vectorised.ENDINGS`. Default: open (0).
    duration : ndarray of int, shape (pairings, repetitions), optional
        Rounds the alliance was open. Default: the whole match.
    final_stakes : ndarray of int, shape (pairings, repetitions, 2), optional
        The knowledge each side still lacked at the end (zero with stakes off).
        Default: zeros.
    """

    pairs: np.ndarray
    lengths: np.ndarray
    totals: np.ndarray
    gives: np.ndarray
    mutual: np.ndarray
    final_power: np.ndarray
    trajectories: tuple
    learning: np.ndarray | None = None
    joint: np.ndarray | None = None
    ended_by: np.ndarray | None = None
    duration: np.ndarray | None = None
    final_stakes: np.ndarray | None = None

    def __post_init__(self):
        shape = np.shape(self.lengths)
        defaults = {
            "learning": lambda: np.full((*shape, 2), np.nan),
            "joint": lambda: np.full(shape, np.nan),
            "ended_by": lambda: np.zeros(shape, dtype=np.int8),
            "duration": lambda: np.array(self.lengths, dtype=np.int64),
            "final_stakes": lambda: np.zeros((*shape, 2), dtype=np.int64),
        }
        for name, default in defaults.items():
            value = getattr(self, name)
            object.__setattr__(self, name, default() if value is None else np.asarray(value))

    @property
    def n_pairings(self) -> int:
        return len(self.pairs)

    @property
    def repetitions(self) -> int:
        return self.lengths.shape[1]

    def __eq__(self, other) -> bool:
        if not isinstance(other, Outcomes):
            return NotImplemented
        return all(np.array_equal(getattr(self, f), getattr(other, f), equal_nan=f in ("learning", "joint"))
                   for f in OUTCOME_FIELDS) and len(self.trajectories) == len(other.trajectories) and all(
            np.array_equal(a, b) for a, b in zip(self.trajectories, other.trajectories)
        )


#: The per-match arrays of :class:`Outcomes` (every field but the trajectories).
OUTCOME_FIELDS = ("pairs", "lengths", "totals", "gives", "mutual", "final_power", "learning", "joint", "ended_by",
                  "duration", "final_stakes")


def merge_outcomes(parts: Sequence[Outcomes]) -> Outcomes:
    """Concatenate outcomes of disjoint sets of pairings, sorted by pairing
    ``(a, b)``, whatever order they were played in."""
    pairs = np.concatenate([p.pairs for p in parts])
    index = np.lexsort((pairs[:, 1], pairs[:, 0]))
    trajectories = [t for p in parts for t in p.trajectories]
    fields = {name: np.concatenate([getattr(p, name) for p in parts])[index] for name in OUTCOME_FIELDS}
    return Outcomes(**fields, trajectories=tuple(trajectories[k] for k in index))


def unique_labels(labels: Sequence[str]) -> list[str]:
    """Labels made unique by appending `` #2``, `` #3``... to repeats.

    Examples
    --------
    >>> unique_labels(["Tit For Tat", "Defector", "Tit For Tat"])
    ['Tit For Tat', 'Defector', 'Tit For Tat #2']
    """
    taken = set(labels)
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        if seen[label] == 1:
            unique.append(label)
            continue
        number = seen[label]
        while f"{label} #{number}" in taken:
            number += 1
        seen[label] = number
        unique.append(f"{label} #{number}")
        taken.add(unique[-1])
    return unique


def by_opponent(n_players: int, pairs: np.ndarray, views: np.ndarray) -> np.ndarray:
    """Spread per-pairing values over ``(player, opponent, repetition)``.

    ``views[p, k]`` holds (A's value, B's value) of pairing ``p`` in repetition
    ``k``; A's goes to ``[a, b, k]``, B's to ``[b, a, k]``. A self-play pairing
    gives the mean of its two copies. Unplayed entries are nan.
    """
    views = np.asarray(views, dtype=float)
    out = np.full((n_players, n_players, views.shape[1]), np.nan)
    a, b = pairs[:, 0], pairs[:, 1]
    cross = a != b
    out[a[cross], b[cross]] = views[cross, :, 0]
    out[b[cross], a[cross]] = views[cross, :, 1]
    twin = ~cross
    out[a[twin], a[twin]] = views[twin].mean(axis=-1)
    return out


def both_sides(values: np.ndarray) -> np.ndarray:
    """A value both sides share, as (A's, B's) views."""
    return np.stack([values, values], axis=-1)


def left_by(ended_by: np.ndarray) -> np.ndarray:
    """(A left, B left) per match, from the codes of
    :data:`~learning_dilemma.engine.vectorised.ENDINGS`: an exit in the same
    round by both counts for both."""
    ended_by = np.asarray(ended_by)
    return np.stack([np.isin(ended_by, (FIRST_LEFT, BOTH_LEFT)), np.isin(ended_by, (SECOND_LEFT, BOTH_LEFT))],
                    axis=-1)


def winners(totals: np.ndarray, tolerance: float = TIE_TOLERANCE) -> np.ndarray:
    """(A won, B won) per match: a total beats the other by more than the tolerance."""
    difference = totals[..., 0] - totals[..., 1]
    scale = tolerance * np.maximum(1.0, np.abs(totals).max(axis=-1))
    return np.stack([difference > scale, -difference > scale], axis=-1)


def normalised_scores(payoffs_by_opponent: np.ndarray) -> np.ndarray:
    """Per player and repetition, the mean over its matches of the payoff per
    round (axelrod's normalised score); unplayed (nan) entries are skipped."""
    played = ~np.isnan(payoffs_by_opponent)
    return np.where(played, payoffs_by_opponent, 0.0).sum(axis=1) / played.sum(axis=1)


def ranking(scores: np.ndarray) -> list[int]:
    """Players best first by median score over repetitions; ties keep input order."""
    return np.argsort(-np.median(scores, axis=1), kind="stable").tolist()


def mean_over_matches(matrix: np.ndarray) -> np.ndarray:
    """Row means of a (player, opponent) matrix over the matches played."""
    played = ~np.isnan(matrix)
    return np.where(played, matrix, 0.0).sum(axis=1) / played.sum(axis=1)


def mean_trajectories(n_players: int, pairs: np.ndarray, trajectories) -> dict:
    """Mean power trajectory from each row player's view, keyed ``(row, column)``.

    A self-play pairing's two copies see opposite positions, so their mean view
    is zero throughout.
    """
    out = {}
    for (a, b), trajectory in zip(pairs.tolist(), trajectories):
        if a == b:
            out[a, a] = np.zeros(len(trajectory))
        else:
            out[a, b] = np.asarray(trajectory, dtype=float)
            out[b, a] = -out[a, b]
    return out


class TournamentResults:
    """The results of a tournament.

    Parameters
    ----------
    players : sequence of str
        Player labels, in player order; repeats get `` #2``, `` #3``...
    outcomes : Outcomes
    game : LearningGame
    metadata : dict, optional
        How the results were made (seed, length, game...), kept for output.

    Attributes
    ----------
    players : list of str
    n_players, repetitions : int
    ranking : list of int
        Player indices best first, by median normalised score.
    ranked_names : list of str
    normalised_scores : ndarray, shape (n, repetitions)
        Mean payoff per round, averaged over the player's matches.
    median_score, mean_payoff, payoff_spread : ndarray, shape (n,)
        Median, mean and standard deviation over repetitions of the
        normalised scores.
    payoff_matrix, payoff_std : ndarray, shape (n, n)
        Mean and standard deviation over repetitions of the row player's payoff
        per round against the column player (nan on the diagonal unless
        self-play).
    give_rate_matrix : ndarray, shape (n, n)
        The row player's give rate against the column player (``give_matrix``
        is a deprecated alias).
    give_rate : ndarray, shape (n,)
        Give rate over all the player's matches.
    mutual_giving : ndarray, shape (n, n)
        Share of rounds in which both gave.
    mutual_giving_rate : float
        Share of all rounds of all matches in which both gave.
    joint_learning : ndarray, shape (n, n)
        The value the alliance created per round: the absolute value of the
        knowledge that actually transferred plus the synergy of joint giving,
        ``(b - c)(r_i x_j + r_j x_i) + s (r_i + r_j) x_i x_j``
        (:func:`~learning_dilemma.games.learning.joint_value`; Larsson et al.
        1998: the joint learning that mutual transparency makes). *Changed in
        the second edition*: it was everything paid above the status quo,
        ``u_row + u_col - 2P``, which counted the race premium of exploitation
        and positional transfers as joint learning; that figure is now
        :attr:`surplus`. The two agree when both always give.
    surplus : ndarray, shape (n, n)
        Paid per round above the status quo, ``u_row + u_col - 2P`` (the first
        edition's ``joint_learning``): the joint value plus the race premium.
    learning_matrix : ndarray, shape (n, n)
        What the row player absorbed per round against the column player,
        ``r_row x_col`` (what actually transferred, times its receptivity).
    learning : ndarray, shape (n,)
        The same, averaged over the player's matches.
    power_gap : ndarray, shape (n, n)
        Mean final power position from the row player's view,
        ``z = K_col - K_row``: how much more the partner still had to learn from
        it than it from the partner (Emerson 1962: power is the other's
        dependence; Hamel 1991: the faster learner holds it). *Changed in the
        second edition*: it was the first edition's ladder position, moved by
        takes. Zero with knowledge stakes off.
    dominance : ndarray, shape (n, n)
        Share of repetitions that ended with the row player holding power (``z > 0``).
    stakes_left_matrix : ndarray, shape (n, n)
        Mean knowledge levels the row player still lacked at the end against
        the column player (of ``M``); nan with knowledge stakes off (the first
        edition's endless flow: nothing is ever used up).
    stakes_left : ndarray, shape (n,)
        The same, averaged over the player's matches.
    exit_matrix : ndarray, shape (n, n)
        Share of the row player's matches against the column player that it
        left (an exit by both in the same round counts for both).
    exits : ndarray, shape (n,)
        Share of all its matches the player left.
    race_over_matrix : ndarray, shape (n, n)
        Share of the pairing's matches that ended because one side had learned
        all it came for (Hamel 1991: the race is over).
    race_over : ndarray, shape (n,)
        Share of the player's matches that ended so.
    duration_matrix : ndarray, shape (n, n)
        Mean rounds the alliance was open.
    duration : ndarray, shape (n,)
        The same, averaged over the player's matches.
    open_share_matrix : ndarray, shape (n, n)
        Share of the rounds played in which the alliance was open (the rest
        paid both the status quo).
    open_share : ndarray, shape (n,)
        The same, averaged over the player's matches.
    exit_rate, race_over_rate, open_rate : float
        Over all matches: the share ended by an exit, the share ended by the
        race being over, and the share of all rounds the alliance was open.
    wins : ndarray of int, shape (n,)
        Matches (pairing x repetition) whose total the player won; self-play
        never counts.
    power_trajectories : dict
        ``(row, column)`` to the mean power position from the row player's view
        after ``t = 0, 1, ...`` rounds (over the repetitions still running).
    metadata : dict
    """

    def __init__(self, players: Sequence[str], outcomes: Outcomes, game, metadata: dict | None = None):
        self.players = unique_labels(list(players))
        self.outcomes = outcomes
        self.game = game
        self.metadata = dict(metadata or {})
        self.n_players = len(self.players)
        self.repetitions = outcomes.repetitions

    def __repr__(self) -> str:
        return f"TournamentResults({self.n_players} players, {self.repetitions} repetitions)"

    def __eq__(self, other) -> bool:
        if not isinstance(other, TournamentResults):
            return NotImplemented
        return self.players == other.players and self.outcomes == other.outcomes and self.metadata == other.metadata

    __hash__ = None

    @property
    def self_play(self) -> bool:
        return bool(np.any(self.outcomes.pairs[:, 0] == self.outcomes.pairs[:, 1]))

    # --- per repetition, by (player, opponent) ------------------------------
    def _by_opponent(self, views) -> np.ndarray:
        return by_opponent(self.n_players, self.outcomes.pairs, views)

    @cached_property
    def _per_round(self) -> np.ndarray:
        return self.outcomes.lengths[..., None]

    @cached_property
    def payoffs_by_opponent(self) -> np.ndarray:
        """Payoff per round, shape (n, n, repetitions)."""
        return self._by_opponent(self.outcomes.totals / self._per_round)

    @cached_property
    def _gives_by_opponent(self) -> np.ndarray:
        return self._by_opponent(self.outcomes.gives / self._per_round)

    # --- scores and ranking -------------------------------------------------
    @cached_property
    def normalised_scores(self) -> np.ndarray:
        return normalised_scores(self.payoffs_by_opponent)

    @cached_property
    def median_score(self) -> np.ndarray:
        return np.median(self.normalised_scores, axis=1)

    @cached_property
    def mean_payoff(self) -> np.ndarray:
        return self.normalised_scores.mean(axis=1)

    @cached_property
    def payoff_spread(self) -> np.ndarray:
        return self.normalised_scores.std(axis=1)

    @cached_property
    def ranking(self) -> list[int]:
        return ranking(self.normalised_scores)

    @property
    def ranked_names(self) -> list[str]:
        return [self.players[i] for i in self.ranking]

    # --- matrices -----------------------------------------------------------
    @cached_property
    def payoff_matrix(self) -> np.ndarray:
        return self.payoffs_by_opponent.mean(axis=-1)

    @cached_property
    def payoff_std(self) -> np.ndarray:
        return self.payoffs_by_opponent.std(axis=-1)

    @cached_property
    def give_rate_matrix(self) -> np.ndarray:
        return self._gives_by_opponent.mean(axis=-1)

    give_matrix = deprecated_alias("give_matrix", "give_rate_matrix")

    @cached_property
    def give_rate(self) -> np.ndarray:
        return mean_over_matches(self.give_rate_matrix)

    @cached_property
    def mutual_giving(self) -> np.ndarray:
        rates = self.outcomes.mutual / self.outcomes.lengths
        return self._by_opponent(both_sides(rates)).mean(axis=-1)

    @property
    def mutual_giving_rate(self) -> float:
        return float(self.outcomes.mutual.sum() / self.outcomes.lengths.sum())

    @cached_property
    def joint_learning(self) -> np.ndarray:
        created = self.outcomes.joint / self.outcomes.lengths
        return self._by_opponent(both_sides(created)).mean(axis=-1)

    @cached_property
    def surplus(self) -> np.ndarray:
        paid = self.outcomes.totals.sum(axis=-1) / self.outcomes.lengths - 2 * self.game.status_quo
        return self._by_opponent(both_sides(paid)).mean(axis=-1)

    @cached_property
    def learning_matrix(self) -> np.ndarray:
        return self._by_opponent(self.outcomes.learning / self._per_round).mean(axis=-1)

    @cached_property
    def learning(self) -> np.ndarray:
        return mean_over_matches(self.learning_matrix)

    @cached_property
    def power_gap(self) -> np.ndarray:
        final = self.outcomes.final_power
        return self._by_opponent(np.stack([final, -final], axis=-1)).mean(axis=-1)

    @cached_property
    def dominance(self) -> np.ndarray:
        final = self.outcomes.final_power
        return self._by_opponent(np.stack([final > 0, final < 0], axis=-1)).mean(axis=-1)

    @property
    def stakes_active(self) -> bool:
        """Whether the game had knowledge stakes (and so stakes left and a race to end)."""
        return bool(self.game.knowledge.active)

    @cached_property
    def stakes_left_matrix(self) -> np.ndarray:
        matrix = self._by_opponent(self.outcomes.final_stakes).mean(axis=-1)
        return matrix if self.stakes_active else np.full_like(matrix, np.nan)

    @cached_property
    def stakes_left(self) -> np.ndarray:
        if not self.stakes_active:
            return np.full(self.n_players, np.nan)
        return mean_over_matches(self.stakes_left_matrix)

    @cached_property
    def exit_matrix(self) -> np.ndarray:
        return self._by_opponent(left_by(self.outcomes.ended_by)).mean(axis=-1)

    @cached_property
    def exits(self) -> np.ndarray:
        return mean_over_matches(self.exit_matrix)

    @cached_property
    def race_over_matrix(self) -> np.ndarray:
        return self._by_opponent(both_sides(self.outcomes.ended_by == RACE_OVER)).mean(axis=-1)

    @cached_property
    def race_over(self) -> np.ndarray:
        return mean_over_matches(self.race_over_matrix)

    @cached_property
    def duration_matrix(self) -> np.ndarray:
        return self._by_opponent(both_sides(self.outcomes.duration)).mean(axis=-1)

    @cached_property
    def duration(self) -> np.ndarray:
        return mean_over_matches(self.duration_matrix)

    @cached_property
    def open_share_matrix(self) -> np.ndarray:
        return self._by_opponent(both_sides(self.outcomes.duration / self.outcomes.lengths)).mean(axis=-1)

    @cached_property
    def open_share(self) -> np.ndarray:
        return mean_over_matches(self.open_share_matrix)

    @property
    def exit_rate(self) -> float:
        return float(np.mean(left_by(self.outcomes.ended_by).any(axis=-1)))

    @property
    def race_over_rate(self) -> float:
        return float(np.mean(self.outcomes.ended_by == RACE_OVER))

    @property
    def open_rate(self) -> float:
        return float(self.outcomes.duration.sum() / self.outcomes.lengths.sum())

    @cached_property
    def wins(self) -> np.ndarray:
        won = self._by_opponent(winners(self.outcomes.totals))
        won[np.diag_indices(self.n_players)] = np.nan  # self-play is no contest
        return np.nansum(won, axis=(1, 2)).astype(np.int64)

    @cached_property
    def power_trajectories(self) -> dict:
        return mean_trajectories(self.n_players, self.outcomes.pairs, self.outcomes.trajectories)

    # --- tidy tables --------------------------------------------------------
    def summary(self) -> list[dict]:
        """One row per player, best first.

        ``learning`` is per round; ``stakes_left`` in knowledge levels (empty
        with stakes off); ``exits`` and ``race_over`` are shares of the
        player's matches; ``duration`` is rounds the alliance was open and
        ``open_share`` their share of the rounds played.
        """
        gap = mean_over_matches(self.power_gap)
        return [
            {
                "rank": rank,
                "player": self.players[i],
                "median_score": float(self.median_score[i]),
                "mean_payoff": float(self.mean_payoff[i]),
                "payoff_spread": float(self.payoff_spread[i]),
                "give_rate": float(self.give_rate[i]),
                "wins": int(self.wins[i]),
                "power_gap": float(gap[i]),
                "learning": float(self.learning[i]),
                "stakes_left": float(self.stakes_left[i]),
                "exits": float(self.exits[i]),
                "race_over": float(self.race_over[i]),
                "duration": float(self.duration[i]),
                "open_share": float(self.open_share[i]),
            }
            for rank, i in enumerate(self.ranking, start=1)
        ]

    def pairings(self) -> list[dict]:
        """One row per ordered (player, opponent) that met (columns as in :meth:`summary`,
        the player's view against this opponent)."""
        matrices = {
            "payoff": self.payoff_matrix,
            "payoff_std": self.payoff_std,
            "give_rate": self.give_rate_matrix,
            "mutual_giving": self.mutual_giving,
            "joint_learning": self.joint_learning,
            "surplus": self.surplus,
            "power_gap": self.power_gap,
            "dominance": self.dominance,
            "learning": self.learning_matrix,
            "stakes_left": self.stakes_left_matrix,
            "exits": self.exit_matrix,
            "race_over": self.race_over_matrix,
            "duration": self.duration_matrix,
            "open_share": self.open_share_matrix,
        }
        rows = []
        for i in range(self.n_players):
            for j in range(self.n_players):
                if np.isnan(self.payoff_matrix[i, j]):
                    continue
                row = {"player": self.players[i], "opponent": self.players[j]}
                row.update({name: float(matrix[i, j]) for name, matrix in matrices.items()})
                rows.append(row)
        return rows

    def interactions(self) -> list[dict]:
        """One row per match (pairing x repetition): the raw outcomes.

        ``learning_a``/``learning_b`` and ``joint_value`` are totals over the
        match; ``ended_by`` names how the alliance ended
        (:data:`~learning_dilemma.engine.vectorised.ENDINGS`); ``stakes_a`` and
        ``stakes_b`` are the levels each still lacked at the end (empty with
        stakes off).
        """
        o = self.outcomes
        stakes = o.final_stakes.astype(float) if self.stakes_active else np.full(o.final_stakes.shape, np.nan)
        rows = []
        for p, (a, b) in enumerate(o.pairs.tolist()):
            for k in range(self.repetitions):
                rows.append({
                    "player_a": self.players[a],
                    "player_b": self.players[b],
                    "repetition": k,
                    "turns": int(o.lengths[p, k]),
                    "total_a": float(o.totals[p, k, 0]),
                    "total_b": float(o.totals[p, k, 1]),
                    "gives_a": int(o.gives[p, k, 0]),
                    "gives_b": int(o.gives[p, k, 1]),
                    "mutual_giving": int(o.mutual[p, k]),
                    "final_power": int(o.final_power[p, k]),
                    "learning_a": float(o.learning[p, k, 0]),
                    "learning_b": float(o.learning[p, k, 1]),
                    "joint_value": float(o.joint[p, k]),
                    "ended_by": ENDINGS[int(o.ended_by[p, k])],
                    "duration": int(o.duration[p, k]),
                    "stakes_a": float(stakes[p, k, 0]),
                    "stakes_b": float(stakes[p, k, 1]),
                })
        return rows


def __getattr__(name):
    # first-edition names of this module (CHANGELOG.md)
    from ._compat import moved_name

    return moved_name(__name__, name)
