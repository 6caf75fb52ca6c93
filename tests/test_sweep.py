"""Sweep grids, the resume journal and the point runners (local and Dask)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.sweep import Axis, Journal, connect, fingerprint, grid, parse_axis, run_points


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
