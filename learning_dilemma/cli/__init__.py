"""The ``learning-dilemma`` command line.

Each subcommand lives in its own module with a ``register(subparsers)``
function; modules import heavy libraries only inside the function that runs the
command, so ``learning-dilemma --help`` stays fast. Bad input ends with a
one-line error on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .._version import __version__
from ..errors import ParameterError

__all__ = ["build_parser", "COMMANDS", "EXIT_USAGE", "main", "Parser"]

# Subcommand modules, in the order ``--help`` lists them.
COMMANDS = ("tournament", "scenarios", "evolve", "sweep", "report", "strategies", "match", "demo")

EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> Parser:
    parser = Parser(
        prog="learning-dilemma",
        description="The interorganisational learning dilemma as iterated games.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                        help="raise a resource limit for this run, e.g. --limit rounds=1000000000 "
                        "(docs/reference.md lists them)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f".{name}_cmd", __name__).register(subparsers)
    for command in subparsers.choices.values():  # --limit also after the command
        command.add_argument("--limit", action="append", default=[], dest="limit_after", metavar="NAME=VALUE",
                             help="raise a resource limit for this run (docs/reference.md lists them)")
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        for item in args.limit + getattr(args, "limit_after", []):
            from ..limits import set_limit

            name, _, value = item.partition("=")
            set_limit(name.strip(), value.strip())
        return args.run(args) or 0
    except (ParameterError, FileNotFoundError, IsADirectoryError, PermissionError) as error:
        print(f"learning-dilemma {args.command}: error: {_one_line(error)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("learning-dilemma: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split())


if __name__ == "__main__":
    sys.exit(main())
