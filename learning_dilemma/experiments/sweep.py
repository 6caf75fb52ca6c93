"""Parameter sweeps: where in parameter space does cooperation emerge?

A :class:`Sweep` varies one or two values of a validated scenario over a grid
(``continuation=0.5:0.99:50``, ``game.power.strength=0:1:21``) and, at each
point, computes the tournament ranking and the evolved give rate
(:mod:`.emergence`). Points run in this process, on local processes or on a
Dask distributed cluster (:mod:`.execution`); with a directory, each finished
point is appended to a journal (:mod:`.journal`), so an interrupted sweep
resumes where it stopped, and a failed point is reported with its error,
never dropped. One run owns a directory at a time (:mod:`.lock`: the lock
file ``sweep.lock``), and every journal record carries the sweep's
fingerprint, so two runs never mix their results. :class:`SweepResult` holds the records, the tidy rows and the
summary (:mod:`.results`) and writes ``sweep.csv`` and the heatmaps
(:mod:`.files`).

The scenario is read once, before the sweep: what every worker receives is
the validated scenario, never its file, so editing the file during a run
changes nothing.

A network scenario (``kite_network``, ``delta_network``, ``docs/networks.md``)
is swept the same way, on the same machinery: its points vary ``network.*``,
``game.*`` or any other key of its file, and each point's record holds the
network's headline numbers instead of the tournament's
(:mod:`.networks`: :data:`~.networks.NETWORK_COLUMNS`).

Examples
--------
>>> from learning_dilemma.io.scenarios import load_scenario
>>> sweep = Sweep(load_scenario("delta"), ["continuation=0.6,0.9"])
>>> result = sweep.run()
>>> [row["status"] for row in result.rows()]
['ok', 'ok']

This module also re-exports the names of the modules it is built from
(``parse_axis``, ``grid``, ``Journal``, ``run_points``, ``summary``, ...), where
they lived before the split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import ParameterError
from . import journal as _journal
from .axes import MAX_POINTS, Axis, as_axis, grid, parse_axis
from .emergence import check_definition, evaluate_point, evaluate_points, scenario_at
from .execution import DASK_CHUNK, LOCAL_CHUNK, chunked, connect, run_points, worker_count
from .files import write_outputs
from .journal import RECORD_VERSION, Journal, fingerprint
from .lock import LOCK_NAME, FolderLock
from .networks import (
    NETWORK_RECORD_VERSION, current_limits, evaluate_network_point, is_network_scenario, network_axis, network_content,
    network_scenario_at, network_summary, network_tidy, prepare_network, write_network_sweep,
)
from .results import (
    BOUNDARY, COLUMNS, DEPRECATED_COLUMNS, MEASURES, SUMMARY_LINES, emergence_intervals, summary, tidy, unsettled,
)

__all__ = [
    "BOUNDARY", "COLUMNS", "DASK_CHUNK", "DEPRECATED_COLUMNS", "JOURNAL_NAME", "LOCAL_CHUNK", "LOCK_NAME", "MAX_POINTS",
    "MEASURES", "RECORD_VERSION", "SUMMARY_LINES", "Axis", "FolderLock", "Journal", "Sweep", "SweepResult", "chunked", "connect",
    "emergence_intervals", "fingerprint", "grid", "parse_axis", "run_points", "summary", "tidy", "unsettled",
    "worker_count", "write_outputs",
]

#: The journal's file name in a sweep's directory.
JOURNAL_NAME = "journal.jsonl"


class Sweep:
    """A resumable sweep of a validated scenario over one or two axes.

    Parameters
    ----------
    scenario : Scenario or NetworkScenario
        A validated scenario (:func:`learning_dilemma.io.scenarios.load_scenario`),
        or a network scenario (:func:`learning_dilemma.io.scenarios.network.load_network_scenario`).
        Its definition (``scenario.raw``) must still describe it.
    axes : list of Axis, str or (str, sequence)
        One or two axes: :class:`Axis` objects, ``--vary`` specs
        (``"continuation=0.6:0.9:4"``) or ``(key, values)`` pairs.
    overrides : sequence of str, optional
        ``KEY=VALUE`` changes applied to the scenario first (as ``--set``).

    Raises
    ------
    ParameterError
        A bad axis, an override or an axis's extreme value the scenario
        refuses, or a scenario changed after it was read.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario, overrides applied: what every point starts from.
    axes : list of Axis
    points : list of dict
        The grid, first axis slowest.
    kind : str
        ``"tournament"`` or ``"network"`` (a network scenario: :mod:`.networks`).
    """

    def __init__(self, scenario, axes, *, overrides=()):
        self.kind = "network" if is_network_scenario(scenario) else "tournament"
        self.content = None  # a network's ties file, hashed (networks.network_content)
        if self.kind == "network":
            scenario = prepare_network(scenario, overrides)
            self.content = network_content(scenario)
            self.axes = [network_axis(axis) for axis in axes]
        else:
            check_definition(scenario)
            if overrides:
                from ..io.scenarios import apply_overrides, build

                scenario = build(apply_overrides(scenario.raw, list(overrides)), scenario.path)
            self.axes = [as_axis(axis) for axis in axes]
        self.scenario = scenario
        self.points = grid(self.axes)  # its size is checked against limits.grid_points first
        for axis in self.axes:  # each axis's extreme values must make a valid scenario
            for value in (axis.values[0], axis.values[-1]):
                try:
                    if self.kind == "network":
                        network_scenario_at(scenario, {axis.key: value}, self.content)
                    else:
                        scenario_at(scenario, {axis.key: value})
                except ParameterError as error:
                    raise ParameterError(f"--vary {axis.key}: {error}") from None

    @classmethod
    def load(cls, name_or_path, axes, overrides=()) -> "Sweep":
        """A sweep of a shipped scenario's name or a file (a network scenario's
        too), read once now."""
        if is_network_scenario(name_or_path):
            from ..io.scenarios.network import load_network_scenario

            return cls(load_network_scenario(name_or_path, list(overrides)), axes)
        from ..io.scenarios import load_scenario

        return cls(load_scenario(name_or_path, list(overrides)), axes)

    def __repr__(self) -> str:
        axes = ", ".join(f"{a.key} ({len(a)})" for a in self.axes)
        return f"Sweep({self.name!r}, {axes}, {len(self.points)} points)"

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @property
    def fingerprint(self) -> str:
        """What a journal must have been written by to be resumed: the
        validated scenario's content, the axes and the record version (of a
        network sweep also its kind, its ties file's hash and the network
        record version)."""
        axes = [(a.key, list(a.values)) for a in self.axes]
        if self.kind == "network":
            return fingerprint("network", self.scenario.name, self.scenario.raw, self.content, axes,
                               _journal.RECORD_VERSION, NETWORK_RECORD_VERSION)
        return fingerprint(self.scenario.name, self.scenario.raw, axes, _journal.RECORD_VERSION)

    def journal(self, directory) -> Journal:
        """The sweep's journal in ``directory``."""
        return Journal(Path(directory) / JOURNAL_NAME, self.fingerprint, self.points)

    def lock(self, directory) -> FolderLock:
        """Hold ``directory`` for this run (``with sweep.lock(folder): ...``):
        a second run into it is refused while this one holds it
        (:mod:`.lock`). :meth:`run` and :meth:`SweepResult.write` take it
        themselves; hold it around both to keep the folder between them."""
        return FolderLock(directory)

    def evaluate(self, point: dict) -> dict:
        """One point's outcome, in this process."""
        return self._evaluators()[0](point)

    def _evaluators(self):
        """``(evaluate, evaluate_many)``: picklable evaluations of a point and of a
        chunk of points (None for a network: its points share no work)."""
        import functools

        if self.kind == "network":  # the limits in force now hold where the points run
            return functools.partial(evaluate_network_point, self.scenario, content=self.content,
                                     limits=current_limits()), None
        return functools.partial(evaluate_point, self.scenario), functools.partial(evaluate_points, self.scenario)

    def run(
        self,
        directory=None,
        *,
        resume: bool = False,
        processes: int = 1,
        scheduler: str | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_results: Callable[[list[dict]], None] | None = None,
    ) -> "SweepResult":
        """Evaluate every point (those a resumed journal has not finished).

        Parameters
        ----------
        directory : path-like, optional
            Where the journal is kept (``journal.jsonl``); without it the
            sweep runs in memory and cannot be resumed. The run holds the
            directory's lock (:meth:`lock`) while it runs.
        resume : bool
            Skip the points the journal in ``directory`` has finished; a
            journal of another sweep or record version, or with a damaged
            line or a record of another sweep, is refused. Without it, a
            journal already there is replaced once this run has journalled
            its first points, not before.
        processes : int
            Local processes (1: in this process; 0: every CPU; more than
            the CPUs: capped at the CPU count unless the limit ``processes``
            was set, :func:`.execution.worker_count`).
        scheduler : str, optional
            Run on this Dask distributed scheduler instead.
        on_progress : callable, optional
            ``on_progress(finished, total)`` after each finished chunk.
        on_results : callable, optional
            ``on_results(records)`` with each finished chunk's records, after
            they are journalled.

        Returns
        -------
        SweepResult
            Points that did not run (a Dask cluster left without workers)
            are among its failed records, with ``error`` ``"not run: ..."``.

        Raises
        ------
        ParameterError
            One line: bad options, a folder another run holds, a journal
            that cannot be resumed, or a cluster on which nothing ran.
        """
        processes, _ = worker_count(processes)
        if resume and directory is None:
            raise ParameterError("resume needs the directory of the sweep's journal")
        if directory is None:
            return self._run(None, False, processes, scheduler, on_progress, on_results)
        with self.lock(directory):
            return self._run(self.journal(directory), resume, processes, scheduler, on_progress, on_results)

    def _run(self, journal, resume, processes, scheduler, on_progress, on_results) -> "SweepResult":
        done = {} if journal is None else journal.start(resume)
        finished = [len(done)]
        total = len(self.points)

        def record(records):
            if journal is not None:
                journal.record(*records)
            finished[0] += len(records)
            if on_results is not None:
                on_results(records)
            if on_progress is not None:
                on_progress(finished[0], total)

        evaluate, evaluate_many = self._evaluators()
        try:
            records = run_points(evaluate, self.points, done=done, processes=processes, scheduler=scheduler,
                                 on_results=record, evaluate_many=evaluate_many)
        finally:
            if journal is not None:
                journal.discard()  # a new journal that never started: the old one stays
        return SweepResult(self.name, list(self.axes), records, self.kind)


