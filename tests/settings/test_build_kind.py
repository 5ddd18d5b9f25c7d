"""An installed build never reads CASEWORKER_POLICY, whatever files lie around it (issue 20, item 7).

"Development build" used to mean "a pyproject.toml named caseworker sits beside the package":
copying an installed package into a user folder with such a file made the override apply
(a million free unlocks, auto-lock off, passphrase-only allowed). Now the build decides.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import caseworker_app
from caseworker_app import settings

CHECKOUT = Path(caseworker_app.__file__).resolve().parent.parent
FORGED_PYPROJECT = '[project]\nname = "caseworker"\nversion = "0.1.0"\n'
POLICY_LOOSE = '{"max_free_unlock_attempts": 1000000, "auto_lock_minutes": 100000, "allow_passphrase_only": true}\n'
ASK = (
    "from caseworker_app import settings; "
    "print(settings.development_build()); print(settings.policy_path()); "
    "print(settings.Settings().get('max_free_unlock_attempts'))"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real wheel, built from a copy of the checkout (the build leaves its own files behind)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        if (CHECKOUT / name).exists():
            shutil.copy2(CHECKOUT / name, source / name)
    for package in ("caseworker_app", "caseworker_server"):
        shutil.copytree(CHECKOUT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("caseworker-*.whl")
    yield built


def run_from(site: Path, cwd: Path, policy: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({"PYTHONPATH": str(site), settings.POLICY_ENV: str(policy)})
    done = subprocess.run(
        [sys.executable, "-c", ASK], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def loose_policy(tmp_path: Path) -> Path:
    policy = tmp_path / "my-policy.json"
    policy.write_text(POLICY_LOOSE, encoding="utf-8")
    return policy


def test_the_wheel_carries_the_installed_constant(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        assert "caseworker_app/_build_kind.py" in archive.namelist()
        assert "INSTALLED = True" in archive.read("caseworker_app/_build_kind.py").decode()


def test_an_installed_wheel_with_a_forged_pyproject_beside_it_ignores_the_override(
    wheel: Path, tmp_path: Path
) -> None:
    # The package copied into a folder the user can write, with a pyproject.toml made to look
    # like the checkout's right beside it, and a .git folder for good measure.
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    (site / "pyproject.toml").write_text(FORGED_PYPROJECT, encoding="utf-8")
    (site / ".git").mkdir()
    development, path, free = run_from(site, tmp_path, loose_policy(tmp_path))
    assert development == "False"
    assert path == str(settings.system_policy_path())
    assert free == "3"  # the default, not the user's million


def test_a_source_checkout_still_reads_the_override(tmp_path: Path) -> None:
    # Tests and developers run from the checkout (an editable install): no constant there.
    assert not (CHECKOUT / "caseworker_app" / "_build_kind.py").exists()
    policy = loose_policy(tmp_path)
    development, path, free = run_from(CHECKOUT, tmp_path, policy)
    assert (development, path, free) == ("True", str(policy), "1000000")
