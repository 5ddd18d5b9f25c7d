"""The FastAPI application: the routers of each area, the protocol check and readable errors."""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from caseworker_app.sync.protocol import PROTOCOL_VERSION, ErrorBody, PushRequest, ReconcileRequest
from caseworker_server.access_log import AccessLog
from caseworker_server.admission import PushGate, SaturationGuard
from caseworker_server.bodies import DecodedBodies
from caseworker_server.bodylimit import BodyLimit
from caseworker_server.bootstrap import init_database
from caseworker_server.config import DATABASE_URL_ENV, Settings, resolve_database_url, settings_from_env
from caseworker_server.db import Database, pool_options
from caseworker_server.retention import ClosedCaseSweep, HoldingsWarnings
from caseworker_server.routes import auth, health, sync
from caseworker_server.web import ProtocolVersionCheck, install_error_handlers

_REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 413, 415, 422, 426, 429, 503)
}


def create_app(
    database_url: str | None = None, *, settings: Settings | None = None, run_migrations: bool = False
) -> FastAPI:
    url = resolve_database_url(database_url)
    if run_migrations:
        init_database(url)
    config = settings or Settings()
    # The API description is public only when asked for (`serve --docs`): it maps the attack surface.
    app = FastAPI(
        title="Caseworker central server",
        version=str(PROTOCOL_VERSION),
        responses=_REFUSALS,
        docs_url="/docs" if config.docs else None,
        redoc_url="/redoc" if config.docs else None,
        openapi_url="/openapi.json" if config.docs else None,
    )
    app.state.db = Database(url, **pool_options(url, config))
    app.state.settings = config
    app.state.gate = PushGate(config)
    app.state.closed_case_sweep = ClosedCaseSweep(config)
    app.state.holdings_warnings = HoldingsWarnings(config.records_per_user_warning)
    # Inner: every endpoint reads plain bytes; outer (BodyLimit, below): the per-path limit,
    # counted on the wire and after gunzip, stops an oversized body before anything buffers it.
    # DecodedBodies also checks the bearer token before it reads a body that needs a signed-in caller.
    app.add_middleware(DecodedBodies, limit=config.max_body_bytes, db=app.state.db, settings=config)
    app.add_middleware(ProtocolVersionCheck)
    app.add_middleware(BodyLimit, settings=config)
    install_error_handlers(app)
    app.add_middleware(SaturationGuard, gate=app.state.gate)
    app.add_middleware(AccessLog)  # outermost: it sees the final status of every request
    for area in (health, auth, sync):
        app.include_router(area.router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, with the push and reconcile bodies (read by hand, after the token) described."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (PushRequest, ReconcileRequest):
            body_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in body_schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components[model.__name__] = body_schema
        app.openapi_schema = schema
    return app.openapi_schema


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (and `caseworker-server serve --workers N`)."""
    return create_app(os.environ.get(DATABASE_URL_ENV), settings=settings_from_env())
