"""Settings, declared once: name, type, default, description, and whether IT policy may fix it.

Values come from the defaults, then the profile's settings.json, then the IT
policy file; a setting the policy fixes cannot be changed by the user.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from caseworker_app.domain.errors import CaseworkerError

POLICY_ENV = "CASEWORKER_POLICY"


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str
    policy: bool = True


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "allow_passphrase_only",
        bool,
        True,
        "Allow a profile protected by the passphrase alone when the OS has no keyring.",
    ),
    Setting("lock_timeout_minutes", int, 15, "Lock the app after this many idle minutes."),
    Setting("server_url", str, "", "The agency's sync server, e.g. https://caseworker.agency.example."),
    Setting("ca_bundle", str, "", "Path to the agency's CA certificate bundle for the sync server."),
    Setting("agency_name", str, "County Family Services", "Agency name printed on summaries."),
    Setting("agency_logo", str, "", "Path to the agency logo printed on summaries (PNG or JPEG)."),
    Setting("family_shows_household_members", bool, False,
            "Show other household members on copies of summaries made for the family."),
    Setting("max_free_unlock_attempts", int, 3, "Failed unlocks allowed before each retry is delayed."),
    Setting("export_password_audiences", str, "full",
            "Audiences whose PDF exports must carry a password (comma-separated: full, school, family)."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(CaseworkerError):
    pass


def policy_path() -> Path:
    override = os.environ.get(POLICY_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.site_config_dir("Caseworker", appauthor=False)) / "policy.json"


def _read_json(path: Path, what: str) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"The {what} file {path} cannot be read: {exc}.") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"The {what} file {path} must hold a JSON object.")
    return data


def _coerce(setting: Setting, value: Any, source: str) -> Any:
    if setting.type is bool and isinstance(value, bool):
        return value
    if setting.type is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if setting.type is str and isinstance(value, str):
        return value
    raise SettingsError(f"Setting '{setting.name}' in {source} must be a {setting.type.__name__}.")


class Settings:
    """Resolved settings for one profile folder."""

    def __init__(self, profile_dir: Path | None = None) -> None:
        self._user_path = profile_dir / "settings.json" if profile_dir else None
        self._policy = _read_json(policy_path(), "IT policy")
        self._user = _read_json(self._user_path, "settings") if self._user_path else {}

    def get(self, name: str) -> Any:
        setting = _BY_NAME[name]
        if setting.policy and name in self._policy:
            return _coerce(setting, self._policy[name], "the IT policy")
        if name in self._user:
            return _coerce(setting, self._user[name], "settings.json")
        return setting.default

    def fixed_by_policy(self, name: str) -> bool:
        return _BY_NAME[name].policy and name in self._policy
