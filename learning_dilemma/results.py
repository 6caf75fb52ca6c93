"""Tournament results: the outcome of every match, and the summaries drawn from them.

A round robin's raw material is small: for each pairing and repetition, the
match length, both totals, both give counts, the rounds of mutual giving and
the final ladder position. :class:`Outcomes` holds these as arrays;
:class:`TournamentResults` is a thin object over them whose summaries are computed by the
pure functions of this module.

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

__all__ = [
    "both_sides", "by_opponent", "mean_over_matches", "mean_trajectories", "merge_outcomes",
    "normalised_scores", "Outcomes", "ranking", "TIE_TOLERANCE", "TournamentResults", "unique_labels",
    "winners"
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
        Rounds played.
    totals : ndarray, shape (pairings, repetitions, 2)
        Total payoffs.
    gives : ndarray of int, shape (pairings, repetitions, 2)
        Rounds in which each side gave (after tacitness).
    mutual : ndarray of int, shape (pairings, repetitions)
        Rounds in which both gave.
    final_power : ndarray of int, shape (pairings, repetitions)
        Ladder position at the end, A's view.
    trajectories : tuple of ndarray
        Per pairing, the mean ladder position (A's view) after ``t`` rounds,
        ``t = 0..longest``, over the repetitions that lasted at least ``t``
        rounds.
    """

    pairs: np.ndarray
    lengths: np.ndarray
    totals: np.ndarray
    gives: np.ndarray
    mutual: np.ndarray
    final_power: np.ndarray
    trajectories: tuple

    @property
    def n_pairings(self) -> int:
        return len(self.pairs)

    @property
    def repetitions(self) -> int:
        return self.lengths.shape[1]

    def __eq__(self, other) -> bool:
        if not isinstance(other, Outcomes):
            return NotImplemented
        fields = ("pairs", "lengths", "totals", "gives", "mutual", "final_power")
        return all(np.array_equal(getattr(self, f), getattr(other, f)) for f in fields) and len(
            self.trajectories
        ) == len(other.trajectories) and all(
            np.array_equal(a, b) for a, b in zip(self.trajectories, other.trajectories)
        )


def merge_outcomes(parts: Sequence[Outcomes]) -> Outcomes:
    """Concatenate outcomes of disjoint sets of pairings, sorted by pairing
    ``(a, b)``, whatever order they were played in."""
    pairs = np.concatenate([p.pairs for p in parts])
    index = np.lexsort((pairs[:, 1], pairs[:, 0]))
    trajectories = [t for p in parts for t in p.trajectories]
    return Outcomes(
        pairs[index],
        np.concatenate([p.lengths for p in parts])[index],
        np.concatenate([p.totals for p in parts])[index],
        np.concatenate([p.gives for p in parts])[index],
        np.concatenate([p.mutual for p in parts])[index],
        np.concatenate([p.final_power for p in parts])[index],
        tuple(trajectories[k] for k in index),
    )


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
    """Mean ladder trajectory from each row player's view, keyed ``(row, column)``.

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
        Value created per round above the status quo, ``u_row + u_col - 2P``
        (Larsson et al. 1998: the joint learning that mutual transparency makes).
    power_gap : ndarray, shape (n, n)
        Mean final ladder position from the row player's view (Hamel 1991).
    dominance : ndarray, shape (n, n)
        Share of repetitions that ended with the row player holding power.
    wins : ndarray of int, shape (n,)
        Matches (pairing x repetition) whose total the player won; self-play
        never counts.
    power_trajectories : dict
        ``(row, column)`` to the mean ladder position from the row player's view
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
        created = self.outcomes.totals.sum(axis=-1) / self.outcomes.lengths - 2 * self.game.status_quo
        return self._by_opponent(both_sides(created)).mean(axis=-1)

    @cached_property
    def power_gap(self) -> np.ndarray:
        final = self.outcomes.final_power
        return self._by_opponent(np.stack([final, -final], axis=-1)).mean(axis=-1)

    @cached_property
    def dominance(self) -> np.ndarray:
        final = self.outcomes.final_power
        return self._by_opponent(np.stack([final > 0, final < 0], axis=-1)).mean(axis=-1)

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
        """One row per player, best first."""
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
            }
            for rank, i in enumerate(self.ranking, start=1)
        ]

    def pairings(self) -> list[dict]:
        """One row per ordered (player, opponent) that met."""
        matrices = {
            "payoff": self.payoff_matrix,
            "payoff_std": self.payoff_std,
            "give_rate": self.give_rate_matrix,
            "mutual_giving": self.mutual_giving,
            "joint_learning": self.joint_learning,
            "power_gap": self.power_gap,
            "dominance": self.dominance,
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
        """One row per match (pairing x repetition): the raw outcomes."""
        o = self.outcomes
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
                })
        return rows


def __getattr__(name):
    # first-edition names of this module (CHANGELOG.md)
    from ._compat import moved_name

    return moved_name(__name__, name)
