"""The Debian package: the bundle under /opt/caseworker, commands in /usr/bin, menu entry, icons, metainfo.

Built with dpkg-deb (xz -z1: lintian does not read zstd members), checked with lintian against
installers/lintian-overrides and desktop-file-validate, then signed with debsigs (origin signature).
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import time
from pathlib import Path

import icons
from common import INSTALLERS, BuildError, run, tidy_permissions
from keys import SigningKey

LINUX = INSTALLERS / "linux"
# AppStream wants a reverse-DNS id, and the menu entry, metainfo and icon share it.
APP_ID = "org.caseworker.Caseworker"
# What Qt's xcb platform plugin loads from the system (the bundle carries Qt itself).
QT_XCB_DEPENDS = [
    "libc6 (>= 2.31)", "libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libdbus-1-3",
    "libglib2.0-0t64 | libglib2.0-0", "libx11-6", "libx11-xcb1", "libxcb1", "libxcb-cursor0",
    "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0",
    "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0", "libxcb-xkb1", "libxkbcommon0",
    "libxkbcommon-x11-0",
]
CLI_DEPENDS = ["libc6 (>= 2.31)"]


def package_name(version: str) -> str:
    return f"caseworker_{version}_amd64.deb"


def _control(version: str, installed_kib: int, desktop: bool) -> str:
    depends = ", ".join(QT_XCB_DEPENDS if desktop else CLI_DEPENDS)
    return (
        "Package: caseworker\n"
        f"Version: {version}\n"
        "Architecture: amd64\n"
        "Maintainer: Caseworker project <caseworker@example.org>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {depends}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: offline-first casework for school-based family liaisons\n"
        " Caseworker records home visits, notes, safety assessments and referrals\n"
        " offline in an encrypted store, prints visit summaries, and syncs with\n"
        " the agency's central server when the laptop is back online.\n"
    )


def _launcher(program: str) -> str:
    # A script rather than a symlink: the bundle finds its files next to the real executable.
    return f'#!/bin/sh\nexec /opt/caseworker/{program} "$@"\n'


def _changelog(version: str) -> bytes:
    stamp = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    text = (f"caseworker ({version}) stable; urgency=medium\n\n  * Release {version}.\n\n"
            f" -- Caseworker project <caseworker@example.org>  {stamp}\n")
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


def stage(bundle: Path, version: str, root: Path) -> bool:
    """Lay out the package tree in `root`; returns whether it carries the desktop app."""
    desktop = (bundle / "caseworker-desktop").is_file()
    shutil.copytree(bundle, root / "opt" / "caseworker", symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    programs = ["caseworker"] + (["caseworker-desktop"] if desktop else [])
    for program in programs:
        (usr_bin / program).write_text(_launcher(program), encoding="ascii")
        (usr_bin / program).chmod(0o755)
    share = root / "usr" / "share"
    doc = share / "doc" / "caseworker"
    doc.mkdir(parents=True)
    shutil.copyfile(LINUX / "copyright", doc / "copyright")
    (doc / "changelog.gz").write_bytes(_changelog(version))
    man = share / "man" / "man1"
    man.mkdir(parents=True)
    for program in programs:
        page = (LINUX / "caseworker.1").read_bytes() if program == "caseworker" else b".so man1/caseworker.1\n"
        (man / f"{program}.1.gz").write_bytes(gzip.compress(page, compresslevel=9, mtime=0))
    overrides = share / "lintian" / "overrides"
    overrides.mkdir(parents=True)
    shutil.copyfile(INSTALLERS / "lintian-overrides", overrides / "caseworker")
    if desktop:
        (share / "applications").mkdir(parents=True)
        shutil.copyfile(LINUX / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
        (share / "metainfo").mkdir(parents=True)
        meta = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
        meta = meta.replace("@VERSION@", version).replace("@DATE@", time.strftime("%Y-%m-%d", time.gmtime()))
        (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(meta, encoding="utf-8")
        icons.write_hicolor(share, APP_ID)
    tidy_permissions(root)
    debian = root / "DEBIAN"
    debian.mkdir()
    installed = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    (debian / "control").write_text(_control(version, installed // 1024 + 1, desktop), encoding="utf-8")
    sums = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root)
        if rel.parts[0] != "DEBIAN":
            sums.append(f"{run(['md5sum', path]).split()[0]}  {rel.as_posix()}\n")
    (debian / "md5sums").write_text("".join(sums), encoding="utf-8")
    tidy_permissions(debian)
    return desktop


def validate(root: Path, desktop: bool) -> None:
    if desktop:
        run(["desktop-file-validate", root / f"usr/share/applications/{APP_ID}.desktop"],
            what="desktop-file-validate")
        run(["appstreamcli", "validate", "--no-net", "--explain",
             root / f"usr/share/metainfo/{APP_ID}.metainfo.xml"], what="appstreamcli validate")


def lint(deb: Path) -> str:
    """lintian: any finding not explained in installers/lintian-overrides fails the build, and so does an
    override that explains nothing (it would hide a future finding)."""
    out = run(["lintian", "--fail-on", "error,warning", "--display-info", "--tag-display-limit", "0", deb],
              what="lintian")
    stale = [line for line in out.splitlines() if "unused-override" in line or "mismatched-override" in line]
    if stale:
        raise BuildError("lintian: installers/lintian-overrides explains findings that no longer occur:\n"
                         + "\n".join(stale))
    return out


def build_deb(bundle: Path, version: str, out: Path, key: SigningKey) -> Path:
    if not (bundle / "caseworker").is_file():
        raise BuildError(f"{bundle} is not a Caseworker bundle (no 'caseworker' program in it).")
    target = out / package_name(version)
    with tempfile.TemporaryDirectory(prefix="caseworker-deb-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        desktop = stage(bundle, version, root)
        validate(root, desktop)
        run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z1", "--build", root, target], what="dpkg-deb",
            env={"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(int(time.time())))})
    run(["debsigs", "--sign=origin", f"--default-key={key.fingerprint}", target],
        env={"GNUPGHOME": str(key.gnupghome)}, what="debsigs")
    notes = [line for line in lint(target).splitlines() if line.startswith("I: ")]
    print(f"lintian: no unexplained findings ({len(notes)} informational notes, e.g. spelling in bundled libraries)")
    return target
