"""One size limit for every request body, small for sign-in, counted on the wire and after gunzip.

The body streams through unbuffered; the count stops a request the moment it passes
the limit, whether the client declared a length, sent chunks, or sent a small gzip
that inflates to gigabytes. Endpoints that decode gzip themselves rely on this count.
"""

from __future__ import annotations

import zlib

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caseworker_app.sync.server_words import REQUEST_TOO_LARGE as TOO_LARGE
from caseworker_server.config import Settings

INFLATE_STEP = 64 * 1024


def body_limit(settings: Settings, path: str) -> int:
    """Bytes allowed for a request to `path`, on the wire and decompressed alike."""
    if path.startswith("/v1/auth/"):
        return settings.max_auth_body_bytes
    return settings.max_body_bytes


class _Counter:
    def __init__(self, limit: int, gzip: bool) -> None:
        self.limit = limit
        self.wire = 0
        self.inflated = 0
        self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None

    def over(self, chunk: bytes) -> bool:
        self.wire += len(chunk)
        if self.wire > self.limit:
            return True
        if self.inflater is None or self.inflater.eof:
            return False
        data = chunk
        try:
            while data:
                # Inflate in small steps: a bomb never makes one large allocation.
                out = self.inflater.decompress(data, INFLATE_STEP)
                self.inflated += len(out)
                if self.inflated > self.limit:
                    return True
                data = self.inflater.unconsumed_tail
        except zlib.error:
            self.inflater = None  # not gzip after all: the endpoint refuses it with its own reason
        return False


class BodyLimit:
    """ASGI middleware: 413 for a body past its limit, without reading the rest."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.settings, scope["path"])
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await JSONResponse({"detail": TOO_LARGE}, status_code=413)(scope, receive, send)
            return
        counter = _Counter(limit, headers.get(b"content-encoding", b"").lower() == b"gzip")
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request" and counter.over(message.get("body", b"")):
                exceeded = True
                return {"type": "http.disconnect"}  # the endpoint stops reading; we answer below
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the endpoint's answer to a cut-off body is replaced by the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not (exceeded and not started):
                raise
        if exceeded and not started:
            await JSONResponse({"detail": TOO_LARGE}, status_code=413)(scope, receive, send)
