"""Push: applied, merged, conflict, rejected; idempotency; finalized notes; history; limits."""

from __future__ import annotations

import gzip
import json

from serverkit import PROTOCOL, World, edit, new_id, new_row
from sqlalchemy import func, select

from caseworker_server.models import RecordHistory


def test_new_row_is_applied_with_version_1(world: World) -> None:
    liaison = world.login("liaison")
    (result,) = liaison.push(new_row("task", world.cases["own"], title="Call the school", due_on="2026-12-01"))
    assert result["status"] == "applied"
    assert result["version"] == 1
    assert result["fields"]["title"] == "Call the school"
    assert result["fields"]["status"] == "open"  # defaults filled in by the domain


def test_the_same_push_twice_changes_nothing(world: World) -> None:
    liaison = world.login("liaison")
    task = new_row("task", world.cases["own"], title="Call", due_on="2026-12-01")
    change = edit("task", task["row_id"], world.cases["own"], 1, title=("Call", "Call back"))
    first = liaison.push(task, change)
    again = liaison.push(task, change)
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert again == first
    with world.db.read() as session:
        versions = session.execute(
            select(func.count()).select_from(RecordHistory).where(RecordHistory.row_id == task["row_id"])
        ).scalar_one()
    assert versions == 2  # created once, edited once


def test_disjoint_field_edits_merge(world: World) -> None:
    case = world.cases["own"]
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    task = new_row("task", case, title="Call", due_on="2026-12-01")
    liaison.push(task)
    assert supervisor.push(edit("task", task["row_id"], case, 1, status=("open", "done")))[0]["status"] == "applied"
    (result,) = liaison.push(edit("task", task["row_id"], case, 1, title=("Call", "Call the nurse")))
    assert result["status"] == "merged"
    assert result["version"] == 3
    assert (result["fields"]["title"], result["fields"]["status"]) == ("Call the nurse", "done")


def test_same_field_edits_become_a_conflict_everyone_on_the_case_sees(world: World) -> None:
    case = world.cases["own"]
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    task = new_row("task", case, title="Call", due_on="2026-12-01")
    liaison.push(task)
    supervisor.push(edit("task", task["row_id"], case, 1, title=("Call", "Supervisor's title")))
    (result,) = liaison.push(edit("task", task["row_id"], case, 1, title=("Call", "Liaison's title")))
    assert result["status"] == "conflict"
    assert result["fields"]["title"] == "Supervisor's title"  # the server value is kept
    (info,) = result["conflicts"]
    assert (info["field"], info["local"], info["server"]) == ("title", "Liaison's title", "Supervisor's title")

    for device in (liaison, supervisor):
        device.sync()
        conflict = device.row("conflict", info["conflict_id"])
        assert conflict["local"] == "Liaison's title"
        assert conflict["server"] == "Supervisor's title"
        assert conflict["local_author"] == "liaison"
        assert conflict["server_author"] == "supervisor"
        assert conflict["resolved_at"] is None

    # A later mutation that references the conflict resolves it.
    (resolved,) = liaison.push(
        edit(
            "task",
            task["row_id"],
            case,
            2,
            resolves=info["conflict_id"],
            title=("Supervisor's title", "Liaison's title"),
        )
    )
    assert resolved["status"] == "applied"
    supervisor.sync()
    conflict = supervisor.row("conflict", info["conflict_id"])
    assert conflict["resolved_at"] is not None
    assert conflict["resolution"]["value"] == "Liaison's title"
    assert supervisor.row("task", task["row_id"])["title"] == "Liaison's title"


