"""The signed .deb: contents, lintian, signatures and checksums, tamper tests, install and removal."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE
from installer_kit import DEB, INSTALLERS, TOOLS, clean_env, run_tool

from caseworker_app.selftest import no_os_keyring
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore

pytestmark = pytest.mark.slow


def verify(folder: Path, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    return run_tool(INSTALLERS / "verify", folder, *extra, timeout=120)


def flip_byte(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    at = len(data) // 2 if offset is None else offset
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_release_holds_the_package_checksums_and_public_keys_only(release: Path) -> None:
    names = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert DEB in names and "SHA256SUMS" in names and "SHA256SUMS.asc" in names
    assert "keys/caseworker-release.asc" in names
    assert any(n.startswith("debsig/policies/") and n.endswith("/caseworker.pol") for n in names)
    assert any(n.startswith("debsig/keyrings/") and n.endswith("/debsig.gpg") for n in names)
    armored = (release / "keys" / "caseworker-release.asc").read_text()
    assert "PUBLIC KEY" in armored and "PRIVATE" not in armored
    for path in release.rglob("*"):  # no secret key material leaks into what IT downloads
        if path.is_file() and path.suffix != ".deb":
            assert b"PRIVATE KEY" not in path.read_bytes()


def test_package_layout_and_metadata(release: Path) -> None:
    deb = release / DEB
    members = subprocess.run(["ar", "t", deb], capture_output=True, text=True, check=True).stdout.split()
    assert members[:3] == ["debian-binary", "control.tar.xz", "data.tar.xz"]  # xz: lintian reads it
    assert "_gpgorigin" in members
    files = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/caseworker/caseworker", "./usr/bin/caseworker", "./usr/share/doc/caseworker/copyright",
                 "./usr/share/man/man1/caseworker.1.gz"):
        assert f" {path}" in files, path
    assert "caseworker_server" not in files
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True, check=True).stdout
    if "./opt/caseworker/caseworker-desktop" in files:  # the window: menu entry, icons, metainfo, Qt xcb libraries
        app = "org.caseworker.Caseworker"
        for path in ("./usr/bin/caseworker-desktop", f"./usr/share/applications/{app}.desktop",
                     f"./usr/share/metainfo/{app}.metainfo.xml",
                     f"./usr/share/icons/hicolor/16x16/apps/{app}.png",
                     f"./usr/share/icons/hicolor/48x48/apps/{app}.png",
                     f"./usr/share/icons/hicolor/256x256/apps/{app}.png",
                     "./usr/share/man/man1/caseworker-desktop.1.gz"):
            assert f" {path}" in files, path
        assert "libxcb-cursor0" in depends and "libxkbcommon-x11-0" in depends


def test_lintian_found_nothing_unexplained(release: Path) -> None:
    # The build runs lintian on the signed package and fails on any finding not in the overrides
    # (and on an override that no longer matches); its report is kept beside the release.
    report = (release.parent / "build-output.txt").read_text()
    assert "lintian: no unexplained findings" in report
    assert "E: " not in report and "W: " not in report


def test_verify_passes_with_the_public_keys_alone(release: Path, tmp_path: Path) -> None:
    # IT installs the public keys once; verification uses that copy, not the one next to the files.
    it_keys = tmp_path / "it-keys"
    shutil.copytree(release / "keys", it_keys / "keys")
    shutil.copytree(release / "debsig", it_keys / "debsig")
    done = verify(release, "--keys", it_keys)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ok   {DEB}: origin signature (debsig-verify)" in done.stdout


@pytest.mark.parametrize(("target", "named"), [
    (DEB, DEB),
    ("SHA256SUMS", "SHA256SUMS.asc"),
    ("SHA256SUMS.asc", "SHA256SUMS.asc"),
])
def test_one_flipped_byte_fails_verification_naming_the_file(release_copy: Path, target: str, named: str) -> None:
    path = release_copy / target
    if target == "SHA256SUMS":
        flip_byte(path, offset=3)  # inside the package's digest
    elif target == "SHA256SUMS.asc":
        text = path.read_text()
        body = text.index("\n\n") + 10  # inside the base64 signature packet
        flip_byte(path, offset=body)
        assert path.read_text() != text
    else:
        flip_byte(path)
    done = verify(release_copy)
    assert done.returncode == 1
    assert done.stderr.startswith(f"FAIL {named}:"), done.stderr


def test_tampered_package_fails_its_own_signature_check(release_copy: Path) -> None:
    """Even with matching checksums (an attacker who rewrote SHA256SUMS), debsig-verify refuses the package."""
    sys.path.insert(0, str(TOOLS))
    import verify as verify_tool

    deb = release_copy / DEB
    flip_byte(deb)
    with pytest.raises(verify_tool.Mismatch, match="origin signature does not verify"):
        verify_tool.check_deb(deb, release_copy)


def _empty_root(root: Path) -> None:
    (root / "var/lib/dpkg/info").mkdir(parents=True)
    (root / "var/lib/dpkg/updates").mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()


def _dpkg(root: Path, *args: str | Path) -> None:
    # --force-depends: the throw-away root has no libc package; the bundle brings what it needs.
    subprocess.run(["dpkg", f"--root={root}", "--force-depends", "--force-not-root", "--log=/dev/null", *args],
                   capture_output=True, text=True, check=True, timeout=300)


def test_installed_package_tests_itself_and_removal_leaves_only_user_data(release: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    _empty_root(root)
    _dpkg(root, "-i", release / DEB)
    launcher = (root / "usr/bin/caseworker").read_text()
    assert "/opt/caseworker/caseworker" in launcher
    installed = root / "opt/caseworker/caseworker"
    done = subprocess.run([*clean_env(), str(installed), "--self-test"], capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # A liaison's profile in the default place; the installed app opens it. (Made in-process: the
    # throw-away root has no OS keyring, and the default policy refuses a passphrase-only profile.)
    home = root / "home/liaison"
    with no_os_keyring():
        store = LocalStore.create(home / ".local/share/Caseworker/profile", PASSPHRASE, worker="liaison",
                                  kdf=KdfParams.fresh(**FAST_KDF))
        store.close()
    done = subprocess.run([*clean_env(HOME=str(home)), str(installed), "status", "--passphrase-stdin"],
                          input=f"{PASSPHRASE}\n", capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0 and "Cases:" in done.stdout, done.stdout + done.stderr
    profile = sorted(p.relative_to(root).as_posix() for p in home.rglob("*") if p.is_file())
    assert profile
    _dpkg(root, "--purge", "caseworker")
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and not p.relative_to(root).as_posix().startswith("var/lib/dpkg/"))
    assert left == profile
    assert not (root / "opt/caseworker").exists()


def test_build_without_keys_refuses_and_says_how(tmp_path: Path, bundle: Path) -> None:
    done = run_tool(INSTALLERS / "build", "deb", "--out", tmp_path, "--bundle", bundle)
    assert done.returncode == 1
    assert "CASEWORKER_SIGNING_KEY_FILE" in done.stderr and "--test-keys" in done.stderr
    assert list(tmp_path.glob("*.deb")) == []


def test_verify_runs_with_the_system_python(release: Path) -> None:
    """installers/verify needs only the standard library (a fresh machine has no venv)."""
    done = subprocess.run([shutil.which("python3") or sys.executable, TOOLS / "verify.py", release],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_release_re_signed_by_another_key_is_refused_with_the_installed_keys(release: Path, tmp_path: Path) -> None:
    """An attacker swaps the package, rewrites SHA256SUMS and signs it with their own key (shipping its public
    half beside it): checked against the keys IT installed, the release is refused."""
    it_keys = tmp_path / "it-keys"
    shutil.copytree(release / "keys", it_keys / "keys")
    shutil.copytree(release / "debsig", it_keys / "debsig")
    forged = tmp_path / "forged"
    shutil.copytree(release, forged)
    flip_byte(forged / DEB)
    sys.path.insert(0, str(TOOLS))
    import keys as key_tool

    sums = forged / "SHA256SUMS"
    sums.write_text(f"{hashlib.sha256((forged / DEB).read_bytes()).hexdigest()}  {DEB}\n")
    attacker = key_tool.throwaway_key()
    try:
        shutil.rmtree(forged / "keys")
        key_tool.export_public(attacker, forged)
        key_tool.detach_sign(attacker, sums)
    finally:
        attacker.close()
    assert verify(forged).returncode == 1  # its own keys do not save it either: debsig-verify refuses the package
    done = verify(forged, "--keys", it_keys)
    assert done.returncode == 1
    assert done.stderr.startswith("FAIL SHA256SUMS.asc:"), done.stderr
