"""installers/publish: the signed update feed, a TUF repository (root, targets, snapshot, timestamp).

    installers/publish keygen --keys KEYDIR            throw-away keys for tests (says so)
    installers/publish init --repo DIR --keys KEYDIR   a new repository; writes DIR/metadata/1.root.json
    installers/publish add --repo DIR --keys KEYDIR --version V FILE...
                                                       publish installers of version V (and latest.json)
    installers/publish timestamp --repo DIR --keys KEYDIR [--expires-hours H]
                                                       re-sign the timestamp (a daily job)

Keys are PEM files KEYDIR/{root,targets,snapshot,timestamp}.pem, kept off the repository (the root key
offline). The app ships metadata/1.root.json as installers/update-root.json and trusts only what it signs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import BuildError, main_guard
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

ROLES = ("root", "targets", "snapshot", "timestamp")
LATEST = "latest.json"
# How long each role's signature holds; the timestamp is re-signed often so a frozen feed shows quickly.
EXPIRY = {"root": timedelta(days=365), "targets": timedelta(days=90), "snapshot": timedelta(days=7),
          "timestamp": timedelta(days=1)}
# Which installer serves which platform; the app asks for its own.
PLATFORMS = {".deb": "linux-deb", ".msi": "windows-msi", ".pkg": "macos-pkg"}


def _signer(keys: Path, role: str) -> CryptoSigner:
    path = keys / f"{role}.pem"
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise BuildError(f"The {role} key {path} cannot be read: {exc}") from exc
    public = SSlibKey.from_crypto(private.public_key())  # type: ignore[arg-type]
    return CryptoSigner(private, public)  # type: ignore[arg-type]


def _expires(role: str, override: timedelta | None = None) -> datetime:
    return (datetime.now(UTC) + (override if override is not None else EXPIRY[role])).replace(microsecond=0)


def _write(repo: Path, md: Metadata, name: str) -> None:
    meta = repo / "metadata"
    meta.mkdir(parents=True, exist_ok=True)
    md.to_file(str(meta / name), JSONSerializer(compact=False))


def _load(repo: Path, role: str) -> Metadata:
    path = repo / "metadata" / f"{role}.json"
    if not path.is_file():
        raise BuildError(f"{path} is missing; run 'installers/publish init' first.")
    return Metadata.from_file(str(path))


def keygen(keys: Path) -> None:
    keys.mkdir(parents=True, exist_ok=True)
    for role in ROLES:
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        (keys / f"{role}.pem").write_bytes(pem)
        (keys / f"{role}.pem").chmod(0o600)
    print(f"WARNING: THROW-AWAY update keys written to {keys}; for tests only, never for a real feed.")


def init(repo: Path, keys: Path) -> None:
    signers = {role: _signer(keys, role) for role in ROLES}
    root = Root(expires=_expires("root"), consistent_snapshot=False)
    for role, signer in signers.items():
        root.add_key(signer.public_key, role)
    root_md = Metadata(root)
    root_md.sign(signers["root"])
    _write(repo, root_md, "1.root.json")
    _write(repo, root_md, "root.json")
    targets = Metadata(Targets(expires=_expires("targets")))
    targets.sign(signers["targets"])
    _write(repo, targets, "targets.json")
    (repo / "targets").mkdir(parents=True, exist_ok=True)
    _snapshot_and_timestamp(repo, keys, targets.signed.version)
    print(f"TUF repository in {repo}; ship {repo / 'metadata' / '1.root.json'} as installers/update-root.json")


def _snapshot_and_timestamp(repo: Path, keys: Path, targets_version: int, ts_expiry: timedelta | None = None) -> None:
    snap_path = repo / "metadata" / "snapshot.json"
    snap = (Metadata.from_file(str(snap_path)) if snap_path.exists()
            else Metadata(Snapshot(expires=_expires("snapshot"))))
    if snap_path.exists():
        snap.signed.version += 1
        snap.signed.expires = _expires("snapshot")
    snap.signed.meta["targets.json"] = MetaFile(version=targets_version)
    snap.signatures.clear()
    snap.sign(_signer(keys, "snapshot"))
    _write(repo, snap, "snapshot.json")
    _timestamp(repo, keys, ts_expiry)


def _timestamp(repo: Path, keys: Path, expiry: timedelta | None = None) -> None:
    ts_path = repo / "metadata" / "timestamp.json"
    snap = _load(repo, "snapshot")
    ts = Metadata.from_file(str(ts_path)) if ts_path.exists() else Metadata(Timestamp(expires=_expires("timestamp")))
    if ts_path.exists():
        ts.signed.version += 1
    ts.signed.expires = _expires("timestamp", expiry)
    ts.signed.snapshot_meta = MetaFile(version=snap.signed.version)
    ts.signatures.clear()
    ts.sign(_signer(keys, "timestamp"))
    _write(repo, ts, "timestamp.json")


def add(repo: Path, keys: Path, version: str, files: list[Path]) -> None:
    targets = _load(repo, "targets")
    installers: dict[str, str] = {}
    for file in files:
        if not file.is_file():
            raise BuildError(f"{file} does not exist.")
        platform = PLATFORMS.get(file.suffix)
        if platform is None:
            raise BuildError(f"{file.name}: not an installer this feed serves ({', '.join(PLATFORMS)}).")
        shutil.copyfile(file, repo / "targets" / file.name)
        targets.signed.targets[file.name] = TargetFile.from_file(file.name, str(file), ["sha256"])
        installers[platform] = file.name
    # latest.json is itself a signed target: the app learns the newest version only through TUF.
    latest = repo / "targets" / LATEST
    latest.write_text(json.dumps({"version": version, "installers": installers}, indent=2) + "\n", encoding="utf-8")
    targets.signed.targets[LATEST] = TargetFile.from_file(LATEST, str(latest), ["sha256"])
    targets.signed.version += 1
    targets.signed.expires = _expires("targets")
    targets.signatures.clear()
    targets.sign(_signer(keys, "targets"))
    _write(repo, targets, "targets.json")
    _snapshot_and_timestamp(repo, keys, targets.signed.version)
    print(f"published {version}: {', '.join(sorted(installers.values()))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="installers/publish", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("keygen")
    p.add_argument("--keys", type=Path, required=True)
    for name in ("init", "add", "timestamp"):
        p = sub.add_parser(name)
        p.add_argument("--repo", type=Path, required=True)
        p.add_argument("--keys", type=Path, required=True)
        if name == "add":
            p.add_argument("--version", required=True)
            p.add_argument("files", type=Path, nargs="+")
        if name == "timestamp":
            p.add_argument("--expires-hours", type=float, default=24.0)
    args = parser.parse_args(argv)
    if args.command == "keygen":
        keygen(args.keys)
    elif args.command == "init":
        init(args.repo, args.keys)
    elif args.command == "add":
        add(args.repo, args.keys, args.version, args.files)
    else:
        _timestamp(args.repo, args.keys, timedelta(hours=args.expires_hours))
    return 0


if __name__ == "__main__":
    sys.exit(main_guard(lambda: main()))
