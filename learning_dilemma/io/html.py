"""One self-contained HTML page describing a scenario's tournament.

The page holds the scenario, the ranking, the payoff heatmap, give rates, what
each organisation learned and how its alliances ended (exits, the end of the
race, duration, stakes left), power trajectories, the evolutionary outcome and,
on request, a phase diagram, all as
inline SVG (:mod:`.svg`): no scripts, fonts or images from the network, large
type for a projector and a print stylesheet.

A network scenario's page (:func:`render_network`) has a network section
instead: the picture of the people and their ties (a PNG embedded in the page
as a ``data:`` URI), the two levels of payoff side by side per organisation,
the tables of organisations and people, giving round by round, and how the
ties and groups ended; then a section for each part the scenario ran
(partner choice, reputation, dynamics on the structure, multilevel
selection), its curves as inline SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

from .._version import __version__
from . import svg

__all__ = ["STYLE", "Phase", "render", "render_network", "render_report"]

STYLE = """
body { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.45; color: #111;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 2em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #0072b2; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.6em 0; } th, td { padding: 0.25em 0.8em; text-align: left; }
th { border-bottom: 2px solid #333; } tr:nth-child(even) td { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.lead { font-size: 1.15em; } .note { color: #444; font-size: 0.9em; }
figure { margin: 1em 0; } figcaption { color: #444; font-size: 0.9em; }
figure img { max-width: 100%; height: auto; }
@media print { body { font-size: 12pt; margin: 0; max-width: none; } h2 { break-after: avoid; }
               figure, table { break-inside: avoid; } }
"""


@dataclass
class Phase:
    """A phase diagram: ``values[i, j]`` at ``y_values[i]``, ``x_values[j]``.

    Attributes
    ----------
    x_key, y_key : str
        The scenario keys along the columns and the rows.
    x_values, y_values : list of float
    values : ndarray, shape (len(y_values), len(x_values))
    label : str
        What the values are.
    """

    x_key: str
    x_values: list
    y_key: str
    y_values: list
    values: np.ndarray
    label: str = "evolved give rate"


def render(title: str, description: str, settings: list[tuple[str, object]], results, evolution=None,
           phase: Phase | None = None) -> str:
    """The report as an HTML string.

    Parameters
    ----------
    title, description : str
        The scenario's name and one-line description.
    settings : list of (str, object)
        Scenario values to show (seed, length, game, power, ...).
    results : learning_dilemma.results.TournamentResults
    evolution : learning_dilemma.dynamics.EvolutionReport, optional
    phase : Phase, optional

    Returns
    -------
    str
    """
    sections = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="lead">{escape(description)}</p>',
        _section("Scenario", _table(("setting", "value"), [(k, v) for k, v in settings])),
        _section("Ranking", _ranking(results), "Ranked by median payoff per round over repetitions, as axelrod does."),
        _section("Payoffs", _figure(
            svg.heatmap(results.payoff_matrix, results.players, results.players, "Mean payoff per round"),
            "Mean payoff per round of the row player against the column player.")),
        _section("Giving", _figure(
            svg.bars(results.give_rate, results.players, "Give rate by player", high=1.0),
            f"Share of rounds each player gave. Across all matches both gave in "
            f"{results.mutual_giving_rate:.1%} of rounds.")),
        _section("Learning and the alliance", _alliance(results)),
        _section("Power", _power(results)),
    ]
    if evolution is not None:
        sections.append(_section("Does cooperation emerge?", _evolution(evolution)))
    if phase is not None:
        sections.append(_section("Phase diagram", _phase(phase)))
    # No date: the same seed gives the same page, byte for byte.
    sections.append(f'<p class="note">learning-dilemma {escape(__version__)}. '
                    f"Seed {escape(str(results.metadata.get('seed', '')))}.</p>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} - learning-dilemma report</title><style>{STYLE}</style></head>"
        "<body>" + "\n".join(sections) + "</body></html>\n"
    )


def render_report(report) -> str:
    """The HTML page of a report built by
    :func:`learning_dilemma.experiments.report.build_report`.

    Parameters
    ----------
    report
        An object with ``title``, ``description``, ``settings``, ``results``,
        ``evolution`` and ``phase`` (as
        :class:`learning_dilemma.experiments.report.Report` has).
    """
    if getattr(report, "kind", "tournament") == "network":
        return render_network(report)
    return render(report.title, report.description, report.settings, report.results, report.evolution,
                  report.phase)


def _page(title: str, sections: list[str]) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} - learning-dilemma report</title><style>{STYLE}</style></head>"
        "<body>" + "\n".join(sections) + "</body></html>\n"
    )


def render_network(report) -> str:
    """The HTML page of a network scenario's report.

    Parameters
    ----------
    report
        An object with ``title``, ``description``, ``settings``, ``results``
        (a :class:`~learning_dilemma.networks.results.NetworkResults`),
        ``picture`` (PNG bytes or None) and ``picture_note``, ``rounds`` (name
        to per-round array) and ``levels`` (rows per organisation), as
        :class:`learning_dilemma.experiments.networks.NetworkReport` has.

    Returns
    -------
    str
        One self-contained page: the picture is embedded as a ``data:`` URI,
        the charts are inline SVG; nothing is fetched from the network.
    """
    results = report.results
    summary = results.summary()
    sections = [
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="lead">{escape(report.description)}</p>',
        _section("Scenario", _table(("setting", "value"), [(k, v) for k, v in report.settings])),
        _section("Network", _network_picture(report, summary)),
        _section("Two levels", _two_levels(report, summary)),
        _section("Organisations", _organisations(results)),
        _section("People", _people(results)),
        _section("Giving by round", _giving_by_round(report)),
        _section("Ties and groups", _relations(results, summary)),
    ]
    outcome = getattr(report, "outcome", None)
    if outcome is not None:
        sections += _part_sections(outcome)
    sections.append(f'<p class="note">learning-dilemma {escape(__version__)}. Seed {escape(str(results.seed))}; '
                    f"{results.rounds} rounds, {results.repetitions} repetitions.</p>")
    return _page(report.title, sections)


# --- the parts beyond the play (issues 17 and 18) --------------------------------------

#: Rows of a part's table in the report, and lines of a chart, at most.
PART_ROWS = 50
PART_LINES = 8


def _part_sections(outcome) -> list[str]:
    """A section for each part that ran (partner choice, reputation, dynamics, selection)."""
    sections = []
    if outcome.partner_choice is not None:
        sections.append(_section("Partner choice", _partner_choice(outcome.partner_choice)))
    if outcome.reputation is not None:
        sections.append(_section("Reputation", _reputation(outcome.reputation, outcome.scenario)))
    if outcome.dynamics is not None:
        sections.append(_section("Dynamics on the structure", _dynamics(outcome.dynamics)))
    if outcome.selection is not None:
        sections.append(_section("Multilevel selection", _selection(outcome.selection, outcome.scenario)))
    return sections


def _partner_choice(choice) -> str:
    from .network_outputs import partner_round_table

    s = choice.summary()
    lead = (f"<p>{s['decision_makers']} decision-makers met {s['opportunities']} opportunities in {choice.rounds} "
            f"rounds and took {_number(s['engaged_share'], '{:.1%}')} of them to a partner, doing "
            f"{_number(s['alone_share'], '{:.1%}')} alone (the loner payoff {_number(choice.loner_payoff)} a "
            f"round). An opportunity paid {_number(s['mean_payoff'])} a round on average. The partner network ends "
            f"with {s['ties']} ties; {s['ruled_out']} candidates are ruled out (their estimate at or below the loner "
            f"payoff) and {s['never_tried']} were never tried. Without exploration a candidate ruled out after bad "
            f"early draws is never tried again, so its low estimate is never corrected: the hot stove of Denrell "
            f"&amp; March (2001), seed 000's habitual avoidance.</p>")
    rows = partner_round_table(choice)
    opportunities = np.array([r["opportunities"] for r in rows], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        engaged = np.array([r["engaged"] for r in rows]) / opportunities
        alone = np.array([r["alone"] for r in rows]) / opportunities
    shares = svg.lines({"taken to a partner": engaged, "done alone": alone}, "Opportunities by round", "round",
                       "share of the round's opportunities")
    ties = svg.lines({"partner ties": choice.network_sizes().astype(float)}, "The partner network", "round (0: before "
                     "the first)", "ties")
    table_rows = []
    for decider, row in list(choice.choice_shares().items())[:PART_ROWS]:
        ranked = sorted(((share, name) for name, share in row.items() if name is not None and share == share),
                        key=lambda item: (-item[0], item[1]))
        table_rows.append((decider, ", ".join(f"{name} ({share:.0%})" for share, name in ranked[:3] if share > 0)
                           or "-", row[None]))
    more = (f'<p class="note">The first {PART_ROWS} of {len(choice.decision_makers)} decision-makers; '
            f"--out DIR writes partners_opportunities.csv, partners_estimates.csv and partners_ties.csv.</p>"
            if len(choice.decision_makers) > PART_ROWS else "")
    return (lead + _figure(shares, "Per round: the share of the opportunities that arrived that went to a partner "
                                   "and that were done alone.")
            + _figure(ties, "Ties of the partner network (a decision-maker who engaged a candidate and still rates "
                            "it above the loner payoff), before the first round and after each.")
            + _table(("decision-maker", "partners chosen most often (share of opportunities)", "alone"), table_rows)
            + more)


def _reputation(run, scenario) -> str:
    options = getattr(scenario, "reputation", None) or {}
    burn_in = options.get("burn_in", 0)
    s = run.summary(burn_in)
    pairing = "random pairs" if s["pairing"] == "random" else "pairs along the network's ties"
    lead = (f"<p>Indirect reciprocity (Nowak &amp; Sigmund 1998; Ohtsuki &amp; Iwasa 2004) under the norm "
            f"<b>{escape(s['norm'])}</b>, {escape(str(s['assessment']))} assessment, observation "
            f"{escape(str(s['observation']))}, {pairing}; execution error {s['execution_error']:g}, assessment "
            f"error {s['assessment_error']:g}; the donation-game limit of the scenario's game. Donations given: "
            f"{_number(s['cooperation'], '{:.1%}')}"
            + (f" (after {burn_in} rounds)" if burn_in else "") + ".</p>")
    give = run.mean_give_rate(burn_in)
    rows = [(name, s[f"share_{name.lower()}"], s[f"good_share_{name.lower()}"], give[name],
             s[f"payoff_{name.lower()}"]) for name in run.counts]
    table = _table(("strategy", "share of people", "good", "gives", "payoff per round"), rows)
    series = {"cooperation": np.array([r["cooperation"] for r in run.round_table()])}
    for name in run.counts:
        series[f"good: {name}"] = np.array([r[f"good_share_{name.lower()}"] for r in run.round_table()])
    chart = svg.lines(series, "Cooperation and good standing by round", "round", "share")
    return (lead + table + '<p class="note">Good: the share of a strategy\'s people in good standing (public '
            "assessment) or the mean share of the others who see them as good (private). Means over "
            "repetitions.</p>" + _figure(chart, "Per round (from 1), mean over repetitions: the share of donations "
                                                "given, and each strategy's good share."))


def _dynamics(evolution) -> str:
    from .network_outputs import _mean_runs

    s = evolution.summary()
    lead = (f"<p>People played along {s['ties']} ties and copied their neighbours ({escape(s['rule'])} updating, "
            f"selection intensity {s['intensity']:g}, update rate {s['rate']:g}, mutation {s['mutation']:g}, "
            f"payoff memory {s['memory']}; Kraatz 1998's learning by association). Giving went from "
            f"{_number(s['giving_share_first'])} in the first round to {_number(s['giving_share_last'])} in the "
            f"last ({s['rounds']} rounds, {s['repetitions']} repetitions); {_number(s['changes_per_round'])} "
            f"strategy changes a round.</p>")
    labels = evolution.labels
    shares = np.asarray(evolution.shares, dtype=float).mean(axis=0)
    chart = svg.lines({label: shares[:, k] for k, label in enumerate(labels[:PART_LINES])},
                      "Strategies in the network", "round (0: the start)", "share of people")
    giving = {"network": _mean_runs(evolution.giving_share)}
    organisation_giving = _mean_runs(evolution.organisation_giving_share)
    organisations = evolution.population.organisations
    for k, organisation in enumerate(organisations[:PART_LINES - 1]):
        giving[organisation.name] = organisation_giving[:, k]
    giving_chart = svg.lines(giving, "Giving by round", "round", "giving share", marker=0.5)
    table = _table(("strategy", "share at the start", "share at the end"),
                   [(label, s["start_shares"][label], s["final_shares"][label]) for label in labels])
    final = np.asarray(evolution.organisation_shares, dtype=float).mean(axis=0)[-1]
    org_rows = [(o.name, *[float(v) for v in final[k]], float(organisation_giving[-1, k]))
                for k, o in enumerate(organisations[:PART_ROWS])]
    org_table = _table(("organisation", *labels, "giving in the last round"), org_rows)
    more = (f'<p class="note">The first {PART_ROWS} of {len(organisations)} organisations; --out DIR writes '
            f"dynamics_shares.csv and dynamics_giving.csv for every organisation and group.</p>"
            if len(organisations) > PART_ROWS else "")
    parts = [lead, _figure(chart, "Share of people playing each strategy, mean over repetitions."), table,
             _figure(giving_chart, "Share of open tie-sides that gave, in the network and among each organisation's "
                                   "people (the first ones), mean over repetitions; dashed: one half."),
             "<p>Each organisation's people at the end: the share playing each strategy (a person of several "
             "organisations counts in each by their share), and their giving in the last round.</p>",
             org_table, more]
    groups = evolution.population.groups
    if groups:
        group_giving = _mean_runs(evolution.group_giving_share)
        group_final = np.asarray(evolution.group_shares, dtype=float).mean(axis=0)[-1]
        parts.append(_table(("group", *labels, "giving in the last round"),
                            [(g.name, *[float(v) for v in group_final[k]], float(group_giving[-1, k]))
                             for k, g in enumerate(groups[:PART_ROWS])]))
        parts.append('<p class="note">Groups: their members\' strategies at the end and their giving along their '
                     "ties in the last round (the group game is not played by the dynamics).</p>")
    return "".join(parts)


def _selection(history, scenario) -> str:
    from .network_outputs import _mean_runs, selection_summary

    s = selection_summary(history, scenario)
    lead = (f"<p>Multilevel selection (Traulsen &amp; Nowak 2006) between {s['groups']} groups: givers and takers "
            f"reproduce in proportion to their payoff in their group; a group that grows beyond "
            f"{s.get('n', '')} splits (probability q = {s.get('q', float('nan')):g}) and another group dies. "
            f"{s['runs']} runs of {s['steps']} steps: givers {_number(s['giver_share_start'])} at the start, "
            f"{_number(s['giver_share_end'])} at the end; givers took over in {s['givers_won']} runs, takers in "
            f"{s['takers_won']}, {s['mixed']} still mixed.</p>")
    if "b" in s:
        lead += (f"<p>The donation-game limit of the scenario's game: R, S, T, P = {s['R']:g}, {s['S']:g}, "
                 f"{s['T']:g}, {s['P']:g}, so b = {s['b']:g} and c = {s['c']:g} (b/c = {s['b_over_c']:.3g}). "
                 f"Groups favour giving when b/c &gt; 1 + n/m = {s['critical_ratio']:.3g} (Traulsen &amp; Nowak "
                 f"2006); at weak selection and rare splitting, 1 + n/(m - 2) = "
                 f"{s['weak_selection_ratio']:.3g}.</p>")
    series = {"population": _mean_runs(history.cooperator_share)}
    organisation = _mean_runs(history.organisation_share)
    for k, name in enumerate(history.organisation_names[:PART_LINES - 1]):
        series[name] = organisation[:, k]
    every = int(history.steps[1] - history.steps[0]) if len(history.steps) > 1 else 1
    chart = svg.lines(series, "Givers over the steps", f"record (every {every} steps)", "share of givers")
    return lead + _figure(chart, "Share of givers in the population and among the living descendants of each "
                                 "organisation's people (the first ones), mean over runs.")


def _number(value, fmt: str = "{:.3f}") -> str:
    try:
        finite = np.isfinite(value)
    except TypeError:
        finite = False
    return fmt.format(value) if value is not None and finite else "-"


def _network_picture(report, summary) -> str:
    population = report.results.population
    counts = (f"<p>{population.n_organisations} organisations, {population.n_people} people, "
              f"{population.n_ties} ties, {len(population.groups)} groups.</p>")
    if report.picture is None:
        return counts + f'<p class="note">{escape(report.picture_note or "No picture.")}</p>'
    import base64

    data = base64.b64encode(report.picture).decode("ascii")
    image = (f'<img src="data:image/png;base64,{data}" alt="the network of {escape(report.title)}: people '
             f'coloured by organisation, sized by giving share">')
    return counts + _figure(image, "Each person a node coloured by their (first) organisation, its area growing with "
                                   "the person's giving share (hollow: never acted); each tie a line, darker and "
                                   "wider with the share of rounds of mutual giving; group members outlined in their "
                                   "group's colour.")


def _two_levels(report, summary) -> str:
    learned, reached = summary["learning_per_person_round"], summary["absorbed_per_person_round"]
    stayed = (1 - reached / learned) if learned else float("nan")
    lead = (f"<p>People earned {_number(summary['mean_person_payoff'])} per relation and round; organisations "
            f"{_number(summary['mean_organisation_payoff'])} per round. A person learned "
            f"{_number(learned)} per round, of which {_number(reached)} reached their organisations: "
            f"{_number(stayed, '{:.1%}')} stayed with the people (what seed 001 reports of KITe, where "
            f"learning \"stayed individual\", is this share).</p>")
    rows = [(r["organisation"], r["people"], r["absorption"], r["person_payoff"], r["organisation_payoff"],
             r["learned"], r["reached"]) for r in report.levels]
    table = _table(("organisation", "people", "absorption", "person payoff", "organisation payoff", "learned",
                    "reached the organisation"), rows)
    note = ("Per round, mean over repetitions. Person payoff: what one of its people earned, summed over the person's "
            "ties and groups (recognition, identity and the share of the organisation's leak the person feels "
            "included: docs/networks.md), mean over its people. Organisation payoff: what all its people's relations "
            "brought it. Learned: what its people learned (a shared person split over their organisations); "
            "reached: the part of it that the organisation absorbed.")
    return lead + table + f'<p class="note">{escape(note)}</p>'


def _organisations(results) -> str:
    rows = [(r["organisation"], r["people"], r["policy"], r["absorption"], r["giving_share"], r["payoff_per_round"],
             r["learning"] / results.rounds) for r in results.organisation_table()]
    return (_table(("organisation", "people", "policy", "absorption", "giving share", "payoff per round",
                    "learning home per round"), rows)
            + '<p class="note">Giving share: gives per act of its people (nan: they never acted).</p>')


#: People listed in a network report's table, at most.
PEOPLE_SHOWN = 200


def _people(results) -> str:
    table = results.person_table()
    rows = [(r["person"], r["organisations"], r["strategy"], r["ties"], r["groups"], r["identification"],
             r["recognition"], r["identity"], r["absorption"], r["giving_share"], r["payoff_per_round"],
             r["learning"] / results.rounds, r["absorbed"] / results.rounds) for r in table[:PEOPLE_SHOWN]]
    more = (f'<p class="note">The first {PEOPLE_SHOWN} of {len(table)} people; `learning-dilemma network SCENARIO '
            f'--out DIR` writes them all to people.csv.</p>' if len(table) > PEOPLE_SHOWN else "")
    return (_table(("person", "organisations", "strategy", "ties", "groups", "identification", "recognition",
                    "identity", "absorption", "giving share", "payoff per round", "learned per round",
                    "reached home per round"), rows) + more)


def _giving_by_round(report) -> str:
    if not report.rounds:
        return "<p>Nobody acted in any round.</p>"
    series = {name: np.asarray(values, dtype=float) for name, values in report.rounds.items()}
    chart = svg.lines(series, "Giving by round", "round", "share", marker=0.5)
    return _figure(chart, "Per round, mean over repetitions: giving share (gives per act over every relation), "
                          "giving on ties (share of open tie-sides that gave), mutual giving on ties (share of all "
                          "ties where both gave), giving in groups (share of a group's active members that gave, "
                          "over open groups). Rounds are counted from 0.")


def _relations(results, summary) -> str:
    parts = []
    if results.population.n_ties:
        parts.append(f"<p>Ties: mutual giving in {_number(summary['tie_mutual_giving'], '{:.1%}')} of rounds; "
                     f"{_number(summary['ties_ended_by_exit'], '{:.1%}')} ended because someone left, "
                     f"{_number(summary['ties_ended_by_race'], '{:.1%}')} because the race was over (Hamel "
                     f"1991: one side had learned all it came for).</p>")
    else:
        parts.append("<p>No ties.</p>")
    groups = results.group_table()
    if groups:
        parts.append(f"<p>Groups: {_number(summary['groups_ended_by_exit'], '{:.1%}')} closed by exits, "
                     f"{_number(summary['groups_ended_by_race'], '{:.1%}')} by the end of the race.</p>")
        rows = [(r["group"], r["size"], r["giving_share"], r["active_members"], r["open_rounds"], r["final_stakes"],
                 r["ended_open"], r["ended_left"], r["ended_race_over"]) for r in groups]
        parts.append(_table(("group", "size", "giving share", "active members", "open rounds", "stakes left",
                             "ended open", "ended by exits", "race over"), rows))
        parts.append('<p class="note">Means over repetitions; the endings are shares of repetitions.</p>')
    else:
        parts.append("<p>No groups.</p>")
    return "".join(parts)


def _section(heading: str, body: str, note: str | None = None) -> str:
    slug = heading.lower().split("?")[0].replace(" ", "-")
    extra = f'<p class="note">{escape(note)}</p>' if note else ""
    return f'<section id="{slug}"><h2>{escape(heading)}</h2>{body}{extra}</section>'


def _figure(svg_text: str, caption: str) -> str:
    return f"<figure>{svg_text}<figcaption>{escape(caption)}</figcaption></figure>"


def _table(header, rows) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value) -> str:
    if isinstance(value, (float, np.floating)):
        return f'<td class="num">{value:.3f}</td>'
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f'<td class="num">{value}</td>'
    return f"<td>{escape(str(value))}</td>"


def _ranking(results) -> str:
    rows = [
        (r["rank"], r["player"], r["median_score"], r["give_rate"], r["wins"], r["power_gap"])
        for r in results.summary()
    ]
    return _table(("rank", "player", "median payoff", "give rate", "wins", "power gap"), rows)


def _alliance(results) -> str:
    """Learning per player, exits, the end of the race, duration and stakes left."""
    stakes = results.stakes_active
    header = ("player", "learning per round", "exits", "alliance open", "rounds open") + (
        ("stakes left",) if stakes else ())
    rows = [
        (r["player"], r["learning"], r["exits"], r["open_share"], r["duration"])
        + ((r["stakes_left"],) if stakes else ())
        for r in results.summary()
    ]
    joint = results.joint_learning[np.isfinite(results.joint_learning)]
    created = float(np.mean(joint)) if joint.size else 0.0
    note = (
        "Learning: knowledge absorbed per round (receptivity times the partner's gives that transferred; a give "
        "of tacit knowledge may not). Exits: share of its matches the player left. Alliance open: share of the "
        "rounds before the alliance closed (afterwards both earn the status quo); rounds open: their mean number."
        + (f" Stakes left: levels of the partner's knowledge still to learn at the end, of "
           f"{results.game.knowledge.levels}." if stakes else " No knowledge stakes: nothing is ever used up.")
    )
    summary = (
        f"<p>Across all matches {results.exit_rate:.1%} ended because a player left and "
        f"{results.race_over_rate:.1%} because one side had learned all it came for (Hamel 1991: the race is "
        f"over); the alliance was open in {results.open_rate:.1%} of all rounds. Joint learning, the value "
        f"created per round (what transferred and what joint giving made, not the race premium), averaged "
        f"{created:.3f} over the pairings.</p>"
    )
    return (summary + _figure(svg.bars(results.learning, results.players, "Learning per round by player"),
                              "Knowledge each player absorbed per round, over its matches.")
            + _table(header, rows) + f'<p class="note">{escape(note)}</p>')


def _power(results) -> str:
    if not results.stakes_active:
        return ("<p>No knowledge stakes in this scenario: nobody depends on the other more than it is depended "
                "on, so the power position stays 0 and the created value is split half and half.</p>")
    trajectories = results.power_trajectories
    gaps = {pair: abs(float(np.asarray(t)[-1])) for pair, t in trajectories.items() if pair[0] < pair[1]}
    widest = sorted(gaps, key=gaps.get, reverse=True)[:6]
    continuation = results.metadata.get("continuation")
    # Late rounds of continuation matches average over few surviving repetitions.
    shown = None if continuation is None else int(np.ceil(3 / (1 - continuation))) + 1
    series = {
        f"{results.players[a]} vs {results.players[b]}": np.asarray(trajectories[(a, b)], dtype=float)[:shown]
        for a, b in widest
    }
    chart = svg.lines(series, "Mean power position (first player's side)", "round",
                      "power position z = K_partner - K_own", marker=0.0)
    strength = results.game.power.strength
    split = (f"At power strength {strength:g} the side ahead takes a larger share of the value the alliance "
             "creates (never of what each earns alone)." if strength else
             "Power strength is 0 here: the created value is split half and half whoever is ahead.")
    return (_figure(chart, "The six pairings whose power gap grew widest. Power is the partner's dependence "
                           "(Emerson 1962): above zero the first named player has less left to learn from the "
                           "other than the other from it, the faster learner of Hamel's (1991) race. " + split)
            + svg.heatmap(results.dominance, results.players, results.players, "Dominance")
            + '<p class="note">Dominance: share of repetitions the row player ended holding power.</p>')


def _evolution(evolution) -> str:
    """Shares under each method, survivors and the evolved give rate."""
    rows = [
        (name, float(evolution.replicator.final[k]), float(evolution.limit.distribution[k]),
         float(evolution.simulation.mean_shares[k]))
        for k, name in enumerate(evolution.names)
    ]
    table = _table(("strategy", "replicator", "small mutations", "simulation"), rows)
    rates = evolution.give_rates
    settled = evolution.replicator.settled
    verdicts = "".join(
        f"<tr><td>{escape(method)}</td><td>{escape(', '.join(names) or 'none')}</td>"
        f"{_cell(rates[method]) if rates[method] is not None else '<td></td>'}</tr>"
        for method, names in evolution.survivors.items()
    )
    s = evolution.settings
    return (
        table
        + "<table><thead><tr><th>method</th><th>survivors</th><th>give rate</th></tr></thead>"
        + f"<tbody>{verdicts}</tbody></table>"
        + f'<p class="note">Replicator: final shares of an infinite population from equal shares'
          + ("" if settled else
             f" (not settled by t={evolution.replicator.times[-1]:g}: still cycling, or a rare strategy still "
             "invading; these are the shares then)")
          + ". Small "
          f"mutations: stationary abundances in a population of {s['population']} ({escape(s['process'])} "
          f"process). Simulation: time-averaged shares with mutation {s['mutation']:g} over "
          f"{s['generations']} generations.</p>"
    )


def _phase(phase: Phase) -> str:
    rows = [f"{phase.y_key}={v:.3g}" for v in phase.y_values]
    columns = [f"{v:.3g}" for v in phase.x_values]
    chart = svg.heatmap(phase.values, rows, columns, f"Phase diagram: {phase.label}")
    return _figure(chart, f"{phase.label} across {phase.x_key} (columns) and {phase.y_key} (rows).")
