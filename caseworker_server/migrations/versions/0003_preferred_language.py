"""Cases and people stored before the preferred language existed say "not recorded" ("").

Revision ID: 0003
Revises: 0002

Records are stored as JSON, so the new field needs no column; but the field-level merge reads a
missing field as None, and a laptop's first edit of the language (base "") would then be taken for
a conflict. Writing "" into the rows that lack it makes the server hold what every laptop holds.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FIELD = "preferred_language"
_records = sa.table(
    "records",
    sa.column("entity", sa.String),
    sa.column("id", sa.String),
    sa.column("fields", sa.Text),
)


def _rewrite(add: bool) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_records.c.entity, _records.c.id, _records.c.fields).where(_records.c.entity.in_(("case", "person")))
    ).all()
    for entity, row_id, text in rows:
        fields = json.loads(text)
        if add == (FIELD in fields):
            continue
        if add:
            fields[FIELD] = ""
        else:
            fields.pop(FIELD, None)
        connection.execute(
            sa.update(_records)
            .where(_records.c.entity == entity, _records.c.id == row_id)
            .values(fields=json.dumps(fields, separators=(",", ":"), ensure_ascii=True, sort_keys=True))
        )


def upgrade() -> None:
    _rewrite(add=True)


def downgrade() -> None:
    _rewrite(add=False)
