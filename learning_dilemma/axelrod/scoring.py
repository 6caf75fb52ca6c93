"""Learning-game payoffs inside axelrod's tournaments and Moran processes.

axelrod scores each turn from that turn's two actions alone, through an
:class:`axelrod.Game`. The learning game's payoffs also depend on the power
ladder (Hamel 1991), which moves with the history of play, and on each player's
receptivity (Larsson et al. 1998). Both can be computed from a whole match
history, so:

- :class:`LearningGameMatch` is an :class:`axelrod.Match` that, once played,
  scores its actions with the learning game. axelrod's documented hook takes
  it: ``axl.MoranProcess(players, match_class=partial(LearningGameMatch,
  learning_game=game))``.
- :func:`rescore_tournament` re-scores the full match histories a tournament
  writes (``Tournament.play(filename=...)``) and returns a genuine
  :class:`axelrod.ResultSet`, so ``axl.Plot`` and ``summarise`` work on it.

The power step of each round needs one uniform draw (``docs/model.md``).
axelrod gives no hook for it, so the draws come from our seeding
(:mod:`learning_dilemma.seeding`): for a match, from its seed exactly as our
own :class:`~learning_dilemma.match.Match` with that seed draws them, so the
same moves get the same power path and payoffs in both; for a tournament, from
the seed given here, addressed by pairing and repetition. With power off the
draws do not matter and the payoffs are axelrod's.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import axelrod as axl
import numpy as np

from ..engine import round_payoffs
from ..games import ladder_step
from ..errors import ParameterError
from ..games import LearningGame
from ..seeding import LADDER_DRAW, repetition_draws, repetition_sequence, root_entropy
from .games import axelrod_game

__all__ = [
    "actions_to_moves", "learning_scores", "LearningGameMatch", "power_draws", "receptivity_of",
    "rescore_tournament", "SCORE_COLUMNS"
]


def receptivity_of(player) -> float:
    """A player's receptivity: ours carry one, axelrod's absorb fully (1)."""
    return float(getattr(player, "receptivity", 1.0))


def power_draws(entropy: int, key: tuple, repetition: int, turns: int) -> np.ndarray:
    """The power-step uniforms our engine uses for this repetition, one per round."""
    _, draws = repetition_draws(repetition_sequence(entropy, key, repetition), turns, None)
    return draws[:, LADDER_DRAW]


def learning_scores(game: LearningGame, moves_a, moves_b, receptivity_a, receptivity_b, draws, initial_power=0):
    """Learning-game payoffs of plays whose moves are given.

    Vectorised over rows: ``moves_*`` have shape (rows, longest) with 1 for
    GIVE (C), 0 for TAKE (D) and -1 past a row's end; ``draws`` has the same
    shape and holds the power-step uniforms; receptivities are per row.

    Returns
    -------
    payoffs_a, payoffs_b : ndarray, shape (rows, longest)
        Zero past each row's end.
    power : ndarray, shape (rows, longest + 1)
        A's view of the ladder before each round and after the last.
    """
    moves_a, moves_b = np.atleast_2d(moves_a), np.atleast_2d(moves_b)
    draws = np.atleast_2d(draws)
    receptivity_a = np.broadcast_to(np.asarray(receptivity_a, dtype=float), moves_a.shape[:1])
    receptivity_b = np.broadcast_to(np.asarray(receptivity_b, dtype=float), moves_a.shape[:1])
    lengths = (moves_a >= 0).sum(axis=1)
    power = game.power
    trajectory = np.empty((moves_a.shape[0], moves_a.shape[1] + 1), dtype=np.int64)
    z = np.full(moves_a.shape[0], initial_power, dtype=np.int64)
    trajectory[:, 0] = z
    for t in range(moves_a.shape[1]):
        live = t < lengths
        stepped = ladder_step(z, moves_a[:, t], moves_b[:, t], draws[:, t], receptivity_a, receptivity_b, power)
        z = np.where(live, stepped, z)
        trajectory[:, t + 1] = z
    payoffs_a, payoffs_b = round_payoffs(game, np.stack([moves_a, moves_b]), (receptivity_a, receptivity_b), trajectory)
    return payoffs_a, payoffs_b, trajectory


def actions_to_moves(actions) -> np.ndarray:
    """axelrod actions (or a string such as ``"CCD"``) as 1 for C, 0 for D."""
    return np.array([1 if str(a) == "C" else 0 for a in actions], dtype=np.int8)


class LearningGameMatch(axl.Match):
    """An axelrod match scored with the learning game.

    It plays exactly as :class:`axelrod.Match` (same arguments, seeding,
    noise and cache); its scores are learning-game payoffs, power dynamics
    included. The players are told ``game`` if given, else the learning game
    at parity (:func:`~learning_dilemma.axelrod.games.axelrod_game`).

    Parameters
    ----------
    players, turns, prob_end, game, deterministic_cache, noise, match_attributes, reset, seed
        As :class:`axelrod.Match`.
    learning_game : LearningGame, optional
        The game that scores the match; ``LearningGame()`` by default. Give it
        by this name: axelrod's ``MoranProcess`` passes its own ``game``
        (``None`` by default) to every match.

    Examples
    --------
    The taker climbs the ladder one step a round to ``m = 3`` and its share of
    the joint rents grows with it (Hamel 1991); axelrod would score 5 and 0:

    >>> game = LearningGame().with_power(strength=1.0)
    >>> match = LearningGameMatch((axl.Defector(), axl.Cooperator()), turns=10, seed=1, learning_game=game)
    >>> _ = match.play()
    >>> [round(v, 6) for v in match.final_score_per_turn()]
    [5.8, -0.8]
    >>> match.power.tolist()
    [0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3]
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
        self.payoffs = self.power = None

    def play(self):
        result = super().play()
        moves_a = actions_to_moves(a for a, _ in result)
        moves_b = actions_to_moves(b for _, b in result)
        draws = power_draws(self.entropy, (), 0, len(result))
        pay_a, pay_b, power = learning_scores(
            self.learning_game, moves_a, moves_b,
            receptivity_of(self.players[0]), receptivity_of(self.players[1]), draws,
        )
        self.payoffs = np.stack([pay_a[0], pay_b[0]], axis=1)
        self.power = power[0]
        return result

    def scores(self):
        """Learning-game payoffs of each turn, as ``(A, B)`` pairs."""
        return [tuple(map(float, row)) for row in self.payoffs]

    def final_score(self):
        return tuple(float(v) for v in self.payoffs.sum(axis=0))

    def final_score_per_turn(self):
        turns = len(self.payoffs)
        return tuple(float(v) / turns for v in self.payoffs.sum(axis=0)) if turns else (0.0, 0.0)

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
        Seed of the power-step draws; the draws of pairing ``(i, j)``,
        repetition ``r``, are those of our ``Match(key=(i, j), seed=seed)``.
    players : list of axelrod.Player, optional
        The tournament's players, for their receptivities (ours carry one;
        axelrod's absorb fully). Taken from ``source`` when it is a
        tournament.
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
    receptivity = np.ones(n_players)
    if players is not None:
        if len(players) != n_players:
            raise ParameterError(f"{source} has {n_players} players, but {len(players)} players were given")
        receptivity = np.array([receptivity_of(p) for p in players])

    histories = [(a, b) for a, b in zip(first["Actions"].astype(str), second["Actions"].astype(str))]
    longest = max(len(a) for a, _ in histories)
    moves = np.full((2, len(histories), longest), -1, dtype=np.int8)
    draws = np.ones((len(histories), longest))
    keys = zip(first["Player index"], second["Player index"], first["Repetition"])
    for row, ((a, b), (i, j, repetition)) in enumerate(zip(histories, keys)):
        moves[0, row, : len(a)], moves[1, row, : len(b)] = actions_to_moves(a), actions_to_moves(b)
        draws[row, : len(a)] = power_draws(entropy, (int(i), int(j)), int(repetition), len(a))
    pay_a, pay_b, _ = learning_scores(
        game, moves[0], moves[1],
        receptivity[first["Player index"].to_numpy()], receptivity[second["Player index"].to_numpy()], draws,
    )
    score_a, score_b = pay_a.sum(axis=1), pay_b.sum(axis=1)
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
