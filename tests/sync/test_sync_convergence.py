"""A seeded, repeatable storm: several devices edit offline for rounds, syncing through random faults.

At the end every device and the server hold the same data and no edit is missing (it won, or it sits in a
conflict record). Which edits conflict is checked against hand-written expectations in
test_sync_conflict_expectations.py, not against a second copy of the merge rule here.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from caseworker_app.domain import Case, Person, Task
from caseworker_app.domain.vocabulary import RiskLevel, TaskStatus
from caseworker_app.store import models
from caseworker_app.sync.apply import held_rows
from caseworker_app.sync.errors import Offline, ServerFault
from caseworker_server.models import Record, RecordHistory

SEED = 20261124
ROUNDS = 8
EDITS_PER_ROUND = 10
FAULTS = ("reset_request", "lose_response", "http_500")


Key = tuple[str, str, str]  # entity, row id, field


def plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def random_edit(rng: random.Random, device: Any, agency: Any, round_no: int) -> tuple[Key, Any, Any, bool] | None:
    """One offline edit: (key, value before, value after, whether the server knows the row)."""
    repo = device.store.repo
    roll = rng.random()
    tasks = repo.all(Task)
    if roll < 0.2 or not tasks:
        repo.save(
            Task(
                case_id=agency.case_id,
                title=f"{device.name} r{round_no} new {rng.randint(0, 10**6)}",
                due_on=date(2026, 12, 1) + timedelta(days=rng.randint(0, 60)),
            )
        )
        return None
    if roll < 0.6:
        record: Any = rng.choice(sorted(tasks, key=lambda t: t.id))
        field = rng.choice(["title", "status", "due_on"])
        before = plain(getattr(record, field))
        if field == "title":
            record.title = f"{device.name} r{round_no} title {rng.randint(0, 3)}"
        elif field == "status":
            record.status = rng.choice(list(TaskStatus))
        else:
            record.due_on = date(2026, 12, 1) + timedelta(days=rng.randint(0, 5))
        entity = "task"
    elif roll < 0.85:
        record, field, entity = repo.get(Person, agency.child_id), "grade", "person"
        before = record.grade
        record.grade = rng.choice(["3", "4", "5"])
    else:
        record, field, entity = repo.get(Case, agency.case_id), "risk_level", "case"
        before = record.risk_level.value
        record.risk_level = rng.choice(list(RiskLevel))
    repo.save(record)
    return (entity, record.id, field), before, plain(getattr(record, field)), record.version > 0


def sync_through_faults(rng: random.Random, device: Any, proxy: Any) -> None:
    if rng.random() < 0.5:
        proxy.inject(rng.choice(FAULTS), rng.choice(["/v1/sync/push", "/v1/sync/pull", None]))
    for _ in range(10):
        try:
            device.sync()
            return
        except (Offline, ServerFault):
            continue
    raise AssertionError("sync never completed")


def local_snapshot(device: Any) -> dict[tuple[str, str], int]:
    with device.store.db.reading() as session:
        return {(e, r): v for e, r, v in held_rows(session) if e not in ("school", "service", "team_member")}


def test_devices_converge_and_conflicts_are_exactly_the_concurrent_edits(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED)
    devices = [
        laptop("laptop-a", "liaison", via_proxy=True),
        laptop("laptop-b", "liaison", via_proxy=True),
        laptop("desk", "supervisor", via_proxy=True),
    ]
    proxy = agency.through_proxy()
    every_edit: list[tuple[str, str, str, Any]] = []
    edits = 0

    for round_no in range(ROUNDS):
        # What each device will send: per field, the value it first saw (the base) and its last value.
        pending: dict[str, dict[Key, list[Any]]] = defaultdict(dict)
        for device in devices:
            for _ in range(EDITS_PER_ROUND):
                edit = random_edit(rng, device, agency, round_no)
                edits += 1
                if edit is None or not edit[3]:
                    continue  # new rows only one device knows cannot conflict
                key, before, after, _known = edit
                pending[device.name].setdefault(key, [before, after])[1] = after
        for device in rng.sample(devices, len(devices)):
            every_edit += [(*key, new) for key, (base, new) in pending[device.name].items() if new != base]
            sync_through_faults(rng, device, proxy)

    for _ in range(2):  # everyone hears everything
        for device in devices:
            sync_through_faults(rng, device, proxy)

    assert edits >= 200 and len(proxy.injected) > 5
    with agency.server.db.read() as session:
        server = {
            (r.entity, r.id): r.version for r in session.scalars(select(Record).where(Record.case_id.isnot(None)))
        }
        history: dict[Key, set[str]] = defaultdict(set)
        for h in session.scalars(select(RecordHistory)):
            for name, value in json.loads(h.fields).items():
                history[(h.entity, h.row_id, name)].add(json.dumps(value))
        conflicts = [json.loads(r.fields) for r in session.scalars(select(Record).where(Record.entity == "conflict"))]

    for device in devices:
        assert local_snapshot(device) == server, f"{device.name} differs from the server"
        with device.store.db.reading() as session:
            assert session.scalars(select(models.OutboxEntry)).all() == []

    assert len(conflicts) > 5  # the storm really made devices disagree
    for c in conflicts:  # a conflict is a real disagreement, never a value against itself
        assert json.dumps(c["local"]) != json.dumps(c["server"])
    losing = {(c["entity"], c["row_id"], c["field"], json.dumps(c["local"])) for c in conflicts}
    for entity, row_id, field, value in every_edit:
        kept = (
            json.dumps(value) in history[(entity, row_id, field)]
            or (entity, row_id, field, json.dumps(value)) in losing
        )
        assert kept, f"an edit of {entity}.{field} is missing"
