"""A pulled page as the laptop reads it: ids in one spelling, anything malformed refused whole."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from caseworker_app.sync import protocol
from caseworker_app.sync.errors import ServerFault
from caseworker_app.sync.received import Downloaded, Grant, Page, ReconcileAnswer, Record, RowRef, read_page

CASE = "3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f"
VISIT = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
CHILD = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def _page(**change: Any) -> bytes:
    record = {"seq": 7, "entity": "visit", "row_id": VISIT, "case_id": CASE, "version": 3, "fields": {}} | change
    return json.dumps({"changes": [record], "has_more": False, "next_cursor": 7}).encode()


def test_ids_arrive_in_one_spelling_however_the_server_wrote_them() -> None:
    shouting = CASE.upper().replace("-", "")
    page = read_page(
        _page(
            row_id=VISIT.upper(),
            case_id=shouting,
            fields={
                "case_id": shouting,
                "children": [{"child_id": CHILD.upper(), "name": "Ana"}],
                "student_id": CHILD.upper(),  # the school's number, not one of ours: left alone
                "summary": CASE.upper(),
            },
        ),
    )
    change = page.changes[0]
    assert (change.row_id, change.case_id) == (VISIT, CASE)
    assert change.fields == {
        "case_id": CASE,
        "children": [{"child_id": CHILD, "name": "Ana"}],
        "student_id": CHILD.upper(),
        "summary": CASE.upper(),
    }


@pytest.mark.parametrize(
    "garbage",
    [
        {"entity": "vi\x00sit"},
        {"row_id": "9d8c7b6a\x00"},
        {"version": "three"},
        {"fields": ["not", "a", "row"]},
        {"colour": "extra field the protocol does not have"},
    ],
)
def test_a_malformed_record_makes_the_whole_page_unreadable(garbage: dict[str, Any]) -> None:
    with pytest.raises(ServerFault, match="not understood"):
        read_page(_page(**garbage))


def test_a_record_without_its_version_is_refused() -> None:
    record = json.loads(_page())
    del record["changes"][0]["version"]
    with pytest.raises(ServerFault):
        read_page(json.dumps(record).encode())


def test_the_envelope_is_read_before_the_records_and_a_bad_record_still_refuses_the_page() -> None:
    downloaded = Downloaded(_page(version="three"))  # the feed can go on to the next page...
    assert (downloaded.has_more, downloaded.next_cursor) == (False, 7)
    with pytest.raises(ServerFault, match="not understood"):
        downloaded.read()  # ...but nothing of this one is applied


def test_records_decoded_on_the_reader_thread_refuse_the_page_when_the_sync_reads_it() -> None:
    with ThreadPoolExecutor(1) as reader:
        good, bad = Downloaded(_page(), reader), Downloaded(_page(entity="vi\x00sit"), reader)
        assert good.read().changes[0].row_id == VISIT
        with pytest.raises(ServerFault, match="not understood"):
            bad.read()


def test_a_page_whose_envelope_is_garbage_stops_the_feed() -> None:
    with pytest.raises(ServerFault, match="not understood"):
        Downloaded(b'{"changes": [], "has_more": "perhaps", "next_cursor": 7}')
    with pytest.raises(ServerFault, match="not understood"):
        Downloaded(b"<html>502 Bad Gateway</html>")


def test_revoked_case_ids_arrive_in_one_spelling() -> None:
    case = CASE.upper().replace("-", "")
    content = json.dumps({"changes": [], "revocations": [case], "has_more": False, "next_cursor": 1}).encode()
    assert Downloaded(content).revocations == [CASE]
    assert read_page(content).revocations == [CASE]


@pytest.mark.parametrize(
    ("struct", "schema"),
    [
        (Record, protocol.Change),
        (Grant, protocol.Grant),
        (Page, protocol.PullResponse),
        (RowRef, protocol.RowRef),
        (ReconcileAnswer, protocol.ReconcileResponse),
    ],
)
def test_the_fast_reader_knows_the_fields_the_documented_schema_has(struct: type, schema: type) -> None:
    # The server documents a page with pydantic's PullResponse; the laptop reads it with msgspec.
    assert set(struct.__struct_fields__) == set(schema.model_fields)  # type: ignore[attr-defined]
