"""Bulk writing of rows the server sent: one upsert per table, with the search index kept in step.

Sync hands over pulled rows that carry no local edit (nearly all of them, and all
of a first sync); they go in through the session's own DB-API cursor, inside the
caller's transaction, without the ORM's per-row cost (one multi-row executemany
per table). A first sync may leave the index to its end (`index_later`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import msgspec
from sqlalchemy import JSON
from sqlalchemy.orm import Session

from caseworker_app.store import commits, models, search_index

RowsByType = Mapping[type[Any], Mapping[str, dict[str, Any]]]


@cache
def columns(table_name: str) -> frozenset[str]:
    return frozenset(c.key for c in models.Base.metadata.tables[table_name].columns)


@cache
def _upsert_sql(table_name: str, only_newer: bool) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """The upsert of one table as DB-API SQL: (statement, column order, JSON columns)."""
    table = models.Base.metadata.tables[table_name]
    names = tuple(c.key for c in table.columns)
    updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
    # An older copy of a row (a late answer, a page delivered twice) never moves it back.
    guard = f" WHERE excluded.version >= {table_name}.version" if only_newer else ""
    sql = (
        f"INSERT INTO {table_name} ({', '.join(chr(34) + n + chr(34) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)}) ON CONFLICT (id) DO UPDATE SET {updates}{guard}"
    )
    return sql, names, frozenset(c.key for c in table.columns if isinstance(c.type, JSON))


def _parameters(
    rows: Iterable[dict[str, Any]], names: tuple[str, ...], json_columns: frozenset[str]
) -> list[tuple[Any, ...]]:
    """Each row's values in column order, JSON columns as text: the hot loop of a first sync."""
    if not json_columns:
        return [tuple(map(row.get, names)) for row in rows]
    # The JSON columns as text, as SQLAlchemy's JSON type reads it back.
    encode = msgspec.json.encode
    at = [n in json_columns for n in names]
    return [
        tuple(
            encode(value).decode() if is_json else value
            for value, is_json in zip(map(row.get, names), at, strict=True)
        )
        for row in rows
    ]


def upsert_rows(
    session: Session, rows_by_type: RowsByType, *, only_newer: bool = True, index_later: bool = False
) -> int:
    """Write server rows (each a full row with id, case_id and version); returns how many were given.

    With `only_newer` a row the store holds in a newer version keeps it; a repair
    (reconcile) passes False, since the server's copy is then the truth. With
    `index_later` the rows are not indexed for search: the transaction records
    that the index owes them (search_index.defer) and a rebuild pays it.
    """
    if index_later:
        search_index.defer(session)
    session.flush()  # ORM writes made earlier in this transaction go first, in order
    placed = 0
    cursor = session.connection().connection.cursor()
    search_index.pause(session, True)  # one indexing statement per table beats a trigger per row
    try:
        for row_type in sorted(rows_by_type, key=lambda t: t is not models.CaseRow):  # cases first
            rows = rows_by_type[row_type]
            name = row_type.__tablename__
            indexed = name in search_index.SOURCES and not index_later
            if indexed:
                search_index.stage(session, list(rows))
                stale = search_index.staged_entries(session, name)
            sql, names, json_columns = _upsert_sql(name, only_newer)
            cursor.executemany(sql, _parameters(rows.values(), names, json_columns))
            if indexed:
                search_index.reindex_staged(session, name, stale)
            placed += len(rows)
            # Written through the driver, unseen by the session's events: say what changed, case by case.
            commits.touch(session, name, (row.get("case_id") for row in rows.values()))
    finally:
        search_index.pause(session, False)
    session.expire_all()  # the ORM must not keep stale copies of rows written underneath it
    return placed
