"""Who the workers are, by user name: full name and title, for signatures and bylines.

The profile's own worker gives theirs at `caseworker init`; colleagues' display
names and roles arrive from the server as team-member reference data at each sync.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from caseworker_app.i18n import N_
from caseworker_app.store import models
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.protocol import TEAM_MEMBER_ENTITY

NAME_KEY = "worker_name"
TITLE_KEY = "worker_title"
# English as stored; marked so a PDF can print them in its own language (translate(member.title)).
ROLE_TITLES = {"liaison": N_("Family liaison"), "supervisor": N_("Supervisor"), "admin": N_("Administrator")}


@dataclass(frozen=True)
class StaffMember:
    name: str
    title: str = ""

    def signature_line(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


def set_worker_identity(store: LocalStore, name: str, title: str) -> None:
    store.set_setting(NAME_KEY, name.strip())
    store.set_setting(TITLE_KEY, title.strip())


def staff_directory(store: LocalStore) -> dict[str, StaffMember]:
    """User name -> full name and title; what the worker entered for themselves wins over the server's."""
    directory: dict[str, StaffMember] = {}
    with store.db.reading() as session:
        rows = session.scalars(
            select(models.ReferenceRecord).where(models.ReferenceRecord.entity == TEAM_MEMBER_ENTITY)
        )
        for row in rows:
            fields = row.fields or {}
            name = str(fields.get("display_name") or "").strip()
            if name:
                directory[row.id] = StaffMember(name, ROLE_TITLES.get(str(fields.get("role", "")), ""))
    own_name = str(store.get_setting(NAME_KEY, "") or "").strip()
    own_title = str(store.get_setting(TITLE_KEY, "") or "").strip()
    if own_name or own_title:
        known = directory.get(store.worker)
        directory[store.worker] = StaffMember(
            own_name or (known.name if known else store.worker), own_title or (known.title if known else "")
        )
    return directory
