"""One conflict, settled side by side: base / mine / theirs with who changed it and when, a narrative
as a word diff, and Keep mine / Keep theirs / Edit then keep. Left for later, it stays listed."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import _
from caseworker_app.services.sync import settle_conflict
from caseworker_app.services.word_diff import ADDED, REMOVED, word_diff
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync import conflicts as conflict_service
from caseworker_app.sync.conflicts import Conflict
from caseworker_app.ui.background import Op
from caseworker_app.ui.models.sync_lists import record_field, shown, when
from caseworker_app.ui.widgets.table import heading

LONG_TEXT = 60  # longer text values are narratives: compared word by word


def side_html(other: str, text: str) -> str:
    """One side as it reads, the words the other side does not have underlined (readable without colour)."""
    parts = []
    for piece in word_diff(other, text):
        if piece.kind == REMOVED:
            continue
        escaped = html.escape(piece.text)
        parts.append(f'<u style="color:#006400">{escaped}</u>' if piece.kind == ADDED else escaped)
    return "".join(parts).replace("\n", "<br>")


def diff_html(old: str, new: str) -> str:
    """Removed words struck through, added words underlined: readable without colour too."""
    parts = []
    for piece in word_diff(old, new):
        text = html.escape(piece.text)
        if piece.kind == REMOVED:
            parts.append(f'<s style="color:#a40000">{text}</s>')
        elif piece.kind == ADDED:
            parts.append(f'<u style="color:#006400">{text}</u>')
        else:
            parts.append(text)
    return "".join(parts).replace("\n", "<br>")


def is_narrative(conflict: Conflict) -> bool:
    values = [v for v in (conflict.mine, conflict.theirs, conflict.base) if isinstance(v, str)]
    return bool(values) and (max(len(v) for v in values) > LONG_TEXT or any("\n" in v for v in values))


class ConflictDialog(QDialog):
    settled = Signal(object)  # the value kept

    def __init__(self, store: LocalStore, conflict: Conflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.store, self.conflict = store, conflict
        title = _("Settle a conflict: {field}").format(field=record_field(conflict.entity, conflict.field))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(820)
        intro = QLabel(
            _("{family} family: you and {other} both changed this field ({field}) while apart. Choose what it "
              "should be; the choice reaches the server and every device at the next sync.").format(
                family=conflict.family_name, other=conflict.their_side_author or _("someone"),
                field=record_field(conflict.entity, conflict.field))
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        columns = (
            (_("Before either change"), conflict.base, "base"),
            (_("Mine ({who}, {when})").format(who=conflict.my_side_author or _("this laptop"),
                                              when=when(conflict.my_side_at) or _("time not recorded")),
             conflict.mine, "mine"),
            (_("Theirs ({who}, {when})").format(who=conflict.their_side_author or _("the server"),
                                                when=when(conflict.their_side_at) or _("time not recorded")),
             conflict.theirs, "theirs"),
        )
        self.sides: dict[str, QWidget] = {}
        narrative = is_narrative(conflict)
        for column, (caption, value, key) in enumerate(columns):
            head = heading(caption)
            head.setWordWrap(True)
            grid.addWidget(head, 0, column, Qt.AlignmentFlag.AlignTop)
            box: QWidget
            if narrative:
                browser = QTextBrowser()
                # each side reads as written, with the words the other side lacks underlined
                written = str(value or "")
                if key == "base":
                    browser.setHtml(html.escape(written).replace("\n", "<br>"))
                else:
                    other = conflict.theirs if key == "mine" else conflict.mine
                    browser.setHtml(side_html(str(other or ""), written))
                browser.setMinimumHeight(150)
                box = browser
            else:
                text = QLabel(shown(value))
                text.setWordWrap(True)
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
                box = text
            box.setAccessibleName(caption)
            head.setBuddy(box)
            grid.addWidget(box, 1, column, Qt.AlignmentFlag.AlignTop if not narrative else Qt.AlignmentFlag(0))
            self.sides[key] = box
        self.editor = QPlainTextEdit(str(conflict.mine or ""))
        self.editor.setAccessibleName(_("Edited value"))
        self.editor.setVisible(False)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.keep_mine = QPushButton(_("Keep &mine"))
        self.keep_theirs = QPushButton(_("Keep &theirs"))
        self.edit = QPushButton(_("&Edit then keep…"))
        self.keep_edited = QPushButton(_("&Keep edited"))
        self.later = QPushButton(_("&Later"))
        for button, name in ((self.keep_mine, _("Keep mine")), (self.keep_theirs, _("Keep theirs")),
                             (self.edit, _("Edit then keep")), (self.keep_edited, _("Keep edited")),
                             (self.later, _("Leave for later"))):
            button.setAccessibleName(name)
            button.setAutoDefault(False)
        self.keep_edited.setVisible(False)
        self.edit.setEnabled(isinstance(conflict.mine, str) or conflict.mine is None)
        self.keep_mine.clicked.connect(lambda: self.settle("mine"))
        self.keep_theirs.clicked.connect(lambda: self.settle("theirs"))
        self.edit.clicked.connect(self.start_editing)
        self.keep_edited.clicked.connect(lambda: self.settle("mine", self.editor.toPlainText()))
        self.later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.keep_mine, self.keep_theirs, self.edit, self.keep_edited):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.later)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.editor)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.keep_mine.setFocus()

    def start_editing(self) -> None:
        self.editor.setVisible(True)
        self.keep_edited.setVisible(True)
        self.editor.setFocus()

    def settle(self, keep: conflict_service.Keep, value: Any = None) -> None:
        store, conflict = self.store, self.conflict
        for button in (self.keep_mine, self.keep_theirs, self.edit, self.keep_edited):
            button.setEnabled(False)
        Op(self, lambda: settle_conflict(store, conflict, keep, value), what=_("settling a conflict")).success(
            self._settled
        ).failure(self._failed).run()

    def _settled(self, kept: Any) -> None:
        self.settled.emit(kept)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        for button in (self.keep_mine, self.keep_theirs, self.edit, self.keep_edited):
            button.setEnabled(True)
        if isinstance(exc, CaseworkerError):
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        from caseworker_app.ui.errors import show_error

        show_error(self, exc, what=_("settling a conflict"))
