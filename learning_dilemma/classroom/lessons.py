"""A guided classroom walk-through of the learning dilemma, in eight steps.

Each step runs real computations with the engine (seeded, so a class sees the
same numbers every time), prints a short explanation, the numbers and what to
notice, and can draw one figure. ``learning-dilemma demo`` runs it. Every number
a step's text states is computed in the step (the text is formatted from its
``numbers``), and ``tests/test_demo.py`` checks each claim the text makes, with an
ablation where it claims an effect.

The steps follow the argument of the seed papers, in the second edition of the
game (issue 15): the dilemma and competitive overlap (Larsson et al. 1998;
Zander & Kogut 1995; Bengtsson & Kock 2000), the shadow of the future (Axelrod
1984), power from dependence and the race to learn (Emerson 1962; Hamel 1991),
tacit knowledge moving through ties (Hansen 1999), interpersonal trust carrying
cooperation (seed 001), identity segregation and aggregation (seed 000), exit
and the loner payoff (Hamel 1991; Hauert et al. 2002), and the seeds' cases
side by side.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..engine.batching import summarise
from ..engine.vectorised import BOTH_LEFT, FIRST_LEFT, RACE_OVER, SECOND_LEFT
from ..games import Knowledge, LearningGame, Power, Ties, bargaining_share
from ..match import Match
from ..moves import EXIT, Move
from ..strategies import (
    Accommodation,
    BoundarySpanner,
    Calculative,
    ChineseWall,
    Collaboration,
    Competition,
    ContractualReciprocator,
    Cooperator,
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
    "CASES", "cases", "Chart", "DEFAULT_SEED", "draw", "exit_step", "identity", "interpersonal", "one_shot",
    "per_round", "Play", "power", "RACE", "relation", "REPETITIONS", "run", "shadow", "Step", "STEPS", "tacit",
]

DEFAULT_SEED = 2026
REPETITIONS = 2000

#: The knowledge stakes the demo's relations use: those of the shipped scenarios
#: (4 levels each side starts out lacking, a transferred give teaching a level
#: with probability receptivity x 0.3).
RACE = Knowledge(levels=4, pace=0.3)
#: Tie strength as in the shipped scenarios: 3 rounds of mutual giving make a full-strength tie.
TIES = Ties(levels=3)


def relation(strength: float = 0.5) -> LearningGame:
    """The game of steps 5 and 6: the shipped scenarios' stakes and ties, power at ``strength``."""
    return LearningGame(knowledge=RACE, ties=TIES, power=Power(strength=strength))


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


@dataclass
class Play:
    """A seeded batch of matches, pooled over its rounds (what a step reports).

    Attributes
    ----------
    payoffs, gives, learning : ndarray, shape (2,)
        Per round: payoffs, give rates (as played: a tacit give that failed is a
        give) and knowledge absorbed (receptivity x transfers received).
    transfers : ndarray, shape (2,)
        Share of rounds each side's give transferred.
    mutual, joint, open_share : float
        Share of rounds both gave; joint value created per round
        (:func:`~learning_dilemma.games.learning.joint_value`); share of rounds
        the alliance was open.
    duration : float
        Mean rounds the alliance was open, per match.
    final_power : float
        Mean final power position, A's view (``K_B - K_A``).
    left : ndarray, shape (2,)
        Share of the matches each side left.
    race_over : float
        Share of the matches that ended because one side had learned all it came for.
    opening_share : float
        Share of the rounds that were a match's first round.
    batch : MatchBatch
    """

    payoffs: np.ndarray
    gives: np.ndarray
    learning: np.ndarray
    transfers: np.ndarray
    mutual: float
    joint: float
    open_share: float
    duration: float
    final_power: float
    left: np.ndarray
    race_over: float
    opening_share: float
    batch: object = field(repr=False)


