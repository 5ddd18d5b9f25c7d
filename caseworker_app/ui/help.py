"""F1: the keyboard shortcuts, as a dialog with a search box.

The list is read from the window's own actions (every menu command with a shortcut, whoever
added it), plus the keys that belong to a place rather than a menu (Enter in a list,
Ctrl+PgDn in a case file, Ctrl+Enter in a dialog). So it cannot fall behind the menus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.i18n import N_, _

# Keys that work in one place, not through a menu command.
PLACE_KEYS = (
    (N_("Enter"), N_("Open the selected row")),
    (N_("Ctrl+PgDown / Ctrl+PgUp"), N_("Next / previous section of a case file")),
    ("Ctrl+Z", N_("Undo the last task change (in a case file's Tasks)")),
    (N_("Ctrl+Enter"), N_("Save a dialog from any field")),
    (N_("Esc"), N_("Close a dialog without saving")),
    (N_("Alt + underlined letter"), N_("Go to that field, button or section")),
)


def menu_shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what) for every action of the window's menus that has a shortcut, in menu order."""
    found: list[tuple[str, str]] = []
    seen: set[int] = set()
    for action in window.findChildren(QAction):
        keys = action.shortcut()
        if keys.isEmpty() or id(action) in seen or not action.text():
            continue
        seen.add(id(action))
        found.append((keys.toString(QKeySequence.SequenceFormat.NativeText), action.text().replace("&", "")))
    return found


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None, shortcuts: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.setAccessibleName(_("Keyboard shortcuts"))
        self.resize(560, 520)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Type to find a command or a key…"))
        self.search.setAccessibleName(_("Find a shortcut"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        caption = QLabel(_("&Find:"))
        caption.setBuddy(self.search)
        self.list = QTreeWidget()
        self.list.setAccessibleName(_("Keyboard shortcuts"))
        self.list.setHeaderLabels([_("Keys"), _("Command")])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for keys, what in shortcuts:
            self.list.addTopLevelItem(QTreeWidgetItem([keys, what]))
        self.none = QLabel("")
        self.none.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(_("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.none)
        layout.addWidget(buttons)
        self.search.setFocus()

    def items(self) -> list[QTreeWidgetItem]:
        return [item for i in range(self.list.topLevelItemCount()) if (item := self.list.topLevelItem(i))]

    def shown(self) -> list[tuple[str, str]]:
        return [(item.text(0), item.text(1)) for item in self.items() if not item.isHidden()]

    def filter(self, text: str) -> None:
        words = text.lower().split()
        for item in self.items():
            haystack = f"{item.text(0)} {item.text(1)}".lower()
            item.setHidden(not all(word in haystack for word in words))
        empty = bool(words) and not self.shown()
        self.none.setText(_("No command or key matches \u201c{text}\u201d.").format(text=text.strip()) if empty else "")
        self.none.setVisible(empty)


def show_shortcuts(window: QWidget) -> ShortcutsDialog:
    shortcuts = menu_shortcuts(window) + [(_(keys), _(what)) for keys, what in PLACE_KEYS]
    dialog = ShortcutsDialog(window, shortcuts)
    dialog.open()
    return dialog
