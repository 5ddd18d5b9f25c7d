"""A small form dialog: labelled fields, Save/Cancel, the work done off the GUI thread, errors shown inline.

A typed error (a rule the input breaks) stays in the dialog beside the form, so nothing
typed is lost; anything unexpected gets the usual dialog with Details.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import _
from caseworker_app.ui.background import Op
from caseworker_app.ui.marks import ERROR, Notice


class FormDialog(QDialog):
    completed = Signal(object)  # what the use case returned

    def __init__(self, parent: QWidget | None, title: str, *, submit: str | None = None) -> None:
        super().__init__(parent)
        # Freed once done: the window keeps every dialog ever opened under it otherwise.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)
        self.form = QFormLayout()
        self.error = Notice(ERROR)  # an icon and a colour of its own, never the link colour
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        submit = submit or _("&Save")
        save.setText(submit)
        save.setAccessibleName(submit.replace("&", ""))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        # Ctrl+Enter saves from any field, a multi-line one too, where Enter starts a new line.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            accept = QShortcut(QKeySequence(keys), self)
            accept.setContext(Qt.ShortcutContext.WindowShortcut)  # the dialog is its own window
            accept.activated.connect(self._accept_key)
        save.setToolTip(_("Save (Ctrl+Enter)"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def add_row(self, caption: str, widget: QWidget, name: str | None = None) -> QWidget:
        label = QLabel(caption)
        label.setBuddy(widget)
        widget.setAccessibleName(name or caption.replace("&", "").rstrip(":"))
        self.form.addRow(label, widget)
        return widget

    def _accept_key(self) -> None:
        if self.buttons.isEnabled():  # not while a save is under way
            self.submit()

    def work(self) -> Callable[[], Any] | None:
        """The use case call to run, or None with self.error set when the form is not ready."""
        raise NotImplementedError

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def submit(self) -> None:
        self.error.setVisible(False)
        fn = self.work()
        if fn is None:
            return
        self.buttons.setEnabled(False)
        Op(self, fn, what=self.windowTitle()).success(self._succeeded).failure(self._failed).after(
            lambda: self.buttons.setEnabled(True)
        ).run()

    def _succeeded(self, result: Any) -> None:
        self.completed.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CaseworkerError):
            self.show_problem(str(exc))
            return
        from caseworker_app.ui.errors import show_error

        show_error(self, exc, what=self.windowTitle())
