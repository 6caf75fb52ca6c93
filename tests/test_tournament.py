"""Round-robin tournaments: known payoffs, seeds, processes, pairings as
standalone matches, continuation, imperative players, power, validation."""

from __future__ import annotations

import numpy as np
import pytest

import learning_dilemma.tournament as tournament_module
from learning_dilemma import LearningGame, Move, ParameterError, Player
from learning_dilemma.games import Knowledge, Power
from learning_dilemma.match import Match
from learning_dilemma.strategies import (
    GTFT,
    Alternator,
    Cooperator,
    Defector,
    Grudger,
    HardTitForTat,
    Opportunist,
    RandomPlayer,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
)
from learning_dilemma.engine.batching import summarise
from learning_dilemma.tournament import Tournament, round_robin

nan = np.nan


class Mirror(Player):
    """Tit for tat written imperatively (runs on the generic path)."""

    name = "Mirror"

    def strategy(self, opponent):
        return opponent.history[-1] if opponent.history else Move.GIVE


class Hesitant(Player):
    """Gives with a probability that falls as it loses power: uses the engine's
    draw (returns a probability) and its own generator."""

    name = "Hesitant"

    def strategy(self, opponent):
        return 0.5 + 0.1 * self.power if self.rng.random() < 0.9 else Move.TAKE


def three(**options):
    return Tournament([Cooperator(), Defector(), TitForTat()], turns=10, repetitions=3, seed=1, **options)


def pairing_index(results, i, j):
    return [tuple(p) for p in results.outcomes.pairs.tolist()].index((i, j))


# --- a tournament worked by hand ----------------------------------------------
def test_cooperator_defector_tit_for_tat_by_hand():
    results = three().play()
    # Axelrod's payoffs R, S, T, P = 3, 0, 5, 1 over 10 rounds:
    # D vs TFT: T then 9 P = 14; TFT vs D: S then 9 P = 9.
    expected = np.array([
        [nan, 0.0, 3.0],
        [5.0, nan, 1.4],
        [3.0, 0.9, nan],
    ])
    np.testing.assert_allclose(results.payoff_matrix, expected, rtol=1e-15)
    np.testing.assert_allclose(results.payoff_std[~np.isnan(expected)], 0.0, atol=1e-15)
    np.testing.assert_allclose(results.median_score, [1.5, 3.2, 1.95])
    assert results.ranking == [1, 2, 0]
    assert results.ranked_names == ["Defector", "Tit For Tat", "Cooperator"]
    # The defector beats both partners in each of the 3 repetitions; C-TFT tie.
    assert results.wins.tolist() == [0, 6, 0]
    np.testing.assert_allclose(results.give_rate_matrix, [[nan, 1, 1], [0, nan, 0], [1, 0.1, nan]])
    np.testing.assert_allclose(results.give_rate, [1.0, 0.0, 0.55])
    np.testing.assert_array_equal(results.mutual_giving, [[nan, 0, 1], [0, nan, 0], [1, 0, nan]])
    assert results.mutual_giving_rate == pytest.approx(10 / 30)
    # Joint learning, the value created per round: a one-sided give creates only
    # what the taker learns, (b - c) r = 1 (the race premium is no joint learning);
    # mutual giving creates 2 (b - c) + 2 s = 4. C-D: 1 every round; C-TFT: 4;
    # D-TFT: 1 in the first round of 10.
    np.testing.assert_allclose(results.joint_learning, [[nan, 1, 4], [1, nan, 0.1], [4, 0.1, nan]])
    # Paid above the status quo (2P = 2), the first edition's figure: 3+3-2, 0+5-2, 1.4+0.9-2.
    np.testing.assert_allclose(results.surplus, [[nan, 3, 4], [3, nan, 0.3], [4, 0.3, nan]])
    # What each absorbed per round (r = 1): the defector learns every round from the
    # cooperator and once from tit for tat; tit for tat learns every round from the cooperator.
    np.testing.assert_allclose(results.learning_matrix, [[nan, 0, 1], [1, nan, 0.1], [1, 0, nan]])
    np.testing.assert_allclose(results.learning, [0.5, 0.55, 0.5])
    np.testing.assert_array_equal(results.power_gap[~np.isnan(expected)], 0.0)
    # No knowledge stakes, nobody leaves: the alliance is open every round, nothing is used up.
    assert np.isnan(results.stakes_left).all() and np.isnan(results.stakes_left_matrix).all()
    np.testing.assert_array_equal(results.exits, 0.0)
    np.testing.assert_array_equal(results.race_over, 0.0)
    np.testing.assert_array_equal(results.duration, 10.0)
    np.testing.assert_array_equal(results.open_share, 1.0)
    assert results.exit_rate == results.race_over_rate == 0.0 and results.open_rate == 1.0


