"""axelrod's strategies in our engine: lookup, equivalence with axelrod, the learning game."""

from __future__ import annotations

import dataclasses
import itertools
import pickle
import subprocess
import sys

import axelrod as axl
import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, LearningGame, Match, MatchContext, ParameterError
from learning_dilemma.axelrod import AxelrodStrategy, axelrod_class, from_axelrod, to_axelrod
from learning_dilemma.axelrod.games import axelrod_game, learning_game
from learning_dilemma.cli import main
from learning_dilemma.engine.vectorised import ENDINGS
from learning_dilemma.games import Knowledge
from learning_dilemma.strategies import classic, make_strategy

C, D = axl.Action.C, axl.Action.D

# Deterministic axelrod strategies of many kinds: memory one to unbounded,
# finite-state machines, lookup tables, probers, cyclers.
DETERMINISTIC = [
    axl.TitForTat, axl.Grudger, axl.TitFor2Tats, axl.WinStayLoseShift, axl.Cooperator, axl.Defector,
    axl.SuspiciousTitForTat, axl.Alternator, axl.HardTitForTat, axl.Bully, axl.Prober, axl.Gradual,
    axl.FirstByDavis, axl.FoolMeOnce, axl.FirstByShubik, axl.CyclerCCD, axl.Fortress3, axl.EvolvedLookerUp2_2_2,
]


def transcript(result) -> str:
    """Our moves as axelrod's action string, A's then B's move each round."""
    return "".join(f"{'C' if a else 'D'}{'C' if b else 'D'}" for a, b in zip(result.moves[0], result.moves[1]))


def axelrod_transcript(interactions) -> str:
    return "".join(f"{a}{b}" for a, b in interactions)


def test_importing_anything_but_the_bridge_leaves_axelrod_unimported():
    # walk_packages would import the bridge itself to look inside it: walk by hand.
    code = (
        "import importlib, pkgutil, sys\n"
        "def walk(package):\n"
        "    module = importlib.import_module(package)\n"
        "    for info in pkgutil.iter_modules(module.__path__, package + '.'):\n"
        "        if info.name.endswith(('.axelrod', '__main__')):\n"
        "            continue\n"
        "        walk(info.name) if info.ispkg else importlib.import_module(info.name)\n"
        "walk('learning_dilemma')\n"
        "assert 'axelrod' not in sys.modules, 'axelrod imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- lookup --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Tit For Tat", "tit for tat", "TIT FOR TAT", "TitForTat", "axelrod:Tit For Tat"])
def test_names_resolve_in_any_case_and_by_class_name(name):
    assert axelrod_class(name) is axl.TitForTat


def test_every_axelrod_strategy_resolves_by_its_name():
    assert all(axelrod_class(cls.name) is cls for cls in axl.all_strategies)


def test_a_misspelt_name_gets_a_suggestion():
    with pytest.raises(ParameterError) as error:
        from_axelrod("Tit For Tatt")
    assert str(error.value) == "unknown axelrod strategy 'Tit For Tatt'; did you mean 'Tit For Tat'?"


def test_a_name_nothing_like_any_strategy_says_where_to_look():
    with pytest.raises(ParameterError, match=r"unknown axelrod strategy 'qqqqqq' \(axelrod.all_strategies"):
        from_axelrod("qqqqqq")


def test_make_strategy_takes_axelrod_names_with_both_kinds_of_parameters():
    player = make_strategy("axelrod:GTFT", p=0.1, receptivity=0.5)
    assert isinstance(player, AxelrodStrategy)
    assert player.prototype == axl.GTFT(p=0.1)
    assert player.receptivity == 0.5
    assert player.label == "axelrod:GTFT: 0.1(receptivity=0.5)"


def test_an_unknown_parameter_is_named_with_the_known_ones():
    with pytest.raises(ParameterError, match=r"'GTFT' has no parameter 'q' \(known: p, receptivity, tacitness\)"):
        from_axelrod("GTFT", q=0.1)


def test_a_bad_parameter_value_is_a_parameter_error():
    with pytest.raises(ParameterError, match="tacitness must be in"):
        from_axelrod("Tit For Tat", tacitness=2)


def test_strategies_that_manipulate_their_opponent_are_refused():
    with pytest.raises(ParameterError, match="'Darwin' inspects or manipulates its opponent"):
        from_axelrod("Darwin")
    with pytest.raises(ParameterError, match="'Darwin' inspects or manipulates"):
        from_axelrod(axl.Darwin())


