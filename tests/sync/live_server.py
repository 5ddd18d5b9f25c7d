"""The real central server, served by uvicorn on a loopback port from a thread; restartable."""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn
from helpers import free_port

from caseworker_server.app import create_app


class LiveServer:
    def __init__(
        self,
        database_url: str,
        port: int | None = None,
        tls: tuple[str, str] | None = None,
        settings: Any = None,
    ) -> None:
        self.database_url = database_url
        self.tls = tls  # (certificate, key) for an HTTPS listener
        self.port = port or free_port()
        self.app: Any = create_app(database_url, settings=settings, run_migrations=True)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def db(self) -> Any:
        return self.app.state.db

    def start(self) -> None:
        cert, key = self.tls or (None, None)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            ssl_certfile=cert,
            ssl_keyfile=key,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=20)
        self._server = self._thread = None

    def restart(self) -> None:
        self.stop()
        self.app = create_app(self.database_url)  # a new process would start from the database alone
        self.start()
