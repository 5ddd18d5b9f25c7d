"""Settings, declared once: name, type, default, description, and who may set each one.

Values come from the defaults, then the profile's settings.json, then the IT policy
file. Settings that protect the data are `policy_only`: settings.json cannot touch them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import N_, _

log = logging.getLogger(__name__)

POLICY_ENV = "CASEWORKER_POLICY"
USER_SETTINGS_FILE = "settings.json"

TYPE_NAMES = {bool: "true or false", int: "a whole number", str: "text"}  # the IT doc's words (English)
MUST_BE = {
    bool: N_("'{name}' must be true or false"),
    int: N_("'{name}' must be a whole number"),
    str: N_("'{name}' must be text"),
}


@dataclass(frozen=True)
class Setting:
    """One setting. `it_may_fix`: the IT policy may set it. `policy_only`: only IT may change it."""

    name: str
    type: type
    default: Any
    description: str
    it_may_fix: bool = True
    policy_only: bool = False
    minimum: int | None = None


SETTINGS: tuple[Setting, ...] = (
    # -- protecting the data: from the policy or the defaults, never from settings.json
    Setting(
        "allow_passphrase_only",
        bool,
        False,
        N_(
            "Allow a profile protected by the passphrase alone when the computer has no OS keyring. "
            "Without a keyring the passphrase is the only protection against an offline guess."
        ),
        policy_only=True,
    ),
    Setting(
        "max_free_unlock_attempts",
        int,
        3,
        N_("Failed unlocks allowed before each further attempt waits longer (2 s, 4 s, 8 s ... up to 5 minutes)."),
        policy_only=True,
        minimum=1,
    ),
    Setting(
        "auto_lock_minutes",
        int,
        15,
        N_("Lock the app after this many idle minutes: the key leaves memory and the window hides case data."),
        policy_only=True,
        minimum=1,
    ),
    Setting(
        "export_password_audiences",
        str,
        "full",
        N_("Audiences whose PDF exports must carry a password (comma-separated: full, school, family)."),
        policy_only=True,
    ),
    # -- the agency's deployment
    Setting("server_url", str, "", N_("The agency's sync server, e.g. https://caseworker.agency.example.")),
    Setting(
        "sync_interval_minutes",
        int,
        15,
        N_(
            "Sync in the background every this many minutes while the app is open (and at once when the "
            "server becomes reachable again)."
        ),
        minimum=1,
    ),
    Setting("ca_bundle", str, "", N_("Path to the agency's CA certificate bundle for the sync server.")),
    Setting(
        "updates_url",
        str,
        "",
        N_("Where the app looks for signed updates; empty means it does not look."),
        policy_only=True,
    ),
    Setting(
        "updates_managed_by_it",
        bool,
        False,
        N_("IT installs updates (software distribution): the app does not look for updates itself."),
        policy_only=True,
    ),
    # -- what summaries show
    Setting("agency_name", str, "County Family Services", N_("Agency name printed on summaries.")),
    Setting("agency_logo", str, "", N_("Path to the agency logo printed on summaries (PNG or JPEG).")),
    Setting(
        "family_shows_household_members",
        bool,
        False,
        N_("Show other household members on copies of summaries made for the family."),
    ),
    Setting(
        "family_shares_placement_details",
        bool,
        False,
        N_(
            "On copies made for the family of a child in out-of-home care, show where the child is placed "
            "(where contacts took place) and the resource family's names. Off: they are withheld."
        ),
    ),
    # -- the person's own
    Setting(
        "language",
        str,
        "",
        N_(
            "Language of the window and the terminal (en, es); empty follows the operating system. "
            "Takes effect at the next start."
        ),
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}
_RENAMED = {"lock_timeout_minutes": "auto_lock_minutes"}


class SettingsError(CaseworkerError):
    """A settings or policy file that cannot be used; the message names the file."""


class PolicyError(SettingsError):
    """The IT policy file is unusable: the app does not start until IT fixes it."""

    def __init__(self, message: str, path: Path, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def setting(name: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise SettingsError(_("There is no setting named '{name}'.").format(name=name)) from None


# -- where the policy lives ------------------------------------------------------------------


def system_policy_path(platform: str = sys.platform) -> Path:
    """The one policy file per computer, in a folder only administrators can write."""
    if platform == "win32":
        return _windows_program_data() / "Caseworker" / "policy.json"
    if platform == "darwin":
        return Path("/Library/Application Support/Caseworker/policy.json")
    return Path("/etc/caseworker/policy.json")


def _windows_program_data() -> Path:
    # Asked of Windows itself, not %ProgramData%: a user can set environment variables.
    if sys.platform == "win32":
        import ctypes

        buf = ctypes.create_unicode_buffer(260)
        csidl_common_appdata = 35
        if ctypes.windll.shell32.SHGetFolderPathW(None, csidl_common_appdata, None, 0, buf) == 0:
            return Path(buf.value)
    return Path("C:/ProgramData")


def development_build() -> bool:
    """A source checkout (tests, developers): the only build that reads $CASEWORKER_POLICY.

    Decided when the package was built (buildinfo.installed_build), never by looking for files:
    a pyproject.toml copied beside an installed package used to make it a "development build".
    """
    from caseworker_app.buildinfo import installed_build

    return not installed_build()


def policy_path() -> Path:
    """$CASEWORKER_POLICY in a development build (tests, developers); the system file otherwise.

    An installed app ignores the variable: a user who could point it at an empty file
    would switch off every setting IT fixed.
    """
    override = os.environ.get(POLICY_ENV)
    if override:
        if development_build():
            return Path(override)
        log.warning("%s is set but ignored: only a development build reads it.", POLICY_ENV)
    return system_policy_path()


def check_admin_only(path: Path) -> None:
    """Refuse a policy file (or folder) that someone other than root (on Windows: other than
    Administrators and SYSTEM) could change."""
    if sys.platform == "win32":
        _check_windows_admin_only(path)
        return
    if os.name != "posix":
        return
    for item in (path, path.parent):
        st = item.stat()  # follows a symbolic link: the file actually read is what counts
        others_write = st.st_mode & 0o002 or (st.st_mode & 0o020 and st.st_gid != 0)
        if st.st_uid != 0 or others_write:
            raise PolicyError(
                _(
                    "The IT policy file {path} is not IT's alone: {item} can be changed by users other than "
                    "root. Ask IT to make it owned by root and writable only by root."
                ).format(path=path, item=item),
                path,
            )


def _check_windows_admin_only(path: Path, read_acl: Callable[[Path], Any] | None = None) -> None:
    from caseworker_app import windows_acl

    reader = read_acl or windows_acl.read_acl
    for item in (path, path.parent):
        try:
            problem = windows_acl.acl_problem(reader(item), str(item))
        except OSError as exc:
            problem = _("The access list of {item} cannot be read ({reason}).").format(item=item, reason=exc)
        if problem:
            raise PolicyError(
                _(
                    "The IT policy file {path} is not IT's alone: {problem} Ask IT to reinstall Caseworker "
                    "(the installer makes the folder writable by Administrators and SYSTEM only) or to set "
                    "that access list."
                ).format(path=path, problem=problem),
                path,
            )


# -- reading the files -----------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _line_of_key(text: str, key: str, nth: int = 1) -> int | None:
    # JSON gives no positions for keys; the key's first (or nth) appearance is close enough for IT.
    matches = list(re.finditer(r'"' + re.escape(key) + r'"\s*:', text))
    if len(matches) < nth:
        return None
    return text.count("\n", 0, matches[nth - 1].start()) + 1


def _where(path: Path, line: int | None) -> str:
    return _("{path}, line {line}").format(path=path, line=line) if line else str(path)


def load_policy(path: Path | None = None) -> dict[str, Any]:
    """The IT policy's values, checked in full; a missing file is an empty policy.

    Raises PolicyError naming the file and line for anything IT must fix: the app must
    not start with a policy it cannot apply, or it would run without IT's settings.
    """
    path = path or policy_path()
    try:
        raw = path.read_bytes()
        if path == system_policy_path():
            check_admin_only(path)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise PolicyError(
            _("The IT policy file {path} cannot be read ({reason}). Ask IT to fix it.").format(
                path=path, reason=exc.strerror
            ),
            path,
        ) from exc
    try:
        text = raw.decode("utf-8-sig")  # Notepad saves UTF-8 with a byte-order mark
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        raise PolicyError(
            _("The IT policy file {where} is not UTF-8 text. Ask IT to save it as UTF-8.").format(
                where=_where(path, bad_line)
            ),
            path,
            bad_line,
        ) from exc
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        twice = _line_of_key(text, exc.key, nth=2)
        raise PolicyError(
            _("The IT policy file {where} sets '{name}' twice. Ask IT to keep one.").format(
                where=_where(path, twice), name=exc.key
            ),
            path,
            twice,
        ) from None
    except json.JSONDecodeError as exc:
        raise PolicyError(
            _(
                "The IT policy file {path}, line {line}, column {column} is not valid JSON: {problem}. "
                "Ask IT to fix it; Caseworker does not start until it does."
            ).format(path=path, line=exc.lineno, column=exc.colno, problem=exc.msg),
            path,
            exc.lineno,
        ) from None
    if not isinstance(data, dict):
        raise PolicyError(
            _("The IT policy file {where} must hold one JSON object {{...}}.").format(where=_where(path, 1)), path, 1
        )
    for key, value in data.items():
        line = _line_of_key(text, key)
        known = _BY_NAME.get(key)
        if known is None:
            if key in _RENAMED:
                unknown = _(
                    "The IT policy file {where} sets '{name}', which is not a Caseworker setting; it is now "
                    "called '{new_name}'. See the list in docs/it-deployment.md."
                )
            else:
                unknown = _(
                    "The IT policy file {where} sets '{name}', which is not a Caseworker setting. "
                    "See the list in docs/it-deployment.md."
                )
            raise PolicyError(
                unknown.format(where=_where(path, line), name=key, new_name=_RENAMED.get(key, "")),
                path,
                line,
            )
        if not known.it_may_fix:
            raise PolicyError(
                _("The IT policy file {where} cannot fix '{name}'.").format(where=_where(path, line), name=key),
                path,
                line,
            )
        problem = _problem(known, value)
        if problem:
            raise PolicyError(
                _("In the IT policy file {where}: {problem}.").format(where=_where(path, line), problem=problem),
                path,
                line,
            )
    return data


def _problem(s: Setting, value: Any) -> str | None:
    ok = isinstance(value, s.type) and not (s.type is int and isinstance(value, bool))
    if not ok:
        return _(MUST_BE[s.type]).format(name=s.name)
    if s.minimum is not None and value < s.minimum:
        return _("'{name}' must be at least {minimum}").format(name=s.name, minimum=s.minimum)
    return None


def _read_user_settings(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise SettingsError(
            _("The settings file {path} cannot be read: {error}.").format(path=path, error=exc)
        ) from exc
    if not isinstance(data, dict):
        raise SettingsError(_("The settings file {path} must hold a JSON object.").format(path=path))
    return data


class Settings:
    """Resolved settings for one profile folder (or none: the policy and the defaults)."""

    def __init__(self, profile_dir: Path | None = None) -> None:
        self._policy = load_policy()
        self._user: dict[str, Any] = {}
        if profile_dir is not None:
            self._user = _read_user_settings(profile_dir / USER_SETTINGS_FILE)
            ignored = sorted(k for k in self._user if k in _BY_NAME and _BY_NAME[k].policy_only)
            if ignored:
                log.warning("settings.json cannot change %s; only the IT policy can.", ", ".join(ignored))

    def get(self, name: str) -> Any:
        s = setting(name)
        if name in self._policy:
            return self._policy[name]
        if not s.policy_only and name in self._user:
            value = self._user[name]
            problem = _problem(s, value)
            if problem:
                raise SettingsError(_("In settings.json: {problem}.").format(problem=problem))
            return value
        return s.default

    def source(self, name: str) -> str:
        """Where the value in force comes from: "policy", "settings.json" or "default"."""
        s = setting(name)
        if name in self._policy:
            return "policy"
        if not s.policy_only and name in self._user:
            return "settings.json"
        return "default"

    def fixed_by_policy(self, name: str) -> bool:
        """IT's policy sets this value: a settings screen shows it read-only, with the reason."""
        return setting(name).it_may_fix and name in self._policy

    def user_may_change(self, name: str) -> bool:
        """Whether settings.json (and so the settings screen) can change this value."""
        return not setting(name).policy_only and not self.fixed_by_policy(name)
