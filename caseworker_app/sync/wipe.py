"""Carrying out a wipe IT ordered: check the order's signature, destroy store, key and keyring secret, tell the server.

Only an order signed by the server's wipe key (received at enrollment over TLS) and
naming this device and its account is obeyed: a fake server answering "wipe" cannot
destroy a laptop. From the order on, the server refuses the laptop everything but the
push of a sync already under way (edits of records it holds, for a few minutes) and
this report: work not sent before the order is lost with the laptop.

If the server cannot be told at once, a marker beside the (now gone) profile folder
keeps the device id and the spent refresh token, and the next contact reports the
wipe; it holds no case data and no key.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from caseworker_app.i18n import N_, _
from caseworker_app.store.errors import ProfileError
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile, atomic_write_text
from caseworker_app.sync.errors import SignInRequired, SyncError, UnverifiedWipe, WipeOrdered
from caseworker_app.sync.protocol import WipeConfirmation, WipeOrder, wipe_order_message
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.transport import Transport

log = logging.getLogger(__name__)

NOT_SIGNED = N_(
    "The server asked this laptop to erase its data, but the order was not signed by your agency's"
    " sync server for this laptop. Nothing was erased. Tell IT: the server address may be wrong or forged."
)


def marker_path(home: Path) -> Path:
    return home.with_name(home.name + ".wipe-pending.json")


def check_wipe_order(state: SyncState, order: dict[str, Any] | None) -> None:
    """Raise UnverifiedWipe unless the order is signed by the enrolled server's wipe key for this device."""
    if not order or not state.wipe_key or not state.device_id:
        raise UnverifiedWipe(_(NOT_SIGNED))
    try:
        parsed = WipeOrder.model_validate(order)
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(state.wipe_key, validate=True))
        signature = base64.b64decode(parsed.signature, validate=True)
        if parsed.device_id.lower() != state.device_id.lower() or parsed.username != state.username:
            raise UnverifiedWipe(_(NOT_SIGNED))
        key.verify(signature, wipe_order_message(parsed.username, parsed.device_id, parsed.issued_at))
    except (ValidationError, ValueError, binascii.Error, InvalidSignature) as exc:
        raise UnverifiedWipe(_(NOT_SIGNED)) from exc


def carry_out_wipe(store: LocalStore, order: dict[str, Any] | None) -> bool:
    """Destroy the profile if the order is genuine; True if the server heard about it now."""
    state = SyncState.load(store)
    check_wipe_order(state, order)
    home = store.profile.home
    from caseworker_app.settings import Settings

    ca_bundle = str(Settings(home).get("ca_bundle")) or None
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
        "ca_bundle": ca_bundle,
    }
    atomic_write_text(marker_path(home), json.dumps(marker))  # 0600: it holds a (spent) token
    return report_pending_wipe(home)


def report_pending_wipe(home: Path, transport: Transport | None = None) -> bool:
    """Tell the server a wipe happened, if one is waiting to be reported."""
    path = marker_path(home)
    if not path.exists():
        return False
    marker = json.loads(path.read_text(encoding="utf-8"))
    transport = transport or Transport(marker["server_url"], ca_bundle=marker.get("ca_bundle"), retries=1)
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
