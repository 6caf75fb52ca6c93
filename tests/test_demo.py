"""The classroom demo: its numbers come from the engine, and each claim its text
makes is checked here, with an ablation where it claims an effect."""

from __future__ import annotations

import math

import numpy as np
import pytest

from learning_dilemma import LearningGame
from learning_dilemma.classroom import lessons as demo
from learning_dilemma.cli import main
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Power, Ties
from learning_dilemma.strategies import (
    Accommodation,
    Calculative,
    Collaboration,
    Cooperator,
    KnowHowTrader,
    Peer,
)

SEED = demo.DEFAULT_SEED
STEPS = len(demo.STEPS)


@pytest.fixture(scope="module")
def steps():
    return {n: demo.run(n, SEED)[0] for n in range(1, STEPS + 1)}


def notice(step) -> str:
    return " ".join(step.notice.split())


def four_sigma(values) -> float:
    values = np.asarray(values, dtype=float)
    return 4 * values.std() / math.sqrt(len(values))


# --- step 1: the dilemma, and no dilemma without rivalry ---------------------------------
def test_step_one_parameters_are_those_the_text_states():
    game = LearningGame()
    assert (game.learning_value, game.leak, game.race_premium, game.synergy) == (1.0, 1.0, 2.0, 1.0)


def test_step_one_is_axelrods_stage_game_between_rivals(steps):
    rivals = steps[1].numbers["rivals"]
    assert rivals == {"GG": 3.0, "GT": 0.0, "TG": 5.0, "TT": 1.0}
    # the dilemma the text states: taking pays more whatever the partner does
    assert rivals["TG"] > rivals["GG"] and rivals["TT"] > rivals["GT"] and rivals["GG"] > rivals["TT"]


def test_step_one_without_rivalry_there_is_no_dilemma(steps):
    """At overlap 0 only the absolute value of learning (b - c = 1) and the created
    value (s = 1 each) remain: GG = P + 1 + 1 = 3, GT = P = 1 (the partner learns,
    I lose no standing), TG = P + 1 = 2, TT = P = 1."""
    free = steps[1].numbers["no rivalry"]
    assert free == {"GG": 3.0, "GT": 1.0, "TG": 2.0, "TT": 1.0}
    assert free["GG"] > free["TG"] and free["GT"] == free["TT"]  # giving is never worse


# --- step 2: the shadow of the future (no stakes: the first edition's game) -------------
def test_step_two_pins_the_seeded_numbers_and_matches_theory(steps):
    numbers = steps[2].numbers
    # Pinned for the default seed: stakes off reproduces the first edition's runs bit for bit.
    assert numbers[0.3]["opportunist"] == pytest.approx(3.7923211169284468, rel=1e-12)
    assert numbers[0.6]["calculative_mutual"] == pytest.approx(0.397456279809221, rel=1e-12)
    for w, row in numbers.items():
        # Against a reciprocator, always-take earns T once and P afterwards, so its
        # payoff per round (pooled) is P + (T - P)(1 - w) in expectation.
        assert row["opportunist"] == pytest.approx(1 + 4 * (1 - w), abs=0.05)
        assert row["reciprocator"] == 3.0
        # The calculative pair gives only its opening round below w = 2/3.
        if w < 2 / 3:
            assert row["calculative_mutual"] == row["calculative_opening"]
        else:
            assert row["calculative_mutual"] == 1.0
    resists = [row["reciprocator"] >= row["opportunist"] for row in numbers.values()]
    assert resists == [False, True, True]


# --- step 3: power from dependence, the race to learn --------------------------------
def race_game(strength):
    return LearningGame(knowledge=demo.RACE, power=Power(strength=strength))


def test_step_three_the_faster_learner_holds_power_whatever_the_moves(steps):
    numbers = steps[3].numbers
    for strength in (0.0, 0.8):
        row = numbers[(strength, "Collaboration", "Accommodation")]
        assert row["final_power"] > 3  # Collaboration ends ahead...
        assert abs(row["gives"][0] - row["gives"][1]) < 0.01  # ...although both give as often
        assert row["learning"][0] > 5 * row["learning"][1]
        assert numbers[(strength, "Competition", "Collaboration")]["final_power"] > 3
    # Ablation: swap the receptivities and the other side wins the race.
    swapped = demo.per_round(Collaboration(receptivity=0.1), Accommodation(receptivity=0.9), SEED,
                             game=race_game(0.8), turns=demo.POWER_TURNS)
    assert swapped.final_power < -3
    # Power does not change the race: same draws, same learning, whatever the strength.
    off, on = (numbers[(s, "Collaboration", "Accommodation")] for s in (0.0, 0.8))
    assert off["final_power"] == on["final_power"] and off["duration"] == on["duration"]


