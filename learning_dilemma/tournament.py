"""Round-robin tournaments of the learning game (Axelrod 1984).

Every player meets every other (and, with ``self_play``, a copy of itself) in a
match repeated ``repetitions`` times. Pairings of automata are all played in one
vectorised run of the engine (:func:`learning_dilemma.engine.play_automata`),
whose rows are pairings x repetitions; pairings with an imperative player play
round by round. Repetition ``k`` of pairing ``(i, j)`` uses the seed sequence
addressed by key ``(i, j)`` and ``k`` (:mod:`.seeding`), so it is exactly the
standalone ``Match(players[i], players[j], ..., key=(i, j))``, and results do
not depend on batching or on the number of processes.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ._validation import check_count, check_initial_power, check_length, check_probability, continuation_of
from .engine import play_automata
from .engine.executors import worker_count
from .engine.batching import DRAWS_BUDGET, draw_chunks, mean_trajectory, sum_by, summarise
from .errors import ParameterError
from .games import LearningGame, initial_tie
from .limits import check, check_play
from .match import Match
from .players.automaton import MatchContext
from .players.player import Player, fresh
from .results import Outcomes, TournamentResults, merge_outcomes, unique_labels
from .seeding import repetition_draws, repetition_sequence, root_entropy

__all__ = ["Plan", "play_pairings", "round_robin", "Tournament"]

def round_robin(n_players: int, self_play: bool = False) -> list[tuple[int, int]]:
    """The pairings ``(i, j)``, ``i < j`` (``i <= j`` with self-play), in order.

    Examples
    --------
    >>> round_robin(3)
    [(0, 1), (0, 2), (1, 2)]
    >>> len(round_robin(12, self_play=True))
    78
    """
    first = 0 if self_play else 1
    return [(i, j) for i in range(n_players) for j in range(i + first, n_players)]


@dataclass(frozen=True)
class Plan:
    """What any pairing needs to be played (picklable: sent to worker processes)."""

    players: tuple
    game: LearningGame
    turns: int | None
    continuation: float | None
    repetitions: int
    entropy: int
    prior_rounds: int
    initial_power: int
    noise: float = 0.0

    def match(self, a: int, b: int) -> Match:
        """The standalone match of pairing ``(a, b)``; self-play meets a fresh copy."""
        opponent = self.players[b] if a != b else fresh(self.players[b])
        return Match(
            self.players[a], opponent, game=self.game, turns=self.turns, continuation=self.continuation,
            seed=self.entropy, prior_rounds=self.prior_rounds, initial_power=self.initial_power,
            repetitions=self.repetitions, key=(a, b), noise=self.noise,
        )

    @property
    def context(self) -> MatchContext:
        """What strategies know before each match (as :class:`Match` tells them)."""
        return MatchContext(self.game, continuation_of(self.turns, self.continuation), self.turns)

    def vectorised(self, pair: tuple[int, int]) -> bool:
        return all(self.players[k].is_automaton for k in pair)


class Tournament:
    """A round-robin tournament.

    Parameters
    ----------
    players : sequence of Player
        At least two. Players sharing a label are told apart as `` #2``, `` #3``...
    game : LearningGame, optional
        Defaults to ``LearningGame()`` (Axelrod's payoffs; no knowledge stakes,
        so no power and no end of the race).
    turns : int, optional
        Fixed match length; 200 if neither ``turns`` nor ``continuation`` is given.
    continuation : float, optional
        Probability in [0, 1) that a match goes on after each round: the shadow
        of the future (Axelrod 1984).
    repetitions : int
        Repetitions of every pairing.
    seed : int, optional
        Seed of every random draw; ``None`` draws fresh entropy, recorded in
        the results' metadata.
    processes : int, optional
        Worker processes; 0 or ``None`` uses every CPU, more than the CPUs is
        capped at the CPU count (unless ``--limit processes`` is raised), more
        than the ``processes`` limit is refused. Results are identical whatever
        the number.
    self_play : bool
        Whether each player also meets a copy of itself (as in Axelrod's
        tournaments); the match then counts towards its score.
    prior_rounds : int
        Rounds of mutual giving every strategy sees before each match.
    initial_power : int
        Knowledge levels the first player of each pairing has already learned
        beyond the second at the start (a prior relation), in
        ``[-(M - 1), M - 1]``; needs knowledge stakes (``game.knowledge``).
    noise : float
        Probability that each intended move is flipped (axelrod's ``noise``).
    progress : callable, optional
        Called as ``progress(done_pairings, total_pairings)`` as pairings finish.

    A tournament above the resource limits (:mod:`learning_dilemma.limits`:
    players, pairings x repetitions x expected match length against
    ``rounds``, one match against ``match_rounds``) is refused here with a
    one-line :class:`~learning_dilemma.limits.ResourceLimitError`, before
    anything is allocated.

    Examples
    --------
    >>> from learning_dilemma.strategies import Cooperator, Defector, TitForTat
    >>> results = Tournament([Cooperator(), Defector(), TitForTat()], turns=10, repetitions=2, seed=1).play()
    >>> results.ranked_names
    ['Defector', 'Tit For Tat', 'Cooperator']
    >>> float(results.payoff_matrix[1, 2])  # the defector: 5 once, then 1
    1.4
    """

    def __init__(
        self,
        players: Sequence[Player],
        game: LearningGame | None = None,
        turns: int | None = None,
        continuation: float | None = None,
        repetitions: int = 10,
        seed: int | None = None,
        processes: int | None = 1,
        self_play: bool = False,
        prior_rounds: int = 0,
        initial_power: int = 0,
        progress: Callable[[int, int], None] | None = None,
        noise: float = 0.0,
    ):
        players = _check_players(players)
        game = game if game is not None else LearningGame()
        if not isinstance(game, LearningGame):
            raise ParameterError(f"game must be a LearningGame, got {game!r}")
        turns, continuation = check_length(turns, continuation)
        if not isinstance(self_play, (bool, np.bool_)):
            raise ParameterError(f"self_play must be true or false, got {self_play!r}")
        if progress is not None and not callable(progress):
            raise ParameterError(f"progress must be a function of (done, total), got {progress!r}")
        self.plan = Plan(
            players=players,
            game=game,
            turns=turns,
            continuation=continuation,
            repetitions=check_count("repetitions", repetitions, 1),
            entropy=root_entropy(seed),
            prior_rounds=check_count("prior_rounds", prior_rounds),
            initial_power=check_initial_power(initial_power, game),
            noise=check_probability("noise", noise),
        )
        self.self_play = bool(self_play)
        self.processes = _check_processes(processes)
        self.progress = progress
        self._check_resources()

    def _check_resources(self) -> None:
        """Refuse, before anything is allocated, a tournament above the resource
        limits (:mod:`learning_dilemma.limits`): its players; pairings x
        repetitions x expected match length in all; one match's expected length
        and prior rounds; and the match of a pairing played round by round,
        which holds every repetition in memory at once."""
        plan, n = self.plan, len(self.plan.players)
        check("players", n, f"a tournament of {n} players")
        pairings = n * (n - 1) // 2 + (n if self.self_play else 0)
        check_play(plan.turns, plan.continuation, plan.prior_rounds, plan.repetitions, pairings)
        generic = next((k for k, player in enumerate(plan.players) if not player.is_automaton), None)
        if generic is not None:
            plan.match(generic, (generic + 1) % n)  # Match checks what it will hold; allocates nothing

    @property
    def players(self) -> tuple:
        return self.plan.players

    @property
    def game(self) -> LearningGame:
        return self.plan.game

    @property
    def turns(self) -> int | None:
        return self.plan.turns

    @property
    def continuation(self) -> float | None:
        return self.plan.continuation

    @property
    def repetitions(self) -> int:
        return self.plan.repetitions

    @property
    def entropy(self) -> int:
        """The seed's entropy (fresh if no seed was given)."""
        return self.plan.entropy

    @property
    def pairings(self) -> list[tuple[int, int]]:
        return round_robin(len(self.players), self.self_play)

    def match(self, i: int, j: int) -> Match:
        """The standalone :class:`Match` that pairing ``(i, j)`` of this tournament plays."""
        return self.plan.match(i, j)

    def metadata(self) -> dict:
        """How the results are made: everything needed to make them again."""
        from ._version import __version__

        plan = self.plan
        return {
            "seed": plan.entropy,
            "turns": plan.turns,
            "continuation": plan.continuation,
            "repetitions": plan.repetitions,
            "self_play": self.self_play,
            "prior_rounds": plan.prior_rounds,
            "initial_power": plan.initial_power,
            **({"noise": plan.noise} if plan.noise else {}),  # noiseless outputs stay as they were
            "game": dataclasses.asdict(plan.game),
            "players": unique_labels([p.label for p in plan.players]),
            "version": __version__,
        }

    def play(self) -> TournamentResults:
        """Play every pairing and return the :class:`~learning_dilemma.results.TournamentResults`."""
        pairings = self.pairings
        tracker = _Progress(len(pairings), self.progress)
        tasks = _tasks(self.plan, pairings, self.processes)
        if len(tasks) == 1 or self.processes == 1:
            parts = [play_pairings(self.plan, pairings, tracker.advance)]
        else:
            parts = _play_in_pool(self.plan, tasks, self.processes, tracker)
        outcomes = merge_outcomes(parts)
        return TournamentResults([p.label for p in self.players], outcomes, self.game, self.metadata())


def _check_players(players) -> tuple:
    if isinstance(players, (str, bytes, Player)) or not hasattr(players, "__iter__"):
        raise ParameterError(f"players must be a list of Players, got {players!r}")
    players = tuple(players)
    for k, player in enumerate(players):
        if not isinstance(player, Player):
            raise ParameterError(f"players[{k}] must be a Player, got {player!r}")
    if len(players) < 2:
        raise ParameterError(f"a tournament needs at least 2 players, got {len(players)}")
    return players


def _check_processes(processes) -> int:
    """Worker processes, by the one rule of :func:`.engine.executors.worker_count`."""
    return worker_count(processes)[0]


class _Progress:
    """Counts finished pairings and tells the user's callback."""

    def __init__(self, total: int, callback):
        self.done, self.total, self.callback = 0, total, callback

    def advance(self, pairings: int) -> None:
        if pairings:
            self.done += pairings
            if self.callback is not None:
                self.callback(self.done, self.total)


def _tasks(plan: Plan, pairings, processes: int) -> list[list[tuple[int, int]]]:
    """Work for the pool: automaton pairings in one even slice per process
    (each slice is one vectorised run); every other pairing on its own."""
    vector = [p for p in pairings if plan.vectorised(p)]
    generic = [p for p in pairings if not plan.vectorised(p)]
    parts = min(processes, len(vector))
    slices = [vector[len(vector) * k // parts : len(vector) * (k + 1) // parts] for k in range(parts)]
    return slices + [[p] for p in generic]


def _play_in_pool(plan: Plan, tasks, processes: int, tracker: _Progress) -> list[Outcomes]:
    import concurrent.futures

    from .engine.executors import process_pool

    for player in plan.players:
        try:
            pickle.dumps(player)
        except Exception as error:  # noqa: BLE001 - any pickling failure means the same thing
            raise ParameterError(
                f"player {player.label!r} cannot be sent to worker processes ({error}); use processes=1"
            ) from None
    parts = []
    try:
        with process_pool(min(processes, len(tasks))) as pool:
            futures = {pool.submit(play_pairings, plan, task): len(task) for task in tasks}
            for future in concurrent.futures.as_completed(futures):
                parts.append(future.result())
                tracker.advance(futures[future])
    except concurrent.futures.process.BrokenProcessPool as error:
        raise RuntimeError(
            "a worker process died: out of memory, or a script that starts processes without "
            "`if __name__ == '__main__':` (worker processes re-import the main script)"
        ) from error
    return parts


def play_pairings(plan: Plan, pairings: Sequence[tuple[int, int]], report: Callable[[int], None] | None = None) -> Outcomes:
    """Play the given pairings of a plan; ``report(n)`` hears of each ``n`` finished."""
    report = report or (lambda n: None)
    vector = [p for p in pairings if plan.vectorised(p)]
    parts = [_play_vectorised(plan, vector, report)] if vector else []
    for pair in pairings:
        if not plan.vectorised(pair):
            parts.append(_play_generic(plan, pair))
            report(1)
    return merge_outcomes(parts)


def _play_generic(plan: Plan, pair: tuple[int, int]) -> Outcomes:
    raw = plan.match(*pair).play_batch().raw
    receptivities = tuple(plan.players[k].receptivity for k in pair)
    summary = summarise(raw, plan.game, receptivities)
    return Outcomes(
        np.array([pair]), *(getattr(summary, name)[None] for name in _PER_ROW[:5]),
        (mean_trajectory(summary.power.sum(axis=0), summary.lengths),),
        **{name: getattr(summary, name)[None] for name in _PER_ROW[5:]},
    )


# The per-row outcomes of engine.batching.Summary that Outcomes holds, in Outcomes' order.
_PER_ROW = ("lengths", "totals", "gives", "mutual", "final_power", "learning", "joint", "ended_by", "duration",
            "final_stakes")


def _play_vectorised(plan: Plan, pairings: Sequence[tuple[int, int]], report: Callable[[int], None]) -> Outcomes:
    """Every repetition of every automaton pairing in as few engine runs as
    the draws budget allows (rows = pairings x repetitions)."""
    context = plan.context
    used = sorted({k for pair in pairings for k in pair})
    slot = {k: s for s, k in enumerate(used)}
    tables = [plan.players[k].compiled(context) for k in used]
    starts = np.array([t.after_prior_rounds(plan.prior_rounds) for t in tables])
    receptivity = np.array([plan.players[k].receptivity for k in used])
    tacitness = np.array([plan.players[k].tacitness for k in used])

    pairs = np.array(pairings, dtype=np.intp).reshape(-1, 2)
    n_pairs, reps = len(pairs), plan.repetitions
    n_rows = n_pairs * reps
    row_pair = np.repeat(np.arange(n_pairs), reps)
    row_slots = np.array([[slot[a], slot[b]] for a, b in pairings], dtype=np.intp)[row_pair]
    per_row = {
        "lengths": np.empty(n_rows, dtype=np.int64),
        "totals": np.empty((n_rows, 2)),
        "gives": np.empty((n_rows, 2), dtype=np.int64),
        "mutual": np.empty(n_rows, dtype=np.int64),
        "final_power": np.empty(n_rows, dtype=np.int64),
        "learning": np.empty((n_rows, 2)),
        "joint": np.empty(n_rows),
        "ended_by": np.empty(n_rows, dtype=np.int8),
        "duration": np.empty(n_rows, dtype=np.int64),
        "final_stakes": np.empty((n_rows, 2), dtype=np.int64),
    }
    power_sums = np.zeros((n_pairs, 1), dtype=np.int64)  # widened as longer matches come
    remaining = np.full(n_pairs, reps)

    def draws_of(row):
        a, b = pairings[row // reps]
        sequence = repetition_sequence(plan.entropy, (a, b), row % reps)
        return repetition_draws(sequence, plan.turns, plan.continuation, plan.noise > 0, plan.game.knowledge.active)

    for rows, (chunk_lengths, draws) in draw_chunks(draws_of, n_rows, DRAWS_BUDGET):
        a, b = row_slots[rows, 0], row_slots[rows, 1]
        raw = play_automata(
            plan.game, (tables, tables), (a, b),
            (receptivity[a], receptivity[b]), (tacitness[a], tacitness[b]), (starts[a], starts[b]),
            draws, chunk_lengths, plan.game.initial_stakes(plan.initial_power), plan.noise,
            initial_tie=initial_tie(plan.prior_rounds, plan.game.ties),
        )
        summary = summarise(raw, plan.game, (receptivity[a], receptivity[b]))
        for name, values in per_row.items():
            values[rows] = getattr(summary, name)
        power = summary.power
        if power.shape[1] > power_sums.shape[1]:
            power_sums = np.pad(power_sums, ((0, 0), (0, power.shape[1] - power_sums.shape[1])))
        chunk_pairs, sums = sum_by(row_pair[rows], power)
        power_sums[chunk_pairs, : sums.shape[1]] += sums  # integers: exact in any order
        before = remaining[chunk_pairs]
        remaining -= np.bincount(row_pair[rows], minlength=n_pairs)
        report(int(np.count_nonzero((remaining[chunk_pairs] == 0) & (before > 0))))

    by_pair = {name: values.reshape(n_pairs, reps, *values.shape[1:]) for name, values in per_row.items()}
    lengths = by_pair["lengths"]
    trajectories = tuple(mean_trajectory(power_sums[p], lengths[p]) for p in range(n_pairs))
    return Outcomes(pairs, trajectories=trajectories, **by_pair)


def __getattr__(name):
    # first-edition names of this module (CHANGELOG.md)
    from ._compat import moved_name

    return moved_name(__name__, name)
