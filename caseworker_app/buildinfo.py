"""The version and the git revision this copy was built from, for `--version` and support calls."""

from __future__ import annotations

import subprocess
from pathlib import Path

from caseworker_app import __version__

# Written by the bundle build (installers/caseworker.spec); absent in a source checkout.
REVISION_FILE = Path(__file__).resolve().parent / "BUILD_REVISION"


def git_revision() -> str:
    """The build's revision: the file the bundle build wrote, else `git` in a checkout, else 'unknown'."""
    try:
        text = REVISION_FILE.read_text(encoding="ascii").strip()
        if text:
            return text
    except OSError:
        pass
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / ".git").exists():
        try:
            done = subprocess.run(
                ["git", "-C", str(checkout), "describe", "--always", "--dirty", "--abbrev=12"],
                capture_output=True, text=True, timeout=5, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return "unknown"
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    return "unknown"


def version_line(program: str) -> str:
    return f"{program} {__version__} (revision {git_revision()})"
