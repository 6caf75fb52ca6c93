"""The classroom web app: the explorable and the live classroom game (Starlette).

:func:`create_app` builds the app over one SQLite file (:class:`~learning_dilemma.classroom.store.Store`).
Pages (``static/``) call a JSON API by polling; no websockets. Routes:

Pages
    ``GET /`` the explorable; ``GET /teacher`` the teacher's dashboard
    (``/teacher?key=SECRET``, the link the command prints, sets the teacher's
    cookie and sends the browser on to ``/teacher`` without the secret in the
    address); ``GET /join`` the student's phone view (``/join?code=CODE`` from
    the QR code); ``/static/...`` the scripts and style.
Explorable (anyone)
    ``GET /api/explorable/options``; ``POST /api/explorable/sandbox``
    (sliders and mix: tournament and evolution); ``POST /api/explorable/practice``
    (a match against a library strategy, replayed from its seed and moves).
Teacher (the teacher's secret: header ``X-Teacher-Key`` or the cookie)
    ``GET|POST /api/sessions`` (list, create with a treatment);
    ``GET /api/sessions/{id}`` (the dashboard: code, link, QR code as SVG, seats,
    matches, live charts' data); ``POST /api/sessions/{id}/start`` (the next
    match); ``POST /api/sessions/{id}/stop`` (end the current match early);
    ``POST /api/sessions/{id}/absent`` (mark a seat absent); ``POST
    /api/sessions/{id}/end``; ``GET /api/sessions/{id}/analysis`` (strategy
    estimation and how the class's mix fares); ``GET /api/sessions/{id}/export.csv``.
Student (the student's token: header ``X-Student-Token``)
    ``POST /api/join`` (a code: the seat's label and token); ``GET
    /api/sessions/{id}/seats/{label}`` (the seat's own state); ``POST
    /api/sessions/{id}/seats/{label}/choice``.

Security (docs/classroom.md): the server listens on 127.0.0.1 unless told
otherwise (:mod:`learning_dilemma.cli.classroom_cmd`); teacher routes answer 403
without the teacher's secret (a student's token is not one); a seat's routes
answer 403 unless the token is that seat's, so a student can neither read nor
change another seat; bodies are JSON objects of at most
:data:`.http.MAX_BODY` bytes, validated key by key (400 with one line);
computations are bounded by the sliders' ranges (:mod:`.explorable`) and the
toolkit's resource limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import threading
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ...errors import ParameterError
from . import explorable
from .http import HTTPError, SecurityHeaders, error_response, read_json

__all__ = ["ENGINE_SLOTS", "STATIC", "TEACHER_COOKIE", "TEACHER_HEADER", "STUDENT_HEADER", "create_app"]

STATIC = Path(__file__).resolve().parent / "static"
TEACHER_COOKIE = "ld_teacher"
#: How many of the engines' computations (the sandbox, the estimation) run at once.
ENGINE_SLOTS = 2
TEACHER_HEADER = "x-teacher-key"
STUDENT_HEADER = "x-student-token"


def create_app(db=":memory:", *, seed: int | None = None, clock=time.time, tick_seconds: float = 1.0,
               base_url: str | None = None) -> Starlette:
    """The classroom app over the SQLite file ``db``.

    Parameters
    ----------
    db : str or Path
        The store (created if missing); a new app on the same file resumes
        every session where it was (the events are replayed).
    seed : int, optional
        Seed of the sessions the teacher creates (each session stores its own);
        ``None``: fresh entropy per session.
    clock : callable
        Seconds since the epoch (tests pass their own).
    tick_seconds : float
        How often the server checks for students who timed out (0: never by
        itself; each poll of the dashboard still checks).
    base_url : str, optional
        The address students reach the server at (for the join link and QR
        code); by default the address the teacher's browser used.
    """
    from ..store import Store
    from .live import Live

    store = Store(db)
    live = Live(store, seed=seed, clock=clock)
    secret = store.secret("teacher")
    # the engines' computations (sandbox, estimation) run at most ENGINE_SLOTS at a time: a burst of
    # slider moves queues instead of taking every core from the students' calls
    engines = threading.BoundedSemaphore(ENGINE_SLOTS)

    async def ticking():
        while True:
            await asyncio.sleep(tick_seconds)
            with contextlib.suppress(Exception):  # a tick that fails is retried at the next one
                await run_in_threadpool(live.tick)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        task = asyncio.create_task(ticking()) if tick_seconds > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            store.close()

    def teacher(request) -> None:
        given = request.headers.get(TEACHER_HEADER) or request.cookies.get(TEACHER_COOKIE) or ""
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise HTTPError(403, "the teacher's controls need the teacher's link (its secret)")

    def token(request) -> str:
        return request.headers.get(STUDENT_HEADER, "")

    def handler(function, *, who=None, body=False, threaded=True):
        """A route: checks who may call it, reads the bounded body, maps refusals to statuses.

        ``threaded`` runs the work in the thread pool: for what takes long (the dashboard, the
        explorable's engines, the estimation). The students' calls (join, state, choice) take a
        fraction of a millisecond, their store write included, and run on the event loop itself:
        a thread hop per poll cost more than the work (bench/classroom_load.py).
        """

        async def endpoint(request):
            try:
                if who == "teacher":
                    teacher(request)
                data = await read_json(request) if body else None
                arguments = (request, data) if body else (request,)
                if threaded:
                    return await run_in_threadpool(function, *arguments)
                return function(*arguments)
            except HTTPError as error:
                return error_response(error.status, error.message)
            except ParameterError as error:
                status = getattr(error, "status", 400)
                return error_response(status, str(error))
            except RecursionError:
                return error_response(400, "input nested too deeply")
            except MemoryError:
                return error_response(400, "not enough memory for this request")

        return endpoint

    # --- pages -----------------------------------------------------------------------------------
    def page(name):
        async def serve(request):
            return FileResponse(STATIC / name, media_type="text/html", headers={"cache-control": "no-store"})
        return serve

    async def teacher_page(request):
        key = request.query_params.get("key")
        if key is not None:
            if not hmac.compare_digest(key.encode(), secret.encode()):
                return Response("This is not the teacher's link.", status_code=403, media_type="text/plain")
            response = RedirectResponse("/teacher", status_code=303)
            response.set_cookie(TEACHER_COOKIE, secret, httponly=True, samesite="strict", path="/",
                                max_age=60 * 60 * 24 * 30)
            return response
        return FileResponse(STATIC / "teacher.html", media_type="text/html", headers={"cache-control": "no-store"})

    # --- the explorable --------------------------------------------------------------------------
    def explorable_options(request):
        return JSONResponse(explorable.options())

    def sandbox(request, data):
        settings = explorable.check_settings(data)
        with engines:
            return JSONResponse(explorable.sandbox(settings))

    def practice(request, data):
        return JSONResponse(explorable.practice(data))

    # --- the live classroom ----------------------------------------------------------------------
    def origin(request) -> str:
        if base_url:
            return base_url.rstrip("/")
        return f"{request.url.scheme}://{request.url.netloc}"

    def sessions_list(request):
        return JSONResponse({"sessions": live.sessions()})

    def session_create(request, data):
        return JSONResponse(live.create(data, origin(request)), status_code=201)

    def session_dashboard(request):
        return JSONResponse(live.dashboard(request.path_params["session"], origin(request)))

    def session_start(request, data):
        return JSONResponse(live.start(request.path_params["session"], data))

    def session_stop(request, data):
        return JSONResponse(live.stop(request.path_params["session"], data))

    def session_absent(request, data):
        return JSONResponse(live.absent(request.path_params["session"], data))

    def session_end(request, data):
        return JSONResponse(live.end(request.path_params["session"], data))

    def session_analysis(request):
        with engines:
            return JSONResponse(live.analysis(request.path_params["session"]))

    def session_export(request):
        sid = request.path_params["session"]
        text = live.export_csv(sid)
        return Response(text, media_type="text/csv; charset=utf-8", headers={
            "content-disposition": f'attachment; filename="classroom-{sid}.csv"'})

    def join(request, data):
        return JSONResponse(live.join(data), status_code=201)

    def seat_state(request):
        p = request.path_params
        return JSONResponse(live.seat(p["session"], p["label"], token(request)))

    def seat_choice(request, data):
        p = request.path_params
        return JSONResponse(live.choose(p["session"], p["label"], token(request), data))

    routes = [
        Route("/", page("explorable.html")),
        Route("/teacher", teacher_page),
        Route("/join", page("student.html")),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/explorable/options", handler(explorable_options, threaded=False)),
        Route("/api/explorable/sandbox", handler(sandbox, body=True), methods=["POST"]),
        Route("/api/explorable/practice", handler(practice, body=True), methods=["POST"]),
        Route("/api/sessions", handler(sessions_list, who="teacher"), methods=["GET"]),
        Route("/api/sessions", handler(session_create, who="teacher", body=True), methods=["POST"]),
        Route("/api/sessions/{session}", handler(session_dashboard, who="teacher")),
        Route("/api/sessions/{session}/start", handler(session_start, who="teacher", body=True), methods=["POST"]),
        Route("/api/sessions/{session}/stop", handler(session_stop, who="teacher", body=True), methods=["POST"]),
        Route("/api/sessions/{session}/absent", handler(session_absent, who="teacher", body=True), methods=["POST"]),
        Route("/api/sessions/{session}/end", handler(session_end, who="teacher", body=True), methods=["POST"]),
        Route("/api/sessions/{session}/analysis", handler(session_analysis, who="teacher")),
        Route("/api/sessions/{session}/export.csv", handler(session_export, who="teacher")),
        Route("/api/join", handler(join, body=True, threaded=False), methods=["POST"]),
        Route("/api/sessions/{session}/seats/{label}", handler(seat_state, threaded=False)),
        Route("/api/sessions/{session}/seats/{label}/choice", handler(seat_choice, body=True, threaded=False),
              methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    async def not_found(request, exc):
        if request.url.path.startswith("/api/"):
            return error_response(exc.status_code, exc.detail)
        return Response(exc.detail, status_code=exc.status_code, media_type="text/plain")

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found, 405: not_found})
    app.add_middleware(SecurityHeaders)
    app.state.store = store
    app.state.live = live
    app.state.teacher_secret = secret
    return app
