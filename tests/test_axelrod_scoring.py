"""Learning-game payoffs inside axelrod: LearningGameMatch, Moran processes,
re-scored tournaments, and the plotting example."""

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
from learning_dilemma.axelrod.scoring import LearningGameMatch, learning_scores, rescore_tournament
from learning_dilemma.strategies import Opportunist as OurOpportunist

ROOT = Path(__file__).resolve().parents[1]
POWER = LearningGame().with_power(strength=0.8)
PAIRS = [
    (axl.TitForTat, axl.Alternator), (axl.Defector, axl.Cooperator), (axl.Random, axl.GTFT),
    (axl.Grudger, axl.Random), (axl.WinStayLoseShift, axl.Prober),
]


# --- LearningGameMatch -------------------------------------------------------------


@pytest.mark.parametrize("first, second", PAIRS, ids=lambda cls: cls.__name__)
def test_with_power_off_a_learning_game_match_is_an_axelrod_match(first, second):
    ours = LearningGameMatch((first(), second()), turns=50, seed=4)
    theirs = axl.Match((first(), second()), turns=50, seed=4)
    assert ours.play() == theirs.play()
    assert ours.scores() == [tuple(map(float, s)) for s in theirs.scores()]
    assert ours.final_score() == theirs.final_score()
    assert ours.final_score_per_turn() == theirs.final_score_per_turn()
    assert str(ours.winner()) == str(theirs.winner())


def test_with_power_on_it_scores_as_our_engine_with_the_same_seed():
    """Same seed, same moves: the same power path and payoffs as our Match,
    power draws included (the taker's receptivity makes each climb a draw)."""
    for seed in (1, 2, 3):
        match = LearningGameMatch(
            (to_axelrod(OurOpportunist(receptivity=0.6)), axl.TitFor2Tats()), turns=40, seed=seed, learning_game=POWER,
        )
        match.play()
        ours = Match(OurOpportunist(receptivity=0.6), from_axelrod("Tit For 2 Tats"), game=POWER, turns=40, seed=seed)
        result = ours.play()
        assert match.power.tolist() == result.power.tolist()
        assert match.scores() == list(zip(result.payoffs[0].tolist(), result.payoffs[1].tolist()))


def test_takers_gain_under_power():
    """Hamel (1991): the taker climbs the ladder and its share of the rents grows."""
    match = LearningGameMatch((axl.Defector(), axl.Cooperator()), turns=30, seed=1, learning_game=POWER)
    match.play()
    taker, giver = match.final_score_per_turn()
    assert taker > 5 and giver < 0  # beyond axelrod's T = 5 and S = 0
    assert match.power[-1] == POWER.power.levels
    assert match.winner().name == "Defector"


def test_the_axelrod_game_told_to_players_is_the_learning_game_at_parity():
    game = LearningGame.from_payoffs(4, 0, 6, 1)
    match = LearningGameMatch((axl.TitForTat(), axl.TitForTat()), turns=2, learning_game=game)
    assert match.game.RPST() == (4, 1, 0, 6)
    assert match.players[0].match_attributes["game"] is match.game
    with pytest.raises(ParameterError, match="learning_game must be a LearningGame"):
        LearningGameMatch((axl.TitForTat(), axl.TitForTat()), learning_game=axl.Game())


def test_learning_scores_ignore_the_padding_past_each_rows_end():
    moves_a = np.array([[0, 0, 0], [0, -1, -1]])
    moves_b = np.array([[1, 1, 1], [1, -1, -1]])
    pay_a, pay_b, power = learning_scores(POWER, moves_a, moves_b, 1.0, 1.0, np.zeros((2, 3)))
    assert power.tolist() == [[0, 1, 2, 3], [0, 1, 1, 1]]
    assert pay_a[1, 1:].tolist() == [0.0, 0.0] and pay_b[1, 1:].tolist() == [0.0, 0.0]
    assert pay_a[0, 0] == pay_a[1, 0] == 5.0


# --- Moran processes ------------------------------------------------------------------


def moran(match_class, seed=5):
    population = [TrustBuilder(), Opportunist(), axl.TitForTat(), axl.Defector(), axl.Cooperator()]
    process = axl.MoranProcess(population, turns=30, seed=seed, match_class=match_class)
    process.play()
    return process


