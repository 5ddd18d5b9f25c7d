"""Bring a database to a usable state: schema migrated, built-in reference data present."""

from __future__ import annotations

from caseworker_server.changelog import ChangeSet
from caseworker_server.db import Database, migrate
from caseworker_server.reference import ensure_service_catalog


def init_database(url: str) -> None:
    migrate(url)
    db = Database(url)
    try:
        with db.write() as session:
            changes = ChangeSet()
            ensure_service_catalog(session, changes)
            changes.stamp(session)
    finally:
        db.dispose()
