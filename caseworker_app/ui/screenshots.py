"""`--screenshots DIR`: walk the demo profile through each screen offscreen, save a PNG of each, exit 0."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from caseworker_app.domain.entities import SafetyPlan
from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui import background
from caseworker_app.ui.app import DEMO_PASSPHRASE, Desktop
from caseworker_app.ui.background import Op
from caseworker_app.ui.screenshots_sync import sync_steps

if TYPE_CHECKING:
    from caseworker_app.ui.main_window import MainWindow
    from caseworker_app.ui.visit_form import VisitForm

log = logging.getLogger(__name__)
SIZE = (1280, 800)
Step = Callable[[], None]


class ScreenshotTour(QObject):
    """Each step acts, then the next waits for the worker to go idle and the screen to repaint."""

    def __init__(self, desktop: Desktop, folder: Path) -> None:
        super().__init__()
        self.desktop = desktop
        self.folder = folder
        self.steps: list[tuple[Step, Callable[[], bool]]] = []
        self.failed = False
        self._wizard: QWidget | None = None
        self._settings_page: QWidget | None = None
        # Called with each picture's name and widget before it is saved (the pseudo-language layout test).
        self.inspect: Callable[[str, QWidget], None] | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        d = self.desktop
        self.steps = [
            (self._first_run, lambda: self._wizard is not None and not background.busy()),
            (self._first_run_shot, lambda: d.unlock_screen is not None and not background.busy()),
            (self._unlock_shot, lambda: d.main_window is not None and not background.busy()),
            (self._size_window, lambda: not background.busy()),
            (self._cases, lambda: not background.busy()),
            (lambda: self._shot("cases.png"), lambda: True),
            (self._search, lambda: not background.busy() and self._window().cases.last_page is not None),
            (lambda: self._shot("search.png"), lambda: True),
            (self._open_case, lambda: not background.busy()),
            (self._contacts_tab, lambda: True),
            (lambda: self._shot("case.png"), lambda: True),
            (self._safety_tab, lambda: True),
            (lambda: self._shot("safety.png"), lambda: True),
            (self._export, self._export_ready),
            (self._export_shot, lambda: not background.busy()),
            (self._open_visit, lambda: not background.busy()),
            (lambda: self._shot("visit.png"), lambda: True),
            (self._child_not_seen, lambda: True),
            (lambda: self._shot("visit-child-not-seen.png"), lambda: True),
            (self._save_failed, lambda: True),
            (lambda: self._shot("visit-not-saved.png"), lambda: True),
            (self._save_cleared, lambda: not background.busy()),
            (lambda: self._window().go(0), lambda: not background.busy()),  # Today last: it lists the recent cases
            (lambda: self._shot("today.png"), lambda: True),
            *sync_steps(self),  # sync.png and conflict.png, on a laptop enrolled with a real server
            (self._settings, lambda: not background.busy() and self._settings_filled()),
            (self._settings_shot, lambda: True),
            (self._lock, lambda: d.main_window is None and d.unlock_screen is not None and not background.busy()),
            (self._locked_shot, lambda: not background.busy()),
            (lambda: QApplication.exit(1 if self.failed else 0), lambda: True),
        ]
        self._next()

    def _next(self) -> None:
        if not self.steps:
            return
        act, ready = self.steps.pop(0)
        try:
            act()
        except Exception:
            log.exception("Screenshot step failed")
            self.failed = True
            QApplication.exit(1)
            return
        self._wait(ready, 0)

    def _wait(self, ready: Callable[[], bool], waited: int) -> None:
        if ready() or waited > 60000:
            QTimer.singleShot(150, self._next)  # let the screen lay out and paint
        else:
            QTimer.singleShot(50, lambda: self._wait(ready, waited + 50))

    def _window(self) -> MainWindow:
        from caseworker_app.ui.main_window import MainWindow

        window = self.desktop.main_window
        assert isinstance(window, MainWindow)
        return window

    def _shot(self, name: str, widget: QWidget | None = None) -> None:
        target = widget or self.desktop.main_window
        assert target is not None
        if self.inspect is not None:
            self.inspect(name, target)
        target.grab().save(str(self.folder / name))

    def _unlock_shot(self) -> None:
        window = self.desktop.unlock_window
        assert window is not None and self.desktop.unlock_screen is not None
        window.resize(*SIZE)
        self.desktop.unlock_screen.passphrase.setText(DEMO_PASSPHRASE)
        self._shot("unlock.png", window)
        self.desktop.unlock_screen.unlock()

    def _size_window(self) -> None:
        window = self._window()
        window.resize(*SIZE)
        window.splitter.setSizes([140, SIZE[0] - 140])  # the same pictures whatever this machine remembers

    def _cases(self) -> None:
        window = self._window()
        window.resize(*SIZE)
        window.go(1)

    def _search(self) -> None:
        self._window().cases.search.setText("backpack")

    def _open_case(self) -> None:
        window = self._window()
        window.cases.search.clear()
        store = window.store
        Op(window, lambda: _case_worth_showing(store), what="choosing a case").success(window.open_case).run()

    def _contacts_tab(self) -> None:
        view = self._window().open_cases.case_views()[0]
        view.tabs.setCurrentWidget(view.contacts)

    def _safety_tab(self) -> None:
        view = self._window().open_cases.case_views()[0]
        view.tabs.setCurrentWidget(view.safety)

    def _export(self) -> None:
        """Case → Export summary… on the open case file: the family's copy, its first page previewed."""
        from caseworker_app.ui.export_entry import export_summary

        export_summary(self._window().open_cases)

    def _export_ready(self) -> bool:
        dialog = self._window().open_cases.last_dialog
        preview = getattr(dialog, "preview", None)
        return preview is not None and preview.image is not None and not background.busy()

    def _export_shot(self) -> None:
        dialog = self._window().open_cases.last_dialog
        assert dialog is not None
        self._shot("export.png", dialog)
        dialog.close()

    def _open_visit(self) -> None:
        """A visit being recorded: the open case's draft if it has one, else the newest draft on Today."""
        window = self._window()
        view = window.open_cases.case_views()[0]
        drafts = [r.payload for r in window.today.drafts.rows_model.rows]
        mine = [d for d in drafts if d.visit.case_id == view.case_id]
        if mine or drafts:
            window.open_draft((mine or drafts)[0])
            return
        timeline = view.contacts.timeline
        first = timeline.topLevelItem(0)
        if first is not None:
            timeline.setCurrentItem(first)
            view.contacts.open_current()

    def _form(self) -> VisitForm:
        from caseworker_app.ui.visit_form import VisitForm

        form = self._window().open_cases.tabs.currentWidget()
        assert isinstance(form, VisitForm)
        return form

    def _child_not_seen(self) -> None:
        """A child the narrative says was not there, recorded as not seen with the reason in words."""
        form = self._form()
        absent = [r for r in form.child_rows if r.outcome.currentData() == "not_seen"] or form.child_rows[-1:]
        for row in absent[:1]:
            row.outcome.setCurrentIndex(row.outcome.findData("other"))
            row.why.setText("Staying with a relative this week; to be seen at school this month")
            row.why.setFocus()

    def _save_failed(self) -> None:
        """The notice a full disk brings, as the form shows it (the tour cannot fill the disk)."""
        import errno

        form = self._form()
        form.save_notice.show_failure(OSError(errno.ENOSPC, "No space left on device"), first=False)
        form.saved_label.setText(_("Not saved yet"))

    def _save_cleared(self) -> None:
        self._form().save_notice.clear()

    # -- first run, settings, locked --------------------------------------------------------------

    def _first_run(self) -> None:
        """The wizard as a new liaison sees it, for a folder that holds no profile (never created)."""
        from caseworker_app.demo.profile import load_demo
        from caseworker_app.services.first_run import FirstRun

        empty = self.folder / ".no-profile-here"
        Op(None, lambda: FirstRun.for_folder(empty, demo_caseload=load_demo), what="reading the rules").success(
            self._show_wizard
        ).run()

    def _show_wizard(self, wizard: object) -> None:
        from PySide6.QtWidgets import QMainWindow

        from caseworker_app.ui.first_run import FirstRunWizard

        window = QMainWindow()
        window.setWindowTitle(_("Caseworker — Set up"))
        window.setCentralWidget(FirstRunWizard(wizard))  # type: ignore[arg-type]
        window.resize(*SIZE)
        window.show()
        self._wizard = window

    def _first_run_shot(self) -> None:
        assert self._wizard is not None
        self._shot("first-run.png", self._wizard)
        self.desktop.start()  # its window first: closing the last window would end the app
        self._wizard.close()
        self._wizard.deleteLater()

    def _settings(self) -> None:
        from caseworker_app.ui.profile_menus import open_settings

        self._settings_page = open_settings(self._window())

    def _settings_filled(self) -> bool:
        return bool(getattr(self._settings_page, "editors", None))

    def _settings_shot(self) -> None:
        page = self._settings_page
        assert page is not None
        page.resize(SIZE[0] * 3 // 5, SIZE[1])
        self._shot("settings.png", page)
        page.close()

    def _lock(self) -> None:
        lock = self.desktop.lock
        assert lock is not None
        lock.lock_now()  # type: ignore[attr-defined]

    def _locked_shot(self) -> None:
        window = self.desktop.unlock_window
        assert window is not None
        window.resize(*SIZE)
        self._shot("locked.png", window)

    def _finish(self) -> None:
        window = self._window()
        window.close()
        QTimer.singleShot(0, self._quit_when_closed)

    def _quit_when_closed(self) -> None:
        window = self.desktop.main_window
        if window is not None and not getattr(window, "store_closed", False):
            QTimer.singleShot(50, self._quit_when_closed)
            return
        QApplication.exit(1 if self.failed else 0)


def _case_worth_showing(store: LocalStore) -> str:
    """A case with an active safety plan, so the pictures show a full case file."""
    plans = [p for p in store.repo.all(SafetyPlan) if p.active]
    if plans:
        return max(plans, key=lambda p: len(p.actions)).case_id
    from caseworker_app.store.queries import case_list

    return case_list(store.db)[0].id
