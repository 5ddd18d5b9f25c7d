"""What the server sends records in, as the laptop reads it: pull pages and reconcile answers.

A first sync reads some 20,000 records of about 1 KB each. The feed thread reads only a
page's envelope (has_more, next_cursor, revocations: a few milliseconds for 5 MB) so it can
ask for the next page at once, and a reader thread decodes the records while the page before
is written. msgspec decodes them into typed structs, refusing a wrong type or an unknown field
as pydantic would, in about half the time; protocol.py's pydantic models stay the documented
schema (the server's OpenAPI) and tests/sync/test_pull_decoding.py keeps the two in step. Ids
come out in one spelling.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

import msgspec

from caseworker_app.i18n import N_, _
from caseworker_app.sync.errors import ServerFault
from caseworker_app.sync.protocol import canonical_fields, canonical_id

NOT_UNDERSTOOD = N_("The server's answer was not understood; the sync stopped and nothing local changed.")


def _text(*values: str | None) -> None:
    for value in values:
        if value is not None and "\x00" in value:
            raise ValueError("text cannot contain NUL characters")


class Record(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A row as it stands after the change numbered `seq` (protocol.Change on the wire)."""

    seq: int
    entity: str
    row_id: str
    case_id: str | None
    version: int
    fields: dict[str, Any]

    def __post_init__(self) -> None:
        _text(self.entity, self.row_id, self.case_id)
        self.row_id = canonical_id(self.row_id)
        if self.case_id is not None:
            self.case_id = canonical_id(self.case_id)
        canonical_fields(self.fields)  # decoded from the wire for us: ours to change


class Grant(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A case that became visible: its whole bundle of records."""

    case_id: str
    records: list[Record]

    def __post_init__(self) -> None:
        _text(self.case_id)
        self.case_id = canonical_id(self.case_id)


def _revocations(case_ids: list[str]) -> list[str]:
    _text(*case_ids)
    return [canonical_id(case_id) for case_id in case_ids]


class Page(msgspec.Struct, forbid_unknown_fields=True):
    changes: list[Record]
    has_more: bool
    next_cursor: int
    grants: list[Grant] = msgspec.field(default_factory=list)
    revocations: list[str] = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        self.revocations = _revocations(self.revocations)


class Envelope(msgspec.Struct):
    """What the feed needs to ask for the next page; the records are skipped, not built."""

    has_more: bool
    next_cursor: int
    revocations: list[str] = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        self.revocations = _revocations(self.revocations)


_PAGE = msgspec.json.Decoder(Page)
_ENVELOPE = msgspec.json.Decoder(Envelope)


def _decode(decoder: msgspec.json.Decoder[Any], content: bytes) -> Any:
    try:
        return decoder.decode(content)
    except (msgspec.DecodeError, ValueError) as exc:  # msgspec.ValidationError is a DecodeError
        raise ServerFault(_(NOT_UNDERSTOOD)) from exc


class Downloaded:
    """A page as downloaded: its envelope read at once, its records decoded by `reader` (a thread
    of its own, so decoding the next page overlaps writing this one) or else on `read`."""

    def __init__(self, content: bytes, reader: Executor | None = None) -> None:
        envelope: Envelope = _decode(_ENVELOPE, content)
        self.has_more = envelope.has_more
        self.next_cursor = envelope.next_cursor
        self.revocations = envelope.revocations
        self._content = content
        self._page = reader.submit(self._read) if reader is not None else None

    def read(self) -> Page:
        """The whole page, checked; ServerFault if any of it is malformed."""
        return self._page.result() if self._page is not None else self._read()

    def _read(self) -> Page:
        page: Page = _decode(_PAGE, self._content)
        if (page.has_more, page.next_cursor) != (self.has_more, self.next_cursor):
            raise ServerFault(_(NOT_UNDERSTOOD))  # JSON with a key twice reads differently by decoder
        return page


def read_page(content: bytes) -> Page:
    return Downloaded(content).read()


class RowRef(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    entity: str
    row_id: str

    def __post_init__(self) -> None:
        _text(self.entity, self.row_id)
        self.row_id = canonical_id(self.row_id)


class ReconcileAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """protocol.ReconcileResponse: rows missing or stale here in full, rows this laptop should not hold."""

    match: bool
    digest: str
    missing: list[Record] = msgspec.field(default_factory=list)
    stale: list[Record] = msgspec.field(default_factory=list)
    extra: list[RowRef] = msgspec.field(default_factory=list)


_RECONCILE = msgspec.json.Decoder(ReconcileAnswer)


def read_reconcile(content: bytes) -> ReconcileAnswer:
    answer: ReconcileAnswer = _decode(_RECONCILE, content)
    return answer
