"""What every installer tool shares: the repository root, running commands, failing with a clear message."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ROOT / "installers"


class BuildError(Exception):
    """A step failed; the message says which and what to do."""


def run(cmd: Sequence[str | os.PathLike[str]], *, env: Mapping[str, str] | None = None,
        cwd: Path | None = None, what: str = "", stdin: str | None = None) -> str:
    """Run a command; on failure raise BuildError with its output, never a traceback."""
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=full_env, cwd=cwd,
                          input=stdin, check=False)
    if done.returncode != 0:
        name = what or Path(str(cmd[0])).name
        raise BuildError(f"{name} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}".rstrip())
    return done.stdout


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def project_version() -> str:
    sys.path.insert(0, str(ROOT))
    from caseworker_app import __version__

    return __version__


def tidy_permissions(tree: Path) -> None:
    """Installed files are writable by their owner only: 0755 for folders and programs, 0644 otherwise."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        # Shared libraries need no execute bit (lintian: shared-library-is-executable).
        if path.is_dir() or (mode & 0o111 and ".so" not in path.name):
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def main_guard(fn: object) -> int:
    """Turn a BuildError into one line on stderr and exit 1."""
    try:
        return int(fn())  # type: ignore[operator]
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
