"""Contacts & notes tab: a timeline of visits and notes, draft/final badges, addenda under their note."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from caseworker_app.domain.clock import as_utc
from caseworker_app.domain.entities import Note, Visit
from caseworker_app.i18n import N_, _
from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.labels import label, local_time
from caseworker_app.ui.marks import DRAFT, colour, mark_icon

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = [N_("When"), N_("Contact"), N_("Status"), N_("Note"), N_("Summary")]  # translated where shown


def badge(note: Note | None) -> str:
    if note is None:
        return _("no note")
    return _("Final") if note.is_final else _("Draft")


def first_words(text: str, count: int = 18) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


class Timeline(QTreeWidget):
    opened = Signal(object)  # ("visit", Visit) or ("note", Note)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Contacts and notes timeline"))
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels([_(column) for column in COLUMNS])
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.itemActivated.connect(lambda item, _col: self._open(item))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self._open(item)
            return
        super().keyPressEvent(event)

    def _open(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, ITEM_ROLE)
        if data is not None:
            self.opened.emit(data)

    def current(self) -> Any:
        item = self.currentItem()
        return item.data(0, ITEM_ROLE) if item is not None else None


class ContactsTab(CaseTab):
    title = N_("C&ontacts && notes")
    kinds = frozenset({"Visit", "Note", "Person"})
    record_visit = Signal()
    record_attempt = Signal()
    open_visit = Signal(object)  # Visit
    add_addendum = Signal(object)  # Note
    start_assessment = Signal(object)  # Visit

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.new_button = self.button(_("Record a &visit"), self.record_visit.emit)
        self.attempt_button = self.button(_("Record an &attempted contact"), self.record_attempt.emit)
        self.open_button = self.button(_("O&pen"), self.open_current, _("Open the selected visit or note"))
        self.addendum_button = self.button(_("Add a&ddendum"), self._addendum,
                                           _("Add an addendum to the selected note"))
        self.timeline = Timeline()
        self.timeline.opened.connect(self._opened)
        self.layout_.addWidget(self.timeline)

    def fill(self, file: CaseFile) -> None:
        self.timeline.clear()
        people = file.people_by_id
        entries: list[tuple[datetime, QTreeWidgetItem]] = []
        used_notes: set[str] = set()
        for visit in file.detail.visits:
            note = file.note_for_visit(visit.id)
            seen = [people[c.person_id].first_name for c in visit.children if c.seen and c.person_id in people]
            summary = visit.purpose or (first_words(note.narrative) if note else "")
            if seen:
                summary = _("{summary} — seen: {children}").format(summary=summary, children=", ".join(seen))
            item = QTreeWidgetItem([local_time(visit.occurred_at), label(visit.contact_type), label(visit.status),
                                    badge(note), summary])
            item.setData(0, ITEM_ROLE, ("visit", visit))
            self._style_badge(item, note)
            if note is not None:
                used_notes.add(note.id)
                self._add_addenda(item, file, note)
            entries.append((as_utc(visit.occurred_at) or visit.occurred_at, item))
        for note in file.detail.notes:
            if note.id in used_notes or note.addendum_to is not None:
                continue
            item = QTreeWidgetItem([local_time(note.written_at), _("Note"), "", badge(note),
                                    first_words(note.narrative)])
            item.setData(0, ITEM_ROLE, ("note", note))
            self._style_badge(item, note)
            self._add_addenda(item, file, note)
            entries.append((as_utc(note.written_at) or note.written_at, item))
        entries.sort(key=lambda e: e[0], reverse=True)
        self.timeline.addTopLevelItems([item for _when, item in entries])
        self.timeline.expandAll()
        # the badge column as wide as its longest word in this language ("Finalizada" is longer than "Final")
        badges = max(self.timeline.fontMetrics().horizontalAdvance(text) for text in (_("Final"), _("Draft"),
                                                                                      _("no note")))
        for column, width in enumerate((210, 120, 100, max(70, badges + 44))):
            self.timeline.setColumnWidth(column, width)

    def _add_addenda(self, parent: QTreeWidgetItem, file: CaseFile, note: Note) -> None:
        for addendum in sorted(file.addenda(note.id), key=lambda n: n.written_at):
            child = QTreeWidgetItem([local_time(addendum.written_at), _("Addendum"), "", badge(addendum),
                                     first_words(addendum.narrative)])
            child.setData(0, ITEM_ROLE, ("note", addendum))
            parent.addChild(child)

    @staticmethod
    def _style_badge(item: QTreeWidgetItem, note: Note | None) -> None:
        if note is not None and not note.is_final:  # the word, an icon and a colour of its own
            item.setForeground(3, QBrush(colour(DRAFT)))
            item.setIcon(3, mark_icon(DRAFT))
            font = item.font(3)
            font.setBold(True)
            item.setFont(3, font)

    def _opened(self, data: tuple[str, Any]) -> None:
        kind, record = data
        if kind == "visit":
            self.open_visit.emit(record)
        elif self.file is not None and record.visit_id:
            visit = next((v for v in self.file.detail.visits if v.id == record.visit_id), None)
            if visit is not None:
                self.open_visit.emit(visit)

    def open_current(self) -> None:
        data = self.timeline.current()
        if data is not None:
            self._opened(data)

    def _addendum(self) -> None:
        data = self.timeline.current()
        if data is None or self.file is None:
            return
        kind, record = data
        note: Note | None = record if kind == "note" else self.file.note_for_visit(record.id)
        if note is not None and note.addendum_to is not None:
            note = next((n for n in self.file.detail.notes if n.id == note.addendum_to), note)
        if note is not None:
            self.add_addendum.emit(note)

    def selected_visit(self) -> Visit | None:
        data = self.timeline.current()
        return data[1] if data is not None and data[0] == "visit" else None
