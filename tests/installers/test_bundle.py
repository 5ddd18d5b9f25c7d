"""The PyInstaller bundle: it tests itself in a clean environment, ships no server or dev tools, stays read-only."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest
from installer_kit import clean_env

from caseworker_app.buildinfo import git_revision

pytestmark = pytest.mark.slow


def test_bundled_self_test_passes_from_a_clean_environment(bundle: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run([*clean_env(TMPDIR=str(scratch)), str(bundle / "caseworker"), "--self-test"],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    checks = [line.split(":")[0] for line in done.stdout.splitlines()[1:-1]]
    assert checks[:3] == ["ok   policy", "ok   store", "ok   note"]
    assert "ok   summary" in checks
    if (bundle / "caseworker-desktop").exists():  # the window ships: its check runs, offscreen, no display
        assert "ok   window" in checks
    assert done.stdout.splitlines()[-1] == "self-test passed"
    assert list(scratch.iterdir()) == []  # the throw-away store is gone


@pytest.mark.parametrize("program", ["caseworker", "caseworker-desktop"])
def test_bundled_version_names_the_build_revision(bundle: Path, program: str) -> None:
    done = subprocess.run([*clean_env(), str(bundle / program), "--version"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    # The commit part only: a checkout edited while the bundle built would differ in "-dirty" alone.
    assert done.stdout.strip().startswith(f"{program} 0.1.0 (revision {git_revision().removesuffix('-dirty')}")


def test_desktop_program_runs_the_same_self_test(bundle: Path, tmp_path: Path) -> None:
    done = subprocess.run([*clean_env(TMPDIR=str(tmp_path)), str(bundle / "caseworker-desktop"), "--self-test"],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok   window: main window rendered offscreen" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_no_file_of_the_bundle_is_writable_by_others(bundle: Path) -> None:
    writable = [p for p in [bundle, *bundle.rglob("*")]
                if not p.is_symlink() and p.stat().st_mode & (stat.S_IWOTH | stat.S_IWGRP)]
    assert writable == []


def test_bundle_ships_resources_and_migrations_but_no_server_or_dev_tools(bundle: Path) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    internal = bundle / "_internal"
    assert (internal / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    assert (internal / "caseworker_app" / "store" / "migrations" / "versions" / "0001_initial_store.py").is_file()
    modules = list(CArchiveReader(str(bundle / "caseworker")).open_embedded_archive("PYZ.pyz").toc)
    assert "caseworker_app.cli" in modules
    unwanted = ("caseworker_server", "tests", "pytest", "_pytest", "mypy", "ruff", "fastapi", "uvicorn",
                "psycopg", "schemathesis", "PyInstaller")
    assert [m for m in modules if m.split(".")[0] in unwanted] == []
