"""A rendered PDF page shown as a picture: the export dialog's preview of the first page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from caseworker_app.i18n import _
from caseworker_app.services.reports.handover import PageImage


class PagePreview(QLabel):
    """Shows one page scaled to its width; says in words when there is nothing to show yet."""

    def __init__(self, width: int = 300, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page_width = width
        self.setFixedWidth(width + 4)
        self.setMinimumHeight(int(width * 11 / 8.5) + 4)  # a US Letter page
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWordWrap(True)
        self.setAccessibleName(_("Preview of the first page"))
        self.image: QImage | None = None
        self.show_message(_("Preparing the preview…"))

    def show_message(self, text: str) -> None:
        self.image = None
        self.setPixmap(QPixmap())
        self.setText(text)
        self.setAccessibleDescription(text)

    def show_page(self, page: PageImage) -> None:
        # copy(): the QImage must own its pixels, the bytes object is not kept alive by Qt.
        image = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB32).copy()
        self.image = image
        self.setText("")
        self.setPixmap(
            QPixmap.fromImage(image).scaledToWidth(self.page_width, Qt.TransformationMode.SmoothTransformation)
        )
        self.setAccessibleDescription(_("The first page of the PDF as it will be saved."))