def test_a_moran_process_with_power_off_is_axelrods():
    plain = moran(axl.Match)
    learning = moran(functools.partial(LearningGameMatch, learning_game=LearningGame()))
    assert learning.populations == plain.populations
    assert learning.score_history == plain.score_history


def test_a_moran_process_scored_with_power_differs_and_repeats():
    learning = moran(functools.partial(LearningGameMatch, learning_game=POWER))
    assert learning.score_history != moran(axl.Match).score_history
    again = moran(functools.partial(LearningGameMatch, learning_game=POWER))
    assert again.populations == learning.populations and again.score_history == learning.score_history
    assert learning.winning_strategy_name in {str(p) for p in learning.initial_players}


# --- re-scored tournaments --------------------------------------------------------------


@pytest.fixture(scope="module")
def tournament(tmp_path_factory):
    players = [TrustBuilder(), Opportunist(receptivity=0.5), Cooperator(), axl.TitForTat(), axl.Defector(),
               axl.Cooperator(), axl.Random(), axl.Grudger()]
    path = tmp_path_factory.mktemp("tournament") / "interactions.csv"
    played = axl.Tournament(players, turns=60, repetitions=3, seed=2)
    results = played.play(filename=str(path), progress_bar=False)
    return played, results, path


def test_rescored_with_power_off_equals_axelrods_results(tournament):
    played, results, path = tournament
    rescored = rescore_tournament(path, LearningGame(), seed=3)  # receptivity 1 for every player
    for attribute in ("payoff_matrix", "ranked_names", "wins", "normalised_scores", "scores", "score_diffs"):
        assert getattr(rescored, attribute) == getattr(results, attribute), attribute


def test_rescored_with_power_on_takers_gain(tournament):
    played, results, path = tournament
    rescored = rescore_tournament(played, POWER, seed=3)
    names = [str(p) for p in played.players]
    defector, cooperator = names.index("Defector"), names.index("Cooperator")
    before, after = np.array(results.payoff_matrix), np.array(rescored.payoff_matrix)
    assert after[defector, cooperator] > before[defector, cooperator] == 5
    assert after[cooperator, defector] < before[cooperator, defector] == 0
    # Mutual givers never move the ladder off parity: their payoffs stay axelrod's.
    tit_for_tat = names.index("Tit For Tat")
    assert after[tit_for_tat, cooperator] == before[tit_for_tat, cooperator] == 3
    assert sum(after[defector]) > sum(before[defector])


def test_rescoring_uses_receptivities_and_our_draws(tournament):
    played, results, path = tournament
    rescored = rescore_tournament(played, POWER, seed=3)
    names = [str(p) for p in played.players]
    i, j = names.index("ld:Opportunist(receptivity=0.5)"), names.index("ld:Cooperator")
    # Pairing (i, j), repetition r, draws as our Match(key=(i, j)) with the same seed.
    ours = Match(OurOpportunist(receptivity=0.5), from_axelrod("Cooperator"), game=POWER, turns=60, seed=3,
                 key=(i, j), repetitions=3).play_batch()
    assert [per_turn for per_turn in rescored.payoffs[i][j]] == pytest.approx(list(ours.mean_payoffs[:, 0]))
    # Half as receptive, the opportunist climbs more slowly than with full receptivity.
    full = rescore_tournament(path, POWER, seed=3)
    assert np.mean(rescored.payoffs[i][j]) < np.mean(full.payoffs[i][j])


def test_rescoring_is_reproducible_and_seeded(tournament):
    played, _, path = tournament
    first = rescore_tournament(played, POWER, seed=7)
    assert rescore_tournament(played, POWER, seed=7).payoffs == first.payoffs
    assert rescore_tournament(played, POWER, seed=8).payoffs != first.payoffs
    assert first.learning_game == POWER and first.entropy == 7


def test_rescoring_keeps_the_file_when_asked(tournament, tmp_path):
    played, _, path = tournament
    kept = tmp_path / "rescored.csv"
    results = rescore_tournament(played, POWER, seed=1, filename=kept)
    assert kept.is_file()
    assert axl.ResultSet(str(kept), players=results.players, repetitions=3, progress_bar=False).payoff_matrix == (
        results.payoff_matrix
    )


def test_bad_sources_are_parameter_errors(tournament, tmp_path):
    played, _, path = tournament
    with pytest.raises(ParameterError, match="interactions file"):
        rescore_tournament(tmp_path / "missing.csv")
    with pytest.raises(ParameterError, match="8 players, but 2 players were given"):
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
