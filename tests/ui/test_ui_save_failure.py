"""A save that fails (the disk is full) says so once, on the form, keeps the text and retries by itself.

The profile lives on a small tmpfs that the test fills up: a real full disk, so the store's
own writes fail as they would on a liaison's laptop.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from ui_kit import new_visit_form, unlock, wait_idle

from caseworker_app.domain.entities import Note
from caseworker_app.ui.app import Desktop, make_app
from caseworker_app.ui.main_window import MainWindow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here to fill up: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def visible_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


@pytest.fixture
def window_on_small_disk(qtbot: QtBot, demo_template: Path, small_disk: Path) -> Iterator[MainWindow]:
    home = small_disk / "profile"
    shutil.copytree(demo_template, home)
    make_app()
    desktop = Desktop(home)
    desktop.start()
    window = unlock(qtbot, desktop)
    yield window
    for filler in small_disk.glob("filler"):
        filler.unlink()
    wait_idle(qtbot)
    window.close()
    qtbot.waitUntil(lambda: getattr(window, "store_closed", False), timeout=30000)
    wait_idle(qtbot)


def test_full_disk_one_notice_text_kept_retried_and_cleared(
    qtbot: QtBot, window_on_small_disk: MainWindow, small_disk: Path
) -> None:
    window = window_on_small_disk
    form = new_visit_form(qtbot, window)
    qtbot.keyClicks(form.narrative, "First part, saved. ")
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)
    wait_idle(qtbot)

    filler = fill(small_disk)
    for words in ("Typed on a full disk. ", "Still typing. ", "A third pause. ", "And a fourth. "):
        qtbot.keyClicks(form.narrative, words * 40)
        qtbot.wait(2500)  # a pause in typing: the form tries to save
    typed = form.narrative.toPlainText()
    qtbot.waitUntil(lambda: form.save_notice.isVisible(), timeout=10000)
    assert not visible_boxes(), "a failed autosave must not open a modal box"
    notice = form.save_notice.text()
    assert "disk" in notice.lower() and "full" in notice.lower()
    assert "not saved" in notice.lower() and "still on screen" in notice.lower()
    assert "Saved " not in form.saved_label.text()
    assert form.narrative.toPlainText() == typed
    assert "log" in form.save_notice.details().lower()
    notices = [w for w in form.findChildren(type(form.save_notice)) if w.isVisible()]
    assert len(notices) == 1

    filler.unlink()  # space again: the next retry saves without anyone asking
    qtbot.waitUntil(lambda: not form.save_notice.isVisible(), timeout=30000)
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)
    wait_idle(qtbot)
    assert window.store.repo.get(Note, form.note.id).narrative == typed


def test_the_log_file_is_named_in_help_and_in_a_notice(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    import logging

    from caseworker_app.ui.log_folder import log_place

    handler = logging.FileHandler(tmp_path / "caseworker-desktop.log")
    logging.getLogger().addHandler(handler)
    try:
        assert str(tmp_path / "caseworker-desktop.log") in log_place()
        help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
        assert any(a.text().replace("&", "") == "Show the log folder" for a in help_menu.actions())
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
