"""Login rate limiting per user and per address, counted in the database so every worker agrees."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from caseworker_server.config import Settings
from caseworker_server.errors import Refusal
from caseworker_server.models import LoginFailure, aware, utcnow

TOO_MANY = "Too many failed sign-in attempts. Wait a few minutes and try again."


def check_login_allowed(session: Session, settings: Settings, username: str, address: str) -> None:
    """Refuse with 429 and Retry-After while either the user or the address is over its limit."""
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    for column, value, limit in (
        (LoginFailure.username, username.lower(), settings.login_failures_per_user),
        (LoginFailure.address, address, settings.login_failures_per_address),
    ):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(column == value, LoginFailure.at > since)
        ).one()
        if count >= limit and oldest is not None:
            wait = aware(oldest) + timedelta(seconds=settings.login_window_seconds) - utcnow()
            retry_after = max(1, math.ceil(wait.total_seconds()))
            raise Refusal(429, TOO_MANY, code="rate_limited", headers={"Retry-After": str(retry_after)})


def record_failure(session: Session, username: str, address: str) -> None:
    session.add(LoginFailure(username=username.lower(), address=address, at=utcnow()))


def clear_failures(session: Session, settings: Settings, username: str) -> None:
    """A successful login clears the user's count; old rows of everyone are pruned."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == username.lower()))
    cutoff = utcnow() - timedelta(seconds=settings.login_window_seconds)
    session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))
