"""Errors as a person reads them: typed core errors in plain words, anything else with Details and a log entry.

Dialogs open window-modal without blocking (``open()``), so no screen ever sits in a nested loop.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from caseworker_app.domain.errors import CaseworkerError, FinalizedNoteError, ValidationError
from caseworker_app.i18n import _
from caseworker_app.store.errors import LockedOut, ProfileError, RecordNotFound, StoreCorrupt, WrongPassphrase

log = logging.getLogger(__name__)


def title_for(exc: BaseException) -> str:
    if isinstance(exc, StoreCorrupt):
        return _("This profile is damaged")
    if isinstance(exc, WrongPassphrase | LockedOut):
        return _("Cannot unlock")
    if isinstance(exc, ProfileError):
        return _("Cannot open this profile")
    if isinstance(exc, ValidationError):
        return _("Please check the form")
    if isinstance(exc, FinalizedNoteError):
        return _("This note is finalized")
    if isinstance(exc, RecordNotFound):
        return _("Record not found")
    return _("Something went wrong")


def technical_details(exc: BaseException) -> str:
    """Where it failed: the exception type and each frame's file, line and function.

    Never the exception's message or the source lines, which may quote case data.
    """
    frames = "\n".join(f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__))
    return f"{type(exc).__module__}.{type(exc).__name__}\n{frames}"


def show_error(parent: QWidget | None, exc: BaseException, *, what: str = "") -> QMessageBox:
    """A dialog for one failure; returns it (already open) so callers and tests can see it."""
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowTitle(title_for(exc))
    box.setAccessibleName(title_for(exc))
    if isinstance(exc, CaseworkerError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(str(exc))
    else:
        log.error("Unexpected error during %s: %s", what or "an operation", technical_details(exc))
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(
            _("Something unexpected went wrong and this action did not finish. "
              "Your saved work is safe. If it happens again, send the log file to IT.")
        )
        box.setDetailedText(f"While: {what or 'an operation'}\n{technical_details(exc)}")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
