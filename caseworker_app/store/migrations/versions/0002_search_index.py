"""Full-text search index over names, visits and notes, kept current by triggers.

Revision ID: 0002
Revises: 0001

Triggers (not application code) keep the index current, so records written by
the outbox path, by sync and by repairs are all searchable the same moment.
The FTS rowid is the source rowid * 8 + a kind code; the store never VACUUMs,
so rowids do not move.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (kind, code, title expression, body expression)
SOURCES = {
    "cases": ("case", 1, "{r}.family_name", "{r}.reference"),
    "people": ("person", 2, "{r}.first_name || ' ' || {r}.last_name", "{r}.relationship"),
    "visits": (
        "visit",
        3,
        "{r}.contact_type",
        "{r}.purpose || ' ' || {r}.observations || ' ' || {r}.location",
    ),
    "notes": ("note", 4, "''", "{r}.narrative"),
}


INSERT_INTO = "INSERT INTO search_index(rowid, kind, row_id, case_id, title, body)"


def _select(table: str, r: str) -> str:
    kind, code, title, body = SOURCES[table]
    return (
        f"SELECT {r}.rowid * 8 + {code}, '{kind}', {r}.id, {r}.case_id, "
        f"{title.format(r=r)}, {body.format(r=r)}"
    )


def _delete(table: str, r: str) -> str:
    code = SOURCES[table][1]
    return f"DELETE FROM search_index WHERE rowid = {r}.rowid * 8 + {code};"


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, row_id UNINDEXED, case_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    for table in SOURCES:
        insert_new = f"{INSERT_INTO} {_select(table, 'new')} WHERE new.deleted_at IS NULL;"
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {insert_new} END")
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN "
            f"{_delete(table, 'old')} {insert_new} END"
        )
        delete_old = _delete(table, "old")
        op.execute(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {delete_old} END")
        op.execute(f"{INSERT_INTO} {_select(table, table)} FROM {table} WHERE {table}.deleted_at IS NULL")


def downgrade() -> None:
    for table in SOURCES:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")