def per_round(player_a, player_b, seed, game=None, **length) -> Play:
    """A seeded batch of :data:`REPETITIONS` matches, pooled over rounds (a :class:`Play`)."""
    match = Match(player_a, player_b, game=game, seed=seed, repetitions=REPETITIONS, **length)
    batch = match.play_batch()
    summary = summarise(batch.raw, match.game, (player_a.receptivity, player_b.receptivity))
    rounds = summary.lengths.sum()
    ended = summary.ended_by
    return Play(
        payoffs=summary.totals.sum(axis=0) / rounds,
        gives=summary.gives.sum(axis=0) / rounds,
        learning=summary.learning.sum(axis=0) / rounds,
        transfers=(batch.raw.transfers == 1).sum(axis=(1, 2)) / rounds,
        mutual=float(summary.mutual.sum() / rounds),
        joint=float(summary.joint.sum() / rounds),
        open_share=float(summary.duration.sum() / rounds),
        duration=float(summary.duration.mean()),
        final_power=float(summary.final_power.mean()),
        left=np.array([np.isin(ended, codes).mean() for codes in ((FIRST_LEFT, BOTH_LEFT), (SECOND_LEFT, BOTH_LEFT))]),
        race_over=float(np.mean(ended == RACE_OVER)),
        opening_share=float(len(summary.lengths) / rounds),
        batch=batch,
    )


def created_share(play: Play, game: LearningGame, receptivities) -> float:
    """The first player's share of the value created by joint giving (nan if none was created)."""
    raw = play.batch.raw
    r_a, r_b = receptivities
    created = game.synergy * (r_a + r_b) * (raw.transfers[0] == 1) * (raw.transfers[1] == 1)
    share = bargaining_share(raw.power[:, :-1], game.power.strength, game.knowledge.levels)
    total = created.sum()
    return float((share * created).sum() / total) if total > 0 else float("nan")


def one_shot(seed: int) -> Step:
    rows, values = [], {}
    for setting, game in (("rivals", LearningGame()), ("no rivalry", LearningGame(overlap=0.0))):
        values[setting] = {}
        for mine in (Move.GIVE, Move.TAKE):
            row = [f"{setting}: I {mine.name}"]
            for theirs in (Move.GIVE, Move.TAKE):
                u_me, u_them = game.payoffs(mine, theirs)
                values[setting][f"{mine.letter}{theirs.letter}"] = u_me
                row.append(f"{u_me:g} / {u_them:g}")
            rows.append(row)
    rival, free = values["rivals"], values["no rivalry"]
    return Step(
        1, "The one-shot dilemma",
        "Two organisations meet once. Each can GIVE (expose its knowledge) or TAKE (absorb the partner's and "
        "expose nothing). Learning a unit of the partner's knowledge is worth b - c = 1 to the learner in any "
        "case; between rivals it also moves standing c = 1 from the giver to the learner and pays a race premium "
        "e = 2 to a learner that gave nothing, both scaled by the competitive overlap gamma (Zander & Kogut 1995; "
        "Bengtsson & Kock 2000); mutual giving creates s = 1 for each side. The table shows my payoff / the "
        "partner's for direct rivals (overlap 1: Larsson et al. 1998 with Axelrod's numbers) and for partners "
        "who do not compete (overlap 0).",
        ("", "partner GIVES", "partner TAKES"), rows,
        f"between rivals, whatever the partner does, TAKE pays more ({rival['TG']:g} > {rival['GG']:g} and "
        f"{rival['TT']:g} > {rival['GT']:g}), so both take and get {rival['TT']:g} each, although both giving "
        f"would give {rival['GG']:g} each: the learning dilemma. Without rivalry (a pre-competitive or academic "
        f"setting) the positional part and the race premium vanish: giving is never worse ({free['GG']:g} > "
        f"{free['TG']:g} and {free['GT']:g} = {free['TT']:g}), and the dilemma is gone.",
        Chart("bars", "One round between rivals: my payoff", "partner's move", "my payoff", ["GIVE", "TAKE"],
              {"I give": [rival["GG"], rival["GT"]], "I take": [rival["TG"], rival["TT"]]}),
        values,
    )


