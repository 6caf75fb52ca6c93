"""Resource guards at the entry points (issue 13): each attack of the issue is
refused before anything is allocated, in one line naming the limit; the same
request runs once the limit is raised; shipped scenarios stay within the defaults.

"Refused quickly" is checked by the clock: every refusal below must come well
inside a second, where the request itself would take gigabytes or hours.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from learning_dilemma import Match, Tournament
from learning_dilemma.dynamics import evolve, fixation_probabilities, simulate, small_mutation_limit
from learning_dilemma.dynamics.batch import small_mutation_limits
from learning_dilemma.exact import build_chain, expected_payoffs
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, LearningGame, Power, Ties
from learning_dilemma.io.scenarios import load_scenario, shipped_names
from learning_dilemma.limits import LIMITS, ResourceLimitError, raised, unit
from learning_dilemma.players.automaton import MatchContext
from learning_dilemma.strategies import (
    BoundarySpanner, ContractualReciprocator, Cooperator, Defector, HardTitForTat, TitForTat,
)

PD = [[3, 0], [5, 1]]


def allocating_little():
    """A context that fails if the block allocates more than 64 MB at its peak
    (tracemalloc sees numpy's arrays): a refusal must come before the work."""
    import contextlib
    import tracemalloc

    @contextlib.contextmanager
    def watch():
        tracemalloc.start()
        try:
            yield
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 64 * 2**20, f"allocated {peak / 2**20:.0f} MB before refusing"

    return watch()


def refused(limit, call, *args, **kwargs):
    """``call`` raises a one-line ResourceLimitError naming ``limit``, before allocating; its message."""
    with allocating_little(), pytest.raises(ResourceLimitError) as error:
        call(*args, **kwargs)
    message = str(error.value)
    assert "\n" not in message
    assert f"{unit(limit)}; the limit is" in message and f"--limit {limit}=" in message, message
    return message


def pair():
    return TitForTat(), Defector()


# --- matches ------------------------------------------------------------------------

def test_a_billion_turns_is_refused_before_37_gib():
    message = refused("match_rounds", Match, *pair(), turns=10**9)
    assert message.startswith("turns=1000000000 asks for 1,000,000,000 match rounds")


@pytest.mark.parametrize("continuation", [0.99999999, 0.999999])
def test_a_continuation_near_one_is_refused_by_its_expected_length(continuation):
    if continuation == 0.99999999:  # 1e8 rounds on average: one repetition is over the limit
        message = refused("match_rounds", Match, *pair(), continuation=continuation)
        assert f"continuation={continuation!r}" in message
    else:  # 1e6 on average: one repetition fits, but a tournament of them does not
        Match(*pair(), continuation=continuation)
        refused("rounds", Tournament, [TitForTat(), Defector(), Cooperator()], continuation=continuation,
                repetitions=100)


def test_a_billion_repetitions_is_refused():
    message = refused("rounds", Match, *pair(), turns=200, repetitions=10**9)
    assert "repetitions=1000000000 x 200 rounds" in message


def test_a_match_holding_too_many_rounds_in_memory_is_refused():
    refused("match_rounds", Match, *pair(), turns=200, repetitions=10**6)  # within rounds, not in memory


def test_prior_rounds_of_a_trillion_are_refused():
    refused("match_rounds", Match, *pair(), prior_rounds=10**12)
    refused("match_rounds", Tournament, [TitForTat(), Defector()], prior_rounds=10**12)
    refused("match_rounds", expected_payoffs, TitForTat(), Defector(), continuation=0.9, prior_rounds=10**12)


def test_a_match_runs_when_its_limit_is_raised():
    with raised(match_rounds=100):
        refused("match_rounds", Match, *pair(), turns=101)
        refused("match_rounds", Match, *pair(), turns=10, prior_rounds=101)
        refused("match_rounds", Match, *pair(), turns=10, repetitions=11)  # 110 rounds held
    with raised(match_rounds=100, rounds=50):
        refused("rounds", Match, *pair(), turns=10, repetitions=6)
    with raised(match_rounds=200):
        assert Match(*pair(), turns=101, repetitions=1, seed=1).play().turns == 101
        assert len(Match(*pair(), turns=10, repetitions=11, seed=1).play_batch()) == 11


# --- tournaments --------------------------------------------------------------------

def test_a_tournament_counts_pairings_repetitions_and_length():
    players = [TitForTat(), Defector(), Cooperator(), ContractualReciprocator()]  # 6 pairings
    with raised(rounds=6 * 10 * 20 - 1):
        message = refused("rounds", Tournament, players, turns=20, repetitions=10)
        assert "6 pairings x repetitions=10 x 20 rounds" in message
        refused("rounds", Tournament, players, turns=20, repetitions=6, self_play=True)  # 10 pairings
    with raised(rounds=6 * 10 * 20):
        assert Tournament(players, turns=20, repetitions=10, seed=1).play().n_players == 4


def test_too_many_players_are_refused_and_run_when_raised():
    players = [Cooperator() for _ in range(LIMITS.players + 1)]
    refused("players", Tournament, players, turns=1, repetitions=1)
    with raised(players=2):
        refused("players", Tournament, [TitForTat(), Defector(), Cooperator()], turns=5)
    with raised(players=3):
        Tournament([TitForTat(), Defector(), Cooperator()], turns=5)


def test_workers_are_capped_at_the_cpu_count_unless_told_otherwise():
    cpus = os.cpu_count() or 1
    players = [TitForTat(), Defector()]
    assert Tournament(players, turns=5, processes=0).processes == min(cpus, LIMITS.processes)
    assert Tournament(players, turns=5, processes=cpus + 40).processes == cpus
    refused("processes", Tournament, players, turns=5, processes=105)
    with raised(processes=128):
        assert Tournament(players, turns=5, processes=105).processes == 105
    with raised(processes=1):
        assert Tournament(players, turns=5, processes=0).processes == 1


def test_a_tournament_with_a_round_by_round_player_checks_what_its_matches_hold():
    from learning_dilemma.players.player import Player

    class Giver(Player):
        name = "Giver"

        def strategy(self, opponent):
            return 1.0

    with raised(match_rounds=150):  # 10 repetitions x 20 turns held by the round-by-round pairing
        refused("match_rounds", Tournament, [Giver(), TitForTat()], turns=20, repetitions=10)
        Tournament([Cooperator(), TitForTat()], turns=20, repetitions=10)  # automata: chunked, not held


# --- knowledge and tie levels, nesting, the exact engine ------------------------------

@pytest.mark.parametrize("kind, key", [(Knowledge, "game.knowledge.levels"), (Ties, "game.ties.levels")])
def test_a_billion_knowledge_or_tie_levels_are_refused(kind, key):
    """Knowledge and tie levels size every table ((M + 1)^2 views) and the exact chain:
    both are held to the ladder_levels limit, whose name the first edition's ladder gave it."""
    message = refused("ladder_levels", kind, levels=10**9)
    assert message.startswith(f"{key}=1000000000 asks for 1,000,000,000 knowledge or tie levels")
    with raised(ladder_levels=2):
        refused("ladder_levels", kind, levels=3)
    with raised(ladder_levels=3):
        assert kind(levels=3).levels == 3


def test_the_first_editions_ladder_is_refused_with_what_replaced_it():
    with pytest.raises(ParameterError, match="game.power.levels was removed in the second edition.*"
                                             "set game.knowledge.levels"):
        Power(strength=0.5, levels=10**9)  # refused as removed, before any size is considered


def test_boundary_spanners_nested_twelve_deep_are_refused_when_made():
    with allocating_little(), pytest.raises(ResourceLimitError, match="nested 5 deep asks for 5 nesting; the limit is 4") as error:
        player = BoundarySpanner()
        for _ in range(11):
            player = BoundarySpanner(organisation=player)
    assert "--limit nesting=5" in str(error.value)
    with raised(nesting=1):
        refused("nesting", BoundarySpanner, organisation=BoundarySpanner())
    with raised(nesting=2):
        BoundarySpanner(organisation=BoundarySpanner())


def test_a_wide_nesting_is_refused_by_its_table_size_before_it_is_built():
    # Within the depth limit, but a full tree of spanners of 8-state strategies has
    # 8**8 product states: refused by the table's size when compiled.
    leaf = lambda: BoundarySpanner(organisation=HardTitForTat(), person=HardTitForTat())  # noqa: E731
    middle = lambda: BoundarySpanner(organisation=leaf(), person=leaf())  # noqa: E731
    top = BoundarySpanner(organisation=middle(), person=middle())
    context = MatchContext(LearningGame(), 0.9, None)
    message = refused("chain_states", top.compiled, context)
    assert "or nest fewer strategies" in message


def test_an_exact_chain_over_its_limit_is_refused_before_its_arrays():
    """The chain's states are n_A x n_B automaton states x M^2 stakes (an exhausted side has
    closed the alliance) x (H + 1) ties, plus the closed state; the tie counts only where a
    give can fail (tacitness > 0)."""
    game = LearningGame(knowledge=Knowledge(levels=10), ties=Ties(levels=4))
    context = MatchContext(game, 0.9, None)
    table = TitForTat().compiled(context)  # 3 states: 3 x 3 x 10^2 x 5 + 1 = 4501 states
    with raised(chain_states=4500):
        message = refused("chain_states", build_chain, table, table, game, tacitness=(0.2, 0.0))
        assert "3 x 3 automaton states x 500 relation states" in message and "asks for 4,501 chain states" in message
        assert build_chain(table, table, game).size <= 3 * 3 * 100 + 1  # no tacitness: the tie is left out
    with raised(chain_states=4501):
        assert build_chain(table, table, game, tacitness=(0.2, 0.0)).size <= 4501


def test_a_roster_whose_largest_chain_is_over_the_limit_is_refused_before_any_chain_is_built():
    """Every pairing's chain size is checked before the first is built: a roster whose small
    pairings fit (1 x 1 states) but whose larger one does not (1 x 3) is refused at once,
    not after the small chains have taken gigabytes (M = 100, H = 100: 10^6 relation states)."""
    from learning_dilemma.exact import payoff_matrices, roster_payoffs
    from learning_dilemma.strategies import Cooperator, Opportunist

    game = LearningGame(knowledge=Knowledge(levels=100), ties=Ties(levels=100))
    roster = [Cooperator(tacitness=0.1), Opportunist(tacitness=0.1), TitForTat(tacitness=0.1)]
    message = refused("chain_states", payoff_matrices, roster, game, [0.9])
    assert "x 1010000 relation states" in message
    refused("chain_states", roster_payoffs, roster, game, turns=10)


# --- the dynamics -------------------------------------------------------------------

def test_a_population_of_a_billion_is_refused():
    for call in (fixation_probabilities, small_mutation_limit, small_mutation_limits):
        refused("population", call, PD, 10**9)
    refused("population", simulate, PD, 10**9)
    refused("population", evolve, PD, population=10**9)
    with raised(population=9):
        refused("population", simulate, PD, 10, generations=2)
    with raised(population=10):
        simulate(PD, 10, generations=2, seed=1)


def test_exact_fixation_counts_strategies_squared_times_population():
    A = np.eye(30)  # 30 x 30 chains of 99,999 states: 9e7 numbers in each array
    message = refused("chain_states", fixation_probabilities, A, 100_000)
    assert "or lower the population" in message
    refused("chain_states", evolve, A, population=100_000)
    with raised(chain_states=2 * 2 * 9 - 1):
        refused("chain_states", small_mutation_limit, PD, 10)
    with raised(chain_states=2 * 2 * 9):
        small_mutation_limit(PD, 10)
        small_mutation_limits([PD, PD, PD], 10)  # one matrix at a time within the limit


def test_a_billion_generations_are_refused_and_a_raised_limit_runs():
    message = refused("generations", evolve, PD, population=50, generations=10**9)
    assert "generations=1000000000 x population=50 elementary steps" in message
    refused("generations", simulate, PD, 50, 10**9)
    with raised(generations=199):
        refused("generations", simulate, PD, 10, 20)  # 200 steps
    with raised(generations=200):
        assert simulate(PD, 10, 20, seed=1).counts.shape == (21, 2)


def test_a_long_simulated_run_reports_progress():
    calls = []
    run = simulate(PD, 50, 20_000, 0.5, seed=1, progress=lambda done, total: calls.append((done, total)))
    assert run.events > 1 << 16 and len(calls) >= 2
    assert calls[-1] == (50 * 20_000, 50 * 20_000) and all(d <= t for d, t in calls)
    report = evolve(PD, population=10, generations=5, seed=1, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (50, 50) and report.settings["generations"] == 5


# --- figures --------------------------------------------------------------------------

def test_figures_of_too_many_players_are_refused_with_a_way_round():
    from learning_dilemma.io.plots import give_rates, payoff_heatmap, power_trajectories, write_tournament_plots

    results = Tournament([TitForTat(), Defector(), Cooperator()], turns=5, repetitions=1, seed=1).play()
    with raised(plot_players=2):
        for draw in (payoff_heatmap, give_rates, power_trajectories):
            assert refused("plot_players", draw, results).endswith("or use --no-plots)")
        refused("plot_players", write_tournament_plots, results, "/nonexistent")


# --- what ships stays within the defaults ---------------------------------------------

@pytest.mark.parametrize("name", shipped_names())
def test_shipped_scenarios_build_their_tournaments_within_the_defaults(name):
    scenario = load_scenario(name)
    tournament = scenario.tournament()
    assert len(tournament.players) <= LIMITS.plot_players


@pytest.mark.parametrize("make", [
    lambda: __import__("learning_dilemma.strategies", fromlist=["TrustBuilder"]).TrustBuilder(levels=10**9),
    lambda: __import__("learning_dilemma.strategies", fromlist=["ForgivingColleague"]).ForgivingColleague(patience=10**9),
    lambda: __import__("learning_dilemma.strategies", fromlist=["HabitualAvoidance"]).HabitualAvoidance(proof=10**9),
], ids=["TrustBuilder.levels", "ForgivingColleague.patience", "HabitualAvoidance.proof"])
def test_a_parameter_that_sizes_a_table_is_held_to_the_state_limit(make):
    with pytest.raises(ResourceLimitError, match=r"=1000000000 asks for 1,000,000,000 chain states"):
        make()


def test_a_phase_diagram_is_held_to_the_grid_limit_before_it_is_built():
    from learning_dilemma.experiments.report import phase_diagram
    from learning_dilemma.io.scenarios import load_scenario

    with pytest.raises(ResourceLimitError, match="--phase-points 5000 asks for 25,000,000 grid points"):
        phase_diagram(load_scenario("larsson"), 5000)


def test_a_scenario_count_is_held_to_the_player_limit_before_anyone_is_cloned(tmp_path):
    from learning_dilemma.io.scenarios import load_scenario

    path = tmp_path / "crowd.toml"
    path.write_text('name = "crowd"\n[[players]]\nstrategy = "Peer"\ncount = 100000000\n'
                    '[[players]]\nstrategy = "Expert"\n')
    from learning_dilemma.errors import ParameterError

    with allocating_little(), pytest.raises(ParameterError, match=r"crowd.toml: players\[0\]\.count: the roster asks for 100,000,000 players"):
        load_scenario(str(path))
