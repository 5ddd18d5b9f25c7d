"""Who may see which case: assignments (with history), teams, and the grant/revoke events pulls carry."""

from __future__ import annotations

import json

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

from caseworker_app.sync.protocol import TEAM_MEMBER_ENTITY
from caseworker_server.changelog import PENDING_SEQ, ChangeSet
from caseworker_server.errors import NotFound
from caseworker_server.models import AccessEvent, CaseAssignment, Record, User, utcnow


def visible_cases_query(user: User) -> Select[str]:
    """Cases a user may read and write: their own, and for a supervisor their team's.

    Admins manage accounts and devices; they see case data only if a case is assigned to them.
    """
    stmt = (
        select(CaseAssignment.case_id)
        .join(User, User.id == CaseAssignment.user_id)
        .where(CaseAssignment.unassigned_at.is_(None))
    )
    if user.role == "supervisor":
        stmt = stmt.where(or_(User.id == user.id, User.supervisor_id == user.id))
    else:
        stmt = stmt.where(User.id == user.id)
    return stmt


def colleagues_query(user: User) -> Select[str]:
    """Usernames whose team row a user receives: themself, their team, and the people on their cases.

    Team: their supervisor and teammates, or for a supervisor the people they supervise.
    People on their cases: the current holders and those holders' supervisors. Nobody
    else's name (admins included) reaches the laptop.
    """
    holders = select(CaseAssignment.user_id).where(
        CaseAssignment.case_id.in_(visible_cases_query(user).scalar_subquery()),
        CaseAssignment.unassigned_at.is_(None),
    )
    boss = aliased(User)
    holders_bosses = select(boss.supervisor_id).where(boss.id.in_(holders.scalar_subquery()))
    wanted = [
        User.id == user.id,
        User.supervisor_id == user.id,
        User.id.in_(holders.scalar_subquery()),
        User.id.in_(holders_bosses.scalar_subquery()),
    ]
    if user.supervisor_id is not None:
        wanted += [User.id == user.supervisor_id, User.supervisor_id == user.supervisor_id]
    return select(User.username).where(or_(*wanted))


def reference_in_scope(user: User) -> ColumnElement[bool]:
    """Reference rows (no case) a user receives: all schools and services, team rows of colleagues only."""
    return and_(
        Record.case_id.is_(None),
        or_(Record.entity != TEAM_MEMBER_ENTITY, Record.id.in_(colleagues_query(user).scalar_subquery())),
    )


def visible_case_ids(session: Session, user: User) -> set[str]:
    return set(session.execute(visible_cases_query(user)).scalars())


def viewers(session: Session, case_id: str) -> set[int]:
    """Ids of the users who can see a case: its assignee and the assignee's supervisor."""
    rows = session.execute(
        select(User.id, User.supervisor_id)
        .join(CaseAssignment, CaseAssignment.user_id == User.id)
        .where(CaseAssignment.case_id == case_id, CaseAssignment.unassigned_at.is_(None))
    ).all()
    result: set[int] = set()
    for user_id, supervisor_id in rows:
        result.add(user_id)
        if supervisor_id is not None:
            result.add(supervisor_id)
    return result


def _access_events(case_id: str, before: set[int], after: set[int]) -> list[AccessEvent]:
    now = utcnow()
    events = [
        AccessEvent(seq=PENDING_SEQ, user_id=uid, case_id=case_id, kind="grant", at=now)
        for uid in sorted(after - before)
    ]
    events += [
        AccessEvent(seq=PENDING_SEQ, user_id=uid, case_id=case_id, kind="revoke", at=now)
        for uid in sorted(before - after)
    ]
    return events


def _set_assigned_worker(session: Session, changes: ChangeSet, case_id: str, username: str) -> None:
    """Keep the case record's assigned_worker in step, so clients show who holds the case."""
    record = session.get(Record, ("case", case_id))
    if record is None:
        return
    fields = json.loads(record.fields)
    if fields.get("assigned_worker") != username:
        fields["assigned_worker"] = username
        changes.write(session, "case", case_id, case_id, fields, existing=record)


def assign_case(session: Session, changes: ChangeSet, case_id: str, user: User, actor: str) -> None:
    """Assign (or reassign) a case; the old holder's side sees a revocation, the new side a grant."""
    # Locking the case row serializes concurrent assignments of the same case.
    if session.get(Record, ("case", case_id), with_for_update=True) is None:
        raise NotFound(f"No case with id {case_id}.")
    before = viewers(session, case_id)
    now = utcnow()
    for row in session.execute(
        select(CaseAssignment).where(CaseAssignment.case_id == case_id, CaseAssignment.unassigned_at.is_(None))
    ).scalars():
        if row.user_id == user.id:
            return
        row.unassigned_at = now
    session.add(CaseAssignment(case_id=case_id, user_id=user.id, assigned_at=now, assigned_by=actor))
    session.flush()
    events = _access_events(case_id, before, viewers(session, case_id))
    session.add_all(events)
    changes.add_events(events)
    _set_assigned_worker(session, changes, case_id, user.username)


def unassign_case(session: Session, changes: ChangeSet, case_id: str) -> None:
    _take_from_everyone(session, changes, case_id)
    _set_assigned_worker(session, changes, case_id, "")


def retire_case(session: Session, changes: ChangeSet, case_id: str) -> bool:
    """A closed case leaves every laptop (revocations, pulled like any other); the case record keeps
    the worker who held it. False if nobody held it any more (another node retired it first)."""
    return _take_from_everyone(session, changes, case_id)


def _take_from_everyone(session: Session, changes: ChangeSet, case_id: str) -> bool:
    # Locking the case row serializes concurrent assignments of the same case.
    if session.get(Record, ("case", case_id), with_for_update=True) is None:
        raise NotFound(f"No case with id {case_id}.")
    before = viewers(session, case_id)
    now = utcnow()
    ended = False
    for row in session.execute(
        select(CaseAssignment).where(CaseAssignment.case_id == case_id, CaseAssignment.unassigned_at.is_(None))
    ).scalars():
        row.unassigned_at = now
        ended = True
    session.flush()
    events = _access_events(case_id, before, set())
    session.add_all(events)
    changes.add_events(events)
    return ended
