"""Running a sweep's points: in this process, on local processes, or on a
Dask distributed cluster.

Points are sent in contiguous chunks (:func:`chunked`) when an evaluator can
share work between them; a point that raises becomes a record with
``status = "failed"`` and its error, never dropped. A chunk that fails is cut
in halves, and each half evaluated again (bisection), so one bad point among
``n`` costs about ``2 log2(n)`` re-evaluations, not ``n``. Local worker
processes come from :func:`learning_dilemma.engine.executors.process_pool`
(one BLAS thread each); :func:`worker_count` says how many.

Every wait on a Dask cluster is bounded: connecting (:data:`DASK_CONNECT_TIMEOUT`),
a first worker (:data:`DASK_WORKER_TIMEOUT`), a cluster left without workers
(:data:`DASK_WORKER_TIMEOUT` again), and no chunk finishing at all
(:data:`DASK_STALL_TIMEOUT`). When the cluster cannot go on, the chunks that
have not finished are reported as failed points (``not run: ...``), so a
journalled sweep resumes them; if nothing at all finished, the run ends with
a one-line :class:`~learning_dilemma.errors.ParameterError` instead.
"""

from __future__ import annotations

import math
import time
from typing import Callable, Iterable

import numpy as np

from ..engine.executors import worker_count as _worker_count
from ..errors import ParameterError

__all__ = [
    "DASK_CHUNK", "DASK_CONNECT_TIMEOUT", "DASK_POLL", "DASK_STALL_TIMEOUT", "DASK_WORKER_TIMEOUT", "LOCAL_CHUNK",
    "chunked", "connect", "run_points", "worker_count",
]

#: Points per chunk on a Dask cluster, whose size is not known in advance.
DASK_CHUNK = 200
#: At most this many points per local chunk, so progress shows and a failure costs little.
LOCAL_CHUNK = 2500
#: Seconds to reach a Dask scheduler.
DASK_CONNECT_TIMEOUT = 10.0
#: Seconds a sweep waits for a Dask cluster to have a worker: at the start, and
#: whenever every worker has gone.
DASK_WORKER_TIMEOUT = 30.0
#: Seconds a sweep waits on a Dask cluster with workers but no chunk finishing.
DASK_STALL_TIMEOUT = 3600.0
#: Seconds between checks of a Dask cluster while chunks run.
DASK_POLL = 0.5


