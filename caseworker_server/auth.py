"""Passwords (argon2id), devices, and opaque tokens stored hashed and bound to a device."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import ColumnElement, Select, bindparam, or_, select, update
from sqlalchemy.orm import Session

from caseworker_app.sync.protocol import TokenResponse, UserInfo
from caseworker_app.sync.server_words import BAD_LOGIN, DISABLED, EXPIRED, REPLAYED, REVOKED, WIPE
from caseworker_server.changelog import current_seq
from caseworker_server.config import Settings
from caseworker_server.errors import Refusal
from caseworker_server.keys import sign_wipe_order, wipe_public_key
from caseworker_server.models import Device, Token, User, aware, utcnow
from caseworker_server.ratelimit import begin_attempt, clear_failures, peek, record_failure, too_many

log = logging.getLogger(__name__)

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# Verified against when the user does not exist, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


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


def wipe_pending(device: Device) -> bool:
    return device.wipe_requested_at is not None and device.wipe_confirmed_at is None


def check_device(session: Session, device: Device, user: User) -> None:
    """A device ordered wiped learns it at every contact, with the order signed for that account and
    device, whatever its tokens (revoked ones too); a revoked one is refused."""
    if wipe_pending(device):
        assert device.wipe_requested_at is not None
        order = sign_wipe_order(session, user.username, device.device_uid, aware(device.wipe_requested_at).isoformat())
        raise Refusal(401, WIPE, code="wipe", wipe=True, extra={"wipe_order": order.model_dump()})
    if device.revoked_at is not None:
        raise Refusal(401, REVOKED, code="device_revoked")


def may_send_last_push(settings: Settings, token: Token, device: Device, user: User) -> bool:
    """The one thing a wipe order leaves a laptop: finishing the push of a sync already under way.

    Only with an access token it held before the order (no token is issued after it), only while
    that token, the account and the device are in good standing, and only for a short window
    after the order. What the push may carry is limited too (see `last_push`).
    """
    if not settings.accept_push_before_wipe or not wipe_pending(device) or device.revoked_at is not None:
        return False
    assert device.wipe_requested_at is not None
    now = utcnow()
    window_ends = aware(device.wipe_requested_at) + timedelta(seconds=settings.wipe_push_window_seconds)
    return not user.disabled and token.revoked_at is None and aware(token.expires_at) > now and now <= window_ends


def _seal_key(raw: str) -> bytes:
    """A key only the holder of the spent refresh token can derive (the server keeps only its hash)."""
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=b"caseworker refresh successor").derive(raw.encode())


def _seal(raw: str, answer: TokenResponse) -> str:
    nonce = secrets.token_bytes(12)
    return base64.b64encode(
        nonce + AESGCM(_seal_key(raw)).encrypt(nonce, answer.model_dump_json().encode(), None)
    ).decode()


def _unseal(raw: str, sealed: str) -> TokenResponse:
    blob = base64.b64decode(sealed)
    return TokenResponse.model_validate_json(AESGCM(_seal_key(raw)).decrypt(blob[:12], blob[12:], None))


def _issue(session: Session, settings: Settings, user: User, device: Device, chain_id: str) -> TokenResponse:
    now = utcnow()
    access = _new_access(session, settings, device, chain_id)
    refresh = secrets.token_urlsafe(32)
    session.add(
        Token(
            token_hash=token_hash(refresh),
            device_id=device.id,
            kind="refresh",
            chain_id=chain_id,
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
        wipe_key=wipe_public_key(session),
    )


def _new_access(session: Session, settings: Settings, device: Device, chain_id: str) -> str:
    access = secrets.token_urlsafe(32)
    session.add(
        Token(
            token_hash=token_hash(access),
            device_id=device.id,
            kind="access",
            chain_id=chain_id,
            expires_at=utcnow() + timedelta(seconds=settings.access_token_seconds),
        )
    )
    return access


@dataclass(frozen=True)
class CheckedPassword:
    """A password hashed before the sign-in's locks were taken: against which hash, and the result."""

    password_hash: str
    right: bool


