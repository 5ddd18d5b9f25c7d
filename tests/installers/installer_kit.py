"""Paths and runners shared by the installer tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ROOT / "installers"
TOOLS = INSTALLERS / "tools"
VERSION = "0.1.0"
DEB = f"caseworker_{VERSION}_amd64.deb"


def tool_env() -> dict[str, str]:
    """The build tools run with this interpreter (the project's environment), as CI has it."""
    return {**os.environ, "CASEWORKER_PYTHON": sys.executable}


def run_tool(*args: str | os.PathLike[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, env=tool_env(),
                          timeout=timeout, check=False)


def clean_env(**extra: str) -> list[str]:
    """`env -i` with only what is named: no PATH, no HOME, no display, as a locked-down session."""
    return ["env", "-i", *(f"{k}={v}" for k, v in extra.items())]
