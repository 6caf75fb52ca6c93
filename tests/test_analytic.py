"""The exact Markov-chain engine against closed forms, Axelrod's thresholds and simulation."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import Automaton, LearningGame, Match, MatchContext, Player
from learning_dilemma import exact as analytic
from learning_dilemma.exact import (
    PAY_A,
    PAY_B,
    averaging_plan,
    build_chain,
    critical_continuation,
    expected_payoffs,
    limit_of_means,
    limit_occupancy,
    occupancy,
    pairing_chain,
    payoff_matrices,
    payoff_matrix,
    per_round_curve,
    resistance,
)
from learning_dilemma.players.automaton import table
from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import (
    GTFT,
    Alternator,
    BoundarySpanner,
    Calculative,
    Competition,
    ContractualReciprocator,
    Cooperator,
    Defector,
    Grudger,
    MetaIdentity,
    Opportunist,
    RaceToLearn,
    TitForTat,
    TrustBuilder,
    WinStayLoseShift,
)

R, S, T, P = 3.0, 0.0, 5.0, 1.0


@pytest.mark.parametrize("w", [0.0, 0.3, 0.5, 0.9, 0.99])
def test_tit_for_tat_against_always_take_closed_form(w):
    """TFT earns S then P for ever; the taker T then P: totals S + wP/(1-w), T + wP/(1-w)."""
    result = expected_payoffs(TitForTat(), Defector(), continuation=w)
    assert result.totals == pytest.approx([S + w * P / (1 - w), T + w * P / (1 - w)], rel=1e-10)
    assert result.per_round == pytest.approx((1 - w) * result.totals)


def test_fixed_turns_match_the_textbook_totals():
    result = expected_payoffs(ContractualReciprocator(), Opportunist(), turns=10)
    assert result.totals == pytest.approx([9.0, 14.0])
    assert result.give_rates == pytest.approx([0.1, 0.0])


def test_sound_as_the_shadow_approaches_one():
    """Per-round values stay exact as w -> 1 and tend to the limit of means."""
    for w in (1 - 1e-6, 1 - 1e-9):
        exact = [(1 - w) * S + w * P, (1 - w) * T + w * P]
        assert expected_payoffs(TitForTat(), Defector(), continuation=w).per_round == pytest.approx(exact, abs=1e-6)
        assert expected_payoffs(TitForTat(), TitForTat(), continuation=w).per_round == pytest.approx([R, R], abs=1e-6)


def test_axelrods_thresholds_for_tit_for_tat():
    """Collective stability needs w >= max((T-R)/(T-P), (T-R)/(R-S)) (Axelrod 1984)."""
    assert critical_continuation(TitForTat(), Defector()) == pytest.approx((T - R) / (T - P), abs=1e-9)
    assert critical_continuation(TitForTat(), Alternator()) == pytest.approx((T - R) / (R - S), abs=1e-9)
    threshold = max((T - R) / (T - P), (T - R) / (R - S))
    for invader in (Defector(), Alternator()):
        assert resistance(TitForTat(), invader, LearningGame(), threshold + 1e-3) >= 0
    assert resistance(TitForTat(), Alternator(), LearningGame(), threshold - 1e-3) < 0


def test_win_stay_lose_shift_against_always_take():
    """WSLS resists always-take iff w >= (T-R)/(R-P); with (4, 0, 5, 1) that is 1/3."""
    game = LearningGame.from_payoffs(4, 0, 5, 1, synergy=1.5)
    assert critical_continuation(WinStayLoseShift(), Defector(), game) == pytest.approx(1 / 3, abs=1e-9)
    # With Axelrod's payoffs the threshold is 1: it never resists below it.
    assert np.isnan(critical_continuation(WinStayLoseShift(), Defector()))


def test_always_resisting_and_never_resisting():
    assert critical_continuation(Defector(), Cooperator()) == 0.0
    assert np.isnan(critical_continuation(Cooperator(), Defector()))


def test_power_raises_the_critical_shadow():
    """The race to learn: a taker's growing share makes exploitation pay longer, so
    the reciprocator needs a longer shadow to resist as power strength grows."""
    thresholds = [
        critical_continuation(ContractualReciprocator(), Opportunist(), LearningGame().with_power(strength=s))
        for s in (0.0, 0.5, 1.0)
    ]
    assert thresholds[0] == pytest.approx(0.5, abs=1e-9)
    assert thresholds[0] < thresholds[1] < thresholds[2]


@pytest.mark.parametrize("length", [{"continuation": 0.9}, {"turns": 30}])
def test_agrees_with_monte_carlo_within_four_standard_errors(length):
    game = LearningGame().with_power(strength=0.7)
    a, b = TrustBuilder(tacitness=0.1, receptivity=0.8), Calculative(tacitness=0.05)
    exact = expected_payoffs(a, b, game, **length)
    batch = Match(a, b, game=game, repetitions=20000, seed=5, **length).play_batch()
    mean = batch.totals.mean(axis=0)
    error = batch.totals.std(axis=0) / np.sqrt(len(batch))
    assert np.all(np.abs(mean - exact.totals) < 4 * error)
    gives = batch.give_rates.mean(axis=0) if "turns" in length else None
    if gives is not None:
        assert exact.give_rates == pytest.approx(gives, abs=0.01)


def test_prior_rounds_and_initial_power_are_honoured():
    from learning_dilemma.strategies import HabitualAvoidance

    cold = expected_payoffs(HabitualAvoidance(proof=3), ContractualReciprocator(), turns=20)
    warm = expected_payoffs(HabitualAvoidance(proof=3), ContractualReciprocator(), turns=20, prior_rounds=3)
    assert cold.mutual_giving == 0.0 and warm.mutual_giving == 1.0
    game = LearningGame().with_power(strength=0.8)
    ahead = expected_payoffs(Cooperator(), Cooperator(), game, turns=1, initial_power=3)
    assert ahead.totals[0] > ahead.totals[1]


def test_roster_matrix_matches_pairwise_values():
    players = [TitForTat(), Defector(), GTFT(), Competition()]
    payoffs, gives = payoff_matrix(players, continuation=0.8)
    for i, a in enumerate(players):
        for j, b in enumerate(players):
            if i <= j:
                result = expected_payoffs(a, b, continuation=0.8)
                assert payoffs[i, j] == pytest.approx(result.per_round[0])
                assert payoffs[j, i] == pytest.approx(result.per_round[1])
                assert gives[i, j] == pytest.approx(result.give_rates[0])


def test_curve_recompiles_shadow_dependent_strategies():
    """Calculative pairs give only the opening round below w = 2/3, always above."""
    ws = [0.5, 0.6, 0.7, 0.9]
    curve = per_round_curve(Calculative(), Calculative(), LearningGame(), ws)
    mutual = curve[:, 4]
    assert mutual == pytest.approx([0.5, 0.4, 1.0, 1.0])


def test_imperative_players_are_refused():
    from learning_dilemma import GIVE, Player

    class Always(Player):
        def strategy(self, opponent):
            return GIVE

    with pytest.raises(ParameterError, match="automaton"):
        expected_payoffs(Always(), Defector(), continuation=0.5)


# --- helpers for the engine's internals ----------------------------------------------

POWER = LearningGame().with_power(strength=0.6)


class Committer(Automaton):
    """Decides once, in its first round: after a give it alternates give/take for
    ever, after a take it takes for ever. Against Grudger the chain has two closed
    classes (one of period 2) and which one the match ends in is random."""

    name = "Committer"
    defaults = {"p": 0.4}
    probabilities = ("p",)

    def table(self, context):
        next_state = np.zeros((4, 2, 2), dtype=int)
        next_state[0, 1, :] = 1  # gave first: alternate, starting with a give
        next_state[0, 0, :] = 3  # took first: take for ever
        next_state[1], next_state[2], next_state[3] = 2, 1, 3
        return table(context, [self.p, 1.0, 0.0, 0.0], next_state, 0,
                     ("undecided", "give next", "take next", "taker"))


def _dense(matrix):
    return matrix if isinstance(matrix, np.ndarray) else matrix.toarray()


def _cesaro_by_powers(chain, rounds):
    """``(1/T) sum_{t<T} e_0 M^t`` by repeated vector-matrix products."""
    transitions = _dense(chain.transitions)
    distribution = np.zeros(chain.size)
    distribution[chain.start] = 1.0
    total = np.zeros(chain.size)
    for _ in range(rounds):
        total += distribution
        distribution = distribution @ transitions
    return total / rounds


# --- 1. payoff_matrices over a grid ----------------------------------------------------

GRID_ROSTER = [
    Calculative(tacitness=0.05),
    TrustBuilder(tacitness=0.1, receptivity=0.8),
    Opportunist(),
    RaceToLearn(),
    TitForTat(tacitness=0.05),
    GTFT(),
    BoundarySpanner(),
    MetaIdentity(tacitness=0.1),
]
# Both sides of Calculative's threshold (T-R)/(R-S) = 2/3 with power off.
GRID_WS = [0.0, 0.3, 0.6, 0.66, 0.67, 0.8, 0.95, 0.999]
GRID_STRENGTHS = [0.0, 0.25, 1.0]


@pytest.mark.parametrize("averaging, ws", [
    ("ratio", GRID_WS),
    ("match", [0.0, 0.3, 0.66, 0.67, 0.95]),  # each "match" value costs a quadrature's solves
])
def test_payoff_matrices_equal_single_matrices_at_every_grid_point(averaging, ws):
    game = LearningGame()
    grid = payoff_matrices(GRID_ROSTER, game, ws, GRID_STRENGTHS, averaging=averaging)
    n = len(GRID_ROSTER)
    assert grid.payoffs.shape == (len(ws), len(GRID_STRENGTHS), n, n)
    assert np.array_equal(grid.continuations, ws) and np.array_equal(grid.strengths, GRID_STRENGTHS)
    for i, w in enumerate(ws):
        for k, s in enumerate(GRID_STRENGTHS):
            single = payoff_matrix(GRID_ROSTER, game.with_power(strength=s), continuation=w, averaging=averaging)
            point = grid.at(i, k)
            np.testing.assert_allclose(point.payoffs, single.payoffs, rtol=0, atol=1e-10)
            np.testing.assert_allclose(point.totals * (1 - w), single.totals * (1 - w), rtol=0, atol=1e-10)
            np.testing.assert_allclose(point.gives, single.gives, rtol=0, atol=1e-10)
            np.testing.assert_allclose(point.mutual_giving, single.mutual_giving, rtol=0, atol=1e-10)
    # The grid really varies: Calculative against itself gives only until its first
    # round below 2/3 and until tacitness breaks it above, and power strength moves
    # the payoffs.
    calculative = grid.mutual_giving[:, 0, 0, 0]
    assert calculative[ws.index(0.67)] > calculative[ws.index(0.66)] + 0.3
    assert np.ptp(grid.payoffs[ws.index(0.95), :, 3, 2]) > 0.01  # Race To Learn vs Opportunist


def test_payoff_matrices_equal_chains_built_at_each_strength():
    """Against ``expected_payoffs``, whose chain is built directly at the point's
    strength and whose tables are compiled for the point's shadow (no sharing)."""
    game = LearningGame()
    ws, strengths = [0.3, 0.66, 0.67, 0.95], [0.0, 0.4, 1.0]
    grid = payoff_matrices(GRID_ROSTER, game, ws, strengths)
    for i, w in enumerate(ws):
        for k, s in enumerate(strengths):
            at_s = game.with_power(strength=s)
            for a in range(len(GRID_ROSTER)):
                for b in range(a, len(GRID_ROSTER)):
                    result = expected_payoffs(GRID_ROSTER[a], GRID_ROSTER[b], at_s, continuation=w)
                    assert grid.payoffs[i, k, a, b] == pytest.approx(result.per_round[0], abs=1e-10)
                    assert grid.payoffs[i, k, b, a] == pytest.approx(result.per_round[1], abs=1e-10)
                    assert grid.totals[i, k, a, b] == pytest.approx(result.totals[0], rel=1e-10, abs=1e-10)
                    assert grid.gives[i, k, a, b] == pytest.approx(result.give_rates[0], abs=1e-10)
                    assert grid.gives[i, k, b, a] == pytest.approx(result.give_rates[1], abs=1e-10)
                    assert grid.mutual_giving[i, k, a, b] == pytest.approx(result.mutual_giving, abs=1e-10)


