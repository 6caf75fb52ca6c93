"""Local worker processes for tournaments and sweeps.

Workers are started with ``spawn`` (a fresh interpreter: no inherited locks or
state, the same on every platform) and each is told to use one BLAS/OpenMP
thread. numpy's BLAS otherwise starts one thread per core in every worker, and
``P`` workers on ``P`` cores then fight over them: a 100 x 100 sweep on two
cores ran twice as slowly before this (``bench/sweep.py``).
"""

from __future__ import annotations

import contextlib
import os

__all__ = ["process_pool", "THREAD_VARIABLES", "watch_parent", "worker_count"]

#: Environment variables read by the BLAS and OpenMP runtimes numpy may load.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def worker_count(processes=None, option: str = "processes") -> tuple[int, str | None]:
    """``(workers, note)``: the local worker processes a request asks for, the one
    rule for tournaments and sweeps.

    ``0`` (or ``None``) is every CPU. More than the CPUs is capped at the CPU
    count, with a ``note`` saying so, unless the ``processes`` limit was changed
    (``--limit processes=N``); above that limit is refused
    (:func:`learning_dilemma.limits.check`). ``option`` names the request in
    messages (``processes``, ``--processes``).

    Raises
    ------
    ParameterError
        One line, for a negative or non-whole number, or one above the limit.
    """
    from .._validation import check_count
    from ..limits import LIMITS, Limits, check

    processes = 0 if processes is None else check_count(option, processes, 0)
    cpus = os.cpu_count() or 1
    if processes == 0:
        return min(cpus, LIMITS.processes), None
    check("processes", processes, f"{option}={processes}" if option.isidentifier() else f"{option} {processes}")
    if processes > cpus and LIMITS.processes == Limits.processes:
        return cpus, (f"{option} {processes}: capped at the {cpus} CPUs of this machine "
                      f"(to start {processes} anyway: --limit processes={processes})")
    return processes, None


@contextlib.contextmanager
def process_pool(processes: int):
    """A ``ProcessPoolExecutor`` of ``processes`` spawned, single-threaded workers.

    Thread settings the user made in the environment are respected; the
    parent's environment is restored on exit. On an error or an interruption
    (:class:`KeyboardInterrupt`) inside the block, work not yet started is
    cancelled and the workers are stopped, instead of finishing every
    submitted task first.
    """
    import concurrent.futures
    import multiprocessing

    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    for name, value in saved.items():
        if value is None:
            os.environ[name] = "1"
    try:
        context = multiprocessing.get_context("spawn")
        pool = concurrent.futures.ProcessPoolExecutor(processes, mp_context=context, initializer=watch_parent,
                                                      initargs=(os.getpid(),))
        try:
            # Start every worker now, while the environment says one thread.
            for future in [pool.submit(int) for _ in range(processes)]:
                future.result()
            yield pool
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)


def watch_parent(parent: int, interval: float = 1.0) -> None:
    """In a worker: end it when its parent is gone (a parent killed with SIGKILL
    cannot stop its workers, and idle workers would otherwise wait for ever)."""
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _stop(pool) -> None:
    """Cancel what has not started and end the workers now."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)
