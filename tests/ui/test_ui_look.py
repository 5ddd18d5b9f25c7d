"""The look: meaning never by colour alone, side pane and toolbar with icons, empty states, Today at 1280x800,
F1 searchable, plural wording, the worker's full name, the month picker, and the dark palette."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDateEdit, QToolButton
from pytestqt.qtbot import QtBot
from ui_kit import open_first_case, wait_idle

from caseworker_app.demo.profile import DEMO_WORKER_NAME
from caseworker_app.domain.entities import AttendanceRecord
from caseworker_app.ui import marks
from caseworker_app.ui.help import ShortcutsDialog
from caseworker_app.ui.main_window import TODAY, MainWindow
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.unlock import UnlockScreen
from caseworker_app.ui.widgets.table import RowTable


def test_overdue_and_draft_carry_an_icon_and_words_not_only_a_colour(qtbot: QtBot, window: MainWindow) -> None:
    window.go(TODAY)
    due = window.today.children_due
    qtbot.waitUntil(lambda: due.rows_model.rowCount() > 0, timeout=10000)
    model = due.rows_model
    for row in range(model.rowCount()):
        cell = model.item(row, 1)
        assert not cell.icon().isNull()  # a sign beside the colour
        assert "overdue" in cell.text() or cell.text() == "this month"  # and the words
    overdue = [model.item(r, 1) for r in range(model.rowCount()) if "overdue" in model.item(r, 1).text()]
    link = QApplication.palette().color(QPalette.ColorRole.Link)
    assert overdue and all(c.foreground().color() != link for c in overdue)  # no longer the link blue
    assert overdue[0].font().bold()


def test_a_form_error_shows_an_icon_and_its_own_colour(qtbot: QtBot, window: MainWindow) -> None:
    view = open_first_case(qtbot, window)
    view.tabs.setCurrentWidget(view.attendance)
    view.attendance.record_attendance.emit()
    dialog = window.open_cases.last_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.show_problem("This case has no children.")  # type: ignore[attr-defined]
    error = dialog.error  # type: ignore[attr-defined]
    assert error.icon.isVisible() and error.icon.pixmap() is not None and not error.icon.pixmap().isNull()
    assert "palette(link)" not in error.label.styleSheet()
    dialog.reject()


def test_side_pane_and_toolbar_have_icons_and_names(window: MainWindow) -> None:
    nav = window.nav
    assert [nav.item(i).text() for i in range(nav.count())][:3] == ["Today", "Cases", "Open cases"]
    assert all(not nav.item(i).icon().isNull() for i in range(nav.count()))
    buttons = [b for b in window.toolbar.findChildren(QToolButton) if b.defaultAction() in window.toolbar.actions()]
    assert len(buttons) >= 5
    assert all(b.accessibleName() and not b.defaultAction().icon().isNull() for b in buttons)
    assert "Ctrl+N" in window.new_visit_action.toolTip()


def test_an_empty_list_says_what_to_do(qtbot: QtBot) -> None:
    table = RowTable(["Family", "Reference", "Opened"], "Recently opened cases")
    qtbot.addWidget(table)
    table.set_empty_text("No case opened recently. Find one in Cases (Ctrl+2) and press Enter.")
    table.set_rows([])
    assert "No case opened recently" in table.accessibleDescription()
    table.resize(400, 200)
    table.show()
    image = table.viewport().grab().toImage()
    background = image.pixelColor(2, image.height() - 3)
    assert any(image.pixelColor(x, y) != background for x in range(0, image.width(), 2) for y in range(10, 40))
    table.set_rows([Row(["Silva", "CW-1", "today"])])
    assert table.accessibleDescription() == ""


def test_todays_grids_fit_without_clipping_at_1280_by_800(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1280, 800)
    window.go(TODAY)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: window.today.children_due.rows_model.rowCount() > 0, timeout=10000)
    QApplication.processEvents()
    for table in (window.today.children_due, window.today.tasks, window.today.drafts, window.today.recent):
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width() + 1, table.accessibleName()
        assert table.horizontalScrollBar().maximum() == 0, table.accessibleName()


def test_f1_is_a_searchable_dialog_of_every_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = next(w for w in window.findChildren(ShortcutsDialog) if w.isVisible())
    everything = dialog.shown()
    assert {"Ctrl+N", "Ctrl+T", "Ctrl+Shift+A", "Ctrl+R", "F1"} <= {keys for keys, _w in everything}
    qtbot.keyClicks(dialog.search, "task")
    shown = dialog.shown()
    assert shown and len(shown) < len(everything)
    assert all("task" in f"{keys} {what}".lower() for keys, what in shown)
    qtbot.keyClicks(dialog.search, "zzz")
    assert dialog.shown() == [] and "No command or key matches" in dialog.none.text()
    dialog.reject()


def test_one_change_is_worded_as_one() -> None:
    from caseworker_app.services.sync_status import SyncStatus

    def waiting(n: int) -> str:
        return SyncStatus(True, "https://agency.example", n, 0, 0, "2026-12-01T10:00:00+00:00", None, None).headline()

    assert waiting(1) == "1 change waiting to sync"
    assert waiting(1200) == "1,200 changes waiting to sync"


def test_title_and_next_unlock_greet_the_worker_by_full_name(
    qtbot: QtBot, window: MainWindow, demo_home: Path
) -> None:
    qtbot.waitUntil(lambda: DEMO_WORKER_NAME in window.windowTitle(), timeout=10000)
    screen = UnlockScreen(demo_home)
    qtbot.addWidget(screen)
    assert screen.worker.text() == f"{DEMO_WORKER_NAME} (liaison)"


def test_attendance_month_is_picked_not_typed(qtbot: QtBot, window: MainWindow) -> None:
    view = open_first_case(qtbot, window)
    view.tabs.setCurrentWidget(view.attendance)
    view.attendance.record_attendance.emit()
    dialog = window.open_cases.last_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    picker = dialog.period  # type: ignore[attr-defined]
    assert isinstance(picker, QDateEdit)
    picker.setFocus()
    picker.setCurrentSection(QDateEdit.Section.MonthSection)
    qtbot.keyClick(picker, Qt.Key.Key_Down)  # the month before this one, with the keyboard
    expected = QDate.currentDate().addMonths(-1)
    period = f"{expected.year():04d}-{expected.month():02d}"
    assert picker.text() == expected.toString("MMMM yyyy")
    child_id = dialog.child.currentData()  # type: ignore[attr-defined]
    qtbot.keyClick(picker, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(r.period == period and r.child_id == child_id
                                for r in window.store.repo.for_case(AttendanceRecord, view.case_id)), timeout=10000)


@pytest.fixture
def dark_palette(qapp: QApplication) -> Iterator[None]:
    before = QApplication.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    QApplication.setPalette(dark)
    yield
    QApplication.setPalette(before)


@pytest.mark.usefixtures("dark_palette")
def test_marks_and_icons_stay_readable_on_the_dark_palette() -> None:
    assert marks.dark_palette()
    for meaning in marks.MARKS:
        assert marks.colour(meaning).lightness() > 128, meaning  # light on dark
    image = marks.mark_icon(marks.OVERDUE).pixmap(24, 24).toImage()
    painted = [image.pixelColor(x, y) for x in range(24) for y in range(24) if image.pixelColor(x, y).alpha() > 200]
    assert painted and max(c.lightness() for c in painted) > 128
