"""Sync in the window, against the real server on loopback: a status that is always true, Sync now,
the server coming back, signed out, a case taken away, a wiped laptop, and refreshing what is open."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from helpers import SERVER_PASSWORD
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sync_ui_kit import Agency, agency, laptop, open_window  # noqa: F401  (fixtures)
from test_ui_sync_status import set_risk, status_bar_text
from ui_kit import wait_for_box, wait_idle

from caseworker_app.domain import Case, Note
from caseworker_app.domain.vocabulary import RiskLevel
from caseworker_app.store import queries
from caseworker_app.sync.state import SyncState
from caseworker_app.ui.dialogs.sign_in import SignInDialog
from caseworker_app.ui.main_window import MainWindow
from caseworker_server import admin

NOWHERE = "00000000-0000-4000-8000-000000000000"


def press_f5(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F5)


def wait_synced(qtbot: QtBot, window: MainWindow, runs: int = 1, timeout: int = 30000) -> None:
    qtbot.waitUntil(lambda: len(window.sync.runner.runs) >= runs and not window.sync.runner.running, timeout=timeout)
    wait_idle(qtbot)


# -- F5 on a profile with no agency ---------------------------------------------------------------


def test_f5_on_a_demo_says_there_is_no_agency_instead_of_syncing(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: "Not connected to an agency" in status_bar_text(window))
    press_f5(qtbot, window)
    qtbot.waitUntil(lambda: "not connected to an agency" in window.statusBar().currentMessage())
    assert window.sync.runner.runs == [] and not window.sync.runner.running


# -- Sync now ---------------------------------------------------------------------------------------


def test_f5_syncs_once_with_progress_and_the_open_case_file_follows(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    window = open_window(mine)
    window.open_case(agency.case_id)
    view = window.open_cases.case_views()[0]
    qtbot.waitUntil(lambda: "Moderate risk" in view.subheader.text(), timeout=10000)
    set_risk(boss.store, agency.case_id, RiskLevel.LOW)
    boss.sync()

    with qtbot.waitSignal(window.sync.runner.started, timeout=10000):
        press_f5(qtbot, window)
    assert window.sync.area.progress.isVisible() and window.sync.area.cancel.isVisible()
    press_f5(qtbot, window)  # a second press while it runs starts no second run
    wait_synced(qtbot, window)
    assert len(window.sync.runner.runs) == 1 and window.sync.runner.runs[0].ok
    qtbot.waitUntil(lambda: "Low risk" in view.subheader.text(), timeout=10000)
    qtbot.waitUntil(lambda: "All changes synced" in status_bar_text(window), timeout=10000)
    assert not window.sync.area.progress.isVisible()


def test_sync_starts_by_itself_within_ten_seconds_of_the_server_returning(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    mine = laptop("mine", "liaison")
    window = open_window(mine)
    wait_synced(qtbot, window)  # the first automatic run, as the window opens
    agency.server.stop()
    window.store.repo.save(Note(case_id=agency.case_id, author="liaison", narrative="Called the school.",
                                written_at=datetime.now(UTC)))
    press_f5(qtbot, window)
    qtbot.waitUntil(lambda: "Offline: 1 change waiting" in status_bar_text(window), timeout=60000)
    runs_before = len(window.sync.runner.runs)
    from caseworker_app.services.sync import recent_runs

    latest = recent_runs(window.store)[0]
    assert not latest.ok and "cannot be reached" in latest.words  # remembered in the profile, in words

    agency.server.start()  # the same port: the server is back
    back_at = time.monotonic()
    qtbot.waitUntil(lambda: len(window.sync.runner.runs) > runs_before and window.sync.runner.runs[0].ok,
                    timeout=20000)
    took = time.monotonic() - back_at
    assert took <= 10.0, f"sync started {took:.1f} s after the server returned"
    print(f"synced {took:.1f} s after the server returned")
    qtbot.waitUntil(lambda: "All changes synced" in status_bar_text(window), timeout=10000)


# -- what a run's outcome asks of the window ------------------------------------------------------


def test_signed_out_asks_for_the_password_loses_nothing_and_resumes(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    mine = laptop("mine", "liaison")
    state = SyncState.load(mine.store)
    state.refresh_token = "a token the server never issued"
    state.save(mine.store)
    note = Note(case_id=agency.case_id, author="liaison", narrative="Written while signed out.",
                written_at=datetime.now(UTC))
    mine.store.repo.save(note)
    window = open_window(mine)

    qtbot.waitUntil(lambda: isinstance(window.sync.sign_in_dialog, SignInDialog), timeout=30000)
    dialog = window.sync.sign_in_dialog
    assert isinstance(dialog, SignInDialog)
    qtbot.waitUntil(lambda: "Signed out" in status_bar_text(window), timeout=10000)
    qtbot.waitUntil(lambda: dialog.username.text() == "liaison")
    from test_ui_accessibility import unnamed

    assert unnamed(dialog) == []
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, SERVER_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(r.ok for r in window.sync.runner.runs), timeout=30000)
    qtbot.waitUntil(lambda: "All changes synced" in status_bar_text(window), timeout=10000)
    with agency.server.db.read() as session:
        from caseworker_server.models import Record

        assert session.get(Record, ("note", note.id)) is not None


def test_a_case_taken_off_this_laptop_closes_its_tab_with_a_notice(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    window = open_window(laptop("mine", "liaison"))
    wait_synced(qtbot, window)
    window.open_case(agency.case_id)
    qtbot.waitUntil(lambda: window.open_cases.count() == 1)
    agency.admin(admin.assign, agency.case_id, "liaison2")

    press_f5(qtbot, window)
    box = wait_for_box(qtbot, "A case was taken off this laptop", timeout=30000)
    assert window.open_cases.count() == 0
    assert "edits that had not synced were sent to the server first" in box.text()
    assert window.store.repo.all(Case) == []


def test_a_wiped_laptop_closes_every_window_and_says_it_was_wiped(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    mine = laptop("mine", "liaison")
    home, device_id = mine.home, mine.device_id
    window = open_window(mine)
    wait_synced(qtbot, window)
    window.sync.show_page()  # a second window, which must close too
    agency.admin(admin.wipe_device, device_id)

    press_f5(qtbot, window)
    box = wait_for_box(qtbot, "IT wiped this laptop", timeout=30000)
    assert "IT wiped this laptop" in box.text()
    qtbot.waitUntil(lambda: [w for w in QApplication.topLevelWidgets()
                             if w.isVisible() and not isinstance(w, QMessageBox)] == [], timeout=10000)
    assert not Path(home).exists()
    box.close()


def test_marks_follow_the_outbox_and_the_server(
    qtbot: QtBot, agency: Agency, laptop  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    mine = laptop("mine", "liaison")
    assert queries.sync_marks(mine.store.db, agency.case_id) == {}
    set_risk(mine.store, agency.case_id, RiskLevel.HIGH)
    assert queries.sync_marks(mine.store.db, agency.case_id) == {agency.case_id: "unsynced"}
    assert queries.sync_marks(mine.store.db) == {agency.case_id: "unsynced"}
    mine.sync()
    assert queries.sync_marks(mine.store.db, agency.case_id) == {}


def test_cancel_stops_a_run_and_loses_nothing(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    window = open_window(laptop("mine", "liaison"))
    wait_synced(qtbot, window)
    window.store.repo.save(Note(case_id=agency.case_id, author="liaison", narrative="Met the counselor.",
                                written_at=datetime.now(UTC)))
    with qtbot.waitSignal(window.sync.runner.started, timeout=10000):
        press_f5(qtbot, window)
    cancel = window.sync.area.cancel
    assert cancel.isVisible() and cancel.accessibleName() == "Cancel sync"
    cancel.click()  # before the run reaches its first batch
    qtbot.waitUntil(lambda: len(window.sync.runner.runs) == 2 and not window.sync.runner.running, timeout=30000)
    assert window.sync.runner.runs[0].words == "Sync cancelled; nothing was lost."
    qtbot.waitUntil(lambda: "1 change waiting to sync" in status_bar_text(window), timeout=10000)
    press_f5(qtbot, window)  # and the next run sends it
    qtbot.waitUntil(lambda: "All changes synced" in status_bar_text(window), timeout=30000)


def test_a_refused_change_is_sent_again_or_discarded_from_the_sync_page(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    from PySide6.QtWidgets import QMessageBox
    from test_ui_sync_status import refused_note

    from caseworker_app.ui.sync_page import SyncPage

    mine = laptop("mine", "liaison")
    refused_note(mine.store, agency.case_id)
    assert mine.sync().results == {"rejected": 1}
    window = open_window(mine)
    wait_synced(qtbot, window)
    window.sync.show_page()
    page = window.sync.page
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.refused.model().rowCount() == 1, timeout=10000)
    # the latest runs come from the profile: the window's first run is listed in plain words
    qtbot.waitUntil(lambda: page.runs.count() >= 1 and "Synced: sent" in page.runs.item(0).text())
    reason = page.refused.model().index(0, 3).data()
    assert "addendum" in reason  # the server's own reason

    # Discard asks first; Cancel keeps it
    page.discard.click()
    qtbot.waitUntil(lambda: isinstance(page.last_box, QMessageBox) and page.last_box.isVisible())
    box = page.last_box
    assert isinstance(box, QMessageBox)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    wait_idle(qtbot)
    assert page.refused.model().rowCount() == 1
    page.discard.click()
    qtbot.waitUntil(lambda: page.last_box is not box and isinstance(page.last_box, QMessageBox))
    confirm = page.last_box
    assert isinstance(confirm, QMessageBox)
    confirm.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: page.refused.model().rowCount() == 0, timeout=10000)
    qtbot.waitUntil(lambda: "refused" not in status_bar_text(window), timeout=10000)
    assert "Discarded" in window.statusBar().currentMessage()


def test_a_fixed_refused_change_is_sent_again_from_the_sync_page(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    from dataclasses import replace

    from caseworker_app.ui.sync_page import SyncPage
    from caseworker_server.models import Record

    mine = laptop("mine", "liaison")
    note = Note(case_id=agency.case_id, author="liaison", narrative="Correction: Tuesday, not Monday.",
                written_at=datetime.now(UTC), addendum_to="00000000-0000-4000-8000-000000000000")
    mine.store.repo.save(note)
    assert mine.sync().results == {"rejected": 1}
    mine.store.repo.save(replace(mine.store.repo.get(Note, note.id), addendum_to=None))  # the fix, in the store
    window = open_window(mine)
    wait_synced(qtbot, window)
    window.sync.show_page()
    page = window.sync.page
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.refused.model().rowCount() == 1, timeout=10000)
    page.refused.setFocus()
    page.refused.selectRow(0)
    qtbot.keyClick(page.resend, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.refused.model().rowCount() == 0, timeout=10000)
    qtbot.keyClick(page, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "All changes synced" in status_bar_text(window), timeout=30000)
    with agency.server.db.read() as session:
        assert session.get(Record, ("note", note.id)) is not None


def test_a_visit_being_written_is_marked_until_it_syncs(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    from ui_kit import new_visit_form

    window = open_window(laptop("mine", "liaison"))
    wait_synced(qtbot, window)
    form = new_visit_form(qtbot, window)
    tabs = window.open_cases.tabs
    qtbot.keyClicks(form.narrative, "Mother and Ava were home; the kitchen was stocked.")
    form.save_now()
    qtbot.waitUntil(lambda: tabs.tabToolTip(tabs.indexOf(form)) == "Not yet synced", timeout=20000)
    assert not tabs.tabIcon(tabs.indexOf(form)).isNull()
    view = window.open_cases.case_views()[0]
    qtbot.waitUntil(lambda: "Not yet synced" in view.sync_mark.text(), timeout=10000)
    timeline = view.contacts.timeline

    def timeline_marks() -> list[str]:
        return [timeline.topLevelItem(i).toolTip(0) for i in range(timeline.topLevelItemCount())]

    qtbot.waitUntil(lambda: "Not yet synced" in timeline_marks(), timeout=10000)  # the visit, in the timeline
    press_f5(qtbot, window)
    qtbot.waitUntil(lambda: tabs.tabToolTip(tabs.indexOf(form)) == "", timeout=30000)
    qtbot.waitUntil(lambda: "Not yet synced" not in timeline_marks(), timeout=10000)
    assert form.narrative.toPlainText() == "Mother and Ava were home; the kitchen was stocked."  # nothing lost


def test_the_automatic_interval_comes_from_the_settings_and_it_may_fix_it(qtbot: QtBot, demo_home: Path) -> None:
    import json
    import os

    from helpers import PASSPHRASE

    from caseworker_app import settings
    from caseworker_app.store.local_store import LocalStore
    from caseworker_app.ui.sync_runner import SyncRunner

    (demo_home / "settings.json").write_text(json.dumps({"sync_interval_minutes": 30}), encoding="utf-8")
    with LocalStore.open(demo_home, PASSPHRASE) as store:
        runner = SyncRunner(store)
        runner.start()  # the setting is read off the GUI thread
        qtbot.waitUntil(lambda: runner.schedule.interval_s == 30 * 60)  # the person's choice
        runner.stop()
        Path(os.environ[settings.POLICY_ENV]).write_text(json.dumps({"sync_interval_minutes": 5}), encoding="utf-8")
        fixed = SyncRunner(store)
        fixed.start()
        qtbot.waitUntil(lambda: fixed.schedule.interval_s == 5 * 60)  # IT's policy wins
        fixed.stop()
        wait_idle(qtbot)
        assert settings.setting("sync_interval_minutes").it_may_fix


def test_closing_the_window_during_a_sync_waits_for_it_and_closes_cleanly(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    mine = laptop("mine", "liaison")
    window = open_window(mine)
    wait_synced(qtbot, window)
    note = Note(case_id=agency.case_id, author="liaison", narrative="Left a message.", written_at=datetime.now(UTC))
    window.store.repo.save(note)
    with qtbot.waitSignal(window.sync.runner.started, timeout=10000):
        press_f5(qtbot, window)
    window.close()  # Ctrl+Q while the run is under way
    qtbot.waitUntil(lambda: window.store_closed, timeout=60000)
    wait_idle(qtbot)
    from helpers import PASSPHRASE

    from caseworker_app.store.local_store import LocalStore

    with LocalStore.open(mine.home, PASSPHRASE) as store:  # intact; the note either went or still waits
        assert store.repo.get(Note, note.id).narrative == "Left a message."
        assert queries.sync_counts(store.db).refused == 0
