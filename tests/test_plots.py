"""Tournament figures and the population-share figure of the dynamics: what each one
draws, the files, and matplotlib loaded only when plotting."""

from __future__ import annotations

import subprocess
import sys
from xml.etree import ElementTree

import numpy as np
import pytest

from learning_dilemma import ParameterError
from learning_dilemma.dynamics import replicator, simulate
from learning_dilemma.io import plots
from learning_dilemma.io.plots import plot_shares
from learning_dilemma.io.scenarios import load_scenario


@pytest.fixture(scope="module")
def results():
    return load_scenario("delta", ["repetitions=3"]).tournament().play()


def test_heatmap_shows_the_payoff_matrix(results):
    figure = plots.payoff_heatmap(results)
    try:
        axes = figure.axes[0]
        shown = np.ma.filled(axes.images[0].get_array(), np.nan)
        np.testing.assert_array_equal(shown, results.payoff_matrix)
        assert [t.get_text() for t in axes.get_yticklabels()] == results.players
        numbers = [t.get_text() for t in axes.texts]
        assert f"{results.payoff_matrix[0, 1]:.2f}" in numbers and len(numbers) == results.n_players ** 2 - 5
    finally:
        plots._pyplot().close(figure)


def test_give_rates_are_bars_in_rank_order(results):
    figure = plots.give_rates(results)
    try:
        axes = figure.axes[0]
        widths = [bar.get_width() for bar in axes.patches][::-1]  # drawn bottom-up, best at the top
        assert widths == pytest.approx([results.give_rate[i] for i in results.ranking])
        assert f"{results.mutual_giving_rate:.0%}" in axes.get_title()
    finally:
        plots._pyplot().close(figure)


def test_give_rates_figure_shows_learning_and_how_long_alliances_stayed_open(results):
    figure = plots.give_rates(results)
    try:
        give, learning, duration = figure.axes
        rank_order = lambda values: pytest.approx([values[i] for i in results.ranking])  # noqa: E731
        assert [bar.get_width() for bar in learning.patches][::-1] == rank_order(results.learning)
        assert [bar.get_width() for bar in duration.patches][::-1] == rank_order(results.open_share)
        assert f"{results.exit_rate:.0%} of matches left" in duration.get_title()
        assert f"{results.race_over_rate:.0%} race over" in duration.get_title()
    finally:
        plots._pyplot().close(figure)


def test_power_trajectories_show_the_most_unequal_pairings(results):
    figure = plots.power_trajectories(results, pairs=3)
    try:
        lines = [line for line in figure.axes[0].lines if line.get_label().count(" vs ") == 1]
        assert len(lines) == 3
        shown = int(np.ceil(3 / (1 - results.metadata["continuation"]))) + 1
        spread = {}
        for (a, b), trajectory in results.power_trajectories.items():
            if a < b:
                spread[f"{results.players[a]} vs {results.players[b]}"] = np.mean(np.abs(trajectory[:shown]))
        widest = sorted(spread, key=spread.get, reverse=True)[:3]
        assert [line.get_label() for line in lines] == widest
        first = lines[0].get_ydata()
        pair = next(p for p in results.power_trajectories if p[0] < p[1]
                    and f"{results.players[p[0]]} vs {results.players[p[1]]}" == widest[0])
        np.testing.assert_allclose(first, results.power_trajectories[pair][:shown])
    finally:
        plots._pyplot().close(figure)


def test_write_tournament_plots_writes_valid_png_and_svg(tmp_path, results):
    import matplotlib.image

    written = plots.write_tournament_plots(results, tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(f"{n}.{f}" for n in plots.FIGURES for f in plots.FORMATS)
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    for path in written:
        if path.suffix == ".png":
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            height, width, _ = matplotlib.image.imread(path).shape
            assert height > 300 and width > 300
        else:
            assert ElementTree.parse(path).getroot().tag.endswith("svg")


def test_fixed_length_tournament_plots_every_round(tmp_path):
    results = load_scenario("axelrod_classic", ["repetitions=1", "turns=12"]).tournament().play()
    figure = plots.power_trajectories(results)
    try:
        assert all(len(line.get_ydata()) == 13 for line in figure.axes[0].lines if " vs " in line.get_label())
        # no knowledge stakes there: the figure says why every line is flat
        assert "no knowledge stakes" in figure.axes[0].get_title()
    finally:
        plots._pyplot().close(figure)


def test_matplotlib_is_loaded_only_when_plotting():
    code = ("import sys, learning_dilemma.io.plots, learning_dilemma.io.outputs; "
            "print('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


# --- population shares of the dynamics (plot_shares moved here from learning_dilemma.dynamics) ---

RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
PD = [[3, 0], [5, 1]]


@pytest.mark.parametrize("suffix, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_plot_shares_writes_the_file(tmp_path, suffix, magic):
    for k, trajectory in enumerate([replicator(RPS, x0=[0.5, 0.3, 0.2], t_max=30),
                                    simulate(RPS, 30, 100, 0.01, "pairwise", seed=1)]):
        path = tmp_path / f"shares{k}.{suffix}"
        plot_shares(trajectory, ["rock", "paper", "scissors"], path)
        assert path.read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"shares0.{suffix}", f"shares1.{suffix}"]


def test_plot_shares_refuses_other_formats():
    with pytest.raises(ParameterError, match=r"\.png or \.svg"):
        plot_shares(replicator(PD), ["a", "b"], "shares.pdf")


def test_plot_shares_is_no_longer_in_the_dynamics():
    """The dynamics sit below io, so the figure moved up (CHANGELOG)."""
    import learning_dilemma.dynamics

    assert not hasattr(learning_dilemma.dynamics, "plot_shares")


def test_the_same_results_give_the_same_figure_bytes(tmp_path, results):
    """No date, no random ids (svg.hashsalt), no software version: reproducible files (issue 13)."""
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        plots.write_tournament_plots(results, tmp_path / folder)
    for path in (tmp_path / "one").iterdir():
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name
    svg = (tmp_path / "one" / "payoff_heatmap.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot_shares_gives_the_same_bytes_twice(tmp_path, suffix):
    trajectory = replicator(RPS, x0=[0.5, 0.3, 0.2], t_max=30)
    for name in ("a", "b"):
        plot_shares(trajectory, ["rock", "paper", "scissors"], tmp_path / f"{name}.{suffix}")
    assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()


def test_plot_shares_names_the_users_path_when_it_cannot_write(tmp_path):
    (tmp_path / "f").write_text("a file")
    with pytest.raises(NotADirectoryError) as caught:
        plot_shares(replicator(PD), ["a", "b"], tmp_path / "f" / "p.png")
    assert caught.value.filename == str(tmp_path / "f" / "p.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]
