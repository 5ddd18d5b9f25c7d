"""Passwords (argon2id), devices, and opaque tokens stored hashed and bound to a device."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from caseworker_app.sync.protocol import TokenResponse, UserInfo
from caseworker_server.changelog import current_seq
from caseworker_server.config import Settings
from caseworker_server.errors import Refusal
from caseworker_server.models import Device, Token, User, aware, utcnow
from caseworker_server.ratelimit import check_login_allowed, clear_failures, record_failure

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# Verified against when the user does not exist, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not a password of anyone")

BAD_LOGIN = "Wrong username or password."
DISABLED = "This account is disabled. Contact your administrator."
REVOKED = "This device has been revoked. Contact your administrator."
WIPE = "This device must be wiped: its case data is being removed."
EXPIRED = "Your session has expired. Sign in again."


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    user: User
    device: Device


def check_device(device: Device) -> None:
    """A device marked for wipe learns it at every contact; a revoked one is simply refused."""
    if device.wipe_requested_at is not None and device.wipe_confirmed_at is None:
        raise Refusal(401, WIPE, code="wipe", wipe=True)
    if device.revoked_at is not None:
        raise Refusal(401, REVOKED, code="device_revoked")


def _issue(session: Session, settings: Settings, user: User, device: Device) -> TokenResponse:
    now = utcnow()
    access = secrets.token_urlsafe(32)
    refresh = secrets.token_urlsafe(32)
    session.add(
        Token(
            token_hash=token_hash(access),
            device_id=device.id,
            kind="access",
            expires_at=now + timedelta(seconds=settings.access_token_seconds),
        )
    )
    session.add(
        Token(
            token_hash=token_hash(refresh),
            device_id=device.id,
            kind="refresh",
            expires_at=now + timedelta(seconds=settings.refresh_token_seconds),
        )
    )
    return TokenResponse(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.access_token_seconds,
        refresh_expires_in=settings.refresh_token_seconds,
        device_id=device.device_uid,
        user=UserInfo(username=user.username, display_name=user.display_name, role=user.role),
    )


def login(
    session: Session,
    settings: Settings,
    *,
    username: str,
    password: str,
    device_uid: str,
    device_name: str,
    address: str,
) -> TokenResponse:
    check_login_allowed(session, settings, username, address)
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        verify_password(_DUMMY_HASH, password)
        record_failure(session, username, address)
        raise Refusal(401, BAD_LOGIN, code="bad_credentials")
    if not verify_password(user.password_hash, password):
        record_failure(session, username, address)
        raise Refusal(401, BAD_LOGIN, code="bad_credentials")
    if user.disabled:
        raise Refusal(403, DISABLED, code="account_disabled")
    clear_failures(session, settings, username)
    device_uid = device_uid.lower()
    device = session.execute(
        select(Device).where(Device.user_id == user.id, Device.device_uid == device_uid)
    ).scalar_one_or_none()
    if device is None:
        # A new laptop starts at the present: it never held what was revoked before it enrolled.
        device = Device(
            user_id=user.id,
            device_uid=device_uid,
            name=device_name,
            created_at=utcnow(),
            acked_seq=current_seq(session),
        )
        session.add(device)
        session.flush()
    check_device(device)
    if device_name:
        device.name = device_name
    device.last_seen_at = utcnow()
    return _issue(session, settings, user, device)


def _lookup(session: Session, raw: str, kind: str) -> tuple[Token, Device, User]:
    row = session.execute(
        select(Token, Device, User)
        .join(Device, Device.id == Token.device_id)
        .join(User, User.id == Device.user_id)
        .where(Token.token_hash == token_hash(raw), Token.kind == kind)
    ).one_or_none()
    if row is None:
        raise Refusal(401, EXPIRED, code="invalid_token")
    token, device, user = row
    return token, device, user


def refresh(session: Session, settings: Settings, *, raw: str, device_uid: str) -> TokenResponse:
    """Trade a refresh token for a new pair; the old refresh token is spent.

    A spent token still works for a short grace period: if the answer to a refresh
    was lost on the network, the laptop's retry must not sign it out. Revoking the
    device or disabling the user ends that at once (checked above the token).
    """
    token, device, user = _lookup(session, raw, "refresh")
    if device.device_uid != device_uid.lower():
        raise Refusal(401, EXPIRED, code="invalid_token")
    check_device(device)
    if user.disabled:
        raise Refusal(401, DISABLED, code="account_disabled")
    now = utcnow()
    spent_long_ago = token.revoked_at is not None and aware(token.revoked_at) < now - timedelta(
        seconds=settings.refresh_grace_seconds
    )
    if spent_long_ago or aware(token.expires_at) <= now:
        raise Refusal(401, EXPIRED, code="invalid_token")
    if token.revoked_at is None:
        token.revoked_at = now
    device.last_seen_at = utcnow()
    return _issue(session, settings, user, device)


def authenticate(session: Session, settings: Settings, raw: str) -> Principal:
    """The user and device behind an access token, or a 401 saying why not."""
    token, device, user = _lookup(session, raw, "access")
    check_device(device)
    if user.disabled:
        raise Refusal(401, DISABLED, code="account_disabled")
    if token.revoked_at is not None or aware(token.expires_at) <= utcnow():
        raise Refusal(401, EXPIRED, code="invalid_token")
    return Principal(user, device)


def revoke_device_tokens(session: Session, device: Device) -> None:
    session.execute(
        update(Token).where(Token.device_id == device.id, Token.revoked_at.is_(None)).values(revoked_at=utcnow())
    )


def confirm_wipe(session: Session, *, raw: str, device_uid: str) -> None:
    """A wiped device reports that it destroyed its store; it stays revoked from then on."""
    _token, device, _user = _lookup(session, raw, "refresh")
    if device.device_uid != device_uid.lower() or device.wipe_requested_at is None:
        raise Refusal(401, EXPIRED, code="invalid_token")
    if device.wipe_confirmed_at is None:
        device.wipe_confirmed_at = utcnow()
    if device.revoked_at is None:
        device.revoked_at = utcnow()
    revoke_device_tokens(session, device)
