"""Resource limits (learning_dilemma.limits): fixed, named, raisable."""

from __future__ import annotations

import pytest

from learning_dilemma import limits
from learning_dilemma.errors import ParameterError
from learning_dilemma.limits import LIMITS, ResourceLimitError, check, raised, set_limit


def test_a_request_over_a_limit_is_one_line_naming_the_limit_and_how_to_raise_it():
    with pytest.raises(ResourceLimitError) as error:
        check("rounds", 5e9, "turns=1000000000")
    message = str(error.value)
    assert message == ("turns=1000000000 asks for 5,000,000,000 rounds; the limit is 200,000,000 "
                       "(raise it with --limit rounds=5000000000)")
    assert isinstance(error.value, ParameterError) and "\n" not in message
    with pytest.raises(ResourceLimitError, match="asks for without end match rounds"):
        check("match_rounds", float("inf"), "continuation=1")
    check("rounds", LIMITS.rounds, "exactly the limit")  # the limit itself is allowed


def test_limits_are_raised_in_a_block_and_restored():
    default = LIMITS.rounds
    with raised(rounds=10 * default):
        check("rounds", 5 * default, "five times the default")
        assert LIMITS.rounds == 10 * default
    assert LIMITS.rounds == default
    with pytest.raises(ParameterError, match="unknown limit 'round'"):
        set_limit("round", 5)
    with pytest.raises(ParameterError, match="expected a whole number >= 1"):
        set_limit("rounds", 0)
    assert limits.LIMITS is LIMITS
