"""A contentless search index with column detail, and triggers a bulk load can pause.

Revision ID: 0004
Revises: 0003

The text already lives in its source tables; storing it again in the index
doubled what every write encrypted and wrote. Column detail is all prefix AND
queries and ranking need.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of caseworker_app.store.search_index.SOURCES as of this migration.
SOURCES = {
    "cases": ("case", 1, "{r}.family_name", "{r}.reference"),
    "people": ("person", 2, "{r}.first_name || ' ' || {r}.last_name", "{r}.relationship"),
    "visits": ("visit", 3, "{r}.contact_type", "{r}.purpose || ' ' || {r}.observations || ' ' || {r}.location"),
    "notes": ("note", 4, "''", "{r}.narrative"),
}
ACTIVE = "WHEN (SELECT paused FROM search_pause) = 0"


def _values(table: str, r: str) -> str:
    _kind, code, title, body = SOURCES[table]
    return f"{r}.rowid * 8 + {code}, {title.format(r=r)}, {body.format(r=r)}"


def upgrade() -> None:
    for table in SOURCES:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE search_index")
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(title, body, content='', contentless_delete=1, "
        "detail=column, tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute("CREATE TABLE search_pause (paused INTEGER NOT NULL)")
    op.execute("INSERT INTO search_pause (paused) VALUES (0)")
    for table, (_kind, code, _title, _body) in SOURCES.items():
        insert_new = (
            f"INSERT INTO search_index (rowid, title, body) SELECT {_values(table, 'new')} "
            "WHERE new.deleted_at IS NULL;"
        )
        delete_old = f"DELETE FROM search_index WHERE rowid = old.rowid * 8 + {code};"
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} {ACTIVE} BEGIN {insert_new} END")
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} {ACTIVE} BEGIN {delete_old} {insert_new} END"
        )
        op.execute(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} {ACTIVE} BEGIN {delete_old} END")
        op.execute(
            f"INSERT INTO search_index (rowid, title, body) SELECT {_values(table, 't')} "
            f"FROM {table} AS t WHERE t.deleted_at IS NULL"
        )


def downgrade() -> None:
    raise NotImplementedError("The search index is rebuilt, not downgraded.")