def shadow(seed: int) -> Step:
    rows, numbers = [], {}
    ws = (0.3, 0.6, 0.9)
    series = {"Reciprocator vs Reciprocator": [], "Opportunist vs Reciprocator": [], "Calculative pair": []}
    for w in ws:
        home = per_round(ContractualReciprocator(), ContractualReciprocator(), seed, continuation=w).payoffs[0]
        invader = per_round(Opportunist(), ContractualReciprocator(), seed, continuation=w).payoffs[0]
        calculative = per_round(Calculative(), Calculative(), seed, continuation=w)
        calc, calc_mutual = calculative.payoffs[0], calculative.mutual
        rows.append((f"{w:g}", f"{1 / (1 - w):.1f}", home, invader, "yes" if home >= invader else "no", calc_mutual))
        numbers[w] = {"reciprocator": home, "opportunist": invader, "calculative_mutual": calc_mutual,
                      "calculative_opening": calculative.opening_share}
        series["Reciprocator vs Reciprocator"].append(home)
        series["Opportunist vs Reciprocator"].append(invader)
        series["Calculative pair"].append(calc)
    return Step(
        2, "Repetition and the shadow of the future",
        "Now the organisations meet again with probability w after each round (Axelrod "
        "1984). A Contractual Reciprocator gives first and then mirrors its partner. Can "
        "an Opportunist who always takes do better against it than it does against its own kind? "
        "(No knowledge stakes yet: what there is to learn never runs out, as in Axelrod's game.)",
        ("w", "mean rounds", "reciprocator pair", "opportunist invades", "resists?", "calculative mutual giving"),
        rows,
        "with a short shadow (w = 0.3) taking pays; from w = 1/2 = (T-R)/(T-P) the "
        "reciprocator resists. The Calculative organisation gives only when w >= 2/3 = "
        "(T-R)/(R-S): below that, only its opening round is a give.",
        Chart("lines", "Payoff per round against the shadow of the future", "continuation probability w",
              "payoff per round", list(ws), series, marker=0.5),
        numbers,
    )


#: Step 3's pairings: Larsson et al.'s (1998) strategies, then two takers.
POWER_PAIRS = ((Collaboration, Accommodation), (Competition, Collaboration), (Opportunist, Opportunist))
POWER_TURNS = 50


def power(seed: int) -> Step:
    rows, numbers = [], {}
    series = {}
    for strength in (0.0, 0.8):
        game = LearningGame(knowledge=RACE, power=Power(strength=strength))
        for make_a, make_b in POWER_PAIRS:
            a, b = make_a(), make_b()
            play = per_round(a, b, seed, game=game, turns=POWER_TURNS)
            share = created_share(play, game, (a.receptivity, b.receptivity))
            rows.append((f"{strength:g}", f"{a.label} vs {b.label}", play.payoffs[0], play.payoffs[1],
                         play.final_power, "none created" if np.isnan(share) else f"{share:.3f}", play.duration))
            numbers[(strength, a.label, b.label)] = {
                "payoff_a": float(play.payoffs[0]), "payoff_b": float(play.payoffs[1]),
                "final_power": play.final_power, "share": share, "duration": play.duration,
                "race_over": play.race_over, "gives": play.gives.tolist(), "learning": play.learning.tolist(),
            }
            if strength == 0.0 and (make_a, make_b) == POWER_PAIRS[0]:
                raw = play.batch.raw
                series = {f"{a.label}'s stakes left": list(raw.stakes[0].mean(axis=0)),
                          f"{b.label}'s stakes left": list(raw.stakes[1].mean(axis=0)),
                          f"power position z ({a.label}'s side)": list(raw.power.mean(axis=0))}
    off = numbers[(0.0, "Collaboration", "Accommodation")]
    on = numbers[(0.8, "Collaboration", "Accommodation")]
    takers = numbers[(0.8, "Opportunist", "Opportunist")]
    return Step(
        3, "Power from dependence: the race to learn",
        "Hamel (1991): allies who are rivals race to learn each other's skills, and whoever learns faster needs "
        "the partner less. Power is the other's dependence (Emerson 1962): here z = K_partner - K_own, the levels "
        "the partner still has to learn from you minus those you still have to learn from it. Each side starts "
        f"lacking {RACE.levels} levels of the other's knowledge; a give that transfers teaches the receiver a "
        f"level with probability receptivity x {RACE.pace:g}. Power splits only what the alliance creates (the "
        "value of joint giving), never what each earns on its own; when one side has learned all it came for, "
        "the race is over and the alliance ends. Larsson et al.'s (1998) Collaboration and Accommodation both "
        "give in 90% of rounds whatever the partner does, but absorb 0.9 and 0.1; Competition gives in 10% and "
        f"absorbs 0.9. {POWER_TURNS} rounds, power strength 0 and 0.8.",
        ("power", "pairing", "payoff A", "payoff B", "final z (A)", "A's share of created value", "rounds open"),
        rows,
        f"the faster learner ends holding power, whatever the moves: Collaboration ends {off['final_power']:.2f} "
        f"levels ahead of Accommodation although both give as often. Power moves only created value: at strength "
        f"0.8 Collaboration's share of what the two create rises from 0.5 to {on['share']:.3f}, its payoff from "
        f"{off['payoff_a']:.3f} to {on['payoff_a']:.3f} and Accommodation's falls from {off['payoff_b']:.3f} to "
        f"{on['payoff_b']:.3f}, while the two together earn {off['payoff_a'] + off['payoff_b']:.3f} either way. "
        f"Two Opportunists create nothing and earn {takers['payoff_a']:g} each at any strength: when both take, "
        f"nothing moves between them. And the race ends: after {off['duration']:.1f} rounds on average the "
        "faster learner has learned all it came for and the alliance closes (Hamel 1991: the slower learner "
        "becomes dispensable); both earn the status quo for the rest of the match.",
        Chart("lines", "The race to learn: Collaboration vs Accommodation (means)", "round", "knowledge levels",
              list(range(POWER_TURNS + 1)), series),
        numbers,
    )


