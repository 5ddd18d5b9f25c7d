"""What the unlock screen says about a profile, read without the crypto stack so it shows before that loads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

PROFILE_FILE = "profile.json"  # the profile's key material and metadata (store/profile.py)
DATABASE_FILE = "caseworker.db"  # the encrypted database beside it


class ProfileLabel(NamedTuple):
    worker: str | None  # the user name written beside the key when the profile was made
    uses_keyring: bool | None  # None when the file cannot be read (unlocking then says why)
    demo: bool = False  # the demo profile: invented families, a published passphrase; never enrolls


def read_label(home: Path) -> ProfileLabel:
    try:
        data = json.loads((home / PROFILE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ProfileLabel(None, None)
    if not isinstance(data, dict):
        return ProfileLabel(None, None)
    worker = data.get("worker")
    secret = data.get("device_secret")
    return ProfileLabel(
        worker if isinstance(worker, str) and worker else None,
        secret == "keyring" if isinstance(secret, str) else None,
        data.get("demo") is True,
    )
