"""Noise as axelrod means it: a noisy tournament agrees with axelrod's within
sampling error (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest

axl = pytest.importorskip("axelrod")

from learning_dilemma import Tournament  # noqa: E402
from learning_dilemma.strategies import (  # noqa: E402
    Cooperator,
    Defector,
    Grudger,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
)

REPETITIONS, TURNS, NOISE = 60, 40, 0.05


def test_a_noisy_tournament_agrees_with_axelrods_within_sampling_error():
    ours = [Cooperator(), Defector(), TitForTat(), Grudger(), WinStayLoseShift(), TitForTwoTats()]
    theirs = [axl.Cooperator(), axl.Defector(), axl.TitForTat(), axl.Grudger(), axl.WinStayLoseShift(),
              axl.TitFor2Tats()]
    reference = axl.Tournament(theirs, turns=TURNS, repetitions=REPETITIONS, noise=NOISE, seed=1).play(
        progress_bar=False, processes=1)
    mine = Tournament(ours, turns=TURNS, repetitions=REPETITIONS, noise=NOISE, seed=1).play()
    noiseless = Tournament(ours, turns=TURNS, repetitions=REPETITIONS, seed=1).play()
    z_scores = []
    for i in range(len(ours)):
        for j in range(len(ours)):
            if i == j:
                continue
            a, b = mine.payoffs_by_opponent[i, j], np.array(reference.payoffs[i][j])
            spread = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
            if spread == 0:  # both constant: e.g. never reached by noise
                assert a.mean() == pytest.approx(b.mean())
                continue
            z_scores.append((a.mean() - b.mean()) / spread)
    assert max(abs(z) for z in z_scores) < 4.5, z_scores
    # The check has power: noise moves tit for tat against the grudger well away from mutual giving.
    assert mine.payoff_matrix[2, 3] < noiseless.payoff_matrix[2, 3] - 0.2
