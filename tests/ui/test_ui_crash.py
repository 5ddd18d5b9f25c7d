"""A hard kill (SIGKILL) after an autosave loses nothing that was saved: the next unlock shows the draft."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from helpers import PASSPHRASE
from pytestqt.qtbot import QtBot
from ui_kit import unlock, wait_idle

from caseworker_app.domain.entities import Note
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.app import Desktop
from caseworker_app.ui.visit_form import VisitForm

TYPED = "Seen at home; the new bunk beds arrived and both children have their own beds now."


def test_draft_survives_kill_9_after_autosave(qtbot: QtBot, demo_home: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("crash_app.py")), str(demo_home), PASSPHRASE, TYPED],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("saved "), f"the app never reported an autosave: {line!r}"
        note_id = line.split()[1]
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with LocalStore.open(demo_home, PASSPHRASE) as store:
        assert store.repo.get(Note, note_id).narrative.startswith(TYPED)

    # and the window shows it: on Today, and opened from there, in the form
    desktop = Desktop(demo_home)
    desktop.start()
    window = unlock(qtbot, desktop)
    qtbot.waitUntil(lambda: any(r.payload.note.id == note_id for r in window.today.drafts.rows_model.rows),
                    timeout=10000)
    draft = next(r.payload for r in window.today.drafts.rows_model.rows if r.payload.note.id == note_id)
    window.today.open_draft.emit(draft)
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    form = window.open_cases.tabs.currentWidget()
    assert isinstance(form, VisitForm)
    assert form.narrative.toPlainText().startswith(TYPED)
    wait_idle(qtbot)
    window.close()
    qtbot.waitUntil(lambda: getattr(window, "store_closed", False), timeout=20000)
