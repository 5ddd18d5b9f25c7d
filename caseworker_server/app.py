"""The FastAPI application: auth, sync push/pull/reconcile, protocol version check, readable errors."""

from __future__ import annotations

import logging
import os
import time
import zlib
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import update
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from caseworker_app.sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    UPDATE_APP_MESSAGE,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
    ReconcileRequest,
    ReconcileResponse,
    RefreshRequest,
    TokenRequest,
    TokenResponse,
    UserInfo,
    WipeConfirmation,
)
from caseworker_server import auth
from caseworker_server.access_log import AccessLog
from caseworker_server.bootstrap import init_database
from caseworker_server.config import Settings, resolve_database_url
from caseworker_server.db import Database
from caseworker_server.errors import Refusal
from caseworker_server.models import Device as DeviceRow
from caseworker_server.models import aware, utcnow
from caseworker_server.reconcile import reconcile
from caseworker_server.sync_pull import pull_page
from caseworker_server.sync_push import Pusher

log = logging.getLogger(__name__)

_REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 413, 415, 422, 426, 429)
}
_EXEMPT = ("/v1/health",)
_bearer = HTTPBearer(auto_error=False, description="The access token from /v1/auth/token.")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


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


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, gunzipped if sent so, refused past `limit` bytes either way."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise Refusal(413, "The batch is too large; send fewer changes at a time.")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Refusal(413, "The batch is too large; send fewer changes at a time.")
            chunks.append(chunk)
    except ClientDisconnect as exc:
        raise Refusal(400, "The request was cut off before it arrived whole; send it again.") from exc
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").lower()
    if encoding == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, limit + 1)
        except zlib.error as exc:
            raise Refusal(400, "The request body is not valid gzip.") from exc
        if len(body) > limit or inflater.unconsumed_tail:
            raise Refusal(413, "The batch is too large; send fewer changes at a time.")
    elif encoding != "identity":
        raise Refusal(415, "Send the request body plain or gzip-compressed.")
    return body


def create_app(
    database_url: str | None = None, *, settings: Settings | None = None, run_migrations: bool = False
) -> FastAPI:
    url = resolve_database_url(database_url)
    if run_migrations:
        init_database(url)
    db = Database(url)
    config = settings or Settings()

    app = FastAPI(title="Caseworker central server", version=str(PROTOCOL_VERSION), responses=_REFUSALS)
    app.state.db = db
    app.state.settings = config
    app.add_middleware(ProtocolVersionCheck)
    app.add_middleware(AccessLog)  # outermost: it sees the final status of every request

    @app.exception_handler(Refusal)
    async def _refusal(_request: Request, exc: Refusal) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": readable(list(exc.errors()))}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "The request was refused."
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _crash(_request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error: %s", type(exc).__name__)
        return JSONResponse({"detail": "The server hit an internal error; try again later."}, status_code=500)

    def token_of(credentials: HTTPAuthorizationCredentials | None) -> str:
        if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
            raise Refusal(401, "Sign in first.", code="invalid_token", headers={"WWW-Authenticate": "Bearer"})
        return credentials.credentials

    def principal(session: Any, raw: str) -> auth.Principal:
        found = auth.authenticate(session, config, raw)
        seen = found.device.last_seen_at
        if seen is None or aware(seen) < utcnow() - timedelta(seconds=config.last_seen_resolution_seconds):
            with db.write() as writer:
                device = writer.get(type(found.device), found.device.id)
                if device is not None:
                    device.last_seen_at = utcnow()
        return found

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "protocol": PROTOCOL_VERSION}

    @app.post("/v1/auth/token", response_model=TokenResponse)
    def token(body: TokenRequest, request: Request) -> TokenResponse:
        refusal: Refusal | None = None
        with db.write() as session:
            try:
                return auth.login(
                    session,
                    config,
                    username=body.username,
                    password=body.password,
                    device_uid=body.device_id,
                    device_name=body.device_name,
                    address=_client_address(request),
                )
            except Refusal as exc:
                refusal = exc  # commit the failure count before refusing
        raise refusal

    @app.post("/v1/auth/refresh", response_model=TokenResponse)
    def refresh(body: RefreshRequest) -> TokenResponse:
        with db.write() as session:
            return auth.refresh(session, config, raw=body.refresh_token, device_uid=body.device_id)

    @app.post("/v1/auth/wipe-confirmed")
    def wipe_confirmed(body: WipeConfirmation) -> dict[str, str]:
        with db.write() as session:
            auth.confirm_wipe(session, raw=body.refresh_token, device_uid=body.device_id)
        return {"status": "wiped"}

    @app.get("/v1/me", response_model=UserInfo)
    def me(credentials: Bearer) -> UserInfo:
        raw = token_of(credentials)
        with db.read() as session:
            user = principal(session, raw).user
            return UserInfo(username=user.username, display_name=user.display_name, role=user.role)

    @app.get("/v1/sync/pull", response_model=PullResponse)
    def pull(
        credentials: Bearer,
        cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
    ) -> Response:
        raw = token_of(credentials)
        started = time.perf_counter()
        with db.snapshot() as session:
            found = principal(session, raw)
            text = pull_page(session, found.user, cursor, limit)
        if cursor > found.device.acked_seq:
            # The device holds everything up to `cursor`, revocations included (see sync_push).
            with db.write() as writer:
                writer.execute(
                    update(DeviceRow)
                    .where(DeviceRow.id == found.device.id, DeviceRow.acked_seq < cursor)
                    .values(acked_seq=cursor)
                )
        spent = (time.perf_counter() - started) * 1000
        # Server time, for benchmarks and operators; says nothing about the content.
        return Response(text, media_type="application/json", headers={"Server-Timing": f"app;dur={spent:.2f}"})

    def _push(raw: str, payload: PushRequest) -> PushResponse:
        with db.write() as session:
            found = principal(session, raw)
            return PushResponse(results=Pusher(session, found).push(payload.mutations))

    @app.post(
        "/v1/sync/push",
        response_model=PushResponse,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}},
            }
        },
    )
    async def push(request: Request, credentials: Bearer) -> PushResponse:
        raw = token_of(credentials)
        await run_in_threadpool(_check_token, raw)
        body = await read_body(request, config.max_push_bytes)
        try:
            payload = PushRequest.model_validate_json(body)
        except PydanticValidationError as exc:
            raise Refusal(422, readable(list(exc.errors()))) from exc
        return await run_in_threadpool(_push, raw, payload)

    def _check_token(raw: str) -> None:
        with db.read() as session:
            principal(session, raw)

    @app.post("/v1/sync/reconcile", response_model=ReconcileResponse)
    def reconcile_endpoint(body: ReconcileRequest, credentials: Bearer) -> Response:
        raw = token_of(credentials)
        if body.digest is None and body.records is None:
            raise Refusal(422, "Send a digest or the list of records you hold.")
        with db.snapshot() as session:
            user = principal(session, raw).user
            text = reconcile(session, user, body)
        return Response(text, media_type="application/json")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            push_schema = PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in push_schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components["PushRequest"] = push_schema
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (and `caseworker-server serve --workers N`)."""
    return create_app(os.environ.get("CASEWORKER_DATABASE_URL"))
