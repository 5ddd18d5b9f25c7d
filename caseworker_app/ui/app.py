"""Entry point of the desktop app: `caseworker-desktop [--demo] [--home DIR] [--screenshots DIR] [--language CODE]`.

Imports only what the unlock screen needs; the store and the main window load in the
background while the passphrase is typed.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from caseworker_app.i18n import _
from caseworker_app.resources import resource
from caseworker_app.store.profile_label import DATABASE_FILE, PROFILE_FILE
from caseworker_app.ui.background import Op
from caseworker_app.ui.gui_gc import collect_on_gui_thread
from caseworker_app.ui.unlock import SETTLE_MS, UnlockScreen

if TYPE_CHECKING:
    import argparse

    from PySide6.QtWidgets import QProgressDialog

log = logging.getLogger(__name__)

DEMO_PASSPHRASE = "demo passphrase"  # the same as services/profiles.py (imported lazily: it loads the store)
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
PRELOAD_DELAY_MS = 250
LATER_FONT_FILES = ("DejaVuSans-Oblique.ttf",)  # only the case file uses italics
ORGANIZATION = "Caseworker"
APPLICATION = "Caseworker"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    import argparse

    parser = argparse.ArgumentParser(prog="caseworker-desktop", description="Caseworker desktop app.")
    parser.add_argument("--demo", action="store_true", help="open the demo profile (created on first run)")
    parser.add_argument("--home", help="profile folder (default: $CASEWORKER_HOME or the user data folder)")
    parser.add_argument("--screenshots", metavar="DIR", help="render every screen of the demo into DIR and exit")
    parser.add_argument("--language", metavar="CODE",
                        help="the window's language for this run (es, en), over the language setting")
    return parser.parse_args(argv)


def configure_logging(folder: Path) -> None:
    """A rotating log beside the profiles; messages never carry case data (see ui/errors.py).

    Private like the profile itself: the folder 0700 and every log file, rotated ones too, 0600.
    """
    import logging.handlers
    import os

    class PrivateRotatingLog(logging.handlers.RotatingFileHandler):
        def _open(self):  # type: ignore[no-untyped-def]
            # Created 0600 whatever the umask; one left readable by an older version is closed up.
            fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            if os.name == "posix":
                os.fchmod(fd, 0o600)
            return open(fd, self.mode, encoding=self.encoding, errors=self.errors)

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)
        handler: logging.Handler = PrivateRotatingLog(
            folder / "caseworker-desktop.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def load_font(app: QApplication) -> None:
    """The bundled DejaVu Sans, so every screen (and screenshot) looks the same everywhere."""
    family = ""
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        if font_id >= 0 and not family:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
        app.setFont(font)
    else:
        log.warning("Bundled UI font not found; using the system font")


def make_app(argv: list[str] | None = None) -> QApplication:
    # The store's worker thread holds the GIL in slices; shorter slices hand it back to
    # the GUI thread sooner, so a save running in the background never stalls typing.
    sys.setswitchinterval(0.001)
    # High-DPI: Qt 6 already scales by the OS factor, fractions (150%) included (PassThrough). The Qt
    # namespace is not touched before the unlock screen paints: building its enums costs ~16 ms.
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Caseworker")
    load_font(app)
    collect_on_gui_thread(app)
    return app


def start_language(app: QApplication, home: Path, asked: str | None = None) -> None:
    """The window's language (`--language`, else the profile's setting or IT's policy, else the
    system's), and Qt's own catalog for its standard dialogs and buttons."""
    from caseworker_app import i18n
    from caseworker_app.settings import Settings, SettingsError

    try:
        configured = asked or Settings(home).get("language")
    except SettingsError:
        configured = None  # the unlock screen reports an unusable settings file itself
    language = i18n.start(configured)
    if language.split("_")[0] != "en":
        from PySide6.QtCore import QLibraryInfo, QTranslator

        qt_catalog = QTranslator(app)
        if qt_catalog.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_catalog)


class Desktop(QObject):
    """Owns the top-level windows: the first-run wizard or the unlock window, then the main window."""

    def __init__(self, home: Path, *, demo: bool = False, log_folder: Path | None = None) -> None:
        super().__init__()
        self.home = home
        self.demo = demo
        self.log_folder = log_folder or home.parent  # shown in Help > About
        self.unlock_window: QMainWindow | None = None
        self.unlock_screen: UnlockScreen | None = None
        self.first_run_window: QMainWindow | None = None
        self.first_run: QWidget | None = None  # the wizard's pages, while it shows
        self.main_window: QWidget | None = None
        self.lock: QObject | None = None  # ui/lock.py's controller, once a profile is open
        self.tour: QObject | None = None  # the screenshot tour, when one runs

    def start(self) -> None:
        if self.demo and not (self.home / PROFILE_FILE).exists():
            self._create_demo()
        elif not _holds_profile(self.home):
            self.show_first_run()
        else:
            self.show_unlock()

    def show_first_run(self) -> None:
        """No profile in this folder: the wizard, never an unlock screen for a profile that is not there."""
        home = self.home

        def rules() -> object:
            from caseworker_app import paths
            from caseworker_app.demo.profile import load_demo
            from caseworker_app.services.first_run import FirstRun

            # The default profile folder has a demo folder of its own; a chosen folder (--home,
            # CASEWORKER_HOME) is the demo's too, as everywhere else.
            demo_home = paths.demo_home() if home == paths.profile_home() else home
            # Reads the policy and asks the keyring: off the GUI thread.
            return FirstRun.for_folder(home, demo_caseload=load_demo, demo_home=demo_home)

        Op(None, rules, what="reading this computer's settings").success(self._show_wizard).failure(
            self._startup_failed
        ).run()

    def _show_wizard(self, wizard: object) -> None:
        from caseworker_app.ui.first_run import FirstRunWizard

        window = QMainWindow()
        window.setWindowTitle(_("Caseworker — Set up"))
        pages = FirstRunWizard(wizard)  # type: ignore[arg-type]
        pages.finished.connect(self._first_run_done)
        window.setCentralWidget(pages)
        window.resize(900, 640)
        window.show()
        pages.show_step()
        self.first_run_window, self.first_run = window, pages

    def _first_run_done(self, store: object) -> None:
        window = self.first_run_window
        problem = str(getattr(getattr(self.first_run, "wizard", None), "sync_problem", ""))
        self.open_main(store)
        if window is not None:
            window.close()
            window.deleteLater()
        self.first_run_window = self.first_run = None
        if problem and self.main_window is not None:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Information, _("First sync not finished"), _(
                "You are connected to your agency, but not all of your caseload has arrived yet ({reason}). "
                "The rest arrives with the next sync."
            ).format(reason=problem), QMessageBox.StandardButton.Ok, self.main_window)
            box.setAccessibleName(_("First sync not finished"))
            box.open()
            self.first_sync_notice = box

    def _startup_failed(self, exc: BaseException) -> None:
        from caseworker_app.ui.errors import show_error

        box = show_error(None, exc, what="starting")
        box.finished.connect(lambda _r: QApplication.quit())

    def _create_demo(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog

        progress = QProgressDialog(_("Creating the demo profile with a sample caseload…"), "", 0, 0)
        progress.setWindowTitle(_("Caseworker"))
        progress.setAccessibleName(_("Creating the demo profile"))
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.show()
        self._progress = progress
        home = self.home

        def create() -> None:
            from caseworker_app.demo.profile import load_demo
            from caseworker_app.services.profiles import create_demo

            create_demo(home, load_demo, DEMO_PASSPHRASE).close()

        def done() -> None:
            progress.close()
            self.show_unlock()

        Op(progress, create, what="creating the demo profile").success(lambda _r: done()).failure(
            lambda exc: self._demo_failed(progress, exc)
        ).run()

    def _demo_failed(self, progress: QProgressDialog, exc: BaseException) -> None:
        from caseworker_app.ui.errors import show_error

        progress.close()
        box = show_error(None, exc, what="creating the demo profile")
        box.finished.connect(lambda _r: QApplication.quit())

    def show_unlock(self) -> None:
        window = QMainWindow()
        window.setWindowTitle(_("Caseworker — Unlock"))
        hint = None
        if self.demo:
            hint = _('Demo profile: the passphrase is "{passphrase}".').format(passphrase=DEMO_PASSPHRASE)
        screen = UnlockScreen(self.home, hint=hint)
        screen.unlocked.connect(self.open_main)
        window.setCentralWidget(screen)
        window.resize(900, 600)
        window.show()
        screen.passphrase.setFocus()
        QTimer.singleShot(SETTLE_MS, _settle)
        self.unlock_window, self.unlock_screen = window, screen
        # Load the heavy part of the app while the passphrase is typed, once the screen has painted.
        QTimer.singleShot(PRELOAD_DELAY_MS, lambda: Op(None, _preload, what="loading the app").success(
            lambda _r: None).failure(lambda _e: None).run())

    def open_main(self, store: object) -> None:
        from caseworker_app.ui.lock import LockController
        from caseworker_app.ui.main_window import MainWindow
        from caseworker_app.ui.profile_menus import add_profile_actions

        self._follow_profile(store)
        kept = self.lock.unsaved_window() if self.lock is not None else None  # type: ignore[attr-defined]
        if kept is not None:
            self._bring_back(kept, store)
            return
        window = MainWindow(store)  # type: ignore[arg-type]
        add_profile_actions(window, self.log_folder)
        number = id(window)
        window.destroyed.connect(lambda _o=None: self._main_window_gone(number))
        window.show()
        self.main_window = window
        if self.lock is None:
            self.lock = LockController(self.home, self._locked)
        self.lock.watch(window)  # type: ignore[attr-defined]
        if self.unlock_window is not None:
            self.unlock_window.close()
            self.unlock_window.deleteLater()
            self.unlock_window = self.unlock_screen = None

    def _follow_profile(self, store: object) -> None:
        """The wizard's demo may live in a folder of its own: locking must offer to unlock that one."""
        home = getattr(getattr(store, "profile", None), "home", None)
        if isinstance(home, Path) and home != self.home:
            from caseworker_app.store.profile_label import read_label

            self.home, self.demo = home, read_label(home).demo
            if self.lock is not None:
                self.lock.home = home  # type: ignore[attr-defined]

    def _bring_back(self, window: QWidget, unlocked: object) -> None:
        """A lock found a draft it could not save: the old window (its text, its open store) returns."""
        Op(None, unlocked.close, what="closing the second copy of the store").success(  # type: ignore[attr-defined]
            lambda _r: None
        ).failure(lambda _e: None).run()
        window.show()
        self.main_window = window
        self.lock.watch(window)  # type: ignore[union-attr]
        if self.unlock_window is not None:
            self.unlock_window.close()
            self.unlock_window.deleteLater()
            self.unlock_window = self.unlock_screen = None

    def _locked(self) -> None:
        """The lock has begun: the unlock screen covers everything; the window saves and closes behind it."""
        self.main_window = None
        self.show_unlock()
        if self.unlock_screen is not None:
            self.unlock_screen.message.setText(_("Locked. Your work is saved; enter your passphrase to go on."))

    def _main_window_gone(self, number: int) -> None:
        if self.main_window is not None and id(self.main_window) == number:
            self.main_window = None


