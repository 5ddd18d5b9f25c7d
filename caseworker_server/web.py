"""What every route shares: the protocol check, readable error answers, and the request dependencies."""

from __future__ import annotations

import ipaddress
import logging
import zlib
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from caseworker_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, UPDATE_APP_MESSAGE
from caseworker_app.sync.server_words import (
    BAD_GZIP,
    BATCH_TOO_LARGE,
    CUT_OFF,
    INTERNAL_ERROR,
    PLAIN_OR_GZIP,
    REFUSED,
    SIGN_IN_FIRST,
)
from caseworker_server import auth
from caseworker_server.admission import busy_response, saturated
from caseworker_server.config import Settings
from caseworker_server.db import Database
from caseworker_server.errors import Refusal
from caseworker_server.models import aware, utcnow

log = logging.getLogger(__name__)

_EXEMPT = ("/v1/health",)
_bearer = HTTPBearer(auto_error=False, description="The access token from /v1/auth/token.")


class ProtocolVersionCheck:
    """Every /v1 request must carry a protocol version this server speaks (design rule 9)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.header = PROTOCOL_HEADER.lower().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/") and scope["path"] not in _EXEMPT:
            values = [v for k, v in scope["headers"] if k == self.header]
            if values != [str(PROTOCOL_VERSION).encode()]:
                response = JSONResponse(
                    {"detail": UPDATE_APP_MESSAGE, "code": "update_required", "protocol": PROTOCOL_VERSION},
                    status_code=426,
                    headers={"Upgrade": f"caseworker-protocol/{PROTOCOL_VERSION}"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def readable(errors: list[Any]) -> str:
    """Pydantic's errors as one sentence: where, and what is wrong."""
    parts = []
    for error in errors[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
    return "The request is not valid: " + "; ".join(parts) + "."


def install_error_handlers(app: FastAPI) -> None:
    """Every refusal answers {"detail": "..."}; a crash never shows its insides."""

    @app.exception_handler(Refusal)
    async def _refusal(_request: Request, exc: Refusal) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": readable(list(exc.errors()))}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else REFUSED
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(OperationalError)
    async def _saturated(request: Request, exc: Exception) -> JSONResponse:
        return await _crash(request, exc)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        # A pool or lock wait that ran out is a saturated node, not a fault: 503 and when to retry.
        why = saturated(exc)
        if why is not None:
            return busy_response(request.app.state.gate, why)
        log.error("internal error: %s", type(exc).__name__)
        return JSONResponse({"detail": INTERNAL_ERROR}, status_code=500)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, gunzipped if sent so, refused past `limit` bytes either way."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise Refusal(413, BATCH_TOO_LARGE)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Refusal(413, BATCH_TOO_LARGE)
            chunks.append(chunk)
    except ClientDisconnect as exc:
        raise Refusal(400, CUT_OFF) from exc
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").lower()
    if encoding == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, limit + 1)
        except zlib.error as exc:
            raise Refusal(400, BAD_GZIP) from exc
        if len(body) > limit or inflater.unconsumed_tail:
            raise Refusal(413, BATCH_TOO_LARGE)
    elif encoding != "identity":
        raise Refusal(415, PLAIN_OR_GZIP)
    return body


# -- dependencies -------------------------------------------------------------------------------
# Each is async: none of them waits for anything, and FastAPI runs a plain `def` dependency on a
# worker thread, a hop of its own per dependency per request (four on a pull).


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> Settings:
    return _settings(request)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The raw access token of the request, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Refusal(401, SIGN_IN_FIRST, code="invalid_token", headers={"WWW-Authenticate": "Bearer"})
    return credentials.credentials


def _trusted(address: str, proxies: tuple[str, ...]) -> bool:
    for proxy in proxies:
        try:
            if ipaddress.ip_address(address) in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            if address == proxy:
                return True
    return False


async def client_address(request: Request) -> str:
    """The address sign-in limits count: the peer, or behind a configured proxy the client it names.

    X-Forwarded-For is believed only from `trusted_proxies`, read from the right (the
    nearest hop) past every trusted proxy: the first untrusted hop is the client.
    """
    peer = request.client.host if request.client else "unknown"
    proxies = _settings(request).trusted_proxies
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop[:64]
    return peer


DB = Annotated[Database, Depends(get_db)]
Config = Annotated[Settings, Depends(get_settings)]
AccessToken = Annotated[str, Depends(bearer_token)]
Address = Annotated[str, Depends(client_address)]


def principal(
    db: Database, config: Settings, session: Any, raw: str, *, allow_wipe_pending: bool = False
) -> auth.Principal:
    """The signed-in user and device, checked inside the caller's session; last-seen kept coarse."""
    found = auth.authenticate(session, config, raw, allow_wipe_pending=allow_wipe_pending)
    _keep_last_seen(db, config, found)
    return found


def principal_with(
    db: Database, config: Settings, session: Any, raw: str, lookup: Select[Any], **params: Any
) -> tuple[auth.Principal, tuple[Any, ...]]:
    """As `principal`, with the values `lookup` adds read by the same statement (see auth.authenticate_with)."""
    found, read = auth.authenticate_with(session, config, raw, lookup, params)
    _keep_last_seen(db, config, found)
    return found, read


def _keep_last_seen(db: Database, config: Settings, found: auth.Principal) -> None:
    seen = found.device.last_seen_at
    if seen is None or aware(seen) < utcnow() - timedelta(seconds=config.last_seen_resolution_seconds):
        with db.write() as writer:
            device = writer.get(type(found.device), found.device.id)
            if device is not None:
                device.last_seen_at = utcnow()
