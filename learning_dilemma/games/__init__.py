"""What is played: the learning game's stage payoffs and the state of the relation.

- :mod:`.learning`: :class:`LearningGame` and its stage payoffs (Larsson et al. 1998);
- :mod:`.power`: :class:`Power`, bargaining power from dependence (Emerson 1962; Hamel 1991);
- :mod:`.knowledge`: knowledge stakes, tie strength and the end of the race, each
  rule in the forms the engines need;
- :mod:`.execution`: how an intended move is played (exit, intention, noise, tacit transfer).
"""

from .._validation import check_continuation, check_probability
from .knowledge import (
    Knowledge, Ties, failure_probability, initial_tie, race_over, stakes_move, stakes_step, stakes_transitions, tie_step,
)
from .group import (
    GroupGame, Pairs, attention, group_learned, group_organisation_payoffs, group_payoff, group_person_payoffs,
    group_stage_payoffs, observed_give, others_stakes, quorum_needed,
)
from .learning import Domain, LearningGame, payoff_parts, stage_payoff, stage_payoffs
from .power import Power, bargaining_share, power_position

__all__ = [
    "Domain", "GroupGame", "Knowledge", "LearningGame", "Pairs", "Power", "Ties", "attention", "bargaining_share",
    "check_continuation", "check_probability", "failure_probability", "group_learned", "group_organisation_payoffs",
    "group_payoff", "group_person_payoffs", "group_stage_payoffs", "initial_tie", "observed_give", "others_stakes",
    "payoff_parts", "power_position", "quorum_needed", "race_over", "stage_payoff", "stage_payoffs", "stakes_move",
    "stakes_step", "stakes_transitions", "tie_step",
]
