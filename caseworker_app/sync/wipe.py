"""Carrying out a wipe IT ordered: destroy store, key and keyring secret, then tell the server.

If the server cannot be told at once, a marker beside the (now gone) profile
folder keeps the device id and the spent refresh token, and the next contact
reports the wipe; it holds no case data and no key.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from caseworker_app.store.errors import ProfileError
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile, atomic_write_text
from caseworker_app.sync.errors import SignInRequired, SyncError, WipeOrdered
from caseworker_app.sync.protocol import WipeConfirmation
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.transport import Transport

log = logging.getLogger(__name__)


def marker_path(home: Path) -> Path:
    return home.with_name(home.name + ".wipe-pending.json")


def carry_out_wipe(store: LocalStore) -> bool:
    """Destroy the profile; True if the server heard about it now."""
    state = SyncState.load(store)
    home = store.profile.home
    store.close()
    try:
        Profile(home).destroy()
    except ProfileError:
        # The files (store and wrapped key) are gone; only the keyring refused its secret,
        # which opens nothing without them. The server must still hear of the wipe.
        log.warning("wipe: the profile was removed but its keyring secret was left")
    marker = {
        "server_url": state.server_url,
        "device_id": state.device_id,
        "refresh_token": state.refresh_token,
    }
    atomic_write_text(marker_path(home), json.dumps(marker))
    return report_pending_wipe(home)


def report_pending_wipe(home: Path, transport: Transport | None = None) -> bool:
    """Tell the server a wipe happened, if one is waiting to be reported."""
    path = marker_path(home)
    if not path.exists():
        return False
    marker = json.loads(path.read_text(encoding="utf-8"))
    transport = transport or Transport(marker["server_url"], retries=1)
    try:
        transport.call_json(
            "POST",
            "/v1/auth/wipe-confirmed",
            body=WipeConfirmation(refresh_token=marker["refresh_token"], device_id=marker["device_id"]),
        )
    except WipeOrdered:
        return False  # the server still waits for this very report
    except SignInRequired:
        # The server spends the device's tokens when it records the wipe: it heard it before.
        log.info("wipe: the server no longer takes this report; it was made before")
    except SyncError as exc:
        # Offline, failing, too many requests (429), update required (426): nothing says the
        # server heard it. The marker stays, and the next contact tries again.
        log.info("wipe: could not report yet (%s)", type(exc).__name__)
        return False
    path.unlink()
    return True