def test_payoff_matrices_honour_prior_rounds_and_initial_power():
    players = [Calculative(), TrustBuilder(initial=0, tacitness=0.1), RaceToLearn()]
    game = LearningGame()
    ws, strengths = [0.5, 0.9], [0.0, 0.7]
    grid = payoff_matrices(players, game, ws, strengths, prior_rounds=2, initial_power=-2)
    for i, w in enumerate(ws):
        for k, s in enumerate(strengths):
            single = payoff_matrix(players, game.with_power(strength=s), continuation=w, prior_rounds=2,
                                   initial_power=-2)
            np.testing.assert_allclose(grid.at(i, k).payoffs, single.payoffs, rtol=0, atol=1e-10)
            result = expected_payoffs(players[1], players[2], game.with_power(strength=s), continuation=w,
                                      prior_rounds=2, initial_power=-2)
            assert grid.payoffs[i, k, 1, 2] == pytest.approx(result.per_round[0], abs=1e-10)


class _CountedTitForTat(TitForTat):
    compilations = 0

    def table(self, context):
        type(self).compilations += 1
        return super().table(context)


def test_payoff_matrices_share_tables_and_chains_across_the_grid(monkeypatch):
    """A table that reads neither game nor shadow is compiled once; a chain is built
    once per pairing, pair of distinct tables and power on or off."""
    built = []
    original = analytic.build_chain

    def counting(*args, **kwargs):
        built.append(args[:2])
        return original(*args, **kwargs)

    monkeypatch.setattr(analytic, "build_chain", counting)
    _CountedTitForTat.compilations = 0
    roster = [_CountedTitForTat(), Defector()]
    grid = payoff_matrices(roster, LearningGame(), [0.2, 0.5, 0.9, 0.99], [0.0, 0.3, 0.6, 1.0])
    assert _CountedTitForTat.compilations == 1
    assert len(built) == 3 * 2  # three pairings (with self-play), power off and on
    # Still right: with power off TFT vs always-take earns S, then P.
    np.testing.assert_allclose(grid.payoffs[:, 0, 0, 1], [(1 - w) * S + w * P for w in (0.2, 0.5, 0.9, 0.99)],
                               rtol=0, atol=1e-12)
    # Calculative's table reads game and shadow: one table on each side of 2/3, and
    # a chain per distinct pair of tables.
    built.clear()
    payoff_matrices([Calculative()], LearningGame(), [0.2, 0.5, 0.9, 0.99], [0.0])
    assert len(built) == 2  # below and above 2/3


