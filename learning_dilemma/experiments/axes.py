"""The axes of a sweep: which scenario values vary, over which grid.

An axis is a dotted scenario key and its values, written on the command line
as ``KEY=START:STOP:COUNT`` (inclusive, evenly spaced) or ``KEY=V1,V2,...``;
a sweep has one or two axes and visits every point of their product, first
axis slowest.

Keys that take whole numbers (:data:`INTEGER_KEYS`: ``turns``,
``repetitions``, ``game.knowledge.levels``, ...) get whole numbers: ``turns=10:100:10`` is
``(10, 20, ..., 100)``, and a range whose values are not whole is refused. The
size of the grid is checked against the limit ``grid_points``
(:mod:`learning_dilemma.limits`) from the specs, before any value is made.

Examples
--------
>>> axes = [parse_axis("continuation=0.5:0.9:3"), parse_axis("game.power.strength=0,1")]
>>> grid(axes)[:2]
[{'continuation': 0.5, 'game.power.strength': 0}, {'continuation': 0.5, 'game.power.strength': 1}]
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError

__all__ = ["INTEGER_KEYS", "MAX_POINTS", "Axis", "as_axis", "grid", "parse_axis"]

#: The largest grid a sweep accepts by default: the default of the limit
#: ``grid_points`` (the limit in force is ``learning_dilemma.limits.LIMITS.grid_points``).
MAX_POINTS = 1_000_000
#: Scenario keys that take whole numbers: their axis values are ints.
INTEGER_KEYS = ("turns", "repetitions", "prior_rounds", "initial_power", "game.knowledge.levels", "game.ties.levels",
                "seed")


@dataclass(frozen=True)
class Axis:
    """One varied scenario value.

    Parameters
    ----------
    key : str
        A dotted scenario key, as ``--set`` takes it (``continuation``,
        ``game.power.strength``, ``players[0].receptivity``).
    values : tuple
        The grid of values, in the order they are visited.
    """

    key: str
    values: tuple

    def __len__(self) -> int:
        return len(self.values)


def parse_axis(spec: str) -> Axis:
    """Parse ``KEY=START:STOP:COUNT`` (inclusive, evenly spaced) or ``KEY=V1,V2,...``.

    Parameters
    ----------
    spec : str
        The axis as ``--vary`` takes it.

    Returns
    -------
    Axis

    Raises
    ------
    ParameterError
        One line naming the spec and what is wrong with it.

    Examples
    --------
    >>> parse_axis("continuation=0.5:0.9:5").values
    (0.5, 0.6, 0.7, 0.8, 0.9)
    >>> parse_axis("game.knowledge.levels=1:3:3").values
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
        _check_size(int(count), f"--vary {spec}")  # before any value is made
        values = tuple(float(v) for v in np.linspace(start, stop, int(count)))
    else:
        values = tuple(_number(spec, p) for p in body.split(","))
        _check_size(len(values), f"--vary {spec}")
    values = _whole(key, values, f"--vary {spec!r}")
    if len(set(values)) != len(values):
        raise ParameterError(f"--vary {spec!r}: values repeat")
    return Axis(key, values)


def as_axis(axis) -> Axis:
    """An :class:`Axis` from an axis, a ``--vary`` spec or a ``(key, values)`` pair.

    Examples
    --------
    >>> as_axis(("continuation", [0.6, 0.9]))
    Axis(key='continuation', values=(0.6, 0.9))
    """
    if isinstance(axis, Axis):
        return axis
    if isinstance(axis, str):
        return parse_axis(axis)
    key, values = axis
    values = tuple(v.item() if hasattr(v, "item") else v for v in values)
    if not values:
        raise ParameterError(f"axis {key}: no values")
    _check_size(len(values), f"axis {key}")
    values = _whole(str(key), values, f"axis {key}")
    if len(set(values)) != len(values):
        raise ParameterError(f"axis {key}: values repeat")
    return Axis(str(key), values)


def _check_size(count: int, what: str) -> None:
    from ..limits import check

    check("grid_points", count, what)


def _whole(key: str, values: tuple, where: str) -> tuple:
    """``values`` as ints for a key of :data:`INTEGER_KEYS` (each must be whole)."""
    if key not in INTEGER_KEYS:
        return values
    whole = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(f"{where}: {key} takes whole numbers, got {value!r}")
        if isinstance(value, float):
            nearest = round(value)
            if abs(value - nearest) > 1e-9 * max(1.0, abs(value)):
                raise ParameterError(f"{where}: {key} takes whole numbers, got {value:g}")
            value = int(nearest)
        whole.append(value)
    return tuple(whole)


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
    """Every point of the grid, as ``{key: value}``, first axis slowest.

    Parameters
    ----------
    axes : list of Axis
        One or two axes with different keys.

    Returns
    -------
    list of dict
        At most ``limits.LIMITS.grid_points`` points (checked from the axes'
        lengths before the grid is made).
    """
    if not 1 <= len(axes) <= 2:
        raise ParameterError(f"a sweep varies one or two values, got {len(axes)}")
    if len({a.key for a in axes}) != len(axes):
        raise ParameterError("--vary names the same key twice")
    size = math.prod(len(a) for a in axes)
    _check_size(size, "the grid " + " x ".join(f"{a.key} ({len(a)})" for a in axes))
    return [dict(zip((a.key for a in axes), combo)) for combo in itertools.product(*(a.values for a in axes))]
