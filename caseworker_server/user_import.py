"""`user import FILE.csv`: accounts in bulk, for enrolling a county's laptops at once.

The whole file is checked before anything is written, and all rows are added in one
transaction: a bad row adds nobody. Passwords not in the file are generated and
written to a file only its owner can read, for IT to hand out.
"""

from __future__ import annotations

import csv
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from caseworker_server import admin
from caseworker_server.db import Database
from caseworker_server.errors import CaseworkerServerError, Invalid
from caseworker_server.models import ROLES

COLUMNS = ("username", "role", "display_name", "supervisor", "password")
REQUIRED = ("username", "role")
# Supervisors first, so a liaison's row may name a supervisor listed further down.
_ORDER = {"admin": 0, "supervisor": 1, "liaison": 2}


@dataclass(frozen=True)
class UserRow:
    line: int
    username: str
    role: str
    display_name: str
    supervisor: str
    password: str


@dataclass(frozen=True)
class ImportResult:
    added: dict[str, int]
    generated: list[tuple[str, str]]  # (username, password) for rows that had no password


def read_rows(path: Path) -> list[UserRow]:
    """Every row of the file, checked for shape; errors name the line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:  # -sig: Excel's byte-order mark
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or []]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise Invalid(f"{path}, line 1: the header needs the columns {', '.join(REQUIRED)}.")
            unknown = [h for h in header if h not in COLUMNS]
            if unknown:
                raise Invalid(f"{path}, line 1: unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}.")
            reader.fieldnames = header
            rows = []
            for record in reader:
                line = reader.line_num
                if None in record:
                    raise Invalid(f"{path}, line {line}: more values than columns.")
                values = {k: (v or "").strip() for k, v in record.items()}
                if not any(values.values()):
                    continue  # a blank line
                if not values.get("username"):
                    raise Invalid(f"{path}, line {line}: the username is empty.")
                if values["role"] not in ROLES:
                    raise Invalid(f"{path}, line {line}: choose a role among {', '.join(ROLES)}.")
                rows.append(
                    UserRow(
                        line,
                        values["username"],
                        values["role"],
                        values.get("display_name", ""),
                        values.get("supervisor", ""),
                        (record.get("password") or "").rstrip("\r\n"),  # spaces may be part of it
                    )
                )
    except FileNotFoundError as exc:
        raise Invalid(f"No such file: {path}.") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise Invalid(f"{path} is not a readable CSV file ({type(exc).__name__}).") from exc
    if not rows:
        raise Invalid(f"{path} lists no users.")
    return rows


def new_password() -> str:
    return secrets.token_urlsafe(15)  # 20 characters, 120 bits


def import_users(session: Session, rows: list[UserRow], path: Path) -> ImportResult:
    """Add every row in the caller's transaction; the first bad row raises, naming its line."""
    added = dict.fromkeys(ROLES, 0)
    generated: list[tuple[str, str]] = []
    for row in sorted(rows, key=lambda r: (_ORDER.get(r.role, 3), r.line)):
        password = row.password or new_password()
        try:
            admin.add_user(
                session,
                row.username,
                row.role,
                password,
                supervisor=row.supervisor or None,
                display_name=row.display_name,
            )
        except CaseworkerServerError as exc:  # a bad role, a taken name, an unknown supervisor
            raise Invalid(f"{path}, line {row.line}: {exc}") from exc
        added[row.role] += 1
        if not row.password:
            generated.append((row.username, password))
    return ImportResult(added, generated)


def write_passwords(path: Path, generated: list[tuple[str, str]]) -> None:
    """A new file, readable by its owner only; an existing file is never overwritten."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise Invalid(f"{path} already exists; choose a new file for the passwords.") from exc
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["username", "password"])
        writer.writerows(generated)


def run_import(db: Database, path: Path, passwords_out: Path | None) -> ImportResult:
    """Check the file, add its users in one transaction, write the generated passwords."""
    rows = read_rows(path)
    if passwords_out is None and any(not r.password for r in rows):
        raise Invalid("Some rows have no password: give --passwords-out FILE for the generated ones.")
    if passwords_out is not None and passwords_out.exists():
        raise Invalid(f"{passwords_out} already exists; choose a new file for the passwords.")
    written = False
    try:
        with db.write() as session:
            result = import_users(session, rows, path)
            if result.generated and passwords_out is not None:
                # Before the commit: accounts whose password IT never saw would be of no use.
                write_passwords(passwords_out, result.generated)
                written = True
    except BaseException:
        if written and passwords_out is not None:
            passwords_out.unlink(missing_ok=True)
        raise
    return result
