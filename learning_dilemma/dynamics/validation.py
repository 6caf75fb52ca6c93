"""Checks of the dynamics' input: each returns the clean value or raises a
:class:`~learning_dilemma.errors.ParameterError` that names the parameter.

The processes and their selection intensities are those of Nowak, Sasaki,
Taylor & Fudenberg (2004) (the frequency-dependent Moran process, fitness
``1 - w + w * payoff``) and Traulsen, Nowak & Pacheco (2006) (pairwise
comparison with the Fermi rule, intensity ``beta``).

References
----------
Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of
cooperation and evolutionary stability in finite populations. Nature 428,
646-650.
Traulsen, A., Nowak, M. A. & Pacheco, J. M. (2006). Stochastic dynamics of
invasion and fixation. Physical Review E 74, 011909.
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError
from ..limits import check
from .._validation import check_count, check_number

__all__ = [
    "DEFAULT_INTENSITY",
    "PROCESSES",
    "check_fixation_work",
    "check_give_rates",
    "check_intensity",
    "check_names",
    "check_payoffs",
    "check_population",
    "check_process",
    "check_shares",
    "check_threshold",
]

#: The finite-population processes: the frequency-dependent Moran process
#: (birth proportional to fitness, random death) and the pairwise-comparison
#: process (imitation of a random model with the Fermi probability).
PROCESSES = ("moran", "pairwise")
#: Selection intensity when none is given: Moran ``w`` (fitness ``1 - w + w *
#: payoff``) and pairwise-comparison ``beta``.
DEFAULT_INTENSITY = {"moran": 0.5, "pairwise": 1.0}


def check_payoffs(payoffs, name: str = "payoffs", stacked: bool = False) -> np.ndarray:
    """The payoff matrix as a float array, or a :class:`ParameterError`.

    It must be square, at least 2 x 2 and finite. With ``stacked``, a stack of
    such matrices ``(P, n, n)`` is accepted too (one matrix becomes a stack of
    one), returned in C order so that sums over it run in the same order
    whatever the caller's layout.
    """
    try:
        matrix = np.array(payoffs, dtype=float, order="C")
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a square matrix of numbers, got {payoffs!r}") from None
    if stacked and matrix.ndim == 2:
        matrix = matrix[None]
    square = matrix.ndim == (3 if stacked else 2) and matrix.shape[-1] == matrix.shape[-2]
    if not square:
        expected = "(n, n) or (points, n, n)" if stacked else "(n, n)"
        raise ParameterError(f"{name} must be a square {expected} matrix, got shape {matrix.shape}")
    if matrix.shape[-1] < 2:
        raise ParameterError(f"{name} needs at least 2 strategies, got {matrix.shape[-1]}")
    if not np.all(np.isfinite(matrix)):
        raise ParameterError(f"{name} must be finite, got nan or inf at {tuple(np.argwhere(~np.isfinite(matrix))[0])}")
    return matrix


def check_give_rates(give_rates, n: int) -> np.ndarray | None:
    """The give-rate matrix (``None`` stays ``None``): (n, n), entries in [0, 1]."""
    if give_rates is None:
        return None
    matrix = check_payoffs(give_rates, "give_rates")
    if matrix.shape != (n, n):
        raise ParameterError(f"give_rates must have the payoffs' shape {(n, n)}, got {matrix.shape}")
    if np.any(matrix < 0) or np.any(matrix > 1):
        raise ParameterError("give_rates must be shares of rounds, in [0, 1]")
    return matrix


def check_names(names, n: int) -> tuple:
    """Strategy names, ``strategy 1``... when ``None``."""
    if names is None:
        return tuple(f"strategy {i + 1}" for i in range(n))
    names = tuple(str(name) for name in names)
    if len(names) != n:
        raise ParameterError(f"names must name the {n} strategies of the payoff matrix, got {len(names)}")
    return names


def check_process(process) -> str:
    """One of :data:`PROCESSES`."""
    if process not in PROCESSES:
        raise ParameterError(f"process must be one of {', '.join(PROCESSES)}, got {process!r}")
    return process


def check_intensity(process: str, intensity, payoffs: np.ndarray) -> float:
    """Selection intensity: Moran ``w`` in [0, 1] with positive fitness, or
    pairwise-comparison ``beta >= 0``; ``None`` gives the process default."""
    if intensity is None:
        intensity = DEFAULT_INTENSITY[process]
    if process == "pairwise":
        return check_number("intensity (beta)", intensity, 0.0)
    w = check_number("intensity (w)", intensity, 0.0, 1.0)
    lowest = float(payoffs.min())
    if 1 - w + w * lowest <= 0:
        limit = 1 / (1 - lowest)
        raise ParameterError(
            f"Moran fitness 1 - w + w*payoff must be positive: the lowest payoff {lowest:g} needs "
            f"w < {limit:.3g}, got w={w:g}; lower the intensity or use process='pairwise'"
        )
    return w


def check_population(population) -> int:
    """A finite population size ``N >= 2``, at most the ``population`` resource
    limit (:mod:`learning_dilemma.limits`)."""
    N = check_count("population", population, 2)
    check("population", N, f"population={N}")
    return N


def check_fixation_work(n: int, N: int) -> int:
    """The exact fixation probabilities of ``n`` strategies in a population of
    ``N`` solve ``n x n`` birth-death chains of ``N - 1`` states each, in arrays
    of ``n * n * (N - 1)`` numbers: refused above the ``chain_states`` resource
    limit before they are allocated. Returns that count."""
    cells = n * n * (N - 1)
    check("chain_states", cells,
          f"exact fixation of {n} strategies in population={N} ({n} x {n} chains of {N - 1} states)",
          hint="or lower the population")
    return cells


def check_threshold(threshold) -> float:
    """A survivor's share threshold, in [0, 1]."""
    return check_number("threshold", threshold, 0.0, 1.0)


def check_shares(x0, n: int) -> np.ndarray:
    """Initial shares of ``n`` strategies, normalised to sum 1; uniform when ``None``."""
    if x0 is None:
        return np.full(n, 1.0 / n)
    try:
        x = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"x0 must be {n} shares, got {x0!r}") from None
    if x.shape != (n,) or not np.all(np.isfinite(x)) or np.any(x < 0) or x.sum() <= 0:
        raise ParameterError(f"x0 must be {n} non-negative shares with a positive sum, got {x0!r}")
    return x / x.sum()
