"""Does giving emerge? Every view of the dynamics of one payoff matrix at once.

:func:`evolve` runs the replicator dynamics of an infinite population
(:mod:`.replicator`; Taylor & Jonker 1978), the small-mutation limit of a
finite population (:mod:`.fixation`; Fudenberg & Imhof 2006) and a simulated
finite population with mutation (:mod:`.simulation`; Moran 1958, Traulsen,
Nowak & Pacheco 2006), and collects them in an :class:`EvolutionReport` whose
headline is the give rate of the evolved population. Its text rendering is
:func:`learning_dilemma.io.text.evolution_table`, its figure
:func:`learning_dilemma.io.plots.plot_shares` (both above this layer).

References
----------
Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and game
dynamics. Mathematical Biosciences 40, 145-156.
Moran, P. A. P. (1958). Random processes in genetics. Proceedings of the
Cambridge Philosophical Society 54, 60-71.
Traulsen, A., Nowak, M. A. & Pacheco, J. M. (2006). Stochastic dynamics of
invasion and fixation. Physical Review E 74, 011909.
Fudenberg, D. & Imhof, L. A. (2006). Imitation processes with small mutations.
Journal of Economic Theory 131, 251-262.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._compat import deprecated_alias
from .fixation import SmallMutationResult, small_mutation_limit
from .replicator import REPLICATOR_T_MAX, ReplicatorResult, replicator
from .simulation import SimulationResult, check_run, simulate
from .validation import (
    check_fixation_work, check_give_rates, check_intensity, check_names, check_payoffs, check_population,
    check_process,
)

__all__ = ["EvolutionReport", "evolve"]


@dataclass(frozen=True, eq=False)
class EvolutionReport:
    """Does giving emerge? The evolutionary dynamics of a payoff matrix.

    Attributes
    ----------
    names : tuple of str
    replicator : ReplicatorResult
        Infinite population from ``x0`` (uniform by default).
    limit : SmallMutationResult
        Finite population of ``N``, rare mutations.
    simulation : SimulationResult
        Finite population of ``N``, mutation probability ``mutation``.
    settings : dict
        ``population``, ``process``, ``intensity``, ``mutation``,
        ``generations`` and the seed's ``entropy``.

    ``give_shares`` is a deprecated name of :attr:`give_rates`.
    """

    names: tuple
    replicator: ReplicatorResult
    limit: SmallMutationResult
    simulation: SimulationResult
    settings: dict = field(default_factory=dict)

    @property
    def give_rates(self) -> dict:
        """The evolved give rate under each method (``None`` without give rates)."""
        return {
            "replicator": self.replicator.give_rate,
            "small mutations": self.limit.give_rate,
            "simulation": self.simulation.give_rate,
        }

    give_shares = deprecated_alias("give_shares", "give_rates")

    @property
    def survivors(self) -> dict:
        """Names of the surviving strategies under each method."""
        return {
            "replicator": [self.names[i] for i in self.replicator.survivors],
            "small mutations": [self.names[i] for i in self.limit.survivors],
            "simulation": [self.names[i] for i in self.simulation.survivors],
        }


def evolve(
    payoffs,
    give_rates=None,
    names=None,
    *,
    population: int = 50,
    process: str = "moran",
    intensity=None,
    mutation: float = 0.01,
    generations: int = 1000,
    seed=None,
    x0=None,
    t_max: float = REPLICATOR_T_MAX,
    progress=None,
) -> EvolutionReport:
    """Run the replicator dynamics, the small-mutation limit and a simulated
    run on one payoff matrix; see :func:`~.replicator.replicator`,
    :func:`~.fixation.small_mutation_limit` and :func:`~.simulation.simulate`
    for the parameters. ``progress(done, total)`` hears of the simulated run's
    elementary steps (:func:`~.simulation.simulate`).

    Examples
    --------
    >>> report = evolve([[3, 0], [5, 1]], [[1, 1], [0, 0]], ["Giver", "Taker"], population=20, seed=1)
    >>> report.survivors["replicator"], report.survivors["small mutations"]
    (['Taker'], ['Taker'])
    """
    A = check_payoffs(payoffs)
    n = len(A)
    names = check_names(names, n)
    process = check_process(process)
    intensity = check_intensity(process, intensity, A)
    G = check_give_rates(give_rates, n)
    # Every resource estimate before any of the three runs starts.
    check_fixation_work(n, check_population(population))
    check_run(generations, population, n)
    flow = replicator(A, x0=x0, t_max=t_max, give_rates=G)
    limit = small_mutation_limit(A, population, process, intensity, give_rates=G)
    run = simulate(A, population, generations, mutation, process, intensity, seed=seed, give_rates=G,
                   progress=progress)
    settings = {
        "population": int(population), "process": process, "intensity": intensity, "mutation": float(mutation),
        "generations": int(generations), "entropy": run.entropy,
    }
    return EvolutionReport(names, flow, limit, run, settings)
