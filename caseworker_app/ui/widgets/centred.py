"""A fixed-width column in the middle of a screen (unlock, first run), a little above centre."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget


def centre(screen: QWidget, column: QWidget) -> None:
    # Stretches, not an alignment flag: an aligned widget gets its size hint and the
    # wrapped notices would lose their second line.
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(column)
    row.addStretch(1)
    outer = QVBoxLayout(screen)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
