"""Learning-game payoffs inside axelrod: LearningGameMatch, Moran processes,
re-scored tournaments, and the plotting example (second edition: knowledge
stakes, the end of the race, power from dependence, tacit transfer over ties)."""

from __future__ import annotations

import functools
import runpy
from pathlib import Path

import axelrod as axl
import numpy as np
import pytest

from learning_dilemma import LearningGame, Match, ParameterError
from learning_dilemma.axelrod import from_axelrod, to_axelrod
from learning_dilemma.axelrod.players import Cooperator, Opportunist, TrustBuilder
from learning_dilemma.axelrod.scoring import LearningGameMatch, learning_scores, rescore_tournament, round_draws
from learning_dilemma.engine.vectorised import ENDINGS
from learning_dilemma.axelrod.games import axelrod_game
from learning_dilemma.games import Domain, Knowledge, Ties
from learning_dilemma.moves import EXIT, GIVE, Move
from learning_dilemma.players.automaton import table
from learning_dilemma.players.player import Automaton, Player
from learning_dilemma.seeding import learn_draws
from learning_dilemma.strategies import Cooperator as OurCooperator
from learning_dilemma.strategies import Grudger as OurGrudger
from learning_dilemma.strategies import Opportunist as OurOpportunist

ROOT = Path(__file__).resolve().parents[1]
# The shipped scenarios' relation (knowledge levels 4, pace 0.3, ties 3) with power on.
SECOND = LearningGame(knowledge=Knowledge(levels=4, pace=0.3), ties=Ties(levels=3)).with_power(strength=0.8)
PAIRS = [
    (axl.TitForTat, axl.Alternator), (axl.Defector, axl.Cooperator), (axl.Random, axl.GTFT),
    (axl.Grudger, axl.Random), (axl.WinStayLoseShift, axl.Prober),
]


# --- LearningGameMatch -------------------------------------------------------------


@pytest.mark.parametrize("game", [LearningGame(), LearningGame().with_power(strength=0.8)], ids=["default", "power"])
@pytest.mark.parametrize("first, second", PAIRS, ids=lambda cls: cls.__name__)
def test_at_the_first_edition_limit_a_learning_game_match_is_an_axelrod_match(first, second, game):
    """Stakes off, no tacitness, full overlap: axelrod's scores, power strength
    or not (without stakes nobody depends more than the other: w = 1/2)."""
    ours = LearningGameMatch((first(), second()), turns=50, seed=4, learning_game=game)
    theirs = axl.Match((first(), second()), turns=50, seed=4)
    assert ours.play() == theirs.play()
    assert ours.scores() == [tuple(map(float, s)) for s in theirs.scores()]
    assert ours.final_score() == theirs.final_score()
    assert ours.final_score_per_turn() == theirs.final_score_per_turn()
    assert str(ours.winner()) == str(theirs.winner())


@pytest.mark.parametrize("game", [
    LearningGame(overlap=0.0), LearningGame(overlap=0.4),
    LearningGame(domains=(Domain("hardware and software", 0.6, 0.1), Domain("services", 0.4, 1.0))),
], ids=["pre-competitive", "overlap 0.4", "itcom domains"])
def test_with_stakes_off_any_overlap_scores_as_the_game_axelrod_is_told(game):
    """Stakes off, no tacitness, receptivity 1: every round pays the stage game's
    R, S, T, P at the competitive overlap, which is the game the players are told."""
    ours = LearningGameMatch((axl.TitForTat(), axl.Random()), turns=40, seed=2, learning_game=game)
    theirs = axl.Match((axl.TitForTat(), axl.Random()), turns=40, seed=2, game=axelrod_game(game))
    assert ours.play() == theirs.play()
    assert ours.scores() == [tuple(map(float, s)) for s in theirs.scores()]


# Pairs whose moves are the same inside axelrod and in our engine: their moves
# do not read the stakes, and what a tacit give looks like to the partner does not
# change the partner's moves (a Cooperator) or no give is tacit.
SAME_MOVES = [
    (OurCooperator(receptivity=0.9, tacitness=0.3), OurCooperator(receptivity=0.1, tacitness=0.5)),
    (OurOpportunist(receptivity=0.6), "Tit For 2 Tats"),
    (OurGrudger(receptivity=0.7), "Alternator"),
    (OurCooperator(tacitness=0.6), "Cooperator"),
]


