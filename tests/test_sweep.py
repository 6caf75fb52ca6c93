"""Sweep grids, the resume journal and the point runners (local and Dask)."""

from __future__ import annotations

import csv
import json
from xml.etree import ElementTree

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.experiments.sweep import Axis, Journal, connect, fingerprint, grid, parse_axis, run_points


def square(point):
    """A picklable evaluation: fails on purpose at x = 3."""
    if point["x"] == 3:
        raise ValueError("three is not allowed")
    return {"value": point["x"] ** 2 + point.get("y", 0)}


def test_parse_range_is_inclusive_and_even():
    axis = parse_axis("continuation=0.5:0.99:50")
    assert axis.key == "continuation"
    assert len(axis) == 50
    assert axis.values[0] == 0.5 and axis.values[-1] == pytest.approx(0.99)
    assert np.allclose(np.diff(axis.values), 0.01)


def test_parse_list_keeps_integers():
    assert parse_axis("game.power.levels=1,2,5").values == (1, 2, 5)


@pytest.mark.parametrize(
    "spec, words",
    [
        ("continuation", "expected KEY=START:STOP:COUNT"),
        ("=0:1:3", "expected KEY"),
        ("continuation=0:1", "START:STOP:COUNT"),
        ("continuation=0:1:x", "not a number"),
        ("continuation=0:1:2.5", "whole number"),
        ("continuation=0:1:0", "whole number"),
        ("continuation=a,b", "not a number"),
        ("continuation=0.1,0.1", "repeat"),
        ("continuation=0:1:1", "START == STOP"),
        ("continuation=nan,1", "not finite"),
    ],
)
def test_bad_specs_are_one_line_errors(spec, words):
    with pytest.raises(ParameterError) as error:
        parse_axis(spec)
    message = str(error.value)
    assert words in message and "\n" not in message and spec in message


def test_grid_is_the_product_first_axis_slowest():
    points = grid([Axis("x", (1, 2)), Axis("y", (10, 20, 30))])
    assert points == [
        {"x": 1, "y": 10}, {"x": 1, "y": 20}, {"x": 1, "y": 30},
        {"x": 2, "y": 10}, {"x": 2, "y": 20}, {"x": 2, "y": 30},
    ]


def test_grid_rejects_zero_three_or_repeated_axes():
    with pytest.raises(ParameterError):
        grid([])
    with pytest.raises(ParameterError):
        grid([Axis("a", (1,)), Axis("b", (1,)), Axis("c", (1,))])
    with pytest.raises(ParameterError, match="same key"):
        grid([Axis("a", (1,)), Axis("a", (2,))])


def test_failed_points_are_reported_not_dropped():
    points = grid([Axis("x", (1, 2, 3, 4))])
    records = run_points(square, points)
    assert [r["status"] for r in records] == ["ok", "ok", "failed", "ok"]
    assert records[2]["error"] == "ValueError: three is not allowed"
    assert [r.get("value") for r in records] == [1, 4, None, 16]


def test_processes_give_the_same_records_in_grid_order():
    points = grid([Axis("x", (1, 2, 3, 4, 5))])
    assert run_points(square, points, processes=2) == run_points(square, points)


def test_journal_resumes_only_finished_points(tmp_path):
    points = grid([Axis("x", (1, 2, 3, 4))])
    journal = Journal(tmp_path / "journal.jsonl", fingerprint("demo", 1))
    done = journal.start(resume=False)
    assert done == {}
    for record in run_points(square, points[:2]):
        journal.record(record)
    with journal.path.open("a") as handle:
        handle.write('{"index": 3, "sta')  # a write torn by an interruption
    resumed = Journal(journal.path, journal.sweep_id).start(resume=True)
    assert sorted(resumed) == [0, 1]
    calls = []
    records = run_points(square, points, done=resumed, on_result=calls.append)
    assert [c["index"] for c in calls] == [2, 3]  # only the missing points ran
    assert [r["status"] for r in records] == ["ok", "ok", "failed", "ok"]


def test_journal_of_another_sweep_is_refused(tmp_path):
    path = tmp_path / "journal.jsonl"
    path.write_text(json.dumps({"sweep": "someone-else"}) + "\n")
    with pytest.raises(ParameterError, match="different sweep"):
        Journal(path, "mine").start(resume=True)


