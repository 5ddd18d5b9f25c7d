"""Search as you type: the first page of matches and how many there are in all (never a silent cap).

Typing reads only; the search is audited once the person stops typing (record_search), so
an audit write (and its wait for the disk) is not paid on every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, text

from caseworker_app.store import queries, search_index
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.queries import SearchHit

PAGE = 50  # snippets are cut in Python per hit; a screenful as you type, the total always said


@dataclass(frozen=True)
class CaseMatches:
    """One case of a search and its hits: the reference, school and stage tell same-name families apart."""

    case_id: str
    reference: str
    family_name: str
    school: str
    stage: str
    hits: list[SearchHit]


@dataclass(frozen=True)
class SearchPage:
    text: str
    hits: list[SearchHit]
    total: int
    cases: list[CaseMatches] = field(default_factory=list)  # the hits grouped by case, best case first

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
    cases = _by_case(store, hits)
    if len(hits) >= limit:
        with store.db.reading() as session:
            total = int(
                session.execute(
                    text("SELECT count(*) FROM search_index WHERE search_index MATCH :q"),
                    {"q": search_index.fts_query(words)},
                ).scalar_one()
            )
    return SearchPage(user_text, hits, total, cases)


def _by_case(store: LocalStore, hits: list[SearchHit]) -> list[CaseMatches]:
    """Hits under their case (in rank order), cases in the order of their best hit."""
    order: dict[str, int] = {}
    grouped: dict[str, list[SearchHit]] = {}
    for rank, hit in enumerate(hits):
        order.setdefault(hit.case_id, rank)
        grouped.setdefault(hit.case_id, []).append(hit)
    if not grouped:
        return []
    query = text(
        "SELECT c.id, c.stage, coalesce(s.name, '') FROM cases AS c "
        "LEFT JOIN schools AS s ON s.id = c.school_id WHERE c.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    with store.db.reading() as session:
        facts = {row[0]: (row[1], row[2]) for row in session.execute(query, {"ids": list(grouped)})}
    cases = []
    for case_id, found in grouped.items():
        stage, school = facts.get(case_id, ("", ""))
        first = found[0]
        cases.append(CaseMatches(case_id, first.reference, first.family_name, school, stage, found))
    # A family whose own name matched comes before families that are only mentioned in a note.
    return sorted(cases, key=lambda c: (not any(h.kind == "case" for h in c.hits), order[c.case_id]))


def record_search(store: LocalStore, page: SearchPage) -> None:
    """The audit event of a search the person settled on: the count, never the words."""
    store.repo.audit("search", detail={"hits": page.total})
