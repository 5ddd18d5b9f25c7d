"""The admin command line, run as a real process: clear one-line errors, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from serverkit import new_id
from sqlalchemy import text

from caseworker_server.db import Database
from caseworker_server.models import Record


def run(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseworker_server.cli", "--database-url", url, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def agency_export(case_id: str, child_id: str, school_id: str) -> dict[str, Any]:
    return {
        "schools": [{"id": school_id, "name": "Hillside Middle School", "district": "Riverbend"}],
        "cases": [
            {
                "id": case_id,
                "reference": "2026-0042",
                "family_name": "Alvarez",
                "stage": "ongoing",
                "case_type": "preventive",
                "placement": "in_home",
                "risk_level": "moderate",
                "school_id": school_id,
                "opened_on": "2026-09-02",
                "assigned_to": "sam",
                "members": [
                    {
                        "id": child_id,
                        "role": "child",
                        "first_name": "Ana",
                        "last_name": "Alvarez",
                        "date_of_birth": "2013-05-04",
                        "school_id": school_id,
                        "grade": "7",
                        "student_id": "S-1",
                    },
                    {
                        "id": new_id(),
                        "role": "caregiver",
                        "first_name": "Rosa",
                        "last_name": "Alvarez",
                        "relationship": "mother",
                    },
                ],
            }
        ],
    }


def test_admin_workflow(database_url: str, tmp_path: Path) -> None:
    url = database_url
    assert "ready" in ok(run(url, "init"))
    ok(run(url, "user", "add", "dana", "--role", "supervisor", stdin="oboe lantern 9q\n"))
    ok(run(url, "user", "add", "sam", "--role", "liaison", "--supervisor", "dana", stdin="oboe lantern 9q\n"))
    ok(run(url, "user", "add", "kim", "--role", "liaison", stdin="oboe lantern 9q\n"))
    listing = ok(run(url, "user", "list"))
    assert "sam\tliaison\tactive\tsupervisor: dana" in listing
    assert "oboe lantern 9q" not in listing

    case_id, child_id, school_id = new_id(), new_id(), new_id()
    export = tmp_path / "export.json"
    export.write_text(json.dumps(agency_export(case_id, child_id, school_id)))
    assert "Imported 1 cases, 2 members, 1 schools; 1 assignments." in ok(run(url, "case", "import", str(export)))
    ok(run(url, "case", "import", str(export)))  # importing again is safe
    ok(run(url, "case", "assign", case_id, "kim"))
    ok(run(url, "case", "unassign", case_id))
    ok(run(url, "user", "disable", "kim"))
    assert "kim\tliaison\tdisabled" in ok(run(url, "user", "list"))
    ok(run(url, "user", "reset-password", "sam", stdin="another long one\n"))
    assert ok(run(url, "device", "list")) == ""

    db = Database(url)
    try:
        with db.read() as session:
            case = session.get(Record, ("case", case_id))
            assert case is not None and json.loads(case.fields)["family_name"] == "Alvarez"
            assert case.version == 4  # imported, assigned to sam, to kim, unassigned; re-import no-op
    finally:
        db.dispose()


def test_errors_are_one_line_with_a_non_zero_exit(database_url: str, tmp_path: Path) -> None:
    url = database_url
    ok(run(url, "user", "add", "sam", "--role", "liaison", stdin="oboe lantern 9q\n"))
    assert "already exists" in refused(run(url, "user", "add", "sam", "--role", "liaison", stdin="oboe lantern 9q\n"))
    assert "at least 12" in refused(run(url, "user", "add", "kim", "--role", "liaison", stdin="short\n"))
    assert "standard input" in refused(run(url, "user", "add", "kim", "--role", "liaison"))
    assert "No user named" in refused(run(url, "user", "disable", "nobody"))
    assert "No case" in refused(run(url, "case", "assign", new_id(), "sam"))
    assert "No device" in refused(run(url, "device", "wipe", new_id()))
    assert "No such file" in refused(run(url, "case", "import", str(tmp_path / "missing.json")))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"cases": [{"id": new_id(), "reference": "", "family_name": "X"}]}))
    assert "case 1: Enter the case reference number." in refused(run(url, "case", "import", str(bad)))
    bad.write_text("[1, 2")
    assert "not a readable JSON file" in refused(run(url, "case", "import", str(bad)))
    assert "database" in refused(run("postgresql+psycopg://nobody@127.0.0.1:1/none", "init"))


def test_serve_works_on_a_fresh_machine_with_the_embedded_default(tmp_path: Path) -> None:
    import os
    import time

    import httpx
    from helpers import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CASEWORKER_DATABASE_URL"}
    env["CASEWORKER_SERVER_HOME"] = str(tmp_path / "home")
    process = subprocess.Popen(
        [sys.executable, "-m", "caseworker_server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert response.json() == {"status": "ok", "protocol": 1}
        assert (tmp_path / "home" / "caseworker-server.db").exists()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_speaks_https_with_tls_cert_and_key(tmp_path: Path) -> None:
    import socket
    import time

    import requests
    from helpers import agency_tls

    ca, cert, key = agency_tls(tmp_path)
    url = f"sqlite:///{tmp_path / 'server.db'}"
    assert "both" in refused(run(url, "serve", "--tls-cert", str(cert)))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "caseworker_server.cli",
            "--database-url",
            url,
            "serve",
            "--port",
            str(port),
            "--tls-cert",
            str(cert),
            "--tls-key",
            str(key),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = requests.get(f"https://127.0.0.1:{port}/v1/health", verify=str(ca), timeout=5)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert answer.status_code == 200
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=5)  # no plain HTTP on that port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a half-open handshake can hold a graceful stop
            server.kill()
            server.wait(timeout=10)


def _planner_rows(db: Database, table: str) -> float:
    """What the query planner believes a table holds (PostgreSQL: -1 before any ANALYZE)."""
    with db.read() as session:
        if db.sqlite:
            stat = session.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}).scalar()
            return float(str(stat).split()[0]) if stat else -1.0
        return float(
            session.execute(
                text("SELECT reltuples FROM pg_class WHERE oid = CAST(:t AS regclass)"), {"t": table}
            ).scalar()
        )


def test_an_import_leaves_the_planner_knowing_how_many_rows_it_added(database_url: str, tmp_path: Path) -> None:
    # Until the statistics are refreshed the planner takes the new tables for empty and picks plans
    # that made each page of a first sync twice as slow (benchmarks/sync_bench.py).
    ok(run(database_url, "init"))
    export = tmp_path / "cases.json"
    export.write_text(json.dumps(agency_export(new_id(), new_id(), new_id())), encoding="utf-8")
    ok(run(database_url, "user", "add", "sam", "--role", "liaison", stdin="oboe lantern 9q\n"))
    ok(run(database_url, "case", "import", str(export)))
    db = Database(database_url)
    try:
        with db.read() as session:
            held = session.execute(text("SELECT count(*) FROM records")).scalar()
        assert held and _planner_rows(db, "records") == held
    finally:
        db.dispose()
