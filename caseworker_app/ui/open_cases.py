"""Open cases: the tabs of open case files and visit forms; Ctrl+Tab moves between them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from caseworker_app.i18n import _
from caseworker_app.services.changes import Changes
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.view import CaseFileView


class OpenCases(QWidget):
    emptied = Signal()

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.last_dialog: QWidget | None = None  # the dialog an action opened last (tests look at it)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Open case files"))
        self.tabs.tabBar().setAccessibleName(_("Open case files"))
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.empty = QLabel(_("No case is open. Open one from Today or Cases."))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- tabs --------------------------------------------------------------------------------

    def count(self) -> int:
        return self.tabs.count()

    def widgets(self) -> list[QWidget]:
        return [w for i in range(self.tabs.count()) if (w := self.tabs.widget(i)) is not None]

    def case_views(self) -> list[CaseFileView]:
        return [w for w in self.widgets() if isinstance(w, CaseFileView)]

    def add_tab(self, widget: QWidget, title: str) -> None:
        discarded = getattr(widget, "discarded", None)
        if discarded is not None:  # a discarded visit draft: its tab goes, with nothing saved
            discarded.connect(lambda w=widget: self.close_tab(self.tabs.indexOf(w)))
        index = self.tabs.addTab(widget, title)
        self.tabs.setCurrentIndex(index)
        self.stack.setCurrentWidget(self.tabs)

    def open_case(self, case_id: str) -> CaseFileView:
        for view in self.case_views():
            if view.case_id == case_id:
                self.tabs.setCurrentWidget(view)
                return view
        view = CaseFileView(self.store, case_id)
        view.loaded.connect(lambda file, v=view: self._retitle(v, file.detail.case.family_name))
        self._wire(view)
        self.add_tab(view, _("Opening…"))
        return view

    def apply_changes(self, changes: Changes) -> None:
        """Each open case file re-reads what the change touched (forms hold their own text)."""
        for view in self.case_views():
            view.apply_changes(changes)

    def _wire(self, view: CaseFileView) -> None:
        """Connect the case file's actions (visit forms, dialogs); see ui/case_file/actions.py."""
        from caseworker_app.ui.case_file.actions import wire_case_actions

        wire_case_actions(self, view)

    def _retitle(self, widget: QWidget, title: str) -> None:
        index = self.tabs.indexOf(widget)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def cycle(self, step: int) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())
            current = self.tabs.currentWidget()
            if current is not None:
                current.setFocus()

    def current_case_id(self) -> str | None:
        """The case of the current tab (a case file or a visit form)."""
        widget = self.tabs.currentWidget()
        return getattr(widget, "case_id", None)

    def close_current(self) -> None:
        if self.tabs.count():
            self.close_tab(self.tabs.currentIndex())

    def close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is None:
            return
        save: Callable[..., Any] | None = getattr(widget, "save_then", None)

        def remove() -> None:
            at = self.tabs.indexOf(widget)
            if at >= 0:
                self.tabs.removeTab(at)
                widget.deleteLater()
            if self.tabs.count() == 0:
                self.stack.setCurrentWidget(self.empty)
                self.emptied.emit()

        if save is not None:
            save(remove)  # a visit form saves its draft before it goes
        else:
            remove()

    # -- actions forwarded from the menus ------------------------------------------------------------

    def new_visit(self) -> None:
        from caseworker_app.ui.case_file.actions import new_visit

        new_visit(self)

    def new_assessment(self) -> None:
        from caseworker_app.ui.case_file.actions import new_assessment

        new_assessment(self)

    def open_draft(self, draft: Any) -> None:
        from caseworker_app.ui.case_file.actions import open_draft

        open_draft(self, draft)

    def save_now(self) -> None:
        widget = self.tabs.currentWidget()
        save = getattr(widget, "save_now", None)
        if save is not None:
            save()

    def save_all(self, then: Callable[[], None], failed: Callable[[], None]) -> None:
        """Save every open form, then call `then`, or `failed` if any save failed (its text stays
        in its form). Closing the window waits for this, never the GUI thread."""
        forms = [w for w in self.widgets() if hasattr(w, "save_then")]
        remaining, any_failed = len(forms), False
        if remaining == 0:
            then()
            return

        def one_done(ok: bool) -> None:
            nonlocal remaining, any_failed
            remaining -= 1
            any_failed = any_failed or not ok
            if remaining == 0:
                (failed if any_failed else then)()

        for form in forms:
            form.save_then(lambda: one_done(True), lambda: one_done(False))
