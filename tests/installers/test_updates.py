"""The signed update feed: installers/publish writes a TUF repository, the app checks it over loopback."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from installer_kit import INSTALLERS, run_tool

from caseworker_app.services.updates import UpdateError, check_for_update
from caseworker_app.settings import Settings

NEW_DEB = "caseworker_0.2.0_amd64.deb"


class Feed:
    """A TUF repository made with installers/publish, served over HTTP on 127.0.0.1."""

    def __init__(self, base: Path) -> None:
        self.keys = base / "keys"
        self.repo = base / "repo"
        self.requests: list[str] = []
        self.url = ""

    def publish(self, *args: str | Path) -> None:
        done = run_tool(INSTALLERS / "publish", *args, "--repo", self.repo, "--keys", self.keys, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    def installer(self, folder: Path, name: str, content: bytes) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path


@pytest.fixture
def feed(tmp_path: Path) -> Iterator[Feed]:
    feed = Feed(tmp_path / "feed")
    done = run_tool(INSTALLERS / "publish", "keygen", "--keys", feed.keys)
    assert done.returncode == 0 and "THROW-AWAY" in done.stdout
    feed.publish("init")
    requests = feed.requests

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            requests.append(self.path)

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(feed.repo)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    feed.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield feed
    server.shutdown()
    server.server_close()
    thread.join()


def _settings(tmp_path: Path, **policy: object) -> Settings:
    # The test-wide CASEWORKER_POLICY points here; in a real install it is /etc/caseworker/policy.json.
    Path(os.environ["CASEWORKER_POLICY"]).write_text(json.dumps(policy), encoding="utf-8")
    return Settings()


def _check(feed: Feed, tmp_path: Path, current: str = "0.1.0", **policy: object) -> object:
    settings = _settings(tmp_path, updates_url=feed.url, **policy)
    return check_for_update(settings, tmp_path / "cache", current=current,
                            trusted_root=feed.repo / "metadata" / "1.root.json", platform="linux-deb")


def test_keys_never_land_in_the_published_repository(feed: Feed, tmp_path: Path) -> None:
    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package"))
    for path in feed.repo.rglob("*"):
        if path.is_file():
            assert b"PRIVATE KEY" not in path.read_bytes(), path


def test_a_newer_version_is_offered_with_its_verified_installer(feed: Feed, tmp_path: Path) -> None:
    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package " * 1000))
    check = _check(feed, tmp_path)
    assert check.offer is not None  # type: ignore[attr-defined]
    assert check.offer.version == "0.2.0"  # type: ignore[attr-defined]
    assert check.offer.installer.read_bytes() == b"new package " * 1000  # type: ignore[attr-defined]


def test_the_same_version_is_not_offered(feed: Feed, tmp_path: Path) -> None:
    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package"))
    check = _check(feed, tmp_path, current="0.2.0")
    assert check.offer is None and "up to date" in check.reason  # type: ignore[attr-defined]


def test_no_check_at_all_when_it_manages_updates(feed: Feed, tmp_path: Path) -> None:
    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package"))
    check = _check(feed, tmp_path, updates_managed_by_it=True)
    assert check.offer is None and "IT installs updates" in check.reason  # type: ignore[attr-defined]
    assert feed.requests == []  # the feed was never contacted


@pytest.mark.parametrize(("evil", "error"), [
    (b"evil package", "LengthOrHashMismatchError"),  # same length, other bytes
    (b"evil package, longer", "DownloadLengthMismatchError"),
])
def test_a_tampered_installer_is_refused(feed: Feed, tmp_path: Path, evil: bytes, error: str) -> None:
    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package!"))
    (feed.repo / "targets" / NEW_DEB).write_bytes(evil)
    with pytest.raises(UpdateError, match=error):
        _check(feed, tmp_path)
    downloaded = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.read_bytes() == evil]
    assert downloaded == []


def test_an_expired_timestamp_is_refused(feed: Feed, tmp_path: Path) -> None:
    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package"))
    feed.publish("timestamp", "--expires-hours", "-1")  # a frozen feed: nobody re-signed it
    with pytest.raises(UpdateError, match="ExpiredMetadataError"):
        _check(feed, tmp_path)


def test_a_rollback_to_older_metadata_is_refused(feed: Feed, tmp_path: Path) -> None:
    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package"))
    old = tmp_path / "old-metadata"
    shutil.copytree(feed.repo / "metadata", old)
    feed.publish("add", "--version", "0.3.0", feed.installer(tmp_path, "caseworker_0.3.0_amd64.deb", b"newer"))
    assert _check(feed, tmp_path).offer.version == "0.3.0"  # type: ignore[attr-defined]
    # An attacker (or a stale mirror) serves the older, validly signed metadata again.
    shutil.rmtree(feed.repo / "metadata")
    shutil.copytree(old, feed.repo / "metadata")
    with pytest.raises(UpdateError, match="BadVersionNumberError"):
        _check(feed, tmp_path)


def test_a_plain_http_feed_elsewhere_than_loopback_is_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path, updates_url="http://updates.agency.example")
    with pytest.raises(UpdateError, match="https://"):
        check_for_update(settings, tmp_path / "cache", trusted_root=tmp_path / "root.json")


def test_the_terminal_offers_a_verified_newer_version(feed: Feed, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers import run_cli

    from caseworker_app.services import updates

    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package"))
    _settings(tmp_path, updates_url=feed.url)
    monkeypatch.setattr(updates, "SHIPPED_ROOT", feed.repo / "metadata" / "1.root.json")  # the bundle ships one
    monkeypatch.setattr(updates, "platform_key", lambda platform=None: "linux-deb")
    code, out, err = run_cli(capsys, monkeypatch, "update", stdin="")
    assert code == 0, err
    assert "Caseworker 0.2.0 is available" in out and NEW_DEB in out

    _settings(tmp_path, updates_url=feed.url, updates_managed_by_it=True)
    code, out, err = run_cli(capsys, monkeypatch, "update", stdin="")
    assert code == 0 and out.strip() == "IT installs updates on this computer."


def test_the_window_offers_a_verified_newer_version(feed: Feed, tmp_path: Path, qtbot: object,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from caseworker_app.services import updates
    from caseworker_app.ui.updates import check_updates

    feed.publish("add", "--version", "0.2.0", feed.installer(tmp_path, NEW_DEB, b"new package"))
    _settings(tmp_path, updates_url=feed.url)
    monkeypatch.setattr(updates, "SHIPPED_ROOT", feed.repo / "metadata" / "1.root.json")
    monkeypatch.setattr(updates, "platform_key", lambda platform=None: "linux-deb")
    parent = QWidget()
    qtbot.addWidget(parent)  # type: ignore[attr-defined]
    check_updates(parent, tmp_path / "cache")
    qtbot.waitUntil(lambda: bool(parent.findChildren(QMessageBox)), timeout=30000)  # type: ignore[attr-defined]
    (box,) = parent.findChildren(QMessageBox)
    assert "Caseworker 0.2.0 is available" in box.text() and box.informativeText().endswith(NEW_DEB)
    assert Path(box.informativeText()).read_bytes() == b"new package"
