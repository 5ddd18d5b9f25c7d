"""The Windows installer: the WiX source in installers/windows built with wixl, signed with osslsigncode.

Here the payload is whatever bundle is given (the Linux one in tests: this checks the MSI pipeline,
not a Windows program); the Windows workflow builds the real bundle and the same source with WiX.
Signing key, in order: CASEWORKER_CODESIGN_PKCS11_MODULE + _PKCS11_KEY + _CERT (a hardware token),
CASEWORKER_CODESIGN_PFX (+ _PFX_PASSWORD), or --test-keys for a throw-away self-signed certificate.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from pathlib import Path

from common import INSTALLERS, BuildError, run

WXS = INSTALLERS / "windows" / "caseworker.wxs"
CLI_FILE_ID = "CaseworkerCli"  # caseworker.wxs runs the policy custom action from this file
CODESIGN_CERT = "caseworker-codesign.pem"


def package_name(version: str) -> str:
    return f"caseworker-{version}-x64.msi"


def harvest(bundle: Path, cli: str, target: Path) -> Path:
    """bundle.wxs: one component per file of the bundle, the command's File Id fixed for the custom action."""
    files = sorted(p.relative_to(bundle.parent).as_posix() for p in bundle.rglob("*") if p.is_file())
    xml = run(["wixl-heat", "--prefix", f"{bundle.name}/", "--directory-ref", "INSTALLDIR",
               "--component-group", "BundleFiles", "--var", "var.BundleDir", "--win64"],
              what="wixl-heat", stdin="\n".join(files) + "\n")
    xml, count = re.subn(rf'<File Id="[^"]+"( KeyPath="yes" Source="\$\(var\.BundleDir\)/{re.escape(cli)}")',
                         rf'<File Id="{CLI_FILE_ID}"\1', xml)
    if count != 1:
        raise BuildError(f"The bundle has no '{cli}' at its top level for the policy step of the MSI.")
    target.write_text(xml, encoding="utf-8")
    return target


def policy_folder_sddl() -> str:
    """The access list caseworker.wxs gives the policy folder (one place says it)."""
    found = re.findall(r'<PermissionEx Id="PolicyFolderAcl" Sddl="([^"]+)"', WXS.read_text(encoding="utf-8"))
    if len(found) != 1:
        raise BuildError(f"{WXS} must give the policy folder exactly one PermissionEx Sddl.")
    return found[0]


def lock_policy_folder(msi: Path, work: Path) -> None:
    """wixl knows no PermissionEx: add the MsiLockPermissionsEx row WiX would write."""
    idt = work / "MsiLockPermissionsEx.idt"
    idt.write_text(
        "MsiLockPermissionsEx\tLockObject\tTable\tSDDLText\tCondition\r\n"
        "s72\ts72\ts32\tS0\tS255\r\n"
        "MsiLockPermissionsEx\tMsiLockPermissionsEx\r\n"
        f"PolicyFolderAcl\tPOLICYDIR\tCreateFolder\t{policy_folder_sddl()}\t\r\n",
        encoding="ascii",
    )
    run(["msibuild", msi, "-i", idt], what="msibuild (policy folder access list)")


def throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed code-signing certificate valid for a day; tests only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Caseworker THROW-AWAY test code signing")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
            .sign(key, hashes.SHA256()))
    key_path, cert_path = folder / "codesign.key", folder / "codesign.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _signing_args(tmp: Path, test_keys: bool) -> tuple[list[str], Path | None]:
    """osslsigncode arguments for the key, and the certificate IT can verify against (if a file)."""
    env = os.environ
    if env.get("CASEWORKER_CODESIGN_PKCS11_MODULE"):
        cert = Path(env["CASEWORKER_CODESIGN_CERT"])
        return (["-pkcs11module", env["CASEWORKER_CODESIGN_PKCS11_MODULE"],
                 "-key", env["CASEWORKER_CODESIGN_PKCS11_KEY"],
                 "-certs", str(cert)], cert)
    if env.get("CASEWORKER_CODESIGN_PFX"):
        return (["-pkcs12", env["CASEWORKER_CODESIGN_PFX"],
                 "-pass", env.get("CASEWORKER_CODESIGN_PFX_PASSWORD", "")],
                None)
    if test_keys:
        key, cert = throwaway_certificate(tmp)
        return ["-key", str(key), "-certs", str(cert)], cert
    raise BuildError("No code-signing key: set CASEWORKER_CODESIGN_PFX (or the PKCS#11 variables), "
                     "or pass --test-keys for a throw-away certificate (tests only).")


def build_msi(bundle: Path, version: str, out: Path, *, test_keys: bool, cli: str = "caseworker",
              desktop: str | None = None) -> Path:
    if not (bundle / cli).is_file():
        raise BuildError(f"{bundle} has no '{cli}' program.")
    desktop = desktop or ("caseworker-desktop" if (bundle / "caseworker-desktop").is_file() else cli)
    target = out / package_name(version)
    with tempfile.TemporaryDirectory(prefix="caseworker-msi-") as work:
        tmp = Path(work)
        harvest(bundle, cli, tmp / "bundle.wxs")
        unsigned = tmp / "unsigned.msi"
        # wixl reads sources relative to its working folder: run it next to the bundle.
        defines = {"Version": version, "BundleDir": bundle.name, "CliExe": cli, "DesktopExe": desktop,
                   "Win64": "yes", "Toolset": "wixl"}
        run(["wixl", "-a", "x64", *(a for k, v in defines.items() for a in ("-D", f"{k}={v}")),
             "-o", unsigned, WXS, tmp / "bundle.wxs"], cwd=bundle.parent, what="wixl")
        lock_policy_folder(unsigned, tmp)
        args, cert = _signing_args(tmp, test_keys)
        target.unlink(missing_ok=True)
        run(["osslsigncode", "sign", *args, "-n", "Caseworker", "-h", "sha256", "-in", unsigned, "-out", target],
            what="osslsigncode sign")
        if cert is not None:
            (out / "keys").mkdir(exist_ok=True)
            shutil.copyfile(cert, out / "keys" / CODESIGN_CERT)
            run(["osslsigncode", "verify", "-in", target, "-CAfile", cert], what="osslsigncode verify")
    return target