TACIT_LEVELS = (0.0, 0.05, 0.2)
TACIT_KINDS = (ContractualReciprocator, ForgivingColleague, TrustBuilder)
TACIT_TURNS = 100


def tacit(seed: int) -> Step:
    rows, numbers = [], {}
    series = {}
    for ties in (Ties(), TIES):
        game = LearningGame(ties=ties)
        label = f"ties {ties.levels}" if ties.active else "no ties"
        for tacitness in TACIT_LEVELS:
            row = [f"{tacitness:g}", label]
            for cls in TACIT_KINDS:
                mutual = per_round(cls(tacitness=tacitness), cls(tacitness=tacitness), seed, game=game,
                                   turns=TACIT_TURNS).mutual
                row.append(mutual)
                series.setdefault(f"{cls.name} ({label})", []).append(mutual)
                numbers[(tacitness, ties.levels, cls.name)] = mutual
            rows.append(row)
    holder = per_round(Cooperator(tacitness=0.2), Cooperator(), seed, turns=TACIT_TURNS)
    numbers["tacit giver"] = {"payoffs": holder.payoffs.tolist(), "gives": holder.gives.tolist(),
                              "transfers": holder.transfers.tolist()}
    R = LearningGame().rstp()[0]
    strict = numbers[(0.2, 0, ContractualReciprocator.name)]
    tied = numbers[(0.2, TIES.levels, ContractualReciprocator.name)]
    return Step(
        4, "Tacit knowledge: partial, private transfer through ties",
        "Much knowledge is tacit and hard to make transparent (Larsson et al. 1998; Inkpen & Dinur 1998): a give "
        "fails to transfer with probability 'tacitness'. The failure is private: the giver knows it gave and is "
        "paid as a giver; the receiver learns nothing and sees a take. Tacit knowledge moves through strong ties "
        f"(Hansen 1999): each round in which both give strengthens the tie, and after {TIES.levels} such rounds "
        f"every give transfers (a give fails with probability tacitness x (1 - tie/{TIES.levels})). Each pair "
        f"plays {TACIT_TURNS} rounds; the numbers are the share of rounds in which both gave, without ties and "
        "with them.",
        ("tacitness", "ties", *[cls.name for cls in TACIT_KINDS]), rows,
        "without ties, strict reciprocity answers each failed give it saw with a take, the echo of retaliation "
        f"runs on and mutual giving collapses ({strict:.3f} of rounds at tacitness 0.2); a forgiving colleague or "
        "a person whose trust has slack absorbs the misunderstandings. With ties, the first rounds of mutual "
        "giving build a tie over which the tacit knowledge then transfers, and every pair gives more "
        f"({tied:.3f} for the reciprocators). A failed give never pays its giver more than a give that "
        f"transfers: an always-giver with tacitness 0.2 facing an always-giver earns "
        f"{holder.payoffs[0]:.2f} a round, less than the {R:g} of a give that transfers, and its partner "
        f"{holder.payoffs[1]:.2f}; its own record shows a give in every round ({holder.gives[0]:.0%}), though only "
        f"{holder.transfers[0]:.0%} transferred.",
        Chart("lines", "Mutual giving against tacitness", "tacitness", "share of rounds both give",
              list(TACIT_LEVELS), series),
        numbers,
    )


PEOPLE = (Calculative, Opportunist, TrustBuilder, Peer, Expert, KnowHowTrader)


