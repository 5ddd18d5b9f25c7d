"""The hashed lock files say what pyproject.toml says (issue 20, item 18).

requirements/server.txt and requirements/desktop.txt are what the server and the installers are
built from; a dependency added to pyproject.toml but missing from a lock, or a pin outside the
range pyproject.toml allows, means a build that is not the one we tested.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from helpers import free_port
from installer_kit import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

LOCKS = {"server": ROOT / "requirements" / "server.txt", "desktop": ROOT / "requirements" / "desktop.txt"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def declared(extra: str) -> list[Requirement]:
    """The project's own dependencies plus one extra's, as pyproject.toml states them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = [*project["dependencies"], *project["optional-dependencies"][extra]]
    found = [Requirement(text) for text in texts]
    return [r for r in found if r.marker is None or r.marker.evaluate({"extra": extra})]


def pinned(lock: Path) -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[canonicalize_name(match.group(1))] = Version(match.group(2))
    return pins


@pytest.mark.parametrize("extra", sorted(LOCKS))
def test_every_declared_dependency_is_locked_within_its_range(extra: str) -> None:
    pins = pinned(LOCKS[extra])
    missing = [str(r) for r in declared(extra) if canonicalize_name(r.name) not in pins]
    assert not missing, f"requirements/{extra}.txt lacks {missing}: regenerate it (README, Locked dependencies)"
    outside = [
        f"{r.name}=={pins[canonicalize_name(r.name)]} (pyproject.toml: {r.specifier})"
        for r in declared(extra)
        if not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)
    ]
    assert not outside, f"requirements/{extra}.txt pins outside pyproject.toml's ranges: {outside}"


@pytest.mark.parametrize("extra", sorted(LOCKS))
def test_every_pin_carries_hashes_and_names_its_extra(extra: str) -> None:
    text = LOCKS[extra].read_text(encoding="utf-8")
    assert f"--extra={extra}" in text  # generated for this extra, with the README's command
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    unhashed = [b.split()[0] for b in blocks if PIN.match(b) and "--hash=sha256:" not in b]
    assert not unhashed, f"pins without hashes in requirements/{extra}.txt: {unhashed}"


def test_the_build_lock_pins_pyinstaller_within_the_dev_range_with_hashes() -> None:
    """installers/build installs PyInstaller from requirements/build.txt; pyproject.toml's dev extra says which."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (wanted,) = [Requirement(t) for t in project["optional-dependencies"]["dev"] if t.startswith("pyinstaller")]
    lock = ROOT / "requirements" / "build.txt"
    pins = pinned(lock)
    assert wanted.specifier.contains(pins["pyinstaller"])
    text = lock.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    assert all("--hash=sha256:" in b for b in blocks if PIN.match(b))
    desktop = pinned(LOCKS["desktop"])  # installed side by side: no package pinned twice, differently
    assert not [n for n, v in pins.items() if n in desktop and desktop[n] != v]


def test_a_drifted_lock_is_caught(tmp_path: Path) -> None:
    """The check above can fail: a lock missing a dependency, or pinning outside a range."""
    good = LOCKS["desktop"].read_text(encoding="utf-8")
    without_tuf = tmp_path / "without-tuf.txt"
    without_tuf.write_text(re.sub(r"(?m)^tuf==", "not-tuf==", good), encoding="utf-8")
    assert "tuf" not in pinned(without_tuf)
    too_new = tmp_path / "too-new.txt"
    too_new.write_text(re.sub(r"(?m)^pyside6-essentials==\S+", "pyside6-essentials==6.12.0", good), encoding="utf-8")
    pyside = next(r for r in declared("desktop") if canonicalize_name(r.name) == "pyside6-essentials")
    assert not pyside.specifier.contains(pinned(too_new)["pyside6-essentials"])


def _audit(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """.ci/audit with no route to the advisory service (a proxy that answers nothing)."""
    dead = f"http://127.0.0.1:{free_port()}"
    base = {k: v for k, v in os.environ.items() if k != "CASEWORKER_AUDIT_OFFLINE_OK"}
    base.update({"HTTPS_PROXY": dead, "HTTP_PROXY": dead, "NO_PROXY": "", "no_proxy": "", **env})
    return subprocess.run([str(ROOT / ".ci" / "audit")], capture_output=True, text=True, env=base,
                          timeout=120, check=False, cwd=tmp_path)


def test_the_audit_fails_when_the_advisory_service_cannot_be_reached(tmp_path: Path) -> None:
    done = _audit(tmp_path)
    assert done.returncode != 0
    assert "NOT checked" in done.stderr and "CASEWORKER_AUDIT_OFFLINE_OK=1" in done.stderr


def test_the_audit_tolerates_an_offline_machine_only_when_told_to(tmp_path: Path) -> None:
    done = _audit(tmp_path, CASEWORKER_AUDIT_OFFLINE_OK="1")
    assert done.returncode == 0
    assert "NOT checked" in done.stderr and "tolerated" in done.stderr
