"""The version and the git revision this copy was built from, for `--version` and support calls,
and whether it is an installed build (decided when it was built, never by looking around)."""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

from caseworker_app import __version__

# Written by the bundle build (installers/caseworker.spec); absent in a source checkout.
REVISION_FILE = Path(__file__).resolve().parent / "BUILD_REVISION"

# The module every build writes (setup.py into wheels, installers/caseworker.spec into the bundle
# and so into the .deb and the MSI); a source checkout and an editable install have none.
BUILD_KIND_MODULE = "caseworker_app._build_kind"
BUILD_KIND_SOURCE = (
    '"""Written when this copy was built: an installed build, which never reads CASEWORKER_POLICY."""\n'
    "INSTALLED = True\n"
)


def installed_build() -> bool:
    """True for a wheel, bundle, .deb or MSI build: the build wrote the constant into the package.

    No file beside the package (a pyproject.toml, a .git folder) changes the answer.
    """
    try:
        kind = importlib.import_module(BUILD_KIND_MODULE)
    except ImportError:
        return False
    return getattr(kind, "INSTALLED", True) is not False


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
