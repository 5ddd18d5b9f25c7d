"""A profile's files, its store's -wal and -shm, and the wipe marker are readable by their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from caseworker_app.domain import Note
from caseworker_app.sync.errors import WipeOrdered
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.wipe import carry_out_wipe, marker_path
from caseworker_server import admin


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_profile_files_are_private(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    device.store.repo.save(
        Note(
            case_id=agency.case_id,
            author="liaison",
            narrative="Private.",
            written_at=datetime.now(UTC),
        )
    )
    files = [p for p in device.home.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)
    assert {str(p.relative_to(device.home)): _mode(p) for p in files} == {
        str(p.relative_to(device.home)): 0o600 for p in files
    }
    assert _mode(device.home) == 0o700


def test_the_wipe_marker_is_private(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("lost", "liaison")
    agency.admin(admin.wipe_device, SyncState.load(device.store).device_id)
    with pytest.raises(WipeOrdered) as ordered:
        device.sync()
    agency.server.stop()  # the report cannot be made: the marker stays
    assert carry_out_wipe(device.store, ordered.value.order) is False
    assert _mode(marker_path(device.home)) == 0o600
    agency.server.start()
