"""The case table's filters and search as you type, over the real FTS index."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_kit import wait_idle

from caseworker_app.store import queries
from caseworker_app.ui.main_window import CASES, OPEN, MainWindow


def shown_column(window: MainWindow, column: int) -> list[str]:
    proxy = window.cases.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_filters_narrow_the_case_list_and_say_how_many(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CASES)
    cases = window.cases
    qtbot.waitUntil(lambda: cases.model.rowCount() > 0)
    total = cases.model.rowCount()
    cases.stage.setCurrentIndex(cases.stage.findData("ongoing"))
    stages = set(shown_column(window, 2))
    assert stages == {"Ongoing"}
    ongoing = cases.proxy.rowCount()
    assert 0 < ongoing < total
    assert cases.count.text() == f"{ongoing} of {total} cases"

    cases.risk.setCurrentIndex(cases.risk.findData("high"))
    assert set(shown_column(window, 3)) <= {"High"}
    cases.stage.setCurrentIndex(0)
    cases.risk.setCurrentIndex(0)
    school = cases.school.itemData(1)
    cases.school.setCurrentIndex(1)
    assert set(shown_column(window, 4)) == {school}

    cases.school.setCurrentIndex(0)
    cases.due_only.setChecked(True)
    due = cases.proxy.rowCount()
    assert 0 < due <= total
    assert all(text.endswith(("(due)", "(overdue)")) for text in shown_column(window, 6))
    # a deadline already past says so, as Today does
    overdue = [c for c in cases.model.cases if c.visit_due and c.next_visit_due and c.next_visit_due < date.today()]
    assert overdue and all(text.endswith("(overdue)") for c in overdue for text in [cases.model.data(
        cases.model.index(cases.model.cases.index(c), 6))])
    cases.due_only.setChecked(False)
    assert cases.proxy.rowCount() == total


def test_sorting_by_a_column_orders_by_its_value(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CASES)
    cases = window.cases
    qtbot.waitUntil(lambda: cases.model.rowCount() > 0)
    cases.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)
    counts = [int(t) for t in shown_column(window, 7)]
    assert counts == sorted(counts, reverse=True)


def test_search_as_you_type_highlights_and_opens_the_case(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CASES)
    cases = window.cases
    qtbot.waitUntil(lambda: cases.model.rowCount() > 0)
    family = cases.model.cases[0].family_name
    cases.focus_search()
    qtbot.keyClicks(cases.search, family[:4])
    qtbot.waitUntil(lambda: cases.last_page is not None and cases.last_page.text == family[:4], timeout=20000)
    wait_idle(qtbot)
    assert cases.views.currentWidget() is cases.results
    groups = cases.results_model.cases
    assert groups and any(g.family_name == family for g in groups)
    assert all("[" in h.snippet for g in groups for h in g.hits)  # the matching words are marked for the highlight
    cases.results.setFocus()
    cases.results.setCurrentIndex(cases.results.model().index(0, 0))
    qtbot.keyClick(cases.results, Qt.Key.Key_Return)
    wait_idle(qtbot)
    assert window.stack.currentIndex() == OPEN
    # clearing the box brings the table back
    window.go(CASES)
    cases.search.clear()
    assert cases.views.currentWidget() is cases.table


def test_a_large_result_says_it_is_capped(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CASES)
    cases = window.cases
    qtbot.keyClicks(cases.search, "the")
    qtbot.waitUntil(lambda: cases.last_page is not None and cases.last_page.text == "the", timeout=20000)
    page = cases.last_page
    assert page is not None
    assert page.total > len(page.hits) > 0  # "the" is in most notes: more than one page
    assert cases.count.text().startswith(f"First {len(page.hits)} of {page.total:,} matches")
    # the total is every match, not the page: the uncapped query finds as many
    assert page.total == len(queries.search(window.store.db, "the", limit=1_000_000))


def test_search_is_audited_once_typing_stops(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CASES)
    cases = window.cases
    before = len(window.store.repo.audit_events(action="search"))
    qtbot.keyClicks(cases.search, "school")
    qtbot.waitUntil(lambda: len(window.store.repo.audit_events(action="search")) > before, timeout=10000)
    events = window.store.repo.audit_events(action="search")
    assert len(events) == before + 1  # one audit for the settled search, not one per keystroke
    assert "school" not in str(events[-1]["detail"])


def test_snippet_runs_are_one_line_with_the_matches_marked() -> None:
    from caseworker_app.ui.widgets.highlight import segments

    assert segments("…the food [backpack]\n\nhome on [Fri]days") == [
        ("…the food ", False), ("backpack", True), (" home on ", False), ("Fri", True), ("days", False)]