def stored_hash_first(session: Session, settings: Settings, username: str, address: str) -> tuple[str, bool]:
    """The hash to check a sign-in against, read without locks: (hash, whether the name is known).
    An attempt that would be refused unchecked is refused here already (429), before any hashing."""
    user_hash = session.execute(select(User.password_hash).where(User.username == username)).scalar_one_or_none()
    peek(session, settings, username, address, known=user_hash is not None)
    # Unknown names cost the same as known ones.
    return (user_hash or _DUMMY_HASH), user_hash is not None


def check_password(password_hash: str, known: bool, password: str) -> CheckedPassword:
    """Hash the password with no database connection held: argon2 takes tens of milliseconds, and a
    burst of sign-ins must not keep the pool's (or PgBouncer's) connections busy meanwhile."""
    return CheckedPassword(password_hash, verify_password(password_hash, password) and known)


def login(
    session: Session,
    settings: Settings,
    *,
    username: str,
    password: str,
    device_uid: str,
    device_name: str,
    address: str,
    checked: CheckedPassword | None = None,
) -> TokenResponse:
    attempt = begin_attempt(session, settings, username, address)  # held until the verdict commits
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if attempt.capped_until is not None and (attempt.failing or user is None):
        # An address at its cap: its unknown and failing names wait, unchecked (no hashing for a spray).
        raise too_many(attempt)
    right: bool
    if user is None:
        if checked is None:
            verify_password(_DUMMY_HASH, password)  # unknown names cost the same as known ones
        right = False
    elif checked is not None and checked.password_hash == user.password_hash:
        right = checked.right
    else:  # not checked yet, or the password was reset meanwhile
        right = verify_password(user.password_hash, password)
    # A disabled account answers its right password exactly as a wrong one (no oracle),
    # and counts it as a failure alike.
    if not right or user is None or user.disabled:
        record_failure(session, settings, attempt)
        if attempt.capped_until is not None:
            raise too_many(attempt)  # no verdict on the guess while the address is at its cap
        raise Refusal(401, BAD_LOGIN, code="bad_credentials")
    clear_failures(session, settings, attempt)
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
    check_device(session, device, user)
    if device_name:
        device.name = device_name
    device.last_seen_at = utcnow()
    return _issue(session, settings, user, device, chain_id=secrets.token_hex(16))


@cache
def _lookup_stmt(kind: str) -> Select[Token, Device, User]:
    # Built once: building it (two joins, a dozen comparisons) cost more than running it on every request.
    return (
        select(Token, Device, User)
        .join(Device, Device.id == Token.device_id)
        .join(User, User.id == Device.user_id)
        .where(Token.token_hash == bindparam("token_hash"), Token.kind == kind)
    )


def lookup_with(*values: ColumnElement[Any]) -> Select[Any]:
    """The access-token lookup reading `values` too (see authenticate_with); build it once, at import."""
    return _lookup_stmt("access").add_columns(*values)


def _lookup(session: Session, raw: str, kind: str, *, lock: bool = False) -> tuple[Token, Device, User]:
    stmt = _lookup_stmt(kind)
    if lock:  # two retries of one refresh token at once must not both spend it
        stmt = stmt.with_for_update(of=Token)
    row = session.execute(stmt, {"token_hash": token_hash(raw)}).one_or_none()
    if row is None:
        raise Refusal(401, EXPIRED, code="invalid_token")
    token, device, user = row
    return token, device, user


