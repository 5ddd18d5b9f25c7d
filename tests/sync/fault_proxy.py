"""A small TCP proxy between a device and the server that breaks connections on request.

Faults are queued and each consumes one upstream connection:
- "reset_request": the request is cut half-way and the connection reset (the server never sees it whole);
- "lose_response": the request reaches the server, which answers; the answer is dropped and the
  connection reset (the server committed, the device does not know);
- "http_500": the proxy answers 500 itself without forwarding;
- "http_429", "http_502", "http_503", "portal": the proxy answers itself, as a rate limiter, a proxy
  whose upstream is down, or a captive portal (200 with an HTML sign-in page) would.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections import deque

from helpers import free_port

ANSWERS = {
    "http_500": (b"500 Internal Server Error", b"application/json", b'{"detail":"injected failure"}'),
    "http_429": (b"429 Too Many Requests", b"application/json", b'{"detail":"Slow down."}'),
    "http_502": (b"502 Bad Gateway", b"text/html", b"<html><body>Bad gateway</body></html>"),
    "http_503": (b"503 Service Unavailable", b"text/html", b"<html><body>Proxy error</body></html>"),
    "portal": (b"200 OK", b"text/html", b"<html><body>Sign in to Guest Wi-Fi</body></html>"),
}
FAULTS = ("reset_request", "lose_response", *ANSWERS)


def _reset(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _read_request(sock: socket.socket) -> bytes:
    """One whole HTTP request (headers and Content-Length body), or b'' if the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        body += chunk
    return head + b"\r\n\r\n" + body


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while length is not None and len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self.faults: deque[tuple[str, str | None]] = deque()
        self.injected: list[str] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def inject(self, fault: str, path_prefix: str | None = None) -> None:
        """Break the next request (to a path starting with path_prefix, if given)."""
        assert fault in FAULTS
        with self._lock:
            self.faults.append((fault, path_prefix))

    def close(self) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _take_fault(self, request: bytes) -> str | None:
        path = request.split(b" ", 2)[1].decode("latin-1") if request.count(b" ") >= 2 else ""
        with self._lock:
            for index, (fault, prefix) in enumerate(self.faults):
                if prefix is None or path.startswith(prefix):
                    del self.faults[index]
                    self.injected.append(f"{fault} {path}")
                    return fault
        return None

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            while True:
                request = _read_request(client)
                if not request:
                    return
                fault = self._take_fault(request)
                if fault in ANSWERS:
                    status, content_type, body = ANSWERS[fault]
                    client.sendall(
                        b"HTTP/1.1 " + status + b"\r\nContent-Type: " + content_type + b"\r\n"
                        + f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                    continue
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
                if fault == "reset_request":
                    upstream.sendall(request[: len(request) // 2])
                    _reset(upstream)
                    upstream = None
                    _reset(client)
                    return
                upstream.sendall(request)
                response = _read_response(upstream)
                if fault == "lose_response" or not response:
                    _reset(client)
                    return
                client.sendall(response)
        except OSError:
            return
        finally:
            if upstream is not None:
                upstream.close()
            with contextlib.suppress(OSError):
                client.close()
