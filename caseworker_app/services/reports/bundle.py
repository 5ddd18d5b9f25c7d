"""The records a report is made from, gathered from any record source.

Renderers take these plain bundles, so they work without a database; the
builders read them through `RecordSource`, which the store's repository (or a
test's in-memory class) implements.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol, TypeVar

from caseworker_app.domain.clock import local_date
from caseworker_app.domain.entities import (
    AttendanceRecord,
    Case,
    Note,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    School,
    Task,
    Visit,
)
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.domain.vocabulary import ReferralStatus, TaskStatus
from caseworker_app.i18n import N_
from caseworker_app.resources import resource
from caseworker_app.services.reports.errors import ExportError
from caseworker_app.services.staff import StaffMember

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_LOGO = resource("images", "agency-logo.png")
DEFAULT_CONFIDENTIALITY = N_(
    "CONFIDENTIAL: contains information about children and families protected by law. "
    "Do not copy or redisclose without authorization."
)  # printed in the document's language; an agency's own wording prints as written
_CLOSED_REFERRAL = (ReferralStatus.COMPLETED, ReferralStatus.DECLINED)


class RecordSource(Protocol):
    """What the builders need from a store."""

    def get(self, cls: type[T], record_id: str) -> T:
        """The record, or a CaseworkerError subclass when missing or not allowed."""
        ...

    def for_case(self, cls: type[T], case_id: str) -> list[T]:
        """Non-deleted records of that type in the case."""
        ...


@dataclass(frozen=True)
class AgencyBranding:
    """Agency name and logo from configuration; no logo configured means the shipped one."""

    name: str
    logo_path: Path | None = None
    confidentiality: str = DEFAULT_CONFIDENTIALITY

    def logo(self) -> Path | None:
        """The logo file to draw: the configured one if readable, else the default."""
        if self.logo_path is not None:
            if self.logo_path.is_file():
                return self.logo_path
            log.warning("Configured agency logo is not readable; using the default logo")
        return DEFAULT_LOGO if DEFAULT_LOGO.is_file() else None


@dataclass
class NoteThread:
    """A note with its addenda, oldest addendum first."""

    note: Note
    addenda: list[Note] = field(default_factory=list)

    @property
    def is_final(self) -> bool:
        return self.note.is_final and all(a.is_final for a in self.addenda)


@dataclass
class ContactRecord:
    """A contact and its narrative, if one was written."""

    visit: Visit
    thread: NoteThread | None = None


@dataclass
class VisitSummaryData:
    agency: AgencyBranding
    case: Case
    schools: dict[str, str]  # school id -> name
    people: list[Person]
    visit: Visit
    note: Note | None
    addenda: list[Note]
    assessment: SafetyAssessment | None
    safety_plan: SafetyPlan | None
    referrals: list[Referral]
    tasks: list[Task]
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    worker_name: str = ""  # the worker's full name, when known
    worker_title: str = ""
    staff: Mapping[str, StaffMember] = field(default_factory=dict)  # user name -> full name and title

    @property
    def is_draft(self) -> bool:
        """No finalized note yet, or a draft addendum: the summary is not the record."""
        if self.note is None or not self.note.is_final:
            return True
        return any(not a.is_final for a in self.addenda)


@dataclass
class CaseHistoryData:
    agency: AgencyBranding
    case: Case
    schools: dict[str, str]
    people: list[Person]
    start: date
    end: date
    contacts: list[ContactRecord]
    case_notes: list[NoteThread]  # notes not tied to a contact, written in the range
    assessments: list[SafetyAssessment]
    safety_plans: list[SafetyPlan]
    referrals: list[Referral]
    attendance: list[AttendanceRecord]
    tasks: list[Task]  # open tasks
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    staff: Mapping[str, StaffMember] = field(default_factory=dict)  # user name -> full name and title


def _live(records: list[T]) -> list[T]:
    return [r for r in records if getattr(r, "deleted_at", None) is None]


def _school_names(source: RecordSource, case: Case, people: list[Person]) -> dict[str, str]:
    ids = {case.school_id} | {p.school_id for p in people}
    names: dict[str, str] = {}
    for school_id in sorted(i for i in ids if i):
        try:
            names[school_id] = source.get(School, school_id).name
        except CaseworkerError:
            log.info("School reference data missing; printing without the school name")
    return names


def _threads(notes: list[Note]) -> tuple[list[Note], dict[str, list[Note]]]:
    """Main notes (not addenda) and addenda by the note they amend, in written order."""
    notes = sorted(_live(notes), key=lambda n: n.written_at)
    mains = [n for n in notes if n.addendum_to is None]
    addenda: dict[str, list[Note]] = {}
    for note in notes:
        if note.addendum_to is not None:
            addenda.setdefault(note.addendum_to, []).append(note)
    return mains, addenda


def _case_and_people(source: RecordSource, case_id: str) -> tuple[Case, list[Person]]:
    case = source.get(Case, case_id)
    if case.deleted_at is not None:
        raise ExportError(f"Case {case.reference} was deleted; there is nothing to report.")
    return case, _live(source.for_case(Person, case_id))


def visit_summary_data(
    source: RecordSource, visit_id: str, agency: AgencyBranding, staff: Mapping[str, StaffMember] | None = None
) -> VisitSummaryData:
    """Everything a visit summary shows, read through `source`; `staff` turns user names into full names."""
    visit = source.get(Visit, visit_id)
    if visit.deleted_at is not None:
        raise ExportError(f"Visit {visit_id} was deleted; there is no summary to print.")
    case, people = _case_and_people(source, visit.case_id)
    day = local_date(visit.occurred_at)

    mains, addenda = _threads(source.for_case(Note, case.id))
    note = next((n for n in mains if n.visit_id == visit.id), None)

    assessments = sorted(_live(source.for_case(SafetyAssessment, case.id)), key=lambda a: a.assessed_on)
    assessment = next((a for a in assessments if a.visit_id == visit.id), None) or next(
        (a for a in assessments if a.assessed_on == day), None
    )
    plans = sorted(_live(source.for_case(SafetyPlan, case.id)), key=lambda p: p.starts_on)
    plan = next(
        (p for p in plans if assessment is not None and p.assessment_id == assessment.id), None
    ) or next((p for p in plans if p.starts_on == day), None)

    referrals = sorted(
        (r for r in _live(source.for_case(Referral, case.id)) if r.referred_on == day),
        key=lambda r: r.service.value,
    )
    # Tasks carry no creation date: the follow-ups are the case's open tasks due from the visit on.
    tasks = sorted(
        (
            t
            for t in _live(source.for_case(Task, case.id))
            if t.status is TaskStatus.OPEN and t.due_on >= day
        ),
        key=lambda t: (t.due_on, t.title),
    )
    worker = visit.worker or (note.author if note else "")
    known = (staff or {}).get(worker)
    return VisitSummaryData(
        agency=agency,
        case=case,
        schools=_school_names(source, case, people),
        people=people,
        visit=visit,
        note=note,
        addenda=addenda.get(note.id, []) if note else [],
        assessment=assessment,
        safety_plan=plan,
        referrals=referrals,
        tasks=tasks,
        worker_name=known.name if known else "",
        worker_title=known.title if known else "",
        staff=dict(staff or {}),
    )


_PERIOD = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def period_overlaps(period: str, start: date, end: date) -> bool:
    """Whether an attendance period ("2025-03", "2025-03-01") falls in the range; unknown forms do."""
    match = _PERIOD.match(period.strip())
    if not match:
        return True
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return True
    if match[3]:
        try:
            day = date(year, month, int(match[3]))
        except ValueError:
            return True
        return start <= day <= end
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1)  # first day of next month
    return first <= end and last > start


def case_history_data(
    source: RecordSource,
    case_id: str,
    start: date,
    end: date,
    agency: AgencyBranding,
    staff: Mapping[str, StaffMember] | None = None,
) -> CaseHistoryData:
    """Everything a case history shows for the days start..end (inclusive); `staff` as for a visit summary."""
    if start > end:
        raise ExportError(f"The start date {start.isoformat()} is after the end date {end.isoformat()}.")
    case, people = _case_and_people(source, case_id)

    def in_range(day: date) -> bool:
        return start <= day <= end

    mains, addenda = _threads(source.for_case(Note, case.id))
    by_visit: dict[str, NoteThread] = {}
    case_notes: list[NoteThread] = []
    for note in mains:
        thread = NoteThread(note, addenda.get(note.id, []))
        if note.visit_id is not None:
            by_visit.setdefault(note.visit_id, thread)
        elif in_range(local_date(note.written_at)):
            case_notes.append(thread)
    visits = sorted(
        (v for v in _live(source.for_case(Visit, case.id)) if in_range(local_date(v.occurred_at))),
        key=lambda v: v.occurred_at,
    )
    contacts = [ContactRecord(v, by_visit.get(v.id)) for v in visits]

    assessments = sorted(
        (a for a in _live(source.for_case(SafetyAssessment, case.id)) if in_range(a.assessed_on)),
        key=lambda a: a.assessed_on,
    )
    # Plans made in the range, and earlier plans still in force during it.
    plans = sorted(
        (
            p
            for p in _live(source.for_case(SafetyPlan, case.id))
            if p.starts_on <= end and (p.starts_on >= start or p.active)
        ),
        key=lambda p: p.starts_on,
    )
    # Referrals made in the range, and earlier ones still open or whose status moved in it.
    referrals = sorted(
        (
            r
            for r in _live(source.for_case(Referral, case.id))
            if r.referred_on <= end
            and (
                r.referred_on >= start
                or r.status not in _CLOSED_REFERRAL
                or (r.status_on is not None and r.status_on >= start)
            )
        ),
        key=lambda r: (r.referred_on, r.service.value),
    )
    attendance = sorted(
        (
            a
            for a in _live(source.for_case(AttendanceRecord, case.id))
            if period_overlaps(a.period, start, end)
        ),
        key=lambda a: (a.child_id, a.period),
    )
    tasks = sorted(
        (t for t in _live(source.for_case(Task, case.id)) if t.status is TaskStatus.OPEN),
        key=lambda t: (t.due_on, t.title),
    )
    return CaseHistoryData(
        agency=agency,
        case=case,
        schools=_school_names(source, case, people),
        people=people,
        start=start,
        end=end,
        contacts=contacts,
        case_notes=case_notes,
        assessments=assessments,
        safety_plans=plans,
        referrals=referrals,
        attendance=attendance,
        tasks=tasks,
        staff=dict(staff or {}),
    )
