"""Sweep axes: the ``--vary`` grammar and the grid (learning_dilemma.experiments.axes)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.experiments.axes import Axis, as_axis, grid, parse_axis


def test_parse_range_is_inclusive_and_even():
    axis = parse_axis("continuation=0.5:0.99:50")
    assert axis.key == "continuation"
    assert len(axis) == 50
    assert axis.values[0] == 0.5 and axis.values[-1] == pytest.approx(0.99)
    assert np.allclose(np.diff(axis.values), 0.01)


def test_parse_list_keeps_integers():
    assert parse_axis("game.knowledge.levels=1,2,5").values == (1, 2, 5)


@pytest.mark.parametrize("key", ["game.knowledge.levels", "game.ties.levels"])
def test_the_relation_levels_take_whole_numbers(key):
    """Knowledge and tie levels count levels (issue 15): a range gives ints, a fraction is refused."""
    axis = parse_axis(f"{key}=0:6:4")
    assert axis.values == (0, 2, 4, 6) and all(type(v) is int for v in axis.values)
    with pytest.raises(ParameterError, match=f"{key} takes whole numbers, got 1.5"):
        parse_axis(f"{key}=0:3:3")
    assert parse_axis("game.overlap=0:1:3").values == (0.0, 0.5, 1.0)  # a share: not rounded


@pytest.mark.parametrize(
    "spec, words",
    [
        ("continuation", "expected KEY=START:STOP:COUNT"),
        ("=0:1:3", "expected KEY"),
        ("continuation=0:1", "START:STOP:COUNT"),
        ("continuation=0:1:x", "not a number"),
        ("continuation=0:1:2.5", "whole number"),
        ("continuation=0:1:0", "whole number"),
        ("continuation=a,b", "not a number"),
        ("continuation=0.1,0.1", "repeat"),
        ("continuation=0:1:1", "START == STOP"),
        ("continuation=nan,1", "not finite"),
    ],
)
def test_bad_specs_are_one_line_errors(spec, words):
    with pytest.raises(ParameterError) as error:
        parse_axis(spec)
    message = str(error.value)
    assert words in message and "\n" not in message and spec in message


def test_grid_is_the_product_first_axis_slowest():
    points = grid([Axis("x", (1, 2)), Axis("y", (10, 20, 30))])
    assert points == [
        {"x": 1, "y": 10}, {"x": 1, "y": 20}, {"x": 1, "y": 30},
        {"x": 2, "y": 10}, {"x": 2, "y": 20}, {"x": 2, "y": 30},
    ]


def test_grid_rejects_zero_three_or_repeated_axes():
    with pytest.raises(ParameterError):
        grid([])
    with pytest.raises(ParameterError):
        grid([Axis("a", (1,)), Axis("b", (1,)), Axis("c", (1,))])
    with pytest.raises(ParameterError, match="same key"):
        grid([Axis("a", (1,)), Axis("a", (2,))])


def test_an_axis_can_be_given_as_a_spec_a_pair_or_an_axis():
    axis = Axis("continuation", (0.6, 0.9))
    assert as_axis(axis) is axis
    assert as_axis("continuation=0.6,0.9") == axis
    assert as_axis(("continuation", np.array([0.6, 0.9]))) == axis
    assert type(as_axis(("continuation", np.array([0.6, 0.9]))).values[0]) is float
    with pytest.raises(ParameterError, match="repeat"):
        as_axis(("continuation", [0.6, 0.6]))
