"""The settings a person sees and changes in the window: each with its description and who decides it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseworker_app import settings
from caseworker_app.i18n import _
from caseworker_app.settings import SETTINGS, USER_SETTINGS_FILE, Settings, SettingsError
from caseworker_app.store.profile import atomic_write_text


@dataclass(frozen=True)
class SettingRow:
    """One setting as the settings page shows it."""

    name: str
    kind: type
    value: Any
    description: str  # in the language in use (settings.py marks each with N_)
    minimum: int | None
    editable: bool
    why_not: str  # empty when the person may change it


def setting_rows(home: Path) -> list[SettingRow]:
    current = Settings(home)
    rows = []
    for s in SETTINGS:
        if current.fixed_by_policy(s.name):
            why = _("Set by your organization")
        elif s.policy_only:
            why = _("Only IT can change this")
        else:
            why = ""
        rows.append(SettingRow(s.name, s.type, current.get(s.name), _(s.description), s.minimum, not why, why))
    return rows


def save_user_settings(home: Path, changes: dict[str, Any]) -> None:
    """Write what the person changed into the profile's settings.json; anything IT decides is refused."""
    current = Settings(home)
    path = home / USER_SETTINGS_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except (OSError, ValueError) as exc:
        problem = _("The settings file {path} cannot be read: {error}.").format(path=path, error=exc)
        raise SettingsError(problem) from exc
    for name, value in changes.items():
        known = settings.setting(name)
        if not current.user_may_change(name):
            raise SettingsError(_("'{name}' is decided by IT and cannot be changed here.").format(name=name))
        ok = isinstance(value, known.type) and not (known.type is int and isinstance(value, bool))
        if not ok or (known.minimum is not None and value < known.minimum):
            raise SettingsError(_("'{name}' cannot be set to {value}.").format(name=name, value=value))
        data[name] = value
    home.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False))
