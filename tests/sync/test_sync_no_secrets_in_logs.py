"""Nothing sensitive in logs: no keys, passphrases, tokens, names or narrative, even at DEBUG."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from helpers import PASSPHRASE

from caseworker_app.domain import Note
from caseworker_app.store.profile import Profile
from caseworker_app.sync.errors import Offline
from caseworker_app.sync.state import SyncState


def test_a_whole_sync_logs_no_secret_and_no_case_data(agency, laptop, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    device = laptop("mine", "liaison")
    device.store.repo.save(
        Note(
            case_id=agency.case_id,
            author="liaison",
            written_at=datetime.now(UTC),
            narrative="Grandmother said the rent is three months behind.",
        )
    )
    agency.server.stop()
    with pytest.raises(Offline):  # the retries log too
        device.sync()
    agency.server.start()
    device.sync()
    key = Profile(device.home).unlock(PASSPHRASE)
    token = SyncState.load(device.store).refresh_token
    logged = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert caplog.records  # the run did log
    for secret in (key.hex(), PASSPHRASE, token, "Nguyễn", "Linh", "rent is three months"):
        assert secret not in logged
