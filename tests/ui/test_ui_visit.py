"""Recording a visit in the window: draft, autosave, finalize (read-only), addendum; all of it through the store."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from ui_kit import closed, current_form, new_visit_form, open_first_case, wait_for_box, wait_idle

from caseworker_app.domain.entities import Note, Visit
from caseworker_app.domain.vocabulary import NoteStatus
from caseworker_app.services.visits import unfinished_drafts
from caseworker_app.ui.case_file.view import CaseFileView
from caseworker_app.ui.dialogs.addendum import AddendumDialog
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.visit_form import FINALIZE_WARNING, VisitForm

NARRATIVE = "Home visit after school. Both children were home and showed their reading logs."


def fill_required(form: VisitForm) -> None:
    form.location.setText("Family home")
    form.purpose.setText("Monthly home visit")
    for row in form.child_rows:
        row.outcome.setCurrentIndex(row.outcome.findData("seen"))


def test_record_autosave_finalize_read_only_addendum(qtbot: QtBot, window: MainWindow) -> None:
    view = open_first_case(qtbot, window)
    store = window.store
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    form = current_form(window)
    assert form.case_id == view.case_id and not form.is_final

    # autosave: about a second after typing stops, quietly
    qtbot.keyClicks(form.narrative, NARRATIVE)
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)
    wait_idle(qtbot)
    stored = store.repo.get(Note, form.note.id)
    assert stored.narrative == NARRATIVE and stored.status is NoteStatus.DRAFT
    assert any(d.note.id == stored.id for d in unfinished_drafts(store))  # Today lists the unfinished draft
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "))

    # finalize validates first and lists what is missing
    form.finalize_button.click()
    missing = wait_for_box(qtbot, "Finalize the visit")
    assert "Enter the purpose" in missing.text() and "Enter where" in missing.text()
    missing.accept()
    wait_idle(qtbot)
    assert not store.repo.get(Note, form.note.id).is_final

    fill_required(form)
    form.finalize_button.click()
    confirm = wait_for_box(qtbot, "Finalize the visit")
    qtbot.waitUntil(lambda: FINALIZE_WARNING in confirm.text())
    confirm.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: form.is_final, timeout=10000)
    wait_idle(qtbot)

    # read-only, with the stored record final and complete
    assert form.narrative.isReadOnly() and not form.finalize_button.isVisible()
    assert form.addendum_button.isVisible()
    note = store.repo.get(Note, form.note.id)
    visit = store.repo.get(Visit, form.visit.id)
    assert note.is_final and visit.location == "Family home" and visit.purpose == "Monthly home visit"
    assert all(c.seen for c in visit.children) and len(visit.children) == len(form.child_rows)

    # addendum
    form.addendum_button.click()
    dialog = window.open_cases.last_dialog
    assert isinstance(dialog, AddendumDialog)
    qtbot.keyClicks(dialog.text, "Correction: the visit ended at 16:10.")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: closed(dialog), timeout=10000)
    wait_idle(qtbot)
    addenda = [n for n in store.repo.for_case(Note, form.case_id) if n.addendum_to == note.id]
    assert [a.narrative for a in addenda] == ["Correction: the visit ended at 16:10."]
    assert store.repo.get(Note, note.id).narrative == NARRATIVE  # the final note itself never changed
    qtbot.waitUntil(lambda: "Correction: the visit ended" in form.addenda_label.text())
    # and the case file's timeline shows the addendum under its note
    qtbot.waitUntil(lambda: _addendum_under_note(view, note.id))


def _addendum_under_note(view: CaseFileView, note_id: str) -> bool:
    timeline = view.contacts.timeline
    for i in range(timeline.topLevelItemCount()):
        item = timeline.topLevelItem(i)
        if item is None:
            continue
        kind, _record = item.data(0, Qt.ItemDataRole.UserRole + 1)
        if kind == "visit" and item.childCount() and item.text(3) == "Final":
            child = item.child(0)
            return child is not None and child.text(1) == "Addendum"
    return False


def test_closing_the_tab_saves_what_was_typed(qtbot: QtBot, window: MainWindow) -> None:
    form = new_visit_form(qtbot, window)
    form.timer.setInterval(60_000)  # no debounce save: only the close may save it
    qtbot.keyClicks(form.narrative, "Typed just before closing")
    note_id = form.note.id
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: all(not isinstance(w, VisitForm) for w in window.open_cases.widgets()))
    assert window.store.repo.get(Note, note_id).narrative == "Typed just before closing"


def test_focus_leaving_the_narrative_saves(qtbot: QtBot, window: MainWindow) -> None:
    form = new_visit_form(qtbot, window)
    form.timer.setInterval(60_000)
    window.activateWindow()
    form.narrative.setFocus()
    qtbot.keyClicks(form.narrative, "Saved on focus loss")
    form.purpose.setFocus()
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)
    wait_idle(qtbot)
    assert window.store.repo.get(Note, form.note.id).narrative == "Saved on focus loss"


def test_safety_assessment_started_from_a_visit_is_linked_to_it(qtbot: QtBot, window: MainWindow) -> None:
    from caseworker_app.domain.entities import SafetyAssessment
    from caseworker_app.ui.dialogs.safety import SafetyAssessmentDialog

    form = new_visit_form(qtbot, window)
    form.assessment_button.click()  # the new visit is stored first, then the dialog opens
    qtbot.waitUntil(lambda: isinstance(window.open_cases.last_dialog, SafetyAssessmentDialog), timeout=10000)
    dialog = window.open_cases.last_dialog
    assert isinstance(dialog, SafetyAssessmentDialog) and dialog.linked.isChecked()
    dialog.decision.setCurrentIndex(dialog.decision.findData("safe"))
    dialog.rationale.setPlainText("No threats found at the visit.")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: closed(dialog), timeout=10000)
    wait_idle(qtbot)
    linked = [a for a in window.store.repo.for_case(SafetyAssessment, form.case_id) if a.visit_id == form.visit.id]
    assert [a.rationale for a in linked] == ["No threats found at the visit."]


def test_date_and_time_are_local_in_the_form_and_utc_in_the_store(qtbot: QtBot, window: MainWindow) -> None:
    from datetime import datetime

    from PySide6.QtCore import QDate, QDateTime, QTime

    from caseworker_app.domain.clock import as_utc

    form = new_visit_form(qtbot, window)
    assert form.zone.text()  # the zone is shown beside the time
    form.when.setDateTime(QDateTime(QDate(2026, 11, 3), QTime(16, 45)))
    form.save_now()
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)
    wait_idle(qtbot)
    stored = window.store.repo.get(Visit, form.visit.id).occurred_at
    assert as_utc(stored) == datetime(2026, 11, 3, 16, 45).astimezone()