def _holds_profile(home: Path) -> bool:
    """A key file or a database (even a damaged one) means a profile: unlocking then says what is wrong."""
    return any((home / name).exists() for name in (PROFILE_FILE, DATABASE_FILE))


def _settle() -> None:
    """The GUI-thread part of loading that the unlock screen does not need: italics, the window icon."""
    from caseworker_app.ui.app_icon import app_icon

    for name in LATER_FONT_FILES:
        QFontDatabase.addApplicationFont(str(resource("fonts", name)))
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setWindowIcon(app_icon())


def _preload() -> None:
    import caseworker_app.services.caseload
    import caseworker_app.store.local_store
    import caseworker_app.ui.main_window  # noqa: F401


def profile_home(args: argparse.Namespace) -> Path:
    from caseworker_app import paths

    return paths.demo_home(args.home) if args.demo else paths.profile_home(args.home)


def log_folder(args: argparse.Namespace, home: Path) -> Path:
    """Beside the profiles (never inside a profile folder, which a wipe removes)."""
    if args.home:
        return home.parent
    from caseworker_app import paths

    return paths.data_root()


def launch(argv: list[str] | None = None) -> tuple[QApplication, Desktop]:
    """Everything before the event loop: the unlock screen (or the screenshot tour) is shown on return."""
    from PySide6.QtCore import QSettings

    args = parse_args(argv)
    if args.screenshots:
        args.demo = True
    home = profile_home(args)
    app = make_app()
    # The rotating log (logging.handlers costs ~10 ms) opens once the first screen has painted;
    # until then warnings go to standard error.
    folder = log_folder(args, home)
    QTimer.singleShot(SETTLE_MS, lambda: configure_logging(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    start_language(app, home, args.language)
    desktop = Desktop(home, demo=args.demo, log_folder=folder)
    if args.screenshots:
        from caseworker_app.ui.screenshots import ScreenshotTour

        desktop.tour = ScreenshotTour(desktop, Path(args.screenshots))
        desktop.tour.start()
    else:
        desktop.start()
    return app, desktop


def main(argv: list[str] | None = None) -> int:
    app, _desktop = launch(argv)
    code = app.exec()
    from caseworker_app.ui.background import wait_idle

    wait_idle()
    return code


if __name__ == "__main__":
    sys.exit(main())
