"""Search in the window groups hits by case: the demo's two Sánchez families are two rows that can be
told apart (reference, school, stage), each with its hits beneath it."""

from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_kit import wait_idle

from caseworker_app.services.caseload import case_rows
from caseworker_app.ui.main_window import CASES, OPEN, MainWindow
from caseworker_app.ui.models.search_results import FAMILY, MATCH, REFERENCE, SCHOOL, STAGE


def cell(window: MainWindow, row: int, column: int, parent: QModelIndex | None = None) -> str:
    model = window.cases.results_model
    return str(model.index(row, column, parent or QModelIndex()).data() or "")


def test_two_families_of_one_name_are_two_case_rows_with_their_hits_beneath(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.go(CASES)
    wait_idle(qtbot)
    rows = case_rows(window.store, date.today())
    names = Counter(c.family_name for c in rows)
    name, count = names.most_common(1)[0]
    assert count >= 2  # the demo has families that share a name (two Sánchez, two Lewandowska)
    sanchez = {c.reference: c for c in rows if c.family_name == name}

    window.cases.focus_search()
    qtbot.keyClicks(window.cases.search, name)
    qtbot.waitUntil(lambda: window.cases.last_page is not None and window.cases.last_page.text == name,
                    timeout=20000)
    wait_idle(qtbot)
    model = window.cases.results_model
    page = window.cases.last_page
    assert page is not None and len(page.hits) > 2

    # One top-level row per case, each saying which family it is.
    shown = {cell(window, r, REFERENCE): r for r in range(model.rowCount())}
    assert set(sanchez) <= set(shown)
    assert model.rowCount() == len({h.case_id for h in page.hits})
    for reference, case in sanchez.items():
        row = shown[reference]
        assert cell(window, row, FAMILY) == name
        assert cell(window, row, SCHOOL) == case.school and case.school
        assert cell(window, row, STAGE).lower() == case.stage.replace("_", " ")
        parent = model.index(row, FAMILY)
        assert model.rowCount(parent) >= 1
        assert cell(window, row, MATCH).startswith(f"{model.rowCount(parent)} match")
        # the hits sit under their own case, found in a person, a note, a visit or the case itself
        for hit in range(model.rowCount(parent)):
            assert cell(window, hit, FAMILY, parent) in {"Case", "Person", "Visit", "Note"}
            assert "[" in cell(window, hit, MATCH, parent)
    assert sum(model.rowCount(model.index(r, FAMILY)) for r in range(model.rowCount())) == len(page.hits)
    assert "in 2 cases" in window.cases.count.text() or f"in {model.rowCount()} cases" in window.cases.count.text()

    # Keyboard: Down from the box onto the first case, down onto its first hit, Enter opens that case.
    window.activateWindow()
    window.cases.search.setFocus()
    qtbot.keyClick(window.cases.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is window.cases.results
    first_case = model.index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    qtbot.keyClick(window.cases.results, Qt.Key.Key_Down)
    assert window.cases.results.currentIndex().parent().isValid()  # on a hit now
    qtbot.keyClick(window.cases.results, Qt.Key.Key_Return)
    wait_idle(qtbot)
    assert window.stack.currentIndex() == OPEN
    view = window.open_cases.case_views()[0]
    assert view.case_id == first_case
