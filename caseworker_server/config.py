"""Server settings: where the database is, token lifetimes, limits. One place, typed, with defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DATABASE_URL_ENV = "CASEWORKER_DATABASE_URL"
HOME_ENV = "CASEWORKER_SERVER_HOME"
TRUSTED_PROXIES_ENV = "CASEWORKER_TRUSTED_PROXIES"
DOCS_ENV = "CASEWORKER_SERVER_DOCS"


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
    # A device ordered wiped may still finish the push of a sync under way (edits of records the
    # server holds, with an access token it had before the order, for `wipe_push_window_seconds`);
    # everything else, refresh and sign-in included, answers with the signed wipe order.
    accept_push_before_wipe: bool = True
    wipe_push_window_seconds: int = 10 * 60
    # A spent refresh token retried (its answer was lost) gets the same answer for this long;
    # after that it is a replay and ends its sign-in chain.
    refresh_retry_grace_seconds: int = 10 * 60
    # Sign-in failures per (user, address): the free ones, then a delay doubling from base to max.
    login_free_failures: int = 5
    login_base_delay_seconds: int = 15
    login_max_delay_seconds: int = 15 * 60
    # Failures from one address across all users within the window before 429 (password spraying).
    login_failures_per_address: int = 30
    login_window_seconds: int = 15 * 60
    # Addresses (or networks, e.g. "10.0.0.0/24") of reverse proxies whose X-Forwarded-For is believed.
    # Empty: the peer address is the client, and forwarded headers are ignored.
    trusted_proxies: tuple[str, ...] = ()
    # Serve /docs, /redoc and /openapi.json (`serve --docs`); off in production.
    docs: bool = False
    # Request body limits, on the wire and after gunzip alike: sign-in endpoints, everything else.
    max_auth_body_bytes: int = 64 * 1024
    max_body_bytes: int = 8 * 1024 * 1024
    # How long a former holder of a reassigned case may still deliver work done before the reassignment.
    reassignment_grace_seconds: int = 3 * 24 * 3600
    # How often a device's last-seen time is written (not on every request).
    last_seen_resolution_seconds: int = 60


def settings_from_env() -> Settings:
    """Settings for `caseworker-server serve` workers, which rebuild the app from the environment.

    `serve` always writes DOCS_ENV from its `--docs` flag before starting the workers, so a
    value left in the administrator's environment never turns the docs on by itself.
    """
    proxies = tuple(p.strip() for p in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",") if p.strip())
    return Settings(trusted_proxies=proxies, docs=os.environ.get(DOCS_ENV) == "1")
