"""A demo profile made once by the real command, protected by its passphrase alone, copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from clikit import run


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests copy it (clikit.copy_profile) before changing anything."""
    tmp = tmp_path_factory.mktemp("demo")
    code, out, err = run(tmp, "demo", "--home", str(tmp / "demo"), "--passphrase-stdin")
    assert code == 0 and "25 families" in out, err
    return tmp / "demo"
