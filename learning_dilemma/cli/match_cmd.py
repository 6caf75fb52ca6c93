"""``learning-dilemma match A B``: one match, round by round."""

from __future__ import annotations

__all__ = ["register", "report", "run"]


def register(subparsers):
    parser = subparsers.add_parser(
        "match",
        help="play one match between two strategies",
        description="Play one match and print its rounds (G = give, T = take) and totals.",
    )
    parser.add_argument("player_a", metavar="A", help="strategy name, e.g. 'Trust Builder' or 'axelrod:Tit For Tat'")
    parser.add_argument("player_b", metavar="B", help="strategy name")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--turns", type=int, help="fixed number of rounds (default 200)")
    length.add_argument("--continuation", type=float, metavar="W", help="probability the match goes on after each round, in [0, 1)")
    parser.add_argument("--seed", type=int, help="seed of every random draw")
    parser.add_argument("--power", type=float, default=0.0, metavar="STRENGTH", help="power dynamics strength in [0, 1] (default 0: off)")
    parser.add_argument("--noise", type=float, default=0.0, metavar="P",
                        help="probability that each intended move is flipped, as axelrod's noise (default 0)")
    parser.set_defaults(run=run)


def run(args):
    from ..games import LearningGame
    from ..io.progress import ProgressBar
    from ..match import Match
    from ..strategies import make_strategy

    game = LearningGame().with_power(strength=args.power)
    match = Match(
        make_strategy(args.player_a), make_strategy(args.player_b), game=game,
        turns=args.turns, continuation=args.continuation, seed=args.seed, noise=args.noise,
    )
    bar = ProgressBar(f"{match.player_a.label} vs {match.player_b.label}")  # only a long match shows it
    try:
        result = match.play(progress=bar)
    finally:
        bar.close()
    print(report(result, match))


def report(result, match) -> str:
    """The text the command prints for one match."""
    from ..io.tables import table

    a, b = result.players
    lines = [f"{a} vs {b}: {result.turns} rounds, seed {match.entropy}"]
    rounds = result.transcript().split()
    for start in range(0, len(rounds), 20):
        lines.append(f"  {start + 1:>4}  " + " ".join(rounds[start:start + 20]))
    if match.game.power.active:
        lines.append(f"  power (A's view) from {result.power[0]} to {result.final_power}; "
                     f"range {result.power.min()}..{result.power.max()} of ±{match.game.power.levels}")
    mean_a, mean_b = result.mean_payoffs
    give_a, give_b = result.give_rates
    lines.append("")
    lines.append(table(
        ("player", "total", "per round", "give rate"),
        [(a, result.totals[0], mean_a, give_a), (b, result.totals[1], mean_b, give_b)],
    ))
    return "\n".join(lines)
