"""How every request body is read: the caller is authenticated first, then gzip is decoded here, once,
for every endpoint, within one size limit.

The client gzips any body over 2 KB; an endpoint that let FastAPI parse the raw
bytes saw gzip and answered 400. This middleware hands every endpoint plain bytes.
A body sent to an endpoint that needs a signed-in caller is not read at all until
the bearer token in the headers has been checked: strangers cost no inflating or parsing.
"""

from __future__ import annotations

import zlib

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caseworker_app.sync.server_words import BAD_GZIP, PLAIN_OR_GZIP, SIGN_IN_FIRST
from caseworker_app.sync.server_words import BATCH_TOO_LARGE as TOO_LARGE
from caseworker_server import auth
from caseworker_server.config import Settings
from caseworker_server.db import Database
from caseworker_server.errors import Refusal

# Endpoints that read a body from callers not signed in yet; every other body waits for a valid token.
PUBLIC_PREFIXES = ("/v1/auth/", "/v1/health")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Inflate in steps this big, so a bomb never makes one large allocation.
INFLATE_STEP = 64 * 1024


class DecodedBodies:
    """Decode `Content-Encoding: gzip` request bodies; refuse other encodings and bodies past `limit`."""

    def __init__(self, app: ASGIApp, limit: int, db: Database, settings: Settings) -> None:
        self.app = app
        self.limit = limit
        self.db = db
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"]]
        if scope["method"] in BODY_METHODS and not scope["path"].startswith(PUBLIC_PREFIXES):
            refusal = await run_in_threadpool(self._stranger, headers)
            if refusal is not None:
                await JSONResponse(refusal.body(), status_code=refusal.status, headers=refusal.headers)(
                    scope, receive, send
                )
                return
        encoding = next((v for k, v in headers if k == b"content-encoding"), b"identity").decode("latin-1")
        encoding = encoding.strip().lower()
        declared = next((v for k, v in headers if k == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _refuse(413, TOO_LARGE, scope, receive, send)
            return
        if encoding in ("", "identity"):
            await self._counted(scope, receive, send)
            return
        if encoding != "gzip":
            await _refuse(415, PLAIN_OR_GZIP, scope, receive, send)
            return

        # Inflate as the chunks arrive, in bounded steps, stopping the moment the limit is passed.
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        inflated = bytearray()
        wire = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client is gone; nobody to answer
            data = message.get("body", b"")
            wire += len(data)
            try:
                while data and not inflater.eof:
                    inflated += inflater.decompress(data, INFLATE_STEP)
                    data = inflater.unconsumed_tail
                    if len(inflated) > self.limit:
                        break
            except zlib.error:
                await _refuse(400, BAD_GZIP, scope, receive, send)
                return
            if wire > self.limit or len(inflated) > self.limit:
                await _refuse(413, TOO_LARGE, scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = bytes(inflated + inflater.flush())
        if len(body) > self.limit:
            await _refuse(413, TOO_LARGE, scope, receive, send)
            return

        plain = [(k, v) for k, v in headers if k not in (b"content-encoding", b"content-length")]
        plain.append((b"content-length", str(len(body)).encode()))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app({**scope, "headers": plain}, replay, send)

    def _stranger(self, headers: list[tuple[bytes, bytes]]) -> Refusal | None:
        """The refusal for a caller whose bearer token is missing or no longer valid, from headers alone.

        Lenient about a device marked for wipe (it may still deliver its work); the endpoint
        applies its own, exact check once it has the body.
        """
        value = next((v for k, v in headers if k == b"authorization"), b"").decode("latin-1")
        scheme, _, raw = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return Refusal(401, SIGN_IN_FIRST, code="invalid_token", headers={"WWW-Authenticate": "Bearer"})
        try:
            with self.db.statements() as session:  # one statement: no transaction around it
                auth.authenticate(session, self.settings, raw.strip(), allow_wipe_pending=True)
        except Refusal as refusal:
            return refusal
        return None

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A body sent in chunks declares no length: count it as it arrives, and past the limit
        answer 413 here and tell the app the client left (it then answers nothing more)."""
        seen = 0
        refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                refused = True
                await JSONResponse({"detail": TOO_LARGE}, status_code=413)(scope, receive, send)
                return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, guarded)


async def _refuse(status: int, detail: str, scope: Scope, receive: Receive, send: Send) -> None:
    await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
