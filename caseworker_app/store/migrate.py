"""Apply the store's Alembic migrations, shipped inside the package, when a profile opens."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration in migrations/versions (a test keeps the two equal). A store already at it
# opens without loading Alembic, which costs ~10 MB of memory and ~40 ms at every unlock.
HEAD = "0006"


def include_object(_obj: object, name: str | None, type_: str, *_rest: object) -> bool:
    """The FTS index and its switch (search_*) are SQL-managed by migrations 0002 and 0004, not by the models."""
    return not (type_ == "table" and str(name).startswith("search_"))


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    if current_revision(engine) == HEAD:
        return
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
