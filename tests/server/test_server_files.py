"""The server's data folder and database are private: 0700 and 0600, SQLite's -wal and -shm included."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import text

from caseworker_server.bootstrap import init_database
from caseworker_server.db import Database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_server_creates_private_files(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a typical service account's umask
    try:
        folder = tmp_path / "data"
        url = f"sqlite:///{folder / 'caseworker-server.db'}"
        init_database(url)
        db = Database(url)
        with db.write() as session:  # a connection open: -wal and -shm exist now
            session.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
            files = sorted(folder.iterdir())
            assert {p.name for p in files} >= {
                "caseworker-server.db",
                "caseworker-server.db-wal",
                "caseworker-server.db-shm",
            }
            assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
        db.dispose()
        assert _mode(folder) == 0o700
    finally:
        os.umask(old)
