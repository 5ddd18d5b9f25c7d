"""Settings: every setting from settings.py with its description; those IT decides are shown, not changed.
Change passphrase: old, new, confirm, a strength meter, and progress while the key is re-wrapped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.i18n import _
from caseworker_app.services.app_settings import SettingRow
from caseworker_app.ui.background import Op
from caseworker_app.ui.first_run import StrengthMeter, line_edit, notice

STRENGTH_DELAY_MS = 150


def _labels() -> dict[str, str]:
    return {
        "allow_passphrase_only": _("Passphrase-only profiles"),
        "max_free_unlock_attempts": _("Free unlock attempts"),
        "auto_lock_minutes": _("Lock after idle (minutes)"),
        "export_password_audiences": _("Exports needing a password"),
        "server_url": _("Sync server"),
        "ca_bundle": _("Agency CA certificates"),
        "updates_url": _("Updates address"),
        "updates_managed_by_it": _("Updates managed by IT"),
        "agency_name": _("Agency name"),
        "agency_logo": _("Agency logo"),
        "family_shows_household_members": _("Household on family copies"),
        "family_shares_placement_details": _("Placement on family copies"),
        "sync_interval_minutes": _("Sync every (minutes)"),
        "language": _("Language"),
    }


def _title(name: str) -> str:
    return _labels().get(name) or name.replace("_", " ").capitalize()


class SettingsPage(QDialog):
    """Opened from Help > Settings (or Ctrl+,); reads and writes off the GUI thread."""

    def __init__(self, home: Path, worker: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.worker = worker
        self.setWindowTitle(_("Settings"))
        self.setAccessibleName(_("Settings"))
        self.resize(760, 720)
        self.editors: dict[str, QWidget] = {}
        self.rows: list[SettingRow] = []

        self.form = QFormLayout()
        holder = QWidget()
        holder.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setAccessibleName(_("Settings list"))
        self.message = notice(warning=True)
        self.message.setAccessibleName(_("Settings message"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(_("Save settings"))
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(_("Close settings"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._passphrase_box())
        layout.addWidget(buttons)
        Op(self, lambda: _rows(home), what="reading the settings").success(self.show_rows).run()

    # -- the settings -------------------------------------------------------------------------------

    def show_rows(self, rows: list[SettingRow]) -> None:
        self.rows = rows
        for row in rows:
            editor = self._editor(row)
            editor.setAccessibleName(_title(row.name))
            editor.setEnabled(row.editable)
            self.editors[row.name] = editor
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 6)
            column.addWidget(editor)
            described = QLabel(_(row.description))
            described.setWordWrap(True)
            column.addWidget(described)
            if row.why_not:
                why = QLabel(row.why_not)
                why.setObjectName("why-not")
                why.setStyleSheet("font-style: italic;")
                column.addWidget(why)
            self.form.addRow(_title(row.name) + ":", box)

    def _editor(self, row: SettingRow) -> QWidget:
        if row.kind is bool:
            check = QCheckBox()
            check.setChecked(bool(row.value))
            return check
        if row.kind is int:
            spin = QSpinBox()
            spin.setRange(row.minimum if row.minimum is not None else 0, 100_000)
            spin.setValue(int(row.value))
            return spin
        edit = QLineEdit(str(row.value))
        edit.setMinimumWidth(320)
        return edit

    def changes(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for row in self.rows:
            if not row.editable:
                continue
            editor = self.editors[row.name]
            value: Any
            if isinstance(editor, QCheckBox):
                value = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                value = editor.value()
            else:
                assert isinstance(editor, QLineEdit)
                value = editor.text()
            if value != row.value:
                found[row.name] = value
        return found

    def save(self) -> None:
        from caseworker_app.services.app_settings import save_user_settings

        changes, home = self.changes(), self.home
        if not changes:
            self.accept()
            return
        Op(self, lambda: save_user_settings(home, changes), what="saving the settings").success(
            lambda _r: self.accept()
        ).failure(lambda exc: self._say(str(exc))).run()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- change passphrase --------------------------------------------------------------------------

    def _passphrase_box(self) -> QGroupBox:
        from PySide6.QtCore import QTimer

        box = QGroupBox(_("Change passphrase"))
        self.old_passphrase = line_edit(_("Current passphrase"), secret=True)
        self.new_passphrase = line_edit(_("New passphrase"), secret=True)
        self.confirm_passphrase = line_edit(_("Confirm new passphrase"), secret=True)
        self.meter = StrengthMeter()
        self.rewrap = QProgressBar()
        self.rewrap.setRange(0, 0)
        self.rewrap.setTextVisible(False)
        self.rewrap.setAccessibleName(_("Changing the passphrase"))
        self.rewrap.setVisible(False)
        self.passphrase_message = notice(warning=True)
        self.passphrase_message.setAccessibleName(_("Passphrase message"))
        self.change_button = QPushButton(_("C&hange passphrase"))
        self.change_button.setAccessibleName(_("Change passphrase"))
        self.change_button.clicked.connect(self.change_passphrase)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(STRENGTH_DELAY_MS)
        self._timer.timeout.connect(self._score)
        self.new_passphrase.textChanged.connect(lambda _t: self._timer.start())
        form = QFormLayout(box)
        form.addRow(_("C&urrent:"), self.old_passphrase)
        form.addRow(_("&New:"), self.new_passphrase)
        form.addRow(_("Con&firm:"), self.confirm_passphrase)
        form.addRow("", self.meter)
        form.addRow("", self.rewrap)
        form.addRow("", self.passphrase_message)
        form.addRow("", self.change_button)
        for row in range(3):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is not None and field is not None:
                widget, target = label.widget(), field.widget()
                if isinstance(widget, QLabel) and target is not None:
                    widget.setBuddy(target)
        return box

    def _score(self) -> None:
        from caseworker_app.services.first_run import passphrase_strength

        text, related = self.new_passphrase.text(), [self.worker, "Caseworker"]
        Op(self, lambda: passphrase_strength(text, related), what="scoring the passphrase").success(
            self.meter.show_strength
        ).failure(lambda _e: None).run()

    def change_passphrase(self) -> None:
        from caseworker_app.services.profiles import change_passphrase

        old, new, again = self.old_passphrase.text(), self.new_passphrase.text(), self.confirm_passphrase.text()
        if not old:
            self._say_passphrase(_("Enter your current passphrase."))
            return
        if new != again:
            self._say_passphrase(_("The two new passphrases differ; type the same one twice."))
            return
        self._say_passphrase("")
        self.rewrap.setVisible(True)
        self.change_button.setEnabled(False)
        home = self.home
        Op(self, lambda: change_passphrase(home, old, new), what="changing the passphrase").success(
            lambda _r: self._changed()
        ).failure(lambda exc: self._say_passphrase(str(exc))).after(self._rewrapped).run()

    def _rewrapped(self) -> None:
        self.rewrap.setVisible(False)
        self.change_button.setEnabled(True)

    def _changed(self) -> None:
        for edit in (self.old_passphrase, self.new_passphrase, self.confirm_passphrase):
            edit.clear()
        self._say_passphrase(_("Your passphrase is changed. Use the new one the next time you unlock."))

    def _say_passphrase(self, text: str) -> None:
        self.passphrase_message.setText(text)
        self.passphrase_message.setVisible(bool(text))


def _rows(home: Path) -> list[SettingRow]:
    from caseworker_app.services.app_settings import setting_rows

    return setting_rows(home)
