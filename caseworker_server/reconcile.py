"""`POST /v1/sync/reconcile`: compare what a client holds with what it should hold (design rule 8)."""

from __future__ import annotations

import json

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseworker_app.sync.protocol import ReconcileRequest, records_digest
from caseworker_server.access import reference_in_scope, visible_case_ids
from caseworker_server.models import Record, User
from caseworker_server.sync_pull import change_json


def reconcile(session: Session, user: User, request: ReconcileRequest) -> str:
    """Missing and stale rows in full, extra rows by reference; JSON text (see ReconcileResponse)."""
    visible = sorted(visible_case_ids(session, user))
    rows = session.execute(
        select(Record.seq, Record.entity, Record.id, Record.case_id, Record.version, Record.fields).where(
            Record.seq > 0, or_(Record.case_id.in_(visible), reference_in_scope(user))
        )
    ).all()
    digest = records_digest((row[1], row[2], row[4]) for row in rows)
    if request.records is None:
        match = request.digest is not None and request.digest.lower() == digest
        return f'{{"match":{"true" if match else "false"},"digest":"{digest}","missing":[],"stale":[],"extra":[]}}'
    held = {(r.entity, r.row_id.lower()): r.version for r in request.records}
    missing: list[str] = []
    stale: list[str] = []
    for row in rows:
        key = (row[1], row[2])
        if key not in held:
            missing.append(change_json(tuple(row)))  # type: ignore[arg-type]
        elif held.pop(key) != row[4]:
            stale.append(change_json(tuple(row)))  # type: ignore[arg-type]
    extra = [f'{{"entity":{json.dumps(entity)},"row_id":{json.dumps(row_id)}}}' for entity, row_id in sorted(held)]
    match = not (missing or stale or extra)
    return (
        f'{{"match":{"true" if match else "false"},"digest":"{digest}","missing":[{",".join(missing)}],'
        f'"stale":[{",".join(stale)}],"extra":[{",".join(extra)}]}}'
    )
