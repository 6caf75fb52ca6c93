"""``learning-dilemma classroom``: the explorable and the live classroom game in the browser.

The web stack (Starlette on uvicorn, segno for the QR code) is the optional
``web`` extra; nothing of it is imported until the command runs, so
``learning-dilemma --help`` stays light. Without the extra the command says in
one line how to install it (exit status 2).
"""

from __future__ import annotations

__all__ = ["DEFAULT_DB", "DEFAULT_PORT", "INSTALL", "lan_address", "links", "register", "run", "web_missing"]

DEFAULT_PORT = 8000
#: Where the sessions are stored unless --db says otherwise (in the working folder).
DEFAULT_DB = "classroom.sqlite3"
INSTALL = 'pip install "learning-dilemma[web]"'


def register(subparsers):
    parser = subparsers.add_parser(
        "classroom",
        help="the explorable and the live classroom game in the browser (needs the web extra)",
        description="Start the classroom web app: an explorable for one person (play the learning game round by "
        "round against a strategy, then a tournament and evolution driven by sliders) and a live classroom game "
        "(the teacher opens a session, students join from their phones with a code or a QR code, play anonymous "
        "matches, and at the end see their play beside the strategy library). Prints the teacher's link, with "
        "the teacher's secret, and the explorable's link. Listens on 127.0.0.1 only unless --lan or --host asks "
        f"for the room's network. Needs the web extra: {INSTALL}. docs/classroom.md describes the protocol.",
    )
    parser.add_argument("--host", default=None,
                        help="address to listen on (default 127.0.0.1: this computer only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    parser.add_argument("--lan", action="store_true",
                        help="listen on the room's network (0.0.0.0) so that phones can join; the links printed "
                        "use this computer's address on that network")
    parser.add_argument("--db", default=DEFAULT_DB, metavar="FILE",
                        help=f"SQLite file holding every session, decision and the teacher's secret (default "
                        f"{DEFAULT_DB}; a restart on the same file resumes where it was)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the sessions' draws (match lengths, matching, tacit transfer; default: "
                        "a fresh seed per session, stored with it)")
    parser.set_defaults(run=run)


def web_missing() -> list[str]:
    """The web extra's packages that cannot be imported here."""
    import importlib.util

    return [name for name in ("starlette", "uvicorn", "segno") if importlib.util.find_spec(name) is None]


def lan_address() -> str:
    """This computer's address on the network of its default route (no packet is sent:
    connecting a UDP socket only picks the interface); 127.0.0.1 if there is none."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def links(host: str, port: int, secret: str) -> tuple[str, str]:
    """The teacher's link (with the secret) and the explorable's link."""
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    return f"{base}/teacher?key={secret}", f"{base}/"


def run(args):
    from ..errors import ParameterError

    missing = web_missing()
    if missing:
        raise ParameterError(f"the classroom needs the web extra ({', '.join(missing)} missing): {INSTALL}")
    if not 0 < args.port < 65536:
        raise ParameterError(f"--port must be between 1 and 65535, got {args.port}")
    if args.seed is not None and args.seed < 0:
        raise ParameterError(f"--seed must be a whole number >= 0, got {args.seed}")
    host = args.host or ("0.0.0.0" if args.lan else "127.0.0.1")
    shown = lan_address() if host in ("0.0.0.0", "::") else host

    import uvicorn

    from ..classroom.web.app import create_app

    app = create_app(args.db, seed=args.seed)
    teacher, explorable = links(shown, args.port, app.state.teacher_secret)
    print(f"classroom: sessions stored in {args.db}")
    print(f"teacher:    {teacher}")
    print("            (keep this link to yourself: it opens the teacher's controls)")
    print(f"explorable: {explorable}")
    if host == "127.0.0.1":
        print("listening on this computer only; add --lan for students' phones on the room's network")
    import sys

    sys.stdout.flush()
    uvicorn.run(app, host=host, port=args.port, log_level="warning")
