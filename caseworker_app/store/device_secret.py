"""The per-profile device secret kept in the OS keyring.

Only a real OS keyring counts: the fail/null backends and any plaintext
backend (keyrings.alt) are treated as "no keyring" rather than used.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "Caseworker"
_REFUSED_MODULE_PREFIXES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _username(profile_id: str) -> str:
    return f"device-secret/{profile_id}"


def keyring_available() -> bool:
    backend = keyring.get_keyring()
    return _acceptable(backend)


def _acceptable(backend: keyring.backend.KeyringBackend) -> bool:
    if type(backend).__module__.startswith(_REFUSED_MODULE_PREFIXES):
        return False
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer: usable if any real backend is inside
        return any(_acceptable(child) for child in children)
    try:
        return float(backend.priority) > 0
    except Exception:
        return False


def create_device_secret(profile_id: str) -> bytes:
    secret = os.urandom(32)
    keyring.set_password(SERVICE, _username(profile_id), base64.b64encode(secret).decode("ascii"))
    return secret


def load_device_secret(profile_id: str) -> bytes | None:
    try:
        value = keyring.get_password(SERVICE, _username(profile_id))
    except keyring.errors.KeyringError:
        log.warning("OS keyring could not be read")
        return None
    return base64.b64decode(value) if value else None


def delete_device_secret(profile_id: str) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(SERVICE, _username(profile_id))
