"""Solving a chain (exact.solve): the discounted occupation by block forward
substitution and by the bordered system, w -> 1, sparse and dense."""

from __future__ import annotations

import numpy as np
import pytest

import learning_dilemma.exact.chain as chain_module
import learning_dilemma.exact.solve as solve_module
from learning_dilemma import LearningGame
from learning_dilemma.exact import (
    bordered_occupancy,
    expected_payoffs,
    limit_occupancy,
    limit_of_means,
    occupancy,
    pairing_chain,
    payoff_matrices,
    per_round_curve,
)
from learning_dilemma.games import Knowledge
from learning_dilemma.strategies import (
    GTFT,
    BoundarySpanner,
    Calculative,
    Defector,
    Grudger,
    RaceToLearn,
    TitForTat,
    TrustBuilder,
)

from .helpers import POWER, RELATION, P, R, S, T, Committer, as_dense


OCCUPANCY_PAIRS = [
    (Grudger(tacitness=0.1), Committer(), LearningGame()),         # reducible, one class periodic
    (Grudger(tacitness=0.1), Committer(), POWER),                  # reducible: the race ends or nothing moves
    (GTFT(tacitness=0.05), RaceToLearn(), POWER),                  # exits
    (TrustBuilder(tacitness=0.2), Calculative(tacitness=0.1), LearningGame()),
    (TrustBuilder(tacitness=0.2, receptivity=0.6), RaceToLearn(tacitness=0.1), RELATION),  # ties too
]


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("pair", range(len(OCCUPANCY_PAIRS)))
def test_occupancy_is_a_distribution_and_solves_the_naive_system(pair, sparse, monkeypatch):
    if sparse:
        monkeypatch.setattr(chain_module, "DENSE_LIMIT", 2)
    a, b, game = OCCUPANCY_PAIRS[pair]
    chain = pairing_chain(a, b, game, 0.9)
    assert chain.dense is not sparse and chain.size > 2
    ws = np.concatenate([np.linspace(0.0, 0.99, 34), 1.0 - np.logspace(-2, -12, 21)])
    d = occupancy(chain, ws)
    assert d.shape == (len(ws), chain.size)
    np.testing.assert_allclose(d.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert d.min() >= -1e-12
    transitions = as_dense(chain.transitions)
    start = np.eye(chain.size)[chain.start]
    for w in (0.0, 0.3, 0.75, 0.9, 0.99):
        naive = np.linalg.solve((np.eye(chain.size) - w * transitions).T, (1 - w) * start)
        np.testing.assert_allclose(occupancy(chain, [w])[0], naive, rtol=0, atol=1e-11)
    # At w = 1 the bordered system stays regular and gives the Cesaro limit.
    np.testing.assert_allclose(occupancy(chain, [1.0])[0], limit_occupancy(chain), rtol=0, atol=1e-14)
    # ... which the occupation approaches continuously.
    np.testing.assert_allclose(d[-1], limit_occupancy(chain), rtol=0, atol=1e-9)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_occupancy_does_not_depend_on_how_values_are_batched(sparse, monkeypatch):
    if sparse:
        monkeypatch.setattr(chain_module, "DENSE_LIMIT", 2)
    chain = pairing_chain(GTFT(tacitness=0.05), RaceToLearn(), RELATION, 0.9)
    ws = [0.1, 0.5, 0.9, 0.999, 0.9999]
    together = occupancy(chain, ws)
    alone = np.array([occupancy(chain, [w])[0] for w in ws])
    np.testing.assert_array_equal(alone, together)
    monkeypatch.setattr(solve_module, "DENSE_BATCH_BYTES", 1)  # one system per numpy call
    np.testing.assert_allclose(occupancy(chain, ws), together, rtol=0, atol=1e-14)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("pair", range(len(OCCUPANCY_PAIRS)))
def test_block_forward_substitution_equals_the_bordered_system(pair, sparse, monkeypatch):
    """Up to TRIANGULAR_LIMIT d(w) is solved relation state by relation state; it
    agrees with the bordered system (which needs the Cesaro limit) to 1e-12, and
    needs no Cesaro limit itself."""
    if sparse:
        monkeypatch.setattr(chain_module, "DENSE_LIMIT", 2)
    a, b, game = OCCUPANCY_PAIRS[pair]
    chain = pairing_chain(a, b, game, 0.9, noise=0.02)
    assert chain.triangular is not None and chain.dense is not sparse
    ws = np.array([0.0, 0.3, 0.75, 0.9, 0.99, solve_module.TRIANGULAR_LIMIT])
    blockwise = occupancy(chain, ws)
    assert "ergodic" not in vars(chain)  # the Cesaro limit was not needed
    np.testing.assert_allclose(blockwise, bordered_occupancy(chain, ws), rtol=0, atol=1e-12)
    np.testing.assert_allclose(blockwise @ chain.rewards, bordered_occupancy(chain, ws) @ chain.rewards,
                               rtol=0, atol=1e-12)
    # Above the limit the bordered system answers.
    np.testing.assert_array_equal(occupancy(chain, [0.9999]), bordered_occupancy(chain, [0.9999]))


def test_a_chain_with_a_block_above_the_block_limit_is_solved_by_the_bordered_system(monkeypatch):
    chain = pairing_chain(TrustBuilder(tacitness=0.1), GTFT(), POWER, 0.9)
    assert chain.triangular is not None  # cut into blocks while the limit is the default
    monkeypatch.setattr(solve_module, "BLOCK_LIMIT", 3)
    large = pairing_chain(TrustBuilder(tacitness=0.1), GTFT(), POWER, 0.9)
    assert large.triangular is None
    ws = [0.2, 0.9]
    np.testing.assert_array_equal(occupancy(large, ws), bordered_occupancy(large, ws))
    np.testing.assert_allclose(occupancy(large, ws), occupancy(chain, ws), rtol=0, atol=1e-12)


def test_the_depths_cover_the_chain_once():
    """Each state is in exactly one diagonal block, and a depth's blocks are its states."""
    chain = pairing_chain(TrustBuilder(tacitness=0.2, receptivity=0.6), BoundarySpanner(tacitness=0.1), RELATION,
                          0.9)
    seen = np.concatenate([part.low + part.gather[part.mask] for part in chain.triangular])
    np.testing.assert_array_equal(np.sort(seen), np.arange(chain.size))
    for part in chain.triangular:
        assert np.all(chain.depth[part.low:part.high] == chain.depth[part.low])
    assert chain.triangular[-1].low == chain.size - 1  # the closed state, alone and last


def test_sound_as_the_shadow_approaches_one():
    """Per-round values stay exact as w -> 1 and tend to the limit of means."""
    for w in (1 - 1e-6, 1 - 1e-9):
        exact = [(1 - w) * S + w * P, (1 - w) * T + w * P]
        assert expected_payoffs(TitForTat(), Defector(), continuation=w).per_round == pytest.approx(exact, abs=1e-6)
        assert expected_payoffs(TitForTat(), TitForTat(), continuation=w).per_round == pytest.approx([R, R], abs=1e-6)


def test_small_dense_limit_sends_chains_down_the_sparse_path_with_equal_results(monkeypatch):
    a, b, game = GTFT(tacitness=0.05), TrustBuilder(tacitness=0.1, receptivity=0.8), POWER
    ws = [0.0, 0.5, 0.9, 0.999]

    def everything():
        return (
            expected_payoffs(a, b, game, continuation=0.9),
            expected_payoffs(a, b, game, continuation=0.9, averaging="match"),
            expected_payoffs(a, b, game, turns=25),
            per_round_curve(a, b, game, ws),
            per_round_curve(a, b, game, ws, averaging="match"),
            limit_of_means(a, b, game),
            payoff_matrices([a, b, RaceToLearn()], LearningGame(), ws, [0.0, 0.6]),
        )

    assert pairing_chain(a, b, game, 0.9).dense
    dense = everything()
    monkeypatch.setattr(chain_module, "DENSE_LIMIT", 3)
    assert not pairing_chain(a, b, game, 0.9).dense
    sparse = everything()
    for exact in range(3):
        for field in ("totals", "per_round", "give_rates", "mutual_giving"):
            np.testing.assert_allclose(getattr(sparse[exact], field), getattr(dense[exact], field),
                                       rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(sparse[3], dense[3], rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse[4], dense[4], rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse[5].per_round, dense[5].per_round, rtol=0, atol=1e-10)
    for field in ("payoffs", "give_rates", "mutual_giving"):
        np.testing.assert_allclose(getattr(sparse[6], field), getattr(dense[6], field), rtol=0, atol=1e-10)


def test_a_chain_beyond_the_dense_limit_agrees_with_the_dense_solver(monkeypatch):
    """About 1300 reachable states: stored sparse by default, dense when forced;
    block forward substitution and the bordered system (sparse LU, dense LU) agree."""
    a = TrustBuilder(levels=12, tacitness=0.1)
    b = TrustBuilder(levels=12, confident=6, receptivity=0.7)
    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.3)).with_power(strength=0.6)
    chain = pairing_chain(a, b, game, 0.9)
    assert chain.size > chain_module.DENSE_LIMIT and not chain.dense
    sparse = expected_payoffs(a, b, game, continuation=0.95)
    sparse_curve = per_round_curve(a, b, game, [0.3, 0.99, 0.9999], columns="all")
    np.testing.assert_allclose(occupancy(chain, [0.95]), bordered_occupancy(chain, [0.95]), rtol=0, atol=1e-12)
    monkeypatch.setattr(chain_module, "DENSE_LIMIT", 10**6)
    assert pairing_chain(a, b, game, 0.9).dense
    dense = expected_payoffs(a, b, game, continuation=0.95)
    np.testing.assert_allclose(sparse.per_round, dense.per_round, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse.give_rates, dense.give_rates, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse.learning, dense.learning, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse_curve, per_round_curve(a, b, game, [0.3, 0.99, 0.9999], columns="all"),
                               rtol=0, atol=1e-10)
