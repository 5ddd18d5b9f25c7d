"""What a person reads on one screen, and whether each text fits its widget.

`read_screen(widget)` lists every visible label, button, group box title, tab, menu title and the
window title, each with the reason it is clipped (or None). `still_english(text, data)` says which
words of a pseudo-language screen were never translated, leaving out the caseload's own data.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenuBar,
    QPushButton,
    QTabBar,
    QWidget,
)

SLACK = 1  # a pixel of rounding between a hint and a laid-out size is not clipping


@dataclass
class Seen:
    kind: str  # the widget's class, as a reader of the report knows it
    text: str
    clipped: str | None  # why the text does not fit, or None
    where: str  # object names from the window down, to find the widget
    qt_standard: bool = False  # a standard button whose text is Qt's own (its catalog translates it)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _where(widget: QWidget) -> str:
    names: list[str] = []
    node: QWidget | None = widget
    while node is not None:
        names.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    return " > ".join(reversed(names[:5]))


def _elides_by_design(widget: QWidget, text: str) -> bool:
    """Elided on purpose, with the whole text a hover away."""
    return "…" in text and bool(widget.toolTip())


def label_clipped(label: QLabel) -> str | None:
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK:
            return f"wrapped text needs {needed}px of height, has {label.height()}px"
        return None
    hint = label.sizeHint()
    if hint.width() > label.width() + SLACK and not _elides_by_design(label, label.text()):
        return f"needs {hint.width()}px of width, has {label.width()}px"
    if hint.height() > label.height() + SLACK:
        return f"needs {hint.height()}px of height, has {label.height()}px"
    return None


def button_clipped(button: QAbstractButton) -> str | None:
    hint = button.sizeHint()
    if hint.width() > button.width() + SLACK and not _elides_by_design(button, button.text()):
        return f"needs {hint.width()}px of width, has {button.width()}px"
    if hint.height() > button.height() + SLACK:
        return f"needs {hint.height()}px of height, has {button.height()}px"
    return None


def group_clipped(box: QGroupBox) -> str | None:
    needed = box.fontMetrics().horizontalAdvance(box.title().replace("&", "")) + 16
    return f"title needs {needed}px, box is {box.width()}px" if needed > box.width() + SLACK else None


def _qt_standard(button: QAbstractButton) -> bool:
    box = button.parentWidget()
    return (isinstance(box, QDialogButtonBox) and isinstance(button, QPushButton)
            and box.standardButton(button) != QDialogButtonBox.StandardButton.NoButton)


def read_screen(screen: QWidget) -> list[Seen]:
    """Every text a person can read on `screen` (a window, page or dialog) and whether it fits."""
    seen: list[Seen] = [Seen("window title", screen.window().windowTitle(), None, "")]
    for widget in [screen, *screen.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        where = _where(widget)
        if isinstance(widget, QLabel) and widget.text():
            seen.append(Seen("QLabel", widget.text(), label_clipped(widget), where))
        elif isinstance(widget, QAbstractButton) and widget.text():
            seen.append(Seen(type(widget).__name__, widget.text(), button_clipped(widget), where,
                             qt_standard=_qt_standard(widget)))
        elif isinstance(widget, QGroupBox) and widget.title():
            seen.append(Seen("QGroupBox", widget.title(), group_clipped(widget), where))
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                rect, hint = widget.tabRect(i), widget.tabSizeHint(i)
                elided = rect.width() + SLACK < hint.width() and not widget.tabToolTip(i)
                why = f"tab needs {hint.width()}px, has {rect.width()}px" if elided else None
                seen.append(Seen("tab", widget.tabText(i), why, where))
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                if not action.isVisible() or not action.text():
                    continue
                area = widget.actionGeometry(action)
                hidden = area.isEmpty() or not widget.rect().contains(area)
                seen.append(Seen("menu title", action.text(), "pushed off the menu bar" if hidden else None, where))
    if isinstance(screen, QMainWindow):
        seen[0].where = "main window"
    return seen


# -- still English? ------------------------------------------------------------------------------

MARKUP = re.compile(r"<[^<>]*>|\{[^{}]*\}|%\([^)]*\)s")  # tags, and placeholders left unfilled
PATH_OR_ADDRESS = re.compile(r"\w+://\S+|\S*[/\\]\S*")
ENGLISH_RUN = re.compile(r"[A-Za-z]{3,}")
ACRONYM = re.compile(r"^[A-Z]{2,5}$")  # zone abbreviations (UTC, EST) and acronyms read alike in any language


def still_english(text: str, data: Iterable[str], allowed: frozenset[str]) -> list[str]:
    """The runs of three or more plain ASCII letters left once markup, the caseload's data,
    paths, addresses, allowed words (the product's name, dates written as in the US) are set aside."""
    rest = html.unescape(MARKUP.sub(" ", text)).replace("&", "")
    for value in data:  # longest first, so 'Ana Belén López' goes before 'López'
        if value in rest:
            rest = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", rest)
    rest = PATH_OR_ADDRESS.sub(" ", rest)
    return [run for run in ENGLISH_RUN.findall(rest) if run not in allowed and not ACRONYM.match(run)]
