"""Structure or casting? kite_network and delta_network with their parts swapped.

    .venv/bin/python bench/network_swap.py                 # about two minutes
    .venv/bin/python bench/network_swap.py --seeds 2 --repetitions 5   # quick

Not a timing: a study issue 16 asks for ("whether their contrast comes from structure or from
casting is the subject of a later issue: report what you find"). The two shipped network
scenarios differ in four parts, each taken whole from one file or the other:

- **organisations** (who plays): the ``[[organisations]]`` (their policies, how many people
  each sends, their absorption), the explicit ``[[people]]`` (Delta's three joint researchers)
  and ``network.absorption`` (the default absorption);
- **people** (the people-level values): ``network.identification``, ``recognition``,
  ``identity`` and ``identity_weight``;
- **structure**: the ties (``network.structure``, ``degree``, ``rewiring``,
  ``prior_rounds``) and the group layout (``groups``, ``group_size``, ``congestion``,
  ``quorum``);
- **game**: the ``[game]`` table (overlap, power, knowledge stakes, ties);
- **rounds**: how long the network plays (KITe 24, Delta 48).

Every one of the 32 combinations is played at ``--seeds`` seeds (2026, 2027, ...; each seed
draws its own structure) with ``--repetitions`` repetitions each. Each number is the mean over
seeds of each seed's value (its repetitions pooled), with the standard error over the seeds,
which holds both the play's and the structure's chance. The script then gives each part's
main effect (the mean, over the 16 combinations of the other parts, of the KITe-part value
minus the Delta-part value) and its standard error, for the giving share and the payoffs.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import sys

import numpy as np

PARTS = ("organisations", "people", "structure", "game", "rounds")
PEOPLE_KEYS = ("identification", "recognition", "identity", "identity_weight")
STRUCTURE_KEYS = ("structure", "degree", "rewiring", "prior_rounds", "groups", "group_size", "congestion", "quorum")
CASES = ("kite_network", "delta_network")
MEASURES = (("giving_share", "giving"), ("tie_mutual_giving", "mutual ties"), ("group_giving_share", "in groups"),
            ("person_payoff", "person"), ("organisation_payoff", "org/person"), ("absorbed_share", "home share"),
            ("ties_ended_by_exit", "tie exits"), ("groups_ended_by_race", "groups race"))


def raws():
    from learning_dilemma.io.scenarios import read_raw
    from learning_dilemma.io.scenarios.network import network_scenario_path

    return {name: read_raw(network_scenario_path(name)) for name in CASES}


def compose(sources: dict, choice: dict, seed: int, repetitions: int) -> dict:
    """A network definition with each part taken from ``sources[choice[part]]``."""
    org, people, structure, game, rounds = (sources[choice[p]] for p in PARTS)
    raw = {"name": "swap", "seed": seed, "repetitions": repetitions, "rounds": rounds["rounds"],
           "game": copy.deepcopy(game["game"]), "organisations": copy.deepcopy(org["organisations"])}
    if "people" in org:
        raw["people"] = copy.deepcopy(org["people"])
    network = {"absorption": org["network"]["absorption"]}
    network.update({k: people["network"][k] for k in PEOPLE_KEYS})
    network.update({k: structure["network"][k] for k in STRUCTURE_KEYS if k in structure["network"]})
    raw["network"] = network
    return raw


def measure(raw: dict) -> dict:
    """The headline numbers of one composed definition, with the organisation payoff per person
    (organisations differ in number between the casts) and the share of learning that reached home."""
    from learning_dilemma.experiments.networks import network_metrics
    from learning_dilemma.io.scenarios.network import build_network

    scenario = build_network(raw, None)
    results = scenario.play()
    out = network_metrics(results)
    population = results.population
    out["organisation_payoff"] = float(results.organisation_payoffs.sum(axis=1).mean() / population.n_people)
    out["absorbed_share"] = out["absorbed"] / out["learning"] if out["learning"] else float("nan")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds, from 2026 (default 5)")
    parser.add_argument("--repetitions", type=int, default=20, help="repetitions per seed (default 20)")
    args = parser.parse_args(argv)
    sources = raws()
    seeds = [2026 + k for k in range(args.seeds)]
    rows = {}
    for combo in itertools.product(CASES, repeat=len(PARTS)):
        choice = dict(zip(PARTS, combo))
        values = [measure(compose(sources, choice, seed, args.repetitions)) for seed in seeds]
        rows[combo] = {key: np.array([v[key] for v in values], dtype=float) for key, _ in MEASURES}

    def stat(a):
        mean = float(np.nanmean(a))
        se = float(np.nanstd(a, ddof=1) / np.sqrt(np.isfinite(a).sum())) if np.isfinite(a).sum() > 1 else float("nan")
        return mean, se

    print(f"{args.seeds} seeds x {args.repetitions} repetitions; K = kite_network's part, D = delta_network's; "
          f"mean over seeds (standard error over seeds)")
    print("organisation payoff per person of the network and round; home share: learning that reached the "
          "organisations / learning")
    head = "| orgs | people | structure | game | rounds | " + " | ".join(label for _, label in MEASURES) + " |"
    print(head)
    print("|" + "---|" * (len(PARTS) + len(MEASURES)))
    for combo, values in rows.items():
        cells = []
        for key, _ in MEASURES:
            mean, se = stat(values[key])
            cells.append("-" if mean != mean else f"{mean:.3f} ({se:.3f})")
        tag = ["K" if c == "kite_network" else "D" for c in combo]
        note = " (kite_network)" if set(combo) == {"kite_network"} else " (delta_network)" if set(combo) == {
            "delta_network"} else ""
        print("| " + " | ".join(tag) + f"{note} | " + " | ".join(cells) + " |")

    print("\nmain effects (K part minus D part, mean over the 16 combinations of the other parts; standard error "
          "from the seeds):")
    print("| part | " + " | ".join(label for _, label in MEASURES) + " |")
    print("|" + "---|" * (1 + len(MEASURES)))
    for index, part in enumerate(PARTS):
        cells = []
        for key, _ in MEASURES:
            diffs = []
            for combo, values in rows.items():
                if combo[index] != "kite_network":
                    continue
                other = combo[:index] + ("delta_network",) + combo[index + 1:]
                diffs.append(values[key] - rows[other][key])
            per_seed = np.nanmean(np.array(diffs), axis=0)  # each seed's mean difference
            mean, se = stat(per_seed)
            cells.append("-" if mean != mean else f"{mean:+.3f} ({se:.3f})")
        print(f"| {part} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
