"""The tournament and scenarios commands: outputs, options, atomicity and errors."""

from __future__ import annotations

import csv
import json
from xml.etree import ElementTree

import pytest

from learning_dilemma import plots
from learning_dilemma.cli import main
from learning_dilemma.progress import ProgressBar
from learning_dilemma.scenario import load_scenario

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


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(results, directory):
        (directory / "half.png").write_bytes(b"\x89PNG")
        raise OSError("disk full")

    monkeypatch.setattr(plots, "write_tournament_plots", broken)
    out = tmp_path / "out"
    with pytest.raises(OSError):
        main(["tournament", "delta", "--repetitions", "2", "--out", str(out), "--quiet"])
    assert list(tmp_path.iterdir()) == []


def test_bad_set_is_one_line(capsys):
    assert main(["tournament", "delta", "--set", "nonsense"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_progress_bar_waits_draws_and_clears():
    import io

    stream = io.StringIO()
    quiet = ProgressBar("x", delay=3600, stream=stream, force=True)
    quiet(1, 2)
    assert stream.getvalue() == ""
    bar = ProgressBar("run", delay=0, stream=stream, force=True)
    bar(1, 2)
    assert "run [" in stream.getvalue() and "1/2" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")
    silent = ProgressBar("tty only", delay=0, stream=io.StringIO())
    silent(1, 1)
    assert not silent.drawn  # not a terminal, not forced


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
    out = capsys.readouterr().out
    assert "12 players, continuation 0.85, 2 repetitions, seed 3, power strength 0.6" in out
    assert out.splitlines()[3].split() == ["rank", "player", "median", "payoff", "give", "rate", "wins", "power", "gap"]


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
    from learning_dilemma import progress

    monkeypatch.setattr(progress.ProgressBar, "__init__", _instant_bar_init)
    assert main(["tournament", "delta", "--repetitions", "2", "--format", "csv"]) == 0
    assert "delta [" in capsys.readouterr().err
    assert main(["tournament", "delta", "--repetitions", "2", "--format", "csv", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


_original_init = ProgressBar.__init__


def _instant_bar_init(self, label, delay=1.0, stream=None, force=False):
    _original_init(self, label, delay=0, stream=stream, force=True)
