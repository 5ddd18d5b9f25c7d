"""The bundle: build time, size, .deb size, cold start and self-test of the bundled app against the venv.

Builds the bundle and a .deb with throw-away keys (minutes); `--bundle DIR` in CASEWORKER_BENCH_BUNDLE
reuses one. Cold start = `caseworker --version` in a fresh process; the baseline is the same command
from the virtual environment, measured in the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, measure, print_figures

ROOT = Path(__file__).resolve().parent.parent


def _run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True, timeout=1200)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    env_bundle = os.environ.get("CASEWORKER_BENCH_BUNDLE")
    with tempfile.TemporaryDirectory(prefix="caseworker-bench-") as tmp:
        details = []
        if env_bundle:
            bundle = Path(env_bundle)
        else:
            started = time.perf_counter()
            _run(ROOT / "installers" / "build", "bundle", "--out", Path(tmp) / "dist")
            details.append(f"bundle build: {time.perf_counter() - started:.0f} s")
            bundle = Path(tmp) / "dist" / "caseworker"
        details.append(f"bundle size: {_size(bundle) / 2**20:.0f} MiB")
        started = time.perf_counter()
        _run(ROOT / "installers" / "build", "deb", "--test-keys", "--out", Path(tmp) / "rel", "--bundle", bundle)
        details.append(f"deb build (incl. lintian and signing): {time.perf_counter() - started:.0f} s")
        deb = next((Path(tmp) / "rel").glob("*.deb"))
        details.append(f"deb size: {deb.stat().st_size / 2**20:.1f} MiB")

        venv_cli = Path(sys.executable).with_name("caseworker")
        venv = measure(lambda: _run(venv_cli, "--version"), repeat=10, warmup=1)
        base = sorted(venv)[len(venv) // 2]
        bundled = measure(lambda: _run(bundle / "caseworker", "--version"), repeat=10, warmup=1)
        venv_self = measure(lambda: _run(venv_cli, "--self-test"), repeat=3, warmup=0)
        bundled_self = measure(lambda: _run(bundle / "caseworker", "--self-test"), repeat=3, warmup=0)
        self_base = sorted(venv_self)[len(venv_self) // 2]
        print_figures("Bundle (PyInstaller onedir)", [
            Figure("cold start, caseworker --version (bundle)", bundled, "venv", base),
            Figure("self-test, caseworker --self-test (bundle)", bundled_self, "venv", self_base),
        ])
        for line in details:
            print(f"  {line}")


if __name__ == "__main__":
    main()
