"""Where an export starts: Case → Export summary… (Ctrl+E) and the visit form's button.

Kept light: the dialog (and reportlab behind it) loads on first use, not at start-up.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from caseworker_app.i18n import _


def export_summary(open_cases: Any) -> None:
    """A visit summary from a visit form, a case history from a case file (see dialogs/export.py)."""
    from caseworker_app.ui.dialogs.export import export_from

    export_from(open_cases)


def visit_export_button(form: Any) -> QPushButton:
    """The visit form's "Export summary…": saves the draft, then opens the export of this visit."""
    button = QPushButton(_("E&xport summary…"))
    button.setAccessibleName(_("Export a summary of this visit"))

    def clicked() -> None:
        from caseworker_app.services.reports.handover import Report
        from caseworker_app.ui.dialogs.export import open_export_dialog

        form.save_then(lambda: setattr(form, "export_dialog", open_export_dialog(
            form.window(), form.store, Report.VISIT_SUMMARY, form.visit.id)))

    button.clicked.connect(clicked)
    return button