@pytest.mark.parametrize("first, second", SAME_MOVES, ids=lambda p: str(p))
def test_it_scores_as_our_engine_with_the_same_seed(first, second):
    """Same seed, same moves: the same transfers, stakes, ties, power, ending
    and payoffs as our Match, tacit and learning draws included."""
    partner = from_axelrod(second) if isinstance(second, str) else second  # an axelrod strategy, or one of ours
    for seed in (1, 2, 3):
        match = LearningGameMatch((to_axelrod(first), to_axelrod(partner)), turns=60, seed=seed,
                                  learning_game=SECOND)
        match.play()
        ours = Match(first, partner, game=SECOND, turns=60, seed=seed).play()
        mine = match.learning_result()
        for field in ("moves", "transfers", "stakes", "ties", "power", "payoffs"):
            assert np.array_equal(getattr(mine, field), getattr(ours, field)), (field, seed)
        assert mine.ended_by == ours.ended_by
        assert match.final_score() == ours.totals  # to the bit
        assert match.power.tolist() == ours.power.tolist()


def test_the_comparison_has_power():
    """The first pair's seeds reach every mechanism: tacit failures (before the
    tie is full), tie growth, a race over, power off parity."""
    results = []
    for seed in (1, 2, 3):
        match = LearningGameMatch((to_axelrod(SAME_MOVES[0][0]), to_axelrod(SAME_MOVES[0][1])), turns=60, seed=seed,
                                  learning_game=SECOND)
        match.play()
        results.append(match.learning_result())
    assert any(((r.moves == GIVE) & (r.transfers == 0)).any() for r in results)  # a give that failed
    for result in results:
        assert result.ties.max() == SECOND.ties.levels
        assert ENDINGS[result.ended_by] == "race over" and result.final_power != 0


def test_the_race_over_pays_the_status_quo_whatever_axelrod_plays():
    """Four levels learned one a round (pace 1, receptivity 1): the taker earns
    T = 5 while it learns, the giver S = 0; after round 4 the race is over
    (Hamel 1991) and every round pays both P = 1 (the loner payoff), though
    axelrod's players go on playing D and C. Stakes off: T and S every round."""
    game = LearningGame(knowledge=Knowledge(levels=4, pace=1.0))
    match = LearningGameMatch((axl.Defector(), axl.Cooperator()), turns=10, seed=1, learning_game=game)
    actions = match.play()
    assert actions == [(axl.Action.D, axl.Action.C)] * 10
    assert match.scores() == [(5.0, 0.0)] * 4 + [(1.0, 1.0)] * 6
    assert match.power.tolist() == [0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4]
    result = match.learning_result()
    assert result.transcript() == "TG TG TG TG XX XX XX XX XX XX"
    assert ENDINGS[result.ended_by] == "race over" and result.duration == 4 and result.final_stakes == (0, 4)
    assert match.winner().name == "Defector"
    off = LearningGameMatch((axl.Defector(), axl.Cooperator()), turns=10, seed=1, learning_game=LearningGame())
    off.play()
    assert off.scores() == [(5.0, 0.0)] * 10


def test_a_tacit_failure_pays_the_giver_as_a_giver():
    """A Cooperator whose every give fails (tacitness 1, ties off) against a
    Cooperator: it learns the partner's give, P + (b - c) = 2, and pays the
    positional price of exposing, c (r_i g_j - r_j g_i) = 0 with both giving;
    the partner learns nothing and earns P = 1. axelrod scores both R = 3; the
    failure never pays its holder more than a give would (2 <= 3)."""
    tacit = to_axelrod(OurCooperator(tacitness=1.0))
    match = LearningGameMatch((tacit, axl.Cooperator()), turns=5, seed=1)
    assert match.play() == [(axl.Action.C, axl.Action.C)] * 5  # played and recorded as gives
    assert match.scores() == [(2.0, 1.0)] * 5
    assert match.learning_result().transfers.tolist() == [[0] * 5, [1] * 5]
    # Over ties of 2 rounds of mutual giving the failure probability falls from
    # tau (1 - 0/2) = 1 to 1/2 to 0 (Hansen 1999): from round 3 on every give transfers.
    tied = LearningGame(ties=Ties(levels=2))
    for seed in range(1, 6):
        match = LearningGameMatch((tacit.clone(), axl.Cooperator()), turns=6, seed=seed, learning_game=tied)
        match.play()
        assert match.scores()[0] == (2.0, 1.0)
        assert match.scores()[2:] == [(3.0, 3.0)] * 4
        assert match.learning_result().ties.tolist() == [0, 1, 2, 2, 2, 2, 2]


