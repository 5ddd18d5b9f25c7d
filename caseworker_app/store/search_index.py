"""The full-text index over names, visits and notes: its sources, bulk indexing and search.

The FTS5 table is contentless (the text already lives, encrypted, in its source
tables) and keeps column-level detail: enough for prefix AND queries and
ranking, and several times cheaper to write. Its rowid is the source rowid * 8
+ a kind code. Triggers (migration 0004) keep it current row by row; a bulk
load pauses them inside its own transaction and indexes its rows in one
statement per table. A first sync leaves it to the end (`defer`), then builds
it whole (`rebuild`); a store left with the index owed (a first sync cut short)
is rebuilt when it next opens or syncs. Snippets are cut from the source text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from caseworker_app.store.database import Database
from caseworker_app.store.models import LocalSetting

# table -> (kind, code, title expression, body expression) over the table's alias {r}
SOURCES: dict[str, tuple[str, int, str, str]] = {
    "cases": ("case", 1, "{r}.family_name", "{r}.reference"),
    "people": ("person", 2, "{r}.first_name || ' ' || {r}.last_name", "{r}.relationship"),
    "visits": ("visit", 3, "{r}.contact_type", "{r}.purpose || ' ' || {r}.observations || ' ' || {r}.location"),
    "notes": ("note", 4, "''", "{r}.narrative"),
}
# Set, in the same transaction, by every write that leaves rows out of the index for later.
PENDING_KEY = "search_index_pending"
BY_CODE = {code: table for table, (_kind, code, _t, _b) in SOURCES.items()}
SNIPPET_WORDS = 12
# A word as the index's unicode61 tokenizer cuts text: letters and digits; `_`, `-`, quotes,
# `*` and every other mark separate words (so "foster_care" is two words, as in the index).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _select(table: str, alias: str) -> str:
    _kind, code, title, body = SOURCES[table]
    return f"{alias}.rowid * 8 + {code}, {title.format(r=alias)}, {body.format(r=alias)}"


def pause(session: Session, paused: bool) -> None:
    session.execute(text("UPDATE search_pause SET paused = :p"), {"p": int(paused)})


def stage(session: Session, row_ids: Sequence[str]) -> None:
    """Name the rows the next reindex is about (a temporary table, kept in memory)."""
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS search_batch (id TEXT PRIMARY KEY)"))
    session.execute(text("DELETE FROM temp.search_batch"))
    session.execute(text("INSERT OR IGNORE INTO temp.search_batch (id) VALUES (:id)"), [{"id": i} for i in row_ids])


def staged_entries(session: Session, table: str) -> list[int]:
    """Index rowids the staged rows have now: they must go before the rows are indexed again."""
    code = SOURCES[table][1]
    return list(
        session.execute(
            text(
                f"SELECT t.rowid * 8 + {code} FROM {table} AS t JOIN temp.search_batch AS b ON b.id = t.id "
                "WHERE t.deleted_at IS NULL"
            )
        ).scalars()
    )


def reindex_staged(session: Session, table: str, stale: Sequence[int]) -> None:
    """Index the staged rows as they are now; `stale` are their entries from before the write."""
    if stale:
        session.execute(text("DELETE FROM search_index WHERE rowid = :r"), [{"r": r} for r in stale])
    session.execute(
        text(
            f"INSERT INTO search_index (rowid, title, body) SELECT {_select(table, 't')} "
            f"FROM {table} AS t JOIN temp.search_batch AS b ON b.id = t.id WHERE t.deleted_at IS NULL"
        )
    )


def defer(session: Session) -> None:
    """Say that rows written in this transaction are not indexed yet: `rebuild` owes them."""
    if session.get(LocalSetting, PENDING_KEY) is None:
        session.add(LocalSetting(key=PENDING_KEY, value=True))


def is_pending(session: Session) -> bool:
    return session.scalar(select(LocalSetting.key).where(LocalSetting.key == PENDING_KEY)) is not None


def rebuild(session: Session) -> None:
    """The whole index made again from its sources, in one statement per table; the debt is paid."""
    session.execute(text("INSERT INTO search_index (search_index) VALUES ('delete-all')"))
    for table in SOURCES:
        session.execute(
            text(
                f"INSERT INTO search_index (rowid, title, body) SELECT {_select(table, 't')} "
                f"FROM {table} AS t WHERE t.deleted_at IS NULL"
            )
        )
    session.execute(delete(LocalSetting).where(LocalSetting.key == PENDING_KEY))


def settle_pending(db: Database) -> bool:
    """On opening a store: build the index a first sync cut short left owing. True if it did."""
    with db.reading() as session:
        if not is_pending(session):
            return False
    with db.transaction(remote=True) as session:
        if not is_pending(session):  # another process's sync built it meanwhile
            return False
        rebuild(session)
    return True


# -- searching ---------------------------------------------------------------------------------


def fold(word: str) -> str:
    """Lower case without diacritics, as the index's tokenizer sees words."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def query_words(user_text: str) -> list[str]:
    """The words of what a person typed, cut as the index cut the text; no FTS syntax survives.

    FTS folds the words itself (its tokenizer strips diacritics of Latin script only).
    """
    return _WORD.findall(user_text)


