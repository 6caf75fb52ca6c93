"""Tidy rows, where giving emerges, and the summary (learning_dilemma.experiments.results)."""

from __future__ import annotations

from learning_dilemma.experiments import results as results_module
from learning_dilemma.experiments.axes import Axis
from learning_dilemma.experiments.results import COLUMNS, DEPRECATED_COLUMNS, tidy


def test_emergence_is_reported_as_runs_and_large_grids_are_sampled():
    axes = [Axis("continuation", (0.1, 0.2, 0.3, 0.4, 0.5)), Axis("s", tuple(range(40)))]
    shares = {0.1: 0.0, 0.2: 0.7, 0.3: 0.6, 0.4: 0.1, 0.5: 0.9}
    records = [{"continuation": w, "s": s, "status": "ok",
                "evolved_give_rate": shares[w] if s < 20 else (0.9 if s % 2 else 0.0)}
               for w in axes[0].values for s in axes[1].values]
    records[4 * 40 + 3] = {**records[4 * 40 + 3], "status": "failed"}  # (0.5, 3) failed: no giving there
    runs = dict(results_module.emergence_intervals(records, axes))
    assert runs[0] == [(0.2, 0.3), (0.5, 0.5)] and runs[3] == [(0.2, 0.3)]
    assert runs[21] == [(0.1, 0.5)] and runs[20] == []
    text = results_module.summary(records, axes)
    assert "at s=0 to 2: continuation in [0.2, 0.3], {0.5}" in text
    lines = [line for line in text.splitlines() if line.startswith("  at ")]
    assert len(lines) <= results_module.SUMMARY_LINES and "all points are in sweep.csv" in text
    assert lines[-1] == "  at s=39: continuation in [0.1, 0.5]"


def test_tidy_rows_carry_the_deprecated_columns_as_identical_copies_last():
    axes = [Axis("continuation", (0.6, 0.9))]
    records = [
        {"index": 0, "continuation": 0.6, "status": "ok", "evolved_give_rate": 0.25,
         "evolved_give_rate_small_mutations": 0.5, "settled": True},
        {"index": 1, "continuation": 0.9, "status": "failed", "error": "ValueError: no"},
    ]
    rows = tidy(records, axes)
    assert list(rows[0]) == ["continuation", *COLUMNS, *DEPRECATED_COLUMNS]
    for row in rows:
        for old, new in DEPRECATED_COLUMNS.items():
            assert row[old] == row[new]
    assert rows[0]["evolved_giving"] == 0.25 and rows[1]["evolved_giving"] == ""
    assert list(tidy(records, axes, deprecated=False)[0]) == ["continuation", *COLUMNS]
