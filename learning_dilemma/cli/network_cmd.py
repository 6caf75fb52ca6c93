"""``learning-dilemma network SCENARIO``: play a knowledge-sharing network.

The network's play (part 1), then each part its scenario switches on
(``[network.partner_choice]``, ``[network.reputation]``,
``[network.dynamics]``, ``[network.selection]``; ``docs/networks.md``), each
with a summary of its own; ``--dynamics``/``--no-dynamics`` (and the same for
the other parts) switch a part on with its defaults or off. ``--critical-ratio``
prints Allen et al.'s (2017) critical benefit-to-cost ratio of the scenario's
tie graph instead of playing.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["PART_OPTIONS", "register", "render", "render_parts", "run"]

#: The command-line switch of each part: ``--NAME`` / ``--no-NAME``.
PART_OPTIONS = {"partner_choice": "partners", "reputation": "reputation", "dynamics": "dynamics",
                "selection": "selection"}
_PART_HELP = {
    "partner_choice": "partner choice and exit ([network.partner_choice]: decision-makers choose a partner or "
                      "nobody, opportunity by opportunity, and learn from experience)",
    "reputation": "indirect reciprocity ([network.reputation]: donors, observers and a norm)",
    "dynamics": "play and imitation along the ties ([network.dynamics]: strategies spread)",
    "selection": "multilevel selection between the groups ([network.selection]: groups of givers grow and split)",
}


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
                                                     "groups.csv, summary.json and network.png to DIR, and each "
                                                     "part's files (docs/networks.md)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="what to print (default table)")
    parser.add_argument("--no-plots", action="store_true", help="with --out, skip network.png (and the parts' "
                                                                  "pictures)")
    parser.add_argument("--quiet", action="store_true", help="say nothing on stderr")
    for part, option in PART_OPTIONS.items():
        parser.add_argument(f"--{option}", dest=f"part_{part}", action=argparse.BooleanOptionalAction, default=None,
                            help=f"run {_PART_HELP[part]} with the scenario's table or its defaults; --no-{option}: "
                                 f"skip it (default: run it when the scenario has the table)")
    parser.add_argument("--play", action=argparse.BooleanOptionalAction, default=True,
                        help="play the network's ties and groups (part 1; default); --no-play runs only the parts "
                             "(the dynamics play along the ties themselves) and writes only their files and "
                             "summary.json")
    parser.add_argument("--critical-ratio", action="store_true",
                        help="print the critical benefit-to-cost ratio (b/c)* of the scenario's tie graph under "
                             "death-birth updating (Allen et al. 2017) instead of playing")
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
    parts = {part: getattr(args, f"part_{part}") for part in PART_OPTIONS
             if getattr(args, f"part_{part}", None) is not None}
    scenario = load_network_scenario(args.scenario, overrides, parts)
    if args.critical_ratio:
        if args.out:
            from ..errors import ParameterError

            raise ParameterError("--critical-ratio prints a number and writes nothing; leave out --out")
        print(render_critical_ratio(scenario, args.format))
        return
    if not args.play:
        from ..errors import ParameterError

        if not scenario.parts:
            raise ParameterError("--no-play: the scenario runs no part ([network.partner_choice], "
                                 "[network.reputation], [network.dynamics], [network.selection]); nothing to do")
        if args.format == "csv":
            raise ParameterError("--format csv prints the organisations' rows of the play; with --no-play use "
                                 "--format table or json (--out DIR writes each part's CSV files)")
    plots = bool(args.out) and not args.no_plots
    if plots and args.play:
        from ..io.network_outputs import check_network_figure

        check_network_figure(scenario.population)
    outcome = scenario.run(play=args.play)
    results = outcome.results
    if args.out:
        from ..io.network_outputs import write_network_outputs

        write_network_outputs(results, args.out, plots=plots, scenario=scenario, run=outcome)  # all files or none
    print(render(results, scenario, args.format, outcome))
    if args.out and args.format == "table" and not args.quiet:
        print(f"\nwrote results to {args.out}", file=sys.stderr)


def render(results, scenario, fmt: str, outcome=None) -> str:
    """A network run as a table, CSV (the organisations' rows) or JSON (summary.json's document).

    With ``outcome`` (a :class:`~learning_dilemma.io.scenarios.network.NetworkRun`),
    the table adds a summary of each part that ran (:func:`render_parts`) and
    the JSON each part's summary.

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
        return json_text(network_document(results, scenario, outcome)).rstrip("\n")
    if results is None:  # the play left out: the scenario, then its parts
        population = scenario.population
        return (f"{scenario.name}: {scenario.description}\n"
                f"{_count(population.n_organisations, 'organisation')}, "
                f"{_count(population.n_people, 'person', 'people')}, {_count(population.n_ties, 'tie')}, "
                f"{_count(len(population.groups), 'group')}; seed {scenario.seed}; the play left out (--no-play)\n\n"
                + render_parts(outcome))
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
    text = "\n".join([head, body, _wrap(legend), "", *map(_wrap, foot)])
    if outcome is not None and outcome.parts:
        text += "\n\n" + render_parts(outcome)
    return text


