"""What a profile remembers about syncing, kept inside the encrypted store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from caseworker_app.store.local_store import LocalStore

KEY = "sync"


@dataclass
class SyncState:
    server_url: str = ""
    username: str = ""
    device_id: str = ""
    device_name: str = ""
    refresh_token: str = ""  # inside the encrypted store only; never printed or logged
    wipe_key: str = ""  # the server's wipe-order public key, received at enrollment over TLS
    cursor: int = 0
    last_success: str | None = None
    last_attempt: str | None = None
    last_error: str | None = None
    online: bool | None = None
    # What stopped the last run, as a kind the window words: offline, no_server, signed_out, server.
    last_problem: str | None = None
    # A refused change was discarded: the next run asks the server for its copy (reconcile).
    repair_next_run: bool = False

    @property
    def enrolled(self) -> bool:
        return bool(self.server_url and self.refresh_token and self.device_id)

    @classmethod
    def load(cls, store: LocalStore) -> SyncState:
        data: dict[str, Any] = store.get_setting(KEY, {}) or {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, store: LocalStore) -> None:
        store.set_setting(KEY, asdict(self))