def test_players_classes_and_names_are_all_accepted():
    by_name, by_class, by_player = from_axelrod("Grudger"), from_axelrod(axl.Grudger), from_axelrod(axl.Grudger())
    assert by_name == by_class == by_player
    with pytest.raises(ParameterError, match="pass them to its class or name"):
        from_axelrod(axl.GTFT(), p=0.2)
    with pytest.raises(ParameterError, match="takes an axelrod player"):
        from_axelrod(42)


def test_the_cli_plays_axelrod_strategies_and_suggests_names(capsys):
    assert main(["match", "Peer", "axelrod:Tit For Tat", "--turns", "4"]) == 0
    assert "Peer vs axelrod:Tit For Tat" in capsys.readouterr().out
    assert main(["match", "Peer", "axelrod:Tit For Tatt"]) == 2
    assert "did you mean 'Tit For Tat'?" in capsys.readouterr().err


# --- the wrapper ---------------------------------------------------------------


def test_the_wrapper_is_an_imperative_player_with_value_semantics():
    player = from_axelrod("GTFT", p=0.2, tacitness=0.1)
    assert player.is_automaton is False
    assert player.clone() == player and player.clone() is not player
    assert hash(player.clone()) == hash(player)
    assert pickle.loads(pickle.dumps(player)) == player
    assert player != from_axelrod("GTFT", p=0.3, tacitness=0.1)
    assert player != from_axelrod("GTFT", p=0.2)


def test_the_round_trip_gives_axelrods_own_player_back():
    assert to_axelrod(from_axelrod("Grudger")) == axl.Grudger()
    assert type(to_axelrod(from_axelrod("GTFT", p=0.2))) is axl.GTFT


def test_games_translate_both_ways():
    assert learning_game(axelrod_game(LearningGame())) == LearningGame()
    other = axl.Game(r=4, s=-1, t=6, p=0)
    assert axelrod_game(learning_game(other)).RPST() == other.RPST()
    with pytest.raises(ParameterError, match="no learning-game counterpart"):
        learning_game(axl.Game(r=0, s=1, t=0, p=0))


def begun(player: AxelrodStrategy, context, prior_rounds=0) -> AxelrodStrategy:
    player.begin(context, np.random.default_rng(0), 0, prior_rounds)
    return player


def test_the_axelrod_player_is_told_the_game_at_parity():
    game = LearningGame.from_payoffs(4, 0, 5, 1).with_power(strength=0.5)
    player = begun(from_axelrod("ZD-Extort-2"), MatchContext(game, 0.9))
    assert player.player.match_attributes["game"].RPST() == (4, 1, 0, 5)
    # A zero-determinant strategy computes its four-vector from the game.
    told = axl.ZDExtort2()
    told.set_match_attributes(game=axl.Game(r=4, s=0, t=5, p=1))
    assert player.player._four_vector == told._four_vector != axl.ZDExtort2()._four_vector


def test_the_length_is_unknown_unless_the_context_carries_the_turns():
    assert begun(from_axelrod("Tit For Tat"), MatchContext(LearningGame(), 0.995)).player.match_attributes[
        "length"
    ] == -1

    @dataclasses.dataclass(frozen=True)
    class ContextWithTurns(MatchContext):
        turns: int | None = None

    told = begun(from_axelrod("Tit For Tat"), ContextWithTurns(LearningGame(), 0.995, turns=200))
    assert told.player.match_attributes["length"] == 200


def test_prior_rounds_are_history_the_axelrod_player_sees():
    # axelrod's Alternator plays the opposite of its own last move.
    result = Match(from_axelrod("Alternator"), classic.Cooperator(), turns=4, prior_rounds=1).play()
    assert result.transcript() == "TG GG TG GG"


# --- equivalence with axelrod --------------------------------------------------


def test_preconditions_of_the_equivalence_round_robin():
    for cls in DETERMINISTIC:
        player = cls()
        assert not axl.Classifiers["stochastic"](player), cls.name
        assert "length" not in axl.Classifiers["makes_use_of"](player), cls.name


