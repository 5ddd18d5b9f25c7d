"""Before the finalize dialog: what a visit still needs, as the domain decides it (read-only)."""

from __future__ import annotations

from datetime import UTC, datetime

from caseworker_app.domain.entities import Note, Person, Visit
from caseworker_app.domain.vocabulary import PersonRole
from caseworker_app.domain.workflow import missing_to_finalize
from caseworker_app.services.visits import VisitDraft
from caseworker_app.store.local_store import LocalStore


def missing_before_finalize(store: LocalStore, visit_id: str, draft: VisitDraft | None = None) -> list[str]:
    """The messages of every field still missing (empty: ready to finalize).

    A new form's draft not yet written (nothing typed) is checked as the form holds it.
    """
    if draft is not None and not draft.stored:
        visit, note = draft.visit, draft.note
    else:
        visit = store.repo.get(Visit, visit_id)
        notes = [n for n in store.repo.for_case(Note, visit.case_id)
                 if n.visit_id == visit_id and n.addendum_to is None]
        note = min(notes, key=lambda n: n.written_at) if notes else None
    children = [p for p in store.repo.for_case(Person, visit.case_id) if p.role is PersonRole.CHILD]
    return [m.message for m in missing_to_finalize(visit, note, children, datetime.now(UTC))]