class LeavesAfterOne(Automaton):
    """Gives once, then leaves the alliance."""

    name = "Leaves After One"

    def table(self, context):
        return table(context, [1.0, 1.0], [[[1, 1], [1, 1]]] * 2, 0, ("first", "then"), leave=[0.0, 1.0])


class Quits(Player):
    """Gives twice, then returns Move.EXIT."""

    name = "Quits"

    def strategy(self, opponent):
        return Move.EXIT if len(self.history) >= 2 else GIVE


@pytest.mark.parametrize("leaver, rounds", [(LeavesAfterOne(), 1), (Quits(), 2)], ids=["automaton", "imperative"])
def test_an_exit_is_scored_as_the_takes_axelrod_records(leaver, rounds):
    """axelrod has no exit: the leaver plays D for the rest of the match, and a
    partner that plays on with C is exploited (T = 5 against S = 0), where our
    engine closes the alliance and pays both the loner payoff P = 1."""
    match = LearningGameMatch((to_axelrod(leaver), axl.Cooperator()), turns=6, seed=1)
    actions = match.play()
    C, D = axl.Action.C, axl.Action.D
    assert actions == [(C, C)] * rounds + [(D, C)] * (6 - rounds)
    assert match.scores() == [(3.0, 3.0)] * rounds + [(5.0, 0.0)] * (6 - rounds)
    assert match.players[0].exited_at == rounds + 1
    ours = Match(leaver, from_axelrod("Cooperator"), turns=6, seed=1).play()
    assert (ours.moves[:, rounds:] == EXIT).all()
    assert ours.payoffs[:, rounds:].tolist() == [[1.0] * (6 - rounds)] * 2
    assert ours.payoffs[:, :rounds].tolist() == match.payoffs[:rounds].T.tolist()


def test_the_learning_draws_are_our_engines_noisy_or_not():
    """The learning stream is separate from the noise stream (seeding.LEARN_STREAM)."""
    noisy = Match(OurCooperator(), OurCooperator(), game=SECOND, turns=30, seed=5, noise=0.1).draws()[1][0]
    quiet = round_draws(5, (), 0, 30, learning=True)
    assert np.array_equal(quiet[:, list(learn_draws(False))], noisy[:, list(learn_draws(True))])
    assert np.array_equal(quiet[:, :5], noisy[:, :5])


def test_the_axelrod_game_told_to_players_is_the_learning_game_at_parity():
    game = LearningGame.from_payoffs(4, 0, 6, 1)
    match = LearningGameMatch((axl.TitForTat(), axl.TitForTat()), turns=2, learning_game=game)
    assert match.game.RPST() == (4, 1, 0, 6)
    assert match.players[0].match_attributes["game"] is match.game
    with pytest.raises(ParameterError, match="learning_game must be a LearningGame"):
        LearningGameMatch((axl.TitForTat(), axl.TitForTat()), learning_game=axl.Game())


def test_learning_scores_ignore_the_padding_past_each_rows_end():
    game = LearningGame(knowledge=Knowledge(levels=3, pace=1.0))
    moves_a = np.array([[0, 0, 0], [0, -1, -1]])
    moves_b = np.array([[1, 1, 1], [1, -1, -1]])
    scored = learning_scores(game, moves_a, moves_b, 1.0, 1.0, np.zeros((2, 3, 7)))
    assert scored.power.tolist() == [[0, 1, 2, 3], [0, 1, 1, 1]]
    assert scored.payoffs[:, 1, 1:].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert scored.payoffs[0, 0, 0] == scored.payoffs[0, 1, 0] == 5.0
    assert scored.lengths.tolist() == [3, 1]
    assert ENDINGS[scored.ended_by[0]] == "race over" and ENDINGS[scored.ended_by[1]] == "open"


