"""`POST /v1/sync/push`: apply a batch of mutations in one transaction, each recorded by mutation id.

The batch is read in one query per table, merged in memory and written with one
statement per table (`push_rows.StagedRows`); a mutation that cannot apply is refused
alone. If the batch still meets a database error, it is applied again one mutation
per savepoint (`push_rows.DirectRows`), so one bad mutation never fails the others.

Each mutation is merged field by field against the base it was made on (see
`caseworker_app.sync.merge`); a field both sides changed keeps the server's value
and becomes a conflict record that syncs to everyone who can see the case.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from caseworker_app.domain.codec import encode
from caseworker_app.sync.merge import Outcome, merge_fields
from caseworker_app.sync.protocol import (
    CONFLICT_ENTITY,
    ENTITY_TYPES,
    IDENTITY_FIELDS,
    ConflictInfo,
    FieldChange,
    Mutation,
    MutationResult,
    MutationStatus,
)
from caseworker_app.sync.server_words import (
    ADDENDUM_ELSEWHERE,
    ASSIGNMENT_FIXED,
    AUTHOR_FIXED,
    BUSY,
    CASE_OWN_ID,
    CONFLICT_NOT_FOUND,
    EMPTY_CHANGE,
    FINAL_NOTE,
    ID_TAKEN,
    IDENTITY_FIXED,
    LATE_NEW_RECORD,
    NO_ACCESS,
    PASSED_ON,
    REASSIGNED,
    RECORD_NOT_ON_SERVER,
)
from caseworker_server.access import visible_case_ids
from caseworker_server.auth import Principal
from caseworker_server.changelog import ChangeSet
from caseworker_server.config import Settings
from caseworker_server.models import AccessEvent, MutationRecord, Record, RecordHistory, aware, utcnow
from caseworker_server.push_rows import DirectRows, Row, RowStore, StagedRows, one_of
from caseworker_server.records import RecordRejected, check_note, field_names, to_record

log = logging.getLogger(__name__)

# Who wrote a record is the signed-in user, decided here; assignment changes only by `case assign`.
AUTHOR_FIELDS = {"note": "author", "visit": "worker", "safety_assessment": "assessor"}
SERVER_ONLY_FIELDS = {"case": frozenset({"assigned_worker"})}
NOT_YOUR_DRAFT = "This draft note belongs to {author}; only they can change it until it is finalized."
# Times the server stamps on a note (received, finalized); the laptop's clock is kept only as its word.
STAMPED_NOTE_FIELDS = frozenset({"written_at", "finalized_at", "recorded_on_laptop_at"})


def _editable(entity: str, m: Mutation, *, new: bool) -> dict[str, FieldChange]:
    """The changes a client may make: a note's times are the server's once it has the note."""
    if entity != "note" or new:
        return dict(m.changes)
    return {name: change for name, change in m.changes.items() if name not in STAMPED_NOTE_FIELDS}


def _note_times(merged: dict[str, Any], server: dict[str, Any], *, new: bool) -> dict[str, Any]:
    """When the server received the note and when it was finalized; the laptop's clock kept as its word."""
    now = utcnow().isoformat()
    if new:
        times = {"written_at": now, "finalized_at": None, "recorded_on_laptop_at": merged.get("written_at")}
    else:
        times = {name: server.get(name) for name in STAMPED_NOTE_FIELDS}
    if merged.get("status") == "final" and server.get("status") != "final":
        times["finalized_at"] = now
    return times


