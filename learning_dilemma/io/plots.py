"""Figures with matplotlib (imported only here, only when called).

A tournament's three figures, each written as PNG and SVG: the payoff heatmap,
give rates (beside each player's learning per round and the share of rounds its
alliances were open) and the power trajectories of the pairings whose gap grew
widest (power from dependence: Emerson 1962; the race to learn: Hamel 1991).
And the population shares of an evolutionary trajectory over time
(:func:`plot_shares`): the replicator dynamics of an infinite population
(Taylor & Jonker 1978) or a simulated finite population
(:func:`learning_dilemma.dynamics.simulate`).

References
----------
Emerson, R. M. (1962). Power-dependence relations. American Sociological Review 27, 31-41.
Hamel, G. (1991). Competition for competence and inter-partner learning within
international strategic alliances. Strategic Management Journal 12, 83-103.
Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and game
dynamics. Mathematical Biosciences 40, 145-156.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..dynamics.simulation import SimulationResult
from ..dynamics.validation import check_names
from ..errors import ParameterError
from ..limits import check

__all__ = [
    "FIGURES",
    "FORMATS",
    "give_rates",
    "payoff_heatmap",
    "plot_shares",
    "power_trajectories",
    "write_tournament_plots",
]

FORMATS = ("png", "svg")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _check_players(results) -> None:
    """A tournament's figures grow with players squared: refused above the
    ``plot_players`` resource limit before matplotlib is started."""
    n = len(results.players)
    check("plot_players", n, f"figures of a tournament of {n} players", hint="or use --no-plots")


def payoff_heatmap(results):
    _check_players(results)
    plt = _pyplot()
    n = results.n_players
    size = max(5.0, 0.55 * n + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    image = ax.imshow(results.payoff_matrix, cmap="viridis")
    ax.set_xticks(range(n), results.players, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(n), results.players, fontsize=8)
    if n <= 16:
        low, high = image.get_clim()
        middle = (low + high) / 2
        for i in range(n):
            for j in range(n):
                value = results.payoff_matrix[i, j]
                if np.isfinite(value):  # dark text on viridis' light (high) end
                    colour = "black" if value > middle else "white"
                    ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7, color=colour)
    ax.set_xlabel("opponent")
    ax.set_ylabel("player")
    ax.set_title("Mean payoff per round")
    fig.colorbar(image, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig


def give_rates(results):
    """Three panels, players in rank order: give rate, learning per round, and the
    share of rounds the player's alliances were open (the rest closed by an exit
    or the end of the race)."""
    _check_players(results)
    plt = _pyplot()
    order = results.ranking
    names = [results.players[i] for i in order][::-1]
    fig, axes = plt.subplots(1, 3, figsize=(12, max(3.0, 0.35 * results.n_players + 1)), sharey=True)
    panels = [
        (results.give_rate, "share of rounds given",
         f"Give rates (mutual giving in {results.mutual_giving_rate:.0%} of rounds)", 1.0),
        (results.learning, "knowledge absorbed per round", "Learning", None),
        (results.open_share, "share of rounds open",
         f"Alliance open ({results.exit_rate:.0%} of matches left, {results.race_over_rate:.0%} race over)", 1.0),
    ]
    for ax, (values, label, title, high) in zip(axes, panels):
        ax.barh(names, [values[i] for i in order][::-1], color="#0072b2")
        if high is not None:
            ax.set_xlim(0, high)
        ax.set_xlabel(label)
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def power_trajectories(results, pairs: int = 6):
    _check_players(results)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 4.5))
    trajectories = results.power_trajectories
    continuation = results.metadata.get("continuation")
    # Three mean match lengths: later rounds average over few surviving matches.
    shown = None if continuation is None else int(np.ceil(3 / (1 - continuation))) + 1
    gaps = {p: float(np.mean(np.abs(np.asarray(t)[:shown]))) for p, t in trajectories.items() if p[0] < p[1]}
    for a, b in sorted(gaps, key=gaps.get, reverse=True)[:pairs]:
        ax.plot(np.asarray(trajectories[(a, b)])[:shown], label=f"{results.players[a]} vs {results.players[b]}")
    ax.axhline(0, color="grey", linewidth=0.8, linestyle="--")
    ax.set_xlabel("round")
    ax.set_ylabel("power position z = K_partner - K_own\n(first player's side)")
    note = ("mean over the matches still running" if results.game.knowledge.active
            else "no knowledge stakes: nobody depends more, z stays 0")
    ax.set_title(f"Power trajectories of the most unequal pairings\n({note})")
    if gaps:
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    return fig


FIGURES = {"payoff_heatmap": payoff_heatmap, "give_rates": give_rates, "power_trajectories": power_trajectories}


def write_tournament_plots(results, directory: Path) -> list[Path]:
    """Write every figure as PNG and SVG into ``directory`` (each atomically,
    the same bytes for the same results)."""
    _check_players(results)
    from .outputs import figure_bytes, write_bytes

    plt = _pyplot()
    written = []
    for name, draw in FIGURES.items():
        fig = draw(results)
        try:
            for fmt in FORMATS:
                path = Path(directory) / f"{name}.{fmt}"
                write_bytes(path, figure_bytes(fig, fmt, dpi=120))  # same seed, same bytes
                written.append(path)
        finally:
            plt.close(fig)
    return written


def plot_shares(trajectory, names, path, *, title: str | None = None) -> None:
    """Draw population shares over time to ``path`` (PNG or SVG by extension),
    written atomically (:func:`learning_dilemma.io.outputs.write_bytes`).

    Parameters
    ----------
    trajectory : ReplicatorResult or SimulationResult
        Anything with ``times`` (T,) and ``shares`` (T, n)
        (:mod:`learning_dilemma.dynamics`).
    names : sequence of str
    path : str or path-like
    title : str, optional
    """
    times = np.asarray(trajectory.times)
    shares = np.asarray(trajectory.shares)
    names = check_names(names, shares.shape[1])
    extension = str(path).rsplit(".", 1)[-1].lower()
    if extension not in ("png", "svg"):
        raise ParameterError(f"plot path must end in .png or .svg, got {str(path)!r}")
    plt = _pyplot()
    simulated = isinstance(trajectory, SimulationResult)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for k, name in enumerate(names):
        ax.plot(times, shares[:, k], label=name, linewidth=1.0 if simulated else 1.6)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("generation" if simulated else "time")
    ax.set_ylabel("population share")
    ax.set_title(title or ("Simulated population" if simulated else "Replicator dynamics"))
    ax.legend(fontsize=8)
    fig.tight_layout()
    from .outputs import figure_bytes, write_bytes

    try:
        data = figure_bytes(fig, extension)  # same trajectory, same bytes
    finally:
        plt.close(fig)
    write_bytes(path, data)
