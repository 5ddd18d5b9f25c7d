"""Server settings: where the database is, token lifetimes, limits. One place, typed, with defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DATABASE_URL_ENV = "CASEWORKER_DATABASE_URL"
HOME_ENV = "CASEWORKER_SERVER_HOME"


def data_dir() -> Path:
    """The server's data folder: CASEWORKER_SERVER_HOME, else the platform's data folder."""
    override = os.environ.get(HOME_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("caseworker-server"))


def default_database_url() -> str:
    """The embedded default: SQLite in the data folder, so a fresh machine needs nothing else."""
    return f"sqlite:///{data_dir() / 'caseworker-server.db'}"


def resolve_database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get(DATABASE_URL_ENV) or default_database_url()


@dataclass(frozen=True)
class Settings:
    access_token_seconds: int = 15 * 60
    refresh_token_seconds: int = 30 * 24 * 3600
    # A device marked for wipe may still sign in with its refresh token and push its unsynced work;
    # every other request answers with the signed wipe order.
    accept_push_before_wipe: bool = True
    # Failed logins allowed within the window before 429, per user and per address.
    login_failures_per_user: int = 5
    login_failures_per_address: int = 30
    login_window_seconds: int = 15 * 60
    # Request body limits, on the wire and after gunzip alike: sign-in endpoints, everything else.
    max_auth_body_bytes: int = 64 * 1024
    max_body_bytes: int = 8 * 1024 * 1024
    # How long a former holder of a reassigned case may still deliver work done before the reassignment.
    reassignment_grace_seconds: int = 3 * 24 * 3600
    # How often a device's last-seen time is written (not on every request).
    last_seen_resolution_seconds: int = 60
