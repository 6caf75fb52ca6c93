"""Picklable evaluations shared by the sweep tests."""

from __future__ import annotations


def square(point):
    """A picklable evaluation: fails on purpose at x = 3."""
    if point["x"] == 3:
        raise ValueError("three is not allowed")
    return {"value": point["x"] ** 2 + point.get("y", 0)}


def squares(points):
    """``evaluate_many`` for ``square``: fails the whole chunk if any point is 3."""
    return [square(p) for p in points]


def report_threads():
    import os

    return os.environ.get("OPENBLAS_NUM_THREADS"), os.environ.get("OMP_NUM_THREADS")
