"""The Sync page's lists as rows: recent runs, changes the server refused, conflicts to settle."""

from __future__ import annotations

from typing import Any

from caseworker_app.domain.vocabulary import as_words
from caseworker_app.i18n import N_, _
from caseworker_app.sync.conflicts import Conflict
from caseworker_app.sync.refused import RefusedChange
from caseworker_app.ui.models.rows import Row

# marked here, translated where shown (RowTable): a table built at import would keep the first language
RUN_HEADERS = [N_("When"), N_("Outcome")]
REFUSED_HEADERS = [N_("Refused on"), N_("Record"), N_("Fields"), N_("The server's reason")]
CONFLICT_HEADERS = [N_("Family"), N_("Field"), N_("Mine"), N_("Theirs"), N_("Theirs by")]
SHORT = 40


def shown(value: Any) -> str:
    """A field's value as a person reads it: a code in words, text as written, nothing as '(empty)'."""
    if value is None or value == "":
        return _("(empty)")
    text = str(value)
    if text.isidentifier() and text.lower() == text:  # a vocabulary code such as very_high
        return as_words(text)
    return text


def field_words(field: str) -> str:
    return as_words(field)


def record_field(entity: str, field: str) -> str:
    """'Referral: notes', 'Case: risk level': which record's field, in words."""
    # punctuation only, the same in every language we ship: the words come translated from as_words
    return f"{as_words(entity)}: {as_words(field).lower()}"


def _short(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= SHORT else one_line[: SHORT - 1] + "…"


def when(moment: str | None) -> str:
    if not moment:
        return ""
    from datetime import datetime

    from caseworker_app.ui.labels import local_time

    try:
        return local_time(datetime.fromisoformat(moment))
    except ValueError:
        return moment


def fields_words(fields: list[str]) -> str:
    if len(fields) > 4:  # a record the server never had goes whole
        return _("the whole new record")
    return ", ".join(map(field_words, fields))


def refused_rows(items: list[RefusedChange]) -> list[Row]:
    return [
        Row(
            [when(item.rejected_at), as_words(item.entity), fields_words(item.fields), _(item.reason)],
            payload=item,
            sort_keys=[item.rejected_at, item.entity, ",".join(item.fields), _(item.reason)],
        )
        for item in items
    ]


def conflict_rows(items: list[Conflict]) -> list[Row]:
    return [
        Row(
            [c.family_name, record_field(c.entity, c.field), _short(shown(c.mine)), _short(shown(c.theirs)),
             f"{c.their_side_author} {when(c.their_side_at)}".strip()],
            payload=c,
            emphasis={1},
        )
        for c in items
    ]
