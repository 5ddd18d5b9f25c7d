"""Where profiles live: platformdirs, overridden by CASEWORKER_HOME or --home."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "CASEWORKER_HOME"


def data_root() -> Path:
    import platformdirs  # ~7 ms; not needed when the folder is given

    return Path(platformdirs.user_data_dir("Caseworker", appauthor=False))


def profile_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    return data_root() / "profile"


def demo_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit or os.environ.get(HOME_ENV):
        return profile_home(explicit)
    return data_root() / "demo"
