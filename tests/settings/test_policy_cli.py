"""The IT policy as the `caseworker` command meets it: a broken policy stops it, the keyring rule holds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import pytest
from helpers import PASSPHRASE, run_cli
from keyring.backends.fail import Keyring as FailKeyring

from caseworker_app import cli


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    return run_cli(capsys, monkeypatch, *args, stdin=stdin)


def policy_file() -> Path:
    return Path(os.environ["CASEWORKER_POLICY"])


def test_the_app_refuses_to_start_with_a_policy_that_does_not_parse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy_file().write_text('{\n  "server_url": "https://cw.example"\n  "auto_lock_minutes": 5\n}\n')
    home = tmp_path / "p"
    code, out, err = run(capsys, monkeypatch, "init", "--home", str(home), stdin=PASSPHRASE + "\n")
    assert code == cli.EXIT_ERROR
    assert out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(f"caseworker: The IT policy file {policy_file()}, line 3")
    assert "Traceback" not in err
    assert not home.exists()  # nothing was done before the refusal


def test_without_a_keyring_the_default_policy_refuses_a_passphrase_only_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(FailKeyring())
    home = tmp_path / "p"
    (tmp_path / "p").mkdir()
    # The user's own settings.json cannot lift the rule.
    (home / "settings.json").write_text(json.dumps({"allow_passphrase_only": True}))
    code, _out, err = run(capsys, monkeypatch, "init", "--home", str(home), stdin=PASSPHRASE + "\n")
    assert code == cli.EXIT_ERROR
    assert "no OS keyring" in err and "Ask IT" in err
    assert not (home / "profile.json").exists()


def test_it_may_allow_a_passphrase_only_profile_and_the_user_is_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(FailKeyring())
    policy_file().write_text(json.dumps({"allow_passphrase_only": True}))
    home = tmp_path / "p"
    code, _out, err = run(capsys, monkeypatch, "init", "--home", str(home), stdin=PASSPHRASE + "\n")
    assert code == 0, err
    assert "protected by its passphrase alone" in err
    assert (home / "profile.json").exists()


def test_settings_json_raising_the_free_attempts_has_no_effect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "p"
    code, _out, err = run(capsys, monkeypatch, "init", "--home", str(home), stdin=PASSPHRASE + "\n")
    assert code == 0, err
    (home / "settings.json").write_text(json.dumps({"max_free_unlock_attempts": 1000}))
    for _ in range(3):
        code, _out, err = run(capsys, monkeypatch, "status", "--home", str(home), stdin="wrong guess!!\n")
        assert "Wrong passphrase" in err
    code, _out, err = run(capsys, monkeypatch, "status", "--home", str(home), stdin=PASSPHRASE + "\n")
    assert code == cli.EXIT_AUTH
    assert "Too many failed unlock attempts" in err.strip().splitlines()[-1]


def test_enroll_uses_the_server_the_policy_names_and_no_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket
    import threading

    # Where does the laptop go? A loopback listener notes each connection and hangs up.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    contacted: list[bytes] = []

    def note_connections() -> None:
        while True:
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            with conn:
                contacted.append(conn.recv(200))

    threading.Thread(target=note_connections, daemon=True).start()
    try:
        policy_file().write_text(json.dumps({"server_url": f"http://127.0.0.1:{port}"}))
        home = str(tmp_path / "p")
        code, _out, err = run(
            capsys, monkeypatch, "enroll", "--home", home, "--username", "sam", "--server", "http://127.0.0.1:9"
        )
        assert code == cli.EXIT_USAGE
        assert err.strip() == (
            f"caseworker: IT policy sets the server to http://127.0.0.1:{port}; leave out --server to use it."
        )
        assert not (tmp_path / "p").exists() and not contacted

        code, _out, err = run(
            capsys,
            monkeypatch,
            "enroll",
            "--home",
            home,
            "--username",
            "sam",
            "--password-stdin",
            stdin=f"{PASSPHRASE}\na server password\n",
        )
        assert code != 0 and "Traceback" not in err
        assert contacted and contacted[0].startswith(b"POST /v1/")
    finally:
        listener.close()


def test_it_can_see_each_setting_in_force_and_where_it_comes_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy_file().write_text(json.dumps({"auto_lock_minutes": 5}))
    home = tmp_path / "p"
    home.mkdir()
    (home / "settings.json").write_text(json.dumps({"agency_name": "Hillside", "max_free_unlock_attempts": 100}))
    code, out, err = run(capsys, monkeypatch, "settings", "--home", str(home), "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["policy_file"] == str(policy_file())
    rows = {r["name"]: r for r in shown["settings"]}
    assert rows["auto_lock_minutes"] == {
        "name": "auto_lock_minutes", "value": 5, "source": "policy", "user_may_change": False
    }
    assert rows["agency_name"]["value"] == "Hillside" and rows["agency_name"]["source"] == "settings.json"
    assert rows["max_free_unlock_attempts"]["value"] == 3 and rows["max_free_unlock_attempts"]["source"] == "default"
    assert rows["server_url"]["user_may_change"] is True

    code, out, _err = run(capsys, monkeypatch, "settings", "--home", str(home))
    assert code == 0
    assert any(line.split()[:3] == ["auto_lock_minutes", "5", "policy"] for line in out.splitlines())
