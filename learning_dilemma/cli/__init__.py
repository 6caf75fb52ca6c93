"""The ``learning-dilemma`` command line.

Each subcommand lives in its own module with a ``register(subparsers)``
function; modules import heavy libraries only inside the function that runs the
command, so ``learning-dilemma --help`` stays fast. Bad input ends with a
one-line error on stderr and exit status 2, never a traceback; :func:`main`
lists every exit status.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from .._version import __version__
from ..errors import ParameterError

__all__ = ["build_parser", "COMMANDS", "EXIT_INTERRUPTED", "EXIT_TERMINATED", "EXIT_USAGE", "main", "Parser", "Terminated"]

# Subcommand modules, in the order ``--help`` lists them.
COMMANDS = ("tournament", "network", "scenarios", "evolve", "sweep", "report", "strategies", "match", "demo", "classroom")

EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors."""

    def error(self, message):
        message = " ".join(str(message).split())  # one line, whatever the arguments held
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
    parser.commands = subparsers.choices
    for command in subparsers.choices.values():  # --limit also after the command
        command.add_argument("--limit", action="append", default=[], dest="limit_after", metavar="NAME=VALUE",
                             help="raise a resource limit for this run (docs/reference.md lists them)")
    return parser


def main(argv=None) -> int:
    """Run one command; returns the exit status (``docs/reference.md``, "Exit status").

    0: done, every output complete. 1: done, but some sweep points failed
    (the sweep says which). 2: bad input, a refused request or an output that
    cannot be written: one line on stderr, ``learning-dilemma COMMAND: error:
    ...``, and nothing written. 130: interrupted (Ctrl-C); nothing half-written
    is left, and a sweep's journal is kept for ``--resume``.
    """
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the command's parser: "learning-dilemma COMMAND: error: ..."
        command = parser.commands.get(args.command, parser)
        command.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    stdout = sys.stdout
    sys.stdout = _Stdout(stdout)
    previous = _on_terminate()
    try:
        from ..limits import raised

        changes = {}
        for item in args.limit + getattr(args, "limit_after", []):
            name, _, value = item.partition("=")
            changes[name.strip()] = value.strip()
        with raised(**changes):  # for this run only: restored afterwards, also in-process
            status = args.run(args) or 0
        sys.stdout.flush()  # a full disk or a closed pipe is found here, not at exit
        return status
    except KeyboardInterrupt as interruption:  # Ctrl-C, or SIGTERM (Terminated)
        _error(args.command, "interrupted", prefix="learning-dilemma")
        return EXIT_TERMINATED if isinstance(interruption, Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError as error:
        if getattr(error, "filename", None) == STDOUT:  # the reader stopped reading (`| head`): fine
            _silence(stdout)
            return 0
        _error(args.command, _one_line(error))
        return EXIT_USAGE
    except (ParameterError, OSError) as error:
        if getattr(error, "filename", None) == STDOUT:
            _silence(stdout)
        _error(args.command, _one_line(error))
        return EXIT_USAGE
    except RecursionError:
        _error(args.command, "input nested too deeply")
        return EXIT_USAGE
    except MemoryError:
        _error(args.command, "not enough memory for this request (docs/reference.md, \"Limits\")")
        return EXIT_USAGE
    finally:
        sys.stdout = stdout
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


EXIT_INTERRUPTED = 130
#: Exit status after SIGTERM (128 + 15), cleaned up as after Ctrl-C.
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interruption so that every clean-up of Ctrl-C runs
    (staging removed, a sweep's lock released and its journal kept)."""


def _raise_terminated(signum, frame):
    raise Terminated()


def _on_terminate():
    """Handle SIGTERM as an interruption while a command runs (main thread only);
    returns the previous handler, or None where signals cannot be set."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_terminated)
#: What an error writing the standard output names.
STDOUT = "standard output"


class _Stdout:
    """The standard output, whose write errors name it (so the one-line message
    can say "standard output: No space left on device")."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except OSError as error:
            raise _named(error) from None

    def flush(self):
        try:
            return self._stream.flush()
        except OSError as error:
            raise _named(error) from None

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _named(error: OSError) -> OSError:
    return type(error)(error.errno, error.strerror or str(error), STDOUT)


def _silence(stream) -> None:
    """Point the failed standard output at /dev/null, so the interpreter's own
    flush at exit does not fail a second time with a traceback-like message."""
    import os

    try:
        descriptor = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def _error(command: str, message: str, prefix: str | None = None) -> None:
    line = f"{prefix}: {message}" if prefix else f"learning-dilemma {command}: error: {message}"
    try:
        print(line, file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr is gone too: the status still says it
        pass


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename:
        return " ".join(f"{error.filename}: {error.strerror or error}".split())
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return " ".join(str(error).split()) or type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
