"""F1: a short page of the keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

SHORTCUTS = (
    ("Ctrl+N", "New visit in the open case"),
    ("Ctrl+S", "Save the open form now (forms also save by themselves)"),
    ("Ctrl+W", "Close the current case or visit tab"),
    ("Ctrl+Tab / Ctrl+Shift+Tab", "Next / previous open case"),
    ("Ctrl+F", "Search cases, names, visits and notes"),
    ("Ctrl+1 / Ctrl+2 / Ctrl+3", "Today / Cases / Open cases"),
    ("Enter", "Open the selected row"),
    ("F5", "Sync now"),
    ("Ctrl+R", "Refresh the lists"),
    ("F1", "This page"),
    ("Ctrl+Q", "Quit (open drafts are saved first)"),
)


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{what}</td></tr>" for keys, what in SHORTCUTS)
    return f"<h3>Keyboard shortcuts</h3><table>{rows}</table>"


def show_shortcuts(parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowTitle("Keyboard shortcuts")
    box.setAccessibleName("Keyboard shortcuts")
    box.setText(shortcuts_html())
    box.open()
    return box
