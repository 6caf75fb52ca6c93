"""The same strategies on the same graph give the same payoffs as axelrod's tournament with ``edges=``.

Issue 18 is judged by it (bench/network_dynamics.py checks it at 500 people). The limit where our
network is axelrod's: every person their own organisation, so every tie is between rivals (overlap
1), on the first edition's game ``LearningGame()`` (Prisoner's Dilemma 3, 0, 5, 1; docs/axelrod.md),
every tie played for a fixed number of rounds from no prior rounds. The roster is the nine
deterministic strategies of ours whose axelrod namesakes have the same rule and the same first move
(axelrod's source: Suspicious Tit For Tat takes first, the others give first;
``tests/test_axelrod_bridge.py`` plays each against its namesake's opponents move for move), so no
draw of either library enters.

axelrod's ``Tournament(players, edges=..., turns=T, repetitions=1)`` plays one match per edge (no
self-interactions); its ``scores`` are each player's total over its matches and its
``normalised_scores`` the mean over its matches of its score per turn. Every person is compared with
both: their total over their ties (exactly: sums of whole numbers) and their total / T / their number
of ties (to rounding: axelrod divides each match by T before averaging), through both of our
engines, the tie engine (``play_network``) and play without imitation (``evolve_network(rate=0)``).
Two graphs: a small world whose rewiring leaves the degrees unequal (the average over edges
matters), and a scale-free graph (degrees from the attachment number to several times it).

People of one organisation are no rivals in our model (overlap ``gamma = 0``), so a tie between
colleagues is not axelrod's game, and the last test shows that the comparison sees it. By hand from the
stage payoff ``P + s x_i x_j + b x_j - c (x_j - gamma g_j) + gamma e x_j (1 - g_i) - gamma c g_i``
(``games/learning.py``) at the default ``P, b, c, s, e = 1, 2, 1, 1, 2``: at ``gamma = 0`` mutual
giving pays ``1 + 1 + 2 - 1 = 3`` and mutual taking ``1``, as at ``gamma = 1``, but the giver facing a
taker gets ``1`` (axelrod's ``S = 0``) and the taker ``1 + 2 - 1 = 2`` (axelrod's ``T = 5``). So with
the same people in organisations of three, each person's total is axelrod's plus 1 for every round in
which they gave to a colleague who took and minus 3 for every round in which they took from a
colleague who gave (those rounds counted from axelrod's own record of each match).
"""

from __future__ import annotations

import warnings

import axelrod as axl  # slow (about 10 s), once for the module
import numpy as np
import pytest

from learning_dilemma.games import LearningGame
from learning_dilemma.networks import Organisation, Person, Population, structures
from learning_dilemma.networks.dynamics import evolve_network
from learning_dilemma.networks.play import play_network
from learning_dilemma.strategies import classic

#: Our deterministic strategy and its axelrod namesake (same rule, same first move).
ROSTER = (
    (classic.TitForTat, axl.TitForTat), (classic.SuspiciousTitForTat, axl.SuspiciousTitForTat),
    (classic.TitForTwoTats, axl.TitFor2Tats), (classic.HardTitForTat, axl.HardTitForTat),
    (classic.Grudger, axl.Grudger), (classic.WinStayLoseShift, axl.WinStayLoseShift),
    (classic.Alternator, axl.Alternator), (classic.Cooperator, axl.Cooperator), (classic.Defector, axl.Defector),
)
PEOPLE = 36   # each of the nine strategies four times
TURNS = 200
SEED = 18
NAMES = [f"Person {k + 1:02d}" for k in range(PEOPLE)]
#: Each person's index into ROSTER: a seeded permutation taken mod 9.
DEAL = np.random.default_rng(SEED).permutation(PEOPLE) % len(ROSTER)
GRAPHS = {
    "small world": structures.small_world(NAMES, 6, 0.3, seed=SEED),
    "scale free": structures.scale_free(NAMES, 2, seed=SEED),
}


