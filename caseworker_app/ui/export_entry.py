"""Where an export starts: Case → Export summary… (Ctrl+E) and the visit form's button.

Kept light: the dialog (and reportlab behind it) loads on first use, not at start-up.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from caseworker_app.i18n import _


def export_summary(open_cases: Any) -> None:
    """Case → Export summary… (Ctrl+E): a visit summary from a visit form, a case history from a case file.

    A visit form saves its draft first, so the summary shows what is on screen.
    """
    from caseworker_app.services.reports.handover import Report
    from caseworker_app.ui.dialogs.export import open_export_dialog

    def remember(dialog: QDialog) -> None:
        open_cases.last_dialog = dialog  # tests and the screenshot tour find it here

    widget = open_cases.tabs.currentWidget()
    visit = getattr(widget, "visit", None)
    if visit is not None and hasattr(widget, "store_then"):
        widget.store_then(lambda: remember(open_export_dialog(
            open_cases.window(), open_cases.store, Report.VISIT_SUMMARY, visit.id)))
        return
    case_id = open_cases.current_case_id()
    if case_id is None:
        box = QMessageBox(QMessageBox.Icon.Information, _("Export summary"), _(
            "Open a case or a visit first: a visit exports its visit summary, a case file its case history."),
            QMessageBox.StandardButton.Ok, open_cases.window())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName(_("Export summary"))
        box.open()
        return
    remember(open_export_dialog(open_cases.window(), open_cases.store, Report.CASE_HISTORY, case_id))


def visit_export_button(form: Any) -> QPushButton:
    """The visit form's "Export summary…": saves the draft, then opens the export of this visit."""
    button = QPushButton(_("E&xport summary…"))
    button.setAccessibleName(_("Export a summary of this visit"))

    def clicked() -> None:
        from caseworker_app.services.reports.handover import Report
        from caseworker_app.ui.dialogs.export import open_export_dialog

        form.store_then(lambda: setattr(form, "export_dialog", open_export_dialog(
            form.window(), form.store, Report.VISIT_SUMMARY, form.visit.id)))

    button.clicked.connect(clicked)
    return button