def test_self_play_fills_the_diagonal_and_counts_towards_the_score():
    results = three(self_play=True).play()
    np.testing.assert_array_equal(np.diag(results.payoff_matrix), [3.0, 1.0, 3.0])
    # Each player now has three matches: (0 + 3 + 3)/3, (5 + 1 + 1.4)/3, (3 + 0.9 + 3)/3.
    np.testing.assert_allclose(results.median_score, [2.0, 7.4 / 3, 2.3])
    assert results.ranking == [1, 2, 0]
    assert results.wins.tolist() == [0, 6, 0]  # self-play is no contest
    assert len(results.pairings()) == 9
    assert len(three().play().pairings()) == 6


def test_agrees_with_axelrod_on_a_deterministic_round_robin():
    """Power off, receptivity 1: the learning game is Axelrod's prisoner's
    dilemma, so deterministic strategies must score exactly as in axelrod."""
    import axelrod as axl

    ours = [Cooperator(), Defector(), TitForTat(), Grudger(), TitForTwoTats(), WinStayLoseShift(),
            SuspiciousTitForTat(), Alternator(), HardTitForTat()]
    theirs = [axl.Cooperator(), axl.Defector(), axl.TitForTat(), axl.Grudger(), axl.TitFor2Tats(),
              axl.WinStayLoseShift(), axl.SuspiciousTitForTat(), axl.Alternator(), axl.HardTitForTat()]
    reference = axl.Tournament(theirs, turns=30, repetitions=2, seed=1).play(progress_bar=False, processes=1)
    with_twins = Tournament(ours, turns=30, repetitions=2, seed=1, self_play=True).play()
    np.testing.assert_array_equal(with_twins.payoff_matrix, np.array(reference.payoff_matrix))
    # axelrod leaves self-interactions out of scores and wins: so do we without self-play.
    results = Tournament(ours, turns=30, repetitions=2, seed=1).play()
    np.testing.assert_allclose(results.normalised_scores, np.array(reference.normalised_scores), rtol=1e-12)
    assert results.ranking == list(reference.ranking)
    assert results.ranked_names == list(reference.ranked_names)
    assert results.wins.tolist() == [sum(w) for w in reference.wins]


# --- results fields --------------------------------------------------------------
@pytest.fixture(scope="module")
def mixed():
    players = [GTFT(), RandomPlayer(p=0.3), WinStayLoseShift(tacitness=0.2), Opportunist(receptivity=0.5),
               TitForTat(), Mirror()]
    game = LearningGame(power=Power(strength=0.6), knowledge=Knowledge(levels=2, pace=0.3))
    return Tournament(players, game=game, turns=25, repetitions=6, seed=7).play()


def test_fields_have_the_documented_shapes(mixed):
    n, reps = 6, 6
    assert mixed.n_players == n and mixed.repetitions == reps
    assert mixed.normalised_scores.shape == (n, reps)
    for name in ("median_score", "mean_payoff", "payoff_spread", "give_rate", "wins", "learning", "stakes_left",
                 "exits", "race_over", "duration", "open_share"):
        assert getattr(mixed, name).shape == (n,), name
        assert not np.isnan(getattr(mixed, name)).any(), name
    for name in ("payoff_matrix", "payoff_std", "give_rate_matrix", "mutual_giving", "joint_learning",
                 "surplus", "power_gap", "dominance", "learning_matrix", "stakes_left_matrix", "exit_matrix",
                 "race_over_matrix", "duration_matrix", "open_share_matrix"):
        matrix = getattr(mixed, name)
        assert matrix.shape == (n, n), name
        assert np.isnan(np.diag(matrix)).all() and not np.isnan(matrix[~np.eye(n, dtype=bool)]).any(), name
    assert set(mixed.power_trajectories) == {(i, j) for i in range(n) for j in range(n) if i != j}
    assert sorted(mixed.ranking) == list(range(n))


