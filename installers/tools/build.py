"""installers/build: the PyInstaller bundle, the signed .deb and MSI, SHA256SUMS and its signature.

    installers/build bundle --out DIR
    installers/build deb [msi] --out DIR [--test-keys] [--bundle BUNDLE]

Keys come from the environment (see keys.py and msi.py), never from the repository; --test-keys makes
throw-away ones and says so. --bundle reuses an already built bundle folder.

The bundle is made in a fresh virtual environment installed from the hashed lock files alone
(requirements/desktop.txt, and requirements/build.txt for PyInstaller) with --require-hashes:
what ships is what was locked and audited, not whatever the developer's environment holds.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import INSTALLERS, ROOT, BuildError, main_guard, project_version, run, sha256, tidy_permissions

SPEC = INSTALLERS / "caseworker.spec"
LOCKS = (ROOT / "requirements" / "desktop.txt", ROOT / "requirements" / "build.txt")


def locked_environment(work: Path) -> Path:
    """A virtual environment with exactly the locked packages, each checked against its hash; its python."""
    venv = work / "locked-env"
    run([sys.executable, "-m", "venv", venv], what="python -m venv")
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    for lock in LOCKS:
        run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input",
             "--require-hashes", "--no-deps", "--only-binary", ":all:", "-r", lock],
            what=f"pip install --require-hashes -r {lock.relative_to(ROOT)}")
    return python


def build_bundle(out: Path) -> Path:
    """PyInstaller onedir build into out/caseworker; returns that folder."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="caseworker-pyinstaller-") as work:
        python = locked_environment(Path(work))
        locked = time.monotonic() - started
        # The package itself comes from this checkout (the spec's pathex), its dependencies from the lock.
        run([python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
             "--distpath", out, "--workpath", Path(work) / "pyinstaller", SPEC],
            cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, what="PyInstaller")
    bundle = out / "caseworker"
    tidy_permissions(bundle)
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle: {bundle} ({size / 2**20:.0f} MiB, built in {time.monotonic() - started:.0f} s, "
          f"{locked:.0f} s of it installing the locked environment with --require-hashes)")
    return bundle


def write_sums(out: Path) -> Path:
    artifacts = sorted(p for p in out.iterdir() if p.suffix in (".deb", ".msi"))
    sums = out / "SHA256SUMS"
    sums.write_text("".join(f"{sha256(p)}  {p.name}\n" for p in artifacts), encoding="utf-8")
    return sums


def release(targets: list[str], out: Path, bundle: Path | None, test_keys: bool) -> int:
    import keys

    out.mkdir(parents=True, exist_ok=True)
    version = project_version()
    if bundle is None:
        bundle = build_bundle(out / "bundle-build")
    if test_keys:
        print("WARNING: --test-keys: signing with THROW-AWAY keys made for this build; not for release.")
        key = keys.throwaway_key()
    else:
        key = keys.key_from_environment()
    try:
        keys.export_public(key, out)
        if "deb" in targets:
            import deb

            started = time.monotonic()
            package = deb.build_deb(bundle, version, out, key)
            print(f"deb: {package} ({package.stat().st_size / 2**20:.1f} MiB, {time.monotonic() - started:.0f} s), "
                  f"origin-signed by {key.long_id}, lintian clean")
        if "msi" in targets:
            import msi

            package = msi.build_msi(bundle, version, out, test_keys=test_keys)
            print(f"msi: {package} ({package.stat().st_size / 2**20:.1f} MiB), Authenticode-signed")
        sums = write_sums(out)
        keys.detach_sign(key, sums)
        print(f"checksums: {sums} and {sums.name}.asc")
    finally:
        key.close()
        if (out / "bundle-build").exists():
            shutil.rmtree(out / "bundle-build")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="installers/build", description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+", choices=["bundle", "deb", "msi"])
    parser.add_argument("--out", type=Path, required=True, help="folder for the results")
    parser.add_argument("--test-keys", action="store_true", help="sign with throw-away keys (tests only)")
    parser.add_argument("--bundle", type=Path, help="reuse this bundle folder instead of building one")
    args = parser.parse_args(argv)
    if args.bundle is not None and not (args.bundle / "caseworker").is_file():
        raise BuildError(f"{args.bundle} is not a bundle folder (no 'caseworker' program in it).")
    if args.targets == ["bundle"]:
        build_bundle(args.out)
        return 0
    if "bundle" in args.targets:
        raise BuildError("'bundle' builds the bundle alone; 'deb' and 'msi' build it when --bundle is not given.")
    return release(args.targets, args.out, args.bundle, args.test_keys)


if __name__ == "__main__":
    sys.exit(main_guard(main))