def test_learning_scores_refuse_bad_input_in_one_line():
    game = LearningGame(knowledge=Knowledge(levels=2))
    with pytest.raises(ParameterError, match="^draws: needed for tacit transfer and knowledge stakes"):
        learning_scores(game, [1, 1], [1, 0])
    with pytest.raises(ParameterError, match="^draws: needed"):
        learning_scores(LearningGame(), [1, 1], [1, 0], tacitness_a=0.5)
    with pytest.raises(ParameterError, match=r"^draws: expected shape \(1, 2, >= 7\)"):
        learning_scores(game, [1, 1], [1, 0], draws=np.zeros((2, 5)))
    with pytest.raises(ParameterError, match="^moves_a and moves_b must have one shape"):
        learning_scores(LearningGame(), [1, 1], [1])
    with pytest.raises(ParameterError, match="^moves must hold 1"):
        learning_scores(LearningGame(), [1, 2], [1, 0])
    with pytest.raises(ParameterError, match="^moves: both players' rows"):
        learning_scores(LearningGame(), [1, -1], [1, 0])
    with pytest.raises(ParameterError, match=r"^tacitness_b must lie in \[0, 1\]"):
        learning_scores(LearningGame(), [1], [1], tacitness_b=2.0)
    assert learning_scores(LearningGame(), [1, 0], [1, 1]).payoffs[:, 0].tolist() == [[3.0, 5.0], [3.0, 0.0]]


# --- Moran processes ------------------------------------------------------------------


def moran(match_class, seed=5):
    population = [TrustBuilder(), Opportunist(), axl.TitForTat(), axl.Defector(), axl.Cooperator()]
    process = axl.MoranProcess(population, turns=30, seed=seed, match_class=match_class)
    process.play()
    return process


def test_a_moran_process_at_the_first_edition_limit_is_axelrods():
    plain = moran(axl.Match)
    learning = moran(functools.partial(LearningGameMatch, learning_game=LearningGame()))
    assert learning.populations == plain.populations
    assert learning.score_history == plain.score_history


def test_a_moran_process_scored_with_the_second_edition_differs_and_repeats():
    learning = moran(functools.partial(LearningGameMatch, learning_game=SECOND))
    assert learning.score_history != moran(axl.Match).score_history
    again = moran(functools.partial(LearningGameMatch, learning_game=SECOND))
    assert again.populations == learning.populations and again.score_history == learning.score_history
    assert learning.winning_strategy_name in {str(p) for p in learning.initial_players}


# --- re-scored tournaments --------------------------------------------------------------


@pytest.fixture(scope="module")
def tournament(tmp_path_factory):
    players = [TrustBuilder(), Opportunist(receptivity=0.5), Cooperator(), Cooperator(tacitness=0.4),
               axl.TitForTat(), axl.Defector(), axl.Cooperator(), axl.Random(), axl.Grudger()]
    path = tmp_path_factory.mktemp("tournament") / "interactions.csv"
    played = axl.Tournament(players, turns=60, repetitions=3, seed=2)
    results = played.play(filename=str(path), progress_bar=False)
    return played, results, path


def test_rescored_at_the_first_edition_limit_equals_axelrods_results(tournament):
    played, results, path = tournament
    # receptivity 1 and no tacitness for every player (no players given), stakes off
    for game in (LearningGame(), LearningGame().with_power(strength=0.8)):
        rescored = rescore_tournament(path, game, seed=3)
        for attribute in ("payoff_matrix", "ranked_names", "wins", "normalised_scores", "scores", "score_diffs"):
            assert getattr(rescored, attribute) == getattr(results, attribute), attribute


def test_rescored_with_stakes_the_race_ends_and_pays_the_status_quo(tournament):
    played, results, path = tournament
    rescored = rescore_tournament(played, SECOND, seed=3)
    names = [str(p) for p in played.players]
    defector, cooperator = names.index("Defector"), names.index("Cooperator")
    before, after = np.array(results.payoff_matrix), np.array(rescored.payoff_matrix)
    # once the taker has learned all, both earn P = 1: below T = 5 and above S = 0
    assert 1 < after[defector, cooperator] < before[defector, cooperator] == 5
    assert 0 == before[cooperator, defector] < after[cooperator, defector] < 1
    # mutual givers race too (Hamel 1991): their alliance ends and R = 3 gives way to P
    tit_for_tat = names.index("Tit For Tat")
    assert 1 < after[tit_for_tat, cooperator] < before[tit_for_tat, cooperator] == 3