def test_step_three_power_splits_only_created_value(steps):
    numbers = steps[3].numbers
    for a, b in (("Collaboration", "Accommodation"), ("Competition", "Collaboration")):
        off, on = numbers[(0.0, a, b)], numbers[(0.8, a, b)]
        assert off["share"] == 0.5 and 0.5 < on["share"] < 0.9  # w = 1/2 + 0.8 z / 8 with 0 < z <= 4
        assert on["payoff_a"] > off["payoff_a"] and on["payoff_b"] < off["payoff_b"]
        # power moves value between the two and creates none
        assert on["payoff_a"] + on["payoff_b"] == pytest.approx(off["payoff_a"] + off["payoff_b"], rel=1e-12)
    # The gain is exactly the share's shift of the created value, s (r_A + r_B) per
    # round in which both gives transferred.
    play = demo.per_round(Collaboration(), Accommodation(), SEED, game=race_game(0.8), turns=demo.POWER_TURNS)
    raw = play.batch.raw
    created = 1.0 * (0.9 + 0.1) * ((raw.transfers[0] == 1) & (raw.transfers[1] == 1)).sum() / raw.lengths.sum()
    off, on = numbers[(0.0, "Collaboration", "Accommodation")], numbers[(0.8, "Collaboration", "Accommodation")]
    assert on["payoff_a"] - off["payoff_a"] == pytest.approx((on["share"] - 0.5) * created, rel=1e-9)


def test_step_three_when_both_take_nothing_moves(steps):
    for strength in (0.0, 0.8):
        row = steps[3].numbers[(strength, "Opportunist", "Opportunist")]
        assert row["payoff_a"] == row["payoff_b"] == 1.0 and math.isnan(row["share"])


def test_step_three_the_race_ends(steps):
    """Collaboration learns a level in a round with probability 0.9 (Accommodation
    gives) x 0.9 x 0.3, Accommodation with 0.9 x 0.1 x 0.3, independently; the
    alliance is open for min(T_A, T_B, 50) rounds, T the round of the 4th level."""
    row = steps[3].numbers[(0.0, "Collaboration", "Accommodation")]
    assert row["race_over"] > 0.99

    def still_racing(p, t):  # P(fewer than 4 levels learned in t rounds)
        return sum(math.comb(t, k) * p ** k * (1 - p) ** (t - k) for k in range(demo.RACE.levels))

    p_a, p_b = 0.9 * 0.9 * 0.3, 0.9 * 0.1 * 0.3
    expected = sum(still_racing(p_a, t) * still_racing(p_b, t) for t in range(demo.POWER_TURNS))
    play = demo.per_round(Collaboration(), Accommodation(), SEED, game=race_game(0.0), turns=demo.POWER_TURNS)
    durations = (play.batch.raw.moves[0] != 2).sum(axis=1)
    assert row["duration"] == durations.mean()
    assert abs(row["duration"] - expected) < four_sigma(durations)
    assert row["duration"] < demo.POWER_TURNS / 2  # well before the match ends


def test_step_three_text_states_its_numbers(steps):
    numbers, text = steps[3].numbers, notice(steps[3])
    off, on = numbers[(0.0, "Collaboration", "Accommodation")], numbers[(0.8, "Collaboration", "Accommodation")]
    for value in (f"{off['final_power']:.2f}", f"{on['share']:.3f}", f"{off['payoff_a']:.3f}",
                  f"{on['payoff_a']:.3f}", f"{off['duration']:.1f}"):
        assert value in text


# --- step 4: tacit knowledge, partial and private, through ties -------------------------
def test_step_four_without_ties_tacitness_erodes_strict_reciprocity_most(steps):
    numbers = steps[4].numbers
    for tacitness in (0.05, 0.2):
        strict = numbers[(tacitness, 0, "Contractual Reciprocator")]
        assert strict < numbers[(tacitness, 0, "Trust Builder")] < numbers[(tacitness, 0, "Forgiving Colleague")]
    for ties in (0, demo.TIES.levels):
        assert all(numbers[(0.0, ties, cls.name)] == 1.0 for cls in demo.TACIT_KINDS)
    assert numbers[(0.2, 0, "Contractual Reciprocator")] < 0.05  # collapses


