"""The desktop log is private like the rest of the profile: 0600 files in a 0700 folder (issue 20, item 17)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseworker_app.ui.app import configure_logging

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX matter")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """022, as most desktops have it: without care, new files would be readable by every user."""
    old = os.umask(0o022)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        os.umask(old)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def test_a_new_log_and_its_folder_are_for_this_user_only(tmp_path: Path, usual_umask: None) -> None:
    folder = tmp_path / "logs"
    configure_logging(folder)
    logging.getLogger("caseworker_app.test").warning("sync: 3 changes waiting")
    log_file = folder / "caseworker-desktop.log"
    assert "3 changes waiting" in log_file.read_text(encoding="utf-8")
    assert mode(folder) == 0o700
    assert mode(log_file) == 0o600


def test_a_log_left_readable_by_an_older_version_is_closed_up(tmp_path: Path, usual_umask: None) -> None:
    folder = tmp_path / "logs"
    folder.mkdir(mode=0o755)
    old_log = folder / "caseworker-desktop.log"
    old_log.write_text("earlier\n", encoding="utf-8")
    old_log.chmod(0o644)
    os.chmod(folder, 0o755)
    configure_logging(folder)
    assert mode(folder) == 0o700
    assert mode(old_log) == 0o600
    assert old_log.read_text(encoding="utf-8").startswith("earlier")  # kept, not truncated


def test_rotated_logs_stay_private(tmp_path: Path, usual_umask: None) -> None:
    folder = tmp_path / "logs"
    configure_logging(folder)
    chatter = logging.getLogger("caseworker_app.test")
    for n in range(1300):  # past the 1 MB rotation point
        chatter.warning("line %d %s", n, "x" * 900)
    logs = sorted(folder.glob("caseworker-desktop.log*"))
    assert len(logs) >= 2, logs
    assert {p.name: mode(p) for p in logs} == {p.name: 0o600 for p in logs}
