"""Sync: push (mutations up), pull (changes down by cursor), reconcile (integrity check)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import update

from caseworker_app.sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    PullResponse,
    PushRequest,
    PushResponse,
    ReconcileRequest,
    ReconcileResponse,
)
from caseworker_app.sync.server_words import DIGEST_OR_LIST
from caseworker_server.admission import PushGate
from caseworker_server.auth import lookup_with, wipe_pending
from caseworker_server.config import Settings
from caseworker_server.db import Database
from caseworker_server.errors import Refusal
from caseworker_server.last_push import last_push
from caseworker_server.models import Device as DeviceRow
from caseworker_server.reconcile import reconcile
from caseworker_server.retention import ClosedCaseSweep, HoldingsWarnings
from caseworker_server.sync_pull import access_changed_after, newest_change, pull_page, quick_page
from caseworker_server.sync_push import Pusher
from caseworker_server.web import DB, AccessToken, Config, principal, principal_with, read_body, readable

router = APIRouter(tags=["sync"])

# The pull's token checks, with what each reads in the same statement (built once: see auth.lookup_with).
_QUICK_LOOKUP = lookup_with(newest_change(), access_changed_after())
_SNAPSHOT_LOOKUP = lookup_with(newest_change())


@router.get("/v1/sync/pull", response_model=PullResponse)
def pull(
    request: Request,
    raw: AccessToken,
    db: DB,
    config: Config,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> Response:
    started = time.perf_counter()
    # Closed cases past their days leave laptops as revocations of this very pull (at most hourly).
    sweep: ClosedCaseSweep = request.app.state.closed_case_sweep
    if sweep.is_due():
        with db.read() as session:
            principal(db, config, session, raw)  # only a signed-in caller sets the sweep off
        sweep.run_if_due(db)
    # Most pulls carry changes only, or nothing: two statements, no transaction (see quick_page).
    with db.statements() as session:
        found, (top, access_changed) = principal_with(db, config, session, raw, _QUICK_LOOKUP, cursor=cursor)
        text = None if access_changed else quick_page(session, found.user, cursor, limit, int(top))
    if text is None:  # access changed after the cursor: grants and revocations read in one snapshot
        with db.snapshot() as session:
            found, (top,) = principal_with(db, config, session, raw, _SNAPSHOT_LOOKUP)
            text = pull_page(session, found.user, cursor, limit, int(top))
            if '"grants":[]' not in text:  # cases handed over: say so in the log if the laptop holds too much
                warnings: HoldingsWarnings = request.app.state.holdings_warnings
                warnings.check(session, found.user)
    if cursor > found.device.acked_seq:
        # The device holds everything up to `cursor`, revocations included (see sync_push).
        with db.single_write() as writer:
            writer.execute(
                update(DeviceRow)
                .where(DeviceRow.id == found.device.id, DeviceRow.acked_seq < cursor)
                .values(acked_seq=cursor)
            )
    spent = (time.perf_counter() - started) * 1000
    # Server time, for benchmarks and operators; says nothing about the content.
    return Response(text, media_type="application/json", headers={"Server-Timing": f"app;dur={spent:.2f}"})


def _parse_push(body: bytes) -> PushRequest:
    try:
        return PushRequest.model_validate_json(body)
    except PydanticValidationError as exc:
        raise Refusal(422, readable(list(exc.errors()))) from exc


def _push(gate: PushGate, db: Database, config: Settings, raw: str, body: bytes) -> PushResponse:
    # Past the node's push limit the caller is told when to come back (503 + Retry-After), before
    # any work: a push turned away applied nothing. Parsing counts too, a large batch is real work.
    with gate.admit():
        return _apply_push(db, config, raw, body)


def _apply_push(db: Database, config: Settings, raw: str, body: bytes) -> PushResponse:
    payload = _parse_push(body)  # parsed in a worker thread: a large batch never stalls the event loop
    with db.write() as session:
        # A device ordered wiped may finish a push under way, within limits (see auth.may_send_last_push).
        found = principal(db, config, session, raw, allow_wipe_pending=True)
        pusher = Pusher(session, found, config)
        if wipe_pending(found.device):
            return PushResponse(results=last_push(pusher, payload.mutations))
        return PushResponse(results=pusher.push(payload.mutations))


@router.post(
    "/v1/sync/push",
    response_model=PushResponse,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}},
        }
    },
)
async def push(request: Request, raw: AccessToken, db: DB, config: Config) -> PushResponse:
    # DecodedBodies checked the token before any of the body was read: strangers cost nothing here.
    body = await read_body(request, config.max_body_bytes)  # BodyLimit enforces it first
    return await run_in_threadpool(_push, request.app.state.gate, db, config, raw, body)


def _reconcile(db: Database, config: Settings, raw: str, body: bytes) -> str:
    try:
        payload = ReconcileRequest.model_validate_json(body)
    except PydanticValidationError as exc:
        raise Refusal(422, readable(list(exc.errors()))) from exc
    if payload.digest is None and payload.records is None:
        raise Refusal(422, DIGEST_OR_LIST)
    with db.snapshot() as session:
        user = principal(db, config, session, raw).user
        return reconcile(session, user, payload)


@router.post(
    "/v1/sync/reconcile",
    response_model=ReconcileResponse,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReconcileRequest"}}},
        }
    },
)
async def reconcile_endpoint(request: Request, raw: AccessToken, db: DB, config: Config) -> Response:
    # As for push: the token was checked first (DecodedBodies); the body is parsed in a worker thread.
    body = await read_body(request, config.max_body_bytes)
    text = await run_in_threadpool(_reconcile, db, config, raw, body)
    return Response(text, media_type="application/json")
