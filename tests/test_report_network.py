"""The HTML report of a network scenario (report SCENARIO --out DIR): its network section."""

from __future__ import annotations

import base64
import os
import re

import numpy as np
import pytest

from learning_dilemma.cli import main
from learning_dilemma.experiments.networks import NetworkReport, network_report
from learning_dilemma.experiments.report import build_report
from learning_dilemma.io.html import render_report
from learning_dilemma.io.scenarios.network import load_network_scenario

QUICK = ["--set", "rounds=20", "--repetitions", "2", "--quiet"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    written = {}
    for name in ("kite_network", "delta_network"):
        assert main(["report", name, "--out", str(folder / name)] + QUICK) == 0
        written[name] = (folder / name / "report.html").read_text()
    return written


def section(page: str, slug: str) -> str:
    match = re.search(rf'<section id="{slug}">(.*?)</section>', page, re.S)
    assert match, f"no section {slug}"
    return match.group(1)


@pytest.mark.parametrize("name, organisation, person", [
    ("kite_network", "Back-door dealer", "Enthusiast 3 4"),
    ("delta_network", "Specialist institute", "Joint researcher 2"),
])
def test_both_network_cases_report_their_network_section(pages, name, organisation, person):
    page = pages[name]
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    for slug in ("scenario", "network", "two-levels", "organisations", "people", "giving-by-round",
                 "ties-and-groups"):
        section(page, slug)
    assert organisation in section(page, "organisations") and organisation in section(page, "two-levels")
    assert person in section(page, "people")
    # the picture, inline: a PNG in a data URI
    image = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', section(page, "network"))
    assert image and base64.b64decode(image.group(1))[:8] == b"\x89PNG\r\n\x1a\n"
    # the round curve, inline SVG with one point per round
    curve = section(page, "giving-by-round")
    assert "<svg" in curve and "<polyline" in curve
    first = re.search(r'<polyline points="([^"]+)"', curve).group(1)
    assert len(first.split()) == 20


@pytest.mark.parametrize("name", ["kite_network", "delta_network"])
def test_a_network_report_fetches_nothing(pages, name):
    page = pages[name]
    links = re.findall(r'(?:src|href)\s*=\s*["\']?([^"\' >]+)', page, re.I)
    assert links and all(link.startswith("data:") for link in links)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", page, re.I)
    assert "<script" not in page and "<link" not in page and "@import" not in page and "url(" not in page


def test_the_same_seed_writes_the_same_page(tmp_path, pages):
    assert main(["report", "kite_network", "-o", str(tmp_path / "again.html")] + QUICK) == 0
    assert (tmp_path / "again.html").read_text() == pages["kite_network"]


def test_the_two_levels_table_adds_up():
    """What reached the organisations is what their people learned times their absorption (every
    KITe person works for one organisation), and the organisations' shares sum to the people's."""
    scenario = load_network_scenario("kite_network", ["rounds=20", "repetitions=2"])
    report = build_report(scenario)
    assert isinstance(report, NetworkReport)
    population = report.results.population
    for row, organisation in zip(report.levels, population.organisations):
        assert row["organisation"] == organisation.name
        assert row["reached"] == pytest.approx(organisation.absorption * row["learned"])
    c = report.results.contributions
    per_round = report.results.repetitions * report.results.rounds
    assert sum(r["learned"] for r in report.levels) == pytest.approx(c.learning.sum() / per_round)
    assert sum(r["reached"] for r in report.levels) == pytest.approx(c.absorbed.sum() / per_round)
    # the multinationals' sales managers never act (Avoidance leaves at once): they learn nothing
    assert [r["learned"] for r in report.levels[:3]] == [0.0, 0.0, 0.0]


def test_a_shared_person_is_split_over_their_organisations():
    """Delta's joint researchers work for two institutes: each counts half in each."""
    report = network_report(load_network_scenario("delta_network", ["rounds=20", "repetitions=2"]), picture=False)
    people = {row["organisation"]: row["people"] for row in report.levels}
    assert people == {"Peer institute 1": 8, "Peer institute 2": 7, "Expert institute": 7, "Trust institute": 7,
                      "Specialist institute": 7}
    c = report.results.contributions
    learned = c.learning.sum(axis=(0, 2)) / (report.results.repetitions * report.results.rounds)
    names = [p.name for p in report.results.population.people]
    peer_1 = [names.index(f"Peer institute 1 {k}") for k in range(1, 7)]
    shared = learned[names.index("Joint researcher 1")] / 2 + learned[names.index("Joint researcher 3")] / 2
    assert report.levels[0]["learned"] == pytest.approx(learned[peer_1].sum() + shared)
    assert report.picture is None and "not drawn" in report.picture_note


def test_the_round_curve_is_the_round_table(pages):
    scenario = load_network_scenario("delta_network", ["rounds=20", "repetitions=2"])
    report = network_report(scenario, picture=False)
    table = report.results.round_table()
    assert np.array_equal(report.rounds["giving share"], [r["giving_share"] for r in table])
    gives = report.results.groups.gives  # (repetitions, groups, rounds)
    for t in (0, 10, 19):
        open_ = gives[:, :, t][np.isfinite(gives[:, :, t])]
        expected = open_.mean() if open_.size else np.nan
        assert report.rounds["giving in groups"][t] == pytest.approx(expected, nan_ok=True)


def test_a_picture_above_the_plot_limit_is_left_out_and_said(tmp_path):
    assert main(["report", "delta_network", "--out", str(tmp_path), "--limit", "plot_players=10"] + QUICK) == 0
    page = (tmp_path / "report.html").read_text()
    assert "<img" not in page and "The picture is left out" in page and "plot_players" in page


def test_a_tournament_report_is_unchanged(tmp_path):
    scenario_report = ["report", "delta", "--repetitions", "1", "--quiet"]
    assert main(scenario_report + ["-o", str(tmp_path / "r.html")]) == 0
    assert main(scenario_report + ["--out", str(tmp_path / "dir")]) == 0
    page = (tmp_path / "r.html").read_text()
    assert page == (tmp_path / "dir" / "report.html").read_text()
    assert 'id="ranking"' in page and 'id="two-levels"' not in page


@pytest.mark.parametrize("extra, says", [
    (["--phase"], "--phase: a network scenario has no phase diagram"),
    (["--continuation", "0.9"], "--continuation: a network plays a fixed number of rounds"),
    (["--set", "network.bridging=0.2"], "network.bridging: not used here"),
    (["--set", "network.degree=0"], "network.degree: expected a whole number >= 1"),
])
def test_bad_network_report_options_are_one_line(extra, says, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["report", "kite_network", "--out", str(out), "--quiet"] + extra) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
    assert not out.exists()


def test_the_report_needs_one_destination(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["report", "kite_network", "--quiet"])
    with pytest.raises(SystemExit):
        main(["report", "kite_network", "--quiet", "-o", str(tmp_path / "a.html"), "--out", str(tmp_path)])
    capsys.readouterr()
    (tmp_path / "file").write_text("mine")
    assert main(["report", "kite_network", "--quiet", "--out", str(tmp_path / "file")]) == 2
    assert (tmp_path / "file").read_text() == "mine"


def test_the_page_is_written_atomically(tmp_path, monkeypatch, capsys):
    """A write that fails (a full disk) leaves no page and no partial file behind."""
    import errno

    real = os.fdopen

    class Full:
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: Full(real(fd, mode, *a, **k)))
    out = tmp_path / "out"
    assert main(["report", "kite_network", "--out", str(out)] + QUICK) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert not out.exists() or list(out.iterdir()) == []


def test_render_report_draws_a_network_report_built_in_python():
    report = network_report(load_network_scenario("kite_network", ["rounds=20", "repetitions=2"]))
    page = render_report(report)
    assert 'id="network"' in page and report.title in page
