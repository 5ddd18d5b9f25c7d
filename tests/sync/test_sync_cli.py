"""enroll, sync, status, conflicts and resolve from a terminal, against the real server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import PASSPHRASE, run_cli
from helpers import SERVER_PASSWORD as PASSWORD

from caseworker_app.domain import Person
from caseworker_app.store.local_store import LocalStore

run = run_cli


def enroll_from_terminal(capsys, monkeypatch, agency, home: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    args = ("enroll", "--server", agency.server.url, "--username", "liaison", "--home", home, "--password-stdin")
    return run(capsys, monkeypatch, *args, stdin=f"{PASSPHRASE}\n{PASSWORD}\n")


def test_enroll_sync_status_and_resolve_from_the_terminal(
    agency,
    laptop,
    tmp_path: Path,
    capsys,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    home = str(tmp_path / "cli-profile")
    code, out, err = enroll_from_terminal(capsys, monkeypatch, agency, home)
    assert code == 0, err
    assert "Enrolled" in out and "received" in out

    with LocalStore.open(Path(home), PASSPHRASE) as store:
        child = store.repo.get(Person, agency.child_id)
        child.relationship = "son"
        store.repo.save(child)
    other = laptop("boss", "supervisor")
    theirs = other.store.repo.get(Person, agency.child_id)
    theirs.relationship = "grandson"
    other.store.repo.save(theirs)
    other.sync()

    code, out, err = run(capsys, monkeypatch, "sync", "--home", home)
    assert code == 0 and "1 conflict" in out, out + err
    code, out, _ = run(capsys, monkeypatch, "status", "--home", home, "--json")
    sync = json.loads(out)["sync"]
    assert sync["online"] is True and sync["conflicts"] == 1 and sync["last_successful_sync"]

    code, out, _ = run(capsys, monkeypatch, "conflicts", "--home", home, "--json")
    (conflict,) = json.loads(out)
    assert (conflict["mine"], conflict["theirs"]) == ("son", "grandson")
    code, out, _ = run(capsys, monkeypatch, "resolve", conflict["id"], "--keep", "mine", "--home", home)
    assert code == 0 and "kept son" in out
    run(capsys, monkeypatch, "sync", "--home", home)
    other.sync()
    assert other.store.repo.get(Person, agency.child_id).relationship == "son"
    code, out, _ = run(capsys, monkeypatch, "conflicts", "--home", home)
    assert "No conflicts" in out


def test_sync_while_the_server_is_away_says_offline_and_keeps_the_change(
    agency,
    tmp_path: Path,
    capsys,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    home = str(tmp_path / "cli-profile")
    enroll_from_terminal(capsys, monkeypatch, agency, home)
    with LocalStore.open(Path(home), PASSPHRASE) as store:
        child = store.repo.get(Person, agency.child_id)
        child.grade = "4"
        store.repo.save(child)
    agency.server.stop()
    code, _, err = run(capsys, monkeypatch, "sync", "--home", home)
    assert code == 4 and "offline" in err and "kept" in err and "Traceback" not in err
    code, out, _ = run(capsys, monkeypatch, "status", "--home", home)
    assert "offline" in out and "Changes waiting to sync:      1" in out
    agency.server.start()


@pytest.mark.parametrize("password", ["wrong password"])
def test_enroll_with_a_wrong_password_is_one_clear_line(
    agency,
    tmp_path: Path,
    capsys,
    monkeypatch,  # type: ignore[no-untyped-def]
    password: str,
) -> None:
    code, _, err = run(
        capsys,
        monkeypatch,
        "enroll",
        "--server",
        agency.server.url,
        "--username",
        "liaison",
        "--home",
        str(tmp_path / "p"),
        "--password-stdin",
        stdin=f"{PASSPHRASE}\n{password}\n",
    )
    assert code != 0 and "Wrong username or password" in err and "Traceback" not in err
