"""Finding a case or a visit from what a person types: a full id, a case reference, or a short id.

Lists print case references (CW-2026-00012) and the first characters of a visit's
id; every command that takes an id accepts those as well as the full UUID.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import N_, _
from caseworker_app.store import models
from caseworker_app.store.errors import RecordNotFound
from caseworker_app.store.local_store import LocalStore

SHORT_ID = 8  # what lists print
MIN_PREFIX = 4
_HEX_PREFIX = re.compile(r"^[0-9a-f-]+$")


class AmbiguousId(CaseworkerError):
    """A short id that matches more than one record."""


def short_id(row_id: str) -> str:
    return row_id[:SHORT_ID]


def _by_prefix(
    store: LocalStore, row: type[models.CaseRow] | type[models.VisitRow], text: str, what: str, hint: str
) -> str | None:
    """`what`: the message for an ambiguous id ({text}, {hint}); both marked with N_ by the caller."""
    prefix = text.lower()
    if len(prefix) < MIN_PREFIX or not _HEX_PREFIX.match(prefix):
        return None
    with store.db.reading() as session:
        found = list(
            session.scalars(select(row.id).where(row.id.like(f"{prefix}%"), row.deleted_at.is_(None)).limit(2))
        )
    if len(found) > 1:
        raise AmbiguousId(_(what).format(text=text, hint=_(hint)))
    return found[0] if found else None


def resolve_case(store: LocalStore, text: str) -> str:
    """The case id for a case id, a case reference (any letter case) or the start of an id."""
    wanted = text.strip()
    c = models.CaseRow
    with store.db.reading() as session:
        exact = session.scalar(
            select(c.id).where(
                c.deleted_at.is_(None), (c.id == wanted.lower()) | (func.upper(c.reference) == wanted.upper())
            )
        )
    if exact is not None:
        return str(exact)
    found = _by_prefix(
        store,
        c,
        wanted,
        N_("More than one case has an id starting with {text}; give more characters ({hint})."),
        N_("'caseworker cases' lists references and ids"),
    )
    if found is None:
        raise RecordNotFound(
            _("No case with reference or id {wanted} in this profile ('caseworker cases' lists them).").format(
                wanted=wanted
            )
        )
    return found


def resolve_visit(store: LocalStore, text: str) -> str:
    """The visit id for a full visit id or the short id a list prints."""
    wanted = text.strip()
    v = models.VisitRow
    with store.db.reading() as session:
        exact = session.scalar(select(v.id).where(v.id == wanted.lower(), v.deleted_at.is_(None)))
    if exact is not None:
        return str(exact)
    found = _by_prefix(
        store,
        v,
        wanted,
        N_("More than one visit has an id starting with {text}; give more characters ({hint})."),
        N_("'caseworker visits CASE' lists them"),
    )
    if found is None:
        raise RecordNotFound(_("No visit with id {wanted} in this profile.").format(wanted=wanted))
    return found


def visits_of_notes(store: LocalStore, note_ids: list[str]) -> dict[str, str]:
    """Note id -> the id of the visit it records, for notes tied to a visit (search shows those)."""
    if not note_ids:
        return {}
    n = models.NoteRow
    with store.db.reading() as session:
        rows = session.execute(select(n.id, n.visit_id).where(n.id.in_(note_ids), n.visit_id.is_not(None)))
        return {note_id: str(visit_id) for note_id, visit_id in rows}
