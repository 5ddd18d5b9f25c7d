"""A pulled page as the laptop reads it: ids in one spelling, anything malformed refused whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from caseworker_app.sync.errors import ServerFault
from caseworker_app.sync.protocol import PullResponse
from caseworker_app.sync.transport import Transport

CASE = "3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f"
VISIT = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
CHILD = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def _page(**change: Any) -> bytes:
    record = {"seq": 7, "entity": "visit", "row_id": VISIT, "case_id": CASE, "version": 3, "fields": {}} | change
    return json.dumps({"changes": [record], "has_more": False, "next_cursor": 7}).encode()


def test_ids_arrive_in_one_spelling_however_the_server_wrote_them() -> None:
    shouting = CASE.upper().replace("-", "")
    page = Transport.parse(
        PullResponse,
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
        Transport.parse(PullResponse, _page(**garbage))


def test_a_record_without_its_version_is_refused() -> None:
    record = json.loads(_page())
    del record["changes"][0]["version"]
    with pytest.raises(ServerFault):
        Transport.parse(PullResponse, json.dumps(record).encode())
