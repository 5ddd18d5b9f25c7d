"""A sync's pages commit without stopping to copy the write-ahead log into the database; a thread of
its own copies it, ordinary saves keep SQLite's own checkpoints, and a locked store leaves no thread."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE

from caseworker_app.store import models
from caseworker_app.store.checkpoints import Checkpointer
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile_label import DATABASE_FILE


def _write_pulled_pages(store: LocalStore, megabytes: int) -> None:
    with store.db.transaction(remote=True, durable=False) as session:  # as a pulled page is committed
        for n in range(megabytes * 256):
            session.add(models.LocalSetting(key=f"page-{n}", value="x" * 4000))


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "store-checkpoint"]


def test_the_log_reaches_the_database_file_off_the_committing_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalStore.create(tmp_path / "p", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    database, log = tmp_path / "p" / DATABASE_FILE, tmp_path / "p" / (DATABASE_FILE + "-wal")
    asked = threading.Event()
    real_soon = Checkpointer.soon
    monkeypatch.setattr(Checkpointer, "soon", lambda self: asked.set())  # held back for a moment
    before = database.stat().st_size
    _write_pulled_pages(store, 6)  # 1,500 pages: past the 1,000 at which a commit would copy the log
    assert asked.is_set()
    assert log.stat().st_size > 6_000_000  # the commit left the log as it was...
    assert database.stat().st_size == before  # ...and did not wait for the copy

    real_soon(store.db.checkpoints)  # the thread does it
    deadline = time.monotonic() + 10
    while database.stat().st_size < before + 6_000_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert database.stat().st_size >= before + 6_000_000

    with store.db.transaction() as session:  # an ordinary save: SQLite checkpoints as it always did
        assert session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
        assert session.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    store.close()
    assert not _checkpoint_threads()


def test_a_store_locked_right_after_a_sync_stops_its_checkpoint_thread(tmp_path: Path) -> None:
    store = LocalStore.create(tmp_path / "p", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    _write_pulled_pages(store, 2)
    store.close()  # a lock: the key is forgotten, and nothing is left running that would need it
    assert not _checkpoint_threads()
    with LocalStore.open(tmp_path / "p", PASSPHRASE) as reopened, reopened.db.reading() as session:
        assert session.get(models.LocalSetting, "page-511") is not None
