"""The shipped Lucide icons (resources/icons/lucide), painted in the palette's text colour.

Lucide draws with `currentColor`; QtSvg would paint that black, unreadable on the dark
palette, so the colour is filled in before rendering. Icons are cached per name and colour.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from caseworker_app.resources import resource

SIZES = (16, 20, 24, 32, 48)


def icon_path(name: str) -> str:
    return str(resource("icons", "lucide", f"{name}.svg"))


@cache
def _svg(name: str) -> str:
    with open(icon_path(name), encoding="utf-8") as file:
        return file.read()


@cache
def _icon(name: str, colour: str) -> QIcon:
    from PySide6.QtSvg import QSvgRenderer  # loaded at the first icon, not at import (~40 ms)

    renderer = QSvgRenderer(QByteArray(_svg(name).replace("currentColor", colour).encode()))
    result = QIcon()
    for size in SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """A shipped icon by its Lucide name, in `colour` (the palette's text colour when None)."""
    chosen = colour or QApplication.palette().color(QPalette.ColorRole.WindowText)
    return _icon(name, chosen.name())
