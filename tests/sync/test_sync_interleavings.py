"""Random interleavings of edits, lost answers, late copies and replayed answers against the real server.

Whatever happens on the way, the value a person set last either reaches the
server or is named in a conflict record: never silently undone.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from caseworker_app.domain import Case
from caseworker_app.domain.vocabulary import RiskLevel
from caseworker_app.store import models, queries
from caseworker_app.sync import apply, received
from caseworker_app.sync.engine import SyncEngine, SyncReport
from caseworker_app.sync.protocol import CONFLICT_ENTITY, PushRequest, PushResponse
from caseworker_server.models import Record

EXAMPLES = 40
VALUES = (RiskLevel.LOW, RiskLevel.MODERATE, RiskLevel.HIGH)  # few values: coincidences are the danger


def _quiet(_fraction: float, _message: str) -> None:
    pass


class Liaison:
    """One laptop driven step by step, with the failures a field network produces."""

    def __init__(self, device: Any, case_id: str, rng: random.Random) -> None:
        self.rng = rng
        self.device = device
        self.case_id = case_id
        self.engine: SyncEngine = device.engine()
        self.copies: list[received.Record] = []  # copies of the case row read earlier, delivered late
        self.answers: list[PushResponse] = []  # push answers that may arrive again

    def edit(self, value: RiskLevel) -> None:
        case = self.device.store.repo.get(Case, self.case_id)
        case.risk_level = value
        self.device.store.repo.save(case)

    def send_answer_lost(self) -> None:
        batch = self.engine._next_batch()
        if batch:
            self.answers.append(self.engine._call("/v1/sync/push", PushResponse, PushRequest(mutations=batch)))

    def push(self) -> None:
        self.engine._push(SyncReport(), _quiet, threading.Event())

    def pull(self) -> None:
        self.engine._pull(SyncReport(), _quiet, threading.Event())

    def read_copy(self) -> None:
        page = received.read_page(
            self.engine._authorized(
                lambda token: self.engine.transport.fetch(
                    "GET", "/v1/sync/pull", params={"cursor": 0, "limit": 5000}, token=token
                )
            )
        )
        rows = page.changes + [r for g in page.grants for r in g.records]
        self.copies += [c for c in rows if c.row_id == self.case_id and c.entity == "case"]

    def late_copy(self) -> None:
        if self.copies:
            with self.device.store.db.transaction(remote=True) as session:
                apply.apply_changes(session, [self.rng.choice(self.copies)])

    def replay_answer(self) -> None:
        if self.answers:
            with self.device.store.db.transaction(remote=True) as session:
                for result in self.rng.choice(self.answers).results:
                    apply.apply_push_result(session, result)


def _outbox_carries_risk(store: Any) -> bool:
    with store.db.reading() as session:
        return any("risk_level" in e.changes for e in session.scalars(select(models.OutboxEntry)))


def _server_risk(agency: Any) -> str:
    record = agency.admin(lambda s: s.get(Record, ("case", agency.case_id)))
    return str(json.loads(record.fields)["risk_level"])


def _conflicts_naming(agency: Any, value: str, exclude: set[str]) -> list[str]:
    def find(session: Any) -> list[str]:
        rows = session.scalars(select(Record).where(Record.entity == CONFLICT_ENTITY)).all()
        return [
            r.id
            for r in rows
            if r.id not in exclude
            and json.loads(r.fields)["field"] == "risk_level"
            and json.loads(r.fields)["local"] == value
        ]

    return list(agency.admin(find))


def test_the_value_set_last_reaches_the_server_or_a_conflict(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(20261201)
    mine = Liaison(laptop("mine", "liaison"), agency.case_id, rng)
    boss = laptop("boss", "supervisor")

    def boss_edit() -> None:
        trail.append("boss edit")
        boss.sync()
        case = boss.store.repo.get(Case, agency.case_id)
        case.risk_level = rng.choice(VALUES)
        boss.store.repo.save(case)
        boss.sync()

    def edit() -> None:
        value = rng.choice(VALUES)
        trail.append(f"edit {value.value}")
        mine.edit(value)

    network: list[Callable[[], None]] = [
        mine.send_answer_lost,
        mine.send_answer_lost,
        mine.push,
        mine.pull,
        mine.read_copy,
        mine.late_copy,
        mine.late_copy,
        mine.replay_answer,
    ]
    trail: list[str] = []  # what happened, for the failure message

    def run(step: Callable[[], None]) -> None:
        trail.append(getattr(step, "__name__", "step"))
        step()

    try:
        for example in range(EXAMPLES):
            trail.clear()
            run(mine.read_copy)  # a copy of the row as it stands now, to arrive late at some point
            for _ in range(rng.randint(2, 8)):
                run(rng.choice([*network, boss_edit, edit]))
            last = rng.choice(VALUES)
            before = set(_conflicts_naming(agency, last.value, set()))
            trail.append(f"last edit {last.value}")
            mine.edit(last)
            # Unsent edits coalesce: a value set back to the copy the row stands on leaves nothing to
            # send (the person changed nothing the server has not seen), and a concurrent edit stands.
            carried = _outbox_carries_risk(mine.device.store)
            for _ in range(rng.randint(0, 6)):
                run(rng.choice(network))
            for _ in range(3):  # back on a good network
                mine.device.sync()
                if queries.outbox_size(mine.device.store.db) == 0:
                    break
            assert queries.outbox_size(mine.device.store.db) == 0, f"example {example}"
            on_server = _server_risk(agency)
            here = mine.device.store.repo.get(Case, agency.case_id).risk_level.value
            assert here == on_server, f"example {example}: the laptop shows {here}, the server {on_server}: {trail}"
            named = _conflicts_naming(agency, last.value, before)
            assert on_server == last.value or named or not carried, (
                f"example {example}: set {last.value} last, the server holds {on_server} "
                f"and no conflict names it, after {trail}"
            )
    finally:
        mine.engine.transport.close()
