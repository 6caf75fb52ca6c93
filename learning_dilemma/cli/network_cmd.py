"""``learning-dilemma network SCENARIO``: play a knowledge-sharing network."""

from __future__ import annotations

import sys

__all__ = ["register", "render", "run"]


def register(subparsers):
    parser = subparsers.add_parser(
        "network",
        help="play a knowledge-sharing network scenario (kite_network, delta_network or a TOML file)",
        description="Play a network scenario: people of rival organisations in ties and groups "
                    "(docs/networks.md), and print what each organisation earned and learned.",
    )
    parser.add_argument("scenario", help="a shipped network scenario's name (see `learning-dilemma scenarios`) "
                                         "or a TOML file")
    parser.add_argument("--seed", type=int, help="seed of every random draw, structure included (overrides the "
                                                 "scenario's)")
    parser.add_argument("--rounds", type=int, metavar="N", help="rounds of play (fixed)")
    parser.add_argument("--repetitions", type=int, metavar="N", help="repetitions of the whole network's play")
    parser.add_argument("--noise", type=float, metavar="P",
                        help="probability that each intended move is flipped (default 0)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override any scenario value, e.g. --set network.bridging=0.2 (repeatable)")
    parser.add_argument("--out", metavar="DIR", help="write people.csv, organisations.csv, rounds.csv, ties.csv, "
                                                     "groups.csv, summary.json and network.png to DIR")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="what to print (default table)")
    parser.add_argument("--no-plots", action="store_true", help="with --out, skip network.png")
    parser.add_argument("--quiet", action="store_true", help="say nothing on stderr")
    parser.set_defaults(run=run)


def run(args):
    from ..io.scenarios import override
    from ..io.scenarios.network import load_network_scenario

    if args.out:
        from ..io.outputs import check_destination

        check_destination(args.out, "--out", directory=True)  # before the work, not after
    overrides = list(args.set)
    for key in ("seed", "rounds", "repetitions", "noise"):
        value = getattr(args, key)
        if value is not None:
            overrides.append(override(key, value))
    scenario = load_network_scenario(args.scenario, overrides)
    plots = bool(args.out) and not args.no_plots
    if plots:
        from ..io.network_outputs import check_network_figure

        check_network_figure(scenario.population)
    results = scenario.play()
    if args.out:
        from ..io.network_outputs import write_network_outputs

        write_network_outputs(results, args.out, plots=plots, scenario=scenario)  # all files or none
    print(render(results, scenario, args.format))
    if args.out and args.format == "table" and not args.quiet:
        print(f"\nwrote results to {args.out}", file=sys.stderr)


def render(results, scenario, fmt: str) -> str:
    """A network run as a table, CSV (the organisations' rows) or JSON (summary.json's document).

    The table has one row per organisation: its people, its payoff per round
    (what its people's relations brought it), the learning that reached it per
    round (its people's learning times its absorption) and the share of its
    people's acts that were gives; then the whole network's giving share,
    mutual giving on ties, and what people learned against what reached their
    organisations.
    """
    from ..io.network_outputs import network_document, tidy_network_rows
    from ..io.outputs import csv_text, json_text

    if fmt == "csv":
        return csv_text(tidy_network_rows(results.organisation_table(), results, scenario)).rstrip("\n")
    if fmt == "json":
        return json_text(network_document(results, scenario)).rstrip("\n")
    from ..io.tables import table
    from ..io.text import describe_game

    population = results.population
    rounds = results.rounds
    head = (f"{scenario.name}: {scenario.description}\n"
            f"{_count(population.n_organisations, 'organisation')}, {_count(population.n_people, 'person', 'people')}, "
            f"{_count(population.n_ties, 'tie')}, {_count(len(population.groups), 'group')}; "
            f"{_count(rounds, 'round')}, {_count(results.repetitions, 'repetition')}, "
            f"seed {results.seed}\n{describe_game(results.game)}\n")
    rows = [(r["organisation"], r["people"], r["absorption"], r["payoff_per_round"], r["learning"] / rounds,
             r["giving_share"]) for r in results.organisation_table()]
    body = table(("organisation", "people", "absorption", "payoff per round", "learning home", "giving share"), rows)
    s = results.summary()
    legend = ("payoff per round: what its people's ties and groups brought the organisation; learning home: what "
              "its people learned that reached it (times its absorption), per round; giving share: gives per act "
              "of its people (nan: they never acted)")
    foot = [f"giving share {_number(s['giving_share'])}; mutual giving on ties {_number(s['tie_mutual_giving'])} "
            f"of rounds; learned per person and round {_number(s['learning_per_person_round'])}, of which "
            f"{_number(s['absorbed_per_person_round'])} reached the organisations"]
    if population.n_ties:
        foot.append(f"ties: {_percent(s['ties_ended_by_exit'])} ended by an exit, {_percent(s['ties_ended_by_race'])} "
                    f"by the end of the race")
    if population.groups:
        foot.append(f"groups: {_percent(s['groups_ended_by_exit'])} closed by exits, "
                    f"{_percent(s['groups_ended_by_race'])} by the end of the race")
    return "\n".join([head, body, _wrap(legend), "", *map(_wrap, foot)])


def _count(k: int, noun: str, plural: str | None = None) -> str:
    return f"{k} {noun if k == 1 else plural or noun + 's'}"


def _number(value) -> str:
    return "-" if value is None or value != value else f"{value:.3f}"


def _percent(value) -> str:
    return "-" if value is None or value != value else f"{value:.1%}"


def _wrap(text: str, width: int = 100) -> str:
    import textwrap

    return textwrap.fill(text, width)
