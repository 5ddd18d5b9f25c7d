"""The bundle is an installed build made from the lock (issue 20, items 7 and 18): it carries the
build-time constant, ignores CASEWORKER_POLICY whatever lies beside it, and holds exactly the
versions requirements/desktop.txt pins."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from installer_kit import ROOT, clean_env

pytestmark = pytest.mark.slow


def test_the_bundle_ignores_the_policy_override_even_beside_a_forged_pyproject(bundle: Path, tmp_path: Path) -> None:
    assert (bundle / "_internal" / "caseworker_app" / "_build_kind.py").is_file()
    (bundle / "_internal" / "pyproject.toml").write_text('[project]\nname = "caseworker"\n', encoding="utf-8")
    loose = tmp_path / "loose.json"
    loose.write_text('{"max_free_unlock_attempts": 1000000}\n', encoding="utf-8")
    try:
        done = subprocess.run(
            [*clean_env(CASEWORKER_POLICY=str(loose), HOME=str(tmp_path)), str(bundle / "caseworker"), "settings"],
            capture_output=True, text=True, timeout=120, check=False,
        )
    finally:
        (bundle / "_internal" / "pyproject.toml").unlink()
    assert done.returncode == 0, done.stderr
    assert "ignored" in done.stderr
    assert re.search(r"max_free_unlock_attempts\s+3\s+default", done.stdout), done.stdout


def test_the_bundle_holds_the_locked_versions(bundle: Path) -> None:
    locked = dict(re.findall(r"(?m)^([A-Za-z0-9._-]+)==(\S+)", (ROOT / "requirements" / "desktop.txt").read_text()))
    shipped = {
        m.group(1).lower().replace("_", "-"): m.group(2)
        for p in (bundle / "_internal").glob("*.dist-info")
        if (m := re.match(r"(.+)-([^-]+)\.dist-info$", p.name))
    }
    for name in ("pyside6-essentials", "cryptography", "pypdf", "sqlcipher3"):
        if name in shipped:
            assert shipped[name] == locked[name], name
    assert shipped, "the bundle carries no package metadata to compare"
