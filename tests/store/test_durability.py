"""A committed autosave is on the disk before the app says so, with the pragmas the app really uses.

test_crash_safety.py kills a writer at random moments: that proves atomicity (the store always opens,
intact, with every committed change), which a killed process shows even with synchronous=OFF because
the operating system still holds the written pages. Durability against a power cut needs the commit to
reach the disk: this test traces the writer's system calls and checks that every commit flushed the
write-ahead log (fdatasync/fsync) before the app reported it saved, then kills it and finds the text.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from helpers import PASSPHRASE

from caseworker_app.domain import Note
from caseworker_app.store.local_store import LocalStore

WRITER = Path(__file__).with_name("autosave_writer.py")


def test_every_autosave_is_flushed_to_disk_before_it_is_reported(tmp_path: Path) -> None:
    strace = shutil.which("strace")
    assert strace, "strace is needed to watch the commits reach the disk (apt-get install strace)"
    home, trace = tmp_path / "profile", tmp_path / "trace.log"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    child = subprocess.Popen(
        [strace, "-f", "-e", "trace=fsync,fdatasync,write", "-o", str(trace), sys.executable, str(WRITER),
         str(home), PASSPHRASE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert child.stdout is not None
    lines = [child.stdout.readline().strip() for _ in range(6)]
    assert lines[-1] == "DONE", lines
    child.send_signal(signal.SIGKILL)  # kill strace; its child follows
    child.communicate(timeout=30)
    subprocess.run(["pkill", "-9", "-f", str(WRITER)], check=False)

    flushed_since_report = False
    reports = 0
    for line in trace.read_text().splitlines():
        if re.search(r"\b(fdatasync|fsync)\(\d+\)\s+= 0", line):
            flushed_since_report = True
        elif re.search(r'write\(1, "SAVED \d', line):
            assert flushed_since_report, f"reported saved before the commit reached the disk: {line}"
            flushed_since_report = False
            reports += 1
    assert reports == 5

    with LocalStore.open(home, PASSPHRASE) as store:
        (note,) = store.repo.all(Note)
    assert note.narrative.strip().endswith("autosave 4.")
