"""Test-wide setup: offscreen Qt, an in-memory keyring of our own, fast key derivation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import keyring.backend
import pytest
from helpers import FAST_KDF, PASSPHRASE, MemoryKeyring

from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    # No test reads the machine's IT policy or user folders.
    monkeypatch.setenv("CASEWORKER_POLICY", str(tmp_path / "no-policy.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("CASEWORKER_HOME", raising=False)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    s = LocalStore.create(tmp_path / "profile", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    yield s
    s.close()