#: Rows of a part's table printed, at most (the files have every row).
SHOWN = 20


def render_parts(outcome) -> str:
    """A summary of each part that ran, in the order they ran."""
    blocks = []
    if outcome.partner_choice is not None:
        blocks.append(_partners(outcome.partner_choice))
    if outcome.reputation is not None:
        blocks.append(_reputation(outcome.reputation, outcome.scenario))
    if outcome.dynamics is not None:
        blocks.append(_dynamics(outcome.dynamics))
    if outcome.selection is not None:
        blocks.append(_selection(outcome.selection, outcome.scenario))
    return "\n\n".join(blocks)


def _partners(choice) -> str:
    from ..io.tables import table

    s = choice.summary()
    opportunities = _count(s["opportunities"], "opportunity", "opportunities")
    lines = [_wrap(
        f"partner choice: {_count(s['decision_makers'], 'decision-maker')}, {opportunities} in "
        f"{_count(choice.rounds, 'round')}: {_percent(s['engaged_share'])} went to a partner, "
        f"{_percent(s['alone_share'])} were done alone (the loner payoff {_number(choice.loner_payoff)}); mean payoff "
        f"of an opportunity {_number(s['mean_payoff'])} per round; {_count(s['explorations'], 'exploration')}; the "
        f"partner network ends with {_count(s['ties'], 'tie')}; {s['ruled_out']} candidates ruled out (estimate at "
        f"or below the loner payoff), {s['never_tried']} never tried")]
    shares = choice.choice_shares()
    rows = []
    for decider, row in list(shares.items())[:SHOWN]:
        ranked = sorted(((share, name) for name, share in row.items() if name is not None and share == share),
                        key=lambda item: (-item[0], item[1]))
        best = ", ".join(f"{name} {share:.0%}" for share, name in ranked[:3] if share > 0) or "-"
        rows.append((decider, best, row[None]))
    lines.append(table(("decision-maker", "partners chosen (most often)", "alone"), rows))
    if len(shares) > SHOWN:
        lines.append(f"the first {SHOWN} of {len(shares)} decision-makers; --out DIR writes partners_*.csv")
    return "\n".join(lines)


def _reputation(run, scenario) -> str:
    from ..io.tables import table

    burn_in = scenario.reputation["burn_in"] if scenario.reputation else 0
    s = run.summary(burn_in)
    errors = f"errors: execution {s['execution_error']:g}, assessment {s['assessment_error']:g}"
    lines = [_wrap(
        f"reputation: norm {s['norm']}, {s['assessment']} assessment, observation {s['observation']}, "
        f"{'random pairs' if s['pairing'] == 'random' else 'pairs along the ties'}; {errors}; "
        f"{_count(s['rounds'], 'round')}, {_count(s['repetitions'], 'repetition')}"
        + (f" (means after {burn_in} rounds)" if burn_in else "") + f": cooperation {_number(s['cooperation'])}")]
    rows = [(name, s[f"share_{name.lower()}"], s[f"good_share_{name.lower()}"], run.mean_give_rate(burn_in)[name],
             s[f"payoff_{name.lower()}"]) for name in run.counts]
    lines.append(table(("strategy", "share of people", "good", "gives", "payoff per round"), rows))
    lines.append(_wrap("good: share of its people in good standing (public) or the mean share of others who see "
                       "them as good (private); gives: share of its donations given"))
    return "\n".join(lines)