def population(ties, organisation_of=lambda k: NAMES[k]) -> Population:
    """The 36 people on ``ties``; person k plays ROSTER[DEAL[k]], in organisation ``organisation_of(k)``."""
    people = [Person(name, organisations=(organisation_of(k),), strategy=ROSTER[DEAL[k]][0]())
              for k, name in enumerate(NAMES)]
    organisations = dict.fromkeys(organisation_of(k) for k in range(PEOPLE))
    return Population([Organisation(name, policy=classic.Cooperator()) for name in organisations], people, ties=ties)


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def played(request):
    """The graph's rival population and axelrod's edges tournament on its ties, player k our person k."""
    rivals = population(GRAPHS[request.param])
    players = [ROSTER[d][1]() for d in DEAL]
    edges = [(int(u), int(v)) for u, v in rivals.tie_people]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = axl.Tournament(players, edges=edges, turns=TURNS, repetitions=1, seed=SEED).play(
            processes=None, progress_bar=False)
    return rivals, results


def degrees(population_: Population) -> np.ndarray:
    return np.bincount(population_.tie_people.reshape(-1), minlength=population_.n_people)


def test_the_graphs_are_worth_comparing(played):
    rivals, results = played
    degree = degrees(rivals)
    assert degree.min() >= 2 and degree.max() > degree.min()        # everybody plays; the edge average matters
    assert sorted(set(DEAL.tolist())) == list(range(len(ROSTER)))    # all nine strategies
    assert len({p.organisations for p in rivals.people}) == PEOPLE   # every tie between rivals
    assert len(np.unique([s[0] for s in results.normalised_scores])) > 10   # people are paid differently


@pytest.mark.parametrize("engine", ["play_network", "evolve_network"])
def test_every_persons_payoff_is_axelrods_in_its_edges_tournament(played, engine):
    rivals, results = played
    game = LearningGame()
    R, P, S, T = axl.Game().RPST()
    assert game.rstp() == (R, S, T, P) == (3, 0, 5, 1)
    if engine == "play_network":
        totals = play_network(rivals, game, rounds=TURNS, seed=SEED).contributions.person_payoffs[0].sum(axis=1)
    else:
        strategies = [ours() for ours, _ in ROSTER]
        evolution = evolve_network(rivals, game, strategies, TURNS, SEED, rate=0.0, start=DEAL, record=True)
        totals = evolution.person_payoffs[0].sum(axis=1)
    scores = np.array([s[0] for s in results.scores], dtype=float)
    normalised = np.array([s[0] for s in results.normalised_scores], dtype=float)
    assert totals.shape == scores.shape == normalised.shape == (PEOPLE,)   # every person compared
    np.testing.assert_array_equal(totals, scores)
    np.testing.assert_allclose(totals / TURNS / degrees(rivals), normalised, rtol=0, atol=1e-12)


def test_a_tie_between_colleagues_is_not_axelrods_game(played):
    rivals, results = played
    colleagues = population([(NAMES[u], NAMES[v]) for u, v in rivals.tie_people],
                            organisation_of=lambda k: f"Organisation {k // 3}")
    totals = play_network(colleagues, LearningGame(), rounds=TURNS, seed=SEED).contributions.person_payoffs[0].sum(
        axis=1)
    C, D = axl.Action.C, axl.Action.D
    expected = np.array([s[0] for s in results.scores], dtype=float)
    for u, v in colleagues.tie_people:
        if u // 3 == v // 3:
            rounds = results.state_distribution[u][v]    # axelrod's (u's move, v's move) counts
            expected[u] += rounds[(C, D)] - 3 * rounds[(D, C)]
            expected[v] += rounds[(D, C)] - 3 * rounds[(C, D)]
    assert not np.array_equal(expected, [s[0] for s in results.scores])   # some colleague was exploited
    np.testing.assert_array_equal(totals, expected)
