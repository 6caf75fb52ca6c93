"""Checks shared by every layer: each returns the clean value or raises a
one-line :class:`~learning_dilemma.errors.ParameterError` that names the key.

One place for the rules, so the game, the engines, the exact engine and the
evolutionary dynamics refuse bad input with the same words.
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError

__all__ = [
    "DEFAULT_TURNS", "check_continuation", "check_count", "check_initial_power", "check_length",
    "check_number", "check_probability", "continuation_of",
]

# The length of a match when neither turns nor continuation is given.
DEFAULT_TURNS = 200


def check_number(name: str, value, low=None, high=None, *, low_open=False, high_open=False) -> float:
    """Return ``value`` as a float, or raise a one-line :class:`ParameterError`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ParameterError(f"{name} must be finite, got {value!r}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ParameterError(f"{name} must be in {left}{lo}, {hi}{right}, got {value:g}")
    return value


def check_probability(name: str, value) -> float:
    """Validate a probability in [0, 1]."""
    return check_number(name, value, 0.0, 1.0)


def check_continuation(value) -> float:
    """Validate a continuation probability (the shadow of the future) in [0, 1)."""
    return check_number("continuation", value, 0.0, 1.0, high_open=True)


def check_count(name: str, value, minimum: int = 0) -> int:
    """Validate a whole number ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ParameterError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def check_length(turns, continuation):
    """Validate the match length; returns ``(turns, continuation)``, one of them ``None``."""
    if turns is not None and continuation is not None:
        raise ParameterError("give either turns or continuation, not both")
    if continuation is not None:
        return None, check_continuation(continuation)
    if turns is None:
        return DEFAULT_TURNS, None
    if isinstance(turns, bool) or not isinstance(turns, (int, np.integer)) or turns < 1:
        raise ParameterError(f"turns must be a whole number >= 1, got {turns!r}")
    return int(turns), None


def check_initial_power(initial_power, game) -> int:
    """Validate a starting power position: the levels the first organisation has
    already learned beyond the second, in ``[-(M - 1), M - 1]`` for ``M``
    knowledge levels (a side that had learned everything would have no alliance)."""
    levels = game.knowledge.levels
    if isinstance(initial_power, bool) or not isinstance(initial_power, (int, np.integer)):
        raise ParameterError(f"initial_power must be a whole number, got {initial_power!r}")
    if levels == 0 and initial_power != 0:
        raise ParameterError(
            f"initial_power needs knowledge stakes (power comes from dependence; set game.knowledge.levels), "
            f"got {initial_power}")
    bound = max(levels - 1, 0)
    if not -bound <= initial_power <= bound:
        raise ParameterError(
            f"initial_power must be in [-{bound}, {bound}] (levels already learned, below game.knowledge.levels), "
            f"got {initial_power}")
    return int(initial_power)


def continuation_of(turns, continuation) -> float:
    """The continuation probability strategies are told: ``continuation``, or for a
    fixed-length match the one with the same expected length, ``1 - 1/turns``."""
    return continuation if continuation is not None else 1.0 - 1.0 / turns