def test_a_deterministic_round_robin_matches_axelrods_tournament_exactly():
    """Power off, r = 1, no tacitness, 200 turns: the payoff matrix through our
    engine equals ``axelrod.Tournament``'s and every match's moves equal
    ``axelrod.Match``'s."""
    tournament = axl.Tournament([cls() for cls in DETERMINISTIC], turns=200, repetitions=1, seed=1)
    expected = tournament.play(progress_bar=False).payoff_matrix
    n = len(DETERMINISTIC)
    ours = np.zeros((n, n))
    for i, j in itertools.combinations_with_replacement(range(n), 2):
        result = Match(from_axelrod(DETERMINISTIC[i]), from_axelrod(DETERMINISTIC[j]), turns=200, seed=7).play()
        reference = axl.Match((DETERMINISTIC[i](), DETERMINISTIC[j]()), turns=200).play()
        assert transcript(result) == axelrod_transcript(reference), (DETERMINISTIC[i].name, DETERMINISTIC[j].name)
        mean_a, mean_b = result.mean_payoffs
        if i == j:
            ours[i, i] = (mean_a + mean_b) / 2
        else:
            ours[i, j], ours[j, i] = mean_a, mean_b
    assert ours.tolist() == expected


def test_every_deterministic_axelrod_strategy_plays_its_axelrod_moves():
    """Beyond the round robin: each deterministic, rule-abiding axelrod strategy
    not told the match length, against four probing opponents."""
    strategies = [
        cls for cls in axl.short_run_time_strategies
        if not axl.Classifiers["stochastic"](cls())
        and axl.Classifiers.obey_axelrod(cls())
        and "length" not in axl.Classifiers["makes_use_of"](cls())
    ]
    assert len(strategies) > 100
    for cls, opponent in itertools.product(strategies, [axl.TitForTat, axl.Alternator, axl.Grudger, axl.Bully]):
        result = Match(from_axelrod(cls), from_axelrod(opponent), turns=40, seed=1).play()
        reference = axl.Match((cls(), opponent()), turns=40, match_attributes={"length": -1, "game": axl.Game(), "noise": 0})
        assert transcript(result) == axelrod_transcript(reference.play()), (cls.name, opponent.name)


# Our classic automata and axelrod's strategies of the same names.
SAME_NAMED = [
    (classic.Cooperator, axl.Cooperator), (classic.Defector, axl.Defector), (classic.TitForTat, axl.TitForTat),
    (classic.Grudger, axl.Grudger), (classic.TitForTwoTats, axl.TitFor2Tats),
    (classic.WinStayLoseShift, axl.WinStayLoseShift), (classic.SuspiciousTitForTat, axl.SuspiciousTitForTat),
    (classic.Alternator, axl.Alternator), (classic.HardTitForTat, axl.HardTitForTat),
]


@pytest.mark.parametrize("ours, theirs", SAME_NAMED, ids=lambda cls: cls.__name__)
def test_classic_automata_play_as_their_axelrod_namesakes(ours, theirs):
    for opponent in (axl.Alternator, axl.Prober, axl.CyclerCCD, axl.Gradual, axl.Random):
        result = Match(ours(), from_axelrod(opponent), turns=60, seed=3).play()
        mirrored = Match(from_axelrod(theirs), from_axelrod(opponent), turns=60, seed=3).play()
        assert transcript(result) == transcript(mirrored), opponent.name
        if not axl.Classifiers["stochastic"](opponent()):
            assert transcript(result) == axelrod_transcript(axl.Match((theirs(), opponent()), turns=60).play())


# --- randomness ----------------------------------------------------------------



@pytest.mark.parametrize("name", ["Random", "GTFT", "ZD-Extort-2", "First by Grofman", "First by Joss"])
def test_stochastic_axelrod_strategies_follow_our_seeds(name):
    def play(seed):
        match = Match(from_axelrod(name), from_axelrod("Random"), continuation=0.98, seed=seed, repetitions=3)
        return [transcript(r) for r in match.play_batch()]

    first = play(11)
    assert play(11) == first
    assert play(12) != first
    assert len(set(first)) == 3  # each repetition draws afresh


# --- the learning game ----------------------------------------------------------


def test_an_axelrod_taker_wins_the_race_and_the_alliance_closes():
    """Three levels learned one a round: the taker has learned all after round 3,
    holds power (K_B - K_A = 3) and the race is over (Hamel 1991); every later
    round is recorded EXIT and pays both P = 1. Stakes off: the first edition's
    T = 5 and S = 0 every round."""
    game = LearningGame(knowledge=Knowledge(levels=3, pace=1.0)).with_power(strength=0.8)
    result = Match(from_axelrod("Defector"), from_axelrod("Cooperator"), game=game, turns=20, seed=2).play()
    assert result.transcript(width=None) == " ".join(["TG"] * 3 + ["XX"] * 17)
    assert result.final_power == 3 and ENDINGS[result.ended_by] == "race over"
    assert result.mean_payoffs == ((3 * 5 + 17 * 1) / 20, (3 * 0 + 17 * 1) / 20)
    classic_result = Match(from_axelrod("Defector"), from_axelrod("Cooperator"), turns=20, seed=2).play()
    assert classic_result.mean_payoffs == (5.0, 0.0)


