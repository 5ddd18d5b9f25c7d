"""A first sync over many pages: stopped part-way (cancel, lock, network) it keeps every page it applied
with its cursor, stays searchable, and the next run ends with the same store as an uninterrupted one."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from helpers import PASSPHRASE
from sqlalchemy import select

from caseworker_app.domain import Note
from caseworker_app.store import models, queries, search_index
from caseworker_app.store.errors import StoreClosed
from caseworker_app.store.kinds import ROW_FOR_ENTITY
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync import engine as engine_module
from caseworker_app.sync.errors import Cancelled, ServerFault
from caseworker_app.sync.state import SyncState
from caseworker_server.importer import import_cases

FAMILIES = ("Okonkwo", "Marchetti", "Halvorsen", "Delacroix", "Sandoval", "Whitfield")


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def caseload(agency, laptop, monkeypatch):  # type: ignore[no-untyped-def]
    """Six more families for the supervisor's team, a note with words of its own; pulled two items a page."""
    cases = [
        {
            "id": new_id(),
            "reference": f"CW-2026-{100 + n:05d}",
            "family_name": family,
            "stage": "ongoing",
            "case_type": "preventive",
            "placement": "in_home",
            "risk_level": "low",
            "opened_on": "2026-02-01",
            "assigned_to": "liaison",
            "members": [
                {"id": new_id(), "role": "child", "first_name": f"Child{n}", "last_name": family, "grade": "4"},
                {"id": new_id(), "role": "caregiver", "first_name": f"Parent{n}", "last_name": family},
            ],
        }
        for n, family in enumerate(FAMILIES)
    ]
    agency.admin(import_cases, {"cases": cases})
    writer = laptop("writer", "liaison")
    writer.store.repo.save(
        Note(
            case_id=agency.case_id,
            author="liaison",
            narrative="Linh joined the weekend backpack programme; the counsellor will call Friday.",
            written_at=datetime.now(UTC),
        )
    )
    writer.sync()
    monkeypatch.setattr(engine_module, "FIRST_PULL_PAGE", 2)
    monkeypatch.setattr(engine_module, "PULL_PAGE", 2)
    return cases


def snapshot(store: LocalStore) -> dict[str, Any]:
    """Everything a sync brought: every row of every kind, the cursor, and what search finds."""
    held: dict[str, Any] = {}
    with store.db.reading() as session:
        for entity, row_type in [*ROW_FOR_ENTITY.items(), ("conflict", models.ConflictRow)]:
            table = row_type.__table__
            held[entity] = sorted(tuple(sorted(row._mapping.items())) for row in session.execute(select(table)))
        held["reference"] = sorted(
            (r.entity, r.id, r.version) for r in session.scalars(select(models.ReferenceRecord))
        )
        held["index owed"] = search_index.is_pending(session)
    held["cursor"] = SyncState.load(store).cursor
    held["search"] = {word: found(store, word) for word in (*FAMILIES, "backpack", "Nguyễn", "Parent3")}
    return held


def found(store: LocalStore, word: str) -> list[tuple[str, str]]:
    return sorted((hit.kind, hit.row_id) for hit in queries.search(store.db, word))


def cases_held(store: LocalStore) -> int:
    with store.db.reading() as session:
        return len(session.scalars(select(models.CaseRow.id)).all())


def run_stopped(device, cases: int, action, cancel: threading.Event | None = None) -> BaseException:  # type: ignore[no-untyped-def]
    """A sync whose progress does `action` once a page brought the store to `cases` cases; its error."""
    done = False

    def progress(_fraction: float, message: str) -> None:
        nonlocal done
        if message.startswith("Received") and not done and cases_held(device.store) >= cases:
            done = True
            action()

    engine = device.engine()
    try:
        with pytest.raises(Exception) as raised:
            engine.run(progress=progress, cancel=cancel)
    finally:
        engine.transport.close()
    return raised.value


def feed_threads() -> list[threading.Thread]:
    """The sync's download thread and its reader (which decodes the pages downloaded ahead)."""
    return [t for t in threading.enumerate() if t.name == "sync-pull-feed" or t.name.startswith("sync-pull-reader")]


def test_search_finds_what_a_first_sync_brought(caseload, laptop) -> None:  # type: ignore[no-untyped-def]
    reader = laptop("reader", "supervisor")
    held = snapshot(reader.store)
    assert len(held["case"]) == len(FAMILIES) + 1
    for family in FAMILIES:
        kinds = [kind for kind, _ in held["search"][family]]
        assert kinds.count("case") == 1 and kinds.count("person") == 2, (family, kinds)
    assert [kind for kind, _ in held["search"]["backpack"]] == ["note"]
    assert held["search"]["Parent3"] == [("person", caseload[3]["members"][1]["id"])]
    assert held["index owed"] is False


def test_a_cancelled_first_sync_keeps_its_pages_searchable_and_resumes_to_the_same_store(
    caseload, laptop
) -> None:  # type: ignore[no-untyped-def]
    whole = snapshot(laptop("whole", "supervisor").store)
    cut = laptop("cut", "supervisor", first_sync=False)
    cancel = threading.Event()
    error = run_stopped(cut, 2, cancel.set, cancel)
    assert isinstance(error, Cancelled)
    assert not feed_threads()  # the download side stopped too
    part = snapshot(cut.store)
    assert 0 < part["cursor"] < whole["cursor"]
    assert 0 < len(part["case"]) < len(whole["case"])
    assert part["index owed"] is False  # what arrived is searchable now
    held_families = {dict(row)["family_name"] for row in part["case"]}
    for family in FAMILIES:
        assert bool(part["search"][family]) == (family in held_families)

    cut.sync()
    assert snapshot(cut.store) == whole


def test_a_first_sync_cut_short_by_a_lock_is_searchable_at_the_next_open(caseload, laptop) -> None:  # type: ignore[no-untyped-def]
    whole = snapshot(laptop("whole", "supervisor").store)
    cut = laptop("cut", "supervisor", first_sync=False)
    error = run_stopped(cut, 2, cut.store.close)  # the laptop locks mid-sync: no index build now
    assert isinstance(error, StoreClosed)
    assert not feed_threads()

    cut.store = LocalStore.open(cut.home, PASSPHRASE)  # unlocking builds the index the sync owed
    part = snapshot(cut.store)
    assert part["index owed"] is False
    assert 0 < len(part["case"]) < len(whole["case"])
    held_families = {dict(row)["family_name"] for row in part["case"]}
    assert held_families & set(FAMILIES)
    for family in FAMILIES:
        assert bool(part["search"][family]) == (family in held_families)

    cut.sync()
    assert snapshot(cut.store) == whole


def test_a_download_error_mid_way_keeps_the_applied_pages_with_their_cursor(caseload, agency, laptop) -> None:  # type: ignore[no-untyped-def]
    whole = snapshot(laptop("whole", "supervisor").store)
    cut = laptop("cut", "supervisor", via_proxy=True, first_sync=False)
    proxy = agency.through_proxy()

    def break_the_network() -> None:
        for _ in range(20):  # more failures than the transport retries: the download gives up
            proxy.inject("http_500", "/v1/sync/pull")

    error = run_stopped(cut, 1, break_the_network)
    assert isinstance(error, ServerFault)
    assert not feed_threads()
    part = snapshot(cut.store)
    assert 0 < part["cursor"] < whole["cursor"]
    assert 0 < len(part["case"]) < len(whole["case"])
    assert part["index owed"] is False

    proxy.faults.clear()
    cut.sync()
    assert snapshot(cut.store) == whole
