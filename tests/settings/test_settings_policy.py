"""Who may set what: the IT policy, the user's settings.json, the defaults; where the policy lives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import caseworker_app
from caseworker_app import settings
from caseworker_app.settings import PolicyError, Settings, SettingsError


def write_policy(data: dict[str, object]) -> Path:
    path = Path(os.environ[settings.POLICY_ENV])
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def write_user_settings(home: Path, data: dict[str, object]) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.json").write_text(json.dumps(data), encoding="utf-8")


def test_settings_json_cannot_change_what_protects_the_data(tmp_path: Path) -> None:
    home = tmp_path / "p"
    write_user_settings(
        home,
        {
            "max_free_unlock_attempts": 1000,
            "allow_passphrase_only": True,
            "auto_lock_minutes": 100000,
            "export_password_audiences": "",
            "updates_managed_by_it": True,
        },
    )
    s = Settings(home)
    assert s.get("max_free_unlock_attempts") == 3
    assert s.get("allow_passphrase_only") is False
    assert s.get("auto_lock_minutes") == 15
    assert s.get("export_password_audiences") == "full"
    assert s.get("updates_managed_by_it") is False
    assert not s.user_may_change("max_free_unlock_attempts")


def test_the_policy_sets_what_protects_the_data(tmp_path: Path) -> None:
    write_policy({"max_free_unlock_attempts": 5, "auto_lock_minutes": 5, "allow_passphrase_only": True})
    s = Settings(tmp_path / "p")
    assert s.get("max_free_unlock_attempts") == 5
    assert s.get("auto_lock_minutes") == 5
    assert s.get("allow_passphrase_only") is True


def test_a_user_setting_applies_unless_it_fixes_it(tmp_path: Path) -> None:
    home = tmp_path / "p"
    write_user_settings(home, {"agency_name": "Mine", "ca_bundle": "/home/me/ca.pem"})
    write_policy({"ca_bundle": "/etc/caseworker/agency-ca.pem"})
    s = Settings(home)
    assert s.get("agency_name") == "Mine"
    assert s.user_may_change("agency_name") and not s.fixed_by_policy("agency_name")
    assert s.get("ca_bundle") == "/etc/caseworker/agency-ca.pem"
    assert s.fixed_by_policy("ca_bundle") and not s.user_may_change("ca_bundle")
    assert s.get("server_url") == ""  # neither sets it: the default


def test_a_wrong_type_in_settings_json_names_the_setting(tmp_path: Path) -> None:
    home = tmp_path / "p"
    write_user_settings(home, {"family_shows_household_members": "yes"})
    with pytest.raises(SettingsError, match="'family_shows_household_members' must be true or false"):
        Settings(home).get("family_shows_household_members")


def test_every_setting_is_declared_once_with_a_default_of_its_type() -> None:
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))
    for s in settings.SETTINGS:
        assert isinstance(s.default, s.type), s.name
        assert s.description.endswith("."), s.name
        assert not (s.policy_only and not s.it_may_fix), f"{s.name}: nobody could ever set it"
    for needed in ("export_password_audiences", "updates_url", "updates_managed_by_it", "auto_lock_minutes"):
        assert needed in names


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("linux", "/etc/caseworker/policy.json"),
        ("darwin", "/Library/Application Support/Caseworker/policy.json"),
    ],
)
def test_one_policy_file_per_system_outside_the_users_reach(platform: str, expected: str) -> None:
    assert settings.system_policy_path(platform) == Path(expected)


def test_on_windows_the_policy_is_under_programdata_not_an_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ProgramData", "/home/someone/fake")
    path = settings.system_policy_path("win32")
    assert path.parts[-2:] == ("Caseworker", "policy.json")
    assert "fake" not in str(path)


def test_the_policy_override_works_in_a_development_checkout(tmp_path: Path) -> None:
    # conftest points CASEWORKER_POLICY at a temp file for every test; tests run from the checkout.
    assert settings.development_build()
    assert settings.policy_path() == Path(os.environ[settings.POLICY_ENV])


def test_an_installed_app_ignores_the_policy_override(tmp_path: Path) -> None:
    # The package as a build lays it out: with the constant the build writes (buildinfo).
    from caseworker_app.buildinfo import BUILD_KIND_SOURCE

    site = tmp_path / "site"
    shutil.copytree(
        Path(caseworker_app.__file__).parent,
        site / "caseworker_app",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (site / "caseworker_app" / "_build_kind.py").write_text(BUILD_KIND_SOURCE, encoding="utf-8")
    empty = tmp_path / "empty-policy.json"
    empty.write_text("{}", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({"PYTHONPATH": str(site), settings.POLICY_ENV: str(empty)})
    code = "from caseworker_app import settings; print(settings.policy_path())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == str(settings.system_policy_path())
    assert "ignored" in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "server_url": "https://cw.example",\n  "auto_lock_minutes": 5,,\n}\n', 3, "not valid JSON"),
        ('{\n  "server_url": "https://cw.example",\n  "max_free_unlok_attempts": 5\n}\n', 3, "not a Caseworker"),
        ('{\n  "auto_lock_minutes": "5"\n}\n', 2, "must be a whole number"),
        ('{\n  "auto_lock_minutes": 0\n}\n', 2, "at least 1"),
        ('{\n  "allow_passphrase_only": false,\n  "allow_passphrase_only": true\n}\n', 3, "twice"),
        ('[\n  "auto_lock_minutes"\n]\n', 1, "one JSON object"),
    ],
)
def test_a_policy_that_cannot_be_applied_names_the_file_and_line(text: str, line: int, message: str) -> None:
    path = Path(os.environ[settings.POLICY_ENV])
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=message) as err:
        Settings()
    assert err.value.path == path and err.value.line == line
    assert f"{path}, line {line}" in str(err.value)


def test_a_policy_saved_by_notepad_with_a_byte_order_mark_is_read() -> None:
    path = Path(os.environ[settings.POLICY_ENV])
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"auto_lock_minutes": 7}).encode())
    assert Settings().get("auto_lock_minutes") == 7


def test_a_system_policy_that_users_could_edit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "caseworker"
    folder.mkdir()
    folder.chmod(0o755)
    policy = folder / "policy.json"
    policy.write_text(json.dumps({"auto_lock_minutes": 5}))
    policy.chmod(0o644)
    monkeypatch.setattr(settings, "system_policy_path", lambda platform=sys.platform: policy)
    monkeypatch.delenv(settings.POLICY_ENV)
    if os.geteuid() != 0:
        with pytest.raises(PolicyError, match=f"{policy} can be changed by users other than root"):
            Settings()  # the tester's own file is not IT's
        return
    assert Settings().get("auto_lock_minutes") == 5  # root's, writable by root alone: IT's policy
    os.chown(policy, 1000, 1000)
    with pytest.raises(PolicyError, match="users other than root"):
        Settings()
    os.chown(policy, 0, 0)
    policy.chmod(0o666)
    with pytest.raises(PolicyError, match="users other than root"):
        Settings()
    policy.chmod(0o644)
    folder.chmod(0o777)
    with pytest.raises(PolicyError, match=f"{folder} can be changed"):
        Settings()


def test_a_renamed_setting_in_the_policy_says_its_new_name() -> None:
    path = write_policy({"lock_timeout_minutes": 10})
    with pytest.raises(PolicyError, match="now called 'auto_lock_minutes'"):
        settings.load_policy(path)
