"""Where this app's log file is, for a notice's details and Help > Show log folder."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from caseworker_app.i18n import _


def log_file() -> Path | None:
    """The file the app logs to (set up by the entry point), or None while it logs to the terminal."""
    for handler in logging.getLogger().handlers:
        name = getattr(handler, "baseFilename", None)
        if isinstance(handler, logging.FileHandler) and name and name != os.devnull:
            return Path(name)
    return None


def log_place() -> str:
    """A sentence saying where the log is, for details a person can send to IT."""
    found = log_file()
    if found is None:
        return _("This session writes its log to the terminal it was started from, not to a file.")
    return _("The log file is {path}").format(path=found)


def show_log_folder(parent: QWidget | None) -> QMessageBox | None:
    """Open the log's folder in the file manager; say where it is when that cannot be done."""
    found = log_file()
    if found is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(found.parent))):
        return None
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowTitle(_("Log folder"))
    box.setAccessibleName(_("Log folder"))
    box.setText(log_place())
    box.open()
    return box
