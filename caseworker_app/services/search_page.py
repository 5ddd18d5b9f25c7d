"""Search as you type: the first page of matches and how many there are in all (never a silent cap).

Typing reads only; the search is audited once the person stops typing (record_search), so
an audit write (and its wait for the disk) is not paid on every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from caseworker_app.store import queries, search_index
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.queries import SearchHit

PAGE = 50  # snippets are cut in Python per hit; a screenful as you type, the total always said


@dataclass(frozen=True)
class SearchPage:
    text: str
    hits: list[SearchHit]
    total: int

    @property
    def capped(self) -> bool:
        return self.total > len(self.hits)


def search_page(store: LocalStore, user_text: str, limit: int = PAGE) -> SearchPage:
    """Best matches first, and the true total when there are more than `limit`."""
    words = search_index.query_words(user_text)
    if not words:
        return SearchPage(user_text, [], 0)
    hits = queries.search(store.db, user_text, limit=limit)
    total = len(hits)
    if len(hits) >= limit:
        with store.db.reading() as session:
            total = int(
                session.execute(
                    text("SELECT count(*) FROM search_index WHERE search_index MATCH :q"),
                    {"q": search_index.fts_query(words)},
                ).scalar_one()
            )
    return SearchPage(user_text, hits, total)


def record_search(store: LocalStore, page: SearchPage) -> None:
    """The audit event of a search the person settled on: the count, never the words."""
    store.repo.audit("search", detail={"hits": page.total})
