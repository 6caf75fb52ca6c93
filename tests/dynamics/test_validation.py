"""Bad input to the dynamics is a ParameterError naming the parameter
(learning_dilemma.dynamics.validation)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import ParameterError
from learning_dilemma.dynamics import evolve, fixation_probabilities, replicator, simulate

PD = [[3, 0], [5, 1]]  # Axelrod's prisoner's dilemma: 0 gives, 1 takes
PD_GIVES = [[1, 1], [0, 0]]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: replicator([[1, 2, 3], [4, 5, 6]]), "square"),
        (lambda: replicator([[1]]), "at least 2"),
        (lambda: replicator([[1, np.nan], [0, 1]]), "finite"),
        (lambda: replicator("abc"), "square"),
        (lambda: replicator(PD, x0=[1, -1]), "x0"),
        (lambda: replicator(PD, give_rates=[[1, 2], [0, 0]]), "give_rates"),
        (lambda: replicator(PD, give_rates=np.ones((3, 3))), "give_rates"),
        (lambda: fixation_probabilities(PD, 1), "population"),
        (lambda: fixation_probabilities(PD, 10, "wright-fisher"), "process"),
        (lambda: fixation_probabilities(PD, 10, "pairwise", -1.0), "intensity"),
        (lambda: fixation_probabilities(PD, 10, "moran", 1.5), "intensity"),
        (lambda: fixation_probabilities([[3, -2], [5, 1]], 10, "moran", 0.5), "w < 0.333"),
        (lambda: simulate(PD, mutation=1.5), "mutation"),
        (lambda: simulate(PD, generations=0), "generations"),
        (lambda: simulate(PD, population=10, start=[5, 4]), "start"),
        (lambda: simulate(PD, seed=-1), "seed"),
        (lambda: evolve(PD, names=["only one"]), "names"),
    ],
)
def test_bad_input_is_a_parameter_error(call, words):
    with pytest.raises(ParameterError, match=words.replace(".", r"\.")):
        call()
