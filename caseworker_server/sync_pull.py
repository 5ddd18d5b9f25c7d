"""`GET /v1/sync/pull`: changes after a cursor, in commit order, for the cases the caller may see.

Grants carry the whole bundle of a newly visible case (its records up to the page's
last change number); revocations name cases to purge. The response is assembled as
JSON text around the stored record JSON, so large pulls never re-encode records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from caseworker_server.access import reference_in_scope, visible_cases_query
from caseworker_server.changelog import current_seq
from caseworker_server.models import AccessEvent, Record, SyncCounter, User

_COLUMNS = (Record.seq, Record.entity, Record.id, Record.case_id, Record.version, Record.fields)


@dataclass(frozen=True)
class _Item:
    seq: int
    kind: str  # "change", "grant" or "revoke"
    case_id: str | None
    row: tuple[int, str, str, str | None, int, str] | None = None


def change_json(row: tuple[int, str, str, str | None, int, str]) -> str:
    seq, entity, row_id, case_id, version, fields = row
    return (
        f'{{"seq":{int(seq)},"entity":{json.dumps(entity)},"row_id":{json.dumps(row_id)},'
        f'"case_id":{json.dumps(case_id)},"version":{int(version)},"fields":{fields}}}'
    )


@dataclass(frozen=True)
class _Scope:
    """The statements that say what a user may pull, built once per (user, role, supervisor)."""

    visible: Select[str]
    in_scope: ColumnElement[bool]
    references: ColumnElement[bool]


@lru_cache(maxsize=1024)
def _scope(user_id: int, role: str, supervisor_id: int | None) -> _Scope:
    # Building these expression trees costs more than running them; they depend on these three only
    # (see access.py), so a change of role or supervisor is a new key, never a stale entry.
    who = User(id=user_id, role=role, supervisor_id=supervisor_id)  # transient: never added to a session
    visible = visible_cases_query(who)
    references = reference_in_scope(who)
    return _Scope(visible, or_(Record.case_id.in_(visible.scalar_subquery()), references), references)


_Row = tuple[int, str, str, str | None, int, str]


def newest_change() -> ColumnElement[int]:
    """The newest change number, as a value the token check reads in the same statement."""
    return select(SyncCounter.value).where(SyncCounter.id == 1).scalar_subquery()


def access_changed_after() -> ColumnElement[bool]:
    """Whether the token's user has grants or revocations after the parameter `cursor` (read with the
    token check).

    Only a hint where the pull goes: a stream with them is read in a snapshot (`pull_page`)
    straight away instead of trying `quick_page` first, which checks for itself anyway.
    """
    return exists().where(AccessEvent.user_id == User.id, AccessEvent.seq > bindparam("cursor"))


def _events_and_changes(
    session: Session, user_id: int, in_scope: ColumnElement[bool], cursor: int, limit: int
) -> tuple[list[tuple[int, str, str]], list[_Row]]:
    """The caller's access events and the changes in scope after `cursor`, `limit` + 1 of each at most,
    both in one round trip (UNION ALL; the first column says which is which)."""
    changes = (
        select(literal(0, Integer).label("src"), *_COLUMNS)
        .where(Record.seq > cursor, in_scope)
        .order_by(Record.seq)
        .limit(limit + 1)
        .subquery()
    )
    events = (
        select(
            literal(1, Integer).label("src"),
            AccessEvent.seq,
            AccessEvent.kind.label("entity"),
            cast(null(), String).label("id"),
            AccessEvent.case_id,
            cast(null(), Integer).label("version"),
            cast(null(), Text).label("fields"),
        )
        .where(AccessEvent.user_id == user_id, AccessEvent.seq > cursor)
        .order_by(AccessEvent.seq)
        .limit(limit + 1)
        .subquery()
    )
    rows = session.connection().execute(union_all(select(changes), select(events))).all()
    # A union keeps no order of its own: each part is sorted here.
    change_rows: list[_Row] = [tuple(row[1:]) for row in rows if row[0] == 0]
    event_rows: list[tuple[int, str, str]] = [(row[1], row[4], row[2]) for row in rows if row[0] == 1]
    change_rows.sort(key=lambda r: r[0])
    event_rows.sort(key=lambda r: r[0])
    return event_rows, change_rows


def pull_page(session: Session, user: User, cursor: int, limit: int, top: int | None = None) -> str:
    """One page of the caller's change stream after `cursor`, as JSON text (see PullResponse).

    `top`: the newest change number, if the caller read it already in this session's snapshot.
    """
    conn = session.connection()  # Core statements: no ORM bookkeeping on the hot path
    if top is None:
        top = current_seq(session)
    if top <= cursor:
        return _page([], [], [], False, max(cursor, top))
    # This stream carries grants or revocations (else quick_page answered): the events first, then
    # the changes without the cases whose bundles come with their grants.
    events: list[tuple[int, str, str]] = [
        (seq, case_id, kind)
        for seq, case_id, kind in conn.execute(
            select(AccessEvent.seq, AccessEvent.case_id, AccessEvent.kind)
            .where(AccessEvent.user_id == user.id, AccessEvent.seq > cursor)
            .order_by(AccessEvent.seq)
            .limit(limit + 1)
        )
    ]
    scope = _scope(user.id, user.role, user.supervisor_id)
    visible: set[str] = set(conn.execute(scope.visible).scalars()) if events else set()
    pending_grants = {case_id for _, case_id, kind in events if kind == "grant" and case_id in visible}
    in_scope = scope.in_scope
    if pending_grants:
        # The cases still to change by change: those visible, less those whose bundles come whole,
        # named here so the database looks them up by case. Excluding the granted cases from "all
        # visible cases" instead read every record after the cursor, everyone's: on a first sync the
        # whole table, 250 ms a page with 300 laptops' caseloads and growing with each one.
        others = sorted(visible - pending_grants)
        in_scope = or_(Record.case_id.in_(others), scope.references) if others else scope.references
    changes: list[_Row] = [
        tuple(row)  # type: ignore[misc]
        for row in conn.execute(
            select(*_COLUMNS).where(Record.seq > cursor, in_scope).order_by(Record.seq).limit(limit + 1)
        )
    ]
    return _assemble(session, cursor, limit, top, events, changes, visible, pending_grants)


def quick_page(session: Session, user: User, cursor: int, limit: int, top: int) -> str | None:
    """The page, if the caller's stream after `cursor` holds changes only (no access event); else None.

    For sessions where every statement is its own snapshot (no transaction): the changes come
    from one statement, and `top`, read by an earlier one, is no newer than that statement's
    view. Every number up to `top` committed before it was read (rule 6), so whatever the page
    vouches for up to `top` was there to be fetched. A stream with grants or revocations needs
    several statements to agree: the caller falls back to `pull_page` in a snapshot.
    """
    if top <= cursor:
        return _page([], [], [], False, max(cursor, top))
    events, changes = _events_and_changes(
        session, user.id, _scope(user.id, user.role, user.supervisor_id).in_scope, cursor, limit
    )
    if events:
        return None
    return _assemble(session, cursor, limit, top, [], changes, set(), set())


def _assemble(
    session: Session,
    cursor: int,
    limit: int,
    top: int,
    events: list[tuple[int, str, str]],
    changes: list[_Row],
    visible: set[str],
    pending_grants: set[str],
) -> str:
    cap: int | None = None  # everything at or below cap is known from the rows fetched
    if len(events) > limit:
        cap = events[-1][0]
    if len(changes) > limit:
        cap = changes[-1][0] if cap is None else min(cap, changes[-1][0])

    sizes: dict[str, int] = {}
    if pending_grants:
        sizes = dict(
            session.execute(  # type: ignore[arg-type]
                select(Record.case_id, func.count())
                .where(Record.case_id.in_(sorted(pending_grants)))
                .group_by(Record.case_id)
            ).all()
        )

    items = [_Item(seq, kind, case_id) for seq, case_id, kind in events]
    items += [_Item(row[0], "change", row[3], tuple(row)) for row in changes]  # type: ignore[arg-type]
    items.sort(key=lambda item: item.seq)

    budget = 0
    upto = cursor
    consumed = 0
    grants: dict[str, int] = {}
    revocations: set[str] = set()
    out_changes: list[str] = []
    for item in items:
        if (cap is not None and item.seq > cap) or budget >= limit:
            break
        consumed += 1
        upto = item.seq
        case_id = item.case_id or ""
        if item.kind == "change":
            assert item.row is not None
            out_changes.append(change_json(item.row))
            budget += 1
        elif item.kind == "grant" and case_id in visible:
            grants[case_id] = item.seq
            revocations.discard(case_id)
            budget += sizes.get(case_id, 0) + 1
        elif item.kind == "revoke" and case_id not in visible:
            grants.pop(case_id, None)
            revocations.add(case_id)
            budget += 1
    remaining = any(cap is None or item.seq <= cap for item in items[consumed:])
    has_more = remaining or cap is not None
    if not remaining and cap is not None:
        upto = max(upto, cap)
    if not has_more:
        # Everything committed up to `top` has been seen in this snapshot.
        upto = max(upto, top)
    next_cursor = upto

    grant_parts: list[str] = []
    if grants:
        bundles: dict[str, list[str]] = {case_id: [] for case_id in grants}
        for row in session.execute(
            select(*_COLUMNS)
            .where(Record.case_id.in_(sorted(grants)), Record.seq > 0, Record.seq <= upto)
            .order_by(Record.seq)
        ):
            bundles[row[3] or ""].append(change_json(tuple(row)))  # type: ignore[arg-type]
        grant_parts = [
            f'{{"case_id":{json.dumps(case_id)},"records":[{",".join(bundles[case_id])}]}}'
            for case_id in sorted(grants, key=grants.__getitem__)
        ]
    # A client starting from nothing holds nothing to purge.
    revoked = sorted(revocations) if cursor > 0 else []
    return _page(out_changes, grant_parts, revoked, has_more, next_cursor)


def _page(changes: list[str], grants: list[str], revoked: list[str], has_more: bool, next_cursor: int) -> str:
    return (
        f'{{"changes":[{",".join(changes)}],"grants":[{",".join(grants)}],'
        f'"revocations":{json.dumps(revoked)},"has_more":{json.dumps(has_more)},"next_cursor":{int(next_cursor)}}}'
    )
