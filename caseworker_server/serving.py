"""uvicorn's HTTP protocol with TCP_NODELAY always set.

With `--workers N`, uvicorn's workers accept on a socket rebuilt from a file
descriptor whose protocol number reads 0, so asyncio skips TCP_NODELAY and every
response waits ~40 ms on Nagle and delayed ACK. Setting it per connection fixes that.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]
