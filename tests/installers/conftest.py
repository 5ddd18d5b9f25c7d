"""One bundle and one signed release per test session: PyInstaller and lintian are the slow parts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from installer_kit import INSTALLERS, run_tool


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    done = run_tool(INSTALLERS / "build", "bundle", "--out", out, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    print(done.stdout)
    return out / "caseworker"


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory, bundle: Path) -> Path:
    out = tmp_path_factory.mktemp("release") / "dist"
    done = run_tool(INSTALLERS / "build", "deb", "--test-keys", "--out", out, "--bundle", bundle, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "THROW-AWAY" in done.stdout  # test keys announce themselves
    (out.parent / "build-output.txt").write_text(done.stdout + done.stderr)
    return out


@pytest.fixture
def release_copy(release: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy to tamper with; the session's release stays intact."""
    copy = tmp_path / "release"
    shutil.copytree(release, copy)
    yield copy
