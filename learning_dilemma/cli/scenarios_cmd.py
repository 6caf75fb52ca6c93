"""``learning-dilemma scenarios``: the shipped scenario files (tournaments, then networks)."""

from __future__ import annotations

__all__ = ["register", "run"]


def register(subparsers):
    parser = subparsers.add_parser("scenarios", help="list the shipped scenarios (tournaments and networks)")
    parser.set_defaults(run=run)


def run(args):
    from ..io.scenarios import SCENARIO_DIR, read_raw, shipped_names
    from ..io.tables import table

    rows = []
    for name in shipped_names():
        raw = read_raw(SCENARIO_DIR / f"{name}.toml")
        rows.append((name, raw.get("description", "")))
    print(table(("scenario", "description"), rows))
    print(f"\nfiles in {SCENARIO_DIR}; run one with `learning-dilemma tournament NAME`")
    from ..io.scenarios.network import NETWORK_DIR, network_scenario_names

    rows = [(name, read_raw(NETWORK_DIR / f"{name}.toml").get("description", "")) for name in network_scenario_names()]
    print("\n" + table(("network scenario", "description"), rows))
    print(f"\nfiles in {NETWORK_DIR}; run one with `learning-dilemma network NAME`")
