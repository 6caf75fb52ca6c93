"""The resume journal and the sweep fingerprint (learning_dilemma.experiments.journal)."""

from __future__ import annotations

import json

import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.experiments import journal as journal_module
from learning_dilemma.experiments.axes import Axis, grid
from learning_dilemma.experiments.execution import run_points
from learning_dilemma.experiments.journal import RECORD_VERSION, Journal, fingerprint

from .helpers import square


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


def test_journal_records_a_chunk_in_one_write(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl", "id")
    journal.start(resume=False)
    journal.record({"index": 0, "status": "ok"}, {"index": 1, "status": "ok"})
    assert sorted(Journal(journal.path, "id").load()) == [0, 1]


def test_the_header_names_the_record_version_and_another_version_is_refused(tmp_path, monkeypatch):
    journal = Journal(tmp_path / "journal.jsonl", "id")
    journal.start(resume=False)
    assert json.loads(journal.path.read_text().splitlines()[0]) == {"sweep": "id", "record_version": RECORD_VERSION}
    monkeypatch.setattr(journal_module, "RECORD_VERSION", RECORD_VERSION + 1)
    with pytest.raises(ParameterError) as error:
        Journal(journal.path, "id").start(resume=True)
    message = str(error.value)
    assert "older version of learning-dilemma" in message and f"record version {RECORD_VERSION};" in message
    assert "\n" not in message


def test_the_fingerprint_ignores_key_order():
    assert fingerprint({"a": 1, "b": [1, 2]}, 3) == fingerprint({"b": [1, 2], "a": 1}, 3)
    assert fingerprint({"a": 1}, 3) != fingerprint({"a": 1}, 4)


def test_a_first_edition_journal_is_refused(tmp_path):
    """Record version 4 was the first edition's game: the same scenario file meant power
    splitting the status quo and a ladder, so its points are never resumed (issue 15)."""
    path = tmp_path / "journal.jsonl"
    path.write_text(json.dumps({"sweep": "id", "record_version": 4}) + "\n")
    assert RECORD_VERSION == 5
    with pytest.raises(ParameterError, match=r"older version of learning-dilemma \(record version 4; this one writes 5\)"):
        Journal(path, "id", [{"x": 1}]).start(resume=True)
