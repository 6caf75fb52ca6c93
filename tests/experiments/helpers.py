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


#: The size of each list ``counted_squares`` was called with (in this process).
CALLS = []


def counted_square(point):
    """``square``, counting its calls in :data:`CALLS` (as a chunk of one)."""
    CALLS.append(1)
    return square(point)


def counted_squares(points):
    """``squares``, counting its calls in :data:`CALLS`: fails a whole chunk holding x = 3."""
    CALLS.append(len(points))
    return [square(p) for p in points]


def slow_square(point):
    """``square``, taking a moment (for a cluster that loses its workers meanwhile)."""
    import time

    time.sleep(0.3)
    return square(point)
