"""Command-line options shared by the commands that run a scenario."""

from __future__ import annotations

__all__ = ["add_scenario_options", "load_from_args"]


def add_scenario_options(parser, repetitions: bool = True) -> None:
    """``SCENARIO`` and the options that override its values."""
    parser.add_argument("scenario", nargs="?", default="larsson",
                        help="a shipped scenario's name (see `learning-dilemma scenarios`) or a TOML file; default larsson")
    parser.add_argument("--seed", type=int, help="seed of every random draw (overrides the scenario's)")
    if repetitions:
        parser.add_argument("--repetitions", type=int, metavar="N", help="repetitions of every pairing")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--turns", type=int, metavar="N", help="fixed match length")
    length.add_argument("--continuation", type=float, metavar="W", help="probability a match goes on, in [0, 1)")
    parser.add_argument("--noise", type=float, metavar="P",
                        help="probability that each intended move is flipped, as axelrod's noise (default 0)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override any scenario value, e.g. --set game.power.strength=0.5 (repeatable)")


def load_from_args(args):
    """The scenario named on the command line with every override applied."""
    from ..io.scenarios import load_scenario, override

    overrides = list(args.set)
    for key in ("seed", "repetitions", "turns", "continuation", "noise"):
        value = getattr(args, key, None)
        if value is not None:
            overrides.append(override(key, value))
    return load_scenario(args.scenario, overrides)
