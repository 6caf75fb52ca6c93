"""``learning-dilemma match A B``: one match, round by round."""

from __future__ import annotations

__all__ = ["ending", "register", "report", "run"]


def register(subparsers):
    parser = subparsers.add_parser(
        "match",
        help="play one match between two strategies",
        description="Play one match and print its rounds (G = give, T = take, X = the alliance has closed), "
        "the knowledge stakes and power, how the alliance ended, and each side's totals and learning.",
    )
    parser.add_argument("player_a", metavar="A", help="strategy name, e.g. 'Trust Builder' or 'axelrod:Tit For Tat'")
    parser.add_argument("player_b", metavar="B", help="strategy name")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--turns", type=int, help="fixed number of rounds (default 200)")
    length.add_argument("--continuation", type=float, metavar="W", help="probability the match goes on after each round, in [0, 1)")
    parser.add_argument("--seed", type=int, help="seed of every random draw")
    parser.add_argument("--stakes", type=int, default=0, metavar="M",
                        help="knowledge stakes: levels of the partner's knowledge each starts out lacking "
                        "(game.knowledge.levels; default 0: none, the endless flow of the first edition)")
    parser.add_argument("--pace", type=float, default=None, metavar="P",
                        help="with --stakes, the chance per transferred give, times the learner's receptivity, of "
                        "learning a level (game.knowledge.pace, in (0, 1]; default 1)")
    parser.add_argument("--power", type=float, default=0.0, metavar="STRENGTH",
                        help="power strength in [0, 1]: how far dependence shifts the split of the value the "
                        "alliance creates (game.power.strength; default 0: off). Power comes from the knowledge "
                        "stakes: without --stakes it has nothing to act on")
    parser.add_argument("--overlap", type=float, default=1.0, metavar="G",
                        help="competitive overlap in [0, 1]: 1 direct rivals (default), 0 pre-competitive "
                        "(game.overlap)")
    parser.add_argument("--ties", type=int, default=0, metavar="H",
                        help="rounds of mutual giving that make a full-strength tie, over which tacit knowledge "
                        "transfers (game.ties.levels; default 0: off)")
    parser.add_argument("--receptivity", type=float, nargs=2, metavar=("RA", "RB"),
                        help="the two players' receptivities (absorptive capacity; default each strategy's own)")
    parser.add_argument("--tacitness", type=float, nargs=2, metavar=("TA", "TB"),
                        help="the two players' tacitness: the chance a give fails to transfer (default each "
                        "strategy's own)")
    parser.add_argument("--noise", type=float, default=0.0, metavar="P",
                        help="probability that each intended move is flipped, as axelrod's noise (default 0)")
    parser.set_defaults(run=run)


def run(args):
    from ..games import Knowledge, LearningGame, Power, Ties
    from ..io.progress import ProgressBar
    from ..match import Match
    from ..strategies import make_strategy

    from ..errors import ParameterError

    if args.pace is not None and args.stakes == 0:
        raise ParameterError("--pace: the pace at which stakes run down needs knowledge stakes; give --stakes M too")
    pace = 1.0 if args.pace is None else args.pace
    game = LearningGame(power=Power(strength=args.power), knowledge=Knowledge(levels=args.stakes, pace=pace),
                        ties=Ties(levels=args.ties), overlap=args.overlap)
    players = []
    for k, name in enumerate((args.player_a, args.player_b)):
        parameters = {}
        if args.receptivity is not None:
            parameters["receptivity"] = args.receptivity[k]
        if args.tacitness is not None:
            parameters["tacitness"] = args.tacitness[k]
        players.append(make_strategy(name, **parameters))
    match = Match(*players, game=game, turns=args.turns, continuation=args.continuation, seed=args.seed,
                  noise=args.noise)
    bar = ProgressBar(f"{match.player_a.label} vs {match.player_b.label}")  # only a long match shows it
    try:
        result = match.play(progress=bar)
    finally:
        bar.close()
    print(report(result, match))


def ending(result) -> str:
    """How the alliance of one match ended, in words (``MatchResult.ended_by``, ``.duration``)."""
    from ..engine.vectorised import BOTH_LEFT, FIRST_LEFT, RACE_OVER, SECOND_LEFT

    a, b = result.players
    open_rounds = f"open {result.duration} of {result.turns} rounds"
    if result.ended_by == RACE_OVER:
        done = [name for name, stakes in zip(result.players, result.final_stakes) if stakes == 0]
        return (f"the race was over after round {result.duration}: {' and '.join(done)} had learned all it came "
                f"for ({open_rounds})")
    leavers = {FIRST_LEFT: a, SECOND_LEFT: b, BOTH_LEFT: f"{a} and {b}"}
    if result.ended_by in leavers:
        return f"{leavers[result.ended_by]} left in round {result.duration + 1} ({open_rounds})"
    return f"open throughout ({result.turns} rounds)"


def report(result, match) -> str:
    """The text the command prints for one match."""
    from ..io.tables import table
    from ..io.text import describe_game

    a, b = result.players
    game = match.game
    lines = [f"{a} vs {b}: {result.turns} rounds, seed {match.entropy}", f"game: {describe_game(game)}"]
    rounds = result.transcript().split()
    for start in range(0, len(rounds), 20):
        lines.append(f"  {start + 1:>4}  " + " ".join(rounds[start:start + 20]))
    lines.append("")
    if game.knowledge.active:
        (start_a, start_b), (end_a, end_b) = result.stakes[:, 0], result.final_stakes
        lines.append(f"stakes (levels still to learn, of {game.knowledge.levels}): {a} {start_a} -> {end_a}, "
                     f"{b} {start_b} -> {end_b}")
        lines.append(f"power of {a} (its partner's stakes minus its own): {result.power[0]} -> "
                     f"{result.final_power}, range {result.power.min()}..{result.power.max()}; "
                     + (f"strength {game.power.strength:g} splits the value created by it" if game.power.active
                        else "strength 0: the value created is split half and half"))
    lines.append(f"alliance: {ending(result)}")
    mean_a, mean_b = result.mean_payoffs
    give_a, give_b = result.give_rates
    learn_a, learn_b = result.learning
    lines.append("")
    lines.append(table(
        ("player", "total", "per round", "give rate", "learning"),
        [(a, result.totals[0], mean_a, give_a, learn_a), (b, result.totals[1], mean_b, give_b, learn_b)],
    ))
    lines.append("learning: knowledge absorbed per round (receptivity x the partner's gives that transferred)")
    return "\n".join(lines)