class _LengthAware(Automaton):
    """Gives in fixed-length matches, takes in continuation matches: its table reads only the turns."""

    name = "Length Aware"

    def table(self, context):
        return table(context, [1.0 if context.turns is not None else 0.0], np.zeros((1, 2, 2), dtype=int), 0)


def test_a_table_that_reads_the_turns_is_compiled_for_each_length():
    tables = analytic._Tables(_LengthAware(), "a")
    game = LearningGame()
    endless, ten = tables.at(game, 0.9), tables.at(game, 0.9, turns=10)
    assert endless != ten
    assert tables.tables[endless].give.max() == 0.0 and tables.tables[ten].give.min() == 1.0
    # One player in both kinds of match (ten turns have the shadow 0.9 as well).
    player = _LengthAware()
    assert expected_payoffs(player, Defector(), turns=10).give_rates[0] == 1.0
    assert expected_payoffs(player, Defector(), continuation=0.9).give_rates[0] == 0.0


# --- 2. linearity in power strength ------------------------------------------------------

@pytest.mark.parametrize("built_at, wanted", [(1.0, 0.3), (1.0, 1.0), (0.25, 0.8), (0.6, 0.05)])
def test_rewards_at_another_strength_equal_a_chain_built_there(built_at, wanted):
    context = MatchContext(POWER, 0.9)
    table_a = TrustBuilder().compiled(context)
    table_b = RaceToLearn().compiled(context)
    options = dict(receptivity=(0.7, 0.9), tacitness=(0.1, 0.05), initial_power=1)
    source = build_chain(table_a, table_b, LearningGame().with_power(strength=built_at), **options)
    target = build_chain(table_a, table_b, LearningGame().with_power(strength=wanted), **options)
    assert source.strength == built_at and target.strength == wanted
    assert np.array_equal(source.states, target.states) and source.start == target.start
    np.testing.assert_array_equal(source.transitions, target.transitions)
    np.testing.assert_allclose(source.power_gain, target.power_gain, rtol=0, atol=1e-12)
    np.testing.assert_allclose(source.rewards_at(wanted), target.rewards, rtol=0, atol=1e-12)
    assert np.abs(source.power_gain).max() > 0.1  # the shift is not vacuous