def test_fields_are_consistent(mixed):
    off = ~np.eye(mixed.n_players, dtype=bool)
    row_mean = lambda m: np.nanmean(m, axis=1)  # noqa: E731
    np.testing.assert_allclose(mixed.mean_payoff, row_mean(mixed.payoff_matrix))
    np.testing.assert_allclose(mixed.give_rate, row_mean(mixed.give_rate_matrix))
    np.testing.assert_allclose(mixed.median_score, np.median(mixed.normalised_scores, axis=1))
    np.testing.assert_allclose(mixed.payoff_spread, mixed.normalised_scores.std(axis=1))
    assert list(mixed.median_score[mixed.ranking]) == sorted(mixed.median_score, reverse=True)
    # Power is zero-sum, mutual giving and joint learning are shared.
    np.testing.assert_array_equal(mixed.power_gap[off], -mixed.power_gap.T[off])
    assert np.all((mixed.dominance + mixed.dominance.T)[off] <= 1 + 1e-12)
    np.testing.assert_array_equal(mixed.mutual_giving[off], mixed.mutual_giving.T[off])
    np.testing.assert_allclose(mixed.joint_learning[off], mixed.joint_learning.T[off])
    np.testing.assert_allclose(mixed.surplus[off], (mixed.payoff_matrix + mixed.payoff_matrix.T - 2)[off])
    # The race premium is paid above the status quo but creates nothing: joint
    # learning is at most the surplus, and below it wherever someone learned by taking.
    assert np.all(mixed.joint_learning[off] <= mixed.surplus[off] + 1e-12)
    # Learning is bounded by the receptivity and the partner's give rate.
    receptivity = np.array([p.receptivity for p in (GTFT(), RandomPlayer(p=0.3), WinStayLoseShift(),
                                                      Opportunist(receptivity=0.5), TitForTat(), Mirror())])
    assert np.all(mixed.learning_matrix[off] <= (receptivity[:, None] * mixed.give_rate_matrix.T)[off] + 1e-12)
    # Stakes run down only: at most M = 2 left, and the race ended some matches.
    assert np.all((0 <= mixed.stakes_left_matrix[off]) & (mixed.stakes_left_matrix[off] <= 2))
    np.testing.assert_array_equal(mixed.race_over_matrix[off], mixed.race_over_matrix.T[off])
    assert mixed.race_over_rate > 0
    # Nobody in this roster leaves; a closed alliance is closed by the race.
    np.testing.assert_array_equal(mixed.exit_matrix[off], 0.0)
    assert np.all(mixed.open_share_matrix[off] <= 1) and mixed.open_rate < 1
    assert np.all(mixed.mutual_giving[off] <= np.minimum(mixed.give_rate_matrix, mixed.give_rate_matrix.T)[off] + 1e-12)
    for (i, j), trajectory in mixed.power_trajectories.items():
        assert len(trajectory) == 26 and trajectory[0] == 0
        assert trajectory[-1] == pytest.approx(mixed.power_gap[i, j])
    summary = mixed.summary()
    assert [row["player"] for row in summary] == mixed.ranked_names
    assert [row["rank"] for row in summary] == list(range(1, 7))
    assert sum(row["wins"] for row in summary) == int(mixed.wins.sum())
    pairings = {(row["player"], row["opponent"]): row for row in mixed.pairings()}
    assert len(pairings) == 30
    assert pairings["GTFT", "Mirror"]["payoff"] == mixed.payoff_matrix[0, 5]
    assert pairings["Mirror", "GTFT"]["dominance"] == mixed.dominance[5, 0]


def test_metadata_records_how_to_play_again(mixed):
    meta = mixed.metadata
    assert meta["seed"] == 7 and meta["turns"] == 25 and meta["continuation"] is None
    assert meta["repetitions"] == 6 and meta["self_play"] is False
    assert meta["game"]["power"] == {"strength": 0.6}
    assert meta["game"]["knowledge"] == {"levels": 2, "pace": 0.3}
    assert meta["players"] == mixed.players and meta["players"][3] == "Opportunist(receptivity=0.5)"
    assert meta["version"]


def test_players_sharing_a_label_are_told_apart():
    results = Tournament([TitForTat(), Defector(), TitForTat()], turns=5, repetitions=1, seed=0).play()
    assert results.players == ["Tit For Tat", "Defector", "Tit For Tat #2"]


# --- seeds, processes and standalone matches ------------------------------------------
def stochastic_players():
    return [GTFT(), RandomPlayer(), WinStayLoseShift(tacitness=0.3), Hesitant(), Mirror(receptivity=0.7)]


