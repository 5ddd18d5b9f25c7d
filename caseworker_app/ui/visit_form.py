"""Recording a visit: the form, autosave, finalize, then read-only with "Add addendum" next.

Autosave: about a second after typing stops, and never later than two seconds after the
first unsaved change however steadily the person types; also when focus leaves the form,
the tab changes, the window deactivates or the app is asked to quit. A failed save shows
one notice on the form (the cause, the text still on screen) and retries by itself.
The form holds no rule: it gathers the fields the person changed and hands them to the
visit use cases (services/visits.py), which validate, save and say what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.entities import Note, Person, Visit
from caseworker_app.domain.vocabulary import ContactStatus, ContactType, PersonRole
from caseworker_app.i18n import N_, _
from caseworker_app.local_format import time_text
from caseworker_app.services.visit_check import missing_before_finalize
from caseworker_app.services.visits import SavedDraft, VisitDraft
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui import visit_io
from caseworker_app.ui.background import Op
from caseworker_app.ui.export_entry import visit_export_button
from caseworker_app.ui.labels import label, local_time
from caseworker_app.ui.widgets import visit_parts as visit_io_ui
from caseworker_app.ui.widgets.child_outcome import ChildRow, add_child_row
from caseworker_app.ui.widgets.dates import in_language
from caseworker_app.ui.widgets.save_notice import SaveNotice
from caseworker_app.ui.widgets.table import heading

AUTOSAVE_MS = 1000  # a pause this long in typing saves
MAX_WAIT_MS = 2000  # and no unsaved change waits longer than this, however steady the typing
RETRY_MS = 3000  # after a failed save, the next try
FINALIZE_WARNING = N_("Finalized notes cannot be changed; corrections are added as addenda.")
# A finalized form's fields read as text on the page, not as boxes waiting for input.
READ_ONLY_LOOK = "background: palette(window);"


def person_label(person: Person) -> str:
    if person.role is PersonRole.CHILD or not person.relationship:
        return person.full_name
    return f"{person.full_name} ({person.relationship})"  # stored in the visit's participants: not translated


class VisitForm(QWidget):
    """One visit and its note. Emits `saved` after each write, `finalized` once final."""

    saved = Signal()
    finalized = Signal()
    discarded = Signal()
    start_assessment = Signal(object)  # Visit
    add_addendum = Signal(object)  # Note

    def __init__(self, store: LocalStore, loaded: visit_io.LoadedVisit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.draft: VisitDraft = loaded.draft
        self.people = loaded.people
        self.family_name = loaded.family_name
        self.addenda = loaded.addenda
        self.case_id = self.draft.visit.case_id
        self._saving = False
        # (after success, after failure) callbacks: of the running save, and of the one after it
        self._waiting: list[tuple[Callable[[], None], Callable[[], None]]] = []
        self._again: list[tuple[Callable[[], None], Callable[[], None]]] = []
        self._last_ok = True
        self._dirty = False
        self._discarded = False
        self._failing = False
        self._create = False  # store the draft even with nothing typed: a record will point at it
        self.timer = self._single_shot(AUTOSAVE_MS)  # restarted by every change
        self.max_wait = self._single_shot(MAX_WAIT_MS)  # started by the first unsaved change only
        self.retry = self._single_shot(RETRY_MS)
        self._build()
        self._load_values()
        self._set_read_only(self.is_final)

    def _single_shot(self, ms: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(self.save_now)
        return timer

    # -- building the form -------------------------------------------------------------------

    def _build(self) -> None:
        self.title = heading("")
        self.saved_label = QLabel("")
        self.saved_label.setAccessibleName(_("Save status"))
        self.save_notice = SaveNotice()
        self.contact_type = QComboBox()
        for kind in ContactType:
            self.contact_type.addItem(label(kind.value), kind.value)
        self.status = QComboBox()
        for status in ContactStatus:
            self.status.addItem(label(status.value), status.value)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        in_language(self.when, "d MMM yyyy HH:mm")
        self.zone = QLabel("")
        self.zone.setAccessibleName(_("Time zone of the date and time"))
        self.location = QLineEdit()
        self.participants = QListWidget()
        self.participants.setMaximumHeight(110)
        self.others = QLineEdit()
        self.others.setPlaceholderText(_("Others present, separated by commas"))
        self.purpose = QLineEdit()
        self.observations = QPlainTextEdit()
        self.observations.setMaximumHeight(90)
        self.observations.setTabChangesFocus(True)
        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.narrative.setMinimumHeight(240)
        self.narrative.setPlaceholderText(_("What happened, what you saw and heard, and the plan."))

        self.children_box = QWidget()
        grid = QGridLayout(self.children_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(2, 4)  # the reason box, when "other" shows it, takes the spare width
        grid.setColumnStretch(3, 1)  # and without one the choices stay beside the names
        kids = [p for p in self.people if p.role is PersonRole.CHILD]
        self.child_rows: list[ChildRow] = [add_child_row(grid, row, kid) for row, kid in enumerate(kids)]
        if not self.child_rows:
            grid.addWidget(QLabel(_("No children in this case.")), 0, 0)

        form = QFormLayout()
        when_row = QHBoxLayout()
        when_row.addWidget(self.when)
        when_row.addWidget(self.zone)
        when_row.addStretch(1)
        rows: list[tuple[str, QWidget | QHBoxLayout, QWidget]] = [
            (_("Contact &type:"), self.contact_type, self.contact_type),
            (_("&Status:"), self.status, self.status),
            (_("&Date and time:"), when_row, self.when),
            (_("&Location:"), self.location, self.location),
            (_("&Participants:"), self.participants, self.participants),
            (_("&Others present:"), self.others, self.others),
            (_("Children:"), self.children_box, self.children_box),
            (_("P&urpose:"), self.purpose, self.purpose),
            (_("O&bservations:"), self.observations, self.observations),
            (_("&Narrative:"), self.narrative, self.narrative),
        ]
        for caption, field, focus in rows:
            text = QLabel(caption)
            text.setBuddy(focus)
            form.addRow(text, field)
            if focus is not self.children_box:
                focus.setAccessibleName(caption.replace("&", "").rstrip(":"))

        self.discard_button = QPushButton(_("Disca&rd draft…"))
        self.discard_button.setAccessibleName(_("Discard this visit draft"))
        self.discard_button.clicked.connect(self.ask_discard)
        self.finalize_button = QPushButton(_("&Finalize…"))
        self.finalize_button.setAccessibleName(_("Finalize the visit and its note"))
        self.finalize_button.clicked.connect(self.finalize)
        self.save_button = QPushButton(_("Save &now"))
        self.save_button.setAccessibleName(_("Save now"))
        self.save_button.clicked.connect(self.save_now)
        self.assessment_button = QPushButton(_("Start a safety &assessment"))
        self.assessment_button.setAccessibleName(_("Start a safety assessment from this visit"))
        self.assessment_button.clicked.connect(self._assessment)
        self.addendum_button = QPushButton(_("Add a&ddendum…"))
        self.addendum_button.setAccessibleName(_("Add an addendum"))
        self.addendum_button.clicked.connect(self._addendum)
        self.export_button = visit_export_button(self)
        self.final_bar, self.final_banner = visit_io_ui.final_bar(self.addendum_button)
        self.addenda_label = QLabel("")
        self.addenda_label.setWordWrap(True)
        self.addenda_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label)
        buttons.addStretch(1)
        for button in (self.discard_button, self.assessment_button, self.export_button, self.save_button,
                       self.finalize_button):
            buttons.addWidget(button)

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addLayout(form)
        inner.addWidget(self.addenda_label)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.final_bar)
        layout.addWidget(self.save_notice)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        for signal in (self.contact_type.currentIndexChanged, self.status.currentIndexChanged,
                       self.when.dateTimeChanged, self.location.textChanged, self.others.textChanged,
                       self.purpose.textChanged, self.observations.textChanged, self.narrative.textChanged,
                       self.participants.itemChanged):
            signal.connect(self._changed)
        for child in self.child_rows:
            child.outcome.currentIndexChanged.connect(self._changed)
            child.why.textChanged.connect(self._changed)
        self.when.dateTimeChanged.connect(self._show_zone)
        # Focus leaving an editor or the form saves. Qt's focusChanged, not an event filter on the
        # editors: a filter runs Python for every event of every keystroke, and each call waits for
        # the GIL while an autosave runs on the worker thread.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            app.applicationStateChanged.connect(self._app_state_changed)
            app.aboutToQuit.connect(self.save_now)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Top to bottom as the form reads (the children's boxes are made last but sit mid-form)."""
        chain: list[QWidget] = [self.contact_type, self.status, self.when, self.location, self.participants,
                                self.others]
        for row in self.child_rows:
            chain += [row.outcome, row.why]
        chain += [self.purpose, self.observations, self.narrative, self.discard_button, self.assessment_button,
                  self.save_button, self.finalize_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def editors(self) -> list[QWidget]:
        return [self.location, self.others, self.purpose, self.observations, self.narrative]

    # -- values in and out -------------------------------------------------------------------------

    @property
    def visit(self) -> Visit:
        return self.draft.visit

    @property
    def note(self) -> Note | None:
        """None for a visit recorded without narrative, until a save writes one."""
        return self.draft.note

    def _load_values(self) -> None:
        v = self.visit
        self._loading = True
        self.contact_type.setCurrentIndex(self.contact_type.findData(v.contact_type.value))
        self.status.setCurrentIndex(self.status.findData(v.status.value))
        local = visit_io.local_moment(v)
        self.when.setDateTime(QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)))
        self.location.setText(v.location)
        household = [p for p in self.people if p.role is not PersonRole.CHILD] + [
            p for p in self.people if p.role is PersonRole.CHILD]
        names = {person_label(p) for p in household} | {p.full_name for p in household}
        self.participants.clear()
        for person in household:
            item = QListWidgetItem(person_label(person))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            present = person_label(person) in v.participants or person.full_name in v.participants
            item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
            self.participants.addItem(item)
        self.others.setText(", ".join(p for p in v.participants if p not in names))
        seen = {c.person_id: c for c in v.children}
        for child in self.child_rows:
            child.load(seen.get(child.person.id))
        self.purpose.setText(v.purpose)
        self.observations.setPlainText(v.observations)
        self.narrative.setPlainText(self.draft.narrative)
        self._loading = False
        self._show_zone()
        self._refresh_title()

    def form_values(self) -> visit_io.VisitValues:
        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)  # naive, on this computer's clock
        participants = [self.participants.item(i).text() for i in range(self.participants.count())
                        if self.participants.item(i).checkState() == Qt.CheckState.Checked]
        participants += [name.strip() for name in self.others.text().split(",") if name.strip()]
        return visit_io.VisitValues(
            contact_type=str(self.contact_type.currentData()),
            status=str(self.status.currentData()),
            occurred_at=when,
            location=self.location.text(),
            participants=participants,
            children=[c.value() for c in self.child_rows],
            purpose=self.purpose.text(),
            observations=self.observations.toPlainText(),
            narrative=self.narrative.toPlainText(),
        )

    @property
    def is_final(self) -> bool:
        return self.draft.is_final

    def _show_zone(self, *_args: Any) -> None:
        """The zone in force on the date shown, not today's (a July visit in Chicago is CDT)."""
        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)
        self.zone.setText(visit_io.zone_on(when))

    def _refresh_title(self) -> None:
        kind, family = label(self.visit.contact_type), self.family_name
        self.title.setText(_("{kind} — {family} family (final)").format(kind=kind, family=family) if self.is_final
                           else _("{kind} — {family} family (draft)").format(kind=kind, family=family))
        if self.addenda:
            parts = [_("<b>Addendum, {when}</b> ({author})").format(when=local_time(a.written_at),
                                                                     author=_esc(a.author))
                     + f"<br/>{_esc(a.narrative)}" for a in self.addenda]
            self.addenda_label.setText("<br/><br/>".join(parts))
        self.addenda_label.setVisible(bool(self.addenda))

    def _set_read_only(self, read_only: bool) -> None:
        for widget in (self.contact_type, self.status, self.when, self.participants):
            widget.setEnabled(not read_only)
        for row in self.child_rows:
            row.set_enabled(not read_only)
        for editor in (self.location, self.others, self.purpose, self.observations, self.narrative):
            editor.setReadOnly(read_only)
            editor.setStyleSheet(READ_ONLY_LOOK if read_only else "")
        for row in self.child_rows:
            row.why.setStyleSheet(READ_ONLY_LOOK if read_only else "")
        self.finalize_button.setVisible(not read_only)
        self.save_button.setVisible(not read_only)
        self.discard_button.setVisible(not read_only)
        self.final_bar.setVisible(read_only)
        self.addendum_button.setVisible(read_only)
        self.addendum_button.setAutoDefault(read_only)
        self.addendum_button.setDefault(read_only)  # Enter adds an addendum: the next step
        if read_only:
            when = local_time(self.note.finalized_at) if self.note else ""
            self.saved_label.setText(_("Finalized {when}").format(when=when))

    # -- autosave ------------------------------------------------------------------------------

    def _changed(self, *_args: Any) -> None:
        if self._loading or self.is_final or self._discarded:
            return
        self._dirty = True
        self.timer.start()  # restarts: saves about a second after typing stops
        if not self.max_wait.isActive():  # ...or two seconds after the first unsaved change
            self.max_wait.start()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if not self._dirty or old is None:
            return
        left_form = self.isAncestorOf(old) and (new is None or not self.isAncestorOf(new))
        if old in self.editors() or left_form:
            self.save_now()

    def _app_state_changed(self, state: Qt.ApplicationState) -> None:
        if self._dirty and state != Qt.ApplicationState.ApplicationActive:
            self.save_now()  # the window lost the foreground: another app, a lock screen, a suspend

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self._dirty:
            self.save_now()  # another tab or pane took its place

    def save_now(self) -> None:
        self.save_then(None)

    def save_then(self, then: Callable[[], None] | None, failed: Callable[[], None] | None = None) -> None:
        """Write what changed (off the GUI thread); `then` runs once it is on disk (or nothing needed
        saving), `failed` if the save failed: closing a tab or the window waits for one or the other."""
        for timer in (self.timer, self.max_wait, self.retry):
            timer.stop()
        pair = (then or _nothing, failed or _nothing)
        if self._saving:  # one write at a time; the next picks up whatever changed meanwhile
            self._again.append(pair)
            return
        if not self._dirty or self.is_final or self._discarded:
            pair[0]()
            return
        self._saving = True
        self._dirty = False
        self._waiting = [pair]
        values = self.form_values()
        store, seen, create = self.store, self.draft, self._create

        def save() -> SavedDraft:
            return visit_io.save_draft(store, seen, values, create=create)

        Op(self, save, what=_("saving a visit draft")).success(
            self._saved
        ).failure(self._save_failed).after(self._save_finished).run()

    def _saved(self, result: SavedDraft) -> None:
        self._last_ok = True
        self._failing = False
        self.draft = result.draft
        self._create = self._create and not self.draft.stored
        self.save_notice.clear()
        if self.draft.stored:
            self.saved_label.setText(_("Saved {time}").format(time=time_text(datetime.now().astimezone())))
        self.saved.emit()

    def _save_failed(self, exc: BaseException) -> None:
        """One notice on the form, never a dialog: the cause, the text kept on screen, a retry."""
        self._last_ok = False
        self._dirty = True  # keep the text; the next save tries again
        self.saved_label.setText(_("Not saved yet"))
        if self.save_notice.show_failure(exc, first=not self._failing):
            self._failing = True
            self.retry.start()

    def _save_finished(self) -> None:
        self._saving = False
        waiting, self._waiting = self._waiting, []
        for then, failed in waiting:
            (then if self._last_ok else failed)()
        if self._again:
            again, self._again = self._again, []
            self.save_then(lambda: _run_all([t for t, _f in again]), lambda: _run_all([f for _t, f in again]))

    # -- discarding a draft --------------------------------------------------------------------

    def ask_discard(self) -> None:
        self.discard_box = visit_io_ui.confirm_discard(self, self._discard)

    def _discard(self) -> None:
        self._discarded = True  # from now on nothing of this form is saved
        for timer in (self.timer, self.max_wait, self.retry):
            timer.stop()
        self._dirty = False
        if not self.draft.stored and not self._saving:
            self.discarded.emit()  # never written: nothing to remove
            return
        store, visit_id = self.store, self.visit.id
        Op(self, lambda: visit_io.discard(store, visit_id), what=_("discarding a visit draft")).success(
            lambda _r: self.discarded.emit()
        ).failure(self._discard_failed).run()

    def _discard_failed(self, exc: BaseException) -> None:
        self._discarded = False
        from caseworker_app.ui.errors import show_error

        show_error(self, exc, what=_("discarding a visit draft"))

    # -- finalize and addenda ---------------------------------------------------------------------

    def finalize(self) -> None:
        """Save, ask the use case what is missing, confirm, finalize."""
        self.save_then(self._check_before_finalize)

    def _check_before_finalize(self) -> None:
        store, visit_id, draft = self.store, self.visit.id, self.draft
        Op(self, lambda: missing_before_finalize(store, visit_id, draft), what=_("checking the visit")).success(
            self._confirm_finalize
        ).run()

    def _confirm_finalize(self, missing: list[str]) -> None:
        box = QMessageBox(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowTitle(_("Finalize the visit"))
        box.setAccessibleName(_("Finalize the visit"))
        if missing:
            box.setIcon(QMessageBox.Icon.Warning)
            listed = "\n".join(f"• {m}" for m in missing)
            box.setText(_("Before finalizing, complete:\n\n{missing}").format(missing=listed))
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.button(QMessageBox.StandardButton.Ok).setText(_("OK"))
            box.open()
            self.missing_box = box
            return
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(_("{warning}\n\nFinalize this visit and its note now?").format(warning=_(FINALIZE_WARNING)))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.button(QMessageBox.StandardButton.Yes).setText(_("&Finalize"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        box.finished.connect(lambda result: self._do_finalize() if result == QMessageBox.StandardButton.Yes else None)
        box.open()
        self.confirm_box = box

    def _do_finalize(self) -> None:
        store, seen = self.store, self.draft
        Op(self, lambda: visit_io.finalize(store, seen), what=_("finalizing a visit")).success(self._finalized).run()

    def _finalized(self, draft: VisitDraft) -> None:
        self.draft = draft
        self.save_notice.clear()
        self._refresh_title()
        self._set_read_only(True)
        self.addendum_button.setFocus()
        self.finalized.emit()

    def store_then(self, then: Callable[[], None]) -> None:
        """What needs the visit on disk (an assessment links to it, an export reads it) stores it first,
        even untouched."""
        if not self.draft.stored and not self.is_final:
            self._create = self._dirty = True
        self.save_then(then)

    def _assessment(self) -> None:
        self.store_then(lambda: self.start_assessment.emit(self.visit))

    def _addendum(self) -> None:
        if self.note is not None:
            self.add_addendum.emit(self.note)

    def show_addenda(self, addenda: list[Note]) -> None:
        self.addenda = addenda
        self._refresh_title()


def _nothing() -> None:
    pass


def _run_all(callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        callback()


def _esc(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br/>")
