"""Check a release folder with public keys only: SHA256SUMS and its signature, each package's own signature.

Usage: installers/verify DIR [--keys KEYDIR]. KEYDIR holds keys/ and debsig/ as IT installed them; by
default the ones in DIR are used (fine for a first look, but an attacker who swaps the files can swap
those too, so IT passes the keys it installed once). Exits 1 naming the first file that does not match.
Standard library only, so it runs on a fresh machine with gpgv, debsig-verify and osslsigncode.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

ARTIFACT_SUFFIXES = (".deb", ".msi")
SUMS = "SHA256SUMS"


class Mismatch(Exception):
    def __init__(self, file: Path, why: str) -> None:
        super().__init__(f"{file.name}: {why}")
        self.file = file


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        sys.exit(f"verify: '{cmd[0]}' is not installed; it is needed to check these files.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_sums_signature(folder: Path, keys: Path) -> None:
    sums, sig = folder / SUMS, folder / f"{SUMS}.asc"
    for needed in (sums, sig):
        if not needed.is_file():
            raise Mismatch(needed, "missing")
    keyring = keys / "keys" / "caseworker-release.gpg"
    if not keyring.is_file():
        raise Mismatch(keyring, "the release public key is missing")
    done = _run(["gpgv", "--keyring", str(keyring.resolve()), str(sig), str(sums)])
    if done.returncode != 0:
        # gpgv cannot tell a changed list from a changed signature: name both.
        raise Mismatch(sig, f"is not a valid signature of {SUMS} by the release key (one of the two was altered)")


def check_sums(folder: Path) -> list[Path]:
    listed: list[Path] = []
    for line in (folder / SUMS).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        path = folder / name.lstrip("*")
        if not path.is_file():
            raise Mismatch(path, f"listed in {SUMS} but missing")
        if _sha256(path) != digest.strip():
            raise Mismatch(path, f"its SHA-256 differs from {SUMS}")
        listed.append(path)
    for artifact in sorted(folder.iterdir()):
        if artifact.suffix in ARTIFACT_SUFFIXES and artifact not in listed:
            raise Mismatch(artifact, f"not listed in {SUMS}")
    return listed


def check_deb(deb: Path, keys: Path) -> None:
    debsig = keys / "debsig"
    done = _run(["debsig-verify", "--policies-dir", str(debsig / "policies"),
                 "--keyrings-dir", str(debsig / "keyrings"), str(deb)])
    if done.returncode != 0:
        raise Mismatch(deb, f"its origin signature does not verify ({(done.stdout + done.stderr).strip()})")


def check_msi(msi: Path, keys: Path) -> None:
    cert = keys / "keys" / "caseworker-codesign.pem"
    cmd = ["osslsigncode", "verify", "-in", str(msi)]
    if cert.is_file():
        cmd += ["-CAfile", str(cert)]
    done = _run(cmd)
    if done.returncode != 0:
        raise Mismatch(msi, "its Authenticode signature does not verify")


def verify(folder: Path, keys: Path) -> list[str]:
    check_sums_signature(folder, keys)
    report = [f"ok   {SUMS}.asc: signed by the release key"]
    for artifact in check_sums(folder):
        report.append(f"ok   {artifact.name}: SHA-256 matches {SUMS}")
        if artifact.suffix == ".deb":
            check_deb(artifact, keys)
            report.append(f"ok   {artifact.name}: origin signature (debsig-verify)")
        elif artifact.suffix == ".msi":
            check_msi(artifact, keys)
            report.append(f"ok   {artifact.name}: Authenticode signature (osslsigncode)")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="installers/verify", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--keys", type=Path, help="folder with keys/ and debsig/ as IT installed them")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"verify: {args.folder} is not a folder", file=sys.stderr)
        return 2
    keys = args.keys or args.folder
    if args.keys is None:
        print(f"note: trusting the public keys inside {args.folder}; pass --keys with the keys IT installed")
    try:
        for line in verify(args.folder, keys):
            print(line)
    except Mismatch as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    print("all signatures and checksums match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
