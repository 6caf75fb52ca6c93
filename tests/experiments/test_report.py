"""The HTML report: self-contained structure, and it renders in a real browser when one is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from learning_dilemma.cli import main

ROOT = Path(__file__).resolve().parents[2]


class Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections, self.headings, self.tags, self.sources, self.svgs = [], [], [], [], []
        self._heading = False
        self._svg_depth, self._svg = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "section":
            self.sections.append(attrs.get("id"))
        if tag == "h2":
            self._heading = True
        for key in ("src", "href"):
            if key in attrs:
                self.sources.append(attrs[key])

    def handle_endtag(self, tag):
        if tag == "h2":
            self._heading = False

    def handle_data(self, data):
        if self._heading:
            self.headings.append(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "itcom_insys", "-o", str(path), "--repetitions", "20", "--phase", "--phase-points", "3"]) == 0
    return path


def test_report_has_every_section(report):
    parser = Structure()
    parser.feed(report.read_text())
    assert parser.headings == ["Scenario", "Ranking", "Payoffs", "Giving", "Learning and the alliance", "Power",
                               "Does cooperation emerge?", "Phase diagram"]
    assert "table" in parser.tags


def test_report_is_self_contained(report):
    text = report.read_text()
    parser = Structure()
    parser.feed(text)
    assert parser.sources == []  # no scripts, stylesheets or images to fetch
    assert "<script" not in text and "@import" not in text and "url(" not in text
    svgs = text.count("<svg ")
    assert svgs >= 5
    start = text.index("<svg ")
    ElementTree.fromstring(text[start:text.index("</svg>", start) + 6])  # well-formed inline SVG


def test_report_numbers_come_from_the_engine(report):
    from learning_dilemma.io.scenarios import load_scenario

    results = load_scenario("itcom_insys", ["repetitions=20"]).tournament().play()
    text = report.read_text()
    for row in results.summary():
        assert f"{row['median_score']:.3f}" in text


def test_report_needs_an_html_name(tmp_path, capsys):
    assert main(["report", "delta", "-o", str(tmp_path / "report.pdf")]) == 2
    assert "name the file .html" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium is not installed")
def test_report_renders_in_a_real_browser(report, tmp_path):
    png = tmp_path / "report.png"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "render_report.py"), str(report), str(png),
                    "--height", "1200"], check=True, timeout=180)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20000


def test_the_evolution_section_says_when_the_replicator_run_has_not_settled():
    from learning_dilemma.dynamics import evolve
    from learning_dilemma.io.html import _evolution

    rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    cycling = evolve(rps, population=10, process="pairwise", generations=10, seed=1, x0=[0.5, 0.3, 0.2], t_max=50)
    assert "not settled by t=50" in _evolution(cycling)
    settled = evolve([[3, 0], [5, 1]], population=10, generations=10, seed=1)
    assert "not settled" not in _evolution(settled)


# --- the report as data, from Python ---------------------------------------------------

def test_a_report_is_built_from_python_and_rendered_as_the_command_does(tmp_path):
    from learning_dilemma.experiments.report import Report, build_report
    from learning_dilemma.io.html import render_report
    from learning_dilemma.io.scenarios import load_scenario

    scenario = load_scenario("itcom_insys", ["repetitions=4"])
    report = build_report(scenario, phase=True, phase_points=3)
    assert isinstance(report, Report) and report.title == "itcom_insys" and report.method == "exact"
    assert report.results.metadata["repetitions"] == 4 and report.settings == scenario.settings()
    assert report.phase.values.shape == (3, 3) and report.phase.label == "evolved give rate"
    assert ((0 <= report.phase.values) & (report.phase.values <= 1)).all()
    path = tmp_path / "cli.html"
    assert main(["report", "itcom_insys", "-o", str(path), "--repetitions", "4", "--phase", "--phase-points", "3"]) == 0
    assert render_report(report) == path.read_text()


def test_the_phase_diagram_is_the_sweep_of_the_same_grid():
    from learning_dilemma.experiments.report import phase_diagram
    from learning_dilemma.experiments.sweep import Sweep
    from learning_dilemma.io.scenarios import load_scenario

    scenario = load_scenario("delta")
    phase = phase_diagram(scenario, 3)
    result = Sweep(scenario, [("game.power.strength", phase.y_values), ("continuation", phase.x_values)]).run()
    rates = [r["evolved_give_rate"] for r in result.records]
    assert phase.values.ravel().tolist() == rates


def test_a_report_without_a_phase_diagram_and_bad_phase_points():
    from learning_dilemma.errors import ParameterError
    from learning_dilemma.experiments.report import build_report
    from learning_dilemma.io.scenarios import load_scenario

    scenario = load_scenario("delta", ["repetitions=2"])
    assert build_report(scenario).phase is None
    with pytest.raises(ParameterError, match="phase-points"):
        build_report(scenario, phase=True, phase_points=1)


def test_without_knowledge_stakes_the_phase_diagram_varies_the_overlap():
    """Power comes from dependence, what each side still has to learn (issue 15): without
    knowledge stakes every power strength gives the same numbers, so the phase diagram's
    rows are the competitive overlap instead, and it is the sweep of that grid."""
    from learning_dilemma.experiments.emergence import evaluate_points
    from learning_dilemma.experiments.report import phase_diagram, phase_rows
    from learning_dilemma.experiments.sweep import Sweep
    from learning_dilemma.io.scenarios import load_scenario

    flat = load_scenario("delta", ["game.knowledge.levels=0"])
    weak, strong = evaluate_points(flat, [{"game.power.strength": 0.0}, {"game.power.strength": 1.0}])
    assert weak == strong  # power cannot act: a strength axis would be flat
    staked = load_scenario("delta")
    weak, strong = evaluate_points(staked, [{"game.power.strength": 0.0}, {"game.power.strength": 1.0}])
    assert weak["winner_payoff"] != strong["winner_payoff"]  # with stakes it can
    assert phase_rows(staked) == ("game.power.strength", (0.0, 1.0))
    assert phase_rows(flat) == ("game.overlap", (0.0, 1.0))
    phase = phase_diagram(flat, 3)
    assert phase.y_key == "game.overlap" and phase.y_values == [0.0, 0.5, 1.0]
    result = Sweep(flat, [("game.overlap", phase.y_values), ("continuation", phase.x_values)]).run()
    assert phase.values.ravel().tolist() == [r["evolved_give_rate"] for r in result.records]


def test_a_phase_diagram_with_no_single_overlap_and_no_stakes_is_refused_before_the_tournament(tmp_path, capsys,
                                                                                                  monkeypatch):
    from learning_dilemma.errors import ParameterError
    from learning_dilemma.experiments.report import build_report
    from learning_dilemma.io.scenarios import load_scenario
    from learning_dilemma.tournament import Tournament

    def never(self, *args, **kwargs):
        raise AssertionError("the tournament ran before the phase diagram's rows were checked")

    monkeypatch.setattr(Tournament, "play", never)
    scenario = load_scenario("itcom_insys", ["game.knowledge.levels=0"])
    with pytest.raises(ParameterError, match=r"^--phase: power strength does nothing without knowledge stakes"):
        build_report(scenario, phase=True, phase_points=3)
    out = tmp_path / "r.html"
    assert main(["report", "itcom_insys", "--set", "game.knowledge.levels=0", "--phase", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "set game.knowledge.levels" in err and not out.exists()
