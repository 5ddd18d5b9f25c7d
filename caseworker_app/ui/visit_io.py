"""What the visit form reads and writes, without Qt: load a visit with its note, turn the form into changes.

The writes are the visit use cases (services/visits.py); this module only says which
fields the person changed since the snapshot the form loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from caseworker_app.domain import codec
from caseworker_app.domain.clock import from_local, to_local
from caseworker_app.domain.entities import Case, Note, Person, Visit
from caseworker_app.services import visits
from caseworker_app.services.visits import SavedDraft, VisitDraft
from caseworker_app.store.errors import RecordNotFound
from caseworker_app.store.local_store import LocalStore


@dataclass
class LoadedVisit:
    draft: VisitDraft
    people: list[Person]
    family_name: str
    addenda: list[Note] = field(default_factory=list)


@dataclass(frozen=True)
class VisitValues:
    """The form's fields as the person left them."""

    contact_type: str
    status: str
    occurred_at: datetime  # as typed: wall-clock time on this computer
    location: str
    participants: list[str]
    children: list[tuple[str, str, str]]  # (person id, outcome, note): see ChildSeen.outcome; "" not yet
    purpose: str
    observations: str
    narrative: str


def load_visit(store: LocalStore, visit_id: str) -> LoadedVisit:
    draft = visits.load_draft(store, visit_id)
    return _loaded(store, draft)


def start_visit(store: LocalStore, case_id: str) -> LoadedVisit:
    """A new visit's form: nothing is stored until its first real edit."""
    return _loaded(store, visits.new_draft(store, case_id))


def _loaded(store: LocalStore, draft: VisitDraft) -> LoadedVisit:
    case_id = draft.visit.case_id
    notes = store.repo.for_case(Note, case_id)
    note_id = draft.note.id if draft.note is not None else None
    addenda = sorted((n for n in notes if note_id and n.addendum_to == note_id), key=lambda n: n.written_at)
    case = store.repo.get(Case, case_id)
    people = sorted(store.repo.for_case(Person, case_id), key=lambda p: (p.role, p.first_name))
    return LoadedVisit(draft, people, case.family_name, addenda)


def local_moment(visit: Visit) -> datetime:
    """The contact time on this computer's clock."""
    return to_local(visit.occurred_at)


def zone_on(wall_clock: datetime) -> str:
    """The zone in force here at that wall-clock time (a July date in Chicago is CDT, a January one CST)."""
    here = wall_clock.replace(tzinfo=None).astimezone()
    # the abbreviation as the clock shows it in either language; the offset as digits, e.g. "-05:00"
    offset = here.strftime("%z")
    return f"{here.strftime('%Z')} (UTC{offset[:3]}:{offset[3:]})"


def child_record(person_id: str, outcome: str, note: str) -> dict[str, Any]:
    """A child's outcome as the form shows it, in ChildSeen's plain form."""
    seen = outcome in ("seen", "seen_alone")
    reason = "" if seen or outcome == "not_seen" else outcome
    return {
        "person_id": person_id,
        "seen": seen,
        "seen_alone": outcome == "seen_alone",
        "not_seen_reason": reason,
        "not_seen_note": note.strip() if reason == "other" else "",
    }


def changes(seen: VisitDraft, values: VisitValues) -> dict[str, Any]:
    """Plain values of the fields that differ from the loaded snapshot (visit fields and 'narrative')."""
    visit = seen.visit
    wanted: dict[str, Any] = {
        "contact_type": values.contact_type,
        "status": values.status,
        "location": values.location,
        "participants": list(values.participants),
        "children": [child_record(pid, outcome, note) for pid, outcome, note in values.children if outcome],
        "purpose": values.purpose,
        "observations": values.observations,
    }
    current = codec.encode(visit)
    result = {name: value for name, value in wanted.items() if current.get(name) != value}
    # The form shows minutes: an unchanged minute is no change to the stored moment.
    typed = to_local(from_local(values.occurred_at))
    if local_moment(visit).replace(second=0, microsecond=0) != typed.replace(second=0, microsecond=0):
        result["occurred_at"] = from_local(values.occurred_at).isoformat()
    if values.narrative != seen.narrative:
        result["narrative"] = values.narrative
    return result


def save_draft(store: LocalStore, seen: VisitDraft, values: VisitValues, *, create: bool = False) -> SavedDraft:
    return visits.update_draft(store, seen.visit.id, changes(seen, values), seen, create=create)


def finalize(store: LocalStore, seen: VisitDraft) -> VisitDraft:
    return visits.finalize_visit(store, seen.visit.id, seen=seen)


def discard(store: LocalStore, visit_id: str) -> bool:
    """Discard a draft the person confirmed; one whose first save never reached the disk is already gone."""
    try:
        return visits.discard_draft(store, visit_id)
    except RecordNotFound:
        return True
