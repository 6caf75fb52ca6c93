"""``learning-dilemma evolve SCENARIO``: does giving emerge in evolution?"""

from __future__ import annotations

from .scenario_options import add_scenario_options

__all__ = ["register", "run"]


def register(subparsers):
    parser = subparsers.add_parser(
        "evolve",
        help="evolutionary dynamics on a scenario's payoff matrix",
        description="Replicator dynamics, the small-mutation limit of a Moran or pairwise-comparison process, "
        "and a simulated run with mutation, on the scenario's payoff matrix (exact when every player is an "
        "automaton). Prints the shares, the survivors and the evolved give rate.",
    )
    add_scenario_options(parser)
    parser.add_argument("--population", type=int, default=50, metavar="N", help="finite population size (default 50)")
    parser.add_argument("--process", choices=("moran", "pairwise"), default="moran", help="finite-population process")
    parser.add_argument("--intensity", type=float, help="selection intensity (default: 0.5 Moran, 1 pairwise)")
    parser.add_argument("--mutation", type=float, default=0.01, help="mutation probability of the simulated run")
    parser.add_argument("--generations", type=int, default=1000, help="generations of the simulated run")
    parser.add_argument("--simulate", action="store_true", help="simulate the payoff matrix even for automata")
    parser.add_argument("--plot", metavar="PATH", help="draw population shares over time (.png or .svg)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args):
    from ..experiments.emergence import roster_matrices
    from ..dynamics import evolve
    from ..io.plots import plot_shares
    from ..io.progress import ProgressBar
    from ..io.text import evolution_table
    from ..errors import ParameterError
    from ..io.outputs import check_destination
    from .scenario_options import load_from_args

    if args.plot:  # before the work, not after
        if not args.plot.lower().endswith((".png", ".svg")):
            raise ParameterError(f"--plot {args.plot}: name a .png or .svg file")
        check_destination(args.plot, "--plot")
    scenario = load_from_args(args)
    bar = None if args.quiet else ProgressBar(f"{scenario.name} payoffs")
    try:
        payoffs, gives, names, method = roster_matrices(scenario, exact=False if args.simulate else None,
                                                        progress=bar)
    finally:
        if bar is not None:
            bar.close()
    bar = None if args.quiet else ProgressBar(f"{scenario.name} simulation")
    try:
        report = evolve(
            payoffs, gives, names, population=args.population, process=args.process, intensity=args.intensity,
            mutation=args.mutation, generations=args.generations, seed=scenario.seed, progress=bar,
        )
    finally:
        if bar is not None:
            bar.close()
    print(f"{scenario.name}: {scenario.description}")
    print(f"payoff matrix: {method}\n")
    print(evolution_table(report))
    if args.plot:
        plot_shares(report.replicator, names, args.plot, title=f"{scenario.name}: replicator dynamics")
