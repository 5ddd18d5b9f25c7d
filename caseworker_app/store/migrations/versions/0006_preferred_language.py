"""cases and adult members record the language a family reads written material in

Revision ID: 0006
Revises: 0005

A family copy of a summary is written in that language; "" means not recorded.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("cases", "people"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("preferred_language", sa.String(length=35), nullable=False, server_default="")
            )


def downgrade() -> None:
    for table in ("cases", "people"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("preferred_language")