def worker_count(processes=None) -> tuple[int, str | None]:
    """The sweep's ``--processes``: :func:`learning_dilemma.engine.executors.worker_count`."""
    return _worker_count(processes, "--processes")


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
        raises, the chunk is cut in halves and each evaluated again, down
        to single points (evaluated with ``evaluate``), so a bad point fails
        alone at the cost of about ``2 log2(chunk)`` re-evaluations.

    Returns
    -------
    list of dict
        ``{"index": i, **point, "status": "ok" | "failed", ...}`` in grid order.
    """
    done = dict(done or {})
    if scheduler is None:
        processes, _ = worker_count(processes)
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
    """``[(index, outcome), ...]`` for a chunk of ``(index, point)`` pairs.

    If ``evaluate_many`` fails on the chunk, each half is evaluated again
    (and so on down), so only the bad points fail.
    """
    if evaluate_many is None or len(chunk) == 1:
        return [_guarded(evaluate, index, point) for index, point in chunk]
    try:
        outcomes = evaluate_many([point for _, point in chunk])
        return [(index, {"status": "ok", **outcome}) for (index, _), outcome in zip(chunk, outcomes)]
    except Exception:  # find the points that fail: bisect
        middle = len(chunk) // 2
        return _guarded_chunk(evaluate, evaluate_many, chunk[:middle]) + \
            _guarded_chunk(evaluate, evaluate_many, chunk[middle:])


def _not_run(chunks, reason: str) -> list[tuple[int, dict]]:
    return [(index, {"status": "failed", "error": f"not run: {reason}"}) for chunk in chunks for index, _ in chunk]


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
        yield from _execute_local(evaluate, evaluate_many, tasks, processes)


def _execute_local(evaluate, evaluate_many, tasks, processes):
    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    from ..engine.executors import process_pool

    finished = 0
    with process_pool(min(processes, len(tasks))) as pool:
        futures = {pool.submit(_guarded_chunk, evaluate, evaluate_many, chunk): chunk for chunk in tasks}
        pending = set(futures)
        try:
            for future in concurrent.futures.as_completed(futures):
                result = future.result()
                pending.discard(future)
                finished += 1
                yield result
        except BrokenProcessPool:
            reason = "a worker process died (out of memory?)"
            if not finished:
                raise ParameterError(f"the sweep could not run: {reason}") from None
            yield _not_run([futures[f] for f in futures if f in pending], reason)


def connect(scheduler: str, timeout: float | None = None):
    """A Dask distributed client for ``scheduler``.

    Parameters
    ----------
    scheduler : str
        The scheduler's address.
    timeout : float, optional
        Seconds to reach it (default :data:`DASK_CONNECT_TIMEOUT`).

    Raises
    ------
    ParameterError
        One line, when dask.distributed is missing or the scheduler cannot be reached.
    """
    try:
        from distributed import Client
    except ImportError:
        raise ParameterError("--scheduler needs dask.distributed: pip install 'learning-dilemma[dask]'") from None
    timeout = DASK_CONNECT_TIMEOUT if timeout is None else timeout
    try:
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise ParameterError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({_reason(error)})") from None
    except ValueError as error:
        raise ParameterError(f"--scheduler {scheduler}: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _workers(client) -> int | None:
    """How many workers the scheduler has (``None``: the scheduler cannot be asked)."""
    try:
        return len(client.nthreads())
    except Exception:  # noqa: BLE001 - a lost connection, whatever its type
        return None


def _execute_dask(evaluate, evaluate_many, tasks, scheduler):
    from distributed import wait

    client = connect(scheduler)
    futures = {}
    try:
        try:
            client.wait_for_workers(1, timeout=DASK_WORKER_TIMEOUT)
        except Exception:  # noqa: BLE001 - dask's TimeoutError, or a lost scheduler
            raise ParameterError(f"--scheduler {scheduler}: no Dask worker joined within {DASK_WORKER_TIMEOUT:g} s; "
                                 f"start workers (dask worker {scheduler}) and run again") from None
        futures = {client.submit(_guarded_chunk, evaluate, evaluate_many, chunk, pure=False): chunk
                   for chunk in tasks}
        pending = set(futures)
        finished = 0
        last_finish = time.monotonic()
        no_workers_since = None
        reason = None
        while pending:
            try:
                done, pending = wait(pending, timeout=DASK_POLL, return_when="FIRST_COMPLETED")
            except Exception as error:  # noqa: BLE001 - dask's TimeoutError (nothing finished yet) or cancellation
                if "Timeout" not in type(error).__name__:
                    reason = f"the Dask cluster failed ({_reason(error)})"
                    break
                done = set()
            for future in done:
                try:
                    result = future.result(timeout=DASK_POLL * 10)
                except Exception as error:  # noqa: BLE001 - a worker killed while running it, say
                    result = [(index, {"status": "failed", "error": f"{type(error).__name__}: {_reason(error)}"})
                              for index, _ in futures[future]]
                finished += 1
                last_finish = time.monotonic()
                yield result
            if not pending:
                break
            now = time.monotonic()
            workers = _workers(client)
            if workers is None:
                reason = "lost the Dask scheduler"
                break
            if workers:
                no_workers_since = None
            elif no_workers_since is None:
                no_workers_since = now
            elif now - no_workers_since > DASK_WORKER_TIMEOUT:
                reason = f"no Dask worker left for {DASK_WORKER_TIMEOUT:g} s"
                break
            if now - last_finish > DASK_STALL_TIMEOUT:
                reason = f"no chunk finished on the Dask cluster for {DASK_STALL_TIMEOUT:g} s"
                break
        if reason is not None:
            if not finished:
                raise ParameterError(f"--scheduler {scheduler}: {reason}; nothing ran")
            yield _not_run([futures[f] for f in futures if f in pending], reason)
    finally:
        try:
            remaining = [future for future in futures if not future.done()]
            if remaining:
                client.cancel(remaining)
        except Exception:  # noqa: BLE001 - a lost connection: nothing to cancel on
            pass
        try:
            client.close(timeout=DASK_CONNECT_TIMEOUT)
        except Exception:  # noqa: BLE001 - closing a lost connection
            pass
