"""Shared test helpers: an in-memory keyring of our own and fast key-derivation settings."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import keyring.backend
import keyring.errors

FAST_KDF = {"time_cost": 1, "memory_kib": 8192}
PASSPHRASE = "correct horse battery"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stands in for the OS keyring; secrets live only in this process."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.secrets:
            raise keyring.errors.PasswordDeleteError(username)
        del self.secrets[(service, username)]



@contextmanager
def local_zone(zone: str) -> Iterator[None]:
    """Run a block as if this computer's clock were set to `zone` (an IANA name such as America/Chicago)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
