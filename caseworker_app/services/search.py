"""Searching the caseload: every search is an audit event, whichever front end asks."""

from __future__ import annotations

from caseworker_app.store import queries
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.queries import SearchHit


def search(store: LocalStore, text: str) -> list[SearchHit]:
    """Names, visits and notes matching the words; the audit records the count, never the words."""
    hits = queries.search(store.db, text)
    store.repo.audit("search", detail={"hits": len(hits)})
    return hits