def refresh(session: Session, settings: Settings, *, raw: str, device_uid: str) -> TokenResponse:
    """Trade a refresh token for a new pair, rotating the standard way.

    The first exchange spends the token and remembers its answer. A retry of the same
    token (the answer was lost on the network) gets that same answer back for
    `refresh_retry_grace_seconds`, as long as the new refresh token has not been used.
    A spent token presented after that is a replay: the whole sign-in chain is revoked
    and the device must sign in again. Revoking the device, disabling the user or
    resetting their password ends it at once.
    """
    token, device, user = _lookup(session, raw, "refresh", lock=True)
    if device.device_uid != device_uid.lower():
        raise Refusal(401, EXPIRED, code="invalid_token")
    check_device(session, device, user)  # a wipe order stops every refresh: no token outlives it
    if user.disabled:
        raise Refusal(401, DISABLED, code="account_disabled")
    now = utcnow()
    if token.revoked_at is not None or aware(token.expires_at) <= now:
        raise Refusal(401, EXPIRED, code="invalid_token")
    chain_id = token.chain_id or token.token_hash
    device.last_seen_at = now
    if token.successor_hash is None:
        token.used_at = now
        answer = _issue(session, settings, user, device, chain_id)
        token.successor_hash = token_hash(answer.refresh_token)
        token.sealed_successor = _seal(raw, answer)
        return answer
    successor = session.get(Token, token.successor_hash, with_for_update=True)
    spent_at = aware(token.used_at) if token.used_at is not None else now
    late = now > spent_at + timedelta(seconds=settings.refresh_retry_grace_seconds)
    if successor is None or successor.used_at is not None or token.sealed_successor is None or late:
        _revoke_chain(session, chain_id)
        log.warning(
            "refresh token replayed after its successor was used or its retry grace ended:"
            " sign-in chain revoked (device %s)",
            device.device_uid,
        )
        raise Refusal(401, REPLAYED, code="token_reused")
    if successor.revoked_at is not None:
        raise Refusal(401, EXPIRED, code="invalid_token")
    answer = _unseal(raw, token.sealed_successor)
    access = session.get(Token, token_hash(answer.access_token))
    if access is None or access.revoked_at is not None or aware(access.expires_at) <= now:
        # The same refresh token; a fresh access token, since the one first sent has expired.
        answer = answer.model_copy(update={"access_token": _new_access(session, settings, device, chain_id)})
    return answer


def _revoke_chain(session: Session, chain_id: str) -> None:
    session.execute(
        update(Token)
        .where(or_(Token.chain_id == chain_id, Token.token_hash == chain_id), Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def authenticate(session: Session, settings: Settings, raw: str, *, allow_wipe_pending: bool = False) -> Principal:
    """The user and device behind an access token, or a 401 saying why not.

    `allow_wipe_pending`: the caller is the push, which a laptop ordered wiped may still finish.
    """
    token, device, user = _lookup(session, raw, "access")
    return _checked(session, settings, token, device, user, allow_wipe_pending=allow_wipe_pending)


def authenticate_with(
    session: Session, settings: Settings, raw: str, lookup: Select[Any], params: dict[str, Any]
) -> tuple[Principal, tuple[Any, ...]]:
    """As `authenticate`, and the values `lookup` adds (`lookup_with`: scalar subqueries, which may
    refer to the token's device and user, their parameters in `params`) read by the same statement:
    one round trip where there would be several.

    Opening a snapshot transaction, this statement is its first: the values belong to that snapshot.
    """
    row = session.execute(lookup, {"token_hash": token_hash(raw), **params}).one_or_none()
    if row is None:
        raise Refusal(401, EXPIRED, code="invalid_token")
    token, device, user, *read = row
    return _checked(session, settings, token, device, user, allow_wipe_pending=False), tuple(read)


def _checked(
    session: Session, settings: Settings, token: Token, device: Device, user: User, *, allow_wipe_pending: bool
) -> Principal:
    if allow_wipe_pending and may_send_last_push(settings, token, device, user):
        return Principal(user, device)
    check_device(session, device, user)
    if user.disabled:
        raise Refusal(401, DISABLED, code="account_disabled")
    if token.revoked_at is not None or aware(token.expires_at) <= utcnow():
        raise Refusal(401, EXPIRED, code="invalid_token")
    return Principal(user, device)


def revoke_device_tokens(session: Session, device: Device) -> None:
    session.execute(
        update(Token).where(Token.device_id == device.id, Token.revoked_at.is_(None)).values(revoked_at=utcnow())
    )


def end_sessions(session: Session, user: User) -> None:
    """Every access and refresh token of every device of the user, revoked at once (a reset password,
    a disabled account): nothing issued before comes back to life later."""
    devices = select(Device.id).where(Device.user_id == user.id)
    session.execute(
        update(Token)
        .where(Token.device_id.in_(devices), Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
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
