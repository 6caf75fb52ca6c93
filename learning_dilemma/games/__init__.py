"""What is played: the learning game's stage payoffs and the state of the relation.

- :mod:`.learning`: :class:`LearningGame` and its stage payoffs (Larsson et al. 1998);
- :mod:`.ladder`: :class:`Power` and the power ladder rule (Hamel 1991), one rule
  in the three forms the engines need.
"""

from .._validation import check_continuation, check_probability
from .ladder import Power, bargaining_share, ladder_move, ladder_step, ladder_step_scalar, ladder_transitions
from .learning import LearningGame, stage_payoff, stage_payoffs

__all__ = [
    "LearningGame", "Power", "bargaining_share", "check_continuation", "check_probability", "ladder_move",
    "ladder_step", "ladder_step_scalar", "ladder_transitions", "stage_payoff", "stage_payoffs",
]
