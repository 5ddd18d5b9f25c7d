"""The load test's bulk provisioning gives each simulated liaison what `seed-demo` would: a real laptop
signed in as one of them syncs its own demo-sized caseload, assigned to it, and nobody else's."""

from __future__ import annotations

import sys
from pathlib import Path

from fleetkit import make_laptop, throwaway_database
from helpers import SERVER_PASSWORD

from benchmarks.load.provision import TEAM_SIZE, TEMPLATES, provision
from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain import Case
from caseworker_app.domain.entities import ENTITY_NAMES
from caseworker_server.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
from live_server import LiveServer


def test_provisioned_liaisons_sync_their_own_demo_caseload(tmp_path: Path) -> None:
    liaisons = TEMPLATES + 4  # two liaisons share a generated caseload: their ids must still differ
    with throwaway_database() as database:
        names = provision(database, liaisons, SERVER_PASSWORD, progress=lambda _line: None)
        # Every generated case, closed ones too: retiring closed cases from laptops has its own tests
        # (test_server_retention), and which demo cases it retires depends on today's date.
        server = LiveServer(database, settings=Settings(closed_case_days=0))
        server.start()
        try:
            one = make_laptop(tmp_path, "one", names[1], server.url)
            twin = make_laptop(tmp_path, "twin", names[1 + TEMPLATES], server.url)
            boss = make_laptop(tmp_path, "boss", "load-supervisor-0000", server.url)
        finally:
            server.stop()

    expected = generate_caseload("default", seed=1001, worker=names[1])
    cases = one.store.repo.all(Case)
    assert sorted(c.family_name for c in cases) == sorted(c.family_name for c in expected.cases)
    assert {c.assigned_worker for c in cases} == {names[1]}
    held = sum(len(one.store.repo.all(kind)) for kind in ENTITY_NAMES if kind in {type(r) for r in expected.records()})
    assert held == len(list(expected.records()))

    twin_cases = {c.id for c in twin.store.repo.all(Case)}
    assert len(twin_cases) == len(cases)
    assert twin_cases.isdisjoint(c.id for c in cases)  # the same template, renumbered per liaison

    # The supervisor of the first team sees the cases of its TEAM_SIZE liaisons, no more.
    assert len(boss.store.repo.all(Case)) == min(TEAM_SIZE, liaisons) * len(expected.cases)
