"""A push applied as one batch: the same answers, in request order, as one mutation at a time."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from serverkit import World, edit, new_id, new_row
from sqlalchemy import func, select, text

from caseworker_server.models import MutationRecord, RecordHistory


def _history(world: World, row_id: str) -> list[int]:
    with world.db.read() as session:
        return list(
            session.execute(
                select(RecordHistory.version).where(RecordHistory.row_id == row_id).order_by(RecordHistory.version)
            ).scalars()
        )


def _task(case: str, title: str = "Call the school") -> dict[str, Any]:
    return new_row("task", case, title=title, due_on="2026-12-01")


def test_a_mutation_id_sent_twice_in_one_batch_is_applied_once(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    task = _task(case)
    rename = edit("task", task["row_id"], case, 1, title=("Call the school", "Call the nurse"))
    results = liaison.push(task, rename, dict(rename), _task(case, "Book the interpreter"), dict(task))
    assert [r["status"] for r in results] == ["applied"] * 5
    assert results[2] == results[1] and results[4] == results[0]
    assert results[1]["version"] == 2 and results[1]["fields"]["title"] == "Call the nurse"
    assert _history(world, task["row_id"]) == [1, 2]  # created once, renamed once
    # The whole batch sent again is answered from the ledger, word for word.
    again = liaison.push(task, rename, dict(rename), dict(task))
    assert again == [results[0], results[1], results[1], results[0]]
    assert _history(world, task["row_id"]) == [1, 2]


def test_one_batch_mixes_applied_merged_conflict_and_refused_in_request_order(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="caseworker_server.sync_push")
    case = world.cases["own"]
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    first, second = _task(case, "Call"), _task(case, "Visit")
    liaison.push(first, second)
    supervisor.push(
        edit("task", first["row_id"], case, 1, title=("Call", "Supervisor's title")),
        edit("task", second["row_id"], case, 1, status=("open", "done")),
    )
    fresh = _task(case, "Fresh")
    results = liaison.push(
        fresh,
        edit("task", first["row_id"], case, 1, title=("Call", "Liaison's title")),
        _task(world.cases["foreign"], "Not mine"),
        edit("task", second["row_id"], case, 1, title=("Visit", "Visit on Monday")),
        new_row("task", case, title="", due_on="2026-12-01"),
        _task(case, "Last"),
    )
    assert [r["status"] for r in results] == ["applied", "conflict", "rejected", "merged", "rejected", "applied"]
    assert "one by one" not in caplog.text  # refusals found in memory: the batch stayed a batch
    assert "do not have access" in results[2]["reason"]
    assert results[4]["reason"] == "Describe the follow-up task."
    assert results[1]["fields"]["title"] == "Supervisor's title"  # the server value is kept
    assert (results[3]["fields"]["title"], results[3]["fields"]["status"]) == ("Visit on Monday", "done")
    (info,) = results[1]["conflicts"]
    supervisor.sync()
    conflict = supervisor.row("conflict", info["conflict_id"])
    # Who wrote the value that stayed comes from the history, read once for the batch.
    assert (conflict["local"], conflict["server"]) == ("Liaison's title", "Supervisor's title")
    assert (conflict["local_author"], conflict["server_author"]) == ("liaison", "supervisor")
    assert conflict["server_at"]
    assert supervisor.row("task", fresh["row_id"])["title"] == "Fresh"
    assert supervisor.row("task", results[5]["fields"]["id"])["title"] == "Last"
    # Refusals are recorded too: a resend gets the same reasons.
    assert [r["status"] for r in liaison.push(_task(world.cases["foreign"]))] == ["rejected"]


def test_a_row_touched_twice_in_one_batch_gets_each_version_in_turn(world: World) -> None:
    case = world.cases["own"]
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    supervisor.sync()
    task = _task(case, "Call")
    results = liaison.push(
        task,
        edit("task", task["row_id"], case, 1, title=("Call", "Call again")),
        edit("task", task["row_id"], case, 2, status=("open", "done")),
    )
    assert [(r["status"], r["version"]) for r in results] == [("applied", 1), ("applied", 2), ("applied", 3)]
    assert _history(world, task["row_id"]) == [1, 2, 3]
    arrived = supervisor.sync()["changes"]
    (change,) = [c for c in arrived if c["row_id"] == task["row_id"]]  # one change: the row as it ends
    assert change["version"] == 3
    assert (change["fields"]["title"], change["fields"]["status"]) == ("Call again", "done")


def test_a_case_opened_in_a_batch_takes_its_records_and_reaches_the_supervisor(world: World) -> None:
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    supervisor.sync()
    opened = new_row("case", "", reference="C-77", family_name="Okoye")
    opened["case_id"] = opened["row_id"]
    case = opened["case_id"]
    early = _task(case, "Sent before the case")
    results = liaison.push(early, opened, _task(case, "Sent after the case"))
    # As one at a time: nothing lands in a case before it is opened.
    assert [r["status"] for r in results] == ["rejected", "applied", "applied"]
    assert results[1]["fields"]["assigned_worker"] == "liaison"
    assert case in supervisor.sync()["grants"]
    assert supervisor.row("case", case)["family_name"] == "Okoye"
    # Opening the same case again (another laptop, same id) is refused, not a second case.
    again = new_row("case", "", row_id=case, reference="C-78", family_name="Other")
    again["case_id"] = case
    assert world.login("liaison2").push(again)[0]["status"] == "rejected"


def _refuse_row_in_the_database(world: World, row_id: str) -> None:
    """A database-level failure for one row the merge cannot foresee (a trigger refusing it)."""
    with world.db.engine.begin() as conn:
        if world.db.sqlite:
            conn.execute(
                text(
                    f"CREATE TRIGGER refuse_row BEFORE INSERT ON records WHEN NEW.id = '{row_id}' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
                )
            )
            return
        conn.execute(
            text(
                "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the database'; END $$"
            )
        )
        conn.execute(
            text(
                f"CREATE TRIGGER refuse_row BEFORE INSERT ON records FOR EACH ROW WHEN (NEW.id = '{row_id}') "
                "EXECUTE FUNCTION refuse_row()"
            )
        )


def test_a_mutation_the_database_refuses_fails_alone_in_the_middle_of_a_batch(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="caseworker_server.sync_push")
    case = world.cases["own"]
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    bad_id = new_id()
    _refuse_row_in_the_database(world, bad_id)
    before, bad = _task(case, "Before"), new_row("task", case, bad_id, title="Bad", due_on="2026-12-01")
    after = _task(case, "After")
    edited = edit("task", world.child["own"], case, 1)  # a second kind of row in the same batch
    edited["entity"], edited["changes"] = "person", {"grade": {"base": "4", "new": "5"}}
    results = liaison.push(before, bad, after, edited)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied", "applied"]
    assert results[1]["reason"] and "sync again" in results[1]["reason"]
    assert "one by one" in caplog.text
    supervisor.sync()
    assert supervisor.row("task", before["row_id"])["title"] == "Before"
    assert supervisor.row("task", after["row_id"])["title"] == "After"
    assert supervisor.row("person", world.child["own"])["grade"] == "5"
    assert ("task", bad_id) not in supervisor.held
    # The refused one is not in the ledger: once the database accepts it, a resend applies it.
    with world.db.read() as session:
        recorded = session.execute(
            select(func.count()).select_from(MutationRecord).where(MutationRecord.mutation_id == bad["mutation_id"])
        ).scalar_one()
    assert recorded == 0
