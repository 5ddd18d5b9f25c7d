"""Sign-in limits, counted in the database so every worker agrees, and counted atomically.

Per (user, address): a few free failures, then each further failure makes that pair
wait longer (doubling, capped) - a delay, never a lockout, and a stranger elsewhere
cannot lock a liaison out. The pair's row is locked from the check to the verdict,
so parallel guesses queue behind each other instead of all passing the check.
Per address, a wider cap on failures across users stops password spraying.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseworker_server.config import Settings
from caseworker_server.errors import Refusal
from caseworker_server.models import LoginFailure, LoginThrottle, aware, utcnow

TOO_MANY = "Too many failed sign-in attempts. Wait a few minutes and try again."


def _refuse(until: datetime) -> Refusal:
    retry_after = max(1, math.ceil((until - utcnow()).total_seconds()))
    return Refusal(429, TOO_MANY, code="rate_limited", headers={"Retry-After": str(retry_after)})


def delay_after(settings: Settings, failures: int) -> int:
    """Seconds to wait after `failures` failures in a row: none for the free ones, then doubling."""
    over = failures - settings.login_free_failures
    if over < 0:
        return 0
    return int(min(settings.login_max_delay_seconds, settings.login_base_delay_seconds * 2 ** min(over, 20)))


def lock_throttle(session: Session, settings: Settings, username: str, address: str) -> LoginThrottle:
    """The (user, address) row, locked until the transaction ends; 429 while it must wait."""
    key = (username.lower(), address)
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        try:
            with session.begin_nested():
                session.add(LoginThrottle(username=key[0], address=key[1], failures=0, last_failure_at=utcnow()))
        except IntegrityError:
            pass  # a parallel attempt created it first; lock theirs
        row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
        assert row is not None
    now = utcnow()
    if aware(row.last_failure_at) < now - timedelta(seconds=settings.login_window_seconds):
        row.failures = 0  # an old streak is forgiven
    if row.blocked_until is not None and aware(row.blocked_until) > now:
        raise _refuse(aware(row.blocked_until))
    since = now - timedelta(seconds=settings.login_window_seconds)
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.at)).where(LoginFailure.address == address, LoginFailure.at > since)
    ).one()
    if count >= settings.login_failures_per_address and oldest is not None:
        raise _refuse(aware(oldest) + timedelta(seconds=settings.login_window_seconds))
    return row


def record_failure(session: Session, settings: Settings, row: LoginThrottle) -> None:
    now = utcnow()
    row.failures += 1
    row.last_failure_at = now
    wait = delay_after(settings, row.failures)
    row.blocked_until = now + timedelta(seconds=wait) if wait else None
    session.add(LoginFailure(username=row.username, address=row.address, at=now))


def clear_failures(session: Session, settings: Settings, row: LoginThrottle) -> None:
    """A successful sign-in clears its pair; old failure rows of everyone are pruned."""
    session.delete(row)
    cutoff = utcnow() - timedelta(seconds=settings.login_window_seconds)
    session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))
    # Streaks long forgiven (guesses at names that do not exist, too) are pruned here as well.
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < cutoff,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < utcnow()),
        )
    )
