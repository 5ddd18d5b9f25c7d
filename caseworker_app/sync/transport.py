"""HTTP to the sync server with requests: protocol header, timeouts, retries, gzip, typed errors.

Retries (exponential backoff with jitter) cover connection errors and 5xx only;
every request the engine retries is idempotent (pushes are keyed by mutation id).
A busy server (503 with Retry-After, issue 21) is obeyed: the laptop waits the seconds it
was given plus a little jitter, so laptops told the same thing do not return at once, says
so through `on_wait`, and stops waiting at once when `cancel` is set.
Redirects are never followed and a certificate that fails verification is never "offline":
both could hand the password, the tokens and case data to someone else.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, ValidationError

from caseworker_app import __version__
from caseworker_app.i18n import N_, _, number
from caseworker_app.sync.errors import (
    Cancelled,
    InsecureServer,
    NoServer,
    Offline,
    Redirected,
    ServerBusy,
    ServerFault,
    ServerRefused,
    SignInRequired,
    UntrustedCertificate,
    UpdateRequired,
    WipeOrdered,
)
from caseworker_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, UPDATE_APP_MESSAGE

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
GZIP_ABOVE_BYTES = 2048
RETRY_STATUSES = frozenset({500, 502, 503, 504})
# Answers a proxy or gateway gives when it cannot reach the server, or has no idea what it is.
GATEWAY_STATUSES = frozenset({501, 502, 503, 504})
NO_SERVER_MESSAGE = N_(
    "The network answers, but not the sync server: a sign-in page (hotel or guest Wi-Fi) "
    "or a proxy is in the way. Working offline; your changes are kept."
)
# A busy server's Retry-After, obeyed up to this (a wrong header never parks a laptop for hours),
# with up to a quarter more (at most BUSY_JITTER_MAX_S) of jitter on top.
BUSY_WAIT_MAX_S = 300
BUSY_JITTER_MAX_S = 15.0


def busy_message(seconds: int) -> str:
    return _("The server is busy, trying again in {seconds} s.").format(seconds=number(seconds))


def retry_after_seconds(response: requests.Response) -> int | None:
    """The whole seconds of our server's busy answer (503, JSON, Retry-After), else None."""
    if response.status_code != 503 or _not_ours(response):
        return None
    value = response.headers.get("Retry-After", "").strip()
    return int(value) if value.isdigit() else None


