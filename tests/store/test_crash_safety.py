"""SIGKILL a writer at random moments: the store always opens, intact, with every committed change.

This proves atomicity, not durability: a killed process leaves its written pages with the operating
system, so it passes even with synchronous=OFF. test_durability.py checks that commits reach the disk.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import PASSPHRASE
from sqlalchemy import select

from caseworker_app.store.database import check_integrity
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import NoteRow

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 20


def test_store_survives_sigkill_and_keeps_every_committed_note(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    rng = random.Random(20261124)
    committed: set[str] = set()
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(WRITER), str(home), PASSPHRASE],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
        deadline = time.monotonic() + rng.uniform(0.05, 0.4)
        while time.monotonic() < deadline:
            line = child.stdout.readline().strip()
            if line:
                committed.add(line)
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
        committed.update(line for line in rest.split() if line)  # printed before the kill landed

        with LocalStore.open(home, PASSPHRASE) as store:
            check_integrity(store.db.engine)
            with store.db.reading() as session:
                stored = set(session.scalars(select(NoteRow.id)))
        missing = committed - stored
        assert not missing, f"{len(missing)} committed notes lost"
    assert len(committed) > KILLS  # the writer really wrote between kills
