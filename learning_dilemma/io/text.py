"""Plain-text reports of results, for the terminal and for files."""

from __future__ import annotations

from .tables import table

__all__ = ["describe_game", "evolution_table"]


def evolution_table(report) -> str:
    """An :class:`~learning_dilemma.dynamics.EvolutionReport` as text: shares per
    strategy under each method, then the survivors and the evolved give rate."""
    s = report.settings
    header = ("strategy", "replicator", "small mutations", "simulation")
    rows = [
        [name, float(report.replicator.final[i]), float(report.limit.distribution[i]),
         float(report.simulation.mean_shares[i])]
        for i, name in enumerate(report.names)
    ]
    lines = [
        table(header, rows),
        "",
        "replicator: final shares, infinite population" + (
            "" if report.replicator.settled else
            f"; not settled by t={report.replicator.times[-1]:g} (still cycling, or a rare strategy still "
            "invading): the shares then"),
        f"small mutations: stationary abundances, N={s['population']}, {s['process']} process, "
        f"intensity {s['intensity']:g}",
        f"simulation: time-averaged shares, mutation {s['mutation']:g}, {s['generations']} generations, "
        f"seed {s['entropy']}",
        "",
    ]
    labels = {method: f"survivors ({method}):" for method in report.survivors}
    labels.update({f"give {method}": f"give rate ({method}):" for method in report.give_rates})
    width = max(len(label) for label in labels.values()) + 1
    for method, names in report.survivors.items():
        lines.append(labels[method].ljust(width) + (", ".join(names) or "none"))
    if report.give_rates["replicator"] is not None:
        for method, value in report.give_rates.items():
            lines.append(labels[f"give {method}"].ljust(width) + f"{value:.3f}")
    return "\n".join(lines)


def describe_game(game) -> str:
    """One line on a game's second-edition settings: overlap, knowledge stakes, power and ties.

    Examples
    --------
    >>> from learning_dilemma.games import Knowledge, LearningGame, Power
    >>> describe_game(LearningGame())
    'overlap 1; no knowledge stakes; no ties'
    >>> describe_game(LearningGame(power=Power(0.5)))
    'overlap 1; no knowledge stakes, so power strength 0.5 has nothing to act on; no ties'
    >>> describe_game(LearningGame(knowledge=Knowledge(levels=4, pace=0.3), power=Power(0.5)))
    'overlap 1; knowledge stakes 4 levels at pace 0.3; power strength 0.5; no ties'
    """
    knowledge = game.knowledge
    parts = [f"overlap {game.effective_overlap:g}" + (f" ({len(game.domains)} domains)" if game.domains else "")]
    if knowledge.active:
        parts.append(f"knowledge stakes {knowledge.levels} levels at pace {knowledge.pace:g}")
        parts.append(f"power strength {game.power.strength:g}")
    elif game.power.active:
        parts.append(f"no knowledge stakes, so power strength {game.power.strength:g} has nothing to act on")
    else:
        parts.append("no knowledge stakes")
    parts.append(f"ties {game.ties.levels} levels" if game.ties.active else "no ties")
    return "; ".join(parts)
