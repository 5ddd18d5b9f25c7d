"""The MSI pipeline with the Linux bundle as payload: tables IT relies on, the policy step, Authenticode, tampering."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from installer_kit import INSTALLERS, TOOLS, clean_env, run_tool

from caseworker_app import settings

pytestmark = pytest.mark.slow
MSI = "caseworker-0.1.0-x64.msi"


@pytest.fixture(scope="session")
def msi_release(tmp_path_factory: pytest.TempPathFactory, bundle: Path) -> Path:
    out = tmp_path_factory.mktemp("msi-release")
    done = run_tool(INSTALLERS / "build", "msi", "--test-keys", "--out", out, "--bundle", bundle, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def table(msi: Path, name: str) -> list[list[str]]:
    out = subprocess.run(["msiinfo", "export", msi, name], capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()[3:]]  # after the header lines


def test_per_machine_install_under_program_files_with_a_start_menu_shortcut(msi_release: Path) -> None:
    msi = msi_release / MSI
    properties = dict(row[:2] for row in table(msi, "Property"))
    assert properties["ALLUSERS"] == "1"
    assert properties["ProductVersion"] == "0.1.0"
    directories = {row[0]: row for row in table(msi, "Directory")}
    assert directories["INSTALLDIR"][1] == "ProgramFiles64Folder" and directories["INSTALLDIR"][2] == "Caseworker"
    shortcuts = table(msi, "Shortcut")
    assert len(shortcuts) == 1
    assert shortcuts[0][1] == "ProgramMenuFolder" and shortcuts[0][2].endswith("Caseworker")
    assert shortcuts[0][4].startswith("[INSTALLDIR]caseworker")
    files = {row[0]: row for row in table(msi, "File")}
    assert "CaseworkerCli" in files


def test_policy_file_written_from_msi_properties(msi_release: Path, bundle: Path, tmp_path: Path) -> None:
    """Run the MSI's own policy step the way msiexec would, with IT's properties filled in."""
    msi = msi_release / MSI
    (action,) = [row for row in table(msi, "CustomAction") if row[0] == "WritePolicy"]
    assert int(action[1]) & 0xC3F == 18 | 1024 | 2048  # exe from an installed file, deferred, as LocalSystem
    assert action[2] == "CaseworkerCli"
    given = {"SERVER_URL": "https://caseworker.county.example", "AUTO_LOCK_MINUTES": "10"}
    command = action[3]
    for prop in ("SERVER_URL", "CA_BUNDLE", "AUTO_LOCK_MINUTES", "UPDATES_URL", "UPDATES_MANAGED_BY_IT"):
        command = command.replace(f"[{prop}]", given.get(prop, ""))  # msiexec: unset properties are empty
    policy = tmp_path / "ProgramData" / "Caseworker" / "policy.json"
    done = subprocess.run([*clean_env(), str(bundle / "caseworker"), *shlex.split(command), "--out", str(policy)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert settings.load_policy(policy) == {"server_url": "https://caseworker.county.example",
                                            "auto_lock_minutes": 10}
    # A bad value stops the install step with a message, and the file stays as it was.
    bad = command.replace("10", "0")
    done = subprocess.run([*clean_env(), str(bundle / "caseworker"), *shlex.split(bad), "--out", str(policy)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0 and "auto_lock_minutes" in done.stderr
    assert settings.load_policy(policy)["auto_lock_minutes"] == 10


def test_signed_msi_verifies_and_a_flipped_byte_is_caught(msi_release: Path, tmp_path: Path) -> None:
    done = run_tool(INSTALLERS / "verify", msi_release)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ok   {MSI}: Authenticode signature (osslsigncode)" in done.stdout
    tampered = tmp_path / MSI
    data = bytearray((msi_release / MSI).read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    sys.path.insert(0, str(TOOLS))
    import verify as verify_tool

    with pytest.raises(verify_tool.Mismatch, match="Authenticode signature does not verify"):
        verify_tool.check_msi(tampered, msi_release)
    # And through installers/verify, the checksum names the file first.
    copy = tmp_path / "release"
    copy.mkdir()
    for name in ("SHA256SUMS", "SHA256SUMS.asc"):
        (copy / name).write_bytes((msi_release / name).read_bytes())
    (copy / "keys").mkdir()
    for key in (msi_release / "keys").iterdir():
        (copy / "keys" / key.name).write_bytes(key.read_bytes())
    (copy / MSI).write_bytes(bytes(data))
    done = run_tool(INSTALLERS / "verify", copy)
    assert done.returncode == 1 and done.stderr.startswith(f"FAIL {MSI}:"), done.stderr
