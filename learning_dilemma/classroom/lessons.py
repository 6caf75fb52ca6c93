"""A guided classroom walk-through of the learning dilemma, in seven steps.

Each step runs real computations with the engine (seeded, so a class sees the
same numbers every time), prints a short explanation, the numbers and what to
notice, and can draw one figure. ``learning-dilemma demo`` runs it.

The steps follow the argument of the seed papers: the dilemma (Larsson et al.
1998), the shadow of the future (Axelrod 1984), power dynamics (Hamel 1991),
tacit knowledge, interpersonal trust carrying cooperation (seed 001), identity
segregation and aggregation (seed 000), and the seeds' cases side by side.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..games import LearningGame
from ..match import Match
from ..moves import Move
from ..strategies import (
    BoundarySpanner,
    Calculative,
    ChineseWall,
    Collaboration,
    Competition,
    ContractualReciprocator,
    Expert,
    ForgivingColleague,
    KnowHowTrader,
    MetaIdentity,
    Opportunist,
    Peer,
    RaceToLearn,
    TrustBuilder,
)

__all__ = [
    "CASES", "cases", "Chart", "DEFAULT_SEED", "draw", "identity", "interpersonal", "one_shot", "per_round",
    "power", "REPETITIONS", "run", "shadow", "Step", "STEPS", "tacit"
]

DEFAULT_SEED = 2026
REPETITIONS = 2000


@dataclass
class Chart:
    """Data for one figure: grouped bars or lines (``kind``), a category axis
    and named series."""

    kind: str
    title: str
    x_label: str
    y_label: str
    categories: list
    series: dict
    marker: float | None = None  # a vertical reference line (lines only)


@dataclass
class Step:
    """One step of the demo: what it shows, its numbers, and what to notice."""

    number: int
    title: str
    lesson: str
    header: tuple
    rows: list
    notice: str
    chart: Chart | None = None
    numbers: dict = field(default_factory=dict)

    def render(self, width: int = 88) -> str:
        from ..io.tables import table

        wrap = lambda text: textwrap.fill(" ".join(text.split()), width)  # noqa: E731
        return "\n".join([
            f"Step {self.number}. {self.title}",
            "=" * min(width, len(self.title) + 9),
            wrap(self.lesson),
            "",
            table(self.header, self.rows),
            "",
            wrap("What to notice: " + self.notice),
        ])


def per_round(player_a, player_b, seed, game=None, **length):
    """Mean payoffs per round (pooled over rounds), give rates and mutual giving
    of a seeded batch of matches."""
    batch = Match(player_a, player_b, game=game, seed=seed, repetitions=REPETITIONS, **length).play_batch()
    rounds = batch.lengths.sum()
    payoffs = batch.totals.sum(axis=0) / rounds
    gives = np.stack([(batch.raw.moves[0] == 1).sum(), (batch.raw.moves[1] == 1).sum()]) / rounds
    mutual = ((batch.raw.moves[0] == 1) & (batch.raw.moves[1] == 1)).sum() / rounds
    return payoffs, gives, float(mutual), batch


def one_shot(seed: int) -> Step:
    game = LearningGame()
    rows = []
    values = {}
    for mine in (Move.GIVE, Move.TAKE):
        row = [f"I {mine.name}"]
        for theirs in (Move.GIVE, Move.TAKE):
            u_me, u_them = game.payoffs(mine, theirs)
            values[f"{mine.letter}{theirs.letter}"] = u_me
            row.append(f"{u_me:g} / {u_them:g}")
        rows.append(row)
    return Step(
        1, "The one-shot dilemma",
        "Two organisations meet once. Each can GIVE (share its knowledge) or TAKE (absorb "
        "the partner's and share nothing). The table shows my payoff / the partner's "
        "(Larsson et al. 1998, with Axelrod's numbers).",
        ("", "partner GIVES", "partner TAKES"), rows,
        "whatever the partner does, TAKE pays more (5 > 3 and 1 > 0), so both take and "
        "get 1 each, although both giving would give 3 each: the learning dilemma.",
        Chart("bars", "One round: my payoff", "partner's move", "my payoff", ["GIVE", "TAKE"],
              {"I give": [values["GG"], values["GT"]], "I take": [values["TG"], values["TT"]]}),
        values,
    )


def shadow(seed: int) -> Step:
    rows, numbers = [], {}
    ws = (0.3, 0.6, 0.9)
    series = {"Reciprocator vs Reciprocator": [], "Opportunist vs Reciprocator": [], "Calculative pair": []}
    for w in ws:
        (home, _), _, _, _ = per_round(ContractualReciprocator(), ContractualReciprocator(), seed, continuation=w)
        (invader, _), _, _, _ = per_round(Opportunist(), ContractualReciprocator(), seed, continuation=w)
        (calc, _), _, calc_mutual, _ = per_round(Calculative(), Calculative(), seed, continuation=w)
        rows.append((f"{w:g}", f"{1 / (1 - w):.1f}", home, invader, "yes" if home >= invader else "no", calc_mutual))
        numbers[w] = {"reciprocator": home, "opportunist": invader, "calculative_mutual": calc_mutual}
        series["Reciprocator vs Reciprocator"].append(home)
        series["Opportunist vs Reciprocator"].append(invader)
        series["Calculative pair"].append(calc)
    return Step(
        2, "Repetition and the shadow of the future",
        "Now the organisations meet again with probability w after each round (Axelrod "
        "1984). A Contractual Reciprocator gives first and then mirrors its partner. Can "
        "an Opportunist who always takes do better against it than it does against its own kind?",
        ("w", "mean rounds", "reciprocator pair", "opportunist invades", "resists?", "calculative mutual giving"),
        rows,
        "with a short shadow (w = 0.3) taking pays; from w = 1/2 = (T-R)/(T-P) the "
        "reciprocator resists. The Calculative organisation gives only when w >= 2/3 = "
        "(T-R)/(R-S): below that, only its opening round is a give.",
        Chart("lines", "Payoff per round against the shadow of the future", "continuation probability w",
              "payoff per round", list(ws), series, marker=0.5),
        numbers,
    )


def power(seed: int) -> Step:
    rows, numbers = [], {}
    series = {"strength 0": [], "strength 0.8": []}
    pairs = [(Competition(), Collaboration()), (RaceToLearn(), TrustBuilder())]
    for strength in (0.0, 0.8):
        game = LearningGame().with_power(strength=strength)
        for a, b in pairs:
            (u_a, u_b), _, _, batch = per_round(a, b, seed, game=game, turns=50)
            final = float(batch.final_power.mean())
            share = float(np.mean([r.shares().mean() for r in list(batch)[:200]]))
            rows.append((f"{strength:g}", f"{a.label} vs {b.label}", u_a, u_b, final, share))
            numbers[(strength, a.label)] = {"payoff_a": u_a, "payoff_b": u_b, "final_power": final, "share": share}
        trajectory = batch.raw.power.mean(axis=0)
        series[f"strength {strength:g}"] = list(trajectory)
    return Step(
        3, "Power dynamics: the race to learn",
        "Hamel (1991): whoever takes more than it gives gains bargaining power and a larger "
        "share of the alliance's rents. The power ladder z moves one step toward a taker "
        "(with its receptivity); mutual giving pulls it back toward parity. 50 rounds.",
        ("power", "pairing", "payoff A", "payoff B", "final z (A)", "A's mean share"), rows,
        "with power on, the taker's share of the joint rents grows round by round, so taking "
        "pays even more and the partner that kept giving ends far behind: the race to learn "
        "locks in the early taker's advantage.",
        Chart("lines", "Race To Learn vs Trust Builder: mean power position", "round", "z (Race To Learn's side)",
              list(range(51)), series),
        numbers,
    )


def tacit(seed: int) -> Step:
    rows, numbers = [], {}
    levels = (0.0, 0.05, 0.2)
    kinds = (ContractualReciprocator, ForgivingColleague, TrustBuilder)
    series = {cls.name: [] for cls in kinds}
    for tacitness in levels:
        row = [f"{tacitness:g}"]
        for cls in kinds:
            _, _, mutual, _ = per_round(cls(tacitness=tacitness), cls(tacitness=tacitness), seed, turns=100)
            row.append(mutual)
            series[cls.name].append(mutual)
            numbers[(tacitness, cls.name)] = mutual
        rows.append(row)
    return Step(
        4, "Tacit knowledge: misunderstanding erodes giving",
        "Much knowledge is tacit and hard to make transparent (Larsson et al. 1998). Here an "
        "intended give fails with probability 'tacitness' and looks, to the partner, just "
        "like a take. Each pair plays 100 rounds; the numbers are the share of rounds in "
        "which both gave.",
        ("tacitness", *[cls.name for cls in kinds]), rows,
        "strict reciprocity turns each failed give into an echo of retaliation and mutual "
        "giving collapses; a forgiving colleague or a person whose trust has slack absorbs "
        "the misunderstandings.",
        Chart("lines", "Mutual giving against tacitness", "tacitness", "share of rounds both give",
              list(levels), series),
        numbers,
    )


def interpersonal(seed: int) -> Step:
    game = LearningGame().with_power(strength=0.5)
    players = (Calculative, Opportunist, TrustBuilder, Peer, Expert, KnowHowTrader)
    rows, numbers, bars = [], {}, {}
    for cls in players:
        (u, _), _, mutual, _ = per_round(cls(), cls(), seed, game=game, continuation=0.5)
        level = "organisation" if cls.family == "organisational" else "person"
        rows.append((cls.name, level, u, mutual))
        numbers[cls.name] = mutual
        bars[cls.name] = mutual
    return Step(
        5, "People carry cooperation where organisations calculate",
        "Seed 001 argues that people in knowledge-sharing networks do not live the dilemma "
        "as their organisations do. Each strategy plays its own kind with a short shadow "
        "(w = 0.5) and power dynamics on (strength 0.5).",
        ("strategy", "level", "payoff per round", "mutual giving"), rows,
        "the calculative organisation gives only in the opening round (w = 0.5 is below its "
        "2/3 threshold); trust builders, peers and experts keep giving to each other; the "
        "know-how trader loses rounds to the crucial knowledge it withholds.",
        Chart("bars", "Mutual giving with a short shadow (w = 0.5)", "strategy", "share of rounds both give",
              ["mutual giving"], {name: [value] for name, value in bars.items()}),
        numbers,
    )


def identity(seed: int) -> Step:
    game = LearningGame().with_power(strength=0.5)
    spanners = (Calculative(), BoundarySpanner(), ChineseWall(), MetaIdentity())
    rows, numbers = [], {}
    series = {"vs a calculative partner": [], "with its own kind": []}
    for player in spanners:
        _, (give, _), _, _ = per_round(player, Calculative(), seed, game=game, continuation=0.5)
        _, _, mutual, _ = per_round(player, player.clone(), seed, game=game, continuation=0.5)
        rows.append((player.label, give, mutual))
        numbers[player.label] = {"give_vs_calculative": give, "mutual_with_own_kind": mutual}
        series["vs a calculative partner"].append(give)
        series["with its own kind"].append(mutual)
    return Step(
        6, "Identity: segregation against aggregation",
        "A boundary spanner acts for an organisation (here Calculative) through a person "
        "(here a Trust Builder). Seed 000 finds two ways to cope with the conflict: "
        "segregation (a Chinese wall: crucial matters follow the organisation) and "
        "aggregation (a meta-identity that reframes giving as serving the organisation). "
        "w = 0.5, power strength 0.5.",
        ("strategy", "gives vs calculative", "mutual giving with own kind"), rows,
        "any personal identity raises giving over the pure organisational policy; the "
        "meta-identity gives most, because it does not merely split the rounds between "
        "the identities but turns the organisation's takes into gives.",
        Chart("bars", "Identity and giving (w = 0.5)", "", "share", list(series),
              {label: [series[k][i] for k in series] for i, label in enumerate(p.label for p in spanners)}),
        numbers,
    )


CASES = (("kite", "delta"), ("itcom_bencons", "itcom_insys"))


def cases(seed: int) -> Step:
    from ..io.scenarios import load_scenario

    rows, numbers, bars = [], {}, {}
    for pair in CASES:
        for name in pair:
            scenario = load_scenario(name)
            results = scenario.tournament(seed=seed, repetitions=5).play()
            give = float(np.mean(results.give_rate))
            rows.append((name, scenario.description, give, results.mutual_giving_rate))
            numbers[name] = {"give_rate": give, "mutual_giving": results.mutual_giving_rate}
            bars[name] = give
    return Step(
        7, "The seeds' cases side by side",
        "The shipped scenarios encode the cases of the seed papers: KITe (twelve commercial "
        "organisations, loose, voluntary, little trust) against Delta (five research "
        "institutes, peers, personal trust, a twelve-year programme); ITCOM's alliance with "
        "Bencons (habitual avoidance, fear of malfeasance) against the one with Insys "
        "(experience, an explorative meta-identity). Each runs as a full tournament.",
        ("scenario", "description", "give rate", "mutual giving"), rows,
        "Delta gives more than KITe, through the long shadow of its programme and personal "
        "trust among peers; Insys more than Bencons, through prior relations and identity "
        "aggregation where Bencons meets habitual avoidance. docs/scenarios.md explains "
        "each mechanism.",
        Chart("bars", "Give rate by case", "", "give rate", ["give rate"], {k: [v] for k, v in bars.items()}),
        numbers,
    )


STEPS: tuple[Callable[[int], Step], ...] = (one_shot, shadow, power, tacit, interpersonal, identity, cases)


def run(step: int | None = None, seed: int = DEFAULT_SEED) -> list[Step]:
    """Compute the demo's steps (all, or just ``step``, numbered from 1)."""
    from ..errors import ParameterError

    if step is not None and not 1 <= step <= len(STEPS):
        raise ParameterError(f"--step must be between 1 and {len(STEPS)}, got {step}")
    chosen = STEPS if step is None else (STEPS[step - 1],)
    return [make(seed) for make in chosen]


def draw(chart: Chart, path) -> None:
    """Draw a step's chart to ``path`` (PNG or SVG by extension), atomically."""
    import matplotlib

    from ..io.outputs import figure_bytes, write_bytes

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    if chart.kind == "lines":
        for name, values in chart.series.items():
            ax.plot(chart.categories[: len(values)], values, marker="o" if len(values) < 12 else None, label=name)
        if chart.marker is not None:
            ax.axvline(chart.marker, color="grey", linestyle="--", linewidth=1)
    else:
        names = list(chart.series)
        width = 0.8 / max(len(names), 1)
        x = np.arange(len(chart.categories))
        for k, name in enumerate(names):
            ax.bar(x + k * width - 0.4 + width / 2, chart.series[name], width, label=name)
        ax.set_xticks(x, chart.categories)
    ax.set_title(chart.title)
    ax.set_xlabel(chart.x_label)
    ax.set_ylabel(chart.y_label)
    ax.legend(fontsize=8)
    fig.tight_layout()
    try:  # the same bytes every time, written atomically
        write_bytes(path, figure_bytes(fig, str(path).rsplit(".", 1)[-1]))
    finally:
        plt.close(fig)
