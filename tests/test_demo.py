"""The classroom demo: its numbers come from the engine, pinned for the default seed."""

from __future__ import annotations

import pytest

from learning_dilemma.classroom import lessons as demo
from learning_dilemma.cli import main
from learning_dilemma.errors import ParameterError

SEED = demo.DEFAULT_SEED


@pytest.fixture(scope="module")
def steps():
    return {n: demo.run(n, SEED)[0] for n in range(1, 7)}


def test_step_one_is_axelrods_stage_game(steps):
    assert steps[1].numbers == {"GG": 3.0, "GT": 0.0, "TG": 5.0, "TT": 1.0}


def test_step_two_pins_the_seeded_numbers_and_matches_theory(steps):
    numbers = steps[2].numbers
    # Pinned for the default seed: the demo shows exactly these.
    assert numbers[0.3]["opportunist"] == pytest.approx(3.7923211169284468, rel=1e-12)
    assert numbers[0.6]["calculative_mutual"] == pytest.approx(0.397456279809221, rel=1e-12)
    for w, row in numbers.items():
        # Against a reciprocator, always-take earns T once and P afterwards, so its
        # payoff per round (pooled) is P + (T - P)(1 - w) in expectation.
        assert row["opportunist"] == pytest.approx(1 + 4 * (1 - w), abs=0.05)
        assert row["reciprocator"] == 3.0
        # The calculative pair gives only its opening round below w = 2/3.
        expected = 1.0 if w >= 2 / 3 else 1 - w
        assert row["calculative_mutual"] == pytest.approx(expected, abs=0.03)
    resists = [row["reciprocator"] >= row["opportunist"] for row in numbers.values()]
    assert resists == [False, True, True]


def test_step_three_power_grows_the_takers_share(steps):
    numbers = steps[3].numbers
    assert numbers[(0.8, "Competition")]["share"] == pytest.approx(0.8671066666666667, rel=1e-12)
    assert numbers[(0.0, "Competition")]["share"] == 0.5
    assert numbers[(0.0, "Competition")]["final_power"] == 0.0
    for name in ("Competition", "Race To Learn"):
        on, off = numbers[(0.8, name)], numbers[(0.0, name)]
        assert on["final_power"] > 1 and on["share"] > 0.6
        assert on["payoff_b"] < off["payoff_b"]  # the partner that kept giving loses


def test_step_four_tacitness_erodes_strict_reciprocity_most(steps):
    numbers = steps[4].numbers
    assert numbers[(0.05, "Contractual Reciprocator")] == pytest.approx(0.091725, rel=1e-12)
    for tacitness in (0.05, 0.2):
        strict = numbers[(tacitness, "Contractual Reciprocator")]
        assert strict < numbers[(tacitness, "Trust Builder")] < numbers[(tacitness, "Forgiving Colleague")]
    assert all(numbers[(0.0, name)] == 1.0 for name in ("Contractual Reciprocator", "Forgiving Colleague"))


def test_step_five_people_keep_giving_where_organisations_calculate(steps):
    numbers = steps[5].numbers
    assert numbers["Calculative"] == pytest.approx(0.4991265285749938, rel=1e-12)
    assert numbers["Opportunist"] == 0.0
    for person in ("Trust Builder", "Peer", "Expert"):
        assert numbers[person] == 1.0


def test_step_six_aggregation_gives_more_than_segregation(steps):
    numbers = steps[6].numbers
    order = ["Calculative", "Boundary Spanner", "Chinese Wall", "Meta-Identity"]
    gives = [numbers[name]["give_vs_calculative"] for name in order]
    assert gives == sorted(gives)
    assert numbers["Meta-Identity"]["mutual_with_own_kind"] == pytest.approx(0.9044172697778887, rel=1e-12)


def test_step_seven_compares_the_cases():
    step = demo.run(7, SEED)[0]
    numbers = step.numbers
    assert numbers["delta"]["give_rate"] > numbers["kite"]["give_rate"]
    assert numbers["itcom_insys"]["give_rate"] > numbers["itcom_bencons"]["give_rate"]


def test_rendered_steps_have_title_numbers_and_notice(steps):
    text = steps[2].render()
    assert text.startswith("Step 2. Repetition and the shadow of the future")
    assert "What to notice:" in text and "3.792" in text


def test_bad_step_is_an_error():
    with pytest.raises(ParameterError, match="between 1 and 7"):
        demo.run(8)


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
        "Step 3. Power dynamics: the race to learn",
    ]
    assert len(prompts) == 2  # between steps, not before the first


def test_cli_bad_step_exits_2_with_one_line(capsys):
    assert main(["demo", "--step", "9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "between 1 and 7" in err