@dataclass
class SweepResult:
    """A finished sweep's records, in grid order.

    Attributes
    ----------
    name : str
        The scenario's name.
    axes : list of Axis
    records : list of dict
        ``{"index", *axis keys, "status", ...}`` per point
        (:data:`.results.COLUMNS`; a network sweep's: :data:`.networks.NETWORK_COLUMNS`).
    kind : str
        ``"tournament"`` or ``"network"``.
    """

    name: str
    axes: list
    records: list = field(repr=False)
    kind: str = "tournament"

    @property
    def failed(self) -> list[dict]:
        """The records of the points that failed."""
        return [r for r in self.records if r["status"] != "ok"]

    def rows(self, deprecated: bool = True) -> list[dict]:
        """Tidy rows, as in ``sweep.csv`` (with ``deprecated``: the old column names too;
        a network sweep has none)."""
        if self.kind == "network":
            return network_tidy(self.records, self.axes)
        return tidy(self.records, self.axes, deprecated)

    def intervals(self) -> list[tuple]:
        """Where giving emerges (:func:`.results.emergence_intervals`); a network
        sweep has no evolved give rate, and refuses."""
        if self.kind == "network":
            raise ParameterError("a network sweep records giving in the network, not an evolved give rate: "
                                 "read its rows")
        return emergence_intervals(self.records, self.axes)

    def summary(self) -> str:
        """The text summary the ``sweep`` command prints."""
        if self.kind == "network":
            return network_summary(self.records, self.axes)
        return summary(self.records, self.axes)

    def write(self, directory, plots: bool = True) -> list[Path]:
        """Write ``sweep.csv`` and (with ``plots``) ``sweep.png`` and ``sweep.svg``,
        holding the directory's lock (:class:`.lock.FolderLock`)."""
        with FolderLock(directory):
            if self.kind == "network":
                return write_network_sweep(self.records, self.axes, directory, self.name, plots=plots)
            return write_outputs(self.records, self.axes, directory, self.name, plots=plots)
