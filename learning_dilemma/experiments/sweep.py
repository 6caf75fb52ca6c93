"""Parameter sweeps: where in parameter space does cooperation emerge?

A sweep varies one or two scenario values over a grid (``--vary
continuation=0.5:0.99:50 --vary game.power.strength=0:1:21``) and, at each point,
computes the tournament ranking and the evolved share of giving. Points run on
local processes or on a Dask distributed cluster; each finished point is
appended to a journal so an interrupted sweep resumes where it stopped, and a
failed point is reported with its error, never dropped.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ..errors import ParameterError

MAX_POINTS = 1_000_000


@dataclass(frozen=True)
class Axis:
    """One varied scenario value: a dotted key and its grid of values."""

    key: str
    values: tuple

    def __len__(self) -> int:
        return len(self.values)


def parse_axis(spec: str) -> Axis:
    """Parse ``KEY=START:STOP:COUNT`` (inclusive, evenly spaced) or ``KEY=V1,V2,...``.

    Examples
    --------
    >>> parse_axis("continuation=0.5:0.9:5").values
    (0.5, 0.6, 0.7, 0.8, 0.9)
    >>> parse_axis("game.power.levels=1,2,3").values
    (1, 2, 3)
    """
    key, sep, body = spec.partition("=")
    key = key.strip()
    if not sep or not key or not body.strip():
        raise ParameterError(f"--vary {spec!r}: expected KEY=START:STOP:COUNT or KEY=V1,V2,...")
    if ":" in body:
        parts = body.split(":")
        if len(parts) != 3:
            raise ParameterError(f"--vary {spec!r}: a range is START:STOP:COUNT, got {body!r}")
        start, stop = (_number(spec, p) for p in parts[:2])
        count = _number(spec, parts[2])
        if count != int(count) or count < 1:
            raise ParameterError(f"--vary {spec!r}: COUNT must be a whole number >= 1, got {parts[2]!r}")
        if count == 1 and start != stop:
            raise ParameterError(f"--vary {spec!r}: one point needs START == STOP")
        values = tuple(float(v) for v in np.linspace(start, stop, int(count)))
    else:
        values = tuple(_number(spec, p) for p in body.split(","))
    if len(set(values)) != len(values):
        raise ParameterError(f"--vary {spec!r}: values repeat")
    return Axis(key, values)


def _number(spec: str, text: str):
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise ParameterError(f"--vary {spec!r}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ParameterError(f"--vary {spec!r}: {text!r} is not finite")
    return value


def grid(axes: list[Axis]) -> list[dict]:
    """Every point of the grid, as ``{key: value}``, first axis slowest."""
    if not 1 <= len(axes) <= 2:
        raise ParameterError(f"a sweep varies one or two values, got {len(axes)}")
    if len({a.key for a in axes}) != len(axes):
        raise ParameterError("--vary names the same key twice")
    size = math.prod(len(a) for a in axes)
    if size > MAX_POINTS:
        raise ParameterError(f"the grid has {size} points; at most {MAX_POINTS}")
    return [dict(zip((a.key for a in axes), combo)) for combo in itertools.product(*(a.values for a in axes))]


#: Part of every sweep's fingerprint: bump it when what a point records changes
#: meaning, so that ``--resume`` never mixes old records with new ones
#: (2: replicator runs stop only at saturated rest points; the ``settled`` column).
RECORD_VERSION = 2


def fingerprint(*parts) -> str:
    """A short hash naming a sweep's inputs, so a journal is only resumed by the
    same sweep."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Journal:
    """Append-only record of finished points (JSON lines), for ``--resume``.

    The first line names the sweep (its fingerprint); a torn last line from an
    interrupted write is ignored.
    """

    def __init__(self, path: Path, sweep_id: str):
        self.path = Path(path)
        self.sweep_id = sweep_id

    def load(self) -> dict[int, dict]:
        """Finished points by index; raises if the journal belongs to another sweep."""
        if not self.path.exists():
            return {}
        lines = self.path.read_text().splitlines()
        if not lines:
            return {}
        try:
            header = json.loads(lines[0])
        except json.JSONDecodeError:
            header = {}
        if header.get("sweep") != self.sweep_id:
            raise ParameterError(
                f"{self.path}: was written by a different sweep (the scenario file, axes or options changed, "
                "or an older version of learning-dilemma wrote it); "
                "use another --out directory or drop --resume"
            )
        done = {}
        for line in lines[1:]:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # torn write at interruption
            if record.get("status") == "ok":
                done[record["index"]] = record
        return done

    def start(self, resume: bool) -> dict[int, dict]:
        done = self.load() if resume else {}
        if not resume or not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"sweep": self.sweep_id}) + "\n")
        return done

    def record(self, *records: dict) -> None:
        """Append finished points and sync them to disk (once for the lot)."""
        with self.path.open("a") as handle:
            handle.write("".join(json.dumps(record, default=_plain) + "\n" for record in records))
            handle.flush()
            os.fsync(handle.fileno())


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot record {type(value).__name__}")


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

    ``evaluate`` must be a picklable function of a point. A point that raises
    becomes a record with ``status = "failed"`` and the error message. With
    ``scheduler`` the points run on that Dask distributed cluster; otherwise on
    ``processes`` local processes (1: in this process). ``on_result`` is
    called with each finished record, ``on_results`` with the records of each
    finished task (one point, or a chunk).

    ``evaluate_many``, if given, evaluates a list of points at once (sharing
    work between them); the points are then sent in contiguous chunks
    (:func:`chunked`). If it raises, that chunk's points are evaluated one by
    one with ``evaluate``, so a bad point fails alone.
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


