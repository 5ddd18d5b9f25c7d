"""Export summary: who the copy is for (each audience explained), a password where the agency
requires one, where to save it, a preview of the first page, progress with Cancel, then
"Open file" / "Show in folder".

The work is the export use case in services/reports/handover.py, run off the GUI thread;
this module only asks and shows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QObject, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import _
from caseworker_app.local_format import day_text
from caseworker_app.services.reports.audience import Audience, explain
from caseworker_app.services.reports.errors import ExportCancelled, ExportError
from caseworker_app.services.reports.handover import (
    ExportRequest,
    ExportRules,
    ExportSubject,
    FileExists,
    PageImage,
    Report,
    check_request,
    export_rules,
    export_subject,
    first_page_image,
    render_for_preview,
    run_export,
    suggested_file_name,
)
from caseworker_app.settings import Settings
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op
from caseworker_app.ui.dialogs.written_language import LanguageChoice
from caseworker_app.ui.widgets.page_preview import PagePreview

PREVIEW_DELAY_MS = 300  # a new preview once the person stops changing the choices
AUDIENCE_CAPTIONS = {
    Audience.FULL: _("&Internal: the full record"),
    Audience.SCHOOL: _("&School"),
    Audience.FAMILY: _("F&amily"),
}


def open_url(url: QUrl) -> bool:
    """Hands a file or folder to the desktop (a module function, so a test can watch it)."""
    return QDesktopServices.openUrl(url)


@dataclass(frozen=True)
class _Loaded:
    subject: ExportSubject
    rules: ExportRules
    settings: Settings


class _ProgressRelay(QObject):
    """Made on the GUI thread; the worker emits through it, so progress arrives on the GUI thread."""

    moved = Signal(float, str)


class ExportDialog(QDialog):
    exported = Signal(object)  # the Path written

    def __init__(self, store: LocalStore, report: Report, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.store = store
        self.report = report
        self.record_id = record_id
        self.loaded: _Loaded | None = None
        self.replace_box: QMessageBox | None = None
        self.written: Path | None = None
        self.cancel_event: threading.Event | None = None
        self._suggested = ""
        self._preview_number = 0
        title = _("Export visit summary") if report is Report.VISIT_SUMMARY else _("Export case history")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._build()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._preview)
        self._relay = _ProgressRelay(self)
        self._relay.moved.connect(self._progress)
        self._set_busy(True, _("Reading the case…"))
        Op(self, self._load, what="preparing an export").success(self._loaded).failure(self._load_failed).run()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel("")
        self.heading.setAccessibleName(_("What is exported"))
        self.heading.setStyleSheet("font-weight: bold;")

        self.period = QWidget()
        period_form = QFormLayout(self.period)
        period_form.setContentsMargins(0, 0, 0, 0)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, caption, name in ((self.start, _("&From:"), _("First day")), (self.end, _("&To:"), _("Last day"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._choices_changed)
            label = QLabel(caption)
            label.setBuddy(edit)
            period_form.addRow(label, edit)
        self.period.setVisible(self.report is Report.CASE_HISTORY)

        audiences = QGroupBox(_("Who is this copy for?"))
        audiences.setAccessibleName(_("Who is this copy for?"))
        column = QVBoxLayout(audiences)
        self.audience_group = QButtonGroup(self)
        self.audience_buttons: dict[Audience, QRadioButton] = {}
        self.explanations: dict[Audience, QLabel] = {}
        for number, audience in enumerate(Audience):
            button = QRadioButton(AUDIENCE_CAPTIONS[audience])
            button.setAccessibleName(AUDIENCE_CAPTIONS[audience].replace("&", ""))
            shows, withholds = explain(audience)
            text = _("Shows: {shows}\nWithholds: {withholds}").format(shows=shows, withholds=withholds)
            button.setAccessibleDescription(text)
            explanation = QLabel(text)
            explanation.setWordWrap(True)
            explanation.setIndent(24)
            self.audience_group.addButton(button, number)
            self.audience_buttons[audience] = button
            self.explanations[audience] = explanation
            column.addWidget(button)
            column.addWidget(explanation)
        self.audience_buttons[Audience.FAMILY].setChecked(True)
        self.audience_group.idToggled.connect(self._audience_toggled)

        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("PDF password"))
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again.setAccessibleName(_("Repeat the PDF password"))
        self.password_rule = QLabel("")
        self.password_rule.setWordWrap(True)
        self.password_rule.setAccessibleName(_("Password rule"))
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Save the PDF as"))
        self.browse = QPushButton(_("&Browse…"))
        self.browse.setAccessibleName(_("Choose where to save the PDF"))
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.language = LanguageChoice()
        self.language.changed.connect(self._choices_changed)
        form = QFormLayout()
        language_label = QLabel(_("&Language:"))
        language_label.setBuddy(self.language.combo)
        form.addRow(language_label, self.language)
        for caption, widget in ((_("&Password:"), self.password), (_("&Repeat password:"), self.password_again)):
            label = QLabel(caption)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.password_rule)
        save_label = QLabel(_("Sa&ve as:"))
        save_label.setBuddy(self.path)
        form.addRow(save_label, path_row)

        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(_("Problem"))
        self.problem.setStyleSheet("font-weight: bold;")
        self.problem.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Export status"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(_("Export progress"))
        self.progress.setVisible(False)

        self.export_button = QPushButton(_("&Export"))
        self.export_button.setAccessibleName(_("Export the PDF"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda: self.export())
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton(_("&Open file"))
        self.open_button.setAccessibleName(_("Open the saved PDF"))
        self.open_button.clicked.connect(self.open_file)
        self.folder_button = QPushButton(_("Show in &folder"))
        self.folder_button.setAccessibleName(_("Show the saved PDF in its folder"))
        self.folder_button.clicked.connect(self.show_in_folder)
        for done_button in (self.open_button, self.folder_button):
            done_button.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        QShortcut(QKeySequence("Ctrl+Return"), self, lambda: self.export())

        self.preview = PagePreview(360)
        preview_caption = QLabel(_("First page, as it will be saved"))
        preview_caption.setBuddy(self.preview)
        side = QVBoxLayout()
        side.addWidget(preview_caption)
        side.addWidget(self.preview)
        side.addStretch(1)

        choices = QVBoxLayout()
        choices.addWidget(self.heading)
        choices.addWidget(self.period)
        choices.addWidget(audiences)
        choices.addLayout(form)
        choices.addWidget(self.problem)
        choices.addWidget(self.progress)
        choices.addWidget(self.status)
        choices.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(choices, 1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.setMinimumWidth(900)
        self.resize(1040, 720)  # wrapped explanations give Qt no good height hint; room for all of them
        self.audience_buttons[Audience.FAMILY].setFocus()

    # -- loading ------------------------------------------------------------------------------

    def _load(self) -> _Loaded:
        settings = Settings(self.store.profile.home)
        return _Loaded(export_subject(self.store, self.report, self.record_id), export_rules(settings), settings)

    def _loaded(self, loaded: _Loaded) -> None:
        self.loaded = loaded
        subject = loaded.subject
        day = day_text(subject.day)
        if subject.report is Report.VISIT_SUMMARY:
            self.heading.setText(_("Visit summary of {day}, case {reference}").format(
                day=day, reference=subject.case_reference))
        else:
            self.heading.setText(_("Case history, case {reference}").format(reference=subject.case_reference))
            first = max(subject.first_day or subject.day - timedelta(days=365), subject.day - timedelta(days=365))
            self.start.setDate(QDate(first.year, first.month, first.day))
            self.end.setDate(QDate(subject.day.year, subject.day.month, subject.day.day))
        self._set_busy(False, "")
        self._audience_changed()

    def _load_failed(self, exc: BaseException) -> None:
        self._set_busy(False, "")
        self.export_button.setEnabled(False)
        self._show_problem(str(exc) if isinstance(exc, CaseworkerError) else _(
            "This record could not be read for export. Close this window and try again."))

    # -- choices ------------------------------------------------------------------------------

    def audience(self) -> Audience:
        return next(a for a, b in self.audience_buttons.items() if b.isChecked())

    def _period(self) -> tuple[date | None, date | None]:
        if self.report is not Report.CASE_HISTORY:
            return None, None
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def _audience_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._audience_changed()

    def _audience_changed(self) -> None:
        if self.loaded is None:
            return
        audience, rules = self.audience(), self.loaded.rules
        if rules.password_required(audience):
            self.password_rule.setText(_(
                "Required by your agency for this copy: at least {n} characters. Give the password to "
                "the reader another way (in person or by phone), never with the file.").format(
                    n=rules.min_password_length))
        else:
            self.password_rule.setText(_(
                "Optional for this copy. If you set one: at least {n} characters.").format(
                    n=rules.min_password_length))
        subject = self.loaded.subject
        self.language.follow(audience is Audience.FAMILY, subject.family_language)
        suggestion = suggested_file_name(subject.report, subject.case_reference, subject.day, audience)
        current = self.path.text().strip()
        if not current or Path(current).name == self._suggested:
            folder = Path(current).parent if current else _default_folder()
            self.path.setText(str(folder / suggestion))
        self._suggested = suggestion
        self._choices_changed()

    def _choices_changed(self) -> None:
        if self.loaded is not None:
            self.preview.show_message(_("Preparing the preview…"))
            self._preview_timer.start()

    def _request(self) -> ExportRequest:
        assert self.loaded is not None
        start, end = self._period()
        path = Path(self.path.text().strip()).expanduser()
        return ExportRequest(self.loaded.subject, self.audience(), path, self.password.text() or None, start, end,
                             language=self.language.code())

    def _preview(self) -> None:
        if self.loaded is None:
            return
        self._preview_number += 1
        number, request, loaded, store = self._preview_number, self._request(), self.loaded, self.store

        def render() -> PageImage:
            return first_page_image(render_for_preview(store, request, loaded.rules, loaded.settings), 600)

        def shown(page: PageImage) -> None:
            if number == self._preview_number:  # an older preview arriving late is dropped
                self.preview.show_page(page)

        def failed(exc: BaseException) -> None:
            if number == self._preview_number:
                self.preview.show_message(str(exc) if isinstance(exc, CaseworkerError) else _(
                    "The preview could not be made; the export may still work."))

        Op(self, render, what="previewing an export").success(shown).failure(failed).run()

    def _browse(self) -> None:
        chooser = QFileDialog(self, _("Save the PDF as"), self.path.text())
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter(_("PDF files (*.pdf)"))
        chooser.setDefaultSuffix("pdf")
        chooser.fileSelected.connect(self.path.setText)
        chooser.open()

    # -- exporting ------------------------------------------------------------------------------

    def export(self, replace_existing: bool = False) -> None:
        if self.loaded is None or self.cancel_event is not None:
            return
        self.problem.setVisible(False)
        if self.password.text() != self.password_again.text():
            self._show_problem(_("The two passwords differ; type the same password in both boxes."))
            self.password_again.setFocus()
            return
        if not self.path.text().strip():
            self._show_problem(_("Choose where to save the PDF."))
            self.path.setFocus()
            return
        request = replace(self._request(), replace_existing=replace_existing)
        try:
            check_request(request, self.loaded.rules)
        except ExportError as err:
            self._show_problem(str(err))
            self.password.setFocus()
            return
        cancel = threading.Event()
        self.cancel_event = cancel
        self.written = None
        self.open_button.setVisible(False)
        self.folder_button.setVisible(False)
        self._set_busy(True, _("Starting the export…"))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setFocus()
        loaded, store, relay = self.loaded, self.store, self._relay

        def progress(fraction: float, message: str) -> None:
            if isValid(relay):  # the window may be gone; the export still finishes or stops cleanly
                relay.moved.emit(fraction, message)

        def work() -> Path:
            return run_export(store, request, loaded.rules, loaded.settings, progress=progress, cancel=cancel)

        Op(self, work, what="exporting a PDF").success(self._exported).failure(self._export_failed).after(
            self._export_over).run()

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 100))
        if message and self.cancel_event is not None and not self.cancel_event.is_set():
            self.status.setText(message)

    def _exported(self, path: Path) -> None:
        self.written = path
        self.status.setText(_("Saved to {path}").format(path=path))
        self.open_button.setVisible(True)
        self.folder_button.setVisible(True)
        self.cancel_button.setText(_("Close"))
        self.cancel_button.setAccessibleName(_("Close"))
        self.exported.emit(path)
        self.open_button.setFocus()

    def _export_failed(self, exc: BaseException) -> None:
        if isinstance(exc, FileExists):
            self.status.setText("")
            self._ask_to_replace(exc)
        elif isinstance(exc, ExportCancelled):
            self.status.setText(_("Export cancelled; no file was written."))
        elif isinstance(exc, CaseworkerError):
            self.status.setText("")
            self._show_problem(str(exc))
        else:
            from caseworker_app.ui.errors import show_error

            self.status.setText("")
            show_error(self, exc, what="exporting a PDF")

    def _ask_to_replace(self, exc: FileExists) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, _("Replace the file?"),
                          _("{problem} Replace it with this export?").format(problem=str(exc)),
                          QMessageBox.StandardButton.NoButton, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName(_("Replace the file?"))
        replace_button = box.addButton(_("&Replace"), QMessageBox.ButtonRole.AcceptRole)
        replace_button.setAccessibleName(_("Replace the file"))
        keep = box.addButton(_("&Keep it"), QMessageBox.ButtonRole.RejectRole)
        keep.setAccessibleName(_("Keep the existing file"))
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.replace_box = box
        box.buttonClicked.connect(lambda button: self._replace_answered(button is replace_button))
        box.open()

    def _replace_answered(self, replace_it: bool) -> None:
        self.replace_box = None
        if replace_it:
            QTimer.singleShot(0, lambda: self.export(replace_existing=True))
        else:
            self.path.setFocus()
            self.path.selectAll()

    def _export_over(self) -> None:
        self.cancel_event = None
        self.progress.setVisible(self.written is not None)
        self._set_busy(False, None)

    def cancel(self) -> None:
        """Cancel stops an export under way (nothing is written); otherwise it closes the dialog."""
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.status.setText(_("Cancelling…"))
            return
        self.reject()

    def reject(self) -> None:
        if self.cancel_event is not None:  # Esc during an export cancels it first
            self.cancel()
            return
        super().reject()

    def open_file(self) -> None:
        if self.written is not None:
            open_url(QUrl.fromLocalFile(str(self.written)))

    def show_in_folder(self) -> None:
        if self.written is not None:
            open_url(QUrl.fromLocalFile(str(self.written.parent)))

    # -- helpers ------------------------------------------------------------------------------

    def _set_busy(self, busy: bool, message: str | None) -> None:
        for widget in (self.period, self.language, self.password, self.password_again, self.path, self.browse,
                       self.export_button, *self.audience_buttons.values()):
            widget.setEnabled(not busy)
        if message is not None:
            self.status.setText(message)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)


def _default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home())


def open_export_dialog(parent: QWidget | None, store: LocalStore, report: Report, record_id: str) -> ExportDialog:
    dialog = ExportDialog(store, report, record_id, parent)
    dialog.open()
    return dialog
