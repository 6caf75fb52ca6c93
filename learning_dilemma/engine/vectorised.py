"""The vectorised engine: many automaton matches at once, one loop over rounds.

Rules of a round (``docs/model.md``, "One round, in order"), each taken from the
one place it is defined in :mod:`learning_dilemma.games`:

1. A closed alliance pays both the status quo and records EXIT for both.
2. Each player leaves with its table's exit probability, otherwise intends GIVE
   with its give probability (one draw, :func:`~learning_dilemma.games.execution.chooses`);
   an exit closes the alliance for both from this round on.
3. Noise flips an intention; a give fails to transfer with the failure
   probability of its tacitness at the tie's strength.
4. Stage payoffs use the power position at the start of the round.
5. The stakes run down where a give transferred, the tie grows after mutual
   giving, and the alliance closes when one side's stakes are exhausted.
6. Each automaton moves on its own move and the partner's move as seen.

The round-by-round engine (:mod:`.stepwise`) consumes the same pre-drawn
uniforms (:mod:`learning_dilemma.seeding`), so an automaton gives identical
results through either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..games import LearningGame, failure_probability, race_over, stage_payoffs, stakes_step, tie_step
from ..games.execution import chooses, flip, transfers
from ..moves import EXIT
from ..games.learning import closed_payoff
from ..players.automaton import AutomatonTable, view_index
from ..seeding import GIVE_DRAWS, NOISE_DRAWS, TACIT_DRAWS, learn_draws

__all__ = ["ENDINGS", "PLAYERS", "PROGRESS_ROUNDS", "RawPlay", "Relation", "play_automata", "round_payoffs"]

# A long match reports progress (``progress(rounds done, rounds)``) this often.
PROGRESS_ROUNDS = 65_536

# The players of a dyad, by index: every per-player array has this first axis.
PLAYERS = (0, 1)

# How an alliance ended, by code (RawPlay.ended_by).
ENDINGS = ("open", "first left", "second left", "both left", "race over")
OPEN, FIRST_LEFT, SECOND_LEFT, BOTH_LEFT, RACE_OVER = range(5)

_EXIT = int(EXIT)


@dataclass
class RawPlay:
    """Arrays of a batch of plays, padded to the longest.

    Attributes
    ----------
    moves : ndarray of int8, shape (players, rows, longest)
        The move codes of :class:`~learning_dilemma.moves.Move` (1 GIVE, 0 TAKE,
        2 EXIT once the alliance has closed), -1 past a row's end.
    payoffs : ndarray, shape (players, rows, longest)
        Stage payoffs, 0 past a row's end.
    power : ndarray of int, shape (rows, longest + 1)
        The power position (the first player's view, ``K_second - K_first``)
        before each round and after the last.
    lengths : ndarray of int, shape (rows,)
    transfers : ndarray of int8, shape (players, rows, longest), optional
        1 where the player's give transferred; defaults to its gives.
    stakes : ndarray of int, shape (players, rows, longest + 1), optional
        Knowledge stakes before each round and after the last (zeros with stakes off).
    ties : ndarray of int, shape (rows, longest + 1), optional
        Tie strength before each round and after the last.
    ended_by : ndarray of int8, shape (rows,), optional
        How the alliance ended (:data:`ENDINGS`); 0 while it was open at the end.
    """

    moves: np.ndarray
    payoffs: np.ndarray
    power: np.ndarray
    lengths: np.ndarray
    transfers: np.ndarray | None = None
    stakes: np.ndarray | None = None
    ties: np.ndarray | None = None
    ended_by: np.ndarray | None = None

    def __post_init__(self):
        rows, longest = self.moves.shape[1], self.moves.shape[2]
        if self.transfers is None:
            self.transfers = np.where(self.moves >= 0, self.moves == 1, -1).astype(np.int8)
        if self.stakes is None:
            self.stakes = np.zeros((2, rows, longest + 1), dtype=np.int32)
        if self.ties is None:
            self.ties = np.zeros((rows, longest + 1), dtype=np.int32)
        if self.ended_by is None:
            self.ended_by = np.zeros(rows, dtype=np.int8)


def round_payoffs(game: LearningGame, moves, receptivities, power, transfers=None) -> np.ndarray:
    """Per-round payoffs, shape (players, rows, longest), for padded ``moves``;
    the status quo in closed rounds (EXIT), zero past each play's end.
    ``receptivities`` holds one array a player; ``transfers`` (default: the gives)
    says which gives transferred."""
    valid = moves[0] >= 0
    closed = moves[0] == _EXIT
    gives = [np.where(valid & ~closed, m == 1, 0) for m in moves]
    done = gives if transfers is None else [np.where(valid & ~closed, x == 1, 0) for x in transfers]
    receptivity_first, receptivity_second = (np.asarray(r, dtype=float)[..., None] for r in receptivities)
    payoffs = stage_payoffs(game, gives[0], gives[1], done[0], done[1], receptivity_first, receptivity_second,
                            power[..., :-1])
    payoffs = np.where(closed, closed_payoff(game), np.stack(payoffs))
    return np.where(valid, payoffs, 0.0)


class Relation:
    """The relation of every row of a batch, advanced round by round.

    Stakes, tie, whether the alliance is open and how it ended, with their
    trajectories, moved by the rules of :mod:`learning_dilemma.games.knowledge`:
    written once here for the automaton engine and for the scoring of axelrod's
    plays (:mod:`learning_dilemma.axelrod.scoring`).
    """

    def __init__(self, game: LearningGame, rows: int, longest: int, initial_stakes=(0, 0), initial_tie: int = 0):
        self.game = game
        self.stakes = [np.full(rows, initial_stakes[p], dtype=np.int64) for p in PLAYERS]
        self.tie = np.full(rows, initial_tie, dtype=np.int64)
        self.is_open = np.ones(rows, dtype=bool)
        self.ended_by = np.zeros(rows, dtype=np.int8)
        self.stakes_path = np.empty((2, rows, longest + 1), dtype=np.int32)  # constant with stakes off
        for p in PLAYERS:
            self.stakes_path[p] = self.stakes[p][:, None]
        self.tie_path = np.full((rows, longest + 1), initial_tie, dtype=np.int32)
        self.moves = np.full((2, rows, longest), -1, dtype=np.int8)
        self.transfers = np.full((2, rows, longest), -1, dtype=np.int8)

    def failures(self, tacitnesses):
        """Each player's probability that a give fails to transfer at the current tie."""
        ties = self.game.ties
        return [failure_probability(tacitnesses[p], self.tie, ties) for p in PLAYERS] if ties.active else tacitnesses

    def record(self, t: int, live, active, played, moved) -> None:
        """Round ``t``'s moves (EXIT where the alliance is closed, -1 past a row's end) and transfers."""
        for p in PLAYERS:
            if active is live:  # the lean path: no alliance can have closed, so no EXIT to record
                self.moves[p, :, t] = np.where(live, played[p], -1)
                self.transfers[p, :, t] = np.where(live, moved[p], -1)
            else:
                self.moves[p, :, t] = np.where(live, np.where(active, played[p], _EXIT), -1)
                self.transfers[p, :, t] = np.where(live, np.where(active, moved[p], 0), -1)

    def advance(self, t: int, active, played, moved, learning_draws, receptivities) -> None:
        """After round ``t``: the stakes run down where a give transferred, the race may
        end, the tie grows after mutual giving."""
        knowledge, ties = self.game.knowledge, self.game.ties
        if knowledge.active:
            for p in PLAYERS:
                self.stakes[p] = np.where(active, stakes_step(self.stakes[p], moved[1 - p], learning_draws[p],
                                                              receptivities[p], knowledge), self.stakes[p])
            over = active & race_over(self.stakes[0], self.stakes[1], knowledge)
            self.ended_by = np.where(over, RACE_OVER, self.ended_by).astype(np.int8)
            self.is_open = self.is_open & ~over
            for p in PLAYERS:
                self.stakes_path[p, :, t + 1] = self.stakes[p]
        if ties.active:
            self.tie = np.where(active, tie_step(self.tie, played[0], played[1], ties), self.tie)
            self.tie_path[:, t + 1] = self.tie

    def played(self, lengths, receptivities) -> RawPlay:
        """The batch's :class:`RawPlay`, its payoffs from the recorded moves and transfers."""
        power = (self.stakes_path[1] - self.stakes_path[0]).astype(np.int64)
        payoffs = round_payoffs(self.game, self.moves, receptivities, power, self.transfers)
        return RawPlay(self.moves, payoffs, power, lengths, self.transfers, self.stakes_path, self.tie_path,
                       self.ended_by)


def play_automata(
    game: LearningGame,
    tables: tuple[list[AutomatonTable], list[AutomatonTable]],
    rows: tuple[np.ndarray, np.ndarray],
    receptivities: tuple[np.ndarray, np.ndarray],
    tacitnesses: tuple[np.ndarray, np.ndarray],
    starts: tuple[np.ndarray, np.ndarray],
    draws: np.ndarray,
    lengths: np.ndarray,
    initial_stakes: tuple[int, int] = (0, 0),
    noise: float = 0.0,
    progress=None,
    initial_tie: int = 0,
) -> RawPlay:
    """Play many automaton matches at once, one per row.

    Row ``k`` pits ``tables[0][rows[0][k]]`` against ``tables[1][rows[1][k]]``;
    every per-player argument is a pair indexed by player. ``starts`` are the
    rows' start states (after prior rounds), ``initial_stakes`` the two
    organisations' stakes at the start (:meth:`LearningGame.initial_stakes`)
    and ``initial_tie`` the tie (:func:`~learning_dilemma.games.initial_tie`),
    ``draws`` has shape (rows, longest, columns) with the noise and learning
    columns of :mod:`learning_dilemma.seeding` when noise and stakes are on.
    The tables are stacked into one global state space so a whole tournament of
    different pairings runs in a single loop over rounds.
    ``progress(rounds done, rounds)``, if given, hears of a long run every
    :data:`PROGRESS_ROUNDS` rounds.
    """
    knowledge, ties = game.knowledge, game.ties
    width = knowledge.levels + 1
    stacked = [_stack(tables[p]) for p in PLAYERS]
    leaving = any(t.leaves for p in PLAYERS for t in tables[p])
    n_rows, longest, _ = draws.shape
    learn = learn_draws(noise > 0)
    state = [stacked[p][2][rows[p]] + starts[p] for p in PLAYERS]
    tacit = [np.asarray(t, dtype=float) for t in tacitnesses]
    relation = Relation(game, n_rows, longest, initial_stakes, initial_tie)
    # The first edition's game (no stakes, no exits) takes a lean path: every row's
    # alliance stays open, every view is the one column, a give without tacitness transfers.
    dynamic = leaving or knowledge.active
    tacit_any = any(np.any(t > 0) for t in tacit)
    only_view = [stacked[p][0][:, 0] for p in PLAYERS] if width == 1 else None
    for t in range(longest):
        if progress is not None and t % PROGRESS_ROUNDS == 0:
            progress(t, longest)
        step = draws[:, t]
        live = t < lengths
        stakes = relation.stakes
        if only_view is not None:
            give = [only_view[p][state[p]] for p in PLAYERS]
        else:
            view = (view_index(stakes[0], stakes[1], knowledge.levels),
                    view_index(stakes[1], stakes[0], knowledge.levels))
            give = [stacked[p][0][state[p], view[p]] for p in PLAYERS]
        if leaving:
            leave = [stacked[p][3][state[p], 0 if width == 1 else view[p]] for p in PLAYERS]
            chosen = [chooses(step[:, GIVE_DRAWS[p]], leave[p], give[p]) for p in PLAYERS]
            leaves = [c[0] for c in chosen]
            intended = [c[1] for c in chosen]
        else:
            leaves = None
            intended = [step[:, GIVE_DRAWS[p]] < give[p] for p in PLAYERS]
        if noise:
            intended = [flip(intended[p], step[:, NOISE_DRAWS[p]], noise) for p in PLAYERS]
            if leaves is not None:
                intended = [intended[p] & ~leaves[p] for p in PLAYERS]
        if leaves is not None:
            closing = relation.is_open & live & (leaves[0] | leaves[1])
            relation.ended_by = np.where(closing, FIRST_LEFT * leaves[0] + SECOND_LEFT * leaves[1],
                                         relation.ended_by).astype(np.int8)
            relation.is_open = relation.is_open & ~closing
        if dynamic:
            active = relation.is_open & live
            played = [intended[p] & active for p in PLAYERS]
        else:
            active, played = live, intended
        if tacit_any:
            failure = relation.failures(tacit)
            moved = [transfers(played[p], step[:, TACIT_DRAWS[p]], failure[p]) for p in PLAYERS]
        else:
            moved = played
        relation.record(t, live, active, played, moved)
        relation.advance(t, active, played, moved, [step[:, learn[p]] for p in PLAYERS] if knowledge.active else None,
                         receptivities)
        # each automaton moves on its own move and the partner's move as seen (a failed give looks like a take)
        following = [stacked[p][1][state[p], played[p] * 1, moved[1 - p] * 1] for p in PLAYERS]
        state = [np.where(active, following[p], state[p]) for p in PLAYERS] if dynamic else following
    return relation.played(lengths, receptivities)


def _stack(tables: list[AutomatonTable]):
    """Concatenate tables into one state space: ``(gives, next states, offsets, leaves)``."""
    sizes = np.array([t.n_states for t in tables])
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    gives = np.concatenate([t.give for t in tables])
    nexts = np.concatenate([t.next_state + off for t, off in zip(tables, offsets)])
    leaves = np.concatenate([t.leave for t in tables])
    return gives, nexts, offsets, leaves
