"""The window icon, drawn with QPainter like the installers draw theirs (no binary art in the repository)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

BLUE = QColor(31, 78, 121)
PAPER = QColor(250, 250, 247)
SIZES = (16, 32, 48, 64, 256)


def draw(size: int) -> QPixmap:
    """A blue rounded square holding a sheet of paper marked with a bold C (installers/tools/icons.py)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    unit = size / 512
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BLUE)
    painter.drawRoundedRect(QRectF(16 * unit, 16 * unit, 480 * unit, 480 * unit), 96 * unit, 96 * unit)
    painter.setBrush(PAPER)
    painter.drawRoundedRect(QRectF(128 * unit, 88 * unit, 256 * unit, 336 * unit), 24 * unit, 24 * unit)
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(1, round(260 * unit)))
    painter.setFont(font)
    painter.setPen(BLUE)
    painter.drawText(QRectF(0, 8 * unit, size, size), Qt.AlignmentFlag.AlignCenter, "C")
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(draw(size))
    return icon
