"""``learning-dilemma tournament [SCENARIO]``: the toolkit's main job."""

from __future__ import annotations

import sys

from .scenario_options import add_scenario_options

__all__ = ["register", "render", "run"]


def register(subparsers):
    parser = subparsers.add_parser(
        "tournament",
        help="run a scenario's round-robin tournament (default: larsson)",
        description="Run a scenario's round-robin tournament and print the ranking.",
    )
    add_scenario_options(parser)
    parser.add_argument("--processes", type=int, metavar="P", help="worker processes (0: every CPU); results do not change")
    parser.add_argument("--out", metavar="DIR", help="write summary.csv, pairings.csv, results.json and plots to DIR")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="what to print (default table)")
    parser.add_argument("--no-plots", action="store_true", help="with --out, skip the figures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args):
    from ..errors import ParameterError
    from ..io.progress import ProgressBar
    from .scenario_options import load_from_args

    if args.processes is not None and args.processes < 0:
        raise ParameterError(f"--processes: must be a whole number >= 0 (0: every CPU), got {args.processes}")
    if args.out:
        from ..io.outputs import check_destination

        check_destination(args.out, "--out", directory=True)  # before the work, not after
    scenario = load_from_args(args)
    bar = ProgressBar(f"{scenario.name}", force=False) if not args.quiet else None
    options = {"progress": bar}
    if args.processes is not None:
        options["processes"] = args.processes
    try:
        results = scenario.tournament(**options).play()
    finally:
        if bar is not None:
            bar.close()
    if args.out:
        from ..io.outputs import write_results

        write_results(results, args.out, scenario, plots=not args.no_plots)  # all files or none
    print(render(results, scenario, args.format))
    if args.out and args.format == "table":
        print(f"\nwrote results to {args.out}", file=sys.stderr)


def render(results, scenario, fmt: str) -> str:
    """The tournament's summary as a table, CSV or JSON.

    The table has two parts in rank order: how each player scored, then what it
    learned and how its alliances went (learning per round, the share of its
    matches it left, the share of rounds its alliances were open, the knowledge
    it still lacked at the end and its power position), with a legend and the
    tournament's totals.
    """
    from ..io.outputs import csv_text, json_text, results_document, tidy_rows

    if fmt == "csv":
        return csv_text(tidy_rows(results.summary(), results, scenario)).rstrip("\n")
    if fmt == "json":
        return json_text(results_document(results, scenario)).rstrip("\n")
    import numpy as np

    from ..io.tables import table
    from ..io.text import describe_game

    meta = results.metadata
    length = f"{meta['turns']} turns" if meta.get("turns") else f"continuation {meta['continuation']:g}"
    head = (f"{scenario.name}: {scenario.description}\n"
            f"{results.n_players} players, {length}, {results.repetitions} repetitions, seed {meta['seed']}\n"
            f"{describe_game(results.game)}\n")
    summary = results.summary()
    scores = table(("rank", "player", "median payoff", "give rate", "wins"),
                   [(r["rank"], r["player"], r["median_score"], r["give_rate"], r["wins"]) for r in summary])
    stakes = results.stakes_active
    columns = ("player", "learning", "exits", "alliance open") + (("stakes left",) if stakes else ()) + ("power gap",)
    rows = [(r["player"], r["learning"], r["exits"], r["open_share"]) + ((r["stakes_left"],) if stakes else ())
            + (r["power_gap"],) for r in summary]
    alliance = table(columns, rows)
    legend = ("learning: knowledge absorbed per round (receptivity x gives that transferred); exits: share of its "
              "matches it left; alliance open: share of rounds before the alliance closed"
              + (f"; stakes left: levels of the partner's knowledge still to learn at the end, of "
                 f"{results.game.knowledge.levels}" if stakes else "")
              + "; power gap: how much more the partner still had to learn from it than it from the partner, at "
                "the end (its dependence advantage" + (")" if stakes else "; zero without stakes)"))
    joint = results.joint_learning[np.isfinite(results.joint_learning)]
    foot = (f"give rate {float(np.mean(results.give_rate)):.3f}; mutual giving {results.mutual_giving_rate:.3f}; "
            f"joint learning {float(np.mean(joint)) if joint.size else 0.0:.3f} per round (value created: what "
            f"transferred and what joint giving made)\n"
            f"alliances: {results.exit_rate:.1%} of matches ended by an exit, {results.race_over_rate:.1%} by the "
            f"end of the race; open in {results.open_rate:.1%} of all rounds")
    return "\n".join([head, scores, "", alliance, _wrap(legend), "", *map(_wrap, foot.split("\n"))])


def _wrap(text: str, width: int = 100) -> str:
    import textwrap

    return textwrap.fill(text, width)
