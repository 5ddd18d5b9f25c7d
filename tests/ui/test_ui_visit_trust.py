"""The visit form a liaison can trust: no row before the first edit, drafts discarded, every child
outcome recorded, the zone of each date, and a finalized form that reads as finished."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from ui_kit import current_form, new_visit_form, open_first_case, wait_for_box, wait_idle

from caseworker_app.domain.entities import Note, Visit
from caseworker_app.store import queries
from caseworker_app.ui.case_file.actions import open_visit
from caseworker_app.ui.dialogs.attempted_contact import AttemptedContactDialog
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.visit_form import VisitForm


def visit_ids(window: MainWindow) -> set[str]:
    return {v.id for v in window.store.repo.all(Visit)}


def test_ctrl_n_writes_nothing_until_the_first_real_edit(qtbot: QtBot, window: MainWindow) -> None:
    before = visit_ids(window)
    waiting = queries.outbox_size(window.store.db)
    view = open_first_case(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    form = current_form(window)
    wait_idle(qtbot)
    assert visit_ids(window) == before and queries.outbox_size(window.store.db) == waiting

    # closing the untouched form leaves nothing behind either
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.open_cases.tabs.currentWidget() is view, timeout=10000)
    wait_idle(qtbot)
    assert visit_ids(window) == before

    # the first real edit writes the visit and its draft note
    form = new_visit_form(qtbot, window)
    qtbot.keyClicks(form.narrative, "Spoke with mother")
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)
    wait_idle(qtbot)
    assert visit_ids(window) == before | {form.visit.id}
    assert window.store.repo.get(Note, form.note.id).narrative == "Spoke with mother"


def test_a_draft_is_discarded_after_confirmation(qtbot: QtBot, window: MainWindow) -> None:
    before = visit_ids(window)
    waiting = queries.outbox_size(window.store.db)
    form = new_visit_form(qtbot, window)
    qtbot.keyClicks(form.narrative, "Opened by mistake")
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)
    wait_idle(qtbot)
    visit_id = form.visit.id
    assert visit_id in visit_ids(window)

    # Cancel keeps it
    form.discard_button.click()
    box = wait_for_box(qtbot, "Discard this draft")
    box.button(QMessageBox.StandardButton.Cancel).click()
    wait_idle(qtbot)
    assert visit_id in visit_ids(window) and form.isVisible()

    form.discard_button.click()
    box = wait_for_box(qtbot, "Discard this draft")
    box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not any(isinstance(w, VisitForm) for w in window.open_cases.widgets()), timeout=10000)
    wait_idle(qtbot)
    # never synced: gone, with its outbox entries; Today no longer lists it
    assert visit_ids(window) == before
    assert queries.outbox_size(window.store.db) == waiting
    assert all(d.visit.id != visit_id for d in queries.draft_visits(window.store.db, window.store.worker))
    assert [e["row_id"] for e in window.store.repo.audit_events(action="discard_draft")] == [visit_id]


def choose(form: VisitForm, row: int, outcome: str) -> None:
    combo = form.child_rows[row].outcome
    combo.setFocus()
    index = combo.findData(outcome)
    assert index >= 0, outcome
    while combo.currentIndex() != index:  # by keyboard, as a person would
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        QtBot.keyClick(combo, key)


def test_a_child_not_seen_is_recorded_and_the_visit_finalizes(qtbot: QtBot, window: MainWindow) -> None:
    form = new_visit_form(qtbot, window)
    assert len(form.child_rows) >= 1
    form.location.setText("Family home")
    form.purpose.setText("Monthly home visit")
    qtbot.keyClicks(form.narrative, "Home visit; the oldest was at practice.")
    choose(form, 0, "not_home")
    for row in range(1, len(form.child_rows)):
        choose(form, row, "seen_alone")
    form.finalize_button.click()
    confirm = wait_for_box(qtbot, "Finalize the visit")
    assert "Before finalizing" not in confirm.text(), confirm.text()
    confirm.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: form.is_final, timeout=10000)
    wait_idle(qtbot)
    visit = window.store.repo.get(Visit, form.visit.id)
    outcomes = {c.person_id: c for c in visit.children}
    first = outcomes[form.child_rows[0].person.id]
    assert (first.seen, first.not_seen_reason) == (False, "not_home")
    assert all(outcomes[r.person.id].seen_alone for r in form.child_rows[1:])


def test_other_reason_needs_a_note_before_finalizing(qtbot: QtBot, window: MainWindow) -> None:
    form = new_visit_form(qtbot, window)
    form.location.setText("Family home")
    form.purpose.setText("Monthly home visit")
    qtbot.keyClicks(form.narrative, "Home visit.")
    for row in range(len(form.child_rows)):
        choose(form, row, "other")
    name = form.child_rows[0].person.full_name
    form.finalize_button.click()
    missing = wait_for_box(qtbot, "Finalize the visit")
    assert f"Say why {name} was not seen." in missing.text()
    missing.accept()
    assert form.child_rows[0].why.isVisible()


@pytest.fixture
def chicago() -> Iterator[None]:
    """This computer in a US zone with daylight saving time (US Central)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/Chicago"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_each_date_shows_the_zone_in_force_that_day(qtbot: QtBot, window: MainWindow, chicago: None) -> None:
    form = new_visit_form(qtbot, window)
    form.when.setDateTime(QDateTime(QDate(2026, 7, 14), QTime(10, 30)))
    assert form.zone.text().startswith("CDT"), form.zone.text()
    form.when.setDateTime(QDateTime(QDate(2026, 1, 14), QTime(10, 30)))
    assert form.zone.text().startswith("CST"), form.zone.text()

    view = window.open_cases.case_views()[0]
    dialog = AttemptedContactDialog(window.store, view.case_id, view)
    qtbot.addWidget(dialog)
    dialog.when.setDateTime(QDateTime(QDate(2026, 7, 14), QTime(10, 30)))
    assert "CDT" in dialog.zone.text() and "CST" not in dialog.when.displayFormat()
    dialog.when.setDateTime(QDateTime(QDate(2026, 12, 1), QTime(10, 30)))
    assert "CST" in dialog.zone.text()


