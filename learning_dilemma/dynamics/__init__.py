"""Evolutionary dynamics on a payoff matrix: does giving emerge?

Strategies compete in a population; the more a strategy earns against the
population, the more it spreads. The input is a payoff matrix ``A`` where
``A[i, j]`` is the mean payoff per round of strategy ``i`` against ``j`` (for
example :attr:`learning_dilemma.results.TournamentResults.payoff_matrix` of a
tournament with self-play) and, optionally, a give-rate matrix ``G`` where
``G[i, j]`` is ``i``'s share of rounds in which it gave against ``j``
(:attr:`~learning_dilemma.results.TournamentResults.give_rate_matrix`). Four views of
the same question, one module each:

- :mod:`.replicator`: the replicator dynamics of an infinite population
  (Taylor & Jonker 1978; Hofbauer & Sigmund 1998), integrated in log shares
  with :func:`scipy.integrate.solve_ivp`.
- :mod:`.fixation`: the exact probability that a single mutant takes over a
  finite population of ``N``, under the frequency-dependent Moran process
  (Moran 1958; Nowak, Sasaki, Taylor & Fudenberg 2004; Taylor, Fudenberg,
  Sasaki & Nowak 2004) or the pairwise-comparison process with the Fermi rule
  (Traulsen, Nowak & Pacheco 2006), and where the population spends its time
  when mutations are rare (Fudenberg & Imhof 2006).
- :mod:`.simulation`: a seeded stochastic run of either process with mutation.
- :mod:`.batch`: the replicator endpoints and small-mutation limits of a whole
  sweep's matrices at once (Dormand & Prince 1980).

:func:`evolve` (:mod:`.report`) runs the first three and returns an
:class:`EvolutionReport` whose headline is the give rate of the evolved
population. :mod:`.validation` checks the input, :mod:`.measures` reads
survivors and give rates off a population. The equations and choices are
documented in ``docs/evolution.md``. The figure of a trajectory is
:func:`learning_dilemma.io.plots.plot_shares`, its text
:func:`learning_dilemma.io.text.evolution_table`.

References
----------
Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and game
dynamics. Mathematical Biosciences 40, 145-156.
Hofbauer, J. & Sigmund, K. (1998). Evolutionary Games and Population Dynamics.
Cambridge University Press.
Moran, P. A. P. (1958). Random processes in genetics. Proceedings of the
Cambridge Philosophical Society 54, 60-71.
Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of
cooperation and evolutionary stability in finite populations. Nature 428,
646-650.
Taylor, C., Fudenberg, D., Sasaki, A. & Nowak, M. A. (2004). Evolutionary game
dynamics in finite populations. Bulletin of Mathematical Biology 66, 1621-1644.
Traulsen, A., Nowak, M. A. & Pacheco, J. M. (2006). Stochastic dynamics of
invasion and fixation. Physical Review E 74, 011909.
Fudenberg, D. & Imhof, L. A. (2006). Imitation processes with small mutations.
Journal of Economic Theory 131, 251-262.
Dormand, J. R. & Prince, P. J. (1980). A family of embedded Runge-Kutta
formulae. Journal of Computational and Applied Mathematics 6, 19-26.
"""

from __future__ import annotations

from .fixation import (
    SmallMutationResult,
    embedded_generator,
    fixation_from_log_ratios,
    fixation_probabilities,
    log_transition_ratios,
    payoffs_with_mutants,
    small_mutation_limit,
    stationary_distribution,
)
from .measures import (
    ABUNDANCE_THRESHOLD,
    REPLICATOR_THRESHOLD,
    give_rate,
    give_share,
    population_give_rate,
    population_give_share,
    surviving,
)
from .replicator import (
    CONVERGED_SPEED,
    REPLICATOR_T_MAX,
    ReplicatorResult,
    log_replicator_field,
    replicator,
    replicator_field,
    rest_excess,
)
from .report import EvolutionReport, evolve
from .simulation import SimulationResult, simulate
from .validation import (
    DEFAULT_INTENSITY,
    PROCESSES,
    check_give_rates,
    check_intensity,
    check_names,
    check_payoffs,
    check_population,
    check_process,
    check_shares,
    check_threshold,
)

__all__ = [
    # the report
    "EvolutionReport",
    "evolve",
    # replicator dynamics
    "CONVERGED_SPEED",
    "REPLICATOR_T_MAX",
    "ReplicatorResult",
    "log_replicator_field",
    "replicator",
    "replicator_field",
    "rest_excess",
    # fixation and the small-mutation limit
    "SmallMutationResult",
    "embedded_generator",
    "fixation_from_log_ratios",
    "fixation_probabilities",
    "log_transition_ratios",
    "payoffs_with_mutants",
    "small_mutation_limit",
    "stationary_distribution",
    # a simulated run
    "SimulationResult",
    "simulate",
    # survivors and give rates
    "ABUNDANCE_THRESHOLD",
    "REPLICATOR_THRESHOLD",
    "give_rate",
    "population_give_rate",
    "surviving",
    # input checks
    "DEFAULT_INTENSITY",
    "PROCESSES",
    "check_give_rates",
    "check_intensity",
    "check_names",
    "check_payoffs",
    "check_population",
    "check_process",
    "check_shares",
    "check_threshold",
    # deprecated names (they warn): give_share -> give_rate, population_give_share -> population_give_rate
    "give_share",
    "population_give_share",
]
