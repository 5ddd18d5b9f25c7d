"""Making a real server busy: serve an app on loopback from a thread, and hold its write path.

`hold_writes` keeps the change-number counter row locked from outside the server (SQLite:
the write lock itself), so a push under way waits inside its transaction exactly as it
would behind a long batch of another laptop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from helpers import free_port
from sqlalchemy import create_engine, text


@contextmanager
def served(app: Any) -> Iterator[str]:
    """The app on a loopback port (uvicorn in a thread); its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def hold_writes(database_url: str) -> Iterator[None]:
    """Every push waits (inside its transaction) until the block ends."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if database_url.startswith("sqlite"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")
                conn.execute(text("SELECT value FROM sync_counter WHERE id = 1 FOR UPDATE"))
            try:
                yield
            finally:
                conn.exec_driver_sql("ROLLBACK")
    finally:
        engine.dispose()


def wait_until(check: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)
