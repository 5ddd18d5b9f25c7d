"""Every screen current: a write from anywhere (a form's autosave, a background operation) reaches the open views."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_kit import current_form, open_first_case, wait_idle

from caseworker_app.services import tasks
from caseworker_app.ui.background import Op
from caseworker_app.ui.case_file.view import CaseFileView
from caseworker_app.ui.main_window import OPEN, TODAY, MainWindow
from caseworker_app.ui.visit_form import VisitForm


def timeline_texts(view: CaseFileView) -> list[str]:
    tree = view.contacts.timeline
    return [tree.topLevelItem(i).text(4) for i in range(tree.topLevelItemCount())]


def table_texts(table: Any) -> list[str]:
    model = table.model()
    return [str(model.index(r, c).data()) for r in range(model.rowCount()) for c in range(model.columnCount())]


def count_fills(tab: Any) -> list[int]:
    """How many times a tab re-filled itself (it re-fills only when what it shows changed)."""
    fills = [0]
    fill = tab.fill

    def counted(file: Any) -> None:
        fills[0] += 1
        fill(file)

    tab.fill = counted
    return fills


def test_an_autosave_updates_the_open_case_files_contacts_timeline(qtbot: QtBot, window: MainWindow) -> None:
    view = open_first_case(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N: a visit in this case
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    form = current_form(window)
    form.narrative.setFocus()
    qtbot.keyClicks(form.narrative, "Zebra crossing by the school was repaired")
    qtbot.keyClick(form.narrative, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S, as autosave does
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: any("Zebra crossing" in t for t in timeline_texts(view)), timeout=10000)


def test_a_background_write_updates_an_open_case_file_and_today(qtbot: QtBot, window: MainWindow) -> None:
    view = open_first_case(qtbot, window)
    window.go(OPEN)
    contacts_fills, tasks_fills = count_fills(view.contacts), count_fills(view.tasks)
    store, case_id = window.store, view.case_id

    # A write made outside the case file, as a background job or a sync would make it.
    Op(None, lambda: tasks.add_task(store, case_id, "Collect the 504 plan forms", date.today())).run()
    qtbot.waitUntil(lambda: "Collect the 504 plan forms" in table_texts(view.tasks.table), timeout=10000)
    wait_idle(qtbot)
    assert tasks_fills[0] >= 1
    assert contacts_fills[0] == 0  # a task changed: the timeline is not read and drawn again

    window.go(TODAY)
    wait_idle(qtbot)
    Op(None, lambda: tasks.add_task(store, case_id, "Phone the bus depot", date.today())).run()
    qtbot.waitUntil(lambda: "Phone the bus depot" in table_texts(window.today.tasks), timeout=10000)
    # the case list, hidden meanwhile, shows the new open tasks once it is shown
    window.go(1)
    wait_idle(qtbot)
    row = next(c for c in window.cases.model.cases if c.id == case_id)
    assert row.open_tasks >= 2


def test_an_audited_export_shows_in_the_open_case_history(qtbot: QtBot, window: MainWindow) -> None:
    view = open_first_case(qtbot, window)
    wait_idle(qtbot)
    before = view.history.table.rows_model.rowCount()
    store, case_id = window.store, view.case_id
    # An export writes only an audit event: no record changes, yet History must show it.
    Op(None, lambda: store.repo.audit("export", case_id=case_id, entity="Case", row_id=case_id)).run()
    qtbot.waitUntil(lambda: view.history.table.rows_model.rowCount() == before + 1, timeout=10000)
    wait_idle(qtbot)
    assert view.history.table.rows_model.rowCount() == before + 1  # read once, no loop of re-reads
