"""notes keep the laptop's clock apart from the server's times

Revision ID: 0005
Revises: 0004

The server now stamps when it received a note and when it was finalized; the time
the laptop's clock gave is kept beside them, as the laptop's word only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_on_laptop_at", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_column("recorded_on_laptop_at")
