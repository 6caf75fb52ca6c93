"""User strategies are isolated (issue 13): a failing strategy is named with its
opponent and round, a strategy sees a read-only view of its opponent, and an
axelrod strategy's wrong-typed parameter is refused when it is made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, LearningGame, Match, MatchContext, ParameterError, Player
from learning_dilemma.errors import StrategyError
from learning_dilemma.players.view import OpponentView
from learning_dilemma.strategies import Cooperator, Peer, TitForTat
from learning_dilemma.tournament import Tournament


class Fragile(Player):
    """Divides by zero in round ``fail_in``."""

    name = "Fragile"
    defaults = {"fail_in": 3}

    def strategy(self, opponent):
        if len(self.history) + 1 == self.fail_in:
            return 1 / 0
        return GIVE


class Answer(Player):
    """Answers with whatever it was given."""

    name = "Answer"
    defaults = {"answer": 0.5}

    def strategy(self, opponent):
        return self.parameters["answer"]


class Tamperer(Player):
    """Tries to change its opponent in the way named by ``how``."""

    name = "Tamperer"
    defaults = {"how": "receptivity"}

    def strategy(self, opponent):
        how = self.parameters["how"]
        if how == "receptivity":
            opponent.receptivity = 0.0
        elif how == "append":
            opponent.history.append(TAKE)
        elif how == "parameters":
            opponent.parameters["receptivity"] = 0.0
        elif how == "item":
            opponent.history[0] = TAKE
        return GIVE


class Reader(Player):
    """Reads what a strategy may read of its opponent, and records it."""

    name = "Reader"

    def strategy(self, opponent):
        history = opponent.history
        seen = self.__dict__.setdefault("seen", [])
        seen.append((len(history), list(history), history[-2:], history.count(GIVE), GIVE in history,
                     np.asarray(history).tolist(), opponent.label, opponent.name, dict(opponent.parameters),
                     opponent.receptivity, getattr(opponent, "tolerance", None)))
        return history[-1] if history else GIVE


def test_an_exception_names_the_strategy_its_opponent_and_the_round():
    with pytest.raises(StrategyError) as error:
        Match(Fragile().labelled("Mine"), Peer(), turns=10, seed=1).play()
    assert str(error.value) == "strategy 'Mine' against 'Peer' failed in round 3: ZeroDivisionError: division by zero"
    assert isinstance(error.value, ParameterError)
    assert isinstance(error.value.__cause__, ZeroDivisionError)  # chained for debugging in Python


def test_the_second_player_and_the_repetition_are_named():
    with pytest.raises(StrategyError, match=r"^strategy 'Fragile\(fail_in=2\)' against 'Tit For Tat' "
                                            r"failed in round 2 of repetition 1: ZeroDivisionError"):
        Match(TitForTat(), Fragile(fail_in=2), turns=10, seed=1, repetitions=3).play_batch()


@pytest.mark.parametrize("method", ["begin", "update"])
def test_errors_in_begin_and_update_are_named_too(method):
    class Faulty(Player):
        name = "Faulty"

        def strategy(self, opponent):
            return GIVE

        def begin(self, *args):
            super().begin(*args)
            if method == "begin":
                raise KeyError("missing")

        def update(self, own, partner, power):
            super().update(own, partner, power)
            if method == "update" and len(self.history) == 4:
                raise RuntimeError("line one\nline two")

    with pytest.raises(StrategyError) as error:
        Match(Peer(), Faulty(), turns=10, seed=1).play()
    expected = ("before round 1: KeyError: 'missing'" if method == "begin"
                else "in round 4: RuntimeError: line one line two")
    assert str(error.value) == f"strategy 'Faulty' against 'Peer' failed {expected}"


@pytest.mark.parametrize("answer", [2.0, float("nan"), "G", None, -0.1])
def test_bad_answers_are_refused_naming_the_strategy(answer):
    with pytest.raises(StrategyError) as error:
        Match(Answer(answer=answer), Cooperator(), turns=5, seed=1).play()
    message = str(error.value)
    assert message.startswith(f"strategy {Answer(answer=answer).label!r} against 'Cooperator' failed in round 1: ")
    assert f"it returned {answer!r}: expected a Move, a bool or a give probability in [0, 1]" in message
    assert "\n" not in message


@pytest.mark.parametrize("answer", [GIVE, TAKE, True, np.bool_(False), 0, 1, 0.25, np.float64(0.75)])
def test_good_answers_still_play(answer):
    result = Match(Answer(answer=answer), Cooperator(), turns=5, seed=1).play()
    expected = {GIVE: 1.0, TAKE: 0.0, True: 1.0, False: 0.0, 0: 0.0, 1: 1.0}.get(answer)
    if expected is not None:  # a sure answer is played every round
        assert result.give_rates[0] == expected
    assert result.turns == 5


@pytest.mark.parametrize("how, what", [
    ("receptivity", "setting its 'receptivity'"),
    ("append", "changing its history (history.append)"),
    ("parameters", "setting its parameters['receptivity']"),
    ("item", "changing its history (history[...] = ...)"),
])
def test_tampering_with_the_opponent_is_refused(how, what):
    with pytest.raises(StrategyError) as error:
        Match(Tamperer(how=how).labelled("Cheat"), Peer(), turns=5, seed=1, prior_rounds=1).play()
    assert str(error.value) == (f"strategy 'Cheat' against 'Peer' failed in round 1: it may not change its "
                                f"opponent: {what} is refused (the opponent is read-only)")


def test_the_view_refuses_by_itself_naming_the_offender_and_leaves_the_opponent_alone():
    peer, cheat = Peer(tolerance=2), Tamperer().labelled("Cheat")
    peer.begin(MatchContext(LearningGame(), 0.9), np.random.default_rng(0), 0, 2)
    view = OpponentView(peer, cheat)
    refusals = [
        lambda: setattr(view, "receptivity", 0.0),
        lambda: delattr(view, "history"),
        lambda: view.history.append(TAKE),
        lambda: view.history.extend([TAKE]),
        lambda: view.history.pop(),
        lambda: view.history.__setitem__(0, TAKE),
        lambda: view.history.__delitem__(0),
        lambda: view.parameters.__setitem__("tolerance", 9),
        lambda: view.parameters.update(tolerance=9),
    ]
    for refuse in refusals:
        with pytest.raises(StrategyError, match=r"^strategy 'Cheat' may not change its opponent 'Peer\(tolerance=2\)'"):
            refuse()
    with pytest.raises(StrategyError):
        history = view.history
        history += [TAKE]
    assert peer.history == [GIVE, GIVE] and peer.parameters["tolerance"] == 2 and peer.receptivity == 1.0
    for hidden in ("rng", "update", "begin", "reset", "labelled", "_table", "__dict__"):
        with pytest.raises(AttributeError, match=f"'Cheat' may not read '{hidden}' of its opponent"):
            getattr(view, hidden)
    assert not hasattr(view, "rng")


def test_the_view_still_serves_legitimate_reads():
    peer = Peer(tolerance=2, receptivity=0.5)
    result = Match(Reader(), peer, turns=6, seed=3, prior_rounds=1).play()
    reader = Reader()
    played = result.moves[1]
    # Reader is tit for tat written on the view: it echoes the partner's last move.
    assert result.moves[0][0] == GIVE and list(result.moves[0][1:]) == list(played[:-1])
    # What it saw, in round 3: one prior give and the peer's first two moves.
    match = Match(reader, peer, turns=3, seed=3, prior_rounds=1)
    from learning_dilemma.engine.stepwise import play_generic
    from learning_dilemma.players.player import fresh
    from learning_dilemma.seeding import player_generators, repetition_sequence

    lengths, draws = match.draws()
    players = (fresh(reader), fresh(peer))
    play_generic(players, match.context, draws[0], player_generators(repetition_sequence(match.entropy, (), 0)), 1)
    count, history, last_two, gives, gave, array, label, name, parameters, receptivity, tolerance = \
        players[0].seen[2]
    assert count == 3 and history == players[1].history[:3] and last_two == history[-2:]
    assert gives == history.count(GIVE) and gave == (GIVE in history) and array == [int(m) for m in history]
    assert (label, name, receptivity, tolerance) == ("Peer(receptivity=0.5, tolerance=2)", "Peer", 0.5, 2)
    assert parameters == peer.parameters


def test_a_history_view_reads_like_the_list():
    """The opponent's history is what the viewer observed of it (second edition: a tacit
    give that failed to transfer is seen as a take), read-only and live."""
    peer, reader = Peer(), Reader()
    peer.history = [GIVE, GIVE, GIVE]  # as played: its second give failed to transfer
    reader.observed = [GIVE, TAKE, GIVE]  # as the reader saw it
    history = OpponentView(peer, reader).history
    assert history == [GIVE, TAKE, GIVE] and history == (GIVE, TAKE, GIVE) and history != [GIVE]
    assert history[-1] == GIVE and history[1:] == [TAKE, GIVE] and list(reversed(history)) == [GIVE, TAKE, GIVE]
    assert len(history) == 3 and history.index(TAKE) == 1 and history.copy() == [GIVE, TAKE, GIVE]
    assert history + [TAKE] == [GIVE, TAKE, GIVE, TAKE] and bool(history)
    reader.observed.append(TAKE)  # the view follows the live observations without copying them
    assert len(history) == 4


def test_failures_reach_tournaments_with_their_message():
    players = [Fragile(fail_in=2), TitForTat(), Cooperator()]
    with pytest.raises(StrategyError, match=r"^strategy 'Fragile\(fail_in=2\)' against '(Tit For Tat|Cooperator)' "
                                            r"failed in round 2 of repetition 1: ZeroDivisionError"):
        Tournament(players, turns=5, repetitions=2, seed=1, processes=1).play()


def test_failures_in_worker_processes_keep_their_message():
    players = [Fragile(fail_in=2), TitForTat(), Cooperator()]
    with pytest.raises(StrategyError, match=r"^strategy 'Fragile\(fail_in=2\)' against '(Tit For Tat|Cooperator)' "
                                            r"failed in round 2: ZeroDivisionError: division by zero$"):
        Tournament(players, turns=5, repetitions=1, seed=1, processes=2).play()


# --- axelrod strategies (imported in the tests: worker processes import this module) ------


def test_axelrod_strategies_that_read_their_opponent_still_play():
    from learning_dilemma.axelrod import from_axelrod

    for name in ("Tit For Tat", "Go By Majority", "Grudger", "Tit For 2 Tats", "First by Joss"):
        Match(from_axelrod(name), Reader(), turns=20, seed=1).play()
        Match(from_axelrod(name), from_axelrod("Random"), turns=20, seed=1).play()


def test_axelrod_strategies_that_manipulate_stay_refused():
    from learning_dilemma.axelrod import from_axelrod

    axelrod = pytest.importorskip("axelrod")
    for cheat in ("Darwin", axelrod.Darwin, axelrod.Darwin()):
        with pytest.raises(ParameterError, match="inspects or manipulates its opponent"):
            from_axelrod(cheat)


@pytest.mark.parametrize("name, parameters, message", [
    ("GTFT", {"p": "x"}, "axelrod strategy 'GTFT': p must be a number, got 'x'"),
    ("Random", {"p": "high"}, "axelrod strategy 'Random': p must be a number, got 'high'"),
    ("Naive Prober", {"p": "x"}, "axelrod strategy 'Naive Prober': p must be a number, got 'x'"),
    ("First by Davis", {"rounds_to_cooperate": 2.5},
     "axelrod strategy 'First by Davis': rounds_to_cooperate must be a whole number, got 2.5"),
])
def test_wrong_typed_axelrod_parameters_are_refused_when_made(name, parameters, message):
    from learning_dilemma.axelrod import from_axelrod

    with pytest.raises(ParameterError) as error:
        from_axelrod(name, **parameters)
    assert str(error.value) == message


def test_wrong_typed_parameters_of_a_ready_made_axelrod_player_are_refused():
    axelrod = pytest.importorskip("axelrod")
    from learning_dilemma.axelrod import from_axelrod

    with pytest.raises(ParameterError, match="axelrod strategy 'Naive Prober': p must be a number, got 'x'"):
        from_axelrod(axelrod.NaiveProber(p="x"))
    assert from_axelrod(axelrod.GTFT(p=0.3)).label == "axelrod:GTFT: 0.3"


def test_parameters_without_a_plain_type_are_tried_in_a_throwaway_match():
    from learning_dilemma.axelrod import from_axelrod

    with pytest.raises(ParameterError, match=r"^axelrod strategy 'Adaptive' cannot play with initial_plays='xyz': "
                                             r"IndexError: .*\(in a trial match\)$"):
        from_axelrod("Adaptive", initial_plays="xyz")
    assert from_axelrod("Win-Shift Lose-Stay", initial="C").label == "axelrod:Win-Shift Lose-Stay: C"


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("learning-dilemma")
    return [str(script)] if script.exists() else [sys.executable, "-m", "learning_dilemma"]


def test_the_cli_prints_one_line_and_exits_2_for_a_wrong_typed_axelrod_parameter(tmp_path):
    path = tmp_path / "file.toml"
    path.write_text('turns = 5\nseed = 1\n[[players]]\nstrategy = "axelrod:Random"\np = "high"\n'
                    '[[players]]\nstrategy = "Peer"\n')
    run = subprocess.run([*_cli(), "tournament", str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == (f"learning-dilemma tournament: error: {path}: players[0].p: must be a number, "
                          "got 'high' (axelrod strategy 'Random')\n")
