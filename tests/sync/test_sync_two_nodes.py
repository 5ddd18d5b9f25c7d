"""Two server nodes on one PostgreSQL database behave as one server: the storm of test_sync_convergence
with laptops alternating between nodes (one switching mid-run) loses nothing, duplicates nothing and
makes the same conflicts as one node; sign-in limits, refresh-token rotation and wipe orders hold
whichever node a laptop reaches."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fleetkit import Agency, Laptop, make_laptop, seed_agency, throwaway_database
from helpers import SERVER_PASSWORD
from sqlalchemy import select
from test_sync_convergence import local_snapshot, plain

from benchmarks.load.fleet import node
from caseworker_app.domain import Case, Person, Task
from caseworker_app.domain.vocabulary import RiskLevel, TaskStatus
from caseworker_server import admin
from caseworker_server.models import Record, RecordHistory

pytestmark = pytest.mark.postgresql

SEED = 20261205
ROUNDS = 5
EDITS_PER_ROUND = 7
PROTOCOL = {"X-Caseworker-Protocol": "1"}
Key = tuple[str, str, str]


@dataclass
class Nodes:
    agency: Agency
    urls: list[str]


def start_nodes(stack: ExitStack, folder: Path, count: int) -> Nodes:
    database = stack.enter_context(throwaway_database())
    agency = seed_agency(database)
    return Nodes(agency, [stack.enter_context(node(database, folder)).url for _ in range(count)])


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nodes]:
    with ExitStack() as stack:
        yield start_nodes(stack, tmp_path_factory.mktemp("two-nodes"), 2)


def steady_edit(rng: random.Random, laptop: Laptop, agency: Agency, round_no: int) -> tuple[Key, Any, Any] | None:
    """The storm's offline edit, picking rows by content (ids differ between runs) so that two runs with
    one seed make the same edits: (key, value before, value after) of a row the server knows, or None."""
    repo = laptop.store.repo
    roll = rng.random()
    tasks = sorted(repo.all(Task), key=lambda t: (t.title, t.due_on.isoformat(), t.status.value))
    if roll < 0.2 or not tasks:
        title = f"{laptop.name} r{round_no} new {rng.randint(0, 10**6)}"
        repo.save(Task(case_id=agency.case_id, title=title, due_on=date(2026, 12, 1) + timedelta(rng.randint(0, 60))))
        return None
    record: Any
    if roll < 0.6:
        record = rng.choice(tasks)
        field = rng.choice(["title", "status", "due_on"])
        before = plain(getattr(record, field))
        if field == "title":
            record.title = f"{laptop.name} r{round_no} title {rng.randint(0, 10**6)}"
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
    known = record.version > 0
    repo.save(record)
    return ((entity, record.id, field), before, plain(getattr(record, field))) if known else None


def storm(nodes: Nodes, home: Path, route: Callable[[str, int], int]) -> list[tuple[str, str, str, str]]:
    """The seeded storm; `route(laptop, round)` picks the node of each sync. Checks convergence, no
    lost edit and no duplicate, and returns the conflicts by content: (entity, field, local, server)."""
    rng = random.Random(SEED)
    agency = nodes.agency
    laptops = [
        make_laptop(home, "laptop-a", "liaison", nodes.urls[route("laptop-a", 0)]),
        make_laptop(home, "laptop-b", "liaison", nodes.urls[route("laptop-b", 0)]),
        make_laptop(home, "desk", "supervisor", nodes.urls[route("desk", 0)]),
    ]
    every_edit: list[tuple[str, str, str, Any]] = []
    created = 0
    for round_no in range(ROUNDS):
        pending: dict[str, dict[Key, list[Any]]] = defaultdict(dict)
        for laptop in laptops:
            for _ in range(EDITS_PER_ROUND):
                tasks_before = len(laptop.store.repo.all(Task))
                edit = steady_edit(rng, laptop, agency, round_no)
                created += len(laptop.store.repo.all(Task)) - tasks_before
                if edit is not None:
                    key, before, after = edit
                    pending[laptop.name].setdefault(key, [before, after])[1] = after
        for laptop in rng.sample(laptops, len(laptops)):
            every_edit += [(*key, new) for key, (base, new) in pending[laptop.name].items() if new != base]
            laptop.url = nodes.urls[route(laptop.name, round_no)]
            laptop.sync()
    for final in range(2):  # everyone hears everything, from either node
        for laptop in laptops:
            laptop.url = nodes.urls[route(laptop.name, ROUNDS + final)]
            laptop.sync()

    def read(session: Any) -> tuple[dict[tuple[str, str], int], dict[Key, set[str]], list[dict[str, Any]], int]:
        server = {
            (r.entity, r.id): r.version for r in session.scalars(select(Record).where(Record.case_id.isnot(None)))
        }
        history: dict[Key, set[str]] = defaultdict(set)
        for h in session.scalars(select(RecordHistory)):
            for name, value in json.loads(h.fields).items():
                history[(h.entity, h.row_id, name)].add(json.dumps(value))
        conflicts = [json.loads(r.fields) for r in session.scalars(select(Record).where(Record.entity == "conflict"))]
        tasks = len(session.scalars(select(Record.id).where(Record.entity == "task")).all())
        return server, history, conflicts, tasks

    server, history, conflicts, tasks = agency.admin(read)
    for laptop in laptops:
        assert local_snapshot(laptop) == server, f"{laptop.name} differs from the server"
        laptop.store.close()
    assert tasks == created, "a task was lost or stored twice"
    losing = {(c["entity"], c["row_id"], c["field"], json.dumps(c["local"])) for c in conflicts}
    for entity, row_id, field, value in every_edit:
        kept = (
            json.dumps(value) in history[(entity, row_id, field)]
            or (entity, row_id, field, json.dumps(value)) in losing
        )
        assert kept, f"an edit of {entity}.{field} is missing"
    return sorted((c["entity"], c["field"], json.dumps(c["local"]), json.dumps(c["server"])) for c in conflicts)


def test_two_nodes_converge_and_conflict_exactly_as_one_node(two_nodes: Nodes, tmp_path: Path) -> None:
    with ExitStack() as stack:
        (tmp_path / "one").mkdir()
        one_node = start_nodes(stack, tmp_path / "one", 1)
        on_one = storm(one_node, tmp_path / "one", lambda laptop, round_no: 0)

    def alternate(laptop: str, round_no: int) -> int:
        if laptop == "laptop-b":  # one laptop stays on the first node, then moves for good mid-run
            return 0 if round_no < ROUNDS // 2 else 1
        return (round_no + (laptop == "desk")) % 2

    (tmp_path / "two").mkdir()
    on_two = storm(two_nodes, tmp_path / "two", alternate)
    assert len(on_one) > 3  # the storm really made laptops disagree
    assert Counter(on_two) == Counter(on_one)


def _sign_in(url: str, username: str, password: str, device_id: str) -> httpx.Response:
    body = {"username": username, "password": password, "device_id": device_id, "device_name": "laptop"}
    return httpx.post(f"{url}/v1/auth/token", json=body, headers=PROTOCOL)


def _refresh(url: str, token: str, device_id: str) -> httpx.Response:
    return httpx.post(f"{url}/v1/auth/refresh", json={"refresh_token": token, "device_id": device_id}, headers=PROTOCOL)


def _pull(url: str, access_token: str) -> httpx.Response:
    headers = {**PROTOCOL, "Authorization": f"Bearer {access_token}"}
    return httpx.get(f"{url}/v1/sync/pull", params={"cursor": 0}, headers=headers)


def _new_user(nodes: Nodes) -> str:
    username = f"liaison-{uuid.uuid4().hex[:6]}"
    nodes.agency.admin(lambda s: admin.add_user(s, username, "liaison", SERVER_PASSWORD, supervisor="supervisor"))
    return username


def test_failed_sign_ins_count_across_nodes(two_nodes: Nodes) -> None:
    username, device = _new_user(two_nodes), str(uuid.uuid4())
    first, second = two_nodes.urls
    for n in range(5):  # the free failures, spread over both nodes
        assert _sign_in(two_nodes.urls[n % 2], username, "wrong password", device).status_code == 401
    # Each node alone saw two or three failures; together they are over the limit, so even the right password waits.
    waiting = _sign_in(first, username, SERVER_PASSWORD, device)
    assert waiting.status_code == 429 and int(waiting.headers["Retry-After"]) > 0
    assert _sign_in(second, username, SERVER_PASSWORD, device).status_code == 429


def test_a_refresh_token_replayed_on_the_other_node_ends_the_sign_in(two_nodes: Nodes) -> None:
    first, second = two_nodes.urls
    username, device = _new_user(two_nodes), str(uuid.uuid4())
    spent = _sign_in(first, username, SERVER_PASSWORD, device).json()["refresh_token"]
    successor = _refresh(first, spent, device).json()
    newest = _refresh(second, successor["refresh_token"], device).json()  # the successor used, elsewhere
    assert _pull(first, newest["access_token"]).status_code == 200

    replay = _refresh(second, spent, device)
    assert replay.status_code == 401 and replay.json()["code"] == "token_reused"
    assert _pull(first, newest["access_token"]).status_code == 401  # the whole chain, on every node
    assert _refresh(first, newest["refresh_token"], device).status_code == 401


def test_a_wipe_order_reaches_the_laptop_on_either_node(two_nodes: Nodes) -> None:
    first, second = two_nodes.urls
    username, device = _new_user(two_nodes), str(uuid.uuid4())
    tokens = _sign_in(first, username, SERVER_PASSWORD, device).json()
    two_nodes.agency.admin(lambda s: admin.wipe_device(s, device, username))
    for url in (first, second):
        pulled = _pull(url, tokens["access_token"])
        assert pulled.status_code == 401 and pulled.json()["code"] == "wipe"
        refreshed = _refresh(url, tokens["refresh_token"], device)
        assert refreshed.status_code == 401 and refreshed.json()["code"] == "wipe"
