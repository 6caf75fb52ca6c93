"""The HTML report of a network scenario with the parts of issues 17 and 18: a section
per part present (partner choice, reputation, dynamics on the structure, multilevel
selection), inline and self-contained, the same bytes for the same seed, and none
of them for a scenario without the tables."""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pytest

from learning_dilemma.cli import main
from learning_dilemma.experiments.networks import network_report
from learning_dilemma.io.html import render_report
from learning_dilemma.io.scenarios.network import load_network_scenario

SCENARIO = """
name = "parts"
seed = 5
rounds = 6
repetitions = 2

[network]
structure = "complete"
groups = "size"
group_size = 3

[network.partner_choice]
exploration = 0.2
[network.reputation]
norm = "stern judging"
strategies = { DISC = 0.5, ALLD = 0.5 }
[network.dynamics]
rate = 0.5
[network.selection]
givers = ["A"]
steps = 20
record_every = 4

[[organisations]]
name = "A"
people = 3
policy = { strategy = "Tit For Tat" }

[[organisations]]
name = "B"
people = 3
policy = { strategy = "Defector" }
"""
SLUGS = ("partner-choice", "reputation", "dynamics-on-the-structure", "multilevel-selection")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parts")
    path = folder / "parts.toml"
    path.write_text(textwrap.dedent(SCENARIO))
    assert main(["report", str(path), "--out", str(folder / "out"), "--quiet"]) == 0
    return path, (folder / "out" / "report.html").read_text()


def section(text: str, slug: str) -> str:
    match = re.search(rf'<section id="{slug}">(.*?)</section>', text, re.S)
    assert match, f"no section {slug}"
    return match.group(1)


def test_each_part_has_its_section_after_the_networks(page):
    _, text = page
    positions = [text.index(f'<section id="{slug}">') for slug in ("ties-and-groups", *SLUGS)]
    assert positions == sorted(positions)
    for slug in SLUGS:
        assert "<svg" in section(text, slug) and "<polyline" in section(text, slug)


def test_the_sections_say_the_runs_numbers(page):
    path, text = page
    outcome = load_network_scenario(path).run()
    choice = outcome.partner_choice.summary()
    assert f"met {choice['opportunities']} opportunities" in section(text, "partner-choice")
    assert "Denrell &amp; March (2001)" in section(text, "partner-choice")
    reputation = section(text, "reputation")
    assert "<b>stern judging</b>" in reputation
    assert f"{outcome.reputation.mean_cooperation():.1%}" in reputation
    rows = re.findall(r"<tr><td>(ALLD|DISC)</td>(.*?)</tr>", reputation)
    assert [name for name, _ in rows] == ["ALLD", "DISC"]
    dynamics = section(text, "dynamics-on-the-structure")
    labels = outcome.dynamics.labels
    assert all(label in dynamics for label in labels)
    # the organisations' table: each row's strategy shares add up to one
    for organisation in ("A", "B"):
        cells = re.search(rf"<tr><td>{organisation}</td>(.*?)</tr>", dynamics).group(1)
        numbers = [float(v) for v in re.findall(r'<td class="num">([^<]+)</td>', cells)]
        assert sum(numbers[:len(labels)]) == pytest.approx(1.0, abs=2e-3)
    selection = section(text, "multilevel-selection")
    # Traulsen & Nowak with n = 3, m = 2: 1 + n/m = 2.5; the default game's b = 2, c = 1
    assert "1 + n/m = 2.5" in selection and "b = 2 and c = 1" in selection


def test_the_curves_have_one_point_per_round_or_record(page):
    _, text = page
    first = re.search(r'<polyline points="([^"]+)"', section(text, "reputation")).group(1)
    assert len(first.split()) == 6                                 # rounds 1..6
    shares = re.search(r'<polyline points="([^"]+)"', section(text, "dynamics-on-the-structure")).group(1)
    assert len(shares.split()) == 7                                # the start and rounds 1..6
    steps = re.search(r'<polyline points="([^"]+)"', section(text, "multilevel-selection")).group(1)
    assert len(steps.split()) == 6                                 # steps 0, 4, ..., 20


def test_the_page_fetches_nothing_and_is_the_same_for_the_same_seed(page, tmp_path):
    path, text = page
    links = re.findall(r'(?:src|href)\s*=\s*["\']?([^"\' >]+)', text, re.I)
    assert all(link.startswith("data:") for link in links)
    assert "<script" not in text and "<link" not in text and "url(" not in text
    assert main(["report", str(path), "-o", str(tmp_path / "again.html"), "--quiet"]) == 0
    assert (tmp_path / "again.html").read_text() == text


def test_a_scenario_without_the_tables_has_none_of_the_sections():
    report = network_report(load_network_scenario("kite_network", ["rounds=3", "repetitions=1"]), picture=False)
    text = render_report(report)
    assert report.outcome.parts == ()
    assert not any(f'<section id="{slug}">' in text for slug in SLUGS)


def test_a_report_built_without_an_outcome_still_renders():
    """A NetworkReport made by hand (as before the parts) has no outcome: no part sections."""
    from learning_dilemma.experiments.networks import NetworkReport

    scenario = load_network_scenario("kite_network", ["rounds=2", "repetitions=1"])
    results = scenario.play()
    text = render_report(NetworkReport(scenario, results, None, "no picture", {"giving share": np.ones(2)}, []))
    assert '<section id="ties-and-groups">' in text and '<section id="reputation">' not in text
