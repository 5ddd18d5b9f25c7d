"""`caseworker-server user import FILE.csv`, run as IT runs it: all rows or none, passwords IT can hand out."""

from __future__ import annotations

import csv
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from caseworker_server.auth import verify_password
from caseworker_server.db import Database
from caseworker_server.models import User


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseworker_server.cli", "--database-url", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def users(url: str) -> dict[str, User]:
    db = Database(url)
    try:
        with db.read() as session:
            return {u.username: u for u in session.execute(select(User)).scalars()}
    finally:
        db.dispose()


def test_a_county_imports_its_staff_and_gets_their_first_passwords(database_url: str, tmp_path: Path) -> None:
    roster = tmp_path / "staff.csv"
    # Excel's UTF-8 with a byte-order mark; a liaison named before her supervisor.
    roster.write_text(
        "username,role,display_name,supervisor,password\n"
        "ana.lopez,liaison,Ana López,dana.reed,\n"
        "dana.reed,supervisor,Dana Reed,,\n"
        "\n"
        "it.admin,admin,County IT,,a long admin password\n",
        encoding="utf-8-sig",
    )
    out = tmp_path / "first-passwords.csv"
    result = run(database_url, "user", "import", str(roster), "--passwords-out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Added 1 liaison, 1 supervisor, 1 admin." in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    with open(out, encoding="utf-8", newline="") as fh:
        handed_out = {row["username"]: row["password"] for row in csv.DictReader(fh)}
    assert set(handed_out) == {"ana.lopez", "dana.reed"}  # the admin's password came with the file
    found = users(database_url)
    assert found["ana.lopez"].display_name == "Ana López"
    assert found["ana.lopez"].supervisor_id == found["dana.reed"].id
    assert found["it.admin"].role == "admin"
    for name, password in handed_out.items():
        assert len(password) >= 16
        assert verify_password(found[name].password_hash, password)
    assert verify_password(found["it.admin"].password_hash, "a long admin password")
    assert "a long admin password" not in out.read_text()


def test_one_bad_row_adds_nobody_and_names_its_line(database_url: str, tmp_path: Path) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "username,role,supervisor\n"
        "dana.reed,supervisor,\n"
        "ana.lopez,liaison,dana.reed\n"
        "sam.ortiz,liaison,nobody.here\n",
        encoding="utf-8",
    )
    out = tmp_path / "pw.csv"
    result = run(database_url, "user", "import", str(roster), "--passwords-out", str(out))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line == f"caseworker-server: {roster}, line 4: No user named nobody.here."
    assert users(database_url) == {}
    assert not out.exists()

    roster.write_text("username,role\nkim,caseworker\n", encoding="utf-8")
    result = run(database_url, "user", "import", str(roster), "--passwords-out", str(out))
    assert "line 2: choose a role among" in result.stderr


def test_generated_passwords_need_a_new_file_to_go_to(database_url: str, tmp_path: Path) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("username,role\nkim,liaison\n", encoding="utf-8")
    result = run(database_url, "user", "import", str(roster))
    assert result.returncode == 1 and "--passwords-out" in result.stderr
    existing = tmp_path / "old.csv"
    existing.write_text("keep me")
    result = run(database_url, "user", "import", str(roster), "--passwords-out", str(existing))
    assert result.returncode == 1 and "already exists" in result.stderr
    assert existing.read_text() == "keep me"
    assert users(database_url) == {}
