"""The tournament and scenarios commands: outputs, options, atomicity and errors."""

from __future__ import annotations

import csv
import json
from xml.etree import ElementTree

import pytest

from learning_dilemma.io import plots
from learning_dilemma.cli import main
from learning_dilemma.io.progress import ProgressBar
from learning_dilemma.io.scenarios import SCENARIO_DIR, read_raw, shipped_names
from learning_dilemma.io.scenarios import load_scenario

FIGURES = [f"{name}.{fmt}" for name in ("payoff_heatmap", "give_rates", "power_trajectories") for fmt in ("png", "svg")]


def test_default_tournament_and_scenarios(capsys):
    assert main(["tournament", "--repetitions", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("larsson:") and "Collaboration" in out and "mutual giving" in out
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in ("larsson", "kite", "delta", "itcom_insys", "itcom_bencons", "race_to_learn", "axelrod_classic"):
        assert name in out


def test_out_writes_tidy_files_that_agree_with_the_results(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["tournament", "delta", "--repetitions", "3", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(["pairings.csv", "results.json", "summary.csv"] + FIGURES)
    results = load_scenario("delta", ["repetitions=3"]).tournament().play()
    summary = list(csv.DictReader((out / "summary.csv").open()))
    assert [row["player"] for row in summary] == results.ranked_names
    assert float(summary[0]["median_score"]) == pytest.approx(results.summary()[0]["median_score"])
    pairings = list(csv.DictReader((out / "pairings.csv").open()))
    assert len(pairings) == len(results.pairings())
    document = json.loads((out / "results.json").read_text())
    assert document["scenario"]["name"] == "delta" and document["metadata"]["seed"] == 2026
    assert document["learning_dilemma_version"] and document["scenario"]["definition"]["players"]
    assert (out / "give_rates.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ElementTree.parse(out / "payoff_heatmap.svg")
    pandas = pytest.importorskip("pandas")
    assert len(pandas.read_csv(out / "pairings.csv")) == len(pairings)


def test_formats_and_no_plots(tmp_path, capsys):
    assert main(["tournament", "kite", "--repetitions", "2", "--format", "csv", "--quiet"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == 12 and rows[0]["rank"] == "1"
    assert main(["tournament", "kite", "--repetitions", "2", "--format", "json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["scenario"]["name"] == "kite"
    assert main(["tournament", "kite", "--repetitions", "2", "--out", str(tmp_path / "o"), "--no-plots"]) == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["pairings.csv", "results.json", "summary.csv"]


def test_same_seed_same_output_across_runs_and_processes(capsys):
    outputs = []
    for processes in ("1", "1", "2"):
        assert main(["tournament", "race_to_learn", "--repetitions", "3", "--processes", processes,
                     "--format", "csv", "--quiet"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert main(["tournament", "race_to_learn", "--repetitions", "3", "--seed", "9", "--format", "csv",
                 "--quiet"]) == 0
    assert capsys.readouterr().out != outputs[0]


def test_set_overrides_reach_the_run(capsys):
    assert main(["tournament", "itcom_bencons", "--set", "game.power.strength=0.0", "--repetitions", "2",
                 "--format", "json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["metadata"]["game"]["power"]["strength"] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "name = [",
        "colour = 1\n[[players]]\nstrategy='Peer'\n[[players]]\nstrategy='Peer'",
        "[[players]]\nstrategy='Nobody'\n[[players]]\nstrategy='Peer'",
        "continuation = 1.5\n[[players]]\nstrategy='Peer'\n[[players]]\nstrategy='Peer'",
        "repetitions = -1\n[[players]]\nstrategy='Peer'\n[[players]]\nstrategy='Peer'",
    ],
)
def test_bad_scenarios_exit_2_with_one_line_and_no_output(tmp_path, text, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    out = tmp_path / "out"
    assert main(["tournament", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    def broken(results, directory):
        (directory / "half.png").write_bytes(b"\x89PNG")
        raise OSError("disk full")

    monkeypatch.setattr(plots, "write_tournament_plots", broken)
    out = tmp_path / "out"
    assert main(["tournament", "delta", "--repetitions", "2", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == f"learning-dilemma tournament: error: {out}: disk full\n"
    assert list(tmp_path.iterdir()) == []


def test_bad_set_is_one_line(capsys):
    assert main(["tournament", "delta", "--set", "nonsense"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_csv_output_is_tidy_with_the_run_recorded(capsys):
    from learning_dilemma import __version__

    assert main(["tournament", "delta", "--repetitions", "2", "--seed", "7", "--format", "csv", "--quiet"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert {(r["scenario"], r["seed"], r["version"]) for r in rows} == {("delta", "7", __version__)}


def test_turns_and_continuation_options(capsys):
    assert main(["tournament", "delta", "--repetitions", "1", "--turns", "7", "--format", "json", "--quiet"]) == 0
    metadata = json.loads(capsys.readouterr().out)["metadata"]
    assert metadata["turns"] == 7 and metadata["continuation"] is None
    assert main(["tournament", "axelrod_classic", "--repetitions", "1", "--continuation", "0.5", "--format", "json",
                 "--quiet"]) == 0
    metadata = json.loads(capsys.readouterr().out)["metadata"]
    assert metadata["continuation"] == 0.5 and metadata["turns"] is None


def test_table_names_the_run(capsys):
    assert main(["tournament", "kite", "--repetitions", "2", "--seed", "3", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "12 players, continuation 0.85, 2 repetitions, seed 3"
    assert lines[2] == "overlap 0.9; knowledge stakes 4 levels at pace 0.3; power strength 0.6; ties 3 levels"
    assert lines[4].split() == ["rank", "player", "median", "payoff", "give", "rate", "wins"]
    second = lines.index("", 5) + 1
    assert lines[second].split() == ["player", "learning", "exits", "alliance", "open", "stakes", "left", "power", "gap"]


def test_table_shows_learning_exits_duration_and_stakes_left(capsys):
    """The table's second part, row by row, is the results' learning, exits,
    share of rounds open, stakes left and power gap, in rank order."""
    results = load_scenario("race_to_learn", ["repetitions=2"]).tournament().play()
    assert results.exit_rate > 0 and results.race_over_rate > 0  # this scenario has both endings
    assert main(["tournament", "race_to_learn", "--repetitions", "2", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("player ")) + 2
    shown = {}
    for line in lines[start:start + results.n_players]:
        name, numbers = line[:line.index("  ")], line.split()[-5:]
        shown[name] = [float(x) for x in numbers]
    for row in results.summary():
        expected = [row["learning"], row["exits"], row["open_share"], row["stakes_left"], row["power_gap"]]
        assert shown[row["player"]] == pytest.approx(expected, abs=5e-4)
    text = " ".join(lines)  # the foot is wrapped
    assert f"{results.exit_rate:.1%} of matches ended by an exit" in text
    assert f"{results.race_over_rate:.1%} by the end of the race" in text
    assert f"open in {results.open_rate:.1%} of all rounds" in text


def test_table_leaves_out_stakes_without_stakes(capsys):
    assert main(["tournament", "axelrod_classic", "--repetitions", "1", "--turns", "5", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "overlap 1; no knowledge stakes; no ties"
    header = next(line for line in lines if line.startswith("player "))
    assert header.split() == ["player", "learning", "exits", "alliance", "open", "power", "gap"]


@pytest.mark.parametrize("options", [["--processes", "-1"], ["--repetitions", "0"], ["--continuation", "1.5"],
                                     ["--turns", "0"], ["--seed", "-1"], ["--set", "game.power.strength=2"]])
def test_bad_options_exit_2_with_one_line(tmp_path, options, capsys):
    assert main(["tournament", "delta", "--out", str(tmp_path / "out"), *options]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("learning-dilemma tournament: error:")
    assert list(tmp_path.iterdir()) == []


def test_out_into_an_existing_file_is_refused(tmp_path, capsys):
    (tmp_path / "taken").write_text("mine")
    assert main(["tournament", "delta", "--repetitions", "1", "--out", str(tmp_path / "taken"), "--quiet"]) == 2
    assert "not a directory" in capsys.readouterr().err and (tmp_path / "taken").read_text() == "mine"


def test_the_default_run_loads_no_heavy_library():
    import subprocess
    import sys

    code = ("import sys; from learning_dilemma.cli import main; main(['tournament', '--repetitions', '1', '--quiet']);"
            "print(sorted(m for m in ('axelrod', 'matplotlib', 'pandas', 'dask') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines()[-1] == "[]"


def test_the_progress_bar_reaches_stderr_only_when_forced_and_slow(capsys, monkeypatch):
    from learning_dilemma.io import progress

    monkeypatch.setattr(progress.ProgressBar, "__init__", _instant_bar_init)
    assert main(["tournament", "delta", "--repetitions", "2", "--format", "csv"]) == 0
    assert "delta [" in capsys.readouterr().err
    assert main(["tournament", "delta", "--repetitions", "2", "--format", "csv", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


_original_init = ProgressBar.__init__


def _instant_bar_init(self, label, delay=1.0, stream=None, force=False):
    _original_init(self, label, delay=0, stream=stream, force=True)


def test_scenarios_lists_all_seven_with_their_descriptions(capsys):
    assert main(["scenarios"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = shipped_names()
    assert len(names) == 7
    for name in names:
        description = read_raw(SCENARIO_DIR / f"{name}.toml")["description"]
        assert any(line.split()[0] == name and line.rstrip().endswith(description) for line in lines if line.strip())


def test_no_argument_runs_larsson(capsys):
    assert main(["tournament", "--repetitions", "2", "--format", "csv", "--quiet"]) == 0
    default = capsys.readouterr().out
    assert main(["tournament", "larsson", "--repetitions", "2", "--format", "csv", "--quiet"]) == 0
    assert capsys.readouterr().out == default and "larsson" in default


BAD_FILES = {
    "syntax": ("seed = 1\nname = [\n", "line 3 (end of file): invalid TOML: Invalid value"),
    "syntax mid-file": ("seed = 1\nname 'x'\n{players}", "line 2: invalid TOML: Expected '='"),
    "not UTF-8": ("seed = 1\nname = '\udcff'\n", "not a UTF-8 text file"),
    "unknown top-level key": ("colour = 1\n{players}", "colour: unknown key"),
    "unknown game key": ("[game]\nfun = 1\n{players}", "game.fun: unknown key"),
    "unknown power key": ("[game.power]\nspeed = 1\n{players}", "game.power.speed: unknown key"),
    "unknown player key": ("{players}mood = 2\n", "players[1].mood: unknown parameter"),
    "unknown strategy": ("[[players]]\nstrategy='Pier'\n[[players]]\nstrategy='Peer'\n",
                         "players[0].strategy: unknown strategy 'Pier'; did you mean 'Peer'?"),
    "continuation 1.5": ("continuation = 1.5\n{players}", "continuation: must be in [0, 1), got 1.5"),
    "negative repetitions": ("repetitions = -1\n{players}", "repetitions: must be a whole number >= 1, got -1"),
    "turns and continuation": ("turns = 5\ncontinuation = 0.5\n{players}", "turns: give either turns or continuation"),
    "no players": ("seed = 1\n", "players: missing"),
    "one player": ("[[players]]\nstrategy='Peer'\n", "players: a tournament needs at least two players, got 1"),
    "count 0": ("{players}count = 0\n", "players[1].count: expected a whole number >= 1, got 0"),
    "bad nested organisation": ("[[players]]\nstrategy='Boundary Spanner'\norganisation={{strategy='Opportunst'}}\n"
                                "[[players]]\nstrategy='Peer'\n", "players[0].organisation.strategy: unknown strategy"),
    "power strength 2": ("[game.power]\nstrength = 2\n{players}", "game.power.strength: must be in [0, 1], got 2"),
    "payoffs not a dilemma": ("[game.payoffs]\nR = 6\nS = 0\nT = 5\nP = 1\n{players}",
                              "game.payoffs: not a prisoner's dilemma"),
    "code as a strategy": ("[[players]]\nstrategy=\"__import__('os')\"\n[[players]]\nstrategy='Peer'\n",
                           "players[0].strategy: unknown strategy"),
}
TWO_PLAYERS = "[[players]]\nstrategy='Peer'\n[[players]]\nstrategy='Opportunist'\n"


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_every_bad_file_is_one_line_exit_2_and_writes_nothing(tmp_path, case, capsys):
    text, expected = BAD_FILES[case]
    path = tmp_path / "bad.toml"
    path.write_bytes(text.format(players=TWO_PLAYERS).encode("utf-8", "surrogateescape"))
    out = tmp_path / "new" / "out"
    assert main(["tournament", str(path), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith(f"learning-dilemma tournament: error: {path}: {expected}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]  # no DIR, no parent, no staging


def test_a_failed_plot_leaves_an_existing_directory_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert main(["tournament", "delta", "--repetitions", "1", "--out", str(out), "--no-plots", "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(results, directory):
        raise RuntimeError("plotting failed")

    monkeypatch.setattr(plots, "write_tournament_plots", broken)
    with pytest.raises(RuntimeError):
        main(["tournament", "delta", "--repetitions", "2", "--seed", "5", "--out", str(out), "--quiet"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    with pytest.raises(RuntimeError):
        main(["tournament", "delta", "--repetitions", "2", "--out", str(tmp_path / "a" / "b" / "c"), "--quiet"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # the parents it made are gone too


def test_quiet_passes_no_progress_callback(monkeypatch, capsys):
    from learning_dilemma.io.scenarios import Scenario

    seen = []
    original = Scenario.tournament

    def spy(self, **changes):
        if "progress" in changes:  # loading also builds a tournament, to validate
            seen.append(changes["progress"])
        return original(self, **changes)

    monkeypatch.setattr(Scenario, "tournament", spy)
    assert main(["tournament", "delta", "--repetitions", "1", "--format", "csv"]) == 0
    assert main(["tournament", "delta", "--repetitions", "1", "--format", "csv", "--quiet"]) == 0
    assert len(seen) == 2 and isinstance(seen[0], ProgressBar) and seen[1] is None


def test_set_changes_the_game_and_the_players(capsys):
    def run(*options):
        assert main(["tournament", "kite", "--repetitions", "2", "--format", "json", "--quiet", *options]) == 0
        return json.loads(capsys.readouterr().out)

    plain = run()
    changed = run("--set", "game.power.strength=0.5", "--set", "players[0].receptivity=0.2")
    assert plain["metadata"]["game"]["power"]["strength"] == 0.6
    assert changed["metadata"]["game"]["power"]["strength"] == 0.5
    assert changed["scenario"]["definition"]["players"][0]["receptivity"] == 0.2
    assert changed["scenario"]["definition"]["players"][1]["receptivity"] == 0.7
    scenario = load_scenario("kite", ["repetitions=2", "game.power.strength=0.5", "players[0].receptivity=0.2"])
    assert [p.receptivity for p in scenario.players[:4]] == [0.2, 0.2, 0.2, 0.7]  # count = 3 copies the entry
    expected = scenario.tournament().play().summary()
    assert [row["mean_payoff"] for row in changed["summary"]] == pytest.approx([r["mean_payoff"] for r in expected])
    assert [row["mean_payoff"] for row in changed["summary"]] != [row["mean_payoff"] for row in plain["summary"]]


def test_turns_replaces_the_files_continuation(capsys):
    assert main(["tournament", "kite", "--repetitions", "1", "--turns", "4", "--format", "json", "--quiet"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["metadata"]["turns"] == 4 and document["metadata"]["continuation"] is None
    assert "continuation" not in document["scenario"]["definition"]
    assert all(row["power_gap"] is not None for row in document["summary"])


@pytest.mark.parametrize("setting", ["nonsense", "=3", "players[99].receptivity=1", "players.x=1",
                                     "players[0][1]=2", "game..power=1", "seed=1.5", "colour=3"])
def test_bad_set_forms_are_one_line_errors(setting, capsys):
    assert main(["tournament", "delta", "--set", setting]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_csv_and_json_on_stdout_agree_with_the_results(capsys):
    results = load_scenario("delta", ["repetitions=2", "seed=11"]).tournament().play()
    assert main(["tournament", "delta", "--repetitions", "2", "--seed", "11", "--format", "csv", "--quiet"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert [r["player"] for r in rows] == results.ranked_names
    for row, expected in zip(rows, results.summary()):
        assert float(row["give_rate"]) == pytest.approx(expected["give_rate"])
        assert float(row["mean_payoff"]) == pytest.approx(expected["mean_payoff"])
    assert main(["tournament", "delta", "--repetitions", "2", "--seed", "11", "--format", "json", "--quiet"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ranking"] == results.ranked_names and document["metadata"]["seed"] == 11
    assert document["mutual_giving_rate"] == pytest.approx(results.mutual_giving_rate)
    assert len(document["pairings"]) == len(results.pairings())
    for name in ("exit_rate", "race_over_rate", "open_rate"):
        assert document[name] == pytest.approx(getattr(results, name)), name
    for row, expected in zip(document["summary"], results.summary()):
        for name in ("learning", "stakes_left", "exits", "race_over", "duration", "open_share"):
            assert row[name] == pytest.approx(expected[name]), name


def test_out_gives_the_same_bytes_twice_and_for_any_number_of_processes(tmp_path, capsys):
    """CSV, JSON, PNG and SVG: the same seed gives the same files, byte for byte (issue 13)."""
    runs = {}
    for name, processes in (("one", "1"), ("again", "1"), ("two", "2")):
        assert main(["tournament", "race_to_learn", "--repetitions", "2", "--processes", processes, "--out",
                     str(tmp_path / name), "--quiet"]) == 0
        runs[name] = {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()}
    assert sorted(runs["one"]) == sorted(["pairings.csv", "results.json", "summary.csv"] + FIGURES)
    assert runs["one"] == runs["again"] == runs["two"]


def test_report_gives_the_same_bytes_twice(tmp_path, capsys):
    for name in ("a.html", "b.html"):
        assert main(["report", "delta", "--repetitions", "1", "--quiet", "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_labels_reach_the_csv_as_text_not_formulas(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text('name = "../../../../elsewhere/x"\nseed = 1\nrepetitions = 1\nturns = 3\n'
                    '[[players]]\nstrategy = "Peer"\nlabel = "=HYPERLINK(1)"\n'
                    '[[players]]\nstrategy = "Opportunist"\nlabel = "@me"\n')
    assert main(["tournament", str(path), "--format", "csv", "--quiet", "--out", str(tmp_path / "out")]) == 0
    printed = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert {r["player"] for r in printed} == {"'=HYPERLINK(1)", "'@me"}
    assert {r["scenario"] for r in printed} == {"../../../../elsewhere/x"}
    written = list(csv.DictReader((tmp_path / "out" / "summary.csv").open()))
    assert {r["player"] for r in written} == {"'=HYPERLINK(1)", "'@me"}
    assert json.loads((tmp_path / "out" / "results.json").read_text())["players"] == ["=HYPERLINK(1)", "@me"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.toml"]