@pytest.mark.parametrize("first, second, ours", [
    ("ld:Opportunist(receptivity=0.5)", "ld:Cooperator", (OurOpportunist(receptivity=0.5), OurCooperator())),
    ("ld:Cooperator(tacitness=0.4)", "Cooperator", (OurCooperator(tacitness=0.4), from_axelrod("Cooperator"))),
    ("Defector", "Cooperator", (from_axelrod("Defector"), from_axelrod("Cooperator"))),
])
def test_rescoring_equals_our_engine_pairing_by_pairing(tournament, first, second, ours):
    """Pairing (i, j), repetition r: the draws of our Match(key=(i, j)) with the
    same seed, each player's receptivity and tacitness: our engine's payoffs."""
    played, _, path = tournament
    rescored = rescore_tournament(played, SECOND, seed=3)
    names = [str(p) for p in played.players]
    i, j = names.index(first), names.index(second)
    batch = Match(*ours, game=SECOND, turns=60, seed=3, key=(i, j), repetitions=3).play_batch()
    assert rescored.payoffs[i][j] == pytest.approx(list(batch.mean_payoffs[:, 0]), rel=1e-12, abs=0)
    assert rescored.payoffs[j][i] == pytest.approx(list(batch.mean_payoffs[:, 1]), rel=1e-12, abs=0)


def test_rescoring_reads_receptivity_and_tacitness_from_the_players(tournament):
    played, _, path = tournament
    names = [str(p) for p in played.players]
    with_players, without = rescore_tournament(played, SECOND, seed=3), rescore_tournament(path, SECOND, seed=3)
    for first, second in (("ld:Opportunist(receptivity=0.5)", "ld:Cooperator"),
                          ("ld:Cooperator(tacitness=0.4)", "Cooperator")):
        i, j = names.index(first), names.index(second)
        assert with_players.payoffs[i][j] != without.payoffs[i][j]


def test_rescoring_is_reproducible_and_seeded(tournament):
    played, _, path = tournament
    first = rescore_tournament(played, SECOND, seed=7)
    assert rescore_tournament(played, SECOND, seed=7).payoffs == first.payoffs
    assert rescore_tournament(played, SECOND, seed=8).payoffs != first.payoffs
    assert first.learning_game == SECOND and first.entropy == 7


def test_rescoring_keeps_the_file_when_asked(tournament, tmp_path):
    played, _, path = tournament
    kept = tmp_path / "rescored.csv"
    results = rescore_tournament(played, SECOND, seed=1, filename=kept)
    assert kept.is_file()
    assert axl.ResultSet(str(kept), players=results.players, repetitions=3, progress_bar=False).payoff_matrix == (
        results.payoff_matrix
    )


def test_bad_sources_are_parameter_errors(tournament, tmp_path):
    played, _, path = tournament
    with pytest.raises(ParameterError, match="interactions file"):
        rescore_tournament(tmp_path / "missing.csv")
    with pytest.raises(ParameterError, match="9 players, but 2 players were given"):
        rescore_tournament(path, players=[axl.TitForTat(), axl.Defector()])
    bare = tmp_path / "bare.csv"
    axl.Tournament([axl.TitForTat(), axl.Defector()], turns=5, repetitions=1).play(
        build_results=False, filename=str(bare), progress_bar=False
    )
    with pytest.raises(ParameterError, match="build_results=True"):
        rescore_tournament(bare)


# --- the example --------------------------------------------------------------------


def test_the_plot_example_draws_a_png(tmp_path):
    import matplotlib.image

    example = runpy.run_path(str(ROOT / "examples" / "axelrod_plot.py"))
    output = example["main"]([str(tmp_path / "plot.png"), "--turns", "10", "--repetitions", "2", "--seed", "3"])
    assert output.stat().st_size > 20_000
    pixels = matplotlib.image.imread(output)
    assert pixels.shape[0] > 400 and pixels.shape[1] > 1000
    assert pixels[..., :3].std() > 0.05  # drawn, not blank
