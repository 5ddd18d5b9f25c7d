"""What a mark means, shown never by colour alone: each meaning has its own icon, colour and words.

Overdue, due this month, draft, unsynced, error and the higher risk levels each get an icon
from the shipped set and a colour chosen for the light or the dark palette; the words
("3 days overdue", "Draft") stay in the text, so a colour-blind reader and a screen reader
get the meaning too.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QWidget

from caseworker_app.ui.icons import icon


@dataclass(frozen=True)
class Mark:
    icon: str  # a Lucide name (resources/icons/lucide)
    light: str  # colour on the light palette
    dark: str  # colour on the dark palette
    bold: bool = False


OVERDUE, DUE, DRAFT, UNSYNCED, ERROR, HIGH_RISK, DONE = (
    "overdue", "due", "draft", "unsynced", "error", "high_risk", "done")
MARKS: dict[str, Mark] = {
    OVERDUE: Mark("triangle-alert", "#b3261e", "#ff8a80", bold=True),
    DUE: Mark("clock", "#7a4f00", "#ffcc80"),
    DRAFT: Mark("pencil-line", "#5b3fa0", "#cdbdff", bold=True),
    UNSYNCED: Mark("cloud-upload", "#005f8f", "#8fcdff"),
    ERROR: Mark("circle-alert", "#b3261e", "#ff8a80", bold=True),
    HIGH_RISK: Mark("shield-alert", "#9c2a00", "#ffab91", bold=True),
    DONE: Mark("circle-check", "#1b6b2f", "#a5d6a7"),
}
RISK_MARKS = {"high": HIGH_RISK, "very_high": HIGH_RISK}


def dark_palette(palette: QPalette | None = None) -> bool:
    chosen = palette or QApplication.palette()
    return chosen.color(QPalette.ColorRole.Window).lightness() < 128


def colour(meaning: str) -> QColor:
    mark = MARKS[meaning]
    return QColor(mark.dark if dark_palette() else mark.light)


WARNING_SIGN = "\u26a0"  # drawn from the bundled font: no icon to render where start-up time counts


def text_style(meaning: str) -> str:
    """The style sheet for words that carry a meaning (its colour, bold where the mark is)."""
    weight = "bold" if MARKS[meaning].bold else "normal"
    return f"color: {colour(meaning).name()}; font-weight: {weight};"


def mark_icon(meaning: str) -> QIcon:
    return icon(MARKS[meaning].icon, colour(meaning))


class Notice(QWidget):
    """A line of text with its meaning's icon and colour (form errors, the unlock screen's message).

    Reads like a QLabel (`text()`, `setText()`); the icon hides with the text.
    """

    def __init__(self, meaning: str = ERROR, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meaning = meaning
        self.icon = QLabel()
        self.icon.setPixmap(mark_icon(meaning).pixmap(18, 18))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.label.setStyleSheet(text_style(meaning))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        self.setText("")

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.icon.setVisible(bool(text))

    def setWordWrap(self, on: bool) -> None:
        self.label.setWordWrap(on)
