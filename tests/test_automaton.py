"""Stochastic finite-state automata (learning_dilemma.players.automaton)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, AutomatonTable, LearningGame, MatchContext
from learning_dilemma.games import Knowledge
from learning_dilemma.players.automaton import (
    MEMORY_ONE_STATES,
    give_row,
    memory_one,
    memoryless,
    outcome_state,
    reactive,
    table,
    view_index,
)
from learning_dilemma.errors import ParameterError

CONTEXT = MatchContext(LearningGame(knowledge=Knowledge(levels=2)).with_power(strength=0.5), 0.9)
# The views of a table with M = 2: column K_own (M + 1) + K_partner.
OWN = [0, 0, 0, 1, 1, 1, 2, 2, 2]
PARTNER = [0, 1, 2, 0, 1, 2, 0, 1, 2]
POSITIONS = [p - o for o, p in zip(OWN, PARTNER)]  # z = K_partner - K_own (Emerson 1962)


def test_context_exposes_the_views_but_not_by_default_the_horizon():
    assert CONTEXT.levels == 2 and CONTEXT.own_stakes.tolist() == OWN and CONTEXT.partner_stakes.tolist() == PARTNER
    assert CONTEXT.positions.tolist() == POSITIONS == [0, 1, 2, -1, 0, 1, -2, -1, 0]
    assert CONTEXT.turns is None
    # stakes off (the default): one view, power position 0
    assert MatchContext(LearningGame(), 0.0).positions.tolist() == [0]
    assert [view_index(o, p, 2) for o, p in zip(OWN, PARTNER)] == list(range(9))


def test_give_rows_from_a_number_a_row_or_a_function_of_power():
    assert give_row(0.25, CONTEXT).tolist() == [0.25] * 9
    assert give_row(list(range(9)), CONTEXT).tolist() == list(range(9))
    assert give_row(lambda z: (z >= 1).astype(float), CONTEXT).tolist() == [float(z >= 1) for z in POSITIONS]


def test_leave_tables_default_to_never_and_are_checked():
    stays = reactive(CONTEXT, 1.0, 1.0, 0.0)
    assert not stays.leaves and stays.leave.shape == stays.give.shape and not stays.leave.any()
    ahead = lambda z: (z >= 1).astype(float)  # noqa: E731
    leaver = table(CONTEXT, [1.0], np.zeros((1, 2, 2), dtype=int), leave=[ahead])
    assert leaver.leaves and leaver.leave[0].tolist() == [float(z >= 1) for z in POSITIONS]
    assert leaver.is_deterministic and not table(CONTEXT, [1.0], np.zeros((1, 2, 2), int), leave=[0.5]).is_deterministic
    with pytest.raises(ValueError):
        leaver.leave[0, 0] = 0.5
    with pytest.raises(ParameterError, match="leave table has shape"):
        AutomatonTable(np.ones((1, 9)), np.zeros((1, 2, 2)), 0, ("a",), np.zeros((1, 4)))
    with pytest.raises(ParameterError, match=r"leave probabilities must lie in \[0, 1\]"):
        AutomatonTable(np.ones((1, 9)), np.zeros((1, 2, 2)), 0, ("a",), np.full((1, 9), 1.5))


def test_memory_one_states_follow_axelrods_outcome_order():
    """States 1..4 remember GG, GT, TG, TT (CC, CD, DC, DD), the last outcome from the own side."""
    assert [outcome_state(own, partner) for own, partner in ((1, 1), (1, 0), (0, 1), (0, 0))] == [1, 2, 3, 4]
    automaton = memory_one(CONTEXT, 0.1, 0.2, 0.3, 0.4, 0.5)
    assert automaton.state_names == MEMORY_ONE_STATES and automaton.start == 0
    assert automaton.give[:, 0].tolist() == [0.1, 0.2, 0.3, 0.4, 0.5] and automaton.give.shape == (5, 9)
    for state in range(5):
        assert automaton.next_state[state, GIVE, TAKE] == 2 and automaton.next_state[state, TAKE, GIVE] == 3


def test_reactive_remembers_only_the_partners_move():
    automaton = reactive(CONTEXT, 1.0, 0.8, 0.1)
    assert automaton.give[:, 4].tolist() == [1.0, 0.8, 0.1]
    for state in range(3):
        for own in (TAKE, GIVE):
            assert automaton.next_state[state, own, GIVE] == 1 and automaton.next_state[state, own, TAKE] == 2


def test_memoryless_has_one_state():
    automaton = memoryless(CONTEXT, 0.3)
    assert automaton.n_states == 1 and np.all(automaton.next_state == 0) and not automaton.is_deterministic
    assert memoryless(CONTEXT, 1.0).is_deterministic


def test_prior_rounds_of_mutual_giving_walk_the_automaton():
    counter = table(CONTEXT, [0.0, 0.0, 1.0], [[[0, 1]] * 2, [[0, 2]] * 2, [[0, 2]] * 2])
    assert [counter.after_prior_rounds(k) for k in range(4)] == [0, 1, 2, 2]
    assert counter.state_names == ("s0", "s1", "s2")


def test_tables_are_immutable():
    automaton = reactive(CONTEXT, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError):
        automaton.give[0, 0] = 0.5
    with pytest.raises(ValueError):
        automaton.next_state[0, 0, 0] = 1


@pytest.mark.parametrize(
    "give, next_state, start, names, words",
    [
        ([[0.5]], np.zeros((2, 2, 2)), 0, ("a",), "shapes"),
        ([[1.5]], np.zeros((1, 2, 2)), 0, ("a",), r"\[0, 1\]"),
        ([[np.nan]], np.zeros((1, 2, 2)), 0, ("a",), r"\[0, 1\]"),
        ([[0.5]], np.ones((1, 2, 2)), 0, ("a",), "existing states"),
        ([[0.5]], np.zeros((1, 2, 2)), 1, ("a",), "existing states"),
        ([[0.5]], np.zeros((1, 2, 2)), 0, ("a", "b"), "1 states but 2 names"),
    ],
)
def test_malformed_tables_are_rejected(give, next_state, start, names, words):
    with pytest.raises(ParameterError, match=words):
        AutomatonTable(np.array(give), next_state, start, names)


def test_a_table_too_large_for_the_limit_is_refused_before_it_is_built():
    """States times the (M + 1)^2 views are held to the chain_states limit, so a large
    strategy parameter with many knowledge levels cannot allocate gigabytes."""
    from learning_dilemma.games import Knowledge, LearningGame
    from learning_dilemma.limits import ResourceLimitError
    from learning_dilemma.strategies import TrustBuilder

    context = MatchContext(LearningGame(knowledge=Knowledge(levels=100)), 0.9)
    with pytest.raises(ResourceLimitError, match="states x 10201 views"):
        TrustBuilder(levels=2000, initial=3, confident=2).compiled(context)


def test_a_bad_table_names_its_strategy():
    from learning_dilemma.players.player import Automaton

    class Broken(Automaton):
        name = "Broken"

        def table(self, context):
            return memoryless(context, 1.5)

    with pytest.raises(ParameterError, match=r"^Broken: automaton give probabilities must lie in \[0, 1\]"):
        Broken().compiled(MatchContext(LearningGame(), 0.9))