#: Points per chunk on a Dask cluster, whose size is not known in advance.
DASK_CHUNK = 200
#: At most this many points per local chunk, so progress shows and a failure costs little.
LOCAL_CHUNK = 2500


def chunked(todo: list, workers: int | None) -> list[list]:
    """Contiguous chunks of ``todo``: two per local worker (at most
    :data:`LOCAL_CHUNK` points each), or :data:`DASK_CHUNK` points each on a
    cluster (``workers=None``). Grid points are listed first axis slowest, so
    a contiguous chunk spans few values of the first axis and all of the
    second: the shape the exact engine shares work across."""
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
    """A Dask distributed client for ``scheduler``, or a one-line error."""
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


# --- outputs -----------------------------------------------------------------------

COLUMNS = ("status", "method", "winner", "winner_payoff", "give_rate", "evolved_giving", "settled",
           "evolved_giving_small_mutations", "survivors", "error")
BOUNDARY = 0.5  # cooperation "emerges" where the evolved share of giving passes one half


def tidy(records: list[dict], axes: list[Axis]) -> list[dict]:
    """One row per point: the axis values, then every result column."""
    return [{**{a.key: r[a.key] for a in axes}, **{c: r.get(c, "") for c in COLUMNS}} for r in records]


def emergence_intervals(records: list[dict], axes: list[Axis]) -> list[tuple]:
    """Where giving emerges: for each value of the second axis (``None`` with
    one axis), the runs of first-axis values at which the evolved share of
    giving reaches :data:`BOUNDARY`, as ``(other, [(first, last), ...])``.

    Runs, not a threshold: giving can emerge in a band of the shadow of the
    future and fade again beyond it (``docs/emergence.md``). Failed points
    break a run.
    """
    first = axes[0]
    others = axes[1].values if len(axes) == 2 else (None,)
    by_point = {tuple(r[a.key] for a in axes): r for r in records}
    result = []
    for other in others:
        runs, start, previous = [], None, None
        for value in first.values:
            record = by_point.get((value,) if other is None else (value, other))
            emerges = record is not None and record["status"] == "ok" and record["evolved_giving"] >= BOUNDARY
            if emerges and start is None:
                start = value
            if not emerges and start is not None:
                runs.append((start, previous))
                start = None
            previous = value
        if start is not None:
            runs.append((start, previous))
        result.append((other, runs))
    return result


#: Lines of the printed summary's "where giving emerges" part, at most.
SUMMARY_LINES = 12


def summary(records: list[dict], axes: list[Axis]) -> str:
    """A short text report: counts, (for one axis) the table of points, and
    where giving emerges, with equal neighbouring lines merged and, on a
    large grid, an even sample of the second axis (``sweep.csv`` has all)."""
    from ..io.tables import table

    ok = [r for r in records if r["status"] == "ok"]
    lines = [f"{len(records)} points, {len(ok)} done, {len(records) - len(ok)} failed"]
    unsettled = len(_unsettled(records))
    if unsettled:
        points = "1 point" if unsettled == 1 else f"{unsettled} points"
        lines.append(f"{points} not settled by the end of the replicator run (still cycling, or a rare strategy "
                     f"still invading): their evolved giving is the state then (column settled)")
    if len(axes) == 1:
        settled = {True: "yes", False: "no"}
        rows = [(r[axes[0].key], r.get("winner", ""), r.get("give_rate", ""), r.get("evolved_giving", ""),
                 settled.get(r.get("settled"), "")) for r in records]
        lines += ["", table((axes[0].key, "winner", "give rate", "evolved giving", "settled"), rows)]
    label = axes[0].key

    def describe(runs):
        if not runs:
            return "nowhere on the grid"
        return f"{label} in " + ", ".join(f"{{{a:g}}}" if a == b else f"[{a:g}, {b:g}]" for a, b in runs)

    merged = []  # [first other, last other, description]
    for other, runs in emergence_intervals(records, axes):
        text = describe(runs)
        if merged and merged[-1][2] == text:
            merged[-1][1] = other
        else:
            merged.append([other, other, text])
    note = ""
    if len(merged) > SUMMARY_LINES:
        step = math.ceil(len(merged) / (SUMMARY_LINES - 1))
        kept = merged[::step] + ([merged[-1]] if (len(merged) - 1) % step else [])
        note = f" ({len(kept)} of {len(merged)} lines, evenly spaced; all points are in sweep.csv)"
        merged = kept
    lines += ["", f"giving emerges (evolved share >= {BOUNDARY:g}){note}:" if len(axes) == 2
              else f"giving emerges (evolved share >= {BOUNDARY:g}): {merged[0][2]}"]
    if len(axes) == 2:
        key = axes[1].key
        for low, high, text in merged:
            where = f"{key}={low:g}" if low == high else f"{key}={low:g} to {high:g}"
            lines.append(f"  at {where}: {text}")
    return "\n".join(lines)


