"""Sign-in limits, counted in the database so every worker agrees, and counted atomically.

Per (user, address): a few free failures, then each further failure makes that pair
wait longer (doubling, capped) - a delay, never a lockout, and a stranger elsewhere
cannot lock a liaison out. Per address, a wider cap on failures across users stops
password spraying: while an address is at its cap, its unknown and failing names wait,
a wrong guess at any name answers 429 (no verdict), but a user with no recent failures
still signs in with the right password, so a spray from an office NAT locks nobody out.

The password is hashed first, outside any lock (so sign-ins from one office do not wait
on each other's hashing); then every attempt from one address holds that address's row
(the username "" row, which no account can have) from the check to the verdict:
parallel attempts, on any worker, queue behind each other and are counted exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseworker_app.sync.server_words import TOO_MANY_SIGN_INS as TOO_MANY
from caseworker_server.config import Settings
from caseworker_server.errors import Refusal
from caseworker_server.models import LoginFailure, LoginThrottle, aware, utcnow

_ADDRESS_ROW = ""  # usernames are 1 to 128 characters: the empty one stands for the address itself


@dataclass
class Attempt:
    """One sign-in attempt, holding its address and (user, address) rows until it commits."""

    pair: LoginThrottle
    # When the address's cap lifts, if the address is at its cap now.
    capped_until: datetime | None

    @property
    def failing(self) -> bool:
        """The name failed from this address recently (streaks older than the window are forgiven)."""
        return self.pair.failures > 0


def _refuse(until: datetime) -> Refusal:
    retry_after = max(1, math.ceil((until - utcnow()).total_seconds()))
    return Refusal(429, TOO_MANY, code="rate_limited", headers={"Retry-After": str(retry_after)})


def too_many(attempt: Attempt) -> Refusal:
    """The answer to an attempt at a capped address: wait, without saying whether the password was right."""
    return _refuse(attempt.capped_until or utcnow())


def delay_after(settings: Settings, failures: int) -> int:
    """Seconds to wait after `failures` failures in a row: none for the free ones, then doubling."""
    over = failures - settings.login_free_failures
    if over < 0:
        return 0
    return int(min(settings.login_max_delay_seconds, settings.login_base_delay_seconds * 2 ** min(over, 20)))


def _locked(session: Session, username: str, address: str) -> LoginThrottle:
    key = (username, address)
    row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    if row is None:
        try:
            with session.begin_nested():
                session.add(LoginThrottle(username=username, address=address, failures=0, last_failure_at=utcnow()))
        except IntegrityError:
            pass  # a parallel attempt created it first; lock theirs
        row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
        assert row is not None
    return row


def begin_attempt(session: Session, settings: Settings, username: str, address: str) -> Attempt:
    """Lock the address, then the (user, address) pair, until the transaction ends; 429 while the pair waits."""
    now = utcnow()
    address_row = _locked(session, _ADDRESS_ROW, address)
    address_row.last_failure_at = now  # in use: not pruned as stale
    pair = _locked(session, username.lower(), address)
    if aware(pair.last_failure_at) < now - timedelta(seconds=settings.login_window_seconds):
        pair.failures = 0  # an old streak is forgiven
    if pair.blocked_until is not None and aware(pair.blocked_until) > now:
        raise _refuse(aware(pair.blocked_until))
    since = now - timedelta(seconds=settings.login_window_seconds)
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.at)).where(LoginFailure.address == address, LoginFailure.at > since)
    ).one()
    capped = None
    if count >= settings.login_failures_per_address and oldest is not None:
        capped = aware(oldest) + timedelta(seconds=settings.login_window_seconds)
    return Attempt(pair, capped)


def peek(session: Session, settings: Settings, username: str, address: str, known: bool) -> None:
    """Before any password is hashed, without locks: 429 for an attempt the locked check would refuse
    unchecked anyway (a waiting pair; an unknown or failing name at a capped address). Only a
    shortcut: `begin_attempt` decides again under the locks."""
    now = utcnow()
    since = now - timedelta(seconds=settings.login_window_seconds)
    pair = session.get(LoginThrottle, (username.lower(), address))
    if pair is not None and pair.blocked_until is not None and aware(pair.blocked_until) > now:
        raise _refuse(aware(pair.blocked_until))
    failing = pair is not None and pair.failures > 0 and aware(pair.last_failure_at) >= since
    if known and not failing:
        return
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.at)).where(LoginFailure.address == address, LoginFailure.at > since)
    ).one()
    if count >= settings.login_failures_per_address and oldest is not None:
        raise _refuse(aware(oldest) + timedelta(seconds=settings.login_window_seconds))


def record_failure(session: Session, settings: Settings, attempt: Attempt) -> None:
    row = attempt.pair
    now = utcnow()
    row.failures += 1
    row.last_failure_at = now
    wait = delay_after(settings, row.failures)
    row.blocked_until = now + timedelta(seconds=wait) if wait else None
    session.add(LoginFailure(username=row.username, address=row.address, at=now))


def clear_failures(session: Session, settings: Settings, attempt: Attempt) -> None:
    """A successful sign-in clears its pair; old failure rows of everyone are pruned."""
    session.delete(attempt.pair)
    now = utcnow()
    cutoff = now - timedelta(seconds=settings.login_window_seconds)
    session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))
    # Streaks long forgiven (guesses at names that do not exist, too) are pruned here as well;
    # rows another attempt holds are skipped, so two sign-ins never wait on each other's rows.
    stale = (
        select(LoginThrottle.username, LoginThrottle.address)
        .where(
            LoginThrottle.last_failure_at < cutoff,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < now),
        )
        .with_for_update(skip_locked=True)
    )
    session.execute(
        delete(LoginThrottle).where(tuple_(LoginThrottle.username, LoginThrottle.address).in_(stale)),
        execution_options={"synchronize_session": False},
    )
