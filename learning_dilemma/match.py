"""Matches between two organisations, and their results.

A match has either a fixed number of ``turns`` or a ``continuation``
probability, the shadow of the future of Axelrod (1984): after each round the
match goes on with that probability, so its length is geometric with mean
``1 / (1 - continuation)``. Strategies never see the horizon.

Prior relations (Axelrod 1984; Larsson et al. 1998 on constructive dynamics)
enter as ``initial_power`` and as ``prior_rounds`` of mutual giving that the
strategies see as history but that earn nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .automaton import MatchContext
from .engine import RawPlay, play_automata, play_generic, round_payoffs
from .errors import ParameterError
from .game import LearningGame, check_continuation
from .moves import Move
from .player import Player, fresh
from .seeding import player_generators, repetition_draws, repetition_sequence, root_entropy

DEFAULT_TURNS = 200


def check_length(turns, continuation):
    """Validate the match length; returns ``(turns, continuation)``."""
    if turns is not None and continuation is not None:
        raise ParameterError("give either turns or continuation, not both")
    if continuation is not None:
        return None, check_continuation(continuation)
    if turns is None:
        return DEFAULT_TURNS, None
    if isinstance(turns, bool) or not isinstance(turns, (int, np.integer)) or turns < 1:
        raise ParameterError(f"turns must be a whole number >= 1, got {turns!r}")
    return int(turns), None


def check_count(name: str, value, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ParameterError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def shadow_of(turns, continuation) -> float:
    """The shadow of the future strategies are told: ``continuation``, or the
    continuation probability with the same expected length, ``1 - 1/turns``."""
    return continuation if continuation is not None else 1.0 - 1.0 / turns


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
        Starting ladder position, A's view, in ``[-m, m]``.
    repetitions : int
        Independent repetitions; automaton pairs run vectorised over them.

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
        self.entropy = root_entropy(seed)
        self.key = tuple(key)
        self.context = MatchContext(self.game, shadow_of(self.turns, self.continuation), self.turns)

    @property
    def vectorised(self) -> bool:
        """Whether both players are automata (and so run vectorised)."""
        return self.player_a.is_automaton and self.player_b.is_automaton

    def draws(self):
        """Per-repetition lengths and uniform draws, padded: ``(lengths, draws)``."""
        plays = [
            repetition_draws(repetition_sequence(self.entropy, self.key, k), self.turns, self.continuation)
            for k in range(self.repetitions)
        ]
        return pad_draws(plays)

    def play(self, vectorised: bool | None = None):
        """Play the match.

        Returns a :class:`MatchResult` for one repetition, a
        :class:`MatchBatch` for several. ``vectorised=False`` forces the
        round-by-round path even for automata (it gives identical results).
        """
        batch = self.play_batch(vectorised)
        return batch[0] if self.repetitions == 1 else batch

    def play_batch(self, vectorised: bool | None = None) -> "MatchBatch":
        """Play every repetition; always returns a :class:`MatchBatch`."""
        lengths, draws = self.draws()
        use_vector = self.vectorised if vectorised is None else vectorised and self.vectorised
        if use_vector:
            raw = self._play_vectorised(lengths, draws)
        else:
            raw = self._play_generic(lengths, draws)
        return MatchBatch(self.player_a.label, self.player_b.label, raw, self.game, self)

    def _play_vectorised(self, lengths, draws) -> RawPlay:
        table_a = self.player_a.compiled(self.context)
        table_b = self.player_b.compiled(self.context)
        n = self.repetitions
        rows = np.zeros(n, dtype=np.intp)
        return play_automata(
            self.game, [table_a], [table_b], rows, rows,
            (np.full(n, self.player_a.receptivity), np.full(n, self.player_b.receptivity)),
            (np.full(n, self.player_a.tacitness), np.full(n, self.player_b.tacitness)),
            (np.full(n, table_a.after_prior_rounds(self.prior_rounds)),
             np.full(n, table_b.after_prior_rounds(self.prior_rounds))),
            draws, lengths, self.initial_power,
        )

    def _play_generic(self, lengths, draws) -> RawPlay:
        n, longest = len(lengths), draws.shape[1]
        moves_a = np.full((n, longest), -1, dtype=np.int8)
        moves_b = np.full((n, longest), -1, dtype=np.int8)
        power = np.empty((n, longest + 1), dtype=np.int64)
        for k, length in enumerate(lengths):
            sequence = repetition_sequence(self.entropy, self.key, k)
            a, b = fresh(self.player_a), fresh(self.player_b)
            played_a, played_b, trajectory = play_generic(
                a, b, self.context, draws[k, :length], player_generators(sequence),
                self.prior_rounds, self.initial_power,
            )
            moves_a[k, :length], moves_b[k, :length] = played_a, played_b
            power[k, : length + 1] = trajectory
            power[k, length + 1 :] = trajectory[-1]
        receptivity = (np.full(n, self.player_a.receptivity), np.full(n, self.player_b.receptivity))
        pay_a, pay_b = round_payoffs(self.game, moves_a, moves_b, *receptivity, power, lengths)
        return RawPlay(moves_a, moves_b, pay_a, pay_b, power, lengths)


def check_initial_power(initial_power, game: LearningGame) -> int:
    levels = game.power.levels
    if isinstance(initial_power, bool) or not isinstance(initial_power, (int, np.integer)):
        raise ParameterError(f"initial_power must be a whole number, got {initial_power!r}")
    if not -levels <= initial_power <= levels:
        raise ParameterError(f"initial_power must be in [-{levels}, {levels}] (the power ladder), got {initial_power}")
    return int(initial_power)


def pad_draws(plays):
    """Stack ``(length, draws)`` pairs into padded arrays."""
    lengths = np.array([length for length, _ in plays], dtype=np.int64)
    longest = int(lengths.max())
    draws = np.ones((len(plays), longest, plays[0][1].shape[1]))
    for k, (length, block) in enumerate(plays):
        draws[k, :length] = block
    return lengths, draws


@dataclass(frozen=True, eq=False)
class MatchResult:
    """One repetition of a match.

    Attributes
    ----------
    players : tuple of str
    moves_a, moves_b : ndarray of int8
        1 for GIVE, 0 for TAKE, one entry per round.
    payoffs_a, payoffs_b : ndarray
        Stage payoffs per round.
    power : ndarray of int
        Ladder position (A's view) before each round and after the last.
    """

    players: tuple
    moves_a: np.ndarray
    moves_b: np.ndarray
    payoffs_a: np.ndarray
    payoffs_b: np.ndarray
    power: np.ndarray
    game: LearningGame = field(repr=False)

    @property
    def turns(self) -> int:
        return len(self.moves_a)

    @property
    def moves(self) -> list[tuple[Move, Move]]:
        """The rounds as ``(Move, Move)`` pairs."""
        return [(Move(int(a)), Move(int(b))) for a, b in zip(self.moves_a, self.moves_b)]

    @property
    def totals(self) -> tuple[float, float]:
        return float(self.payoffs_a.sum()), float(self.payoffs_b.sum())

    @property
    def mean_payoffs(self) -> tuple[float, float]:
        """Mean payoff per round."""
        return self.totals[0] / self.turns, self.totals[1] / self.turns

    @property
    def give_rates(self) -> tuple[float, float]:
        return float(self.moves_a.mean()), float(self.moves_b.mean())

    @property
    def mutual_giving(self) -> float:
        """Share of rounds in which both gave."""
        return float(np.mean((self.moves_a == 1) & (self.moves_b == 1)))

    @property
    def final_power(self) -> int:
        return int(self.power[-1])

    def shares(self) -> np.ndarray:
        """A's bargaining share before each round (Hamel 1991)."""
        from .game import bargaining_share

        p = self.game.power
        return bargaining_share(self.power[:-1], p.strength, p.levels)

    def transcript(self, width: int | None = None) -> str:
        """Compact rounds, e.g. ``GG GT TT``; long matches are elided in the middle."""
        pairs = [f"{Move(int(a)).letter}{Move(int(b)).letter}" for a, b in zip(self.moves_a, self.moves_b)]
        if width is not None and len(pairs) > width:
            half = width // 2
            pairs = pairs[:half] + [f"... ({len(pairs) - 2 * half} rounds) ..."] + pairs[-half:]
        return " ".join(pairs)


class MatchBatch:
    """All repetitions of a match, as padded arrays of shape (repetitions, longest).

    Index it for one :class:`MatchResult`; summary properties are per repetition.
    """

    def __init__(self, label_a: str, label_b: str, raw: RawPlay, game: LearningGame, match: Match | None = None):
        self.players = (label_a, label_b)
        self.raw = raw
        self.game = game
        self.match = match

    def __len__(self) -> int:
        return len(self.raw.lengths)

    def __getitem__(self, k: int) -> MatchResult:
        n = int(self.raw.lengths[k])
        r = self.raw
        return MatchResult(
            self.players, r.moves_a[k, :n], r.moves_b[k, :n], r.payoffs_a[k, :n], r.payoffs_b[k, :n],
            r.power[k, : n + 1], self.game,
        )

    def __iter__(self):
        return (self[k] for k in range(len(self)))

    @property
    def lengths(self) -> np.ndarray:
        return self.raw.lengths

    @cached_property
    def totals(self) -> np.ndarray:
        """Total payoffs, shape (repetitions, 2)."""
        return np.stack([self.raw.payoffs_a.sum(axis=1), self.raw.payoffs_b.sum(axis=1)], axis=1)

    @property
    def mean_payoffs(self) -> np.ndarray:
        """Mean payoff per round, shape (repetitions, 2)."""
        return self.totals / self.lengths[:, None]

    @property
    def give_rates(self) -> np.ndarray:
        """Share of rounds each player gave, shape (repetitions, 2)."""
        gives = [(m == 1).sum(axis=1) for m in (self.raw.moves_a, self.raw.moves_b)]
        return np.stack(gives, axis=1) / self.lengths[:, None]

    @property
    def mutual_giving(self) -> np.ndarray:
        both = (self.raw.moves_a == 1) & (self.raw.moves_b == 1)
        return both.sum(axis=1) / self.lengths

    @property
    def final_power(self) -> np.ndarray:
        return self.raw.power[np.arange(len(self)), self.lengths]
