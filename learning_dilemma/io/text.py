"""Plain-text reports of results, for the terminal and for files."""

from __future__ import annotations

from .tables import table

__all__ = ["evolution_table"]


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
