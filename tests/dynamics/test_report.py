"""The report (learning_dilemma.dynamics.report): every method on a tiny real
roster and on textbook games, its text, and what importing the dynamics loads."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from learning_dilemma import Match
from learning_dilemma.dynamics import EvolutionReport, evolve, replicator
from learning_dilemma.io.text import evolution_table
from learning_dilemma.strategies import Cooperator, Defector, TitForTat

PD = [[3, 0], [5, 1]]  # Axelrod's prisoner's dilemma: 0 gives, 1 takes
PD_GIVES = [[1, 1], [0, 0]]
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


def roster_matrices(players, turns=200):
    n = len(players)
    payoffs, gives = np.zeros((n, n)), np.zeros((n, n))
    for i, a in enumerate(players):
        for j, b in enumerate(players):
            result = Match(a, b, turns=turns, seed=1).play()
            payoffs[i, j], gives[i, j] = result.mean_payoffs[0], result.give_rates[0]
    return payoffs, gives


def test_cooperator_defector_tit_for_tat_roster():
    names = ["Cooperator", "Defector", "Tit For Tat"]
    A, G = roster_matrices([Cooperator(), Defector(), TitForTat()])
    assert A[1, 2] == pytest.approx((5 + 199) / 200) and A[2, 1] == pytest.approx(199 / 200)
    flow = replicator(A, give_rates=G)
    # Computed: from the uniform start the defector dies out and the population
    # comes to rest on the line of neutral cooperator / tit-for-tat mixtures, at a
    # cooperator share 0.229. Defectors could re-invade there only if the
    # cooperator share exceeded (3 - 1.02) / (5 - 1.02) = 0.4975.
    assert flow.settled and flow.survivors == (0, 2)
    assert flow.final[1] < 1e-6
    assert 0.2 < flow.final[0] < (3 - A[1, 2]) / (A[1, 0] - A[1, 2])
    assert flow.give_rate == pytest.approx(1.0, abs=1e-6)
    # Finite populations with rare mutations: tit for tat is the most abundant.
    report = evolve(A, G, names, population=50, process="moran", intensity=0.5, generations=500, seed=1)
    assert np.argmax(report.limit.distribution) == 2
    assert report.survivors["replicator"] == ["Cooperator", "Tit For Tat"]


# --- the report -----------------------------------------------------------------------

def test_evolution_report_collects_every_method():
    report = evolve(PD, PD_GIVES, ["Giver", "Taker"], population=20, process="pairwise", mutation=0.01,
                    generations=300, seed=4)
    assert isinstance(report, EvolutionReport)
    assert report.give_rates == {
        "replicator": report.replicator.give_rate,
        "small mutations": report.limit.give_rate,
        "simulation": report.simulation.give_rate,
    }
    assert report.survivors == {"replicator": ["Taker"], "small mutations": ["Taker"], "simulation": ["Taker"]}
    assert report.settings["entropy"] == 4 and report.settings["intensity"] == 1.0
    text = evolution_table(report)
    assert "Giver" in text and "Taker" in text and "give rate (simulation)" in text
    assert f"{report.simulation.mean_shares[1]:.3f}" in text
    assert "give rate" not in evolution_table(evolve(PD, population=10, generations=10, seed=1))
    assert "not settled" not in text


def test_evolution_report_says_when_the_replicator_run_has_not_settled():
    cycling = evolve(RPS, population=10, process="pairwise", generations=10, seed=1, x0=[0.5, 0.3, 0.2], t_max=50)
    assert not cycling.replicator.settled
    assert "not settled by t=50" in evolution_table(cycling)


def test_importing_evolution_loads_neither_matplotlib_nor_scipy_integrate():
    code = (
        "import sys, learning_dilemma.dynamics\n"
        "assert 'matplotlib' not in sys.modules and 'scipy.integrate' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_evolution_report_old_name_still_works_and_warns():
    report = evolve(PD, PD_GIVES, population=10, generations=10, seed=1)
    with pytest.warns(DeprecationWarning, match="EvolutionReport.give_shares is deprecated; "
                      "use EvolutionReport.give_rates"):
        assert report.give_shares == report.give_rates


@pytest.mark.filterwarnings("error")
def test_the_text_uses_no_deprecated_name():
    report = evolve(PD, PD_GIVES, population=10, generations=10, seed=1)
    assert "give rate (replicator)" in evolution_table(report)
