"""The server's wipe-order signing key (Ed25519), kept in the database so every worker signs alike.

A laptop receives the public half when it enrolls (over TLS) and obeys a wipe order
only if it carries a valid signature naming that laptop and its account: a fake server cannot wipe it.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy.orm import Session

from caseworker_app.sync.protocol import WipeOrder, wipe_order_message
from caseworker_server.models import ServerKey

WIPE_KEY = "wipe"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def ensure_wipe_key(session: Session) -> Ed25519PrivateKey:
    """The signing key, created on first use."""
    row = session.get(ServerKey, WIPE_KEY)
    if row is None:
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        session.add(ServerKey(name=WIPE_KEY, value=_b64(raw)))
        session.flush()
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(row.value))


def wipe_public_key(session: Session) -> str:
    return _b64(ensure_wipe_key(session).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def sign_wipe_order(session: Session, username: str, device_uid: str, issued_at: str) -> WipeOrder:
    signature = ensure_wipe_key(session).sign(wipe_order_message(username, device_uid, issued_at))
    return WipeOrder(username=username, device_id=device_uid, issued_at=issued_at, signature=_b64(signature))
