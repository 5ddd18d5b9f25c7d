"""Server settings: where the database is, token lifetimes, limits. One place, typed, with defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    # Admission (issue 21): a saturated node answers 503 with Retry-After instead of hanging.
    # Pushes applied at once per worker process; more wait up to `push_queue_wait_seconds` for a
    # slot, at most `push_queue_length` of them, and past that are told when to come back.
    max_concurrent_pushes: int = 4
    push_queue_length: int = 16
    push_queue_wait_seconds: float = 5.0
    # Bounds of the Retry-After a busy node gives (seconds); within them it is the queue ahead
    # times the recent mean push time.
    retry_after_min_seconds: int = 2
    retry_after_max_seconds: int = 120
    # Database connections per worker process (PostgreSQL): the pool, the extra ones allowed on a
    # burst, and how long a request waits for one before the node answers 503.
    db_pool_size: int = 10
    db_pool_overflow: int = 20
    db_pool_wait_seconds: float = 10.0
    # On SIGTERM a node stops accepting and gives requests under way this long to finish.
    shutdown_grace_seconds: int = 30
    # A closed case leaves every laptop this many days after its closing date (revoked through
    # pull, pending edits pushed first); 0 keeps closed cases on laptops until unassigned.
    closed_case_days: int = 30
    # How often a node looks for closed cases past `closed_case_days` (on a pull, at most this often).
    closed_case_sweep_seconds: int = 3600
    # Records a laptop holds above which admin commands and the server log warn (per user).
    records_per_user_warning: int = 10_000


def settings_from_env() -> Settings:
    """Settings for `caseworker-server serve` workers, which rebuild the app from the environment.

    `serve` always writes DOCS_ENV from its `--docs` flag before starting the workers, so a
    value left in the administrator's environment never turns the docs on by itself.
    """
    proxies = tuple(p.strip() for p in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",") if p.strip())
    return Settings(trusted_proxies=proxies, docs=os.environ.get(DOCS_ENV) == "1", **tuning_from_env())


# Admission and retention settings an operator may set per node: CASEWORKER_<NAME IN CAPITALS>,
# e.g. CASEWORKER_MAX_CONCURRENT_PUSHES=8 or CASEWORKER_CLOSED_CASE_DAYS=60.
TUNABLE = (
    "max_concurrent_pushes",
    "push_queue_length",
    "push_queue_wait_seconds",
    "retry_after_min_seconds",
    "retry_after_max_seconds",
    "db_pool_size",
    "db_pool_overflow",
    "db_pool_wait_seconds",
    "shutdown_grace_seconds",
    "closed_case_days",
    "closed_case_sweep_seconds",
    "records_per_user_warning",
)


def tuning_env(name: str) -> str:
    return f"CASEWORKER_{name.upper()}"


def tuning_from_env() -> dict[str, Any]:
    """The TUNABLE settings found in the environment, typed like their defaults; a bad value is refused."""
    defaults = Settings()
    found: dict[str, Any] = {}
    for name in TUNABLE:
        raw = os.environ.get(tuning_env(name))
        if raw is None or not raw.strip():
            continue
        kind = type(getattr(defaults, name))
        try:
            value = kind(raw.strip())
        except ValueError as exc:
            raise ValueError(f"{tuning_env(name)} must be a number, not {raw!r}.") from exc
        if value < 0:
            raise ValueError(f"{tuning_env(name)} cannot be negative.")
        found[name] = value
    return found