def test_a_final_note_cannot_change_and_an_addendum_is_a_new_note(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    note = new_row(
        "note",
        case,
        author="liaison",
        narrative="Visited the home.",
        status="final",
        written_at="2026-11-02T10:00:00",
        finalized_at="2026-11-02T11:00:00",
    )
    assert liaison.push(note)[0]["status"] == "applied"
    (refused,) = liaison.push(edit("note", note["row_id"], case, 1, narrative=("Visited the home.", "Changed")))
    assert refused["status"] == "rejected"
    assert "addendum" in refused["reason"]
    (deleted,) = liaison.push(edit("note", note["row_id"], case, 1, deleted_at=(None, "2026-11-03T00:00:00")))
    assert deleted["status"] == "rejected"
    addendum = new_row(
        "note",
        case,
        author="liaison",
        narrative="Correction: the visit was at 10:30.",
        status="final",
        written_at="2026-11-03T09:00:00",
        finalized_at="2026-11-03T09:05:00",
        addendum_to=note["row_id"],
    )
    assert liaison.push(addendum)[0]["status"] == "applied"
    stray = new_row("note", case, author="liaison", written_at="2026-11-03T09:00:00", addendum_to=new_id())
    assert liaison.push(stray)[0]["status"] == "rejected"


def test_one_bad_mutation_never_fails_the_batch(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    results = liaison.push(
        new_row("task", case, title="Good", due_on="2026-12-01"),
        new_row("task", case, title="", due_on="2026-12-01"),  # the domain refuses an empty title
        new_row("task", case, title="No date"),  # a required field is missing
        new_row(
            "attendance_record", case, child_id=world.child["own"], period="2026-10", days_enrolled=20, days_absent=25
        ),
        new_row("spaceship", case, name="x"),
        new_row("task", case, title="Bad date", due_on="next tuesday"),
        new_row("task", case, title=["not", "text"], due_on="2026-12-01"),
        new_row("task", case, title="Unknown field", due_on="2026-12-01", colour="red"),
        edit("task", new_id(), case, 0, version=(None, 5)),
        new_row("task", case, title="Also good", due_on="2026-12-02"),
    )
    assert [r["status"] for r in results] == ["applied"] + ["rejected"] * 8 + ["applied"]
    reasons = [r["reason"] for r in results[1:-1]]
    assert reasons[0] == "Describe the follow-up task."
    assert "due_on" in reasons[1]
    assert "absent" in reasons[2].lower()
    assert all(reason and len(reason) < 200 for reason in reasons)


def test_tombstone_delete_is_a_change_and_history_keeps_every_version(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    task = new_row("task", case, title="Call", due_on="2026-12-01")
    liaison.push(task)
    (result,) = liaison.push(edit("task", task["row_id"], case, 1, deleted_at=(None, "2026-11-20T10:00:00")))
    assert result["status"] == "applied"
    with world.db.read() as session:
        history = session.execute(
            select(RecordHistory.version, RecordHistory.fields)
            .where(RecordHistory.row_id == task["row_id"])
            .order_by(RecordHistory.version)
        ).all()
    assert [v for v, _ in history] == [1, 2]
    # system timestamps are UTC; a tombstone sent without a zone is stored as UTC
    assert json.loads(history[1][1])["deleted_at"] == "2026-11-20T10:00:00+00:00"


def test_gzip_push_is_accepted(world: World) -> None:
    liaison = world.login("liaison")
    body = gzip.compress(
        json.dumps({"mutations": [new_row("task", world.cases["own"], title="Zip", due_on="2026-12-01")]}).encode()
    )
    response = world.client.post(
        "/v1/sync/push",
        content=body,
        headers={**liaison.headers, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "applied"


def test_malformed_and_oversized_pushes_get_a_4xx_with_a_reason(world: World) -> None:
    liaison = world.login("liaison")
    post = world.client.post
    cases = [
        post("/v1/sync/push", content=b"{not json", headers=liaison.headers),
        post("/v1/sync/push", json={"mutations": [{"mutation_id": "x"}]}, headers=liaison.headers),
        post("/v1/sync/push", content=b"\x1f\x8bnot gzip", headers={**liaison.headers, "Content-Encoding": "gzip"}),
        post("/v1/sync/push", content=b"{}", headers={**liaison.headers, "Content-Encoding": "br"}),
        post(
            "/v1/sync/push",
            json={"mutations": [new_row("task", world.cases["own"], title="x", due_on="2026-12-01")] * 501},
            headers=liaison.headers,
        ),
        post(
            "/v1/sync/push",
            content=gzip.compress(b" " * (9 * 1024 * 1024)),
            headers={**liaison.headers, "Content-Encoding": "gzip"},
        ),
        post("/v1/sync/push", content=b"x" * (9 * 1024 * 1024), headers=liaison.headers),
    ]
    assert [r.status_code for r in cases] == [422, 422, 400, 415, 422, 413, 413]
    for response in cases:
        assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_opening_a_new_case_from_the_field_assigns_it_to_its_author(world: World) -> None:
    liaison = world.login("liaison")
    case_id = new_id()
    (result,) = liaison.push(new_row("case", case_id, row_id=case_id, reference="NEW-1", family_name="Newfamily"))
    assert result["status"] == "applied"
    assert case_id in liaison.sync()["grants"]
    # Nobody can open a case over an existing one.
    other = world.login("other")
    (refused,) = other.push(
        new_row("case", world.cases["own"], row_id=world.cases["own"], reference="X", family_name="Y")
    )
    assert refused["status"] == "rejected"


def test_a_mutation_id_of_someone_else_is_not_answered_from_their_record(world: World) -> None:
    liaison, other = world.login("liaison"), world.login("other")
    task = new_row("task", world.cases["own"], title="Private", due_on="2026-12-01")
    liaison.push(task)
    copy = {**task, "case_id": world.cases["foreign"]}
    (result,) = other.push(copy)
    assert result["status"] == "rejected"
    assert "fields" not in result or result["fields"] is None


def test_push_without_protocol_header_is_refused_with_update_message(world: World) -> None:
    liaison = world.login("liaison")
    headers = {"Authorization": liaison.headers["Authorization"]}
    response = world.client.post("/v1/sync/push", json={"mutations": []}, headers=headers)
    assert response.status_code == 426
    assert "update" in response.json()["detail"].lower()
    response = world.client.post(
        "/v1/sync/push", json={"mutations": []}, headers={**headers, **PROTOCOL, "X-Caseworker-Protocol": "0"}
    )
    assert response.status_code == 426


def test_awkward_text_is_stored_or_refused_never_a_server_error(world: World) -> None:
    liaison = world.login("liaison")
    title = "nul \x00 and é"
    body = json.dumps({"mutations": [new_row("task", world.cases["own"], title=title, due_on="2026-12-01")]})
    response = world.client.post("/v1/sync/push", content=body.encode(), headers=liaison.headers)
    assert response.status_code == 200, response.text
    (stored,) = response.json()["results"]
    assert stored["status"] == "applied"
    assert stored["fields"]["title"] == title
    liaison.sync()
    assert liaison.row("task", stored["fields"]["id"])["title"] == title
    lone = json.dumps({"mutations": [new_row("task", world.cases["own"], title="\ud800", due_on="2026-12-01")]})
    response = world.client.post("/v1/sync/push", content=lone.encode(), headers=liaison.headers)
    assert response.status_code == 422  # not valid Unicode: refused with a reason
    response = world.client.post(
        "/v1/auth/token",
        json={"username": "li\x00aison", "password": "x", "device_id": new_id(), "device_name": ""},
        headers=PROTOCOL,
    )
    assert response.status_code == 422
