"""Help → Check for updates: asks the agency's signed feed, in the network lane (never the store's queue)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.ui.background import NETWORK, Op

if TYPE_CHECKING:
    from caseworker_app.services.updates import UpdateCheck

TITLE = N_("Check for updates")


def check_updates(parent: QWidget, cache_dir: Path | None = None) -> None:
    from caseworker_app import paths
    from caseworker_app.services.updates import check_for_update
    from caseworker_app.settings import Settings

    cache = cache_dir or paths.data_root() / "updates"
    Op(parent, lambda: check_for_update(Settings(), cache), what="checking for updates", lane=NETWORK).success(
        lambda check: show_result(parent, check)
    ).failure(lambda exc: show_failure(parent, exc)).run()


def show_failure(parent: QWidget, exc: BaseException) -> QMessageBox:
    """The usual error dialog, titled for what was asked (not "Something went wrong")."""
    from caseworker_app.ui.errors import show_error

    box = show_error(parent, exc, what="checking for updates")
    box.setWindowTitle(_(TITLE))
    box.setAccessibleName(_(TITLE))
    return box


def show_result(parent: QWidget, check: UpdateCheck) -> QMessageBox:
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowTitle(_(TITLE))
    box.setAccessibleName(_(TITLE))
    box.setIcon(QMessageBox.Icon.Information)
    if check.offer is None:
        box.setText(check.reason)
    else:
        box.setText(
            _("Caseworker {version} is available. Its installer passed the feed's signature checks "
              "and is saved here; install it with your system's installer, or ask IT.").format(
                version=check.offer.version)
        )
        box.setInformativeText(str(check.offer.installer))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
