"""Resource limits: what one request may ask for, fixed and documented.

Before a run allocates memory or starts work, it estimates what the request
asks for (rounds, knowledge and tie levels, grid points, population, generations, nesting,
figure size) and refuses, with a one-line :class:`ResourceLimitError`, anything
above these limits. The limits are fixed numbers, not the free memory of the
moment, so the same command behaves the same on every machine. Each message
names the limit and how to raise it: ``--limit NAME=VALUE`` on the command line
(any command), or :func:`raised` in Python::

    with learning_dilemma.limits.raised(rounds=10**10):
        Tournament(players, turns=10**8).play()

The defaults (``docs/reference.md``, "Limits") let every shipped scenario,
sweep, report and demo run many times over, and stop requests that would need
gigabytes or hours before they begin.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from dataclasses import dataclass

from .errors import ParameterError

__all__ = [
    "LIMITS", "Limits", "ResourceLimitError", "UNITS", "check", "check_play", "expected_length", "raised", "set_limit",
    "unit",
]


class ResourceLimitError(ParameterError):
    """A request asks for more than a resource limit allows."""


@dataclass
class Limits:
    """The limits in force (one instance, :data:`LIMITS`).

    Attributes
    ----------
    rounds : int
        Rounds one run may play in all: pairings x repetitions x expected match
        length (a continuation match's expected length is ``1 / (1 - w)``).
    match_rounds : int
        Expected rounds of one match (fixed turns, or ``1 / (1 - w)``), prior
        rounds, and the rounds a :class:`~learning_dilemma.match.Match` holds
        in memory at once (repetitions x expected longest repetition).
    ladder_levels : int
        Levels of a relation's state: the knowledge levels ``M``
        (``game.knowledge.levels``) and the tie levels ``H``
        (``game.ties.levels``), each held to it. (The name is the first
        edition's, whose power ladder had this half-width; it is kept so
        ``--limit ladder_levels=N`` goes on working.)
    chain_states : int
        Joint states of one pairing's Markov chain in the exact engine:
        ``n_A x n_B`` automaton states times ``M^2 (H + 1)`` relation states
        (stakes and tie), plus the closed alliance.
    grid_points : int
        Points of one sweep or phase diagram.
    population : int
        Size of a finite population.
    generations : int
        Elementary steps of a simulated evolutionary run (generations x
        population), and the counts it records (generations x strategies).
    players : int
        Players in one tournament or roster.
    plot_players : int
        Players a tournament's figures may show (they grow with players squared).
    nesting : int
        How deeply strategies may nest inside one another (a boundary spanner
        made of strategies made of strategies...).
    processes : int
        Worker processes (0 or more than the CPUs asks for every CPU).
    people : int
        People in one knowledge-sharing network (:mod:`learning_dilemma.networks`).
    ties : int
        Ties between people in one network.
    group_size : int
        Members of one group (a group draws one number per ordered pair of
        members per round: its size squared).
    """

    rounds: int = 200_000_000
    match_rounds: int = 5_000_000
    ladder_levels: int = 100
    chain_states: int = 2_000_000
    grid_points: int = 1_000_000
    population: int = 100_000
    generations: int = 10_000_000
    players: int = 1_000
    plot_players: int = 100
    nesting: int = 4
    processes: int = 64
    people: int = 100_000
    ties: int = 2_000_000
    group_size: int = 200


LIMITS = Limits()

# Relative rounding noise tolerated in estimates (products of floats).
_SLACK = 1e-9


def _raise_hint(name: str, needed) -> str:
    if not (isinstance(needed, (int, float)) and math.isfinite(needed)):
        return f"raise it with --limit {name}=N"
    # a float estimate such as 10.000000000000002 rounds per match is not one more round
    value = round(needed) if abs(needed - round(needed)) <= _SLACK * needed else math.ceil(needed)
    return f"raise it with --limit {name}={value:d}"


def check(name: str, requested: float, what: str, hint: str | None = None) -> None:
    """Refuse ``requested`` if it is above the limit ``name``.

    Parameters
    ----------
    name : str
        A field of :class:`Limits`.
    requested : float
        What the request asks for (may be ``inf``).
    what : str
        What is being asked for, for the message (e.g. ``"turns=1000000000"``).
    hint : str, optional
        Another way round the limit (``"or use --no-plots"``), said after the
        way to raise it.
    """
    limit = getattr(LIMITS, name)
    if requested > limit * (1 + _SLACK):  # float estimates carry rounding noise
        asked = "without end" if math.isinf(requested) else f"{requested:,.0f}"
        extra = f", {hint}" if hint else ""
        raise ResourceLimitError(
            f"{what} asks for {asked} {unit(name)}; the limit is {limit:,} "
            f"({_raise_hint(name, requested)}{extra})"
        )


# What a limit counts, where its name (kept for --limit) says it less well: the
# first edition's ladder is gone, ladder_levels now bounds knowledge and tie levels.
UNITS = {"ladder_levels": "knowledge or tie levels"}


def unit(name: str) -> str:
    """What the limit ``name`` counts, as its refusals say it."""
    return UNITS.get(name, name.replace("_", " "))


def expected_length(turns, continuation) -> float:
    """Expected rounds of one repetition: ``turns``, or ``1 / (1 - w)``."""
    if turns is not None:
        return float(turns)
    return math.inf if continuation >= 1 else 1.0 / (1.0 - continuation)


def _length_words(turns, continuation) -> str:
    return f"turns={turns}" if turns is not None else f"continuation={continuation!r} (mean length 1/(1-w))"


def check_play(turns, continuation, prior_rounds: int, repetitions: int, pairings: int = 1,
               held: bool = False) -> None:
    """The estimates of a match or tournament, refused before anything is allocated.

    One repetition's expected length (``turns`` or ``1 / (1 - w)``) and the
    ``prior_rounds`` against ``match_rounds``; ``pairings x repetitions x
    expected length`` against ``rounds``; with ``held`` (every repetition of a
    :class:`~learning_dilemma.match.Match` is held in memory at once, padded to
    the longest), ``repetitions x expected longest repetition`` against
    ``match_rounds`` (the longest of ``R`` geometric lengths has mean about
    ``H_R / (1 - w)``, ``H_R`` the harmonic number).
    """
    length = expected_length(turns, continuation)
    check("match_rounds", length, _length_words(turns, continuation))
    check("match_rounds", prior_rounds, f"prior_rounds={prior_rounds}")
    if pairings > 1:
        what = f"{pairings:,} pairings x repetitions={repetitions} x {length:,.0f} rounds"
    else:
        what = f"repetitions={repetitions} x {length:,.0f} rounds"
    check("rounds", pairings * repetitions * length, what)
    if held:
        spread = 1.0 if turns is not None or repetitions == 1 else (
            math.log(repetitions) + 0.5772156649 + 0.5 / repetitions)
        check("match_rounds", repetitions * length * spread,
              f"repetitions={repetitions} x {length * spread:,.0f} rounds (the expected longest), held in memory")


def set_limit(name: str, value) -> None:
    """Change one limit (``--limit NAME=VALUE``); a one-line error for a bad name or value."""
    fields = {f.name for f in dataclasses.fields(Limits)}
    if name not in fields:
        raise ParameterError(f"--limit: unknown limit {name!r}; limits: {', '.join(sorted(fields))}")
    try:
        number = int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(f"--limit {name}: expected a whole number, got {value!r}") from None
    if number < 1:
        raise ParameterError(f"--limit {name}: expected a whole number >= 1, got {value!r}")
    setattr(LIMITS, name, number)


@contextlib.contextmanager
def raised(**changes):
    """Raise (or lower) limits inside a ``with`` block; restored afterwards."""
    before = dataclasses.replace(LIMITS)
    try:
        for name, value in changes.items():
            set_limit(name, value)
        yield LIMITS
    finally:
        for field in dataclasses.fields(Limits):
            setattr(LIMITS, field.name, getattr(before, field.name))
