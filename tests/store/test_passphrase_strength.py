"""Profile passphrases: at least 12 characters, and not a common or trivially patterned one."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FAST_KDF

from caseworker_app.store.errors import ProfileError
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore


@pytest.mark.parametrize("passphrase", [" " * 8, " " * 12, "password", "passwordpassword", "qwertyuiop12"])
def test_weak_passphrases_are_refused(tmp_path: Path, passphrase: str) -> None:
    with pytest.raises(ProfileError):
        LocalStore.create(tmp_path / "p", passphrase, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    assert not (tmp_path / "p" / "caseworker.db").exists()