def test_step_four_ties_carry_tacit_knowledge(steps):
    """The ablation is the table's own: every pair gives more with ties than without."""
    numbers = steps[4].numbers
    for tacitness in (0.05, 0.2):
        for cls in demo.TACIT_KINDS:
            assert numbers[(tacitness, demo.TIES.levels, cls.name)] > numbers[(tacitness, 0, cls.name)]
    assert numbers[(0.2, demo.TIES.levels, "Contractual Reciprocator")] > 10 * numbers[(0.2, 0, "Contractual Reciprocator")]


def test_step_four_a_failed_give_is_paid_as_a_give_and_recorded_as_one(steps):
    """An always-giver with tacitness 0.2 facing an always-giver (no ties): in a
    round its give fails (probability 0.2) it earns P + (b - c) = 2 and the partner
    P = 1; otherwise both earn R = 3. Expected 2.8 and 2.6; 200,000 rounds."""
    row = steps[4].numbers["tacit giver"]
    holder, partner = row["payoffs"]
    failure_sd = math.sqrt(0.2 * 0.8) / math.sqrt(demo.REPETITIONS * demo.TACIT_TURNS)  # of the share of failures
    assert holder == pytest.approx(0.8 * 3 + 0.2 * 2, abs=4 * failure_sd * (3 - 2))
    assert partner == pytest.approx(0.8 * 3 + 0.2 * 1, abs=4 * failure_sd * (3 - 1))
    assert holder < LearningGame().rstp()[0]  # never more than a give that transfers
    assert row["gives"] == [1.0, 1.0] and row["transfers"][0] == pytest.approx(0.8, abs=4 * failure_sd)
    # ablation: without tacitness both earn R
    plain = demo.per_round(Cooperator(), Cooperator(), SEED, turns=demo.TACIT_TURNS)
    assert plain.payoffs.tolist() == [3.0, 3.0]


# --- step 5: people and organisations ------------------------------------------------------
def test_step_five_people_keep_giving_where_organisations_calculate(steps):
    numbers = steps[5].numbers
    # calculative: its opening rounds and no more (w = 0.5 below its threshold) ...
    assert numbers["Calculative"]["mutual"] == numbers["Calculative"]["opening_share"]
    # ... but more with a longer shadow (w = 0.7 above 2/3): the threshold is the cause
    longer = demo.per_round(Calculative(), Calculative(), SEED, game=demo.relation(0.5), continuation=0.7)
    assert longer.mutual > longer.opening_share
    assert numbers["Opportunist"]["mutual"] == 0.0
    for person in ("Trust Builder", "Expert"):  # every round the alliance is open
        assert numbers[person]["mutual"] == numbers[person]["open_share"] > numbers["Calculative"]["mutual"]


def test_step_five_the_peer_withholds_once_one_pulls_ahead(steps):
    peer = steps[5].numbers["Peer"]
    assert peer["mutual"] < peer["open_share"]
    # ablation: without knowledge stakes nobody pulls ahead and the peer always gives
    flat = demo.per_round(Peer(), Peer(), SEED, game=LearningGame(ties=Ties(3), power=Power(0.5)), continuation=0.5)
    assert flat.mutual == flat.open_share == 1.0


def test_step_five_the_know_how_trader_loses_rounds_to_crucial_knowledge(steps):
    trader = steps[5].numbers["Know-How Trader"]
    assert trader["mutual"] < 0.6 * trader["open_share"]
    # ablation: nothing crucial, nothing withheld
    open_ = demo.per_round(KnowHowTrader(cruciality=0.0), KnowHowTrader(cruciality=0.0), SEED,
                           game=demo.relation(0.5), continuation=0.5)
    assert open_.mutual == open_.open_share


