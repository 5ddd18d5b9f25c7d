"""Help > About: version, build, profile folder, log folder, and the server this profile syncs with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op


@dataclass(frozen=True)
class AboutFacts:
    version: str
    build: str
    profile_folder: str
    log_folder: str
    server: str


def about_facts(store: LocalStore, log_folder: Path) -> AboutFacts:
    """Read on a worker: the build revision may ask git, the server comes from the store."""
    from caseworker_app import __version__
    from caseworker_app.buildinfo import git_revision
    from caseworker_app.sync.state import SyncState

    server = SyncState.load(store).server_url
    return AboutFacts(
        __version__,
        git_revision(),
        str(store.profile.home),
        str(log_folder),
        server or _("Not connected to an agency"),
    )


class AboutDialog(QDialog):
    def __init__(self, store: LocalStore, log_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Caseworker"))
        self.setAccessibleName(_("About Caseworker"))
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in (
            ("version", _("Version:")),
            ("build", _("Build:")),
            ("profile_folder", _("Profile folder:")),
            ("log_folder", _("Log folder:")),
            ("server", _("Server:")),
        ):
            value = QLabel("…")
            value.setAccessibleName(label.rstrip(":"))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            form.addRow(label, value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel(_("Caseworker"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 260)
        Op(self, lambda: about_facts(store, log_folder), what="reading the version").success(self.show_facts).run()

    def show_facts(self, facts: AboutFacts) -> None:
        for key, value in vars(facts).items():
            self.fields[key].setText(str(value))
