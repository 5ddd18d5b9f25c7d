"""Release signing keys (OpenPGP, through gpg): from the environment or files, or throw-away ones for tests.

The private key lives only in a temporary GnuPG home for the length of a build; the release folder
gets the public key in the forms IT installs (an armored file, a debsig-verify keyring and policy).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import BuildError, run

TEST_UID = "Caseworker THROW-AWAY test signing key <test-signing@caseworker.invalid>"
PUBLIC_ARMORED = "caseworker-release.asc"
PUBLIC_BINARY = "caseworker-release.gpg"
POLICY_NAME = "caseworker.pol"


@dataclass
class SigningKey:
    gnupghome: Path
    fingerprint: str
    throwaway: bool

    @property
    def long_id(self) -> str:
        """The 16-hex key id debsig-verify names its policy and keyring folders by."""
        return self.fingerprint[-16:].upper()

    def gpg(self, *args: str | os.PathLike[str]) -> str:
        return run(["gpg", "--yes", *args], env={"GNUPGHOME": str(self.gnupghome)}, what="gpg")

    def close(self) -> None:
        """Stop the GnuPG agent this build started and forget the private key."""
        subprocess.run(["gpgconf", "--kill", "all"], env={**os.environ, "GNUPGHOME": str(self.gnupghome)},
                       capture_output=True, check=False)
        shutil.rmtree(self.gnupghome, ignore_errors=True)


def _fresh_home(passphrase: str = "") -> Path:
    # Short path: gpg-agent's socket lives in it and Unix sockets have a ~100-byte path limit.
    home = Path(tempfile.mkdtemp(prefix="cwgpg-", dir="/tmp"))
    home.chmod(0o700)
    # Every gpg run in this home (ours and debsigs') signs without a prompt.
    (home / "passphrase").write_text(passphrase, encoding="utf-8")
    (home / "gpg.conf").write_text(f"batch\npinentry-mode loopback\npassphrase-file {home / 'passphrase'}\n",
                                   encoding="utf-8")
    return home


def _fingerprint(home: Path) -> str:
    out = run(["gpg", "--batch", "--with-colons", "--list-secret-keys"], env={"GNUPGHOME": str(home)}, what="gpg")
    for line in out.splitlines():
        if line.startswith("fpr:"):
            return line.split(":")[9]
    raise BuildError("The signing key file holds no secret key.")


def throwaway_key() -> SigningKey:
    """A fresh ed25519 key valid for one day, for tests; never for a release."""
    home = _fresh_home()
    run(["gpg", "--quick-gen-key", TEST_UID, "ed25519", "sign", "1d"],
        env={"GNUPGHOME": str(home)}, what="gpg (generating the test key)")
    return SigningKey(home, _fingerprint(home), throwaway=True)


def key_from_environment() -> SigningKey:
    """CASEWORKER_SIGNING_KEY_FILE: an exported secret key (its passphrase in CASEWORKER_SIGNING_KEY_PASSPHRASE)."""
    key_file = os.environ.get("CASEWORKER_SIGNING_KEY_FILE")
    if not key_file:
        raise BuildError("No signing key: set CASEWORKER_SIGNING_KEY_FILE to the release key file, "
                         "or pass --test-keys for a throw-away key (tests only).")
    if not Path(key_file).is_file():
        raise BuildError(f"The signing key file {key_file} does not exist.")
    home = _fresh_home(os.environ.get("CASEWORKER_SIGNING_KEY_PASSPHRASE", ""))
    run(["gpg", "--import", key_file], env={"GNUPGHOME": str(home)}, what="gpg (importing the signing key)")
    return SigningKey(home, _fingerprint(home), throwaway=False)


def policy_xml(long_id: str) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE Policy SYSTEM "https://www.debian.org/debsig/1.0/policy.dtd">
<Policy xmlns="https://www.debian.org/debsig/1.0/">
  <Origin Name="Caseworker" id="{long_id}" Description="Caseworker release signing key"/>
  <Selection>
    <Required Type="origin" File="debsig.gpg" id="{long_id}"/>
  </Selection>
  <Verification MinOptional="0">
    <Required Type="origin" File="debsig.gpg" id="{long_id}"/>
  </Verification>
</Policy>
"""


def export_public(key: SigningKey, out: Path) -> None:
    """keys/ (armored and binary public key) and debsig/ (policy + keyring in debsig-verify's layout)."""
    keys = out / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    key.gpg("--armor", "--output", keys / PUBLIC_ARMORED, "--export", key.fingerprint)
    key.gpg("--output", keys / PUBLIC_BINARY, "--export", key.fingerprint)
    keyring_dir = out / "debsig" / "keyrings" / key.long_id
    policy_dir = out / "debsig" / "policies" / key.long_id
    keyring_dir.mkdir(parents=True, exist_ok=True)
    policy_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(keys / PUBLIC_BINARY, keyring_dir / "debsig.gpg")
    (policy_dir / POLICY_NAME).write_text(policy_xml(key.long_id), encoding="utf-8")


def detach_sign(key: SigningKey, path: Path) -> Path:
    sig = path.with_name(path.name + ".asc")
    key.gpg("--armor", "--local-user", key.fingerprint, "--output", sig, "--detach-sign", path)
    return sig
