"""Running points: in process, on local processes, on Dask (learning_dilemma.experiments.execution)."""

from __future__ import annotations

import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.experiments import execution
from learning_dilemma.experiments.axes import Axis, grid
from learning_dilemma.experiments.execution import connect, run_points

from .helpers import report_threads, square, squares


def test_failed_points_are_reported_not_dropped():
    points = grid([Axis("x", (1, 2, 3, 4))])
    records = run_points(square, points)
    assert [r["status"] for r in records] == ["ok", "ok", "failed", "ok"]
    assert records[2]["error"] == "ValueError: three is not allowed"
    assert [r.get("value") for r in records] == [1, 4, None, 16]


def test_processes_give_the_same_records_in_grid_order():
    points = grid([Axis("x", (1, 2, 3, 4, 5))])
    assert run_points(square, points, processes=2) == run_points(square, points)


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


def test_chunks_are_contiguous_and_cover_every_point_once():
    todo = [(i, {"x": i}) for i in range(10_001)]
    for workers, expected in ((1, 5), (2, 5), (8, 16), (None, 51)):
        chunks = execution.chunked(todo, workers)
        assert len(chunks) == expected
        assert [item for chunk in chunks for item in chunk] == todo
        sizes = [len(c) for c in chunks]
        assert max(sizes) - min(sizes) <= 1
    assert execution.chunked(todo[:3], 4) == [[todo[0]], [todo[1]], [todo[2]]]
    assert execution.chunked([], 2) == []


def test_a_failing_chunk_falls_back_to_single_points_so_only_the_bad_point_fails():
    points = grid([Axis("x", (1, 2, 3, 4, 5, 6))])
    batches = []
    chunked = run_points(square, points, evaluate_many=squares, on_results=batches.append)
    assert chunked == run_points(square, points)
    assert [r["status"] for r in chunked] == ["ok", "ok", "failed", "ok", "ok", "ok"]
    assert sorted(r["index"] for batch in batches for r in batch) == list(range(6))
    assert len(batches) == 2  # two chunks for one local worker


def test_worker_processes_use_one_blas_thread_and_the_parent_is_untouched(monkeypatch):
    from learning_dilemma.engine.executors import process_pool

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # a user's own setting is kept
    with process_pool(1) as pool:
        assert pool.submit(report_threads).result() == ("1", "3")
    assert report_threads() == (None, "3")
