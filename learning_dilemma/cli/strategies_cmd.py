"""``learning-dilemma strategies``: the strategy library as a table."""

from __future__ import annotations

__all__ = ["register", "rows", "run"]


def register(subparsers):
    parser = subparsers.add_parser("strategies", help="list the built-in strategies")
    parser.add_argument("--family", help="only this family (organisational, larsson, interpersonal, multilevel, classic)")
    parser.set_defaults(run=run)


def rows(family=None):
    """``(name, family, description, source)`` for each built-in strategy."""
    from ..errors import ParameterError
    from ..strategies import ALL_STRATEGIES, FAMILIES

    if family is not None and family not in FAMILIES:
        raise ParameterError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    return [(c.name, c.family, c.description, c.source) for c in ALL_STRATEGIES if family in (None, c.family)]


def run(args):
    from ..io.tables import table

    print(table(("name", "family", "description", "source"), rows(args.family)))
