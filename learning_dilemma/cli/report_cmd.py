"""``learning-dilemma report SCENARIO -o report.html``: one self-contained page."""

from __future__ import annotations

from .scenario_options import add_scenario_options


def register(subparsers):
    parser = subparsers.add_parser(
        "report",
        help="write a self-contained HTML report of a scenario",
        description="Run the scenario's tournament and its evolutionary dynamics and write one HTML page "
        "(inline SVG, no network needed). --phase adds a phase diagram over continuation and power strength.",
    )
    add_scenario_options(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    parser.add_argument("--phase", action="store_true", help="add a phase diagram (continuation x power strength)")
    parser.add_argument("--phase-points", type=int, default=8, metavar="K",
                        help="grid points per phase-diagram axis (default 8)")
    parser.set_defaults(run=run)


def run(args):
    import numpy as np

    from ..experiments.emergence import roster_matrices
    from ..errors import ParameterError
    from ..dynamics import evolve
    from ..io.outputs import write_text
    from ..io.html import Phase, render
    from .scenario_options import load_from_args

    if not args.output.endswith((".html", ".htm")):
        raise ParameterError(f"-o {args.output}: the report is HTML; name the file .html")
    scenario = load_from_args(args)
    results = scenario.tournament(processes=1).play()
    payoffs, gives, names, _ = roster_matrices(scenario)
    evolution = evolve(payoffs, gives, names, seed=scenario.seed)
    phase = _phase(args, scenario) if args.phase else None
    html = render(scenario.name, scenario.description, scenario.settings(), results, evolution, phase)
    write_text(args.output, html)
    print(f"wrote {args.output}")


def _phase(args, scenario):
    import numpy as np

    from ..experiments.emergence import evaluate_points
    from ..errors import ParameterError
    from ..io.html import Phase

    if args.phase_points < 2:
        raise ParameterError(f"--phase-points must be >= 2, got {args.phase_points}")
    ws = np.linspace(0.5, 0.98, args.phase_points)
    strengths = np.linspace(0.0, 1.0, args.phase_points)
    overrides = tuple(args.set)
    points = [{"continuation": float(w), "game.power.strength": float(s)} for s in strengths for w in ws]
    records = evaluate_points(str(scenario.path), overrides, points)  # one shared grid (docs/emergence.md)
    values = np.array([r["evolved_giving"] for r in records]).reshape(len(strengths), len(ws))
    return Phase("continuation", list(ws), "game.power.strength", list(strengths), values)