def test_unreachable_scheduler_is_a_one_line_error():
    with pytest.raises(ParameterError) as error:
        connect("tcp://127.0.0.1:9", timeout=2)
    assert "cannot reach the Dask scheduler" in str(error.value)
    assert "\n" not in str(error.value)


def test_points_run_on_a_real_local_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        points = grid([Axis("x", (1, 2, 3)), Axis("y", (0, 1))])
        records = run_points(square, points, scheduler=cluster.scheduler_address)
    assert records == run_points(square, points)


# --- the sweep and evolve commands -------------------------------------------------

from learning_dilemma.cli import main  # noqa: E402


def test_sweep_command_writes_csv_and_heatmap_and_marks_the_boundary(tmp_path, capsys):
    out = tmp_path / "sweep"
    argv = ["sweep", "itcom_insys", "--vary", "continuation=0.5:0.95:4", "--vary", "game.power.strength=0:1:2",
            "--out", str(out), "--processes", "1", "--quiet"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "8 points, 8 done, 0 failed" in printed and "giving emerges" in printed
    rows = list(csv.DictReader((out / "sweep.csv").open()))
    assert len(rows) == 8 and {r["method"] for r in rows} == {"exact"}
    assert all(0 <= float(r["evolved_giving"]) <= 1 for r in rows)
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    ElementTree.parse(out / "sweep.svg")
    svg = (out / "sweep.svg").read_text()  # one panel per measure of evolved giving
    assert "replicator dynamics from equal shares" in svg and "rare mutations, finite population" in svg
    # The same sweep again with --resume computes nothing new and writes the same table.
    first = (out / "sweep.csv").read_text()
    assert main(argv + ["--resume"]) == 0
    assert (out / "sweep.csv").read_text() == first


def test_sweep_on_processes_equals_serial(tmp_path):
    base = ["sweep", "delta", "--vary", "continuation=0.6:0.9:3", "--quiet", "--no-plots"]
    assert main(base + ["--out", str(tmp_path / "a"), "--processes", "1"]) == 0
    assert main(base + ["--out", str(tmp_path / "b"), "--processes", "2"]) == 0
    assert (tmp_path / "a" / "sweep.csv").read_text() == (tmp_path / "b" / "sweep.csv").read_text()


@pytest.mark.parametrize("spec", ["continuation", "continuation=0.5:1.5:3", "nosuchkey=1,2", "continuation=a:b:3"])
def test_bad_vary_specs_exit_2_with_one_line(spec, tmp_path, capsys):
    assert main(["sweep", "delta", "--vary", spec, "--out", str(tmp_path / "x"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_unreachable_scheduler_exits_2(tmp_path, capsys):
    argv = ["sweep", "delta", "--vary", "continuation=0.6,0.9", "--scheduler", "tcp://127.0.0.1:9",
            "--out", str(tmp_path / "x"), "--quiet"]
    assert main(argv) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


def test_sweep_runs_on_a_local_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        argv = ["sweep", "delta", "--vary", "continuation=0.6,0.9", "--quiet", "--no-plots"]
        assert main(argv + ["--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address]) == 0
    assert main(argv + ["--out", str(tmp_path / "local"), "--processes", "1"]) == 0
    assert (tmp_path / "dask" / "sweep.csv").read_text() == (tmp_path / "local" / "sweep.csv").read_text()


def test_a_failed_point_is_reported_and_the_rest_written(tmp_path, capsys):
    """A status quo of -5 makes Moran fitness negative: that point fails, the other runs."""
    argv = ["sweep", "itcom_insys", "--vary", "game.status_quo=-5,1", "--out", str(tmp_path / "s"),
            "--quiet", "--no-plots", "--processes", "1"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "failed point (game.status_quo=-5)" in err
    rows = list(csv.DictReader((tmp_path / "s" / "sweep.csv").open()))
    assert [r["status"] for r in rows] == ["failed", "ok"]
    assert "fitness" in rows[0]["error"]


@pytest.mark.parametrize("scenario", ["larsson", "race_to_learn", "kite", "delta", "itcom_insys", "itcom_bencons",
                                      "axelrod_classic"])
def test_evolve_runs_on_every_shipped_scenario(scenario, capsys):
    assert main(["evolve", scenario, "--generations", "200", "--repetitions", "2"]) == 0
    out = capsys.readouterr().out
    assert "share of giving (replicator):" in out and "survivors (replicator):" in out


@pytest.mark.parametrize("scenario", ["larsson", "race_to_learn", "kite", "delta", "itcom_insys", "itcom_bencons",
                                      "axelrod_classic"])
def test_sweep_runs_on_every_shipped_scenario(scenario, tmp_path):
    argv = ["sweep", scenario, "--vary", "continuation=0.6,0.9", "--out", str(tmp_path / scenario),
            "--quiet", "--no-plots", "--processes", "1"]
    assert main(argv) == 0


def test_evolve_plot(tmp_path):
    assert main(["evolve", "itcom_bencons", "--plot", str(tmp_path / "shares.svg"), "--generations", "100"]) == 0
    ElementTree.parse(tmp_path / "shares.svg")


# --- chunks: sharing work between points -------------------------------------------

from learning_dilemma.experiments import sweep as sweep_module  # noqa: E402
from learning_dilemma.experiments.emergence import evaluate_point, evaluate_points  # noqa: E402


def squares(points):
    """``evaluate_many`` for ``square``: fails the whole chunk if any point is 3."""
    return [square(p) for p in points]


def test_chunks_are_contiguous_and_cover_every_point_once():
    todo = [(i, {"x": i}) for i in range(10_001)]
    for workers, expected in ((1, 5), (2, 5), (8, 16), (None, 51)):
        chunks = sweep_module.chunked(todo, workers)
        assert len(chunks) == expected
        assert [item for chunk in chunks for item in chunk] == todo
        sizes = [len(c) for c in chunks]
        assert max(sizes) - min(sizes) <= 1
    assert sweep_module.chunked(todo[:3], 4) == [[todo[0]], [todo[1]], [todo[2]]]
    assert sweep_module.chunked([], 2) == []


def test_a_failing_chunk_falls_back_to_single_points_so_only_the_bad_point_fails():
    points = grid([Axis("x", (1, 2, 3, 4, 5, 6))])
    batches = []
    chunked = run_points(square, points, evaluate_many=squares, on_results=batches.append)
    assert chunked == run_points(square, points)
    assert [r["status"] for r in chunked] == ["ok", "ok", "failed", "ok", "ok", "ok"]
    assert sorted(r["index"] for batch in batches for r in batch) == list(range(6))
    assert len(batches) == 2  # two chunks for one local worker


def test_journal_records_a_chunk_in_one_write(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl", "id")
    journal.start(resume=False)
    journal.record({"index": 0, "status": "ok"}, {"index": 1, "status": "ok"})
    assert sorted(Journal(journal.path, "id").load()) == [0, 1]


def test_grid_points_evaluated_together_equal_each_point_alone():
    """The shared exact grid gives each point what solving its own scenario gives."""
    points = grid([Axis("continuation", (0.55, 0.8, 0.97)), Axis("game.power.strength", (0.0, 0.4, 1.0))])
    together = evaluate_points("larsson", (), points)
    for point, record in zip(points, together):
        alone = evaluate_point("larsson", (), point)
        assert record["method"] == alone["method"] == "exact"
        assert record["winner"] == alone["winner"] and record["survivors"] == alone["survivors"]
        for key in ("winner_payoff", "give_rate", "evolved_giving", "evolved_giving_small_mutations"):
            assert record[key] == pytest.approx(alone[key], abs=1e-9), (point, key)


def test_grid_points_do_not_depend_on_how_they_are_chunked():
    points = grid([Axis("continuation", (0.55, 0.8, 0.97)), Axis("game.power.strength", (0.0, 0.4, 1.0))])
    whole = evaluate_points("race_to_learn", ("seed=3",), points)
    parts = [evaluate_points("race_to_learn", ("seed=3",), points[a:b]) for a, b in ((0, 2), (2, 7), (7, 9))]
    assert [r for part in parts for r in part] == whole


def test_other_keys_and_simulated_rosters_take_the_point_by_point_path():
    exact = evaluate_points("itcom_insys", (), [{"game.leak": 0.5}, {"game.leak": 1.5}])
    assert [r["method"] for r in exact] == ["exact", "exact"]
    assert exact[0]["give_rate"] != exact[1]["give_rate"]
    simulated = evaluate_points("larsson", ("repetitions=2", "players[0].strategy='axelrod:Random'"),
                                [{"continuation": 0.6}])
    assert simulated[0]["method"] == "simulated"


def test_two_axis_sweep_on_two_processes_is_identical_to_one(tmp_path):
    base = ["sweep", "larsson", "--vary", "continuation=0.6:0.95:4", "--vary", "game.power.strength=0:1:3",
            "--quiet", "--no-plots"]
    assert main(base + ["--out", str(tmp_path / "one"), "--processes", "1"]) == 0
    assert main(base + ["--out", str(tmp_path / "two"), "--processes", "2"]) == 0
    assert (tmp_path / "one" / "sweep.csv").read_text() == (tmp_path / "two" / "sweep.csv").read_text()


def report_threads():
    import os

    return os.environ.get("OPENBLAS_NUM_THREADS"), os.environ.get("OMP_NUM_THREADS")


def test_worker_processes_use_one_blas_thread_and_the_parent_is_untouched(monkeypatch):
    from learning_dilemma.engine.executors import process_pool

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # a user's own setting is kept
    with process_pool(1) as pool:
        assert pool.submit(report_threads).result() == ("1", "3")
    assert report_threads() == (None, "3")


def test_emergence_is_reported_as_runs_and_large_grids_are_sampled():
    axes = [Axis("continuation", (0.1, 0.2, 0.3, 0.4, 0.5)), Axis("s", tuple(range(40)))]
    shares = {0.1: 0.0, 0.2: 0.7, 0.3: 0.6, 0.4: 0.1, 0.5: 0.9}
    records = [{"continuation": w, "s": s, "status": "ok",
                "evolved_giving": shares[w] if s < 20 else (0.9 if s % 2 else 0.0)}
               for w in axes[0].values for s in axes[1].values]
    records[4 * 40 + 3] = {**records[4 * 40 + 3], "status": "failed"}  # (0.5, 3) failed: no giving there
    runs = dict(sweep_module.emergence_intervals(records, axes))
    assert runs[0] == [(0.2, 0.3), (0.5, 0.5)] and runs[3] == [(0.2, 0.3)]
    assert runs[21] == [(0.1, 0.5)] and runs[20] == []
    text = sweep_module.summary(records, axes)
    assert "at s=0 to 2: continuation in [0.2, 0.3], {0.5}" in text
    lines = [line for line in text.splitlines() if line.startswith("  at ")]
    assert len(lines) <= sweep_module.SUMMARY_LINES and "all points are in sweep.csv" in text
    assert lines[-1] == "  at s=39: continuation in [0.1, 0.5]"


def test_points_whose_replicator_run_has_not_settled_are_flagged(tmp_path, capsys):
    """With power off, larsson's populations keep cycling for w around 0.86 to 0.9
    (docs/emergence.md); the sweep says so in its summary, table and CSV."""
    out = tmp_path / "sweep"
    argv = ["sweep", "larsson", "--set", "game.power.strength=0", "--vary", "continuation=0.84,0.88",
            "--out", str(out), "--processes", "1", "--quiet"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "1 point not settled by the end of the replicator run" in printed
    rows = list(csv.DictReader((out / "sweep.csv").open()))
    assert [r["settled"] for r in rows] == ["True", "False"]
    table = [line.split() for line in printed.splitlines() if line.strip().startswith(("0.840", "0.880"))]
    assert [line[-1] for line in table] == ["yes", "no"]
    svg = (out / "sweep.svg").read_text()
    assert "run not settled" in svg  # the legend of the marked point


def test_resume_refuses_a_journal_from_an_edited_scenario_or_another_version(tmp_path, capsys, monkeypatch):
    from learning_dilemma.experiments import sweep as sweep_module
    from learning_dilemma.io.scenarios import load_scenario

    scenario = tmp_path / "mine.toml"
    scenario.write_text(load_scenario("itcom_insys").path.read_text())
    out = tmp_path / "sweep"
    argv = ["sweep", str(scenario), "--vary", "continuation=0.6,0.9", "--out", str(out), "--processes", "1",
            "--quiet", "--no-plots"]
    assert main(argv) == 0
    assert main(argv + ["--resume"]) == 0  # unchanged: resumes
    monkeypatch.setattr(sweep_module, "RECORD_VERSION", sweep_module.RECORD_VERSION + 1)
    capsys.readouterr()
    assert main(argv + ["--resume"]) == 2
    assert "older version of learning-dilemma" in capsys.readouterr().err
    monkeypatch.undo()
    scenario.write_text(scenario.read_text() + "\n# edited\n")  # a comment is enough to make it another file
    assert main(argv + ["--resume"]) == 2
    assert "different sweep" in capsys.readouterr().err

