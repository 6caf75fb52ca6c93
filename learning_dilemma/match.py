"""Matches between two organisations, and their results.

A match has either a fixed number of ``turns`` or a ``continuation``
probability, the shadow of the future of Axelrod (1984): after each round the
match goes on with that probability, so its length is geometric with mean
``1 / (1 - continuation)``. Strategies never see the horizon.

Prior relations (Axelrod 1984; Larsson et al. 1998 on constructive dynamics)
enter as ``prior_rounds`` of mutual giving that the strategies see as history
but that earn nothing, and as ``initial_power``: levels of knowledge one side has
already learned from the other (with knowledge stakes on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ._compat import deprecated_alias
from ._validation import (
    DEFAULT_TURNS, check_count, check_initial_power, check_length, check_probability, continuation_of,
)
from .engine import RawPlay, pad_draws, play_automata, play_generic, round_payoffs
from .engine.batching import running_totals
from .errors import ParameterError
from .games import LearningGame, bargaining_share, initial_tie
from .moves import EXIT, GIVE, Move
from .players.automaton import MatchContext
from .players.player import Player, fresh
from .seeding import player_generators, repetition_draws, repetition_sequence, root_entropy

__all__ = ["Match", "MatchBatch", "MatchResult"]


class Match:
    """A match between two players.

    Parameters
    ----------
    player_a, player_b : Player
    game : LearningGame, optional
        Defaults to ``LearningGame()`` (Axelrod's payoffs, power off).
    turns : int, optional
        Fixed length; 200 if neither ``turns`` nor ``continuation`` is given.
    continuation : float, optional
        Probability in [0, 1) that the match goes on after each round.
    seed : int, optional
        Seed of every random draw. ``None`` draws fresh entropy, kept in
        :attr:`entropy` so the run can be repeated.
    prior_rounds : int
        Rounds of mutual giving the strategies see before the match.
    initial_power : int
        Levels A has already learned beyond B at the start (B's if negative),
        in ``[-(M - 1), M - 1]``; needs knowledge stakes (``game.knowledge``).
    repetitions : int
        Independent repetitions; automaton pairs run vectorised over them.
    noise : float
        Probability in [0, 1] that each intended move is flipped, as axelrod's
        ``noise`` (:mod:`learning_dilemma.games.execution`); 0 draws nothing extra.

    Examples
    --------
    >>> from learning_dilemma.strategies import ContractualReciprocator, Opportunist
    >>> result = Match(ContractualReciprocator(), Opportunist(), turns=10, seed=1).play()
    >>> result.totals
    (9.0, 14.0)
    """

    def __init__(
        self,
        player_a: Player,
        player_b: Player,
        game: LearningGame | None = None,
        turns: int | None = None,
        continuation: float | None = None,
        seed: int | None = None,
        prior_rounds: int = 0,
        initial_power: int = 0,
        repetitions: int = 1,
        key: tuple = (),
        noise: float = 0.0,
    ):
        for name, player in (("player_a", player_a), ("player_b", player_b)):
            if not isinstance(player, Player):
                raise ParameterError(f"{name} must be a Player, got {player!r}")
        self.player_a, self.player_b = player_a, player_b
        self.game = game if game is not None else LearningGame()
        if not isinstance(self.game, LearningGame):
            raise ParameterError(f"game must be a LearningGame, got {self.game!r}")
        self.turns, self.continuation = check_length(turns, continuation)
        self.prior_rounds = check_count("prior_rounds", prior_rounds)
        self.initial_power = check_initial_power(initial_power, self.game)
        self.repetitions = check_count("repetitions", repetitions, 1)
        self.noise = check_probability("noise", noise)
        # Resource limits, before anything is allocated: every repetition is held in memory at once.
        from .limits import check_play

        check_play(self.turns, self.continuation, self.prior_rounds, self.repetitions, held=True)
        self.entropy = root_entropy(seed)
        self.key = tuple(key)
        self.context = MatchContext(self.game, continuation_of(self.turns, self.continuation), self.turns)

    @property
    def vectorised(self) -> bool:
        """Whether both players are automata (and so run vectorised)."""
        return self.player_a.is_automaton and self.player_b.is_automaton

    def draws(self):
        """Per-repetition lengths and uniform draws, padded: ``(lengths, draws)``."""
        plays = [
            repetition_draws(repetition_sequence(self.entropy, self.key, k), self.turns, self.continuation,
                             self.noise > 0, self.game.knowledge.active)
            for k in range(self.repetitions)
        ]
        return pad_draws(plays)

    def play(self, vectorised: bool | None = None, progress=None) -> "MatchResult":
        """Play the match once and return its :class:`MatchResult`.

        A match of several ``repetitions`` is played with :meth:`play_batch`,
        which always returns a :class:`MatchBatch`. ``vectorised=False`` forces
        the round-by-round engine even for automata (it gives identical results).
        ``progress(rounds done, rounds)``, if given, hears of a long match as it
        runs (every :data:`~learning_dilemma.engine.vectorised.PROGRESS_ROUNDS` rounds).
        """
        if self.repetitions != 1:
            raise ParameterError(
                f"Match.play() plays one repetition and this match has {self.repetitions}: use Match.play_batch()"
            )
        return self.play_batch(vectorised, progress)[0]

    def play_batch(self, vectorised: bool | None = None, progress=None) -> "MatchBatch":
        """Play every repetition; always returns a :class:`MatchBatch` (``progress`` as for :meth:`play`)."""
        lengths, draws = self.draws()
        use_vector = self.vectorised if vectorised is None else vectorised and self.vectorised
        if use_vector:
            raw = self._play_vectorised(lengths, draws, progress)
        else:
            raw = self._play_generic(lengths, draws, progress)
        return MatchBatch((self.player_a.label, self.player_b.label), raw, self.game, self)

    @property
    def players(self) -> tuple[Player, Player]:
        """The two players, addressed by index."""
        return self.player_a, self.player_b

    def _per_player(self, values) -> tuple[np.ndarray, np.ndarray]:
        return tuple(np.full(self.repetitions, value) for value in values)

    def _play_vectorised(self, lengths, draws, progress=None) -> RawPlay:
        tables = [player.compiled(self.context) for player in self.players]
        rows = np.zeros(self.repetitions, dtype=np.intp)
        return play_automata(
            self.game, ([tables[0]], [tables[1]]), (rows, rows),
            self._per_player(p.receptivity for p in self.players),
            self._per_player(p.tacitness for p in self.players),
            self._per_player(t.after_prior_rounds(self.prior_rounds) for t in tables),
            draws, lengths, self.game.initial_stakes(self.initial_power), self.noise, progress,
            initial_tie(self.prior_rounds, self.game.ties),
        )

    def _play_generic(self, lengths, draws, progress=None) -> RawPlay:
        n, longest = len(lengths), draws.shape[1]
        moves = np.full((2, n, longest), -1, dtype=np.int8)
        moved = np.full((2, n, longest), -1, dtype=np.int8)
        stakes = np.empty((2, n, longest + 1), dtype=np.int32)
        ties = np.empty((n, longest + 1), dtype=np.int32)
        power = np.empty((n, longest + 1), dtype=np.int64)
        ended_by = np.zeros(n, dtype=np.int8)
        for k, length in enumerate(lengths):
            sequence = repetition_sequence(self.entropy, self.key, k)
            played = play_generic(
                tuple(fresh(p) for p in self.players), self.context, draws[k, :length],
                player_generators(sequence), self.prior_rounds, self.initial_power, self.noise,
                repetition=k + 1 if n > 1 else None, progress=progress if n == 1 else None,
            )
            moves[:, k, :length], moved[:, k, :length] = played.moves, played.transfers
            # past a row's end the trajectories hold their last value, as in the vectorised engine
            stakes[:, k, : length + 1], stakes[:, k, length + 1:] = played.stakes, played.stakes[:, -1:]
            ties[k, : length + 1], ties[k, length + 1:] = played.ties, played.ties[-1]
            power[k, : length + 1], power[k, length + 1:] = played.power, played.power[-1]
            ended_by[k] = played.ended_by
        receptivities = self._per_player(p.receptivity for p in self.players)
        payoffs = round_payoffs(self.game, moves, receptivities, power, moved)
        return RawPlay(moves, payoffs, power, lengths, moved, stakes, ties, ended_by)


@dataclass(frozen=True, eq=False)
class MatchResult:
    """One repetition of a match.

    Attributes
    ----------
    players : tuple of str
        The players' labels, addressed by index (0 is the first player).
    moves : ndarray of int8, shape (players, rounds)
        The move codes of :class:`~learning_dilemma.moves.Move`: 1 for GIVE, 0
        for TAKE, 2 for EXIT (every round after the alliance closed).
    payoffs : ndarray, shape (players, rounds)
        Stage payoffs per round.
    power : ndarray of int
        Power position (the first player's view, ``K_second - K_first``) before
        each round and after the last.
    transfers : ndarray of int8, shape (players, rounds)
        1 where the player's give transferred (a give of tacit knowledge may not).
    stakes : ndarray of int, shape (players, rounds + 1)
        Knowledge each still lacks, before each round and after the last.
    ties : ndarray of int, shape (rounds + 1,)
        Tie strength before each round and after the last.
    ended_by : int
        How the alliance ended (:data:`~learning_dilemma.engine.vectorised.ENDINGS`), 0 if open.
    receptivities : tuple of float
    """

    players: tuple
    moves: np.ndarray
    payoffs: np.ndarray
    power: np.ndarray
    game: LearningGame = field(repr=False)
    transfers: np.ndarray | None = None
    stakes: np.ndarray | None = None
    ties: np.ndarray | None = None
    ended_by: int = 0
    receptivities: tuple = (1.0, 1.0)

    moves_a = deprecated_alias("moves_a", "moves[0]")
    moves_b = deprecated_alias("moves_b", "moves[1]")
    payoffs_a = deprecated_alias("payoffs_a", "payoffs[0]")
    payoffs_b = deprecated_alias("payoffs_b", "payoffs[1]")

    @property
    def turns(self) -> int:
        return self.moves.shape[1]

    def rounds(self) -> list[tuple[Move, ...]]:
        """The rounds as tuples of moves, one a player (axelrod's match result)."""
        return [tuple(Move(int(m)) for m in column) for column in self.moves.T]

    @property
    def totals(self) -> tuple[float, ...]:
        """Total payoffs, summed as everywhere (:func:`~learning_dilemma.engine.batching.running_totals`)."""
        return tuple(float(total) for total in running_totals(self.payoffs[:, None, :], [self.turns])[0])

    @property
    def mean_payoffs(self) -> tuple[float, ...]:
        """Mean payoff per round."""
        return tuple(total / self.turns for total in self.totals)

    @property
    def give_rates(self) -> tuple[float, ...]:
        return tuple(float(rate) for rate in (self.moves == GIVE).mean(axis=1))

    @property
    def mutual_giving(self) -> float:
        """Share of rounds in which both gave."""
        return float(np.mean((self.moves == GIVE).all(axis=0)))

    @property
    def final_power(self) -> int:
        return int(self.power[-1])

    def shares(self) -> np.ndarray:
        """The first player's bargaining share of the created value before each round."""
        return bargaining_share(self.power[:-1], self.game.power.strength, self.game.knowledge.levels)

    @property
    def learning(self) -> tuple[float, ...]:
        """Knowledge each absorbed per round, ``mean of r_i x_j`` (what actually transferred)."""
        moved = self.transfers if self.transfers is not None else (self.moves == GIVE)
        return tuple(float(self.receptivities[p] * np.mean(moved[1 - p] == 1)) for p in (0, 1))

    @property
    def duration(self) -> int:
        """Rounds the alliance was open."""
        return int(np.count_nonzero(self.moves[0] != EXIT))

    @property
    def final_stakes(self) -> tuple[int, ...]:
        """The knowledge each still lacked at the end."""
        return tuple(int(k) for k in self.stakes[:, -1]) if self.stakes is not None else (0, 0)

    def transcript(self, width: int | None = None) -> str:
        """Compact rounds, e.g. ``GG GT TT``; long matches are elided in the middle."""
        pairs = ["".join(Move(int(m)).letter for m in column) for column in self.moves.T]
        if width is not None and len(pairs) > width:
            half = width // 2
            pairs = pairs[:half] + [f"... ({len(pairs) - 2 * half} rounds) ..."] + pairs[-half:]
        return " ".join(pairs)


class MatchBatch:
    """All repetitions of a match, as padded arrays of shape (players, repetitions, longest).

    Index it for one :class:`MatchResult`; summary properties are per repetition.
    """

    def __init__(self, players: tuple, raw: RawPlay, game: LearningGame, match: Match | None = None):
        self.players = tuple(players)
        self.raw = raw
        self.game = game
        self.match = match

    def __len__(self) -> int:
        return len(self.raw.lengths)

    def __getitem__(self, k: int) -> MatchResult:
        n = int(self.raw.lengths[k])
        r = self.raw
        receptivities = tuple(p.receptivity for p in self.match.players) if self.match is not None else (1.0, 1.0)
        return MatchResult(self.players, r.moves[:, k, :n], r.payoffs[:, k, :n], r.power[k, : n + 1], self.game,
                           r.transfers[:, k, :n], r.stakes[:, k, : n + 1], r.ties[k, : n + 1], int(r.ended_by[k]),
                           receptivities)

    def __iter__(self):
        return (self[k] for k in range(len(self)))

    @property
    def lengths(self) -> np.ndarray:
        return self.raw.lengths

    @cached_property
    def totals(self) -> np.ndarray:
        """Total payoffs, shape (repetitions, players)."""
        return running_totals(self.raw.payoffs, self.raw.lengths)

    @property
    def mean_payoffs(self) -> np.ndarray:
        """Mean payoff per round, shape (repetitions, players)."""
        return self.totals / self.lengths[:, None]

    @property
    def give_rates(self) -> np.ndarray:
        """Share of rounds each player gave, shape (repetitions, players)."""
        return (self.raw.moves == GIVE).sum(axis=2).T / self.lengths[:, None]

    @property
    def mutual_giving(self) -> np.ndarray:
        return (self.raw.moves == GIVE).all(axis=0).sum(axis=1) / self.lengths

    @property
    def final_power(self) -> np.ndarray:
        return self.raw.power[np.arange(len(self)), self.lengths]


def __getattr__(name):
    # first-edition names of this module (CHANGELOG.md)
    from ._compat import moved_name

    return moved_name(__name__, name)