class Pusher:
    """Applies the mutations of one push, in one transaction."""

    def __init__(self, session: Session, principal: Principal, settings: Settings | None = None) -> None:
        self.session = session
        self.settings = settings or Settings()
        self.user = principal.user
        self.device = principal.device
        self.changes = ChangeSet()
        self.visible = visible_case_ids(session, self.user)
        self.done: dict[str, MutationResult] = {}
        self.rows: RowStore = DirectRows(session, self.changes, self.user, self.device.id)
        self.revoked_at: dict[str, datetime | None] = {}

    def push(self, mutations: list[Mutation]) -> list[MutationResult]:
        ids = list({m.mutation_id.lower() for m in mutations})
        prior: dict[str, MutationRecord] = {}
        for start in range(0, len(ids), 500):
            for row in self.session.execute(
                select(MutationRecord).where(one_of(self.session, MutationRecord.mutation_id, ids[start : start + 500]))
            ).scalars():
                prior[row.mutation_id] = row
        visible = set(self.visible)
        try:
            with self.session.begin_nested():
                return self._push_batch(mutations, prior)
        except (IntegrityError, DBAPIError) as exc:
            # Another push wrote the same row or mutation id at the same moment, or one mutation
            # trips the database: apply them one by one, each in its own savepoint.
            log.info("push: the batch met %s; applying its mutations one by one", type(exc).__name__)
        self.visible, self.done, self.changes = visible, {}, ChangeSet()
        self.rows = DirectRows(self.session, self.changes, self.user, self.device.id)
        results = self._each(mutations, prior, self._apply_recorded)
        self.changes.stamp(self.session)
        return results

    def _each(
        self, mutations: list[Mutation], prior: dict[str, MutationRecord], apply: Callable[[Mutation], MutationResult]
    ) -> list[MutationResult]:
        """Results in request order; a mutation id seen twice (in the ledger or this batch) is answered once."""
        results = []
        for mutation in mutations:
            key = mutation.mutation_id.lower()
            if key in self.done:
                results.append(self.done[key])
                continue
            result = self._recorded(prior.get(key), mutation) or apply(mutation)
            self.done[key] = result
            results.append(result)
        return results

    def _push_batch(self, mutations: list[Mutation], prior: dict[str, MutationRecord]) -> list[MutationResult]:
        staged = StagedRows(self.session, self.user, self.device.id)
        self.rows = staged
        keys: set[tuple[str, str]] = set()
        opening: set[str] = set()
        for m in mutations:
            if m.mutation_id.lower() in prior or m.entity not in ENTITY_TYPES:
                continue
            keys.add((m.entity, m.row_id.lower()))
            if m.resolves_conflict:
                keys.add((CONFLICT_ENTITY, m.resolves_conflict.lower()))
            target = m.changes.get("addendum_to")
            if m.entity == "note" and target is not None and isinstance(target.new, str):
                keys.add(("note", target.new.lower()))
            if m.entity == "case" and m.base_version == 0:
                opening.add(m.case_id.lower())
        staged.prefetch(keys, opening)
        results = self._each(mutations, prior, self._apply_staged)
        staged.flush()
        return results

    def _apply_staged(self, mutation: Mutation) -> MutationResult:
        """Merge one mutation in memory; a refusal undoes only what it staged."""
        assert isinstance(self.rows, StagedRows)
        mark = self.rows.mark()
        visible = set(self.visible)
        try:
            result = self._apply(mutation)
        except RecordRejected as exc:
            self.rows.rollback_to(mark)
            self.visible = visible
            result = MutationResult(mutation_id=mutation.mutation_id, status="rejected", reason=str(exc))
        except DBAPIError:
            raise  # the batch goes again, one mutation per savepoint
        except Exception as exc:  # one bad mutation never fails the batch
            self.rows.rollback_to(mark)
            self.visible = visible
            log.error("push: a mutation failed unexpectedly: %s", type(exc).__name__)
            return MutationResult(mutation_id=mutation.mutation_id, status="rejected", reason=BUSY)
        self.rows.record_result(mutation.mutation_id.lower(), result.model_dump_json())
        return result

    def _recorded(self, row: MutationRecord | None, mutation: Mutation) -> MutationResult | None:
        if row is None:
            return None
        if row.user_id != self.user.id:
            return MutationResult(
                mutation_id=mutation.mutation_id,
                status="rejected",
                reason=ID_TAKEN,
            )
        return MutationResult.model_validate_json(row.result)

    def _apply_recorded(self, mutation: Mutation) -> MutationResult:
        for attempt in range(3):
            mark = self.changes.mark()
            visible = set(self.visible)
            try:
                with self.session.begin_nested():
                    result = self._apply(mutation)
                    self._record(mutation, result)
                return result
            except RecordRejected as exc:
                self.changes.rollback_to(mark)
                self.visible = visible
                result = MutationResult(mutation_id=mutation.mutation_id, status="rejected", reason=str(exc))
                with self.session.begin_nested():
                    self._record(mutation, result)
                return result
            except (IntegrityError, DBAPIError) as exc:
                self.changes.rollback_to(mark)
                self.visible = visible
                # Another push wrote the same row or mutation id at the same moment; look again.
                log.info("push: retrying a mutation after %s", type(exc).__name__)
                row = self.session.get(MutationRecord, mutation.mutation_id.lower())
                recorded = self._recorded(row, mutation)
                if recorded is not None:
                    return recorded
                if attempt == 2:
                    break
            except Exception as exc:  # one bad mutation never fails the batch
                self.changes.rollback_to(mark)
                self.visible = visible
                # The type only: messages of database errors can quote case data.
                log.error("push: a mutation failed unexpectedly: %s", type(exc).__name__)
                break
        return MutationResult(mutation_id=mutation.mutation_id, status="rejected", reason=BUSY)

    def _record(self, mutation: Mutation, result: MutationResult) -> None:
        self.rows.record_result(mutation.mutation_id.lower(), result.model_dump_json())

    def _apply(self, m: Mutation) -> MutationResult:
        entity, row_id, case_id = m.entity, m.row_id.lower(), m.case_id.lower()
        if entity not in ENTITY_TYPES:
            raise RecordRejected(f"Unknown kind of record: {entity[:40]}.")
        if not m.changes:
            raise RecordRejected(EMPTY_CHANGE)
        if set(m.changes) & IDENTITY_FIELDS:
            raise RecordRejected(IDENTITY_FIXED)
        unknown = sorted(set(m.changes) - field_names(entity))
        if unknown:
            raise RecordRejected(f"Unknown field for a {entity.replace('_', ' ')}: {unknown[0][:40]}.")
        if entity == "case" and row_id != case_id:
            raise RecordRejected(CASE_OWN_ID)

        record = self.rows.get(entity, row_id, lock=True)
        opening_case = entity == "case" and record is None and m.base_version == 0
        if record is not None and record.case_id != case_id:
            raise RecordRejected(NO_ACCESS)
        if case_id not in self.visible and not opening_case:
            # Access ends at the moment of reassignment: nothing lands in a case the user does not hold now.
            revoked_at = self._revoked_within_grace(case_id)
            if revoked_at is None:
                raise RecordRejected(NO_ACCESS)
            if record is None:
                raise RecordRejected(LATE_NEW_RECORD)
            if not self._made_before(entity, row_id, m.base_version, revoked_at):
                raise RecordRejected(REASSIGNED)
            return self._pass_on(m, entity, row_id, case_id, record)
        if opening_case and (self.user.role == "admin" or self.rows.case_known(case_id)):
            raise RecordRejected(NO_ACCESS)
        if record is None and m.base_version > 0:
            raise RecordRejected(RECORD_NOT_ON_SERVER)

        server: dict[str, Any] = json.loads(record.fields) if record is not None else {}
        if record is not None:
            self._check_authorship(entity, server, m)
        changes = _editable(entity, m, new=record is None)
        merge = merge_fields({k: c.base for k, c in changes.items()}, server, {k: c.new for k, c in changes.items()})
        if (
            record is not None
            and entity == "note"
            and server.get("status") == "final"
            and any(d.outcome is not Outcome.ALREADY_EQUAL for d in merge.decisions)
        ):
            raise RecordRejected(FINAL_NOTE)

        merged = merge.merged(server)
        merged.update(id=row_id, case_id=case_id, version=record.version if record else 0)
        if entity == "note":
            merged.update(_note_times(merged, server, new=record is None))
        if record is None:
            if entity in AUTHOR_FIELDS:
                merged[AUTHOR_FIELDS[entity]] = self.user.username
            if entity == "case":
                merged["assigned_worker"] = self.user.username  # the one who opens a case holds it
        candidate = to_record(entity, merged)
        if record is not None:
            check_note(server, candidate)
        if entity == "note":
            self._check_addendum(merged, case_id)

        if opening_case:
            self.visible.add(case_id)
        if merge.changes_anything or record is None:
            before_version = record.version if record is not None else 0
            record = self.rows.write(
                entity, row_id, case_id, encode(candidate), existing=record, mutation_id=m.mutation_id.lower()
            )
            if opening_case:
                self.rows.open_case(case_id)
                record = self.rows.get(entity, row_id) or record
        else:
            before_version = record.version if record is not None else 0
        assert record is not None

        conflicts = [
            self._conflict(m, entity, row_id, case_id, d.field, d.base, d.new, d.server) for d in merge.conflicts
        ]
        if m.resolves_conflict:
            self._resolve(m, entity, row_id, case_id, json.loads(record.fields))
        status: MutationStatus
        if conflicts:
            status = "conflict"
        elif m.base_version != before_version and before_version > 0:
            status = "merged"
        else:
            status = "applied"
        return MutationResult(
            mutation_id=m.mutation_id,
            status=status,
            version=record.version,
            conflicts=conflicts,
            fields=json.loads(record.fields),
        )

    def _pass_on(self, m: Mutation, entity: str, row_id: str, case_id: str, record: Row | Record) -> MutationResult:
        """A former holder's edit made before the reassignment: kept for the new worker to accept, not applied.

        Each field it would change becomes a conflict record on the case (the new worker
        keeps their value or takes this one). The former holder gets the same answer
        whatever the case now holds: a refusal for lack of access, no fields, no conflicts.
        """
        if m.resolves_conflict:
            raise RecordRejected(REASSIGNED)
        server: dict[str, Any] = json.loads(record.fields)
        self._check_authorship(entity, server, m)
        changes = _editable(entity, m, new=False)
        proposed = {name: change.new for name, change in changes.items()}
        merge = merge_fields({k: c.base for k, c in changes.items()}, server, proposed)
        offered = [d for d in merge.decisions if d.outcome is not Outcome.ALREADY_EQUAL]
        if offered and entity == "note" and server.get("status") == "final":
            raise RecordRejected(FINAL_NOTE)
        # Only values that could land are offered: the record as it would be if the new worker took them all.
        to_record(entity, {**server, **proposed, "id": row_id, "case_id": case_id, "version": record.version})
        for d in offered:
            self._conflict(m, entity, row_id, case_id, d.field, d.base, d.new, d.server)
        return MutationResult(mutation_id=m.mutation_id, status="rejected", reason=PASSED_ON)

    def _revoked_within_grace(self, case_id: str) -> datetime | None:
        """Design rule 7: a laptop pushes the pending edits of a case taken from it before it purges it.

        Only the device that held the case, only until it has pulled past the revocation,
        and only for `reassignment_grace_seconds` after it: a laptop that never syncs
        must not keep writing to a case forever. Returns when the case was taken away.
        """
        if case_id not in self.revoked_at:
            since = utcnow() - timedelta(seconds=self.settings.reassignment_grace_seconds)
            found = self.session.execute(
                select(AccessEvent.at)
                .where(
                    AccessEvent.user_id == self.user.id,
                    AccessEvent.case_id == case_id,
                    AccessEvent.kind == "revoke",
                    AccessEvent.seq > self.device.acked_seq,
                )
                .order_by(AccessEvent.seq.desc())
                .limit(1)
            ).scalar_one_or_none()
            self.revoked_at[case_id] = aware(found) if found is not None and aware(found) >= since else None
        return self.revoked_at[case_id]

    def _made_before(self, entity: str, row_id: str, base_version: int, revoked_at: datetime) -> bool:
        """Whether the version an edit was made on existed before the case was taken away."""
        if base_version <= 0:
            return False
        written = self.session.execute(
            select(RecordHistory.at).where(
                RecordHistory.entity == entity, RecordHistory.row_id == row_id, RecordHistory.version == base_version
            )
        ).scalar_one_or_none()
        return written is not None and aware(written) <= revoked_at

    def _check_authorship(self, entity: str, server: dict[str, Any], m: Mutation) -> None:
        """Authors and assignments are the server's; a draft note is its author's alone."""
        changed = {name for name, change in m.changes.items() if change.new != server.get(name)}
        if AUTHOR_FIELDS.get(entity) in changed:
            raise RecordRejected(AUTHOR_FIXED)
        if changed & SERVER_ONLY_FIELDS.get(entity, frozenset()):
            raise RecordRejected(ASSIGNMENT_FIXED)
        if entity == "note" and server.get("status") != "final" and server.get("author") != self.user.username:
            raise RecordRejected(NOT_YOUR_DRAFT.format(author=server.get("author") or "someone else"))

    def _check_addendum(self, fields: dict[str, Any], case_id: str) -> None:
        target = fields.get("addendum_to")
        if not target:
            return
        other = self.rows.get("note", str(target).lower())
        if other is None or other.case_id != case_id:
            raise RecordRejected(ADDENDUM_ELSEWHERE)

    def _conflict(
        self, m: Mutation, entity: str, row_id: str, case_id: str, name: str, base: Any, local: Any, server: Any
    ) -> ConflictInfo:
        """Keep the losing side of a same-field edit as a record everyone on the case sees.

        Who wrote the server's value, and when, is filled in by the row store from the history.
        """
        conflict_id = str(uuid.uuid4())
        fields = {
            "id": conflict_id,
            "case_id": case_id,
            "entity": entity,
            "row_id": row_id,
            "field": name,
            "base": base,
            "local": local,
            "server": server,
            "local_author": self.user.username,
            "local_device": self.device.name,
            "local_at": utcnow().isoformat(),
            "mutation_id": m.mutation_id.lower(),
            "server_author": "",
            "server_at": None,
            "resolved_at": None,
            "resolution": None,
            "deleted_at": None,
        }
        self.rows.add_conflict(fields, mutation_id=m.mutation_id.lower())
        return ConflictInfo(conflict_id=conflict_id, field=name, local=local, server=server)

    def _resolve(self, m: Mutation, entity: str, row_id: str, case_id: str, current: dict[str, Any]) -> None:
        assert m.resolves_conflict is not None
        conflict = self.rows.get(CONFLICT_ENTITY, m.resolves_conflict.lower(), lock=True)
        fields = json.loads(conflict.fields) if conflict is not None else {}
        if conflict is None or conflict.case_id != case_id or fields.get("row_id") != row_id:
            raise RecordRejected(CONFLICT_NOT_FOUND)
        if fields.get("resolved_at"):
            return
        fields["resolved_at"] = utcnow().isoformat()
        fields["resolution"] = {
            "value": current.get(fields.get("field", "")),
            "by": self.user.username,
            "mutation_id": m.mutation_id.lower(),
        }
        self.rows.write(
            CONFLICT_ENTITY, conflict.id, case_id, fields, existing=conflict, mutation_id=m.mutation_id.lower()
        )
