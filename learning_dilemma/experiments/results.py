"""A sweep's results: tidy rows, where giving emerges, and the text summary.

Every point's record holds the ranking's winner and the evolved give rate
under two measures: the replicator dynamics from equal shares
(``evolved_give_rate``, with ``settled``) and the small-mutation limit
(``evolved_give_rate_small_mutations``). Giving *emerges* at a point where the
first reaches :data:`BOUNDARY`.
"""

from __future__ import annotations

import math

__all__ = [
    "BOUNDARY", "COLUMNS", "DEPRECATED_COLUMNS", "MEASURES", "SUMMARY_LINES",
    "emergence_intervals", "summary", "tidy", "unsettled",
]

#: A sweep's result columns, after the axis values, in the order of ``sweep.csv``.
COLUMNS = ("status", "method", "winner", "winner_payoff", "give_rate", "evolved_give_rate", "settled",
           "evolved_give_rate_small_mutations", "survivors", "error")
#: Old column names still written, after :data:`COLUMNS`, as identical copies of
#: their new columns (deprecated; to be dropped in the release after 0.2.0).
DEPRECATED_COLUMNS = {
    "evolved_giving": "evolved_give_rate",
    "evolved_giving_small_mutations": "evolved_give_rate_small_mutations",
}
#: Giving "emerges" where the evolved give rate reaches one half.
BOUNDARY = 0.5
#: Lines of the printed summary's "where giving emerges" part, at most.
SUMMARY_LINES = 12
#: The two evolved give rates a sweep draws: (column, title).
MEASURES = (("evolved_give_rate", "replicator dynamics from equal shares"),
            ("evolved_give_rate_small_mutations", "rare mutations, finite population"))


def tidy(records: list[dict], axes, deprecated: bool = True) -> list[dict]:
    """One row per point: the axis values, then every result column.

    Parameters
    ----------
    records : list of dict
        A sweep's records, in grid order.
    axes : list of Axis
    deprecated : bool
        Also the :data:`DEPRECATED_COLUMNS`, last (as ``sweep.csv`` has them).

    Returns
    -------
    list of dict
    """
    rows = []
    for record in records:
        row = {**{a.key: record[a.key] for a in axes}, **{c: record.get(c, "") for c in COLUMNS}}
        if deprecated:
            row.update({old: row[new] for old, new in DEPRECATED_COLUMNS.items()})
        rows.append(row)
    return rows


def unsettled(records: list[dict]) -> list[dict]:
    """Points whose replicator run had not settled (``settled`` is False;
    records without the column count as settled)."""
    return [r for r in records if r["status"] == "ok" and r.get("settled", True) is False]


def emergence_intervals(records: list[dict], axes) -> list[tuple]:
    """Where giving emerges.

    Parameters
    ----------
    records : list of dict
    axes : list of Axis
        One or two axes.

    Returns
    -------
    list of (value, list of (first, last))
        For each value of the second axis (``None`` with one axis), the runs
        of first-axis values at which the evolved give rate reaches
        :data:`BOUNDARY`.

    Notes
    -----
    Runs, not a threshold: giving can emerge in a band of the continuation
    probability and fade again beyond it (``docs/emergence.md``). Failed
    points break a run.
    """
    first = axes[0]
    others = axes[1].values if len(axes) == 2 else (None,)
    by_point = {tuple(r[a.key] for a in axes): r for r in records}
    result = []
    for other in others:
        runs, start, previous = [], None, None
        for value in first.values:
            record = by_point.get((value,) if other is None else (value, other))
            emerges = record is not None and record["status"] == "ok" and record["evolved_give_rate"] >= BOUNDARY
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


def summary(records: list[dict], axes) -> str:
    """A short text report of a sweep.

    Counts, (for one axis) the table of points, and where giving emerges,
    with equal neighbouring lines merged and, on a large grid, an even sample
    of the second axis (``sweep.csv`` has all).
    """
    from ..io.tables import table

    ok = [r for r in records if r["status"] == "ok"]
    lines = [f"{len(records)} points, {len(ok)} done, {len(records) - len(ok)} failed"]
    count = len(unsettled(records))
    if count:
        points = "1 point" if count == 1 else f"{count} points"
        lines.append(f"{points} not settled by the end of the replicator run (still cycling, or a rare strategy "
                     f"still invading): their evolved give rate is the state then (column settled)")
    if len(axes) == 1:
        settled = {True: "yes", False: "no"}
        rows = [(r[axes[0].key], r.get("winner", ""), r.get("give_rate", ""), r.get("evolved_give_rate", ""),
                 settled.get(r.get("settled"), "")) for r in records]
        lines += ["", table((axes[0].key, "winner", "give rate", "evolved give rate", "settled"), rows)]
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
    lines += ["", f"giving emerges (evolved give rate >= {BOUNDARY:g}){note}:" if len(axes) == 2
              else f"giving emerges (evolved give rate >= {BOUNDARY:g}): {merged[0][2]}"]
    if len(axes) == 2:
        key = axes[1].key
        for low, high, text in merged:
            where = f"{key}={low:g}" if low == high else f"{key}={low:g} to {high:g}"
            lines.append(f"  at {where}: {text}")
    return "\n".join(lines)
