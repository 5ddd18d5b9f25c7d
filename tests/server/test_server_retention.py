"""Closed cases leave laptops N days after closing; users holding too many records are warned about.

Retirement goes through the ordinary revocation path: the next pull carries a revocation,
a laptop's edits of the case made before it still land (within the reassignment grace,
before it pulled past the revocation), later ones are refused with a reason, never dropped.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta

import pytest
from serverkit import World, build_world, edit, new_row
from sqlalchemy import select

from caseworker_server.changelog import ChangeSet
from caseworker_server.config import Settings
from caseworker_server.models import Record, utcnow

THIRTY_DAYS = Settings(closed_case_days=30, closed_case_sweep_seconds=0)


@pytest.fixture
def kept_world(request: pytest.FixtureRequest, database_url: str) -> Iterator[World]:
    built = build_world(database_url, settings=getattr(request, "param", THIRTY_DAYS))
    try:
        yield built
    finally:
        built.client.close()
        built.db.dispose()


def _close(world: World, name: str, days_ago: int) -> None:
    """The case closed `days_ago` days ago, as a worker's closing edit would leave it."""
    case_id = world.cases[name]
    with world.db.write() as session:
        record = session.get(Record, ("case", case_id))
        assert record is not None
        fields = json.loads(record.fields)
        fields.update(stage="closed", closed_on=(utcnow().date() - timedelta(days=days_ago)).isoformat())
        changes = ChangeSet()
        changes.write(session, "case", case_id, case_id, fields, existing=record)
        changes.stamp(session)


def test_a_case_closed_past_its_days_leaves_every_laptop_at_the_next_pull(kept_world: World) -> None:
    world = kept_world
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    liaison.sync(), supervisor.sync()
    _close(world, "own", days_ago=31)
    _close(world, "team", days_ago=10)  # closed, but not long enough ago

    assert liaison.sync()["revocations"] == [world.cases["own"]]
    assert world.cases["own"] not in liaison.case_ids()
    assert supervisor.sync()["revocations"] == [world.cases["own"]]
    assert world.cases["team"] in supervisor.case_ids()
    # The case itself is kept on the server, with the worker who held it.
    with world.db.read() as session:
        record = session.get(Record, ("case", world.cases["own"]))
        assert record is not None and json.loads(record.fields)["assigned_worker"] == "liaison"
    # A laptop enrolled afterwards never receives it.
    assert world.cases["own"] not in world.login("liaison").sync() and world.cases["own"] not in liaison.case_ids()


@pytest.mark.parametrize("kept_world", [Settings(closed_case_days=0, closed_case_sweep_seconds=0)], indirect=True)
def test_with_zero_days_closed_cases_stay_on_laptops(kept_world: World) -> None:
    liaison = kept_world.login("liaison")
    liaison.sync()
    _close(kept_world, "own", days_ago=400)
    assert liaison.sync()["revocations"] == []
    assert kept_world.cases["own"] in liaison.case_ids()


def test_edits_pending_when_the_case_leaves_land_and_later_ones_are_refused_with_a_reason(kept_world: World) -> None:
    world = kept_world
    liaison = world.login("liaison")
    task = new_row("task", world.cases["own"], title="Call the school", due_on="2026-12-01")
    liaison.push(task)
    liaison.sync()
    version = liaison.held[("task", task["row_id"])]["version"]
    _close(world, "own", days_ago=45)
    world.login("supervisor").sync()  # another laptop's pull retires the case

    # This laptop has not pulled since: its edit made before is delivered and kept on the case, as
    # for a reassignment (a conflict record the supervisor can take), and it is told so.
    (pending,) = liaison.push(
        edit("task", task["row_id"], world.cases["own"], version, title=("Call the school", "Called the school"))
    )
    assert pending["status"] == "rejected" and "no longer have access" in pending["reason"]
    with world.db.read() as session:
        kept = [json.loads(f) for (f,) in session.execute(select(Record.fields).where(Record.entity == "conflict"))]
    assert [(c["row_id"], c["local"]) for c in kept] == [(task["row_id"], "Called the school")]
    assert liaison.sync()["revocations"] == [world.cases["own"]]
    liaison.sync()  # its next pull tells the server it let the case go

    # From then on an edit of it is refused with a reason.
    (late,) = liaison.push(
        edit("task", task["row_id"], world.cases["own"], version, title=("Call the school", "Again"))
    )
    assert late["status"] == "rejected"
    assert "do not have access to this case" in late["reason"]


def test_the_server_log_warns_when_a_pull_hands_over_more_than_the_limit(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    world = build_world(database_url, settings=Settings(records_per_user_warning=1))
    try:
        with caplog.at_level(logging.WARNING, logger="caseworker_server.retention"):
            world.login("supervisor").sync()  # two team cases, a case record and a child each
        assert any("holds 4 records (2 cases), more than 1" in r.getMessage() for r in caplog.records)
        assert not any("supervisor" in r.getMessage() for r in caplog.records)  # no names in the log
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="caseworker_server.retention"):
            world.login("supervisor").sync()  # a second laptop of the same user, within the hour
        assert not any("holds" in r.getMessage() for r in caplog.records)  # said once, not on every page
    finally:
        world.client.close()
        world.db.dispose()


def _cli(url: str, *args: str, limit: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseworker_server.cli", "--database-url", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"CASEWORKER_RECORDS_PER_USER_WARNING": str(limit), "PATH": "/usr/bin:/bin"},
    )


def test_admin_commands_warn_about_a_user_over_the_limit(kept_world: World) -> None:
    world = kept_world
    assigned = _cli(world.url, "case", "assign", world.cases["foreign"], "liaison", limit=3)
    assert assigned.returncode == 0, assigned.stderr
    warning = assigned.stderr.strip()
    assert warning.startswith("caseworker-server: warning: liaison would hold 4 records on a laptop (2 cases)")
    assert "supervisor would hold 6 records" in assigned.stderr  # the team's cases are on their laptop too

    report = _cli(world.url, "user", "holdings", limit=3)
    assert report.returncode == 0, report.stderr
    lines = report.stdout.splitlines()
    assert lines[0] == "supervisor\tsupervisor\t3 cases\t6 records\tOVER 3"
    assert "liaison\tliaison\t2 cases\t4 records\tOVER 3" in lines
    assert "2 users above 3 records" in report.stderr

    quiet = _cli(world.url, "case", "assign", world.cases["foreign"], "other", limit=10_000)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_retire_closed_from_the_admin_command(kept_world: World) -> None:
    world = kept_world
    _close(world, "own", days_ago=31)
    result = _cli(world.url, "case", "retire-closed", "--days", "60", limit=10_000)
    assert result.stdout.strip() == "0 closed cases past 60 days taken off laptops."
    result = _cli(world.url, "case", "retire-closed", limit=10_000)
    assert result.stdout.strip() == "1 closed case past 30 days taken off laptops.", result.stderr
    liaison = world.login("liaison")
    assert world.cases["own"] not in liaison.sync()["grants"]