def test_same_seed_same_results_other_seed_other_results():
    play = lambda seed: Tournament(stochastic_players(), turns=20, repetitions=4, seed=seed).play()  # noqa: E731
    first = play(11)
    assert first == play(11)
    other = play(12)
    assert first != other
    assert not np.array_equal(first.outcomes.totals, other.outcomes.totals)


def test_processes_do_not_change_results():
    game = LearningGame(power=Power(strength=0.5), knowledge=Knowledge(levels=2, pace=0.5))
    options = dict(game=game, continuation=0.9, repetitions=5, seed=5, self_play=True)
    one = Tournament(stochastic_players(), processes=1, **options).play()
    two = Tournament(stochastic_players(), processes=2, **options).play()
    assert one == two
    np.testing.assert_array_equal(one.payoff_matrix, two.payoff_matrix)


def test_each_pairing_is_the_standalone_match_with_its_key():
    game = LearningGame(power=Power(strength=0.8), knowledge=Knowledge(levels=2, pace=0.5))
    tournament = Tournament(
        stochastic_players(), game=game, continuation=0.85, repetitions=4, seed=3, self_play=True,
        prior_rounds=2, initial_power=1,
    )
    results = tournament.play()
    assert len(results.outcomes.pairs) == 15
    for i, j in tournament.pairings:
        match = Match(
            tournament.players[i], tournament.players[j], game=game, continuation=0.85, seed=3,
            repetitions=4, prior_rounds=2, initial_power=1, key=(i, j),
        )
        batch = match.play_batch()
        assert tournament.plan.context == tournament.match(i, j).context
        p = pairing_index(results, i, j)
        summary = summarise(batch.raw, game, (match.player_a.receptivity, match.player_b.receptivity))
        o = results.outcomes
        for name in ("lengths", "totals", "gives", "mutual", "final_power", "learning", "joint", "ended_by",
                     "duration", "final_stakes"):
            np.testing.assert_array_equal(getattr(o, name)[p], getattr(summary, name), err_msg=name)
        np.testing.assert_array_equal(o.lengths[p], batch.lengths)
        np.testing.assert_allclose(o.totals[p], batch.totals, rtol=1e-13)
        np.testing.assert_array_equal(o.final_power[p], batch.final_power)
        # ... and each repetition's own MatchResult says the same
        for k, played in enumerate(batch):
            np.testing.assert_allclose(o.learning[p, k], np.array(played.learning) * played.turns, rtol=1e-12)
            assert o.duration[p, k] == played.duration and tuple(o.final_stakes[p, k]) == played.final_stakes
            assert o.ended_by[p, k] == played.ended_by
        running = (batch.lengths[:, None] >= np.arange(batch.lengths.max() + 1)).sum(axis=0)
        np.testing.assert_array_equal(o.trajectories[p], summary.power.sum(axis=0) / running)


