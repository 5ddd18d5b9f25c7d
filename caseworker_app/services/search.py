"""Searching the caseload: every search is an audit event, whichever front end asks."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker_app.store import queries
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.queries import SearchHit

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class SearchResults:
    """The best `limit` hits and how many matched in all, so a front end can say what it left out."""

    hits: list[SearchHit]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.hits))


def search(store: LocalStore, text: str, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Names, visits and notes matching the words; the audit records the count, never the words."""
    hits = queries.search(store.db, text, limit)
    total = max(len(hits), queries.search_count(store.db, text)) if len(hits) >= limit else len(hits)
    store.repo.audit("search", detail={"hits": len(hits)})
    return SearchResults(hits, total)
