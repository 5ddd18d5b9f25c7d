"""How every request body is read: gzip is decoded here, once, for every endpoint, within one size limit.

The client gzips any body over 2 KB; an endpoint that let FastAPI parse the raw
bytes saw gzip and answered 400. This middleware hands every endpoint plain bytes.
"""

from __future__ import annotations

import zlib

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "The batch is too large; send fewer changes at a time."


class DecodedBodies:
    """Decode `Content-Encoding: gzip` request bodies; refuse other encodings and bodies past `limit`."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"]]
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
            await _refuse(415, "Send the request body plain or gzip-compressed.", scope, receive, send)
            return

        compressed = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client is gone; nobody to answer
            compressed += message.get("body", b"")
            if len(compressed) > self.limit:
                await _refuse(413, TOO_LARGE, scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(bytes(compressed), self.limit + 1)
        except zlib.error:
            await _refuse(400, "The request body is not valid gzip.", scope, receive, send)
            return
        if len(body) > self.limit or inflater.unconsumed_tail:
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
