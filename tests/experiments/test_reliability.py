"""Issue 13: one run owns an output folder, fingerprinted journal records, bounded waits on a
cluster, bisection of failing chunks, and consistent flags."""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import time

import pytest

from learning_dilemma import limits
from learning_dilemma.cli import main
from learning_dilemma.errors import ParameterError
from learning_dilemma.experiments import execution
from learning_dilemma.experiments.axes import Axis, grid, parse_axis
from learning_dilemma.experiments.journal import Journal
from learning_dilemma.experiments.lock import LOCK_NAME, FolderLock
from learning_dilemma.experiments.sweep import Sweep
from learning_dilemma.io.scenarios import load_scenario

from . import helpers

ARGV = ["sweep", "delta", "--vary", "continuation=0.6,0.9", "--processes", "1", "--quiet", "--no-plots"]


def write_lock(folder, pid, host=None, started_at=None):
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK_NAME
    lock.write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(), "started": "then",
                                "started_at": time.time() if started_at is None else started_at}))
    return lock


def dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()  # reaped: the pid is gone
    return process.pid


# --- 1. one run owns an output folder ---------------------------------------------------

def test_a_folder_a_live_run_holds_is_refused_and_left_alone(tmp_path, capsys):
    out = tmp_path / "out"
    lock = write_lock(out, os.getpid())  # this very process: alive
    before = lock.read_text()
    assert main(ARGV + ["--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "another run is using this folder" in err and f"pid {os.getpid()}" in err
    assert lock.read_text() == before and not (out / "journal.jsonl").exists()


def test_a_real_running_process_holds_the_folder(tmp_path, capsys):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        out = tmp_path / "out"
        write_lock(out, holder.pid)
        assert main(ARGV + ["--out", str(out)]) == 2
        assert "another run is using this folder" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert main(ARGV + ["--out", str(out)]) == 0  # its process is gone: the lock is stale


def test_a_stale_lock_of_a_dead_process_is_taken_over_and_released(tmp_path):
    out = tmp_path / "out"
    write_lock(out, dead_pid())
    assert main(ARGV + ["--out", str(out)]) == 0
    assert (out / "sweep.csv").exists() and not (out / LOCK_NAME).exists()
    leftovers = [p.name for p in out.iterdir() if p.name not in ("sweep.csv", "journal.jsonl")]
    assert leftovers == []


def test_a_reused_pid_is_a_stale_lock(tmp_path):
    """The lock's process id is running, but that process started after the lock was taken."""
    out = tmp_path / "out"
    write_lock(out, os.getpid(), started_at=1.0)  # taken in 1970: this process is younger
    with FolderLock(out):
        pass


def test_a_lock_of_another_host_or_unreadable_is_never_guessed_about(tmp_path):
    out = tmp_path / "out"
    write_lock(out, dead_pid(), host="elsewhere.example")
    with pytest.raises(ParameterError, match="if that run is over, remove") as error:
        FolderLock(out).__enter__()
    assert "\n" not in str(error.value)
    (out / LOCK_NAME).write_text("garbage")
    with pytest.raises(ParameterError, match="cannot be read"):
        FolderLock(out).__enter__()


def test_the_lock_is_released_on_success_error_and_interrupt(tmp_path):
    sweep = Sweep(load_scenario("delta"), ["continuation=0.6,0.9"])
    out = tmp_path / "out"
    sweep.run(out)
    assert not (out / LOCK_NAME).exists()

    def interrupt(records):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep.run(out, on_results=interrupt)
    assert not (out / LOCK_NAME).exists()
    other = Sweep(load_scenario("delta"), ["continuation=0.6,0.8"])
    with pytest.raises(ParameterError, match="different sweep"):
        other.run(out, resume=True)
    assert not (out / LOCK_NAME).exists()
    with sweep.lock(out):  # re-entrant in one thread: a command holds the folder around run and write
        assert (out / LOCK_NAME).exists()
        sweep.run(out, resume=True).write(out, plots=False)
        assert (out / LOCK_NAME).exists()
    assert not (out / LOCK_NAME).exists()


def test_a_refused_run_does_not_leave_a_folder_it_created(tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "DASK_CONNECT_TIMEOUT", 1.0)
    sweep = Sweep(load_scenario("delta"), ["continuation=0.6,0.9"])
    with pytest.raises(ParameterError):
        sweep.run(tmp_path / "new", scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "new").exists()


# --- 2. fingerprinted journal records ---------------------------------------------------

def journal_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_record_carries_the_fingerprint_and_a_foreign_record_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(ARGV + ["--out", str(out)]) == 0
    journal = out / "journal.jsonl"
    header, *records = journal_lines(journal)
    assert records and all(r["sweep"] == header["sweep"] for r in records)
    # another sweep's record in the middle, as two runs writing one journal made it
    foreign = dict(records[0], sweep="0123456789abcdef")
    journal.write_text("\n".join(json.dumps(r) for r in [header, records[0], foreign, *records[1:]]) + "\n")
    damaged = journal.read_text()
    capsys.readouterr()
    assert main(ARGV + ["--out", str(out), "--resume"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 3 is a record of another sweep" in err
    assert journal.read_text() == damaged  # nothing merged, nothing changed


@pytest.mark.parametrize("garbage, line", [("not json at all", 2), ('{"index": "x"}', 2), ("[1, 2]", 2)])
def test_a_damaged_line_is_a_one_line_error_naming_it(garbage, line, tmp_path):
    journal = Journal(tmp_path / "journal.jsonl", "id")
    journal.start(resume=False)
    journal.record({"index": 0, "status": "ok"})
    text = journal.path.read_text().splitlines()
    journal.path.write_text("\n".join([text[0], garbage, text[1]]) + "\n")
    with pytest.raises(ParameterError) as error:
        Journal(journal.path, "id").start(resume=True)
    assert f"line {line} is damaged" in str(error.value) and "\n" not in str(error.value)


def test_a_record_off_the_grid_is_refused(tmp_path):
    points = grid([Axis("x", (1, 2))])
    journal = Journal(tmp_path / "journal.jsonl", "id", points)
    journal.start(resume=False)
    journal.record({"index": 5, "x": 1, "status": "ok"})
    with pytest.raises(ParameterError, match="line 2 names point 5"):
        journal.load()
    journal.path.write_text(journal.path.read_text().splitlines()[0] + "\n")
    journal.record({"index": 1, "x": 1, "status": "ok"})  # x is 2 at point 1
    with pytest.raises(ParameterError, match="line 2: point 1 has other values"):
        journal.load()


def test_an_unfinished_last_line_is_dropped_and_cut_off_before_appending(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl", "id")
    journal.start(resume=False)
    journal.record({"index": 0, "status": "ok"})
    with journal.path.open("a") as handle:
        handle.write('{"sweep": "id", "index": 1, "status": "o')  # torn by an interruption
    again = Journal(journal.path, "id")
    assert sorted(again.start(resume=True)) == [0]
    again.record({"index": 1, "status": "ok"})
    assert sorted(Journal(journal.path, "id").load()) == [0, 1]


def test_a_run_without_resume_keeps_the_old_journal_until_it_has_started(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(execution, "DASK_CONNECT_TIMEOUT", 1.0)
    out = tmp_path / "out"
    assert main(ARGV + ["--out", str(out)]) == 0
    journal = out / "journal.jsonl"
    old = journal.read_text()
    # fails before any point finished (the scheduler cannot be reached): the old journal stays
    assert main(ARGV + ["--out", str(out), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert journal.read_text() == old and sorted(p.name for p in out.iterdir()) == ["journal.jsonl", "sweep.csv"]
    assert main(ARGV + ["--out", str(out), "--resume"]) == 0  # and still resumes
    # interrupted after the first points: the new journal has replaced it
    other = ["sweep", "delta", "--vary", "continuation=0.6,0.7", "--processes", "1", "--quiet", "--no-plots"]
    assert main(other + ["--out", str(out)]) == 0
    assert journal.read_text() != old and not (out / "journal.jsonl.new").exists()
    assert main(other + ["--out", str(out), "--resume"]) == 0


# --- 3. bounded waits on a cluster ------------------------------------------------------

def test_a_cluster_without_workers_ends_the_sweep_with_one_line(tmp_path, capsys, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(execution, "DASK_WORKER_TIMEOUT", 1.0)
    out = tmp_path / "out"
    assert main(ARGV + ["--out", str(out)]) == 0
    old = (out / "journal.jsonl").read_text()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        cluster.scale(0)  # every worker closed
        deadline = time.monotonic() + 20
        while cluster.scheduler.workers and time.monotonic() < deadline:
            time.sleep(0.05)
        capsys.readouterr()
        started = time.monotonic()
        assert main(ARGV + ["--out", str(out), "--scheduler", cluster.scheduler_address]) == 2
        assert time.monotonic() - started < 15
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no Dask worker" in err
    assert (out / "journal.jsonl").read_text() == old and not (out / LOCK_NAME).exists()


def test_points_left_when_the_workers_go_are_reported_not_run(monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(execution, "DASK_WORKER_TIMEOUT", 1.0)
    points = grid([Axis("x", tuple(range(10, 22)))])
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        batches = []

        def close_the_workers(batch):
            batches.append(batch)
            if len(batches) == 1:
                cluster.scale(0)

        started = time.monotonic()
        records = execution.run_points(helpers.slow_square, points, scheduler=cluster.scheduler_address,
                                       on_results=close_the_workers)
        assert time.monotonic() - started < 30
    statuses = [r["status"] for r in records]
    assert "ok" in statuses and "failed" in statuses
    failed = [r for r in records if r["status"] == "failed"]
    assert all(r["error"].startswith("not run: no Dask worker left") for r in failed)
    done = {r["index"]: r for r in records if r["status"] == "ok"}
    assert execution.run_points(helpers.square, points, done=done) == execution.run_points(helpers.square, points)


# --- 4. a failing point costs one point, not a chunk ------------------------------------

def test_a_failing_point_is_found_by_bisection_in_logarithmic_evaluations():
    points = grid([Axis("x", tuple(range(4, 2504)) + (3,))])  # 2,501 points, x = 3 fails (the last)
    helpers.CALLS.clear()
    records = execution.run_points(helpers.counted_square, points, evaluate_many=helpers.counted_squares)
    assert [r["index"] for r in records if r["status"] == "failed"] == [2500]
    assert records[2500]["error"] == "ValueError: three is not allowed"
    chunks = len(execution.chunked(list(enumerate(points)), 1))
    bound = chunks + 2 * math.ceil(math.log2(len(points)))
    assert len(helpers.CALLS) <= bound  # not one call per point of the failing chunk
    assert sum(helpers.CALLS) <= 4 * len(points)
    assert [r.get("value") for r in records] == [r.get("value") for r in execution.run_points(helpers.square, points)]


# --- 5. consistent flags ----------------------------------------------------------------

def test_processes_zero_is_every_cpu_and_more_than_the_cpus_is_capped(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert execution.worker_count(0) == (2, None) and execution.worker_count(None) == (2, None)
    count, note = execution.worker_count(8)
    assert count == 2 and "--limit processes=8" in note
    with limits.raised(processes=8):
        assert execution.worker_count(8) == (8, None)
    with pytest.raises(ParameterError, match="processes"):
        execution.worker_count(1000)  # above the limit
    with pytest.raises(ParameterError, match=">= 0"):
        execution.worker_count(-1)


def test_the_sweep_command_takes_processes_zero(tmp_path):
    base = ["sweep", "delta", "--vary", "continuation=0.6,0.9", "--quiet", "--no-plots"]
    assert main(base + ["--out", str(tmp_path / "a"), "--processes", "0"]) == 0
    assert main(base + ["--out", str(tmp_path / "b"), "--processes", "1"]) == 0
    assert (tmp_path / "a" / "sweep.csv").read_bytes() == (tmp_path / "b" / "sweep.csv").read_bytes()


def test_whole_number_keys_get_whole_numbers():
    assert parse_axis("turns=10:100:10").values == tuple(range(10, 101, 10))
    assert all(type(v) is int for v in parse_axis("repetitions=10:100:10").values)
    assert parse_axis("seed=1,2.0").values == (1, 2)
    assert parse_axis("continuation=0.5:0.9:3").values == (0.5, 0.7, 0.9)
    with pytest.raises(ParameterError, match="turns takes whole numbers, got 1.5"):
        parse_axis("turns=1:2:3")


@pytest.mark.parametrize("key", ["game.knowledge.levels", "game.ties.levels"])
def test_a_whole_number_axis_runs(tmp_path, key):
    # delta without its prior rounds: three prior rounds of mutual giving would make every
    # tie of at most three levels full from the start (games.knowledge.initial_tie)
    sweep = Sweep(load_scenario("delta"), [f"{key}=1:3:3"], overrides=["prior_rounds=0"])
    assert [p[key] for p in sweep.points] == [1, 2, 3]
    records = sweep.run().records
    assert all(r["status"] == "ok" for r in records)
    assert len({r["winner_payoff"] for r in records}) == 3  # each point's levels were used


def test_a_removed_key_is_refused_before_the_sweep_with_what_replaced_it(capsys, tmp_path):
    with pytest.raises(ParameterError, match=r"^--vary game.power.levels: .*delta.toml: game.power.levels: removed "
                                             r"in the second edition: .*set game.knowledge.levels"):
        Sweep(load_scenario("delta"), ["game.power.levels=1:3:3"])
    argv = ["sweep", "delta", "--vary", "game.power.rebalance=0,0.5", "--out", str(tmp_path / "x"), "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "game.power.rebalance: removed in the second edition" in err
    assert not (tmp_path / "x").exists()


def test_the_grid_size_is_checked_before_any_value_is_made(capsys, tmp_path):
    with pytest.raises(limits.ResourceLimitError, match="grid points"):
        parse_axis("continuation=0.1:0.9:1e10")  # would need 80 GB
    with pytest.raises(limits.ResourceLimitError, match="grid_points"):
        grid([Axis("a", tuple(range(1001))), Axis("b", tuple(range(1000)))])
    argv = ["sweep", "delta", "--vary", "continuation=0.1:0.9:1e10", "--out", str(tmp_path / "x"), "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--limit grid_points=" in err
