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
    rows = {line.rsplit(None, 3)[0]: line.split()[-3:] for line in capsys.readouterr().out.splitlines()
            if line.endswith(("0.100", "0.000"))}
    assert rows == {"Contractual Reciprocator": ["9.000", "0.900", "0.100"], "Opportunist": ["14.000", "1.400", "0.000"]}


@pytest.mark.parametrize(
    "argv, words",
    [
        (["match", "Nobody", "Opportunist"], "unknown strategy 'Nobody'"),
        (["match", "Peer", "Peer", "--continuation", "1.5"], "continuation must be in [0, 1), got 1.5"),
        (["match", "Peer", "Peer", "--turns", "0"], "turns must be a whole number >= 1, got 0"),
        (["match", "Peer", "Peer", "--power", "2"], "strength must be in [0, 1], got 2"),
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
