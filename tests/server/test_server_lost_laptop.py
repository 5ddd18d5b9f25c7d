"""The README's lost-laptop and leaver procedures, end to end: the admin commands as IT types them,
the real client on the laptops, a real server on loopback (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from helpers import FAST_KDF, PASSPHRASE
from serverkit import PASSWORD, PROTOCOL, World, build_world

from caseworker_app.domain import Case, Note, Person
from caseworker_app.services.sync import run_once
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.errors import SignInRequired, UnverifiedWipe
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.wipe import check_wipe_order
from caseworker_server import cli as server_cli
from caseworker_server.keys import sign_wipe_order
from caseworker_server.models import Record

NEW_PASSWORD = "a brand new pass phrase"


@dataclass
class Agency:
    world: World
    url: str
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    def it(self, *args: str, stdin: str = "") -> str:
        """One `caseworker-server` command as IT types it; its output."""
        self.capsys.readouterr()
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = server_cli.main(["--database-url", self.world.url, *args])
        out, err = self.capsys.readouterr()
        assert code == 0, err
        return out

    def laptop(self, home: Path, username: str, password: str = PASSWORD) -> LocalStore:
        store = LocalStore.create(home, PASSPHRASE, worker=username, kdf=KdfParams.fresh(**FAST_KDF))
        enroll(store, self.url, username, password)
        run_once(store)
        return store

    def refresh(self, token: str, device_id: str) -> httpx.Response:
        body = {"refresh_token": token, "device_id": device_id}
        return httpx.post(f"{self.url}/v1/auth/refresh", json=body, headers=PROTOCOL, timeout=60)

    def sign_in(self, username: str, password: str) -> httpx.Response:
        body = {"username": username, "password": password, "device_id": "6c9f0d5e-3b7a-4c21-9e8f-1a2b3c4d5e6f"}
        return httpx.post(f"{self.url}/v1/auth/token", json=body, headers=PROTOCOL, timeout=60)

    def server_row(self, entity: str, row_id: str) -> Any:
        with self.world.db.read() as session:
            return session.get(Record, (entity, row_id))


@pytest.fixture
def agency(database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Agency]:
    world = build_world(database_url)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(world.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield Agency(world, f"http://127.0.0.1:{port}", capsys, monkeypatch)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        world.client.close()
        world.db.dispose()


def _now() -> datetime:
    return datetime.now(UTC)


def _device_id(listing: str, username: str) -> str:
    (line,) = [line for line in listing.splitlines() if f"\t{username}\t" in line]
    return line.split("\t")[0]


def test_the_lost_laptop_procedure(agency: Agency, tmp_path: Path, memory_keyring: Any) -> None:
    lost = agency.laptop(tmp_path / "lost", "liaison")
    own = agency.world.cases["own"]
    assert lost.repo.get(Case, own) is not None
    state = SyncState.load(lost)
    # Unsent work on the laptop, and a copy of its tokens in a thief's hands.
    lost.repo.save(
        Note(case_id=own, author="liaison", narrative="Not sent before the laptop was lost.", written_at=_now())
    )
    stolen_refresh, device_id = state.refresh_token, state.device_id

    # IT, as the README says.
    assert _device_id(agency.it("device", "list", "--user", "liaison"), "liaison") == device_id
    agency.it("device", "wipe", device_id, "--user", "liaison")
    agency.it("user", "reset-password", "liaison", stdin=NEW_PASSWORD + "\n")

    # The thief's copy of the refresh token is worth nothing: no token is issued after the order.
    refused = agency.refresh(stolen_refresh, device_id)
    assert refused.status_code == 401 and refused.json()["code"] == "wipe"
    assert agency.sign_in("liaison", PASSWORD).status_code == 401

    # The laptop's next contact: it checks the order, destroys everything, and reports it.
    home = lost.profile.home
    outcome = run_once(lost)
    assert outcome.wiped and outcome.wipe_reported
    assert not Profile(home).exists and memory_keyring.secrets == {}
    assert "\twiped\t" in agency.it("device", "list", "--user", "liaison")
    assert agency.refresh(stolen_refresh, device_id).status_code == 401

    # The liaison's replacement laptop, enrolled with the new password, has the case again;
    # the note the lost laptop never sent is not on the server.
    fresh = agency.laptop(tmp_path / "replacement", "liaison", NEW_PASSWORD)
    try:
        assert fresh.repo.get(Case, own) is not None
        assert fresh.repo.for_case(Note, own) == []
    finally:
        fresh.close()


def test_a_wipe_ordered_during_a_sync_lets_that_push_finish_then_wipes(agency: Agency, tmp_path: Path) -> None:
    laptop = agency.laptop(tmp_path / "lost", "liaison")
    own, child_id = agency.world.cases["own"], agency.world.child["own"]
    child = laptop.repo.get(Person, child_id)
    child.grade = "5"
    laptop.repo.save(child)  # an edit of a record the server holds
    note = Note(case_id=own, author="liaison", narrative="A new note in the same push.", written_at=_now())
    laptop.repo.save(note)
    device_id = SyncState.load(laptop).device_id

    def progress(_fraction: float, message: str) -> None:
        if message.startswith("Sending"):  # signed in, the push about to go: IT orders the wipe now
            agency.it("device", "wipe", device_id, "--user", "liaison")

    outcome = run_once(laptop, progress=progress)
    assert outcome.wiped and outcome.wipe_reported
    row = agency.server_row("person", child_id)
    assert row is not None and json.loads(row.fields)["grade"] == "5"
    assert agency.server_row("note", note.id) is None  # nothing new from a laptop ordered wiped


def test_a_genuine_order_for_another_account_is_not_obeyed(agency: Agency, tmp_path: Path) -> None:
    mine = agency.laptop(tmp_path / "mine", "liaison")
    try:
        state = SyncState.load(mine)
        with agency.world.db.write() as session:
            # Signed by the real server for the same device id, but for another account.
            order = sign_wipe_order(session, "liaison2", state.device_id, "2026-12-05T00:00:00+00:00")
        with pytest.raises(UnverifiedWipe):
            check_wipe_order(state, order.model_dump())
        with agency.world.db.write() as session:
            check_wipe_order(state, sign_wipe_order(session, "liaison", state.device_id, "x").model_dump())
    finally:
        mine.close()


def test_the_leaver_procedure(agency: Agency, tmp_path: Path) -> None:
    leaver = agency.laptop(tmp_path / "leaver", "liaison")
    kept = agency.laptop(tmp_path / "kept", "liaison")  # a second laptop, handed back to IT
    colleague = agency.laptop(tmp_path / "colleague", "liaison2")
    own = agency.world.cases["own"]
    leaver_state = SyncState.load(leaver)
    try:
        agency.it("user", "disable", "liaison")
        agency.it("case", "assign", own, "liaison2")
        agency.it("device", "wipe", leaver_state.device_id, "--user", "liaison")

        # The right password gets the answer a wrong one gets.
        right, wrong = agency.sign_in("liaison", PASSWORD), agency.sign_in("liaison", "not the password")
        assert right.status_code == wrong.status_code == 401 and right.json() == wrong.json()
        # The laptop handed back is told the account is disabled; its session is over for good.
        with pytest.raises(SignInRequired, match="disabled"):
            run_once(kept)
        # The laptop not handed back wipes itself at its next contact, disabled account or not.
        home = leaver.profile.home
        assert run_once(leaver).wiped and not Profile(home).exists
        # The colleague now holds the case.
        run_once(colleague)
        assert colleague.repo.get(Case, own).assigned_worker == "liaison2"

        # Enabling the account again revives none of its old sessions: the person enrolls again.
        agency.it("user", "enable", "liaison")
        with pytest.raises(SignInRequired):
            run_once(kept)
        enroll(kept, agency.url, "liaison", PASSWORD)
        assert run_once(kept).report is not None
    finally:
        kept.close()
        colleague.close()
