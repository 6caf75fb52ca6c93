"""``learning-dilemma report SCENARIO -o report.html`` (or ``--out DIR``): one self-contained page.

Argument parsing and writing only: the data is
:func:`learning_dilemma.experiments.report.build_report`, the page
:func:`learning_dilemma.io.html.render_report`.
"""

from __future__ import annotations

from .scenario_options import add_scenario_options

__all__ = ["register", "run"]


def register(subparsers):
    parser = subparsers.add_parser(
        "report",
        help="write a self-contained HTML report of a scenario",
        description="Run the scenario's tournament and its evolutionary dynamics and write one HTML page "
        "(inline SVG, no network needed). --phase adds a phase diagram over continuation and power strength "
        "(competitive overlap instead of strength when the scenario has no knowledge stakes: power cannot act). "
        "A network scenario (kite_network, delta_network or a network file) is played, and its page shows the "
        "network's picture, the two levels of payoff, its organisations and people and giving by round "
        "(--turns sets its rounds).",
    )
    add_scenario_options(parser)
    output = parser.add_mutually_exclusive_group(required=True)
    output.add_argument("-o", "--output", metavar="FILE", help="the HTML file to write")
    output.add_argument("--out", metavar="DIR", help="write the page to DIR/report.html")
    parser.add_argument("--phase", action="store_true",
                        help="add a phase diagram (continuation x power strength; x overlap without knowledge stakes)")
    parser.add_argument("--phase-points", type=int, default=8, metavar="K",
                        help="grid points per phase-diagram axis (default 8)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args):
    import os

    from ..errors import ParameterError
    from ..experiments.networks import is_network_scenario, load_network
    from ..experiments.report import build_report
    from ..io.html import render_report
    from ..io.outputs import check_destination, write_text
    from ..io.progress import ProgressBar
    from .scenario_options import load_from_args

    if args.out is not None:
        check_destination(args.out, "--out", directory=True)  # before the work, not after
        output = os.path.join(args.out, "report.html")
    else:
        output = args.output
        if not output.endswith((".html", ".htm")):
            raise ParameterError(f"-o {output}: the report is HTML; name the file .html")
        check_destination(output, "-o")  # before the work, not after
    if is_network_scenario(args.scenario):
        if args.phase:
            raise ParameterError("--phase: a network scenario has no phase diagram; sweep its values with "
                                 "`learning-dilemma sweep SCENARIO --vary KEY=START:STOP:COUNT`")
        scenario = load_network(args.scenario, args.set, seed=args.seed, turns=args.turns,
                                continuation=args.continuation, repetitions=args.repetitions, noise=args.noise)
    else:
        scenario = load_from_args(args)
    bar = None if args.quiet else ProgressBar(f"{scenario.name}")
    try:
        report = build_report(scenario, phase=args.phase, phase_points=args.phase_points, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    write_text(output, render_report(report))  # atomically: a temporary file, then a rename
    print(f"wrote {output}")
