"""The direction of the layers: the core runs without Qt, and no layer reaches up."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import caseworker_app

CORE = ("domain", "store", "sync", "services", "demo", "cli")
ROOT = Path(__file__).resolve().parents[1]


def _core_modules() -> list[str]:
    names = []
    for package in CORE:
        path = Path(caseworker_app.__file__).parent / package
        names.append(f"caseworker_app.{package}")
        names += [m.name for m in pkgutil.walk_packages([str(path)], prefix=f"caseworker_app.{package}.")]
    return [n for n in names if ".migrations" not in n]


def test_every_core_module_imports_without_qt() -> None:
    modules = _core_modules()
    assert len(modules) > 40, modules  # the walk found the packages, not an empty list
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_layer_contracts_hold() -> None:
    """import-linter contracts in pyproject.toml: layers, Qt only in ui, the server apart from services."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the dev extra"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