# --- 3. the discounted occupation --------------------------------------------------------

OCCUPANCY_PAIRS = [
    (Grudger(tacitness=0.1), Committer(), POWER),                  # reducible, one class periodic
    (GTFT(tacitness=0.05), RaceToLearn(), POWER),
    (TrustBuilder(tacitness=0.2), Calculative(tacitness=0.1), LearningGame()),
]


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("pair", range(len(OCCUPANCY_PAIRS)))
def test_occupancy_is_a_distribution_and_solves_the_naive_system(pair, sparse, monkeypatch):
    if sparse:
        monkeypatch.setattr(analytic, "DENSE_LIMIT", 2)
    a, b, game = OCCUPANCY_PAIRS[pair]
    chain = pairing_chain(a, b, game, 0.9)
    assert chain.dense is not sparse and chain.size > 2
    ws = np.concatenate([np.linspace(0.0, 0.99, 34), 1.0 - np.logspace(-2, -12, 21)])
    d = occupancy(chain, ws)
    assert d.shape == (len(ws), chain.size)
    np.testing.assert_allclose(d.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert d.min() >= -1e-12
    transitions = _dense(chain.transitions)
    start = np.eye(chain.size)[chain.start]
    for w in (0.0, 0.3, 0.75, 0.9, 0.99):
        naive = np.linalg.solve((np.eye(chain.size) - w * transitions).T, (1 - w) * start)
        np.testing.assert_allclose(occupancy(chain, [w])[0], naive, rtol=0, atol=1e-11)
    # At w = 1 the bordered system stays regular and gives the Cesaro limit.
    np.testing.assert_allclose(occupancy(chain, [1.0])[0], limit_occupancy(chain), rtol=0, atol=1e-14)
    # ... which the occupation approaches continuously.
    np.testing.assert_allclose(d[-1], limit_occupancy(chain), rtol=0, atol=1e-9)


def test_occupancy_does_not_depend_on_how_values_are_batched(monkeypatch):
    chain = pairing_chain(GTFT(tacitness=0.05), RaceToLearn(), POWER, 0.9)
    ws = [0.1, 0.5, 0.9, 0.999]
    together = occupancy(chain, ws)
    monkeypatch.setattr(analytic, "DENSE_BATCH_BYTES", 1)  # one system per numpy call
    np.testing.assert_allclose(occupancy(chain, ws), together, rtol=0, atol=1e-14)


# --- 4. the limit of means -----------------------------------------------------------------

def test_limit_of_means_of_tit_for_tat_against_always_take():
    result = limit_of_means(TitForTat(), Defector())
    assert result.per_round == pytest.approx([P, P], abs=1e-12)
    assert result.give_rates == pytest.approx([0.0, 0.0], abs=1e-12)
    assert result.length == np.inf and np.all(np.isnan(result.totals))


@pytest.mark.parametrize("a, b, game", [
    (GTFT(), GTFT(tacitness=0.1), LearningGame()),
    (GTFT(), RaceToLearn(), POWER),
    (TrustBuilder(tacitness=0.1, receptivity=0.8), Calculative(tacitness=0.05), POWER),
    (WinStayLoseShift(tacitness=0.05), TitForTat(tacitness=0.05), LearningGame()),
])
def test_limit_of_means_is_the_limit_of_per_round_values(a, b, game):
    limit = limit_of_means(a, b, game)
    near = per_round_curve(a, b, game, [1 - 1e-9])[0]
    expected = np.concatenate([limit.per_round, limit.give_rates, [limit.mutual_giving]])
    np.testing.assert_allclose(near, expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize("game", [LearningGame(), POWER], ids=["power off", "power on"])
def test_limit_of_means_of_a_reducible_chain_is_the_cesaro_limit(game):
    """Grudger (tacit) against Committer ends, at random, in one of two closed
    classes, one of them periodic: M^t has no limit, its Cesaro mean does."""
    a, b = Grudger(tacitness=0.1), Committer(p=0.4)
    chain = pairing_chain(a, b, game, 1.0)
    absorption, stationary = chain.ergodic
    assert len(stationary) >= 2 and np.count_nonzero(absorption[chain.start] > 0) >= 2
    rounds = 100_000
    by_powers = _cesaro_by_powers(chain, rounds)
    np.testing.assert_allclose(limit_occupancy(chain), by_powers, rtol=0, atol=1e-4)
    result = limit_of_means(a, b, game)
    np.testing.assert_allclose(result.per_round, by_powers @ chain.rewards[:, [PAY_A, PAY_B]], rtol=0, atol=5e-4)
    if not game.power.active:
        # Committer gives first with p = 0.4, then alternates against a Grudger that
        # soon takes for ever: (T + P)/2 and (S + P)/2; otherwise both take: P.
        assert result.per_round == pytest.approx([0.4 * (T + P) / 2 + 0.6 * P, 0.4 * (S + P) / 2 + 0.6 * P],
                                                 abs=1e-12)
        assert result.give_rates == pytest.approx([0.0, 0.2], abs=1e-12)


# --- 5. sparse and dense paths -------------------------------------------------------------

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
    monkeypatch.setattr(analytic, "DENSE_LIMIT", 3)
    assert not pairing_chain(a, b, game, 0.9).dense
    sparse = everything()
    for exact in range(3):
        for field in ("totals", "per_round", "give_rates", "mutual_giving"):
            np.testing.assert_allclose(getattr(sparse[exact], field), getattr(dense[exact], field),
                                       rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(sparse[3], dense[3], rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse[4], dense[4], rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse[5].per_round, dense[5].per_round, rtol=0, atol=1e-10)
    for field in ("payoffs", "gives", "mutual_giving"):
        np.testing.assert_allclose(getattr(sparse[6], field), getattr(dense[6], field), rtol=0, atol=1e-10)


def test_a_chain_beyond_the_dense_limit_agrees_with_the_dense_solver(monkeypatch):
    """About 1600 reachable states: sparse LU by default, dense LU when forced."""
    a = TrustBuilder(levels=12, tacitness=0.1)
    b = TrustBuilder(levels=12, confident=6, receptivity=0.7)
    game = LearningGame().with_power(strength=0.6, levels=6)
    chain = pairing_chain(a, b, game, 0.9)
    assert chain.size > analytic.DENSE_LIMIT and not chain.dense
    sparse = expected_payoffs(a, b, game, continuation=0.95)
    sparse_curve = per_round_curve(a, b, game, [0.3, 0.99])
    monkeypatch.setattr(analytic, "DENSE_LIMIT", 10**6)
    assert pairing_chain(a, b, game, 0.9).dense
    dense = expected_payoffs(a, b, game, continuation=0.95)
    np.testing.assert_allclose(sparse.per_round, dense.per_round, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse.give_rates, dense.give_rates, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sparse_curve, per_round_curve(a, b, game, [0.3, 0.99]), rtol=0, atol=1e-10)


# --- 6. "ratio" and "match" averaging ----------------------------------------------------------

@pytest.mark.parametrize("w", [0.1, 0.5, 0.9, 0.99, 0.999])
def test_match_averaging_of_tit_for_tat_against_always_take_closed_form(w):
    """E[(S + (L-1)P)/L] = P + (S-P) E[1/L], E[1/L] = (1-w)/w (-log(1-w)), L geometric."""
    inverse_length = (1 - w) / w * -np.log1p(-w)
    result = expected_payoffs(TitForTat(), Defector(), continuation=w, averaging="match")
    assert result.per_round == pytest.approx([P + (S - P) * inverse_length, P + (T - P) * inverse_length],
                                             rel=0, abs=1e-9)
    # E[total] does not depend on the averaging.
    assert result.totals == pytest.approx([S + w * P / (1 - w), T + w * P / (1 - w)], rel=1e-10)
    ratio = expected_payoffs(TitForTat(), Defector(), continuation=w)
    assert np.all(np.abs(result.per_round - ratio.per_round) > 1e-3)


@pytest.mark.parametrize("w", [0.5, 0.9, 0.99, 0.999])
def test_match_averaging_equals_the_series_over_match_lengths(w):
    """sum_l (1-w) w^(l-1) (1/l) sum_{t<l} e_0 M^t u, summed until w^l < 1e-17."""
    a, b, game = RaceToLearn(), GTFT(tacitness=0.1), POWER
    chain = pairing_chain(a, b, game, w)
    transitions = _dense(chain.transitions)
    distribution = np.zeros(chain.size)
    distribution[chain.start] = 1.0
    running, series = np.zeros(chain.size), np.zeros(chain.size)
    for length in range(1, int(np.log(1e-17) / np.log(w)) + 2):
        running += distribution
        series += (1 - w) * w ** (length - 1) / length * running
        distribution = distribution @ transitions
    exact = expected_payoffs(a, b, game, continuation=w, averaging="match")
    shares = series @ chain.rewards
    np.testing.assert_allclose(exact.per_round, shares[[PAY_A, PAY_B]], rtol=0, atol=1e-9)
    np.testing.assert_allclose(exact.give_rates, shares[[2, 3]], rtol=0, atol=1e-9)
    assert exact.mutual_giving == pytest.approx(shares[4], abs=1e-9)


@pytest.mark.parametrize("w", [0.2, 0.9, 0.999, 1 - 1e-6])
def test_averaging_plan_weights_integrate_one(w):
    discounts, weights = averaging_plan(w, "match")
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)  # int_0^1 dq
    assert np.all(weights > 0) and np.all((discounts > 0) & (discounts < w))
    assert averaging_plan(w, "ratio")[0].tolist() == [w]


def test_match_averaging_agrees_with_monte_carlo_within_four_standard_errors():
    a, b, w = RaceToLearn(), GTFT(tacitness=0.1), 0.7
    exact = expected_payoffs(a, b, POWER, continuation=w, averaging="match")
    ratio = expected_payoffs(a, b, POWER, continuation=w)
    batch = Match(a, b, game=POWER, continuation=w, repetitions=40000, seed=11).play_batch()
    for simulated, analytic_value, ratio_value in (
        (batch.mean_payoffs, exact.per_round, ratio.per_round),
        (batch.give_rates, exact.give_rates, ratio.give_rates),
        (batch.mutual_giving[:, None], [exact.mutual_giving], [ratio.mutual_giving]),
    ):
        mean = simulated.mean(axis=0)
        error = simulated.std(axis=0) / np.sqrt(len(simulated))
        assert np.all(np.abs(mean - analytic_value) < 4 * error)
    # The simulation tells the two averagings apart, so the check has teeth.
    error = batch.mean_payoffs.std(axis=0) / np.sqrt(len(batch))
    assert np.all(np.abs(batch.mean_payoffs.mean(axis=0) - ratio.per_round) > 8 * error)


def test_ratio_and_match_coincide_for_fixed_turns_and_for_one_round_matches():
    a, b, game = GTFT(tacitness=0.1), RaceToLearn(), POWER
    for turns in (1, 7, 40):
        ratio = expected_payoffs(a, b, game, turns=turns)
        match = expected_payoffs(a, b, game, turns=turns, averaging="match")
        np.testing.assert_array_equal(ratio.per_round, match.per_round)
        np.testing.assert_array_equal(ratio.totals, match.totals)
    roster = [a, b, Calculative()]
    np.testing.assert_array_equal(payoff_matrix(roster, game, turns=12).payoffs,
                                  payoff_matrix(roster, game, turns=12, averaging="match").payoffs)
    # w = 0: every match lasts one round.
    np.testing.assert_allclose(expected_payoffs(a, b, game, continuation=0.0, averaging="match").per_round,
                               expected_payoffs(a, b, game, turns=1).per_round, rtol=0, atol=1e-12)


def test_payoff_matrices_match_averaging_keeps_expected_totals():
    roster = [GTFT(), RaceToLearn(), Calculative(tacitness=0.1)]
    ws = [0.5, 0.9]
    ratio = payoff_matrices(roster, LearningGame(), ws, [0.0, 0.5])
    match = payoff_matrices(roster, LearningGame(), ws, [0.0, 0.5], averaging="match")
    np.testing.assert_allclose(match.totals, ratio.totals, rtol=1e-10, atol=1e-10)
    assert np.abs(match.payoffs - ratio.payoffs).max() > 1e-3


# --- 7. the critical shadow of the future ------------------------------------------------------

def test_critical_continuation_nan_and_zero_with_power_on():
    ws = np.linspace(0.0, 0.999, 12)
    # Always-take resists everything: nobody does better against it than it does.
    assert critical_continuation(Opportunist(), GTFT(), POWER) == 0.0
    assert np.all(resistance(Opportunist(), GTFT(), POWER, ws) >= 0)
    # Always-give resists no taker.
    assert np.isnan(critical_continuation(Cooperator(), RaceToLearn(), POWER))
    assert np.all(resistance(Cooperator(), RaceToLearn(), POWER, ws) < 0)


@pytest.mark.parametrize("grid", [9, 0, -50, True, 12.0, "200", None])
def test_critical_continuation_rejects_a_bad_grid(grid):
    with pytest.raises(ParameterError, match="grid"):
        critical_continuation(TitForTat(), Defector(), grid=grid)


def test_critical_continuation_with_the_smallest_grid():
    assert critical_continuation(TitForTat(), Defector(), grid=np.int64(10)) == pytest.approx(0.5, abs=1e-9)


def test_resistance_accepts_arrays_and_keeps_scalars_scalar():
    """TFT at home earns R; always-take against it (1-w)T + wP per round."""
    ws = np.array([0.1, 0.5, 0.8, 0.99])
    margins = resistance(TitForTat(), Defector(), LearningGame(), ws)
    assert isinstance(margins, np.ndarray) and margins.shape == ws.shape
    np.testing.assert_allclose(margins, R - ((1 - ws) * T + ws * P), rtol=0, atol=1e-12)
    np.testing.assert_allclose(resistance(TitForTat(), Defector(), None, list(ws)), margins, rtol=0, atol=0)
    single = resistance(TitForTat(), Defector(), None, 0.8)
    assert isinstance(single, float) and single == pytest.approx(margins[2], abs=1e-12)
    assert isinstance(resistance(TitForTat(), Defector(), None, np.float64(0.8)), float)
    # Shadow-dependent tables are recompiled per value of the array.
    # At home Calculative gives once and then both take below 2/3, and always gives above.
    curve = resistance(Calculative(), Defector(), LearningGame(), [0.6, 0.7])
    assert curve == pytest.approx([(0.4 * R + 0.6 * P) - (0.4 * T + 0.6 * P), R - (0.3 * T + 0.7 * P)], abs=1e-12)


# --- 8. validation ----------------------------------------------------------------------------------

class _Imperative(Player):
    def strategy(self, opponent):
        return 1


@pytest.mark.parametrize("call", [
    lambda: expected_payoffs(TitForTat(), Defector(), continuation=0.5, averaging="mean"),
    lambda: expected_payoffs(TitForTat(), Defector(), turns=10, averaging="mean"),
    lambda: per_round_curve(TitForTat(), Defector(), None, [0.0, 0.5], averaging="mean"),
    lambda: payoff_matrix([TitForTat(), Defector()], continuation=0.5, averaging="mean"),
    lambda: payoff_matrix([TitForTat(), Defector()], turns=10, averaging=None),
    lambda: payoff_matrices([TitForTat(), Defector()], None, [0.0], averaging="Match"),
    lambda: averaging_plan(0.5, "mean"),
], ids=["expected", "expected turns", "curve", "matrix", "matrix turns", "matrices", "plan"])
def test_bad_averaging_is_refused(call):
    with pytest.raises(ParameterError, match="averaging"):
        call()


def test_bad_averaging_is_refused_at_zero_continuation():
    with pytest.raises(ParameterError, match="averaging"):
        expected_payoffs(TitForTat(), Defector(), continuation=0.0, averaging="mean")


@pytest.mark.parametrize("call", [
    lambda game: expected_payoffs(TitForTat(), Defector(), game, continuation=0.5),
    lambda game: limit_of_means(TitForTat(), Defector(), game),
    lambda game: per_round_curve(TitForTat(), Defector(), game, [0.5]),
    lambda game: payoff_matrix([TitForTat(), Defector()], game, continuation=0.5),
    lambda game: payoff_matrix([TitForTat(), Defector()], game, turns=5),
    lambda game: payoff_matrices([TitForTat(), Defector()], game, [0.5]),
    lambda game: resistance(TitForTat(), Defector(), game, 0.5),
    lambda game: critical_continuation(TitForTat(), Defector(), game),
], ids=["expected", "limit", "curve", "matrix", "matrix turns", "matrices", "resistance", "critical"])
@pytest.mark.parametrize("game", ["axelrod", {"strength": 0.5}, LearningGame().power])
def test_a_game_that_is_not_a_learning_game_is_refused(call, game):
    with pytest.raises(ParameterError, match="game must be a LearningGame"):
        call(game)


@pytest.mark.parametrize("call, message", [
    (lambda: expected_payoffs(_Imperative(), Defector(), continuation=0.5), "player a is"),
    (lambda: expected_payoffs(Defector(), _Imperative(), turns=3), "player b is"),
    (lambda: limit_of_means(TitForTat, Defector()), "player a must be a Player"),
    (lambda: per_round_curve(Defector(), "Tit For Tat", None, [0.5]), "player b must be a Player"),
    (lambda: payoff_matrix([TitForTat(), _Imperative()], continuation=0.5), r"players\[1\] is"),
    (lambda: payoff_matrix([TitForTat(), None], turns=4), r"players\[1\] must be a Player"),
    (lambda: payoff_matrices([_Imperative(), TitForTat()], None, [0.5, 0.9]), r"players\[0\] is"),
    (lambda: resistance(_Imperative(), Defector()), "player resident is"),
    (lambda: critical_continuation(TitForTat(), _Imperative()), "player invader is"),
])
def test_players_that_are_not_automata_are_refused(call, message):
    with pytest.raises(ParameterError, match=message):
        call()
