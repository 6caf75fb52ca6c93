"""Learning-game payoffs inside axelrod's tournaments and Moran processes.

axelrod scores each turn from that turn's two actions alone, through an
:class:`axelrod.Game`. The learning game (second edition, ``docs/model.md``)
also carries the state of the relation: knowledge stakes that run down as each
side learns (Cohen & Levinthal 1990), the power position ``z = K_B - K_A`` that
splits the value the alliance creates (Emerson 1962; Hamel 1991), the end of
the race once one side has learned all it came for (Hamel 1991), and ties
built by mutual giving over which tacit knowledge transfers (Hansen 1999). All
of it follows from a whole match's actions and a few seeded draws, so:

- :class:`LearningGameMatch` is an :class:`axelrod.Match` that, once played,
  scores its actions with the learning game. axelrod's documented hook takes
  it: ``axl.MoranProcess(players, match_class=partial(LearningGameMatch,
  learning_game=game))``.
- :func:`rescore_tournament` re-scores the full match histories a tournament
  writes (``Tournament.play(filename=...)``) and returns a genuine
  :class:`axelrod.ResultSet`, so ``axl.Plot`` and ``summarise`` work on it.

How axelrod's actions are scored (:func:`learning_scores`) follows our engines'
round (``engine/vectorised.py``), each rule taken from the one place
:mod:`learning_dilemma.games` defines it:

1. once the alliance has closed, every round pays both the status quo ``P``
   (the loner payoff), whatever axelrod's players go on playing;
2. C is a give and D a take (a strategy of ours that left the alliance plays D
   inside axelrod, :mod:`.players`, and is scored as taking);
3. a give transfers unless it fails with the probability
   :func:`~learning_dilemma.games.failure_probability` gives for its player's
   tacitness at the tie's strength; a player without tacitness (axelrod's own)
   transfers every give;
4. payoffs are :func:`~learning_dilemma.games.stage_payoffs` of the gives
   ``g`` and transfers ``x`` at the power position ``K_B - K_A`` at the start of
   the round (:func:`~learning_dilemma.engine.round_payoffs`);
5. the stakes run down (:func:`~learning_dilemma.games.stakes_step`), the tie
   grows after mutual giving (:func:`~learning_dilemma.games.tie_step`), and
   the alliance closes when one side's stakes are exhausted
   (:func:`~learning_dilemma.games.race_over`).

The tacit-transfer and learning draws come from our seeding
(:mod:`learning_dilemma.seeding`; axelrod has no hook for them): the draws of a
fixed-length match of ``len(actions)`` turns, tacit draws from its main stream
and learning draws (:func:`~learning_dilemma.seeding.learn_draws`) from its
learning stream. For a match, from its seed exactly as our own
:class:`~learning_dilemma.match.Match` with that seed draws them; for a
tournament, from the seed given here, addressed by pairing and repetition.
The learning stream does not depend on noise, so a noisy match draws the same
learning uniforms. With stakes off and no tacitness nothing is drawn and the
payoffs are axelrod's (at full overlap and receptivity 1).

Where the models coincide, the bridge gives our engine's results: the same
moves get the same transfers, stakes, power, ending and payoffs. They differ
where axelrod cannot carry the second edition: inside axelrod nobody sees the
stakes (automata play the view of full stakes, ``z = 0``), a give that failed to
transfer is seen by the partner as the C it was (axelrod's record is public;
ours is private), and an exit is played as D and scored as a take
(``docs/axelrod.md``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import axelrod as axl
import numpy as np

from .._validation import check_initial_power
from ..engine import PLAYERS, RawPlay
from ..engine.batching import running_totals
from ..engine.vectorised import ENDINGS, Relation
from ..errors import ParameterError
from ..games import LearningGame
from ..games.execution import transfers
from ..match import MatchResult
from ..seeding import DRAWS_PER_ROUND, TACIT_DRAWS, learn_draws, repetition_draws, repetition_sequence, root_entropy
from .games import axelrod_game

__all__ = [
    "actions_to_moves", "learning_scores", "LearningGameMatch", "receptivity_of", "rescore_tournament",
    "round_draws", "SCORE_COLUMNS", "tacitness_of",
]



def receptivity_of(player) -> float:
    """A player's receptivity: ours carry one, axelrod's absorb fully (1)."""
    return float(getattr(player, "receptivity", 1.0))


def tacitness_of(player) -> float:
    """A player's tacitness: ours carry one, axelrod's transfer every give (0)."""
    return float(getattr(player, "tacitness", 0.0))


def round_draws(entropy: int, key: tuple, repetition: int, turns: int, learning: bool) -> np.ndarray:
    """The uniforms our engine draws for one repetition of a fixed-length match.

    Those of ``Match(..., turns=turns, seed=entropy, key=key)`` (noise off),
    repetition ``repetition``: shape ``(turns, DRAWS_PER_ROUND)``, with the two
    learning columns (:func:`~learning_dilemma.seeding.learn_draws`) after them
    when ``learning`` (knowledge stakes on).
    """
    _, draws = repetition_draws(repetition_sequence(entropy, key, repetition), turns, None, False, learning)
    return draws


def _per_row(name: str, value, rows: int) -> np.ndarray:
    values = np.asarray(value, dtype=float)
    if values.ndim > 1 or values.ndim == 1 and values.shape[0] != rows:
        raise ParameterError(f"{name}: expected one number or one per row ({rows}), got shape {values.shape}")
    if np.any((values < 0) | (values > 1)) or not np.all(np.isfinite(values)):
        raise ParameterError(f"{name} must lie in [0, 1]")
    return np.broadcast_to(values, (rows,))


def learning_scores(game: LearningGame, moves_a, moves_b, receptivity_a=1.0, receptivity_b=1.0, draws=None,
                    initial_power: int = 0, tacitness_a=0.0, tacitness_b=0.0) -> RawPlay:
    """The learning game's account of plays whose moves are given.

    Vectorised over rows: ``moves_*`` have shape (rows, longest) with 1 for
    GIVE (C), 0 for TAKE (D) and -1 past a row's end (one row may be given as
    a 1-D array). The rules of a round are those of our engines (module
    docstring).

    Parameters
    ----------
    game : LearningGame
    moves_a, moves_b : array_like of int
    receptivity_a, receptivity_b : float or array_like
        Per row, or one for all rows.
    draws : array_like, optional
        Shape (rows, longest, columns) (or (longest, columns) for one row): the
        uniforms of our engine (:func:`round_draws`, or ``Match.draws()`` with
        noise off), of which the tacit draws
        (:data:`~learning_dilemma.seeding.TACIT_DRAWS`) and, with knowledge
        stakes on, the learning draws (:func:`~learning_dilemma.seeding.learn_draws`)
        are used. Needed only when a player has tacitness or stakes are on.
    initial_power : int
        Levels A has already learned beyond B (:meth:`LearningGame.initial_stakes`).
    tacitness_a, tacitness_b : float or array_like
        Per row, or one for all rows; 0 (every give transfers) by default.

    Returns
    -------
    RawPlay
        As our engine's: ``moves`` with EXIT (2) in every round after the
        alliance closed, ``payoffs`` (0 past each row's end), ``power`` (A's
        position ``K_B - K_A`` before each round and after the last),
        ``transfers``, ``stakes``, ``ties`` and ``ended_by``
        (:data:`~learning_dilemma.engine.vectorised.ENDINGS`).

    Examples
    --------
    Defector against Cooperator with four levels of stakes learned one a round:
    the taker earns ``T = 5`` while it learns, its partner ``S = 0``; after the
    fourth round it has learned all, the race is over and both earn ``P = 1``,
    whatever axelrod's players go on playing (Hamel 1991; Hauert et al. 2002):

    >>> from learning_dilemma.games import Knowledge
    >>> game = LearningGame(knowledge=Knowledge(levels=4))
    >>> scored = learning_scores(game, [0] * 6, [1] * 6, draws=np.zeros((6, 7)))
    >>> scored.payoffs[0, 0].tolist(), scored.payoffs[1, 0].tolist()
    ([5.0, 5.0, 5.0, 5.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0, 1.0, 1.0])
    >>> scored.power[0].tolist(), ENDINGS[scored.ended_by[0]]
    ([0, 1, 2, 3, 4, 4, 4], 'race over')
    """
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    given = [np.atleast_2d(np.asarray(m)) for m in (moves_a, moves_b)]
    if given[0].shape != given[1].shape or given[0].ndim != 2:
        raise ParameterError(f"moves_a and moves_b must have one shape (rows, longest), got "
                             f"{given[0].shape} and {given[1].shape}")
    moves = np.stack(given)
    if not np.isin(moves, (-1, 0, 1)).all():
        raise ParameterError("moves must hold 1 (GIVE, C), 0 (TAKE, D) or -1 (past a row's end)")
    _, rows, longest = moves.shape
    lengths = (moves[0] >= 0).sum(axis=1)
    if not ((moves[1] >= 0).sum(axis=1) == lengths).all() or (np.diff((moves >= 0) * 1, axis=2) > 0).any():
        raise ParameterError("moves: both players' rows must have the same length, padded with -1 at the end")
    receptivities = (_per_row("receptivity_a", receptivity_a, rows), _per_row("receptivity_b", receptivity_b, rows))
    tacit = (_per_row("tacitness_a", tacitness_a, rows), _per_row("tacitness_b", tacitness_b, rows))
    knowledge = game.knowledge
    stakes_start = game.initial_stakes(check_initial_power(initial_power, game))
    learn = learn_draws(False)
    needed = learn[1] + 1 if knowledge.active else (DRAWS_PER_ROUND if any(t.any() for t in tacit) else 0)
    if draws is None:
        if needed:
            raise ParameterError("draws: needed for tacit transfer and knowledge stakes; give round_draws(...) "
                                 "or Match(...).draws()")
        draws = np.zeros((rows, longest, DRAWS_PER_ROUND))
    draws = np.asarray(draws, dtype=float)
    if draws.ndim == 2:
        draws = draws[None]
    if draws.ndim != 3 or draws.shape[:2] != (rows, longest) or draws.shape[2] < needed:
        raise ParameterError(f"draws: expected shape ({rows}, {longest}, >= {max(needed, 1)}), got {draws.shape}")

    relation = Relation(game, rows, longest, stakes_start)
    for t in range(longest):
        live = t < lengths
        active = relation.is_open & live
        played = [(moves[p, :, t] == 1) & active for p in PLAYERS]
        failure = relation.failures(tacit)
        moved = [transfers(played[p], draws[:, t, TACIT_DRAWS[p]], failure[p]) for p in PLAYERS]
        relation.record(t, live, active, played, moved)
        relation.advance(t, active, played, moved, [draws[:, t, learn[p]] for p in PLAYERS] if knowledge.active
                         else None, receptivities)
    return relation.played(lengths, receptivities)


def actions_to_moves(actions) -> np.ndarray:
    """axelrod actions (or a string such as ``"CCD"``) as 1 for C, 0 for D."""
    return np.array([1 if str(a) == "C" else 0 for a in actions], dtype=np.int8)


class LearningGameMatch(axl.Match):
    """An axelrod match scored with the learning game.

    It plays exactly as :class:`axelrod.Match` (same arguments, seeding,
    noise and cache); its scores are the learning game's (module docstring):
    stakes, power, the end of the race and tacit transfer included. The
    players are told ``game`` if given, else the learning game's stage game at
    ``z = 0`` (:func:`~learning_dilemma.axelrod.games.axelrod_game`).

    Parameters
    ----------
    players, turns, prob_end, game, deterministic_cache, noise, match_attributes, reset, seed
        As :class:`axelrod.Match`.
    learning_game : LearningGame, optional
        The game that scores the match; ``LearningGame()`` by default. Give it
        by this name: axelrod's ``MoranProcess`` passes its own ``game``
        (``None`` by default) to every match.

    Attributes
    ----------
    payoffs : ndarray, shape (turns, 2)
        Once played: each turn's learning-game payoffs.
    power : ndarray of int, shape (turns + 1,)
        Once played: A's power position ``K_B - K_A`` before each turn and after the last.
    raw : RawPlay
        Once played: the whole account (:func:`learning_scores`); :meth:`learning_result`
        gives it as our :class:`~learning_dilemma.match.MatchResult`.

    Examples
    --------
    The taker learns one of four levels a round, so after four rounds it has
    learned all it came for: the race is over (Hamel 1991) and both earn the
    loner payoff ``P = 1`` for the remaining six rounds, whatever axelrod's
    players play. axelrod would score ``5`` and ``0`` every round:

    >>> from learning_dilemma.games import Knowledge
    >>> game = LearningGame(knowledge=Knowledge(levels=4, pace=1.0))
    >>> match = LearningGameMatch((axl.Defector(), axl.Cooperator()), turns=10, seed=1, learning_game=game)
    >>> _ = match.play()
    >>> match.final_score()  # 4 x 5 + 6 x 1 and 4 x 0 + 6 x 1
    (26.0, 6.0)
    >>> match.power.tolist()
    [0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4]
    >>> result = match.learning_result()
    >>> result.transcript(), result.duration, result.final_stakes
    ('TG TG TG TG XX XX XX XX XX XX', 4, (0, 4))
    """

    def __init__(
        self,
        players,
        turns=None,
        prob_end=None,
        game=None,
        deterministic_cache=None,
        noise=0,
        match_attributes=None,
        reset=True,
        seed=None,
        learning_game: LearningGame | None = None,
    ):
        self.learning_game = learning_game if learning_game is not None else LearningGame()
        if not isinstance(self.learning_game, LearningGame):
            raise ParameterError(f"learning_game must be a LearningGame, got {self.learning_game!r}")
        if game is None:
            game = axelrod_game(self.learning_game)
        self.entropy = root_entropy(seed)
        super().__init__(
            players, turns=turns, prob_end=prob_end, game=game, deterministic_cache=deterministic_cache,
            noise=noise, match_attributes=match_attributes, reset=reset, seed=seed,
        )
        self.payoffs = self.power = self.raw = None

    def play(self):
        result = super().play()
        moves_a = actions_to_moves(a for a, _ in result)
        moves_b = actions_to_moves(b for _, b in result)
        draws = round_draws(self.entropy, (), 0, len(result), self.learning_game.knowledge.active)
        first, second = self.players
        self.raw = learning_scores(
            self.learning_game, moves_a, moves_b, receptivity_of(first), receptivity_of(second), draws,
            tacitness_a=tacitness_of(first), tacitness_b=tacitness_of(second),
        )
        self.payoffs = self.raw.payoffs[:, 0].T
        self.power = self.raw.power[0]
        return result

    def learning_result(self) -> MatchResult:
        """The played match as our :class:`~learning_dilemma.match.MatchResult`
        (moves with EXIT once the alliance closed, transfers, stakes, ties, how
        it ended, learning, duration)."""
        if self.raw is None:
            raise ParameterError("LearningGameMatch.learning_result(): play the match first")
        raw = self.raw
        return MatchResult(
            tuple(str(p) for p in self.players), raw.moves[:, 0], raw.payoffs[:, 0], raw.power[0],
            self.learning_game, raw.transfers[:, 0], raw.stakes[:, 0], raw.ties[0], int(raw.ended_by[0]),
            tuple(receptivity_of(p) for p in self.players),
        )

    def scores(self):
        """Learning-game payoffs of each turn, as ``(A, B)`` pairs."""
        return [tuple(map(float, row)) for row in self.payoffs]

    def final_score(self):
        """Total payoffs, summed as our engine sums them (a running sum)."""
        if not len(self.payoffs):
            return (0.0, 0.0)
        return tuple(float(v) for v in running_totals(self.raw.payoffs, self.raw.lengths)[0])

    def final_score_per_turn(self):
        turns = len(self.payoffs)
        return tuple(v / turns for v in self.final_score()) if turns else (0.0, 0.0)

    def winner(self):
        if not len(self.payoffs):
            return None
        a, b = self.final_score()
        if a == b:
            return False
        return self.players[0] if a > b else self.players[1]


SCORE_COLUMNS = ("Score", "Score difference", "Score per turn", "Score difference per turn", "Win")


def rescore_tournament(source, learning_game: LearningGame | None = None, *, seed=None, players=None, filename=None):
    """An axelrod tournament's results, re-scored with the learning game.

    Parameters
    ----------
    source : str, Path or axelrod.Tournament
        The interactions file a tournament writes with
        ``tournament.play(filename=...)`` (with results built, the default),
        or a tournament played that way.
    learning_game : LearningGame, optional
        ``LearningGame()`` by default.
    seed : int, optional
        Seed of the tacit-transfer and learning draws; those of pairing
        ``(i, j)``, repetition ``r``, are those of our
        ``Match(key=(i, j), seed=seed, turns=...)`` (:func:`round_draws`).
    players : list of axelrod.Player, optional
        The tournament's players, for their receptivities and tacitness (ours
        carry them; axelrod's absorb fully and transfer every give). Taken from
        ``source`` when it is a tournament.
    filename : str or Path, optional
        Where to keep the re-scored interactions; a temporary file otherwise.

    Returns
    -------
    axelrod.ResultSet
        Built by axelrod from the re-scored interactions, so its payoff
        matrix, ranking, wins and plots are the learning game's. Its
        ``learning_game`` and ``entropy`` attributes record the scoring.
    """
    import pandas as pd

    if isinstance(source, axl.Tournament):
        players = source.players if players is None else players
        source = source.filename
    if not isinstance(source, (str, os.PathLike)) or not Path(source).is_file():
        raise ParameterError(
            f"rescore_tournament needs the interactions file of a tournament played with "
            f"play(filename=...), got {source!r}"
        )
    game = learning_game if learning_game is not None else LearningGame()
    entropy = root_entropy(seed)
    frame = pd.read_csv(source)
    missing = [c for c in SCORE_COLUMNS if c not in frame.columns]
    if missing:
        raise ParameterError(f"{source}: no {missing[0]!r} column; play the tournament with build_results=True")
    frame = frame.sort_values(["Interaction index"], kind="stable").reset_index(drop=True)
    frame = frame.astype({c: float for c in SCORE_COLUMNS if c != "Win"})
    if len(frame) % 2 or not (frame["Interaction index"].values[::2] == frame["Interaction index"].values[1::2]).all():
        raise ParameterError(f"{source}: expected two rows per interaction")
    first, second = frame.iloc[::2], frame.iloc[1::2]
    names = dict(zip(frame["Player index"], frame["Player name"]))
    n_players = max(names) + 1
    receptivity, tacitness = np.ones(n_players), np.zeros(n_players)
    if players is not None:
        if len(players) != n_players:
            raise ParameterError(f"{source} has {n_players} players, but {len(players)} players were given")
        receptivity = np.array([receptivity_of(p) for p in players])
        tacitness = np.array([tacitness_of(p) for p in players])

    histories = [(a, b) for a, b in zip(first["Actions"].astype(str), second["Actions"].astype(str))]
    longest = max(len(a) for a, _ in histories)
    learning = game.knowledge.active
    moves = np.full((2, len(histories), longest), -1, dtype=np.int8)
    draws = np.zeros((len(histories), longest, learn_draws(False)[1] + 1 if learning else DRAWS_PER_ROUND))
    keys = zip(first["Player index"], second["Player index"], first["Repetition"])
    for row, ((a, b), (i, j, repetition)) in enumerate(zip(histories, keys)):
        moves[0, row, : len(a)], moves[1, row, : len(b)] = actions_to_moves(a), actions_to_moves(b)
        draws[row, : len(a)] = round_draws(entropy, (int(i), int(j)), int(repetition), len(a), learning)
    index_a, index_b = first["Player index"].to_numpy(), second["Player index"].to_numpy()
    scored = learning_scores(
        game, moves[0], moves[1], receptivity[index_a], receptivity[index_b], draws,
        tacitness_a=tacitness[index_a], tacitness_b=tacitness[index_b],
    )
    score_a, score_b = running_totals(scored.payoffs, scored.lengths).T
    turns = first["Turns"].to_numpy()
    for rows, own, other in ((first.index, score_a, score_b), (second.index, score_b, score_a)):
        frame.loc[rows, "Score"] = own
        frame.loc[rows, "Score difference"] = own - other
        frame.loc[rows, "Score per turn"] = own / turns
        frame.loc[rows, "Score difference per turn"] = (own - other) / turns
        frame.loc[rows, "Win"] = (own > other).astype(int)
    repetitions = int(frame["Repetition"].max()) + 1

    descriptor = None
    if filename is None:
        descriptor, filename = tempfile.mkstemp(suffix=".csv")
    try:
        frame.to_csv(filename, index=False)
        results = axl.ResultSet(
            str(filename), players=[names[k] for k in range(n_players)], repetitions=repetitions, progress_bar=False,
        )
    finally:
        if descriptor is not None:
            os.close(descriptor)
            os.remove(filename)
    results.learning_game = game
    results.entropy = entropy
    return results
