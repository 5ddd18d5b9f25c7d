"""Ctrl-C, Ctrl-D, closed pipes, two runs at once, damaged files: a clear answer and nothing half-made."""

from __future__ import annotations

import io
import os
import signal
import time
from pathlib import Path

from clikit import copy_profile, run, start
from helpers import PASSPHRASE

from caseworker_app import cli


def _staging_or_store(home: Path) -> bool:
    return any(p.name.startswith(f".{home.name}.creating-") for p in home.parent.iterdir()) or (
        home / "caseworker.db"
    ).exists()


def test_ctrl_c_during_demo_says_cancelled_and_leaves_nothing(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    # The large caseload takes seconds to write, so the Ctrl-C lands mid-creation on a fast machine too.
    child = start(tmp_path, "demo", "--large", "--home", str(home), "--passphrase-stdin")
    assert child.stdin is not None
    child.stdin.write(PASSPHRASE + "\n")
    child.stdin.flush()
    deadline = time.monotonic() + 60
    while not _staging_or_store(home) and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    time.sleep(0.3)  # into the caseload
    child.send_signal(signal.SIGINT)
    _out, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert err.strip().splitlines()[-1] == "Cancelled"
    assert "unexpected" not in err and "Traceback" not in err
    assert not home.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".demo.creating")] == []
    code, _out, err = run(tmp_path, "cases", "--home", str(home), "--passphrase-stdin")
    assert code == cli.EXIT_ERROR and "No Caseworker profile" in err


def test_two_demo_runs_at_once_leave_one_profile_that_opens(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    runs = [start(tmp_path, "demo", "--home", str(home), "--passphrase-stdin") for _ in range(2)]
    for child in runs:  # both have their passphrase before either finishes
        assert child.stdin is not None
        child.stdin.write(PASSPHRASE + "\n")
        child.stdin.flush()
    results = [(child, *child.communicate(timeout=180)) for child in runs]
    codes = sorted(child.returncode for child, _out, _err in results)
    # The second either found the finished profile or was told it is being created.
    assert codes[0] == 0, results
    for child, _out, err in results:
        if child.returncode != 0:
            assert "being created" in err or "already exists" in err
            assert "unexpected" not in err
    code, out, err = run(tmp_path, "status", "--home", str(home), "--passphrase-stdin")
    assert code == 0 and "Cases:                        25" in out, err


def test_a_closed_pipe_ends_quietly(demo_folder: Path, tmp_path: Path) -> None:
    home = copy_profile(demo_folder, tmp_path / "demo")
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -1` having already gone
    try:
        child = start(tmp_path, "cases", "--home", str(home), "--passphrase-stdin", stdout=write_end)
        _out, err = child.communicate(PASSPHRASE + "\n", timeout=60)
    finally:
        os.close(write_end)
    assert child.returncode == 0, err
    assert "unexpected" not in err and "Traceback" not in err and "Exception ignored" not in err


def test_ctrl_d_at_the_passphrase_prompt_cancels(demo_folder: Path, tmp_path: Path, capsys,
                                                  monkeypatch) -> None:  # type: ignore[no-untyped-def]
    home = copy_profile(demo_folder, tmp_path / "demo")

    def ctrl_d(_prompt: str) -> str:
        raise EOFError  # what getpass does when Ctrl-D is pressed

    monkeypatch.setattr("getpass.getpass", ctrl_d)
    monkeypatch.setattr("sys.stdin", type("Tty", (), {"isatty": staticmethod(lambda: True)})())
    code = cli.main(["status", "--home", str(home)])
    _out, err = capsys.readouterr()
    assert code == cli.EXIT_CANCELLED and err.strip() == "Cancelled"


def test_a_damaged_database_is_named_and_sqlcipher_prints_nothing(demo_folder: Path, tmp_path: Path) -> None:
    home = copy_profile(demo_folder, tmp_path / "demo")
    db = home / "caseworker.db"
    data = bytearray(db.read_bytes())
    data[40_000:48_000] = os.urandom(8_000)  # pages in the middle: the header still decrypts
    db.write_bytes(bytes(data))
    code, _out, err = run(tmp_path, "cases", "--home", str(home), "--passphrase-stdin")
    assert code == cli.EXIT_ERROR, err
    assert "passphrase is right" in err and str(db) in err
    assert "hmac" not in err and "ERROR CORE" not in err and "Wrong passphrase" not in err
    assert err.strip().splitlines()[-1].startswith("caseworker: Your passphrase is right")


def test_a_missing_database_is_refused_and_reset_asks_first(demo_folder: Path, tmp_path: Path) -> None:
    home = copy_profile(demo_folder, tmp_path / "demo")
    (home / "caseworker.db").unlink()
    code, _out, err = run(tmp_path, "cases", "--home", str(home), "--passphrase-stdin")
    assert code == cli.EXIT_ERROR and "caseworker reset" in err and "missing" in err
    assert not (home / "caseworker.db").exists()

    code, _out, err = run(tmp_path, "reset", "--home", str(home), stdin="no\n")
    assert code == 1 and "Nothing was deleted" in err and (home / "profile.json").exists()
    code, out, err = run(tmp_path, "reset", "--home", str(home), stdin="DELETE\n")
    assert code == 0 and "Deleted" in out and not home.exists()
    code, _out, err = run(tmp_path, "init", "--home", str(home), "--passphrase-stdin")
    assert code == 0, err


def test_init_refuses_a_folder_holding_a_database_without_its_key(demo_folder: Path, tmp_path: Path,
                                                                  capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    home = copy_profile(demo_folder, tmp_path / "demo")
    (home / "profile.json").unlink()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    code = cli.main(["cases", "--home", str(home), "--passphrase-stdin"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR and "key file" in err and "Restore profile.json" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    code = cli.main(["init", "--home", str(home), "--passphrase-stdin"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR and "holds a Caseworker database" in err
    assert not (home / "profile.json").exists()


def test_demo_large_over_the_default_demo_says_so(demo_folder: Path, tmp_path: Path) -> None:
    home = copy_profile(demo_folder, tmp_path / "demo")
    code, out, err = run(tmp_path, "demo", "--large", "--home", str(home), "--passphrase-stdin")
    assert code == 1 and "holds the default caseload" in err and "--home" in err
    assert "25 families" not in out