def test_a_finalized_form_reads_as_finished_with_addendum_next(qtbot: QtBot, window: MainWindow) -> None:
    finals = [n for n in window.store.repo.all(Note) if n.is_final and n.visit_id and n.addendum_to is None]
    open_visit(window.open_cases, finals[0].visit_id or "")
    window.go(2)
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    form = current_form(window)
    qtbot.waitUntil(lambda: form.isVisible())
    assert form.final_banner.isVisible() and "addendum" in form.final_banner.text().lower()
    assert form.addendum_button.isVisible() and form.addendum_button.isDefault()
    assert form.addendum_button.hasFocus()
    assert not form.finalize_button.isVisible() and not form.save_button.isVisible()
    assert not form.discard_button.isVisible()
    window_colour = form.palette().color(QPalette.ColorRole.Window)
    for editor in (form.location, form.purpose, form.observations, form.narrative):
        shown = editor if editor in (form.location, form.purpose) else editor.viewport()  # type: ignore[attr-defined]
        pixel = shown.grab().toImage().pixelColor(shown.width() // 2, shown.height() // 2)
        assert pixel == window_colour, f"{editor.accessibleName()} still looks editable"
    for row in form.child_rows:
        assert not row.outcome.isEnabled()
    before = form.narrative.toPlainText()
    qtbot.keyClicks(form.narrative, "more")
    assert form.narrative.toPlainText() == before


def quiet_timers(form: VisitForm) -> None:
    """Neither the debounce nor the max wait fires during the test: only the event under test saves."""
    form.timer.setInterval(600_000)
    form.max_wait.setInterval(600_000)


def stored_narrative(window: MainWindow, form: VisitForm) -> str:
    notes = [n for n in window.store.repo.all(Note) if n.visit_id == form.visit.id]
    return notes[0].narrative if notes else ""


def test_changing_tab_leaving_the_form_or_quitting_saves(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    form = new_visit_form(qtbot, window)
    quiet_timers(form)
    view = window.open_cases.case_views()[0]

    qtbot.keyClicks(form.narrative, "Saved when the tab changed")
    window.open_cases.tabs.setCurrentWidget(view)  # Ctrl+Tab to the case file
    qtbot.waitUntil(lambda: stored_narrative(window, form) == "Saved when the tab changed", timeout=10000)

    window.open_cases.tabs.setCurrentWidget(form)
    form.narrative.setFocus()
    qtbot.keyClicks(form.observations, "Saved when focus left the form")
    window.nav.setFocus()  # to the navigation list, out of the form
    qtbot.waitUntil(lambda: window.store.repo.get(Visit, form.visit.id).observations.endswith("left the form"),
                    timeout=10000)

    form.narrative.setFocus()
    qtbot.keyClicks(form.narrative, "; when the window lost the foreground")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)  # another app came forward
    qtbot.waitUntil(lambda: stored_narrative(window, form).endswith("lost the foreground"), timeout=10000)

    qtbot.keyClicks(form.narrative, "; and when the app was asked to quit")
    app.aboutToQuit.emit()  # what the session manager or a quit request sends before the loop ends
    qtbot.waitUntil(lambda: stored_narrative(window, form).endswith("asked to quit"), timeout=10000)


def test_a_child_outcome_as_the_first_edit_stores_the_visit(qtbot: QtBot, window: MainWindow) -> None:
    form = new_visit_form(qtbot, window)
    choose(form, 0, "refused")
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)
    wait_idle(qtbot)
    (child,) = [c for c in window.store.repo.get(Visit, form.visit.id).children
                if c.person_id == form.child_rows[0].person.id]
    assert child.not_seen_reason == "refused" and not form.save_notice.isVisible()
