"""A conflict settled in the window with the keyboard: two laptops enrolled with one real server edit
the same field offline, both sync, one settles it side by side; both converge and the marker goes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from sync_ui_kit import Agency, agency, laptop, open_window  # noqa: F401  (fixtures)
from test_ui_accessibility import unnamed
from test_ui_keyboard import tab_to
from test_ui_sync_status import set_risk, status_bar_text
from ui_kit import wait_idle

from caseworker_app.domain import Case
from caseworker_app.domain.vocabulary import RiskLevel
from caseworker_app.services.word_diff import ADDED, REMOVED, SAME, word_diff
from caseworker_app.store import queries
from caseworker_app.sync.conflicts import list_conflicts
from caseworker_app.ui.dialogs.conflict import ConflictDialog, diff_html
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.sync_page import SyncPage


def case_list_reference(window: MainWindow) -> str:
    return str(window.cases.model.data(window.cases.model.index(0, 0)))


def test_a_conflict_is_settled_by_keyboard_and_both_laptops_converge(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    set_risk(mine.store, agency.case_id, RiskLevel.VERY_HIGH)  # the liaison, offline
    set_risk(boss.store, agency.case_id, RiskLevel.LOW)  # the supervisor, offline
    boss.sync()
    assert mine.sync().results == {"conflict": 1}
    boss.sync()
    assert len(list_conflicts(boss.store)) == 1

    window = open_window(mine)
    # the conflict is marked where the case is listed and in its case file, not shown as plain "Low risk"
    qtbot.waitUntil(lambda: "⚠" in case_list_reference(window), timeout=20000)
    window.open_case(agency.case_id)
    view = window.open_cases.case_views()[0]
    qtbot.waitUntil(lambda: "Conflict to settle" in view.sync_mark.text() and view.sync_mark.isVisible(),
                    timeout=20000)

    # keyboard only: open the Sync page, reach the conflicts, settle it side by side
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(window.sync.page, SyncPage) and window.sync.page.isVisible())
    page = window.sync.page
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.conflicts.model().rowCount() == 1, timeout=10000)
    page.activateWindow()
    page.setFocus()
    tab_to(qtbot, "Conflicts to settle")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(page.last_box, ConflictDialog) and page.last_box.isVisible())
    dialog = page.last_box
    assert isinstance(dialog, ConflictDialog)
    sides = {key: widget.text() for key, widget in dialog.sides.items()}  # type: ignore[attr-defined]
    assert sides == {"base": "Moderate", "mine": "Very high", "theirs": "Low"}
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Theirs (supervisor, " in shown and "Mine (liaison, " in shown  # who changed it, and when
    assert "time not recorded" not in shown
    assert unnamed(dialog) == [] and unnamed(page) == []  # every control has an accessible name
    assert window.sync.area.details.accessibleName() == "Open the Sync page"
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.keep_mine)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Keep &mine
    qtbot.waitUntil(lambda: page.conflicts.model().rowCount() == 0, timeout=10000)
    qtbot.keyClick(page, Qt.Key.Key_F5)  # sync from the page
    qtbot.waitUntil(lambda: any(r.ok for r in window.sync.runner.runs[:1]) and not window.sync.runner.running,
                    timeout=30000)
    wait_idle(qtbot)
    boss.sync()

    for store in (window.store, boss.store):
        assert store.repo.get(Case, agency.case_id).risk_level == RiskLevel.VERY_HIGH
        assert list_conflicts(store) == []
        assert "conflict" not in queries.sync_marks(store.db).values()
    qtbot.waitUntil(lambda: "⚠" not in case_list_reference(window), timeout=10000)
    qtbot.waitUntil(lambda: not view.sync_mark.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: "Very high risk" in view.subheader.text(), timeout=10000)
    assert "conflict" not in status_bar_text(window)


def test_a_narrative_conflict_reads_as_a_word_diff() -> None:
    pieces = word_diff("Mother attended the meeting on Monday.", "Mother and aunt attended the meeting on Tuesday.")
    assert [p for p in pieces if p.kind != SAME] == [
        type(pieces[0])(ADDED, " and aunt"),
        type(pieces[0])(REMOVED, "Monday."),
        type(pieces[0])(ADDED, "Tuesday."),
    ]
    shown = diff_html("a <b> plan", "a <b> safety plan")
    assert "&lt;b&gt;" in shown and "<u" in shown and "safety" in shown


def test_edit_then_keep_settles_a_text_conflict_with_a_new_value(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    from caseworker_app.domain import Person

    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    for device, text in ((mine, "Lives with maternal aunt"), (boss, "Lives with grandmother")):
        person = device.store.repo.get(Person, agency.caregiver_id)
        person.relationship = text
        device.store.repo.save(person)
    boss.sync()
    mine.sync()
    window = open_window(mine)
    window.sync.show_page()
    page = window.sync.page
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.conflicts.model().rowCount() == 1, timeout=10000)
    page.settle.click()
    qtbot.waitUntil(lambda: isinstance(page.last_box, ConflictDialog))
    dialog = page.last_box
    assert isinstance(dialog, ConflictDialog)
    dialog.edit.click()
    assert dialog.editor.isVisible() and dialog.editor.toPlainText() == "Lives with maternal aunt"
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "Lives with aunt and grandmother")
    dialog.keep_edited.click()
    qtbot.waitUntil(lambda: page.conflicts.model().rowCount() == 0, timeout=10000)
    qtbot.keyClick(page, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "All changes synced" in status_bar_text(window), timeout=30000)
    boss.sync()
    for store in (window.store, boss.store):
        assert store.repo.get(Person, agency.caregiver_id).relationship == "Lives with aunt and grandmother"
        assert list_conflicts(store) == []
