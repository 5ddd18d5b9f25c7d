"""One row, one id: a UUID sent without dashes or in capitals names the same row as its usual spelling."""

from __future__ import annotations

import uuid

from serverkit import PASSWORD, PROTOCOL, World, edit, new_id, new_row
from sqlalchemy import func, select

from caseworker_app.sync.protocol import PullResponse
from caseworker_server.models import Device, Record, User


def _odd(id_: str) -> str:
    """The same UUID, spelt without dashes and in capitals (a team row's id, a username, stays)."""
    try:
        return uuid.UUID(id_).hex.upper()
    except ValueError:
        return id_


def test_a_dashless_capital_id_is_the_same_row_as_its_usual_spelling(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    task_id = new_id()
    (created,) = liaison.push(new_row("task", _odd(case), row_id=_odd(task_id), title="Call", due_on="2026-12-01"))
    assert created["status"] == "applied", created
    # The next edit uses the usual spelling: it lands on the same task.
    (edited,) = liaison.push(edit("task", task_id, case, 1, title=("Call", "Call again")))
    assert edited["status"] == "applied", edited
    assert edited["version"] == 2

    liaison.sync()
    tasks = [v for (entity, _), v in liaison.held.items() if entity == "task"]
    assert [(t["row_id"], t["case_id"], t["fields"]["title"]) for t in tasks] == [(task_id, case, "Call again")]
    assert tasks[0]["fields"]["id"] == task_id and tasks[0]["fields"]["case_id"] == case
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Record).where(Record.entity == "task")) == 1


def test_ids_inside_a_record_are_kept_in_one_spelling(world: World) -> None:
    case, child = world.cases["own"], world.child["own"]
    liaison = world.login("liaison")
    referral = new_row(
        "referral", case, service="food_backpack", person_id=_odd(child), referred_on="2026-11-02", agency="Pantry"
    )
    (created,) = liaison.push(referral)
    assert created["status"] == "applied", created
    liaison.sync()
    assert liaison.row("referral", referral["row_id"])["person_id"] == child


def test_a_device_id_in_another_spelling_is_the_same_laptop(world: World) -> None:
    device_id = new_id()
    for spelling in (device_id, _odd(device_id)):
        response = world.client.post(
            "/v1/auth/token",
            json={"username": "liaison", "password": PASSWORD, "device_id": spelling, "device_name": "laptop"},
            headers=PROTOCOL,
        )
        assert response.status_code == 200, response.text
        assert response.json()["device_id"] == device_id
    with world.db.read() as session:
        laptops = session.scalars(
            select(Device.device_uid).join(User, User.id == Device.user_id).where(User.username == "liaison")
        ).all()
    assert laptops == [device_id]


def test_reconcile_matches_rows_held_under_another_spelling(world: World) -> None:
    liaison = world.login("liaison")
    liaison.sync()
    held = [
        {"entity": v["entity"], "row_id": _odd(v["row_id"]), "version": v["version"]} for v in liaison.held.values()
    ]
    body = world.client.post("/v1/sync/reconcile", json={"records": held}, headers=liaison.headers).json()
    assert (body["match"], body["missing"], body["extra"]) == (True, [], [])


def test_the_client_reads_ids_from_the_server_in_one_spelling() -> None:
    """Rows stored before ids were normalized may still carry another spelling; the client never sees it."""
    case, row, child = new_id(), new_id(), new_id()
    page = PullResponse.model_validate(
        {
            "changes": [
                {
                    "seq": 1,
                    "entity": "referral",
                    "row_id": _odd(row),
                    "case_id": _odd(case),
                    "version": 1,
                    "fields": {"id": _odd(row), "case_id": _odd(case), "person_id": _odd(child), "notes": _odd(row)},
                }
            ],
            "grants": [{"case_id": _odd(case), "records": []}],
            "revocations": [_odd(case)],
            "has_more": False,
            "next_cursor": 1,
        }
    )
    (change,) = page.changes
    assert (change.row_id, change.case_id) == (row, case)
    assert change.fields == {"id": row, "case_id": case, "person_id": child, "notes": _odd(row)}  # text stays text
    assert page.grants[0].case_id == case and page.revocations == [case]
