"""Alembic environment for the local store; the caller passes an open connection."""

from alembic import context

from caseworker_app.store.migrate import include_object
from caseworker_app.store.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