def test_chunking_does_not_change_results(monkeypatch):
    from learning_dilemma.games import Ties
    from learning_dilemma.strategies import RaceToLearn

    players = [GTFT(), RandomPlayer(), WinStayLoseShift(tacitness=0.3), TitForTat(), RaceToLearn(tacitness=0.2)]
    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.4), ties=Ties(levels=2), power=Power(0.5))
    options = dict(game=game, continuation=0.9, repetitions=6, seed=8, self_play=True)
    whole = Tournament(players, **options).play()
    # Room for a few dozen rounds per engine call: many chunks, rows sorted by length.
    monkeypatch.setattr(tournament_module, "DRAWS_BUDGET", 40 * 60)
    calls = []
    real = tournament_module.play_automata
    monkeypatch.setattr(tournament_module, "play_automata", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert Tournament(players, **options).play() == whole
    assert len(calls) > 10
    # every second-edition outcome is there to compare: exits, the end of the race, learning
    assert whole.exit_rate > 0 and whole.race_over_rate > 0 and not np.isnan(whole.outcomes.joint).any()


def test_continuation_rows_are_banded_by_length(monkeypatch):
    """Rows sorted longest first and cut where lengths halve: padding wastes at
    most half of each engine run, and results are those of the standalone matches."""
    shapes = []
    real = tournament_module.play_automata

    def spy(*args, **kwargs):
        draws, lengths = args[6], args[7]
        shapes.append((draws.shape[1], lengths.copy()))
        return real(*args, **kwargs)

    monkeypatch.setattr(tournament_module, "play_automata", spy)
    tournament = Tournament([GTFT(), RandomPlayer(), TitForTat()], continuation=0.95, repetitions=40, seed=6)
    results = tournament.play()
    assert len(shapes) > 3
    for longest, lengths in shapes:
        assert lengths.max() == longest
        assert lengths.min() > longest // 2 or len(lengths) == 1
    assert sum(len(lengths) for _, lengths in shapes) == 3 * 40
    batch = tournament.match(0, 1).play_batch()
    np.testing.assert_array_equal(results.outcomes.final_power[0], batch.final_power)
    np.testing.assert_array_equal(results.outcomes.gives[0], summarise(batch.raw).gives)


def test_automata_run_in_one_engine_call(monkeypatch):
    calls = []
    real = tournament_module.play_automata
    monkeypatch.setattr(tournament_module, "play_automata", lambda *a, **k: calls.append(a[2][0]) or real(*a, **k))
    Tournament([GTFT(), RandomPlayer(), TitForTat(), Mirror()], turns=10, repetitions=3, seed=1).play()
    assert len(calls) == 1 and len(calls[0]) == 3 * 3  # 3 automaton pairings x 3 repetitions


# --- continuation and imperative players -----------------------------------------------
def test_continuation_tournament_lengths_and_trajectories():
    game = LearningGame(power=Power(strength=1.0), knowledge=Knowledge(levels=3, pace=1.0))
    results = Tournament([Opportunist(), Cooperator(), TitForTat()], game=game, continuation=0.8,
                         repetitions=50, seed=2).play()
    lengths = results.outcomes.lengths
    assert lengths.min() >= 1 and len(np.unique(lengths)) > 5
    assert 3 < lengths.mean() < 7  # geometric with mean 1 / (1 - 0.8) = 5
    # Against the cooperator the opportunist (receptivity 1, pace 1) learns one
    # level every round and the cooperator none: after t rounds it holds z = min(t, 3)
    # in every repetition still running; then its race is over.
    trajectory = results.power_trajectories[0, 1]
    assert len(trajectory) == lengths[pairing_index(results, 0, 1)].max() + 1
    np.testing.assert_array_equal(trajectory, np.minimum(np.arange(len(trajectory)), 3))
    np.testing.assert_array_equal(results.power_trajectories[1, 0], -trajectory)
    # Payoffs per round average each repetition's own length.
    p = pairing_index(results, 0, 2)
    o = results.outcomes
    np.testing.assert_allclose(results.payoff_matrix[0, 2], np.mean(o.totals[p, :, 0] / o.lengths[p]))
    # The alliance is open for min(length, 3) rounds, and the race is over in every
    # repetition that lasted 3 rounds.
    p = pairing_index(results, 0, 1)
    np.testing.assert_array_equal(o.duration[p], np.minimum(o.lengths[p], 3))
    np.testing.assert_array_equal(o.ended_by[p] == 4, o.lengths[p] >= 3)
    assert results.race_over_matrix[0, 1] == pytest.approx(np.mean(o.lengths[p] >= 3))
    assert results.duration_matrix[0, 1] == pytest.approx(np.mean(np.minimum(o.lengths[p], 3)))


def test_imperative_player_plays_like_the_automaton_it_copies():
    """Mirror is tit for tat written by hand; against deterministic partners it
    must score exactly as the automaton TitForTat (same draws are irrelevant)."""
    players = [TitForTat(), Mirror(), Cooperator(), Defector(), Alternator(), Grudger(), SuspiciousTitForTat()]
    results = Tournament(players, turns=12, repetitions=2, seed=4).play()
    others = slice(2, None)
    np.testing.assert_array_equal(results.payoff_matrix[0, others], results.payoff_matrix[1, others])
    np.testing.assert_array_equal(results.payoff_matrix[others, 0], results.payoff_matrix[others, 1])
    np.testing.assert_array_equal(results.give_rate_matrix[0, others], results.give_rate_matrix[1, others])
    assert results.payoff_matrix[0, 1] == results.payoff_matrix[1, 0] == 3.0


# --- power, the race and exit ------------------------------------------------------------
def test_the_race_to_learn_ends_and_the_faster_learner_holds_power():
    """Second edition (replaces the first edition's ladder climbed by takes):
    with stakes of 3 levels and pace 1, the opportunist learns one level a round
    from the cooperator, which learns nothing; after 3 rounds the race is over
    and both earn the status quo for the other 17 (Hamel 1991; Hauert et al. 2002)."""
    game = LearningGame(power=Power(strength=1.0), knowledge=Knowledge(levels=3, pace=1.0))
    results = Tournament([Opportunist(), Cooperator()], game=game, turns=20, repetitions=5, seed=1).play()
    assert results.dominance[0, 1] == 1.0 and results.dominance[1, 0] == 0.0
    assert results.power_gap[0, 1] == 3.0 and results.power_gap[1, 0] == -3.0
    assert results.wins.tolist() == [5, 0]
    np.testing.assert_array_equal(results.power_trajectories[0, 1], np.minimum(np.arange(21), 3))
    assert results.summary()[0]["player"] == "Opportunist" and results.summary()[0]["power_gap"] == 3.0
    # Power splits only created value, and a one-sided give creates none to split:
    # T = 5 three times, then P = 1; the cooperator S = 0 three times, then P = 1.
    R, S, T, P = game.rstp()
    assert results.payoff_matrix[0, 1] == pytest.approx((3 * T + 17 * P) / 20)
    assert results.payoff_matrix[1, 0] == pytest.approx((3 * S + 17 * P) / 20)
    # The new metrics: each learned level was one transfer (r = 1).
    np.testing.assert_allclose(results.learning, [3 / 20, 0.0])
    np.testing.assert_array_equal(results.stakes_left, [0.0, 3.0])
    np.testing.assert_array_equal(results.race_over, 1.0)
    np.testing.assert_array_equal(results.exits, 0.0)
    np.testing.assert_array_equal(results.duration, 3.0)
    np.testing.assert_allclose(results.open_share, 3 / 20)
    # Joint learning counts what transferred, (b - c) r = 1 a round for 3 rounds;
    # the surplus also counts the race premium: (3 T + 3 S + 34 P) / 20 - 2P.
    assert results.joint_learning[0, 1] == pytest.approx(3 / 20)
    assert results.surplus[0, 1] == pytest.approx((3 * T + 3 * S + 34 * P) / 20 - 2 * P)


def test_power_gap_is_dependence_the_faster_learner_holds_power():
    """Two unconditional givers with receptivities 0.9 and 0.1 (issue 15): the
    fast learner ends holding power, although neither ever takes."""
    game = LearningGame(power=Power(strength=1.0), knowledge=Knowledge(levels=4, pace=0.5))
    results = Tournament([Cooperator(receptivity=0.9), Cooperator(receptivity=0.1)], game=game, turns=60,
                         repetitions=200, seed=4).play()
    assert results.power_gap[0, 1] > 2 and results.dominance[0, 1] > 0.9
    assert results.learning[0] == pytest.approx(9 * results.learning[1])  # both gave every open round
    assert results.stakes_left[0] < 0.2 < 3 < results.stakes_left[1]
    assert results.race_over_rate > 0.95
    # Without power the fast learner still learns faster, and nobody is paid for position.
    plain = Tournament([Cooperator(receptivity=0.9), Cooperator(receptivity=0.1)], game=game.with_power(strength=0),
                       turns=60, repetitions=200, seed=4).play()
    assert plain.power_gap[0, 1] == results.power_gap[0, 1]  # the same draws: the same race
    assert results.payoff_matrix[0, 1] > plain.payoff_matrix[0, 1]  # power splits the created value its way


def test_exits_count_who_left():
    """Race To Learn leaves once it is ahead (its target, 1 level); its partner never leaves."""
    from learning_dilemma.strategies import RaceToLearn

    game = LearningGame(knowledge=Knowledge(levels=4, pace=1.0))
    results = Tournament([RaceToLearn(probe=1.0), Cooperator(receptivity=0.5)], game=game, turns=30,
                         repetitions=40, seed=5).play()
    # Probing with certainty it takes every round, learns a level every round (r = 1,
    # pace 1) and is ahead after the first: it leaves in the second round of every match.
    assert results.exit_matrix[0, 1] == 1.0 and results.exit_matrix[1, 0] == 0.0
    np.testing.assert_array_equal(results.exits, [1.0, 0.0])
    assert results.exit_rate == 1.0 and results.race_over_rate == 0.0
    np.testing.assert_array_equal(results.outcomes.duration, 1)
    np.testing.assert_allclose(results.open_share, 1 / 30)
    np.testing.assert_array_equal(results.stakes_left, [3.0, 4.0])
    assert {row["ended_by"] for row in results.interactions()} == {"first left"}


def test_self_play_dominance_counts_each_copy():
    game = LearningGame(power=Power(strength=1.0), knowledge=Knowledge(levels=2, pace=0.5))
    results = Tournament([RandomPlayer(), Opportunist()], game=game, turns=30, repetitions=20, seed=9,
                         self_play=True).play()
    p = pairing_index(results, 0, 0)
    final = results.outcomes.final_power[p]
    assert np.mean(final != 0) > 0.5  # someone ahead at the end: the race was won
    assert results.dominance[0, 0] == pytest.approx(np.mean((final > 0) | (final < 0)) / 2)
    assert results.power_gap[0, 0] == 0.0
    np.testing.assert_array_equal(results.power_trajectories[0, 0], 0.0)


# --- progress and validation ---------------------------------------------------------------
def test_progress_reports_every_pairing():
    calls = []
    Tournament([GTFT(), TitForTat(), Mirror(), Defector()], turns=5, repetitions=2, seed=1,
               progress=lambda done, total: calls.append((done, total))).play()
    assert calls[-1] == (6, 6)
    assert all(total == 6 for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_round_robin_pairings():
    assert round_robin(3) == [(0, 1), (0, 2), (1, 2)]
    assert round_robin(3, self_play=True) == [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]


@pytest.mark.parametrize(
    "change, words",
    [
        (dict(players=[TitForTat()]), "at least 2 players, got 1"),
        (dict(players=[TitForTat(), "Defector"]), "players[1] must be a Player"),
        (dict(players="Tit For Tat"), "players must be a list of Players"),
        (dict(repetitions=0), "repetitions must be a whole number >= 1, got 0"),
        (dict(repetitions=2.5), "repetitions must be a whole number"),
        (dict(turns=10, continuation=0.5), "either turns or continuation"),
        (dict(turns=0), "turns must be a whole number >= 1"),
        (dict(continuation=1.0), "continuation must be in [0, 1)"),
        (dict(processes=-1), "processes must be a whole number >= 0, got -1"),
        (dict(self_play="yes"), "self_play must be true or false"),
        (dict(initial_power=1), "initial_power needs knowledge stakes"),
        (dict(initial_power=5, game=LearningGame(knowledge=Knowledge(levels=4))), "initial_power must be in [-3, 3]"),
        (dict(prior_rounds=-2), "prior_rounds must be a whole number >= 0"),
        (dict(progress="bar"), "progress must be a function"),
        (dict(game="classic"), "game must be a LearningGame"),
        (dict(seed=-1), "seed must be a non-negative whole number"),
    ],
)
def test_bad_arguments_are_one_line_errors(change, words):
    arguments = dict(players=[TitForTat(), Defector()])
    arguments.update(change)
    with pytest.raises(ParameterError) as error:
        Tournament(**arguments)
    assert words in str(error.value) and "\n" not in str(error.value)


def test_unpicklable_players_are_refused_before_starting_processes():
    class Local(Player):  # defined in a function: cannot be pickled
        name = "Local"

        def strategy(self, opponent):
            return Move.GIVE

    tournament = Tournament([Local(), TitForTat(), Defector()], turns=5, processes=2, seed=1)
    with pytest.raises(ParameterError, match="'Local' cannot be sent to worker processes"):
        tournament.play()


def test_processes_zero_means_every_cpu():
    import os

    assert Tournament([TitForTat(), Defector()], processes=0).processes == (os.cpu_count() or 1)
    assert Tournament([TitForTat(), Defector()], processes=None).processes == (os.cpu_count() or 1)


def test_a_tournaments_totals_are_the_standalone_matchs_to_the_bit():
    """One way of summing totals (engine.batching.running_totals) serves the
    tournament's padded runs, a match's batch and each repetition alone."""
    players = [GTFT(), RandomPlayer(), TitForTat(), Grudger()]
    tournament = Tournament(players, continuation=0.95, repetitions=20, seed=3)
    results = tournament.play()
    for p, (i, j) in enumerate(results.outcomes.pairs):
        batch = tournament.match(int(i), int(j)).play_batch()
        assert np.array_equal(results.outcomes.totals[p], batch.totals)
        assert all(tuple(batch.totals[k]) == batch[k].totals for k in range(len(batch)))
