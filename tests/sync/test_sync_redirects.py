"""No cleartext by redirect, and an untrusted certificate is never "offline" (issue 20, item 3).

A real HTTPS server on loopback (throw-away agency CA) answers every request with a redirect to
a plain-HTTP listener that records whatever reaches it: the password, a refresh token, case data.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import FAST_KDF, PASSPHRASE, SERVER_PASSWORD, agency_tls
from live_server import LiveServer

from caseworker_app.services.sync import run_once, sync_status
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.errors import Offline, SyncError
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.transport import Transport
from caseworker_server import admin

UNTRUSTED = "the server's certificate is not trusted; do not continue on this network and tell it"


@dataclass
class Capture:
    """What reached the plain-HTTP listener: request lines, headers and bodies."""

    received: list[bytes] = field(default_factory=list)


def _serve(httpd: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def cleartext_listener() -> Iterator[tuple[str, Capture]]:
    capture = Capture()

    class Record(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            capture.received.append(self.requestline.encode() + b"\n" + bytes(self.headers) + body)
            data = b'{"access_token": "x", "refresh_token": "y", "device_id": "d", "user_id": "u"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *_args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    _serve(httpd)
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", capture
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def tls_material(tmp_path: Path) -> tuple[Path, Path, Path]:
    return agency_tls(tmp_path)


def _redirecting_https(tls: tuple[Path, Path, Path], status: int, target: str) -> ThreadingHTTPServer:
    _ca, cert, key = tls

    class Redirect(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *_args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    _serve(httpd)
    return httpd


@pytest.mark.parametrize("status", [307, 308, 302, 301])
def test_enrolling_never_follows_a_redirect_to_plain_http(
    tmp_path: Path, tls_material: tuple[Path, Path, Path], cleartext_listener: tuple[str, Capture], status: int
) -> None:
    cleartext, capture = cleartext_listener
    httpd = _redirecting_https(tls_material, status, cleartext)
    url = f"https://127.0.0.1:{httpd.server_address[1]}"
    store = LocalStore.create(tmp_path / "p", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    try:
        transport = Transport(url, ca_bundle=str(tls_material[0]), retries=0)
        refused: SyncError | None = None
        try:
            enroll(store, url, "liaison", SERVER_PASSWORD, transport=transport)
        except SyncError as exc:
            refused = exc
        assert capture.received == [], "the password went to the plain-HTTP address"
        assert refused is not None and type(refused).__name__ == "Redirected"
        message = str(refused)
        assert cleartext in message and "does not follow redirects" in message and "IT" in message
        assert not isinstance(refused, Offline)
        assert not SyncState.load(store).enrolled
    finally:
        store.close()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def tls_server(tmp_path: Path, tls_material: tuple[Path, Path, Path]) -> Iterator[LiveServer]:
    _ca, cert, key = tls_material
    server = LiveServer(f"sqlite:///{tmp_path / 'tls.db'}", tls=(str(cert), str(key)))
    with server.db.write() as session:
        admin.add_user(session, "liaison", "liaison", SERVER_PASSWORD)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.db.dispose()


def test_a_server_that_starts_redirecting_gets_no_token_and_no_case_data(
    tmp_path: Path,
    tls_material: tuple[Path, Path, Path],
    tls_server: LiveServer,
    cleartext_listener: tuple[str, Capture],
) -> None:
    cleartext, capture = cleartext_listener
    home = tmp_path / "profile"
    store = LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    (home / "settings.json").write_text(json.dumps({"ca_bundle": str(tls_material[0])}), encoding="utf-8")
    httpd = _redirecting_https(tls_material, 307, cleartext)
    try:
        enroll(store, tls_server.url, "liaison", SERVER_PASSWORD)
        # The address now answers with a redirect (a hijacked DNS name, a misconfigured proxy).
        state = SyncState.load(store)
        state.server_url = f"https://127.0.0.1:{httpd.server_address[1]}"
        state.save(store)
        refresh_token = state.refresh_token
        with pytest.raises(SyncError) as caught:
            run_once(store)
        assert capture.received == []
        assert type(caught.value).__name__ == "Redirected"
        assert refresh_token and SyncState.load(store).refresh_token == refresh_token  # not lost either
    finally:
        store.close()
        httpd.shutdown()
        httpd.server_close()


def test_an_untrusted_certificate_is_reported_as_such_never_as_offline(
    tmp_path: Path, tls_server: LiveServer
) -> None:
    store = LocalStore.create(tmp_path / "p", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    try:
        # No agency CA configured: the server's certificate cannot be verified (as with an interceptor).
        with pytest.raises(SyncError) as caught:
            enroll(store, tls_server.url, "liaison", SERVER_PASSWORD, transport=Transport(tls_server.url, retries=3))
        assert not isinstance(caught.value, Offline)
        assert UNTRUSTED in str(caught.value).lower()
        assert not SyncState.load(store).enrolled
    finally:
        store.close()


def test_a_sync_run_meeting_an_untrusted_certificate_says_so_not_offline(
    tmp_path: Path, tls_material: tuple[Path, Path, Path], tls_server: LiveServer
) -> None:
    home = tmp_path / "profile"
    store = LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    settings_file = home / "settings.json"
    settings_file.write_text(json.dumps({"ca_bundle": str(tls_material[0])}), encoding="utf-8")
    try:
        enroll(store, tls_server.url, "liaison", SERVER_PASSWORD)
        # Another network: something presents a certificate the agency's CA did not sign.
        (tmp_path / "elsewhere").mkdir()
        other_ca = agency_tls(tmp_path / "elsewhere")[0]
        settings_file.write_text(json.dumps({"ca_bundle": str(other_ca)}), encoding="utf-8")
        with pytest.raises(SyncError) as caught:
            run_once(store)
        assert not isinstance(caught.value, Offline)
        status = sync_status(store)
        assert status["online"] is not False
        assert UNTRUSTED in str(status["last_error"]).lower()
    finally:
        store.close()
