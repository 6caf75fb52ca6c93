"""The load test's no-loss property, small enough for every run: 30 simulated students play
two matches of three rounds against the real server process on 127.0.0.1
(bench/classroom_load.py), a fifth of their choices sent twice; every decision must be in the
database and in the export exactly once.

The expected count is derived, not read from the run: 30 students make 15 pairs (no
substitute), every pair plays both matches' 3 rounds (fixed length), and with 4 knowledge
levels no race can end within 3 rounds (a side needs 4 levels learned), so each student makes
2 x 3 = 6 decisions: 180 in all.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("httpx")

BENCH = Path(__file__).resolve().parents[2] / "bench" / "classroom_load.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("classroom_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_thirty_students_two_matches_every_decision_stored_and_exported_once(tmp_path):
    db = tmp_path / "load.sqlite3"
    result = load_bench().run(students=30, matches=2, turns=3, levels=4, poll=0.1, resend=0.2, seed=3, db=str(db),
                              processes=1)
    assert result["problems"] == []
    assert result["decisions"] == 30 * 2 * 3
    assert result["rows"] == 30 * 2 * 3  # one row per seat and round; no substitute seat in an even class
    assert result["latency"]["choice"]["requests"] > result["decisions"]  # some choices were sent twice
    # the database, read here on its own: each student's own choice once per round of each match
    with sqlite3.connect(db) as connection:
        payloads = [json.loads(p) for (p,) in connection.execute(
            "SELECT payload FROM events WHERE session = ? AND kind = 'choice'", (result["session"],))]
    own = [(p["label"], p["match"], p["round"]) for p in payloads if not p["substitute"]]
    assert len(own) == len(set(own)) == 180
    assert {label for label, _, _ in own} == {f"S{k}" for k in range(1, 31)}
    assert {(m, t) for _, m, t in own} == {(m, t) for m in (1, 2) for t in (1, 2, 3)}
    for kind, stats in result["latency"].items():
        assert 0 < stats["median_ms"] <= stats["p99_ms"] <= stats["max_ms"], kind