def test_the_faster_axelrod_learner_ends_holding_power():
    """Hamel (1991): two unconditional givers with receptivity 0.9 and 0.1 (the
    shipped scenarios' stakes): the fast learner's stakes run out first, so it
    ends holding power; with equal receptivities neither side is favoured."""
    game = LearningGame(knowledge=Knowledge(levels=4, pace=0.3)).with_power(strength=1.0)
    fast, slow = from_axelrod("Cooperator", receptivity=0.9), from_axelrod("Cooperator", receptivity=0.1)
    batch = Match(fast, slow, game=game, turns=200, seed=1, repetitions=20).play_batch()
    assert (batch.final_power > 0).all()
    assert all(ENDINGS[r.ended_by] == "race over" for r in batch)
    even = Match(from_axelrod("Cooperator"), from_axelrod("Cooperator"), game=game, turns=200, seed=1,
                 repetitions=20).play_batch()
    assert (even.final_power > 0).any() and (even.final_power < 0).any()


def test_receptivity_scales_what_an_axelrod_player_learns():
    full = Match(from_axelrod("Cooperator"), from_axelrod("Cooperator"), turns=10, seed=1).play()
    half = Match(from_axelrod("Cooperator", receptivity=0.5), from_axelrod("Cooperator"), turns=10, seed=1).play()
    game = LearningGame()
    assert full.totals[0] == 10 * game.payoffs(1, 1)[0]
    assert half.totals[0] == pytest.approx(10 * game.payoffs(1, 1, 0.5, 1.0)[0])
    assert half.totals[0] < full.totals[0]


def test_a_tacit_failure_is_a_give_to_the_giver_and_a_take_to_its_partner():
    """Second edition: a give that fails to transfer is still a give, played and
    recorded as such; the partner sees a take (private monitoring). axelrod's
    Grudger on the other side never forgives the first failure it sees."""
    result = Match(from_axelrod("Cooperator", tacitness=0.3), from_axelrod("Grudger"), turns=60, seed=4).play()
    assert (result.moves[0] == GIVE).all()
    first_failure = int(np.argmax(result.transfers[0] == 0))
    assert 0 < first_failure < 59 and (result.transfers[0][:first_failure] == 1).all()
    assert (result.moves[1][: first_failure + 1] == GIVE).all()
    assert (result.moves[1][first_failure + 1:] == TAKE).all()
    # The tacit player's own axelrod history records the give it played: axelrod's
    # Alternator plays the opposite of its own last move, so it alternates although
    # no give of it transfers (as a take it would have given again after each).
    always_fails = Match(from_axelrod("Alternator", tacitness=1.0), from_axelrod("Cooperator"), turns=4).play()
    assert always_fails.transcript() == "GG TG GG TG"
    assert always_fails.transfers[0].tolist() == [0, 0, 0, 0]
    # Its partner saw takes only: Tit For Tat answers each failed give with a take.
    seen = Match(from_axelrod("Cooperator", tacitness=1.0), from_axelrod("Tit For Tat"), turns=3).play()
    assert seen.transcript() == "GG GT GT"



# --- docs/axelrod.md says what its examples print ---------------------------------


def test_the_axelrod_page_prints_what_it_says(tmp_path, monkeypatch):
    """Every ``print(...)`` in docs/axelrod.md followed by a ``# ...`` comment
    prints that comment (the blocks run in order in one namespace, as
    tests/test_docs.py runs them)."""
    import re
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    page = (Path(__file__).resolve().parents[1] / "docs" / "axelrod.md").read_text()
    blocks = [code for lang, code in re.findall(r"^```(python|console)\n(.*?)^```", page, re.S | re.M)
              if lang == "python"]
    said, expected = [], []
    namespace = {"__name__": "docs_axelrod", "_said": said,
                 "_show": lambda *values: said.append(" ".join(map(str, values)))}
    for code in blocks:
        lines = code.splitlines()
        for k, line in enumerate(lines[:-1]):
            if line.startswith("print(") and lines[k + 1].startswith("# "):
                lines[k] = "_show(" + line[len("print("):]
                expected.append(lines[k + 1][2:])
        exec(compile("\n".join(lines), "docs/axelrod.md", "exec"), namespace)
    assert len(expected) >= 4
    assert said == expected