def fts_query(words: Iterable[str]) -> str:
    """Every word must match, each as a prefix; the user's text never reaches FTS syntax."""
    return " AND ".join(f'"{w}"*' for w in words)


def _is_hit(token: str, folded: Sequence[str]) -> bool:
    word = token.lower() if token.isascii() else fold(token)
    return any(word.startswith(w) for w in folded)


def snippet(title: str, body: str, words: Sequence[str]) -> str:
    """A few words around the first match (title first, then body), matching words in [brackets]."""
    folded = [fold(w) for w in words]
    for source in (title, body):
        tokens = list(_WORD.finditer(source))
        first = next((i for i, m in enumerate(tokens) if _is_hit(m.group(), folded)), None)
        if first is not None:
            break
    else:
        source, tokens, first = body, list(_WORD.finditer(body)), 0
    if not tokens:
        return ""
    start = max(0, first - SNIPPET_WORDS // 3)
    end = min(len(tokens), start + SNIPPET_WORDS)
    pieces = []
    cursor = tokens[start].start()
    for match in tokens[start:end]:
        pieces.append(source[cursor : match.start()])
        pieces.append(f"[{match.group()}]" if _is_hit(match.group(), folded) else match.group())
        cursor = match.end()
    tail = "…" if end < len(tokens) else source[cursor:].rstrip()
    # One line per hit: the note's own line breaks and tabs become single spaces.
    return " ".join((("…" if start > 0 else "") + "".join(pieces) + tail).split())


@dataclass(frozen=True)
class IndexHit:
    kind: str
    row_id: str
    case_id: str
    title: str
    body: str


def count_matching(session: Session, user_text: str) -> int:
    words = query_words(user_text)
    if not words:
        return 0
    count = session.execute(
        text("SELECT count(*) FROM search_index WHERE search_index MATCH :q"), {"q": fts_query(words)}
    ).scalar()
    return int(count or 0)


def matching(session: Session, user_text: str, limit: int) -> tuple[list[IndexHit], list[str]]:
    """Best matches first, with the text they were indexed from."""
    words = query_words(user_text)
    if not words:
        return [], []
    rowids = list(
        session.execute(
            text("SELECT rowid FROM search_index WHERE search_index MATCH :q ORDER BY rank LIMIT :limit"),
            {"q": fts_query(words), "limit": limit},
        ).scalars()
    )
    by_table: dict[str, list[int]] = {}
    for rowid in rowids:
        by_table.setdefault(BY_CODE[rowid % 8], []).append(rowid // 8)
    found: dict[int, IndexHit] = {}
    for table, source_rowids in by_table.items():
        kind, code, title, body = SOURCES[table]
        marks = ", ".join(str(int(r)) for r in source_rowids)
        for rowid, row_id, case_id, title_text, body_text in session.execute(
            text(
                f"SELECT t.rowid, t.id, t.case_id, {title.format(r='t')}, {body.format(r='t')} "
                f"FROM {table} AS t WHERE t.rowid IN ({marks})"
            )
        ):
            found[rowid * 8 + code] = IndexHit(kind, row_id, case_id, title_text or "", body_text or "")
    return [found[r] for r in rowids if r in found], words