def _dynamics(evolution) -> str:
    from ..io.tables import table

    s = evolution.summary()
    lines = [_wrap(
        f"dynamics: {s['rule']} updating along {_count(s['ties'], 'tie')}, delta {s['intensity']:g}, rate "
        f"{s['rate']:g}, mutation {s['mutation']:g}, memory {s['memory']}; {_count(s['rounds'], 'round')}, "
        f"{_count(s['repetitions'], 'repetition')}: giving {_number(s['giving_share_first'])} in the first round, "
        f"{_number(s['giving_share_last'])} in the last ({_number(s['mean_giving_share'])} over all); "
        f"{_number(s['changes_per_round'])} strategy changes a round")]
    rows = [(label, s["start_shares"][label], s["final_shares"][label]) for label in evolution.labels]
    lines.append(table(("strategy", "share at the start", "share at the end"), rows))
    organisations = evolution.population.organisations
    if organisations:
        shares = evolution.organisation_shares.mean(axis=0)[-1]          # (organisations, strategies)
        from ..io.network_outputs import _mean_runs

        giving = _mean_runs(evolution.organisation_giving_share)[-1]
        org_rows = [(o.name, evolution.labels[int(shares[k].argmax())] if shares[k].max() == shares[k].max() else "-",
                     float(shares[k].max()), float(giving[k])) for k, o in enumerate(organisations[:SHOWN])]
        lines.append(table(("organisation", "most played at the end", "its share", "giving in the last round"),
                           org_rows))
        if len(organisations) > SHOWN:
            lines.append(f"the first {SHOWN} of {len(organisations)} organisations; --out DIR writes dynamics_*.csv")
    return "\n".join(lines)


def _selection(history, scenario) -> str:
    from ..io.network_outputs import selection_summary

    s = selection_summary(history, scenario)
    text = (f"multilevel selection: {_count(s['groups'], 'group')} of at most {s.get('n', '?')}, split probability "
            f"q {s.get('q', float('nan')):g}, selection w {s.get('w', float('nan')):g}; {_count(s['runs'], 'run')} of "
            f"{_count(s['steps'], 'step')}: givers {_number(s['giver_share_start'])} at the start, "
            f"{_number(s['giver_share_end'])} at the end; givers took over in {s['givers_won']}, takers in "
            f"{s['takers_won']}, {s['mixed']} still mixed")
    if "b" in s:
        text += (f"; the game's R, S, T, P = {s['R']:g}, {s['S']:g}, {s['T']:g}, {s['P']:g} (b = {s['b']:g}, "
                 f"c = {s['c']:g}, b/c = {s['b_over_c']:.3g}); Traulsen & Nowak (2006): groups favour giving when "
                 f"b/c > 1 + n/m = {s['critical_ratio']:.3g} (at weak selection and rare splitting "
                 f"1 + n/(m - 2) = {s['weak_selection_ratio']:.3g})")
    return _wrap(text)


def render_critical_ratio(scenario, fmt: str = "table") -> str:
    """Allen et al.'s (2017) critical ratio of the scenario's tie graph
    (:func:`learning_dilemma.io.network_outputs.critical_ratio_summary`), as text, JSON or CSV."""
    from ..io.outputs import json_text
    from ..io.network_outputs import critical_ratio_summary

    summary = critical_ratio_summary(scenario)
    if fmt == "json":
        return json_text(summary).rstrip("\n")
    if fmt == "csv":
        from ..io.outputs import csv_text

        return csv_text([summary]).rstrip("\n")
    return _wrap(summary["text"])


def _count(k: int, noun: str, plural: str | None = None) -> str:
    return f"{k} {noun if k == 1 else plural or noun + 's'}"


def _number(value) -> str:
    return "-" if value is None or value != value else f"{value:.3f}"


def _percent(value) -> str:
    return "-" if value is None or value != value else f"{value:.1%}"


def _wrap(text: str, width: int = 100) -> str:
    import textwrap

    return textwrap.fill(text, width)
