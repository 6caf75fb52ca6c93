"""The command line: help, version, strategies, match, and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from learning_dilemma import __version__
from learning_dilemma.cli import main
from learning_dilemma.strategies import ALL_STRATEGIES

BIN = Path(sys.executable).parent / "learning-dilemma"


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "tournament" in capsys.readouterr().out


def test_strategies_table_lists_every_strategy(capsys):
    assert main(["strategies"]) == 0
    out = capsys.readouterr().out
    for cls in ALL_STRATEGIES:
        assert cls.name in out and cls.source in out
    assert main(["strategies", "--family", "larsson"]) == 0
    out = capsys.readouterr().out
    assert "Collaboration" in out and "Opportunist" not in out


def test_match_prints_rounds_and_totals(capsys):
    assert main(["match", "Contractual Reciprocator", "Opportunist", "--turns", "10"]) == 0
    out = capsys.readouterr().out
    assert "GT TT TT" in out and "9.000" in out and "14.000" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["match", "Nobody", "Opportunist"],
        ["match", "Peer", "Peer", "--continuation", "1.5"],
        ["match", "Peer", "Peer", "--turns", "0"],
        ["match", "Peer", "Peer", "--power", "2"],
        ["strategies", "--family", "nope"],
        ["tournament", "no-such-scenario"],
        ["match", "Peer"],
    ],
)
def test_errors_are_one_line_with_status_2(argv, capsys):
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_installed_command_fails_cleanly():
    result = subprocess.run([str(BIN), "match", "Peer", "Nobody"], capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "did you mean" not in result.stdout


def test_import_is_light():
    code = "import sys, learning_dilemma, learning_dilemma.cli; print(sorted(m for m in ('axelrod', 'matplotlib', 'dask', 'scipy.integrate') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_match_table_rows_carry_each_players_totals(capsys):
    assert main(["match", "Contractual Reciprocator", "Opportunist", "--turns", "10", "--seed", "3"]) == 0
    rows = {line.rsplit(None, 4)[0]: line.split()[-4:] for line in capsys.readouterr().out.splitlines()
            if line.endswith(("0.100", "0.000"))}
    # the reciprocator gives once and learns nothing; the opportunist learns from that one give
    assert rows == {"Contractual Reciprocator": ["9.000", "0.900", "0.100", "0.000"],
                    "Opportunist": ["14.000", "1.400", "0.000", "0.100"]}


def test_match_shows_the_stakes_the_power_and_the_end_of_the_race(capsys):
    """Second edition: with 3 levels of stakes at pace 1 the opportunist learns a
    level each round from the cooperator and none is learned back; after 3 rounds
    its race is over and both earn the status quo P = 1 for the other 7:
    totals 3 T + 7 P = 22 and 3 S + 7 P = 7."""
    assert main(["match", "Opportunist", "Cooperator", "--turns", "10", "--stakes", "3", "--power", "1"]) == 0
    out = capsys.readouterr().out
    assert "TG TG TG XX XX XX XX XX XX XX" in out
    assert "knowledge stakes 3 levels at pace 1; power strength 1" in out
    assert "stakes (levels still to learn, of 3): Opportunist 3 -> 0, Cooperator 3 -> 3" in out
    assert "power of Opportunist (its partner's stakes minus its own): 0 -> 3, range 0..3" in out
    assert "alliance: the race was over after round 3: Opportunist had learned all it came for (open 3 of 10 rounds)" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith(("Opportunist ", "Cooperator "))}
    assert rows == {"Opportunist": ["22.000", "2.200", "0.000", "0.300"], "Cooperator": ["7.000", "0.700", "0.300", "0.000"]}


def test_match_says_who_left():
    from learning_dilemma.cli.match_cmd import report
    from learning_dilemma.games import Knowledge
    from learning_dilemma.match import Match
    from learning_dilemma import LearningGame
    from learning_dilemma.strategies import Cooperator, RaceToLearn

    # Probing with certainty, Race To Learn takes, learns a level (r = 1, pace 1), is
    # one level ahead (its target) and leaves in round 2.
    match = Match(RaceToLearn(probe=1.0), Cooperator(), game=LearningGame(knowledge=Knowledge(levels=4)), turns=6,
                  seed=1)
    text = report(match.play(), match)
    assert "TG XX XX XX XX XX" in text
    assert "alliance: Race To Learn(probe=1) left in round 2 (open 1 of 6 rounds)" in text
    assert "strength 0: the value created is split half and half" in text


def test_match_power_without_stakes_says_it_has_nothing_to_act_on(capsys):
    assert main(["match", "Peer", "Opportunist", "--power", "0.5", "--turns", "5"]) == 0
    out = capsys.readouterr().out
    assert "no knowledge stakes, so power strength 0.5 has nothing to act on" in out
    assert "alliance: open throughout (5 rounds)" in out and "stakes (" not in out


def test_match_options_set_the_game_and_the_players(capsys):
    """--overlap 0 is the pre-competitive game (R, S, T, P = 3, 1, 2, 1): giving to a
    taker costs nothing (S = P = 1) and the taker earns P + (b - c) = 2 from what
    it learns. --receptivity sets each player's."""
    assert main(["match", "Cooperator", "Opportunist", "--turns", "4", "--overlap", "0"]) == 0
    rows = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()
            if line.startswith(("Cooperator ", "Opportunist "))}
    assert rows["Cooperator"][:2] == ["4.000", "1.000"] and rows["Opportunist"][:2] == ["8.000", "2.000"]
    assert main(["match", "Cooperator", "Cooperator", "--turns", "4", "--receptivity", "0.9", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "Cooperator(receptivity=0.9) vs Cooperator(receptivity=0.1)" in out


def test_match_power_help_says_power_needs_stakes(capsys):
    with pytest.raises(SystemExit):
        main(["match", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Power comes from the knowledge stakes: without --stakes it has nothing to act on" in help_text
    for option in ("--stakes M", "--pace P", "--overlap G", "--ties H", "--receptivity RA RB"):
        assert option in help_text


@pytest.mark.parametrize(
    "argv, words",
    [
        (["match", "Nobody", "Opportunist"], "unknown strategy 'Nobody'"),
        (["match", "Peer", "Peer", "--continuation", "1.5"], "continuation must be in [0, 1), got 1.5"),
        (["match", "Peer", "Peer", "--turns", "0"], "turns must be a whole number >= 1, got 0"),
        (["match", "Peer", "Peer", "--power", "2"], "strength must be in [0, 1], got 2"),
        (["match", "Peer", "Peer", "--stakes", "-1"], "game.knowledge.levels must be a whole number >= 0, got -1"),
        (["match", "Peer", "Peer", "--stakes", "2", "--pace", "0"], "game.knowledge.pace"),
        (["match", "Peer", "Peer", "--overlap", "1.5"], "game.overlap"),
        (["match", "Peer", "Peer", "--receptivity", "0.5", "2"], "receptivity"),
        (["strategies", "--family", "nope"], "unknown family 'nope'; expected one of organisational"),
    ],
)
def test_error_lines_say_what_was_wrong(argv, words, capsys):
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_the_installed_command_prints_help_and_plays_a_match():
    help_ = subprocess.run([str(BIN), "--help"], capture_output=True, text=True)
    assert help_.returncode == 0 and "strategies" in help_.stdout and "match" in help_.stdout
    played = subprocess.run([str(BIN), "match", "Contractual Reciprocator", "Opportunist", "--turns", "10"],
                            capture_output=True, text=True)
    assert played.returncode == 0 and played.stderr == ""
    assert "GT TT TT TT TT TT TT TT TT TT" in played.stdout
    assert " 9.000 " in played.stdout and " 14.000 " in played.stdout


@pytest.mark.parametrize("argv", [["strategies", "--bogus"], ["match", "Peer", "Peer", "extra"],
                                  ["strategies", "--x\nTraceback (most recent call last):"],
                                  ["tournament", "--format", "xml"], ["nonsense"]])
def test_usage_errors_are_one_line_naming_the_command(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1
    command = argv[0] if argv[0] != "nonsense" else None
    assert err.startswith(f"learning-dilemma {command}: error:" if command else "learning-dilemma: error:")


def test_match_pace_without_stakes_is_refused_in_one_line(capsys):
    assert main(["match", "Cooperator", "Defector", "--pace", "0.5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--pace" in err and "--stakes" in err
    assert main(["match", "Cooperator", "Defector", "--pace", "0.5", "--stakes", "2", "--turns", "5"]) == 0
