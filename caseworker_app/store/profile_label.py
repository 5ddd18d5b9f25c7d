"""Whose profile a folder holds, read without the crypto stack: the unlock screen shows it before it loads."""

from __future__ import annotations

import json
from pathlib import Path

PROFILE_FILE = "profile.json"


def worker_name(home: Path) -> str | None:
    """The user name written beside the key when the profile was made; None if absent or unreadable."""
    try:
        data = json.loads((home / PROFILE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    worker = data.get("worker") if isinstance(data, dict) else None
    return worker if isinstance(worker, str) and worker else None
