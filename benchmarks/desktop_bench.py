"""The desktop window on the large demo profile: cold start, unlock to case list, open a case, search, typing, memory.

Each figure has a baseline measured in the same run (a bare PySide6 window, or the
service call the screen waits on) and the issue's target.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from statistics import median

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.common import Figure, measure, print_figures

PASSPHRASE = "benchmark passphrase"
BARE = (
    "import os\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.resize(900, 600); w.show(); app.processEvents()\n"
    "os._exit(0)\n"
)
# The whole entry point up to its event loop (arguments, the rotating log, fonts, the unlock screen).
OURS = (
    "import os, sys\n"
    "from caseworker_app.ui.app import launch\n"
    "app, d = launch(['--home', sys.argv[1]]); app.processEvents()\n"
    "assert d.unlock_screen is not None and d.unlock_screen.isVisible()\n"
    "os._exit(0)\n"
)


def process_seconds(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return time.perf_counter() - start


def cold_start(home: Path) -> Figure:
    bare, ours = [], []
    for _ in range(7):  # interleaved, so both see the same machine load
        bare.append(process_seconds(BARE))
        ours.append(process_seconds(OURS, str(home)))
    return Figure("cold start to the unlock screen (process)", ours[1:], "bare QMainWindow process",
                  median(bare[1:]), "ratio <= 1.5")


def pump_until(app: object, ready: Callable[[], bool], timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.perf_counter() + timeout
    while not ready():
        QApplication.processEvents()
        if time.perf_counter() > end:
            raise TimeoutError("the window did not get there in time")
        time.sleep(0.0005)


def close_window(app: object, window: object) -> None:
    """As the person does: the window saves its drafts, closes the store, and is freed."""
    from caseworker_app.ui import background

    window.close()  # type: ignore[attr-defined]
    pump_until(app, lambda: window.store_closed and not background.busy())  # type: ignore[attr-defined]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(home: Path) -> tuple[list[Figure], list[str]]:
    from PySide6.QtTest import QTest

    from caseworker_app.services.caseload import case_rows, open_case_file
    from caseworker_app.services.search_page import search_page
    from caseworker_app.store.local_store import LocalStore
    from caseworker_app.ui import background
    from caseworker_app.ui.app import make_app
    from caseworker_app.ui.main_window import MainWindow

    app = make_app()
    figures = [cold_start(home)]
    notes = []

    derive: list[float] = []
    to_list: list[float] = []
    for _ in range(5):
        start = time.perf_counter()
        store = LocalStore.open(home, PASSPHRASE)
        derive.append(time.perf_counter() - start)
        start = time.perf_counter()
        window = MainWindow(store)
        window.show()
        pump_until(app, lambda w=window: w.cases.model.rowCount() > 0)
        to_list.append(time.perf_counter() - start)
        close_window(app, window)  # closes the store too
    notes.append(f"key derivation (argon2id, apart from the above): median {median(derive) * 1000:.0f} ms")

    store = LocalStore.open(home, PASSPHRASE)
    service = measure(lambda: case_rows(store, date.today()), repeat=10)
    figures.append(Figure("unlock to a populated case list (no KDF)", to_list, "case_rows() alone", median(service),
                          "<= 200 ms"))

    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    pump_until(app, lambda: window.cases.model.rowCount() > 0 and not background.busy())
    rss_before = rss_mb()
    case_ids = [c.id for c in window.cases.model.cases]
    opening = []
    for case_id in case_ids[:20]:
        start = time.perf_counter()
        view = window.open_cases.open_case(case_id)
        window.go(2)
        pump_until(app, lambda v=view: v.file is not None)
        opening.append(time.perf_counter() - start)
    rss_after = rss_mb()
    service = measure(lambda: open_case_file(store, case_ids[30], date.today()), repeat=10)
    figures.append(Figure("open a case file, all tabs filled", opening, "open_case_file() alone", median(service),
                          "<= 100 ms"))
    notes.append(f"resident memory after opening 20 case files: {rss_after:.0f} MB "
                 f"(after unlock, no case open: {rss_before:.0f} MB; target <= 250 MB)")

    window.go(1)
    search = window.cases.search
    keystrokes = []
    for word in ("asthma", "inhaler", "school", "landlord", "counselor"):
        search.clear()
        pump_until(app, lambda: not background.busy())
        for ch in word:
            start = time.perf_counter()
            QTest.keyClick(search, ch)
            text = search.text()
            pump_until(app, lambda t=text: window.cases.last_page is not None and window.cases.last_page.text == t
                       and not background.busy())
            keystrokes.append(time.perf_counter() - start)
    service = measure(lambda: search_page(store, "inhal"), repeat=20)
    figures.append(Figure("search: keystroke to updated results", keystrokes, "search_page() alone", median(service),
                          "<= 50 ms"))
    figures.append(typing_stall(app, window))
    close_window(app, window)
    return figures, notes


def typing_stall(app: object, window: object) -> Figure:
    """Longest time the GUI thread is busy with one keystroke (and what it triggers), autosave on vs off."""
    from PySide6.QtTest import QTest

    from caseworker_app.ui import background
    from caseworker_app.ui.case_file.actions import start_visit_form
    from caseworker_app.ui.visit_form import VisitForm

    opened: list[VisitForm] = []
    start_visit_form(window.open_cases, window.cases.model.cases[0].id, on_open=opened.append)  # type: ignore[attr-defined]
    pump_until(app, lambda: bool(opened) and not background.busy())
    form = opened[0]

    def type_text(autosave: bool) -> list[float]:
        from PySide6.QtWidgets import QApplication

        form.timer.setInterval(1000 if autosave else 10**9)
        stalls = []
        for burst in range(10):
            for _ in range(200):
                start = time.perf_counter()
                QTest.keyClick(form.narrative, "a" if burst % 2 else "b")
                QApplication.processEvents()
                stalls.append(time.perf_counter() - start)
                time.sleep(0.004)
            pause_end = time.perf_counter() + 1.05  # long enough for the debounce to fire
            while time.perf_counter() < pause_end:
                start = time.perf_counter()
                QApplication.processEvents()
                stalls.append(time.perf_counter() - start)
                time.sleep(0.002)
        pump_until(app, lambda: not background.busy())
        return stalls

    off = type_text(False)
    on = type_text(True)
    return Figure("longest GUI stall typing 2,000 chars, autosave on", [max(on)], "autosave off", max(off),
                  "<= 16 ms")


def main() -> None:
    from caseworker_app.demo.profile import load_demo
    from caseworker_app.store.local_store import LocalStore

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "profile"
        with LocalStore.create(home, PASSPHRASE, worker="liaison") as store:
            load_demo(store, large=True)
        figures, notes = run(home)
    print_figures("Desktop window, large demo profile (300 cases, ~20,000 records)", figures)
    for note in notes:
        print(f"  {note}")


if __name__ == "__main__":
    main()