def interpersonal(seed: int) -> Step:
    game = relation(0.5)
    rows, numbers, bars = [], {}, {}
    for cls in PEOPLE:
        play = per_round(cls(), cls(), seed, game=game, continuation=0.5)
        level = "organisation" if cls.family == "organisational" else "person"
        rows.append((cls.name, level, play.payoffs[0], play.mutual, play.open_share))
        numbers[cls.name] = {"mutual": play.mutual, "open_share": play.open_share, "payoff": float(play.payoffs[0]),
                             "opening_share": play.opening_share}
        bars[cls.name] = play.mutual
    return Step(
        5, "People carry cooperation where organisations calculate",
        "Seed 001 argues that people in knowledge-sharing networks do not live the dilemma "
        "as their organisations do. Each strategy plays its own kind with a short shadow "
        f"(w = 0.5), with the knowledge stakes ({RACE.levels} levels at pace {RACE.pace:g}) and ties "
        f"({TIES.levels} rounds) of the shipped scenarios and power strength 0.5.",
        ("strategy", "level", "payoff per round", "mutual giving", "alliance open"), rows,
        "the calculative organisation gives only in the opening round (w = 0.5 is below its "
        "2/3 threshold); trust builders and experts give in every round their alliance is open; the peer "
        "withholds once one side pulls more than a level ahead in the race (seed 001: sharing lasts while "
        "neither gains the upper hand); the know-how trader loses rounds to the crucial knowledge it withholds.",
        Chart("bars", "Mutual giving with a short shadow (w = 0.5)", "strategy", "share of rounds both give",
              ["mutual giving"], {name: [value] for name, value in bars.items()}),
        numbers,
    )


def identity(seed: int) -> Step:
    game = relation(0.5)
    spanners = (Calculative(), BoundarySpanner(), ChineseWall(), MetaIdentity())
    rows, numbers = [], {}
    series = {"vs a calculative partner": [], "with its own kind": []}
    for player in spanners:
        give = per_round(player, Calculative(), seed, game=game, continuation=0.5).gives[0]
        mutual = per_round(player, player.clone(), seed, game=game, continuation=0.5).mutual
        rows.append((player.label, give, mutual))
        numbers[player.label] = {"give_vs_calculative": float(give), "mutual_with_own_kind": mutual}
        series["vs a calculative partner"].append(give)
        series["with its own kind"].append(mutual)
    return Step(
        6, "Identity: segregation against aggregation",
        "A boundary spanner acts for an organisation (here Calculative) through a person "
        "(here a Trust Builder). Seed 000 finds two ways to cope with the conflict: "
        "segregation (a Chinese wall: crucial matters follow the organisation) and "
        "aggregation (a meta-identity that reframes giving as serving the organisation). "
        "w = 0.5, with the stakes, ties and power of step 5.",
        ("strategy", "gives vs calculative", "mutual giving with own kind"), rows,
        "any personal identity raises giving over the pure organisational policy; the "
        "meta-identity gives most, because it does not merely split the rounds between "
        "the identities but turns the organisation's takes into gives.",
        Chart("bars", "Identity and giving (w = 0.5)", "", "share", list(series),
              {label: [series[k][i] for k in series] for i, label in enumerate(p.label for p in spanners)}),
        numbers,
    )


EXIT_PARTNERS = (ContractualReciprocator, TrustBuilder, Collaboration)
EXIT_TURNS = 50
#: A racer that never leaves: a lead of more levels than there are.
NEVER = RACE.levels + 1


