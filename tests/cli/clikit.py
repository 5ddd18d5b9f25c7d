"""Running the real `caseworker` command in a child process, as a person at a terminal would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from helpers import PASSPHRASE

CLI = [sys.executable, "-c", "import sys; from caseworker_app.cli import main; sys.exit(main())"]


def cli_env(tmp: Path) -> dict[str, str]:
    # No OS keyring in the child: the profile is protected by the passphrase alone (which the
    # default policy forbids, so this test policy allows it), and a copy of its folder opens in
    # this process as well.
    policy = tmp / "passphrase-only-policy.json"
    policy.write_text('{"allow_passphrase_only": true}\n')
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env.update(CASEWORKER_POLICY=str(policy), XDG_DATA_HOME=str(tmp / "xdg"), LANG="C.UTF-8")
    env.pop("CASEWORKER_HOME", None)
    return env


def start(tmp: Path, *args: str, **popen: Any) -> subprocess.Popen[str]:
    options: dict[str, Any] = {
        "stdin": subprocess.PIPE,
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
        "text": True,
        "env": cli_env(tmp),
    }
    options.update(popen)
    return subprocess.Popen([*CLI, *args], **options)


def run(tmp: Path, *args: str, stdin: str = PASSPHRASE + "\n", timeout: float = 120) -> tuple[int, str, str]:
    child = start(tmp, *args)
    out, err = child.communicate(stdin, timeout=timeout)
    return child.returncode, out, err


def copy_profile(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
