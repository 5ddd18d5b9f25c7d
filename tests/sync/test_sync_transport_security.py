"""TLS or nothing, the agency CA for every request, no credentials from the environment,
and wipe orders obeyed only when signed by the enrolled server for this laptop (issue 12, item 2)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers import FAST_KDF, PASSPHRASE, agency_tls, free_port
from live_server import LiveServer

from caseworker_app.domain import Note
from caseworker_app.services.sync import run_once
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.errors import InsecureServer, UntrustedCertificate, UnverifiedWipe, WipeOrdered
from caseworker_app.sync.protocol import wipe_order_message
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.transport import Transport
from caseworker_app.sync.wipe import carry_out_wipe
from caseworker_server import admin
from caseworker_server.models import Record

PASSWORD = "server password 1"


@pytest.mark.parametrize("url", ["http://sync.agency.example", "http://10.0.0.5:8600", "ftp://sync.agency.example"])
def test_enroll_refuses_plain_http_to_another_host(tmp_path: Path, url: str) -> None:
    store = LocalStore.create(tmp_path / "p", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    try:
        with pytest.raises(InsecureServer, match="https://"):
            enroll(store, url, "liaison", PASSWORD)
        assert not SyncState.load(store).enrolled
    finally:
        store.close()


@pytest.mark.parametrize("url", ["http://127.0.0.1:8600", "http://localhost:8600", "http://[::1]:8600"])
def test_plain_http_to_this_machine_is_allowed(url: str) -> None:
    Transport(url).close()


def test_environment_proxies_are_ignored(agency, laptop, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    dead = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("HTTP_PROXY", dead)
    monkeypatch.setenv("HTTPS_PROXY", dead)
    monkeypatch.setenv("ALL_PROXY", dead)
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setenv("no_proxy", "")
    assert device.sync().pulled >= 0  # straight to the server, not through the environment's proxy


# -- TLS with the agency's own CA -------------------------------------------------------------


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[LiveServer, Path]]:
    ca, cert, key = agency_tls(tmp_path)
    server = LiveServer(f"sqlite:///{tmp_path / 'tls.db'}", tls=(str(cert), str(key)))
    with server.db.write() as session:
        admin.add_user(session, "liaison", "liaison", PASSWORD)
    server.start()
    try:
        yield server, ca
    finally:
        server.stop()
        server.db.dispose()


def test_enroll_uses_the_configured_agency_ca(tls_server: tuple[LiveServer, Path], tmp_path: Path) -> None:
    server, ca = tls_server
    home = tmp_path / "profile"
    store = LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    try:
        # Without the agency CA the server's certificate is not trusted: no password is sent.
        with pytest.raises(UntrustedCertificate):
            enroll(store, server.url, "liaison", PASSWORD, transport=Transport(server.url, retries=0))
        (home / "settings.json").write_text(json.dumps({"ca_bundle": str(ca)}), encoding="utf-8")
        state = enroll(store, server.url, "liaison", PASSWORD)
        assert state.enrolled and state.wipe_key
        assert run_once(store).report is not None  # the sync run trusts the same CA
    finally:
        store.close()


# -- wipe orders --------------------------------------------------------------------------------


class _WipeEverything(BaseHTTPRequestHandler):
    """A fake server: every request is answered "401, wipe this laptop"."""

    order: dict[str, Any] | None = None

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body: dict[str, Any] = {"detail": "wipe", "code": "wipe", "wipe": True}
        if self.order is not None:
            body["wipe_order"] = self.order
        data = json.dumps(body).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[tuple[str, type[_WipeEverything]]]:
    handler = type("Handler", (_WipeEverything,), {"order": None})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def _point_at(device: Any, url: str) -> None:
    state = SyncState.load(device.store)
    state.server_url = url
    state.save(device.store)


def _forged_order(device_id: str) -> dict[str, Any]:
    issued = dt.datetime.now(dt.UTC).isoformat()
    signature = Ed25519PrivateKey.generate().sign(wipe_order_message("liaison", device_id, issued))
    return {
        "username": "liaison",
        "device_id": device_id,
        "issued_at": issued,
        "signature": base64.b64encode(signature).decode(),
    }


@pytest.mark.parametrize("forged", [False, True])
def test_a_fake_server_cannot_wipe_a_laptop(agency, laptop, fake_server, forged: bool) -> None:  # type: ignore[no-untyped-def]
    url, handler = fake_server
    device = laptop("mine", "liaison")
    note = Note(
        case_id=agency.case_id, author="liaison", narrative="Not synced yet.", written_at=dt.datetime.now(dt.UTC)
    )
    device.store.repo.save(note)
    if forged:
        handler.order = _forged_order(SyncState.load(device.store).device_id)
    _point_at(device, url)
    with pytest.raises(UnverifiedWipe, match="Nothing was erased"):
        run_once(device.store)
    assert Profile(device.home).exists
    assert device.store.repo.get(Note, note.id).narrative == "Not synced yet."


def test_a_genuine_order_for_another_laptop_is_not_obeyed(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, lost = laptop("mine", "liaison"), laptop("lost", "liaison")
    agency.admin(admin.wipe_device, SyncState.load(lost.store).device_id)
    with pytest.raises(WipeOrdered) as ordered:
        lost.sync()
    assert ordered.value.order is not None
    with pytest.raises(UnverifiedWipe):
        carry_out_wipe(mine.store, ordered.value.order)
    assert Profile(mine.home).exists


def test_a_wiped_laptop_sends_nothing_at_its_next_contact(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    # Issue 20, item 1: from the order on, whoever holds the laptop adds nothing to the agency's
    # records (only a push already under way may finish: tests/server/test_server_lost_laptop.py).
    device = laptop("lost", "liaison")
    note = Note(
        case_id=agency.case_id,
        author="liaison",
        narrative="Typed on the lost laptop.",
        written_at=dt.datetime.now(dt.UTC),
    )
    device.store.repo.save(note)
    agency.admin(admin.wipe_device, SyncState.load(device.store).device_id)
    outcome = run_once(device.store)
    assert outcome.wiped and outcome.wipe_reported
    assert not Profile(device.home).exists
    with agency.server.db.read() as session:
        assert session.get(Record, ("note", note.id)) is None
