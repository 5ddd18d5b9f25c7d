"""The status bar tells the truth about sync: never 'All changes synced' on a profile with no agency,
nor on one with a conflict and a refused change (issue 18). Uses only what the window had before."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sync_ui_kit import Agency, agency, laptop, open_window  # noqa: F401  (fixtures)

from caseworker_app.domain import Case, Note
from caseworker_app.domain.vocabulary import RiskLevel
from caseworker_app.ui.main_window import MainWindow

NOWHERE = "00000000-0000-4000-8000-000000000000"


def status_bar_text(window: MainWindow) -> str:
    """Everything the status bar shows, as a person reads it."""
    return " ".join(label.text() for label in window.statusBar().findChildren(QLabel) if label.isVisible())


def set_risk(store, case_id: str, risk: RiskLevel) -> None:  # type: ignore[no-untyped-def]
    case = store.repo.get(Case, case_id)
    case.risk_level = risk
    store.repo.save(case)


def refused_note(store, case_id: str) -> None:  # type: ignore[no-untyped-def]
    """A note the server refuses: it is an addendum to a note the server never had."""
    store.repo.save(Note(case_id=case_id, author="liaison", narrative="Correction: the visit was on Tuesday.",
                         written_at=datetime(2026, 11, 2, 15, 0, tzinfo=UTC), addendum_to=NOWHERE))


def test_a_demo_never_connected_to_an_agency_does_not_claim_to_be_synced(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: status_bar_text(window).strip() != "" and "Reading" not in status_bar_text(window))
    shown = status_bar_text(window)
    assert "All changes synced" not in shown
    assert "Not connected to an agency" in shown


def test_an_enrolled_profile_with_a_conflict_and_a_refused_change_says_both(
    qtbot: QtBot, agency: Agency, laptop, open_window  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    set_risk(mine.store, agency.case_id, RiskLevel.VERY_HIGH)
    set_risk(boss.store, agency.case_id, RiskLevel.LOW)
    boss.sync()
    assert mine.sync().results == {"conflict": 1}
    refused_note(mine.store, agency.case_id)
    assert mine.sync().results == {"rejected": 1}

    window = open_window(mine)
    qtbot.waitUntil(lambda: status_bar_text(window).strip() != "" and "Reading" not in status_bar_text(window))
    assert "All changes synced" not in status_bar_text(window)
    # (an automatic sync may be under way as the window opens: the status after it says the same)
    qtbot.waitUntil(lambda: "1 conflict to settle" in status_bar_text(window)
                    and "1 refused" in status_bar_text(window), timeout=30000)
    assert "All changes synced" not in status_bar_text(window)
    assert "Synced just now" in status_bar_text(window)  # the last successful sync is always visible
