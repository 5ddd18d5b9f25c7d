"""Wrap the database key under a key derived from passphrase and device secret.

argon2id turns (passphrase, device secret, salt) into a key-encryption key;
AES-GCM wraps the random 256-bit database key with it, so changing the
passphrase re-wraps the key and never re-encrypts the database.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost; stored beside the wrapped key so it can be raised later."""

    salt: bytes
    time_cost: int = 3
    memory_kib: int = 131072
    parallelism: int = 2

    @classmethod
    def fresh(cls, *, time_cost: int = 3, memory_kib: int = 131072) -> KdfParams:
        return cls(salt=os.urandom(16), time_cost=time_cost, memory_kib=memory_kib)

    def to_json(self) -> dict[str, object]:
        return {
            "name": "argon2id",
            "salt": b64(self.salt),
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> KdfParams:
        if data.get("name") != "argon2id":
            raise ValueError("unknown key derivation")
        return cls(
            salt=unb64(str(data["salt"])),
            time_cost=int(str(data["time_cost"])),
            memory_kib=int(str(data["memory_kib"])),
            parallelism=int(str(data["parallelism"])),
        )


@dataclass(frozen=True)
class WrappedKey:
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> dict[str, str]:
        return {"alg": "AES-256-GCM", "nonce": b64(self.nonce), "ciphertext": b64(self.ciphertext)}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> WrappedKey:
        return cls(nonce=unb64(data["nonce"]), ciphertext=unb64(data["ciphertext"]))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_database_key() -> bytes:
    return os.urandom(KEY_BYTES)


def derive_kek(passphrase: str, device_secret: bytes, params: KdfParams) -> bytes:
    # The device secret joins the passphrase as secret input: a copied profile
    # folder without this machine's keyring entry cannot be brute-forced alone.
    secret = passphrase.encode("utf-8") + b"\x00" + device_secret
    return hash_secret_raw(
        secret=secret,
        salt=params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def wrap(database_key: bytes, kek: bytes, context: bytes) -> WrappedKey:
    nonce = os.urandom(12)
    return WrappedKey(nonce, AESGCM(kek).encrypt(nonce, database_key, context))


def unwrap(wrapped: WrappedKey, kek: bytes, context: bytes) -> bytes | None:
    """The database key, or None when the passphrase (or device secret) is wrong."""
    try:
        return AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, context)
    except InvalidTag:
        return None
