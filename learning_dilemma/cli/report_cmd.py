"""``learning-dilemma report SCENARIO -o report.html``: one self-contained page.

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
        "(competitive overlap instead of strength when the scenario has no knowledge stakes: power cannot act).",
    )
    add_scenario_options(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    parser.add_argument("--phase", action="store_true",
                        help="add a phase diagram (continuation x power strength; x overlap without knowledge stakes)")
    parser.add_argument("--phase-points", type=int, default=8, metavar="K",
                        help="grid points per phase-diagram axis (default 8)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args):
    from ..errors import ParameterError
    from ..experiments.report import build_report
    from ..io.html import render_report
    from ..io.outputs import check_destination, write_text
    from ..io.progress import ProgressBar
    from .scenario_options import load_from_args

    if not args.output.endswith((".html", ".htm")):
        raise ParameterError(f"-o {args.output}: the report is HTML; name the file .html")
    check_destination(args.output, "-o")  # before the work, not after
    scenario = load_from_args(args)
    bar = None if args.quiet else ProgressBar(f"{scenario.name}")
    try:
        report = build_report(scenario, phase=args.phase, phase_points=args.phase_points, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    write_text(args.output, render_report(report))
    print(f"wrote {args.output}")
