"""The caseworker command as a newcomer and a liaison use it: demo, lists, search, clear errors."""

import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from helpers import PASSPHRASE, run_cli

from caseworker_app import cli
from caseworker_app.demo.caseload import generate_caseload

run = run_cli


@pytest.fixture
def demo_home(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "demo"
    code, out, _ = run(capsys, monkeypatch, "demo", "--home", str(home))
    assert code == 0 and "25 families" in out
    return home


def test_demo_leaves_nothing_a_family_said_readable_on_disk(demo_home: Path) -> None:
    caseload = generate_caseload("default", today=date.today(), worker="liaison")
    secrets = {c.family_name for c in caseload.cases}
    secrets |= {p.first_name + " " + p.last_name for p in caseload.people}
    secrets |= {p.first_name for p in caseload.people if len(p.first_name) >= 6}
    for note in caseload.notes[:50]:
        secrets |= {s.strip() for s in re.split(r"(?<=\.) ", note.narrative) if len(s) > 40}
    # Short strings (a 3-byte "Lê") turn up in 10 MB of ciphertext by chance; 8 bytes or more do not.
    needles = [n for s in secrets for n in (s.encode(), s.encode("utf-16-le")) if len(n) >= 8]
    files = [p for p in demo_home.rglob("*") if p.is_file()]
    assert any(p.name == "caseworker.db" for p in files)
    for path in files:
        data = path.read_bytes()
        leaked = [n for n in needles if n in data]
        assert not leaked, f"{path.name} contains {leaked[:3]}"
    raw = sqlite3.connect(demo_home / "caseworker.db")
    with pytest.raises(sqlite3.DatabaseError):
        raw.execute("SELECT name FROM sqlite_master").fetchall()
    raw.close()


def test_wrong_passphrase_says_so_in_one_line(demo_home: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run(capsys, monkeypatch, "status", "--home", str(demo_home), stdin="nope nope nope\n")
    assert code == cli.EXIT_AUTH
    assert err.strip().splitlines()[-1] == "caseworker: Wrong passphrase. Check it and try again."
    assert "Traceback" not in err


def test_lists_status_and_search_from_the_terminal(demo_home: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    home = str(demo_home)
    code, out, _ = run(capsys, monkeypatch, "cases", "--home", home, "--json")
    cases = json.loads(out)
    assert code == 0 and len(cases) == 25
    case = cases[0]

    code, out, _ = run(capsys, monkeypatch, "visits", case["id"], "--home", home, "--json")
    visits = json.loads(out)
    assert code == 0 and visits and all(v["case_id"] == case["id"] for v in visits)

    code, out, _ = run(capsys, monkeypatch, "search", case["family_name"], "--home", home, "--json")
    hits = json.loads(out)
    assert code == 0 and any(h["case_id"] == case["id"] for h in hits)
    assert all(h["snippet"] for h in hits)

    code, out, _ = run(capsys, monkeypatch, "status", "--home", home, "--json")
    status = json.loads(out)
    assert code == 0 and status["cases"] == 25 and status["pending_changes"] == 0
    assert 0 < status["children_due_this_month"] <= status["children"]


def test_missing_profile_and_corrupt_database_give_clear_errors(
    tmp_path: Path, demo_home: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, monkeypatch, "status", "--home", str(tmp_path / "nowhere"))
    assert code == cli.EXIT_ERROR and "No Caseworker profile" in err and "caseworker init" in err

    db = demo_home / "caseworker.db"
    data = bytearray(db.read_bytes())
    data[0:4096] = b"\x00" * 4096  # destroy the first page (header and salt)
    db.write_bytes(bytes(data))
    code, _, err = run(capsys, monkeypatch, "status", "--home", str(demo_home))
    assert code != 0 and "Traceback" not in err
    assert "passphrase is right" in err and "damaged" in err and "Wrong passphrase" not in err


def test_init_asks_twice_on_a_terminal_and_refuses_to_overwrite(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers = iter([PASSPHRASE, PASSPHRASE + "typo"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    monkeypatch.setattr("sys.stdin", type("Tty", (), {"isatty": staticmethod(lambda: True)})())
    monkeypatch.setattr("builtins.input", lambda _prompt: "Jordan Rivera")  # full name and title questions
    code = cli.main(["init", "--home", str(tmp_path / "p")])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE and "differ" in err
    assert not (tmp_path / "p" / "profile.json").exists()

    code, _, _ = run(capsys, monkeypatch, "init", "--home", str(tmp_path / "p"), stdin=PASSPHRASE + "\n")
    assert code == 0
    code, _, err = run(capsys, monkeypatch, "init", "--home", str(tmp_path / "p"))
    assert code == cli.EXIT_ERROR and "already exists" in err


def test_version(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0 and "caseworker 0.1.0" in capsys.readouterr().out


def test_summary_and_report_from_the_terminal_are_audited(demo_home: Path, tmp_path: Path, capsys,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from caseworker_app.store.local_store import LocalStore

    home = str(demo_home)
    _, out, _ = run(capsys, monkeypatch, "cases", "--home", home, "--json")
    case = json.loads(out)[0]
    _, out, _ = run(capsys, monkeypatch, "visits", case["id"], "--home", home, "--json")
    visit = json.loads(out)[0]

    pdf = tmp_path / "summary.pdf"
    code, out, err = run(capsys, monkeypatch, "summary", visit["id"], "--out", str(pdf), "--home", home,
                         "--password-stdin", stdin=f"{PASSPHRASE}\npdf secret\n")
    assert code == 0, err
    reader = PdfReader(pdf)
    assert reader.is_encrypted and reader.decrypt("pdf secret")
    assert case["family_name"] in reader.pages[0].extract_text()

    report = tmp_path / "history.pdf"
    code, _, err = run(capsys, monkeypatch, "report", case["id"], "--from", "2025-11-01", "--to", "2026-11-30",
                       "--out", str(report), "--audience", "school", "--home", home)
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(report).pages)
    assert case["reference"] in text

    with LocalStore.open(demo_home, PASSPHRASE) as store:
        exports = store.repo.audit_events(action="export")
    assert [e["detail"]["audience"] for e in exports] == ["full", "school"]
    assert exports[0]["row_id"] == visit["id"] and exports[1]["case_id"] == case["id"]

    code, _, err = run(capsys, monkeypatch, "summary", "no-such-visit", "--out", str(pdf), "--home", home)
    assert code == cli.EXIT_ERROR and err.strip().endswith("No visit with id no-such-visit in this profile.")


def test_the_demo_profile_is_reachable_with_demo_from_any_command(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, monkeypatch, "demo")
    assert code == 0 and "caseworker cases --demo" in out
    code, out, _ = run(capsys, monkeypatch, "cases", "--demo", "--json")
    assert code == 0 and len(json.loads(out)) == 25
    code, _, err = run(capsys, monkeypatch, "cases", "--json")  # the real profile is another folder
    assert code == cli.EXIT_ERROR and "caseworker init" in err