# --- step 6: identity ----------------------------------------------------------------------
def test_step_six_aggregation_gives_more_than_segregation(steps):
    numbers = steps[6].numbers
    order = ["Calculative", "Boundary Spanner", "Chinese Wall", "Meta-Identity"]
    gives = [numbers[name]["give_vs_calculative"] for name in order]
    assert gives == sorted(gives) and len(set(gives)) == 4  # any identity raises giving; meta the most
    mutual = [numbers[name]["mutual_with_own_kind"] for name in order]
    assert max(mutual) == numbers["Meta-Identity"]["mutual_with_own_kind"]
    # ablation of the text's "because": without aggregation (the organisation's takes
    # left as takes) the meta-identity is a boundary spanner and gives no more than one
    from learning_dilemma.strategies import MetaIdentity

    plain = demo.per_round(MetaIdentity(aggregation=0.0), Calculative(), SEED, game=demo.relation(0.5),
                           continuation=0.5).gives[0]
    assert plain == pytest.approx(numbers["Boundary Spanner"]["give_vs_calculative"], abs=1e-12)
    assert plain < numbers["Meta-Identity"]["give_vs_calculative"]


# --- step 7: exit ---------------------------------------------------------------------------
def test_step_seven_the_racer_leaves_once_ahead_and_the_control_never(steps):
    numbers = steps[7].numbers
    first = demo.EXIT_PARTNERS[0].name
    leaving = numbers[(1, first)]
    assert leaving["left"] > 0.5 and leaving["left"] + leaving["race_over"] == pytest.approx(1.0)
    for partner in demo.EXIT_PARTNERS:
        leaves, stays = numbers[(1, partner.name)], numbers[(demo.NEVER, partner.name)]
        assert leaves["partner_left"] == stays["partner_left"] == 0.0
        assert stays["left"] == 0.0 and stays["race_over"] > 0.99
        assert leaves["duration"] < stays["duration"]


def test_step_seven_after_an_exit_both_earn_the_status_quo(steps):
    for (target, _), row in steps[7].numbers.items():
        assert row["closed_payoffs"] == [1.0]  # P, the loner payoff, in every closed round


def test_step_seven_leaving_ends_learning_and_does_not_pay_the_racer_here(steps):
    numbers = steps[7].numbers
    for partner in demo.EXIT_PARTNERS:
        leaves, stays = numbers[(1, partner.name)], numbers[(demo.NEVER, partner.name)]
        assert leaves["joint"] < stays["joint"]
        assert leaves["payoff_racer"] < stays["payoff_racer"]


# --- step 8: the cases -----------------------------------------------------------------------
def test_step_eight_compares_the_cases(steps):
    numbers = steps[8].numbers
    for weak, strong in demo.CASES:
        for measure in ("give_rate", "joint_learning", "race_over"):
            assert numbers[strong][measure] > numbers[weak][measure], (strong, measure)


# --- the command and the text ------------------------------------------------------------------
def test_rendered_steps_have_title_numbers_and_notice(steps):
    text = steps[2].render()
    assert text.startswith("Step 2. Repetition and the shadow of the future")
    assert "What to notice:" in text and "3.792" in text


def test_no_step_speaks_of_the_first_editions_ladder(steps):
    for step in steps.values():
        text = step.render().lower()
        assert "ladder" not in text and "rebalance" not in text and "looks, to the partner, just like a take" not in text


def test_the_command_knows_how_many_steps_there_are():
    from learning_dilemma.cli.demo_cmd import STEP_COUNT

    assert STEP_COUNT == len(demo.STEPS) == 8
    assert [step.number for step in (demo.run(1)[0],)] == [1]


def test_bad_step_is_an_error():
    with pytest.raises(ParameterError, match=f"between 1 and {STEPS}"):
        demo.run(STEPS + 1)


def test_cli_runs_one_step_and_saves_its_figure(tmp_path, capsys):
    assert main(["demo", "--step", "4", "--save-figures", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Step 4. Tacit knowledge")
    figure = tmp_path / "step4.png"
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and figure.stat().st_size > 5000
    assert list(tmp_path.iterdir()) == [figure]  # no temporary file left behind


def test_cli_pause_waits_for_enter_between_steps(monkeypatch, capsys):
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt="": prompts.append(prompt) or "")
    monkeypatch.setattr(demo, "STEPS", demo.STEPS[:3])
    assert main(["demo", "--pause"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("Step ")] == [
        "Step 1. The one-shot dilemma",
        "Step 2. Repetition and the shadow of the future",
        "Step 3. Power from dependence: the race to learn",
    ]
    assert len(prompts) == 2  # between steps, not before the first


def test_cli_bad_step_exits_2_with_one_line(capsys):
    assert main(["demo", "--step", "9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "between 1 and 8" in err