def exit_step(seed: int) -> Step:
    game = LearningGame(knowledge=RACE, power=Power(strength=0.8))
    rows, numbers = [], {}
    bars = {"leaves when ahead": [], f"never leaves (target {NEVER})": []}
    for partner in EXIT_PARTNERS:
        for target, label in ((1, "leaves when ahead"), (NEVER, f"never leaves (target {NEVER})")):
            racer = RaceToLearn(target=target)
            play = per_round(racer, partner(), seed, game=game, turns=EXIT_TURNS)
            closed = play.batch.raw.moves[0] == EXIT
            rows.append((racer.label, partner.name, play.left[0], play.race_over, play.duration, play.payoffs[0],
                         play.payoffs[1], play.joint))
            numbers[(target, partner.name)] = {
                "left": float(play.left[0]), "partner_left": float(play.left[1]), "race_over": play.race_over,
                "duration": play.duration, "payoff_racer": float(play.payoffs[0]),
                "payoff_partner": float(play.payoffs[1]), "joint": play.joint,
                "closed_payoffs": sorted(set(play.batch.raw.payoffs[:, closed].ravel().tolist())),
            }
            bars[label].append(play.duration)
    first = EXIT_PARTNERS[0].name
    leaving, staying = numbers[(1, first)], numbers[(NEVER, first)]
    status_quo = game.status_quo
    return Step(
        7, "Exit: leaving the alliance",
        "Either side may leave the alliance; from then on both earn the status quo "
        f"P = {status_quo:g} on their own, the loner payoff of Hauert et al. (2002), for the rest of the match "
        "(whose length still follows the shadow of the future). Hamel (1991): once a partner has learned what "
        f"it came for, the other becomes dispensable. Race To Learn gives, but takes with probability "
        f"{RaceToLearn().probe:g} while it is not ahead, and leaves once it is one level ahead in the race (its "
        "power position). It meets three partners; as a control the same racer with a target it cannot reach "
        f"never leaves, and its alliances end only when the race is over. Stakes of {RACE.levels} levels at pace {RACE.pace:g}, power 0.8, "
        f"{EXIT_TURNS} rounds.",
        ("racer", "partner", "racer left", "race over", "rounds open", "payoff racer", "payoff partner",
         "joint learning"), rows,
        f"against a {first} the racer leaves {leaving['left']:.0%} of its alliances, after "
        f"{leaving['duration']:.1f} rounds on average, and the rest end with the race; the control's alliances "
        f"last {staying['duration']:.1f} rounds. After an exit both earn {status_quo:g} a round, as loners. "
        "Leaving ends learning for both: joint learning falls from "
        f"{staying['joint']:.3f} to {leaving['joint']:.3f} a round. And here leaving does not pay the racer: one "
        "level ahead is not all it came for, and it earns "
        f"{leaving['payoff_racer']:.3f} a round against {staying['payoff_racer']:.3f} when it stays; the same "
        "holds against each partner.",
        Chart("bars", "Rounds the alliance stays open", "partner", "mean rounds open",
              [cls.name for cls in EXIT_PARTNERS], bars),
        numbers,
    )


CASES = (("kite", "delta"), ("itcom_bencons", "itcom_insys"))
CASE_REPETITIONS = 5


def cases(seed: int) -> Step:
    from ..io.scenarios import load_scenario

    rows, numbers, bars = [], {}, {}
    for pair in CASES:
        for name in pair:
            scenario = load_scenario(name)
            # a two-player alliance is one pairing: it keeps its own repetitions (200), cheap and steady
            repetitions = scenario.repetitions if len(scenario.players) == 2 else CASE_REPETITIONS
            results = scenario.tournament(seed=seed, repetitions=repetitions).play()
            give = float(np.mean(results.give_rate))
            joint = results.joint_learning[np.isfinite(results.joint_learning)]
            joint = float(np.mean(joint)) if joint.size else 0.0
            rows.append((name, give, results.mutual_giving_rate, joint, results.race_over_rate, results.open_rate))
            numbers[name] = {"give_rate": give, "mutual_giving": results.mutual_giving_rate, "joint_learning": joint,
                             "race_over": results.race_over_rate, "open_rate": results.open_rate,
                             "exit_rate": results.exit_rate}
            bars[name] = give
    return Step(
        8, "The seeds' cases side by side",
        "The shipped scenarios encode the cases of the seed papers: KITe (twelve commercial "
        "organisations, loose, voluntary, little trust) against Delta (five research "
        "institutes, peers, personal trust, a twelve-year programme); ITCOM's alliance with "
        "Bencons (habitual avoidance, fear of malfeasance) against the one with Insys "
        "(experience, an explorative meta-identity). Each runs as a tournament (the networks with 5 "
        "repetitions, the two-player alliances with their files' 200); joint learning is the "
        "value created per round, 'race over' the share of matches that ended because one side had learned "
        "all it came for.",
        ("scenario", "give rate", "mutual giving", "joint learning", "race over", "alliance open"), rows,
        "Delta gives more than KITe, and Insys more than Bencons, mostly because of who plays: peers, an "
        "expert and personal trust against multinationals that do not partner; an explorative alliance "
        "against habitual avoidance and a wary Bencons that often leaves. Each gives its alliances more joint "
        "learning, and learns so much that more of its races end: the stakes run out. Held to one cast, "
        "the settings do not make these contrasts (Delta's long programme even lowers giving, through the "
        "finite race); docs/scenarios.md shows which setting pushes which way.",
        Chart("bars", "Give rate by case", "", "give rate", ["give rate"], {k: [v] for k, v in bars.items()}),
        numbers,
    )


STEPS: tuple[Callable[[int], Step], ...] = (
    one_shot, shadow, power, tacit, interpersonal, identity, exit_step, cases,
)


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
