"""Issue 20 item 5: a demo profile never enrolls; enrolling makes its own profile under the keyring policy."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from agency_kit import agency_server, devices_of
from helpers import PASSPHRASE, SERVER_PASSWORD, run_cli

from caseworker_app.demo.profile import DEMO_KEY
from caseworker_app.store.local_store import LocalStore


def no_keyring_and_no_passphrase_only(tmp_path: Path) -> None:
    """A laptop with no OS keyring under the default policy: `caseworker init` is refused there."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    policy = tmp_path / "no-policy.json"  # the conftest's policy path; absent means the defaults
    assert not policy.exists()


def test_a_demo_profile_never_enrolls_even_where_init_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    no_keyring_and_no_passphrase_only(tmp_path)
    code, _out, err = run_cli(capsys, monkeypatch, "init", "--home", str(tmp_path / "real"), "--worker", "liaison")
    assert code != 0 and "keyring" in err and not (tmp_path / "real").exists()

    demo = tmp_path / "X"
    code, _out, err = run_cli(capsys, monkeypatch, "demo", "--home", str(demo))
    assert code == 0, err
    with agency_server(tmp_path) as server:
        code, out, err = run_cli(
            capsys, monkeypatch, "enroll", "--home", str(demo), "--server", server.url,
            "--username", "liaison", "--password-stdin", stdin=f"{PASSPHRASE}\n{SERVER_PASSWORD}\n",
        )
        assert code != 0, out
        assert "demo" in err and "never connect" in err and "Traceback" not in err
        assert devices_of(server, "liaison") == []  # the server never heard from it
    with LocalStore.open(demo, PASSPHRASE) as store:  # the demo is untouched, still not enrolled
        assert store.get_setting(DEMO_KEY) is not None
        assert not (store.get_setting("sync") or {}).get("refresh_token")


def test_an_older_demo_profile_without_the_mark_is_refused_after_unlocking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = tmp_path / "X"
    code, _out, err = run_cli(capsys, monkeypatch, "demo", "--home", str(demo))
    assert code == 0, err
    meta = json.loads((demo / "profile.json").read_text())
    meta.pop("demo", None)  # as a demo made before the mark existed
    (demo / "profile.json").write_text(json.dumps(meta))
    with agency_server(tmp_path) as server:
        code, _out, err = run_cli(
            capsys, monkeypatch, "enroll", "--home", str(demo), "--server", server.url,
            "--username", "liaison", "--password-stdin", stdin=f"{PASSPHRASE}\n{SERVER_PASSWORD}\n",
        )
        assert code != 0 and "demo" in err
        assert devices_of(server, "liaison") == []


def test_enroll_without_a_keyring_is_refused_before_any_prompt_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    no_keyring_and_no_passphrase_only(tmp_path)
    home = tmp_path / "real"
    with agency_server(tmp_path) as server:
        code, _out, err = run_cli(
            capsys, monkeypatch, "enroll", "--home", str(home), "--server", server.url,
            "--username", "liaison", "--password-stdin", stdin="",  # nothing typed: refused before asking
        )
        assert code != 0 and "keyring" in err and "Ask IT" in err
        assert not home.exists() and devices_of(server, "liaison") == []


def test_enroll_makes_its_own_profile_and_a_failed_sign_in_leaves_no_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "real"
    with agency_server(tmp_path) as server:
        code, _out, err = run_cli(
            capsys, monkeypatch, "enroll", "--home", str(home), "--server", server.url,
            "--username", "liaison", "--password-stdin", stdin=f"{PASSPHRASE}\nwrong password\n",
        )
        assert code != 0 and "Wrong username or password" in err
        assert not home.exists()  # the next try starts from an empty folder
        code, out, err = run_cli(
            capsys, monkeypatch, "enroll", "--home", str(home), "--server", server.url,
            "--username", "liaison", "--password-stdin", stdin=f"{PASSPHRASE}\n{SERVER_PASSWORD}\n",
        )
        assert code == 0 and "Enrolled" in out, err
        assert len(devices_of(server, "liaison")) == 1


def test_a_failed_sign_in_keeps_the_settings_it_left_in_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "real"
    home.mkdir()
    (home / "settings.json").write_text('{"agency_name": "Hillside"}')
    with agency_server(tmp_path) as server:
        code, _out, err = run_cli(
            capsys, monkeypatch, "enroll", "--home", str(home), "--server", server.url,
            "--username", "liaison", "--password-stdin", stdin=f"{PASSPHRASE}\nwrong password\n",
        )
    assert code != 0 and "Wrong username or password" in err
    assert sorted(p.name for p in home.iterdir()) == ["settings.json"]
    assert json.loads((home / "settings.json").read_text()) == {"agency_name": "Hillside"}
