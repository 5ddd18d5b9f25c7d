"""The MSI pipeline with the Linux bundle as payload: tables IT relies on, the policy step, Authenticode, tampering."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from installer_kit import INSTALLERS, TOOLS, clean_env, run_tool

from caseworker_app import settings
from caseworker_app.windows_acl import ADMINISTRATORS, SYSTEM, Ace, Acl, acl_problem

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


def _sddl_acl(sddl: str) -> Acl:
    """Owner and access entries of an SDDL string such as the MSI's, in windows_acl's terms."""
    sids = {"BA": ADMINISTRATORS, "SY": SYSTEM, "BU": "S-1-5-32-545", "WD": "S-1-1-0", "AU": "S-1-5-11"}
    rights = {"FA": 0x001F01FF, "FR": 0x00120089, "FX": 0x001200A0, "FW": 0x00120116, "GA": 0x10000000}
    flags = {"OI": 0x01, "CI": 0x02, "IO": 0x08, "ID": 0x10}
    owner = re.search(r"O:([A-Z]{2}|S-[0-9-]+)", sddl)
    assert owner is not None
    aces = []
    entry = re.compile(r"\(([A-Z]+);([A-Z]*);([^;]+);([^;]*);([^;]*);([^)]+)\)")
    for kind, ace_flags, mask, _o, _io, sid in entry.findall(sddl):
        bits = sum(flags[ace_flags[i : i + 2]] for i in range(0, len(ace_flags), 2))
        aces.append(Ace(0 if kind == "A" else 1, bits, rights.get(mask) or int(mask, 16), sids.get(sid, sid)))
    return Acl(sids.get(owner.group(1), owner.group(1)), tuple(aces))


def test_the_policy_folder_is_made_with_an_access_list_only_it_may_change(msi_release: Path) -> None:
    """%ProgramData%\\Caseworker gets its own protected list: Administrators and SYSTEM write, Users read."""
    msi = msi_release / MSI
    directories = {row[0]: row for row in table(msi, "Directory")}
    assert directories["POLICYDIR"][1] == "CommonAppDataFolder" and directories["POLICYDIR"][2] == "Caseworker"
    assert ["POLICYDIR", "PolicyFolder"] in [row[:2] for row in table(msi, "CreateFolder")]
    (lock,) = table(msi, "MsiLockPermissionsEx")
    assert lock[1:3] == ["POLICYDIR", "CreateFolder"]
    sddl = lock[3]
    assert "D:P" in sddl  # protected: nothing inherited from ProgramData (where every user may add files)
    assert acl_problem(_sddl_acl(sddl)) is None  # the app's own check accepts it
    # ... and the same check refuses the list ProgramData would otherwise hand down.
    assert acl_problem(_sddl_acl("O:BAG:SYD:(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;CI;0x6;;;BU)")) is not None
