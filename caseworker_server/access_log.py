"""One access-log line per request: method, path with query names but no values, status, time.

Never a header, a token or a body: paths carry only ids, and query values
(cursors, search words) are dropped, so nothing about a family reaches the log.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("caseworker_server.access")


def loggable_path(scope: Scope) -> str:
    path = str(scope.get("path", ""))
    query = scope.get("query_string", b"").decode("latin-1")
    if not query:
        return path
    names = [name for name, _value in parse_qsl(query, keep_blank_values=True)]
    return f"{path}?{'&'.join(f'{name}=' for name in names)}" if names else path


class AccessLog:
    """ASGI middleware; logs at INFO, which `caseworker-server serve` prints to standard output."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log.info("%s %s %d %.1f ms", scope.get("method", "?"), loggable_path(scope), status, elapsed)


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """uvicorn's log_config: applied in every worker process, so each prints its own access lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": "%(asctime)s %(message)s", "datefmt": "%Y-%m-%dT%H:%M:%S%z"}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stdout"}},
        "loggers": {
            "caseworker_server.access": {"handlers": ["stdout"], "level": level, "propagate": False},
            "uvicorn.error": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        },
    }
