"""Typing while the window syncs: the longest GUI-thread stall while incremental syncs of the large
profile run and the person types a narrative, against typing with no sync in the same run (<= 16 ms).

The server runs as a process on PostgreSQL with the large demo caseload; a second laptop of the same
worker edits ten tasks and syncs in a loop, so each of the window's runs sends and receives real
changes. The window's figures are taken in a fresh interpreter, as in desktop_bench.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.common import Figure, print_figures
from benchmarks.desktop_bench import PASSPHRASE, pump_until, type_with_pauses

ROOT = Path(__file__).resolve().parents[1]
SYNC_EVERY_MS = 250  # the window is asked to sync this often; a run under way is never doubled


def other_laptop(home: Path, base: str, stop: threading.Event) -> int:
    """The same worker on another laptop: ten task edits and a sync, over and over."""
    from benchmarks.server_bench import PASSWORD
    from caseworker_app.domain import Task
    from caseworker_app.store.local_store import LocalStore
    from caseworker_app.sync.engine import SyncEngine
    from caseworker_app.sync.enroll import enroll

    runs = 0
    with LocalStore.create(home, PASSPHRASE, worker="liaison") as store:
        enroll(store, base, "liaison", PASSWORD)
        engine = SyncEngine(store)
        engine.run()
        tasks = store.repo.all(Task)[:10]
        while not stop.is_set():
            for task in tasks:
                task.title = f"Follow up, round {runs}"
                task.due_on = date(2027, 1, 1) + timedelta(days=runs % 300)
                store.repo.save(task)
            engine.run()
            runs += 1
            stop.wait(0.3)
        engine.transport.close()
    return runs


def stall_watch() -> Callable[[], None]:
    """Diagnosis (CASEWORKER_BENCH_STALLS=1): the GUI thread's stack whenever it is busy > 30 ms,
    written to stall-stacks.txt; returns the function that stops watching."""
    import traceback

    from PySide6.QtCore import QTimer

    main_id = threading.main_thread().ident
    beat = [time.perf_counter()]
    stop = threading.Event()
    found: list[str] = []
    heart = QTimer()
    heart.setInterval(1)
    heart.timeout.connect(lambda: beat.__setitem__(0, time.perf_counter()))
    heart.start()

    def watch() -> None:
        while not stop.wait(0.01):
            if time.perf_counter() - beat[0] > 0.03 and main_id is not None:
                frame = sys._current_frames().get(main_id)
                if frame is not None:
                    found.append("".join(traceback.format_stack(frame)[-14:]))

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()

    def done() -> None:
        stop.set()
        thread.join()
        heart.stop()
        Path("stall-stacks.txt").write_text("\n----\n".join(found), encoding="utf-8")

    return done


def warm_up(app: object, editor: object) -> None:
    """Type a line and let it autosave once, so neither measured pass pays for first-time work."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for ch in "Warming up the form before measuring. ":
        QTest.keyClick(editor, ch)  # type: ignore[call-overload]
        QApplication.processEvents()
    QTest.keyClick(editor, Qt.Key.Key_Return)  # type: ignore[call-overload]
    end = time.perf_counter() + 2.5  # past the autosave's debounce and its max wait
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.005)


def window_figures(home: Path) -> dict[str, object]:
    from PySide6.QtCore import QTimer

    from caseworker_app.store.local_store import LocalStore
    from caseworker_app.ui import background
    from caseworker_app.ui.app import make_app
    from caseworker_app.ui.case_file.actions import start_visit_form
    from caseworker_app.ui.main_window import MainWindow
    from caseworker_app.ui.visit_form import VisitForm

    app = make_app()
    store = LocalStore.open(home, PASSPHRASE)
    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    runner = window.sync.runner
    pump_until(app, lambda: window.cases.model.rowCount() > 0 and len(runner.runs) >= 1 and not background.busy(),
               timeout=300)
    opened: list[VisitForm] = []
    start_visit_form(window.open_cases, window.cases.model.cases[0].id, on_open=opened.append)
    pump_until(app, lambda: bool(opened) and not background.busy())
    form = opened[0]
    window.go(2)  # the form on screen, as the person typing sees it
    pump_until(app, lambda: not background.busy())
    form.timer.setInterval(1000)  # autosave on, as the person has it

    warm_up(app, form.narrative)  # first keystrokes, first autosave, glyph caches: not part of either figure
    form.narrative.clear()  # the baseline: the next automatic run is an interval away
    _, alone = type_with_pauses(form.narrative)
    pump_until(app, lambda: not background.busy())

    watch = stall_watch() if os.environ.get("CASEWORKER_BENCH_STALLS") else None
    before = len(runner.runs)
    asking = QTimer()
    asking.setInterval(SYNC_EVERY_MS)
    asking.timeout.connect(lambda: runner.sync_now())
    asking.start()
    form.narrative.clear()
    keys, during = type_with_pauses(form.narrative)
    asking.stop()
    if watch is not None:
        watch()
    pump_until(app, lambda: not runner.running and not background.busy(), timeout=120)
    runs = runner.runs[: len(runner.runs) - before]
    pulled = sum(1 for r in runs if r.ok)
    median_key = sorted(keys)[len(keys) // 2]
    window.close()
    pump_until(app, lambda: window.store_closed and not background.busy(), timeout=120)
    return {
        "figure": vars(Figure("longest GUI stall typing 2,000 chars, syncing", [max(during)],
                              "typing, no sync", max(alone), "<= 16 ms")),
        "note": f"{len(runs)} incremental syncs ran while typing ({pulled} succeeded; each sent the autosaves "
                f"and received the other laptop's task edits); median keystroke {median_key * 1000:.1f} ms",
    }


def main() -> None:
    from benchmarks.server_bench import PASSWORD, pg_database, server
    from caseworker_app.store.local_store import LocalStore
    from caseworker_app.sync.engine import SyncEngine
    from caseworker_app.sync.enroll import enroll
    from caseworker_server.bootstrap import init_database
    from caseworker_server.db import Database
    from caseworker_server.demo import seed_demo

    with pg_database() as url, tempfile.TemporaryDirectory() as tmp:
        init_database(url)
        db = Database(url)
        with db.write() as session:
            seed_demo(session, PASSWORD, profile="large")
        db.refresh_statistics()  # as the seed-demo and import commands do
        db.dispose()
        with server(url) as port:
            base = f"http://127.0.0.1:{port}"
            home = Path(tmp) / "window"
            with LocalStore.create(home, PASSPHRASE, worker="liaison") as store:
                enroll(store, base, "liaison", PASSWORD)
                engine = SyncEngine(store)
                pulled = engine.run().pulled
                engine.transport.close()
            stop = threading.Event()
            other = threading.Thread(target=other_laptop, args=(Path(tmp) / "other", base, stop), daemon=True)
            other.start()
            time.sleep(3)  # enrolled and editing before the window opens
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "benchmarks.desktop_sync_bench", "--window", str(home)],
                    cwd=ROOT, check=True, capture_output=True, text=True,
                    env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                )
            finally:
                stop.set()
                other.join(timeout=60)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    print_figures(f"Desktop sync, large profile ({pulled:,} records), server on PostgreSQL",
                  [Figure(**measured["figure"])])
    print(f"  {measured['note']}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--window"]:
        print(json.dumps(window_figures(Path(sys.argv[2]))))
    else:
        main()