def write_outputs(records: list[dict], axes: list[Axis], directory, name: str, plots: bool = True) -> None:
    """``sweep.csv`` and (with ``plots``) ``sweep.png``/``sweep.svg``, atomically."""
    from pathlib import Path

    from ..io.outputs import csv_text, write_text

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    write_text(directory / "sweep.csv", csv_text(tidy(records, axes)))
    if plots:
        for fmt in ("png", "svg"):
            _plot(records, axes, directory / f"sweep.{fmt}", name)


def _even(values: np.ndarray) -> bool:
    """Whether grid values are evenly spaced (and increasing)."""
    steps = np.diff(values)
    return len(values) < 2 or (steps[0] > 0 and np.allclose(steps, steps[0], rtol=1e-6))


def _unsettled(records: list[dict]) -> list[dict]:
    """Points whose replicator run had not settled (``settled`` is False;
    records from before the column existed count as settled)."""
    return [r for r in records if r["status"] == "ok" and r.get("settled", True) is False]


#: The two evolved shares of giving a sweep draws: (CSV column, panel title).
MEASURES = (("evolved_giving", "replicator dynamics from equal shares"),
            ("evolved_giving_small_mutations", "rare mutations, finite population"))


def _plot(records, axes, path, name):
    """The evolved share of giving over the grid under both measures (one
    panel each for two axes, two lines for one), the boundary at
    :data:`BOUNDARY` drawn, points whose replicator run had not settled marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..io.outputs import write_bytes

    def values(column):
        return np.array([r[column] if r["status"] == "ok" else np.nan for r in records], dtype=float)

    unsettled = _unsettled(records)
    marks = dict(marker="x", s=8, linewidths=0.6, color="red", zorder=3,
                 label="replicator run not settled")
    x = np.array(axes[0].values, dtype=float)
    if len(axes) == 1:
        fig, ax = plt.subplots(figsize=(7, 5))
        for column, title in MEASURES:
            ax.plot(x, values(column), marker="o" if len(x) < 40 else None, label=title)
        ax.axhline(BOUNDARY, color="grey", linestyle="--", linewidth=1)
        if unsettled:
            ax.scatter([r[axes[0].key] for r in unsettled], [r["evolved_giving"] for r in unsettled],
                       **{**marks, "s": 60, "linewidths": 1.5})
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(axes[0].key)
        ax.set_ylabel("evolved share of giving")
        ax.legend(loc="upper left", fontsize="small", framealpha=0.8)
        ax.set_title(f"{name}: where giving emerges (boundary at {BOUNDARY:g})")
    else:
        y = np.array(axes[1].values, dtype=float)
        fig, panels = plt.subplots(1, 2, figsize=(12, 5), sharey=True, layout="constrained")
        for ax, (column, title) in zip(panels, MEASURES):
            image = _heatmap(ax, x, y, values(column).reshape(len(x), len(y)).T)
            ax.set_xlabel(axes[0].key)
            ax.set_title(title)
        panels[0].set_ylabel(axes[1].key)
        if unsettled:
            panels[0].scatter([r[axes[0].key] for r in unsettled], [r[axes[1].key] for r in unsettled], **marks)
            panels[0].legend(loc="upper left", fontsize="small", framealpha=0.8)
        fig.colorbar(image, ax=list(panels), label="evolved share of giving")
        fig.suptitle(f"{name}: where giving emerges (boundary at {BOUNDARY:g})")
    if len(axes) == 1:
        fig.tight_layout()
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format=str(path).rsplit(".", 1)[-1], dpi=120)
    plt.close(fig)
    write_bytes(path, buffer.getvalue())


def _heatmap(ax, x, y, grid):
    """Draw ``grid[y, x]`` with the boundary contour; returns the image for a colour bar."""
    if _even(x) and _even(y):  # one raster image: fast to draw and small, even as SVG
        half_x = (x[1] - x[0]) / 2 if len(x) > 1 else 0.5
        half_y = (y[1] - y[0]) / 2 if len(y) > 1 else 0.5
        image = ax.imshow(grid, origin="lower", aspect="auto", interpolation="nearest", cmap="viridis",
                          vmin=0, vmax=1, extent=(x[0] - half_x, x[-1] + half_x, y[0] - half_y, y[-1] + half_y))
    else:
        image = ax.pcolormesh(x, y, grid, shading="nearest", cmap="viridis", vmin=0, vmax=1)
    if len(x) > 1 and len(y) > 1 and np.nanmin(grid) < BOUNDARY < np.nanmax(grid):
        ax.contour(x, y, grid, levels=[BOUNDARY], colors="white", linewidths=2)
    return image
