"""The simulation engine: the vectorised path for automata, the round-by-round
path for any player, the batching of many rows into engine runs, and the
process pool that runs them in parallel."""

from .batching import pad_draws, summarise
from .stepwise import intend, play_generic
from .vectorised import PLAYERS, RawPlay, play_automata, round_payoffs

__all__ = ["PLAYERS", "RawPlay", "intend", "pad_draws", "play_automata", "play_generic", "round_payoffs", "summarise"]
