"""Running a sweep's points: in this process, on local processes, or on a
Dask distributed cluster.

Points are sent in contiguous chunks (:func:`chunked`) when an evaluator can
share work between them; a point that raises becomes a record with
``status = "failed"`` and its error, never dropped. Local worker processes
come from :func:`learning_dilemma.engine.executors.process_pool` (one BLAS
thread each).
"""

from __future__ import annotations

import math
from typing import Callable, Iterable

import numpy as np

from ..errors import ParameterError

__all__ = ["DASK_CHUNK", "LOCAL_CHUNK", "chunked", "connect", "run_points"]

#: Points per chunk on a Dask cluster, whose size is not known in advance.
DASK_CHUNK = 200
#: At most this many points per local chunk, so progress shows and a failure costs little.
LOCAL_CHUNK = 2500


def run_points(
    evaluate: Callable[[dict], dict],
    points: list[dict],
    *,
    done: dict[int, dict] | None = None,
    processes: int = 1,
    scheduler: str | None = None,
    on_result: Callable[[dict], None] | None = None,
    on_results: Callable[[list[dict]], None] | None = None,
    evaluate_many: Callable[[list[dict]], list[dict]] | None = None,
) -> list[dict]:
    """Evaluate the points not yet ``done`` and return one record per point.

    Parameters
    ----------
    evaluate : callable
        A picklable function of a point, returning a dict of results.
    points : list of dict
        The grid, in order.
    done : dict of int to dict, optional
        Records already finished (by index), e.g. from a journal; not run again.
    processes : int
        Local processes (1: in this process). Ignored with ``scheduler``.
    scheduler : str, optional
        A Dask distributed scheduler's address; the points run there.
    on_result, on_results : callable, optional
        Called with each finished record, and with the records of each
        finished task (one point, or a chunk).
    evaluate_many : callable, optional
        Evaluates a list of points at once (sharing work between them); the
        points are then sent in contiguous chunks (:func:`chunked`). If it
        raises, that chunk's points are evaluated one by one with
        ``evaluate``, so a bad point fails alone.

    Returns
    -------
    list of dict
        ``{"index": i, **point, "status": "ok" | "failed", ...}`` in grid order.
    """
    done = dict(done or {})
    todo = [(i, p) for i, p in enumerate(points) if i not in done]
    records = dict(done)
    workers = processes if scheduler is None else None
    tasks = chunked(todo, workers) if evaluate_many is not None else [[item] for item in todo]
    for finished in _execute(evaluate, evaluate_many, tasks, processes, scheduler):
        batch = [{"index": index, **points[index], **outcome} for index, outcome in finished]
        for record in batch:
            records[record["index"]] = record
            if on_result is not None:
                on_result(record)
        if on_results is not None:
            on_results(batch)
    return [records[i] for i in range(len(points))]


def chunked(todo: list, workers: int | None) -> list[list]:
    """Contiguous chunks of ``todo``.

    Two per local worker (at most :data:`LOCAL_CHUNK` points each), or
    :data:`DASK_CHUNK` points each on a cluster (``workers=None``). Grid
    points are listed first axis slowest, so a contiguous chunk spans few
    values of the first axis and all of the second: the shape the exact
    engine shares work across.
    """
    if not todo:
        return []
    if workers is None:
        count = math.ceil(len(todo) / DASK_CHUNK)
    else:
        count = max(2 * workers, math.ceil(len(todo) / LOCAL_CHUNK))
    count = min(count, len(todo))
    bounds = np.linspace(0, len(todo), count + 1).round().astype(int)
    return [todo[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _guarded(evaluate, index, point):
    try:
        return index, {"status": "ok", **evaluate(point)}
    except Exception as error:  # a failed point is reported, never dropped
        return index, {"status": "failed", "error": f"{type(error).__name__}: {' '.join(str(error).split())}"}


def _guarded_chunk(evaluate, evaluate_many, chunk):
    """``[(index, outcome), ...]`` for a chunk of ``(index, point)`` pairs."""
    if evaluate_many is not None and len(chunk) > 1:
        try:
            outcomes = evaluate_many([point for _, point in chunk])
            return [(index, {"status": "ok", **outcome}) for (index, _), outcome in zip(chunk, outcomes)]
        except Exception:  # find the point that fails: evaluate them one by one
            pass
    return [_guarded(evaluate, index, point) for index, point in chunk]


def _execute(evaluate, evaluate_many, tasks, processes, scheduler) -> Iterable[list[tuple[int, dict]]]:
    """The ``(index, outcome)`` pairs of each task, as tasks finish."""
    if not tasks:
        return
    if scheduler is not None:
        yield from _execute_dask(evaluate, evaluate_many, tasks, scheduler)
    elif processes == 1 or len(tasks) == 1:
        for chunk in tasks:
            yield _guarded_chunk(evaluate, evaluate_many, chunk)
    else:
        import concurrent.futures

        from ..engine.executors import process_pool

        with process_pool(min(processes, len(tasks))) as pool:
            futures = [pool.submit(_guarded_chunk, evaluate, evaluate_many, chunk) for chunk in tasks]
            for future in concurrent.futures.as_completed(futures):
                yield future.result()


def connect(scheduler: str, timeout: float = 10.0):
    """A Dask distributed client for ``scheduler``.

    Raises
    ------
    ParameterError
        One line, when dask.distributed is missing or the scheduler cannot be reached.
    """
    try:
        from distributed import Client
    except ImportError:
        raise ParameterError("--scheduler needs dask.distributed: pip install 'learning-dilemma[dask]'") from None
    try:
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise ParameterError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({_reason(error)})") from None
    except ValueError as error:
        raise ParameterError(f"--scheduler {scheduler}: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _execute_dask(evaluate, evaluate_many, tasks, scheduler):
    from distributed import as_completed

    client = connect(scheduler)
    try:
        futures = [client.submit(_guarded_chunk, evaluate, evaluate_many, chunk, pure=False) for chunk in tasks]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
