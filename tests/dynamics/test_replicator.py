"""The replicator dynamics (learning_dilemma.dynamics.replicator): textbook
results (Taylor & Jonker 1978; Hofbauer & Sigmund 1998), the saturated-rest
stopping rule, and the deprecated names of ReplicatorResult."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma.dynamics import ReplicatorResult, replicator
from learning_dilemma.errors import ParameterError

PD = [[3, 0], [5, 1]]  # Axelrod's prisoner's dilemma: 0 gives, 1 takes
PD_GIVES = [[1, 1], [0, 0]]
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


def hawk_dove(value, cost):
    """Hawk (0) and Dove (1): hawks fight for ``value`` at ``cost``."""
    return [[(value - cost) / 2, value], [0, value / 2]]


def test_replicator_prisoners_dilemma_defector_takes_over():
    result = replicator(PD, give_rates=PD_GIVES)
    assert result.survivors == (1,)
    assert result.final[1] > 1 - 1e-6
    assert result.give_rate < 1e-6
    # It stopped at the rest point, long before t_max.
    assert result.settled and result.times[-1] < 100


@pytest.mark.parametrize("value, cost", [(2, 3), (1, 4), (3, 5)])
def test_replicator_hawk_dove_mixed_equilibrium_has_hawks_at_v_over_c(value, cost):
    for x0 in (None, [0.05, 0.95], [0.95, 0.05]):
        result = replicator(hawk_dove(value, cost), x0=x0)
        assert result.final[0] == pytest.approx(value / cost, abs=1e-6)
        assert result.survivors == (0, 1) and result.settled


def test_replicator_rock_paper_scissors_cycles_conserving_the_product():
    result = replicator(RPS, x0=[0.5, 0.3, 0.2], t_max=200, points=400)
    product = result.shares.prod(axis=1)
    assert np.max(np.abs(product / product[0] - 1)) < 1e-6  # x1 x2 x3 is a constant of motion
    assert not result.settled and result.times[-1] == 200
    assert result.survivors == (0, 1, 2)
    assert result.shares[:, 0].max() - result.shares[:, 0].min() > 0.2  # it really cycles


def test_replicator_at_a_rest_point_stays_there():
    result = replicator(RPS)  # the uniform start is RPS's interior rest point
    assert result.settled
    np.testing.assert_allclose(result.final, np.full(3, 1 / 3))


def test_replicator_does_not_stop_where_a_rare_strategy_can_still_invade():
    """Givers with one defector in 1e20 barely move at first (speed 2e-20), but
    the defector grows at rate T - R = 2 and takes over: that is no rest point."""
    result = replicator(PD, x0=[1 - 1e-20, 1e-20], give_rates=PD_GIVES)
    assert result.survivors == (1,) and result.settled
    assert result.give_rate < 1e-6
    assert 20 < result.times[-1] < 100  # about log(1e20) / 2 = 23 to come back, then the takeover


def test_replicator_runs_past_a_quiet_saddle_a_rare_strategy_can_invade():
    """A hawk-dove pair (0, 1) settles at its mixed rest point (1/2, 1/2), where each
    earns 3 x_1 = x_0 + 2 x_1 = 1.5; a third strategy, at share 1e-16, earns 1.52 there,
    so it grows at 1.52 - 1.5 = 0.02 and, earning 3 against itself and giving 0 to the
    others, takes over. The run is quiet long before (no share moves faster than 1e-9
    times the payoffs' spread) but must not stop there: it ends on the invader alone."""
    A = np.array([[0.0, 3.0, 0.0], [1.0, 2.0, 0.0], [1.52, 1.52, 3.0]])
    G = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    result = replicator(A, x0=[0.9, 0.1 - 1e-16, 1e-16], give_rates=G, points=2001)
    fitness = result.shares @ A.T
    growth = fitness - np.einsum("ti,ti->t", result.shares, fitness)[:, None]
    quiet = np.flatnonzero(np.abs(result.shares * growth).max(axis=1) < 1e-9 * np.ptp(A))[0]
    assert result.shares[quiet, :2] == pytest.approx([0.5, 0.5], abs=1e-6)
    assert result.shares[quiet, 2] < 1e-13 and growth[quiet, 2] == pytest.approx(0.02, abs=1e-6)
    assert result.settled and result.survivors == (2,) and result.give_rate == pytest.approx(1.0, abs=1e-6)
    # from a share below 1e-13 at rate about 0.02, the takeover takes more than ln(1e11) / 0.02 = 1266
    assert result.times[-1] - result.times[quiet] > 1000


def test_replicator_settles_only_at_nash_equilibria_of_the_strategies_present():
    """The limit of an interior orbit is a Nash equilibrium (Hofbauer & Sigmund
    1998, Theorem 7.2.1): where a run settles, no strategy earns more than the
    population's mean payoff, however rare it has become."""
    rng = np.random.default_rng(11)
    settled = 0
    for _ in range(30):
        payoffs = rng.uniform(0, 5, (4, 4))
        result = replicator(payoffs)
        if result.settled:
            settled += 1
            fitness = payoffs @ result.final
            # The run stops where that excess falls to the tolerance (an event root, to 1e-7 relative).
            assert fitness.max() - result.final @ fitness <= 1.000001e-9 * np.ptp(payoffs)
    assert settled >= 20


def test_replicator_trajectory_stays_on_the_simplex_and_faces_are_invariant():
    result = replicator([[3, 0, 3], [5, 1, 1], [3, 1, 3]], x0=[0.5, 0.0, 0.5])
    assert np.all(result.shares >= 0)
    np.testing.assert_allclose(result.shares.sum(axis=1), 1.0)
    assert np.all(result.shares[:, 1] == 0)  # an absent strategy never appears
    assert len(result.times) == 201 and result.times[0] == 0


def test_replicator_ignores_a_constant_added_to_a_column():
    # Hofbauer & Sigmund (1998): adding a constant to a column leaves the dynamics unchanged.
    A = np.array([[1.0, 4.0, 0.5], [2.0, 1.0, 3.0], [0.0, 2.0, 2.0]])
    shifted = A + np.array([0.0, 7.0, -2.0])
    a = replicator(A, x0=[0.2, 0.3, 0.5], t_max=20)
    b = replicator(shifted, x0=[0.2, 0.3, 0.5], t_max=20)
    np.testing.assert_allclose(a.final, b.final, atol=1e-7)


def test_replicator_result_old_names_still_work_and_warn():
    result = replicator(PD, give_rates=PD_GIVES)
    assert isinstance(result, ReplicatorResult)
    with pytest.warns(DeprecationWarning, match="ReplicatorResult.converged is deprecated; "
                      "use ReplicatorResult.settled"):
        assert result.converged is result.settled is True
    with pytest.warns(DeprecationWarning, match="ReplicatorResult.give_share is deprecated; "
                      "use ReplicatorResult.give_rate"):
        assert result.give_share == result.give_rate


def test_shares_at_requested_times_follow_the_logistic_closed_form():
    """A = [[1, 1], [0, 0]]: x' = x (1 - x), so x(t) = x0 e^t / (1 - x0 + x0 e^t)."""
    times = [0.0, 0.5, 1.0, 2.3, 2.3, 7.0]
    result = replicator([[1.0, 1.0], [0.0, 0.0]], x0=[0.2, 0.8], t_eval=times)
    expected = [0.2 * np.exp(t) / (0.8 + 0.2 * np.exp(t)) for t in times]
    np.testing.assert_allclose(result.times, times)
    np.testing.assert_allclose(result.shares[:, 0], expected, rtol=1e-8)
    assert not result.settled  # still moving at t = 7
    assert replicator([[1.0, 1.0], [0.0, 0.0]], x0=[0.2, 0.8], t_eval=[0.0]).shares.tolist() == [[0.2, 0.8]]


@pytest.mark.parametrize("bad", [[], [1.0, 0.5], [-1.0], [0.0, np.inf], "soon"])
def test_requested_times_are_checked(bad):
    with pytest.raises(ParameterError, match="t_eval must be"):
        replicator([[1.0, 1.0], [0.0, 0.0]], t_eval=bad)


def test_requested_times_stay_within_t_max_and_form_a_list():
    with pytest.raises(ParameterError, match="t_eval reaches 50, beyond t_max=1"):
        replicator([[1.0, 1.0], [0.0, 0.0]], t_max=1, t_eval=[0, 50])
    with pytest.raises(ParameterError, match="t_eval must be a non-empty"):
        replicator([[1.0, 1.0], [0.0, 0.0]], t_eval=[[0, 1], [2, 3]])
