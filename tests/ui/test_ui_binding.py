"""The Qt binding keeps None alive: an empty QVariant handed back to Python must not drop a reference to None.

PySide6 6.12.0 did (and aborted the interpreter after a few thousand calls); pyproject excludes it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot


def test_empty_item_data_keeps_none_alive(qtbot: QtBot) -> None:
    item = QStandardItem("x")
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("Any stage", None)
    before = sys.getrefcount(None)
    for _ in range(200):
        assert item.data(Qt.ItemDataRole.UserRole + 5) is None
        assert combo.currentData() is None
    assert sys.getrefcount(None) >= before - 5
