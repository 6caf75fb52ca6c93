"""The simulation engine: the vectorised path for automata, the round-by-round
path for any player, and the process pool that runs them in parallel."""

from .stepwise import intend, play_generic
from .vectorised import PLAYERS, RawPlay, play_automata, round_payoffs

__all__ = ["PLAYERS", "RawPlay", "intend", "play_automata", "play_generic", "round_payoffs"]
