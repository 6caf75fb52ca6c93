"""Stochastic finite-state automata (learning_dilemma.players.automaton)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, AutomatonTable, LearningGame, MatchContext
from learning_dilemma.players.automaton import (
    MEMORY_ONE_STATES,
    give_row,
    memory_one,
    memoryless,
    outcome_state,
    reactive,
    table,
)
from learning_dilemma.errors import ParameterError

CONTEXT = MatchContext(LearningGame().with_power(strength=0.5, levels=2), 0.9)


def test_context_exposes_the_ladder_but_not_by_default_the_horizon():
    assert CONTEXT.levels == 2 and CONTEXT.positions.tolist() == [-2, -1, 0, 1, 2]
    assert CONTEXT.turns is None
    assert MatchContext(LearningGame(), 0.0).positions.tolist() == [-3, -2, -1, 0, 1, 2, 3]


def test_give_rows_from_a_number_a_row_or_a_function_of_power():
    assert give_row(0.25, CONTEXT).tolist() == [0.25] * 5
    assert give_row([0, 0, 1, 1, 1], CONTEXT).tolist() == [0, 0, 1, 1, 1]
    assert give_row(lambda z: (z >= 1).astype(float), CONTEXT).tolist() == [0, 0, 0, 1, 1]


def test_memory_one_states_follow_axelrods_outcome_order():
    """States 1..4 remember GG, GT, TG, TT (CC, CD, DC, DD), the last outcome from the own side."""
    assert [outcome_state(own, partner) for own, partner in ((1, 1), (1, 0), (0, 1), (0, 0))] == [1, 2, 3, 4]
    automaton = memory_one(CONTEXT, 0.1, 0.2, 0.3, 0.4, 0.5)
    assert automaton.state_names == MEMORY_ONE_STATES and automaton.start == 0
    assert automaton.give[:, 0].tolist() == [0.1, 0.2, 0.3, 0.4, 0.5]
    for state in range(5):
        assert automaton.next_state[state, GIVE, TAKE] == 2 and automaton.next_state[state, TAKE, GIVE] == 3


def test_reactive_remembers_only_the_partners_move():
    automaton = reactive(CONTEXT, 1.0, 0.8, 0.1)
    assert automaton.give[:, 2].tolist() == [1.0, 0.8, 0.1]
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