def check_server_url(url: str) -> None:
    """HTTPS only; plain HTTP only to this machine itself (tests, a local demo server)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return
    if parts.scheme == "http":
        raise InsecureServer(
            _(
                "The sync server address starts with http://, which would send your password and case data"
                " unencrypted. Use the https:// address IT gave you."
            )
        )
    raise InsecureServer(_("The sync server address must start with https:// (for example https://sync.agency.org)."))


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _NoRedirects(requests.Session):
    """A session that never follows a redirect, whatever a caller passes: every 3xx comes back as is."""

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None


class Transport:
    def __init__(
        self,
        base_url: str,
        *,
        ca_bundle: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        retries: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        busy_retries: int = 8,
    ) -> None:
        check_server_url(base_url)
        self.base_url = base_url.rstrip("/")
        self.session: requests.Session = _NoRedirects()
        # No credentials from ~/.netrc and no proxy from the environment: the agency configures the path.
        self.session.trust_env = False
        self.session.headers.update({PROTOCOL_HEADER: str(PROTOCOL_VERSION), "User-Agent": f"Caseworker/{__version__}"})
        self.session.verify = ca_bundle or True  # TLS is always verified; the agency CA may be given
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.busy_retries = busy_retries
        # Set by the run: where "the server is busy, trying again in N s" is said, and its cancel event.
        self.on_wait: Callable[[str], None] | None = None
        self.cancel: threading.Event | None = None

    def close(self) -> None:
        self.session.close()

    def call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> M:
        return self.parse(model, self.fetch(method, path, body=body, params=params, token=token))

    def fetch(
        self,
        method: str,
        path: str,
        *,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> bytes:
        """The raw body of a successful answer (errors raised as for call)."""
        return self._send(method, path, body=body, params=params, token=token).content

    @staticmethod
    def parse(model: type[M], content: bytes) -> M:
        try:
            return model.model_validate_json(content)
        except ValidationError as exc:
            raise ServerFault(
                _("The server's answer was not understood; the sync stopped and nothing local changed.")
            ) from exc

    def call_json(self, method: str, path: str, *, body: BaseModel | None = None, token: str | None = None) -> Any:
        response = self._send(method, path, body=body, token=token)
        try:
            return response.json()
        except ValueError as exc:
            raise ServerFault(_("The server's answer was not understood.")) from exc

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: BaseModel | None,
        params: dict[str, Any] | None = None,
        token: str | None,
    ) -> requests.Response:
        headers: dict[str, str] = {}
        data: bytes | None = None
        if body is not None:
            data = body.model_dump_json().encode("utf-8")
            headers["Content-Type"] = "application/json"
            if len(data) > GZIP_ABOVE_BYTES:
                data = gzip.compress(data, compresslevel=5)
                headers["Content-Encoding"] = "gzip"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = self.base_url + path
        attempt = 0
        busy = 0
        while True:
            try:
                response = self.session.request(
                    method,
                    url,
                    data=data,
                    params=params,
                    headers=headers,
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as exc:
                # Not retried and not "offline": an untrusted certificate is what an interceptor shows.
                raise _tls_failure(exc) from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= self.retries:
                    raise Offline(_("The sync server cannot be reached; working offline.")) from exc
            except requests.RequestException as exc:
                raise ServerFault(
                    _("The request to the sync server failed ({reason}).").format(reason=type(exc).__name__)
                ) from exc
            else:
                if response.status_code not in RETRY_STATUSES:
                    return self._checked(response)
                told = retry_after_seconds(response)
                if told is not None:
                    # Not a failure: the server named its time. Obeyed without using up the fault retries.
                    busy += 1
                    if busy > self.busy_retries:
                        raise ServerBusy(_("The sync server is busy; your changes are kept and go at the next sync."))
                    self._wait_busy(told)
                    continue
                if attempt >= self.retries:
                    if _not_ours(response):
                        raise NoServer(_(NO_SERVER_MESSAGE))
                    raise ServerFault(
                        _("The sync server is failing (HTTP {status}); try again later.").format(
                            status=response.status_code
                        )
                    )
            attempt += 1
            delay = self.backoff * (2 ** (attempt - 1)) * self.rng.uniform(0.5, 1.5)
            log.info("sync: retrying %s %s in %.2fs (attempt %d)", method, path, delay, attempt)
            self.sleep(delay)

    def _wait_busy(self, told: int) -> None:
        base = min(told, BUSY_WAIT_MAX_S)
        delay = base + self.rng.uniform(0, min(BUSY_JITTER_MAX_S, base / 4))
        log.info("sync: server busy; waiting %.1fs as told (Retry-After %d)", delay, told)
        if self.on_wait is not None:
            self.on_wait(busy_message(max(1, round(delay))))
        if self.cancel is not None:
            if self.cancel.wait(delay):
                raise Cancelled(_("Sync cancelled; nothing was lost."))
        else:
            self.sleep(delay)

    @staticmethod
    def _checked(response: requests.Response) -> requests.Response:
        status = response.status_code
        if 300 <= status < 400:
            raise _redirected(response)
        if _not_ours(response) and (status < 400 or status in GATEWAY_STATUSES or status in (401, 407)):
            # A page, not the protocol: something between this laptop and the server answered.
            raise NoServer(_(NO_SERVER_MESSAGE))
        if status < 400:
            return response
        detail, body = _detail(response)
        if status == 426:
            raise UpdateRequired(_(UPDATE_APP_MESSAGE))  # the server says it in English
        if status == 401:
            if body.get("wipe") is True or body.get("code") == "wipe":
                order = body.get("wipe_order")
                raise WipeOrdered(
                    detail or _("IT ordered this device wiped."), order if isinstance(order, dict) else None
                )
            raise SignInRequired(detail or _("Sign in again to sync."), code=_code(body))
        if status == 403 and _code(body) == "account_disabled":
            raise SignInRequired(detail or _("This account is disabled."), code="account_disabled")
        if status == 429:
            retry = response.headers.get("Retry-After", "")
            raise ServerRefused(detail or _("Too many attempts; try again in {n} seconds.").format(n=retry), status)
        refused = _("The server refused the request (HTTP {status}).").format(status=status)
        raise ServerRefused(detail or refused, status)


def _tls_failure(exc: requests.exceptions.SSLError) -> UntrustedCertificate:
    if _verification_failed(exc):
        return UntrustedCertificate(
            _(
                "The server's certificate is not trusted; do not continue on this network and tell IT. "
                "Nothing was sent, and your changes are kept on this laptop."
            )
        )
    return UntrustedCertificate(
        _(
            "A secure connection to the sync server could not be set up; do not continue on this network "
            "and tell IT. Nothing was sent, and your changes are kept on this laptop."
        )
    )


def _verification_failed(exc: BaseException) -> bool:
    """True when the chain requests and urllib3 wrap around ssl's error holds a failed verification."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ssl.SSLCertVerificationError):
            return True
        todo.extend([item.__cause__, item.__context__, getattr(item, "reason", None), *item.args])
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


def _redirected(response: requests.Response) -> Redirected:
    target = urlsplit(response.headers.get("Location", ""))
    if target.scheme and target.netloc:
        return Redirected(
            _(
                "The sync server sent this laptop on to {where} (HTTP {status}). Caseworker does not follow "
                "redirects, so nothing was sent there. Ask IT to check the sync server address."
            ).format(where=f"{target.scheme}://{target.netloc}", status=response.status_code)
        )
    return Redirected(
        _(
            "The sync server sent this laptop on to another address (HTTP {status}). Caseworker does not "
            "follow redirects, so nothing was sent there. Ask IT to check the sync server address."
        ).format(status=response.status_code)
    )


def _not_ours(response: requests.Response) -> bool:
    """True for an answer that is not the protocol's JSON (our server answers JSON, errors included)."""
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return kind != "application/json" and (bool(response.content) or response.status_code in GATEWAY_STATUSES)


def _code(body: dict[str, Any]) -> str | None:
    code = body.get("code")
    return code if isinstance(code, str) else None


def _detail(response: requests.Response) -> tuple[str, dict[str, Any]]:
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        return "", {}
    if not isinstance(body, dict):
        return "", {}
    detail = body.get("detail")
    # The server says it in English (server_words); shown in the laptop's language when the catalog has it.
    return (_(detail) if isinstance(detail, str) and detail else ""), body


def transport_for_profile(home: Path, server_url: str, **options: Any) -> Transport:
    """A transport that trusts the agency CA bundle configured for this profile (if any)."""
    from caseworker_app.settings import Settings

    ca_bundle = str(Settings(home).get("ca_bundle")) or None
    return Transport(server_url, ca_bundle=ca_bundle, **options)
