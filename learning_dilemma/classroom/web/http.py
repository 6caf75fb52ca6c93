"""HTTP plumbing of the classroom app: bounded JSON bodies, one-line errors, security headers.

Every request body is read through :func:`read_json`: it must be
``application/json`` (a form posted from another site cannot send that without
the browser asking first, so a teacher's cookie cannot be used by another page),
at most :data:`MAX_BODY` bytes (counted as they arrive, whatever the
``Content-Length`` says), and a JSON object. Errors are JSON ``{"error": "one
line"}`` with the status the refusal deserves (:class:`HTTPError`).
"""

from __future__ import annotations

import json
import time

from starlette.responses import JSONResponse

__all__ = ["HTTPError", "MAX_BODY", "SECURITY_HEADERS", "SecurityHeaders", "error_response", "one_line", "read_json"]

#: The largest request body any endpoint takes, in bytes (a practice match's moves are the longest).
MAX_BODY = 32 * 1024

#: Headers on every answer: pages and scripts only from this server, no framing, no referrer (the
#: teacher's link carries its secret), no sniffing.
SECURITY_HEADERS = {
    "content-security-policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}


class HTTPError(Exception):
    """A refusal: an HTTP status and a one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = one_line(message)


def one_line(message) -> str:
    """``message`` on one line, at most 300 characters."""
    text = " ".join(str(message).split())
    return text if len(text) <= 300 else text[:297] + "..."


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": one_line(message)}, status_code=status, headers={"cache-control": "no-store"})


async def read_json(request, max_bytes: int = MAX_BODY) -> dict:
    """The request's body as a JSON object, bounded and validated.

    Raises
    ------
    HTTPError
        415 unless the body is ``application/json``; 413 above ``max_bytes``;
        400 for a body that is not a JSON object.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise HTTPError(415, "the request body must be JSON (Content-Type: application/json)")
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > max_bytes:
                raise HTTPError(413, f"the request body is larger than {max_bytes} bytes")
        except ValueError:
            raise HTTPError(400, "Content-Length is not a number") from None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise HTTPError(413, f"the request body is larger than {max_bytes} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise HTTPError(400, "the request body is not valid JSON") from None
    except RecursionError:
        raise HTTPError(400, "the request body is nested too deeply") from None
    if not isinstance(data, dict):
        raise HTTPError(400, "the request body must be a JSON object")
    return data


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every answer (and ``no-store`` to the API's),
    and ``Server-Timing: app;dur=MS``: how long the app took to start answering (what a load test
    can tell apart from the network and its own clients)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope.get("path", "").startswith("/api/")
        started = time.perf_counter()

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                headers.append((b"server-timing", f"app;dur={(time.perf_counter() - started) * 1000:.2f}".encode()))
                present = {k.lower() for k, _ in headers}
                for key, value in SECURITY_HEADERS.items():
                    if key.encode() not in present:
                        headers.append((key.encode(), value.encode()))
                if api and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, sending)
