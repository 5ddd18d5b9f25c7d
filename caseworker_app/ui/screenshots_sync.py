"""sync.png and conflict.png for the screenshot tour: a real server on loopback with the demo agency,
two laptops that edit the same case apart (a real conflict), a change the server refuses and a change
waiting; the window opened on one laptop, its Sync page and the conflict settled side by side.

Development builds only (the server package must be installed); without it the two pictures are skipped.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui import background
from caseworker_app.ui.background import Op

if TYPE_CHECKING:
    from caseworker_app.ui.main_window import MainWindow
    from caseworker_app.ui.screenshots import ScreenshotTour

log = logging.getLogger(__name__)
PASSWORD = "screenshot password 1"
PASSPHRASE = "screenshot passphrase"
NOWHERE = "00000000-0000-4000-8000-000000000000"  # a note the server never had: an addendum to it is refused
REFERRAL_MINE = ("Mother called the clinic on Monday and booked the first counseling session for Thursday "
                 "after school. She asked for a reminder the day before.")
REFERRAL_THEIRS = ("Mother called the clinic on Monday and booked the first counseling session for Friday "
                   "morning. Transport is arranged through the school.")
QUICK_KDF = {"time_cost": 1, "memory_kib": 8192}  # throwaway profiles, deleted after the pictures


@dataclass
class SyncScene:
    folder: Path
    server: Any = None
    thread: threading.Thread | None = None
    store: LocalStore | None = None
    window: MainWindow | None = None
    case_id: str = ""
    ready: bool = False
    failed: bool = False
    extra: list[Any] = field(default_factory=list)


def _serve(scene: SyncScene) -> str:
    import uvicorn

    from caseworker_server.app import create_app
    from caseworker_server.demo import seed_demo

    app = create_app(f"sqlite:///{scene.folder / 'server.db'}", run_migrations=True)
    with app.state.db.write() as session:
        seed_demo(session, PASSWORD)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    scene.server = server
    scene.thread = threading.Thread(target=server.run, daemon=True)
    scene.thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the screenshot server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return f"http://127.0.0.1:{port}"


def build_scene(scene: SyncScene) -> None:
    """Worker side: the agency, two laptops, a conflict, a refused change (network and disk work)."""
    from caseworker_app.domain import Case, Note, Referral
    from caseworker_app.domain.vocabulary import RiskLevel
    from caseworker_app.sync.engine import SyncEngine
    from caseworker_app.sync.enroll import enroll

    url = _serve(scene)

    def laptop(name: str, user: str) -> LocalStore:
        store = LocalStore.create(scene.folder / name, PASSPHRASE, worker=user, kdf=KdfParams.fresh(**QUICK_KDF))
        enroll(store, url, user, PASSWORD)
        sync(store)
        return store

    def sync(store: LocalStore) -> None:
        engine = SyncEngine(store)
        try:
            engine.run()
        finally:
            engine.transport.close()

    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    open_cases = {c.id for c in mine.repo.all(Case) if c.stage != "closed"}
    referral = next(r for r in mine.repo.all(Referral) if r.case_id in open_cases)
    scene.case_id = referral.case_id
    for store, risk in ((mine, RiskLevel.VERY_HIGH), (boss, RiskLevel.LOW)):
        edited = store.repo.get(Case, referral.case_id)
        edited.risk_level = risk
        store.repo.save(edited)
    for store, notes in ((mine, REFERRAL_MINE), (boss, REFERRAL_THEIRS)):
        changed = store.repo.get(Referral, referral.id)
        changed.notes = notes
        store.repo.save(changed)
    sync(boss)
    sync(mine)  # the liaison's edit reaches the server second: a conflict, both sides kept
    mine.repo.save(Note(case_id=scene.case_id, author="liaison", narrative="Correction: the home visit was on Tuesday.",
                        written_at=datetime.now(UTC), addendum_to=NOWHERE))
    sync(mine)  # refused: an addendum to a note the server never had
    boss.close()
    scene.store = mine


def add_waiting_change(store: LocalStore) -> None:
    from caseworker_app.domain import Task

    tasks = store.repo.all(Task)
    if tasks:
        tasks[0].title = "Call the school counselor about the reading plan"
        store.repo.save(tasks[0])


def sync_steps(tour: ScreenshotTour) -> list[tuple[Callable[[], None], Callable[[], bool]]]:
    try:
        import caseworker_server.app  # noqa: F401
    except ImportError:
        log.warning("The server package is not installed: sync.png and conflict.png are skipped")
        return []
    scene = SyncScene(Path(tempfile.mkdtemp(prefix="caseworker-shots-")))

    def start() -> None:
        def built(_r: object) -> None:
            scene.ready = True

        def failed(exc: BaseException) -> None:
            log.error("The sync scene could not be built: %s", type(exc).__name__)
            scene.failed = tour.failed = True

        Op(None, lambda: build_scene(scene), what="building the sync scene", lane="sync").success(built).failure(
            failed
        ).run()

    def open_window() -> None:
        from caseworker_app.ui.main_window import MainWindow
        from caseworker_app.ui.screenshots import SIZE

        if scene.failed or scene.store is None:
            return
        window = MainWindow(scene.store)
        window.resize(*SIZE)
        window.show()
        scene.window = window

    def first_run_done() -> bool:
        window = scene.window
        return window is None or (bool(window.sync.runner.runs) and not background.busy())

    def waiting_change() -> None:
        if scene.store is not None:
            store = scene.store
            Op(None, lambda: add_waiting_change(store), what="editing a task").success(lambda _r: None).run()

    def sync_page() -> None:
        if scene.window is not None:
            scene.window.sync.show_page()
            page = scene.window.sync.page
            if page is not None:
                page.resize(1100, 720)

    def page_ready() -> bool:
        window = scene.window
        if window is None:
            return True
        page = window.sync.page
        status = window.sync.runner.status
        return (page is not None and page.lists is not None and status is not None and status.waiting > 0
                and not background.busy())

    def shoot_page() -> None:
        if scene.window is not None and scene.window.sync.page is not None:
            tour._shot("sync.png", scene.window.sync.page)

    def open_conflict() -> None:
        page = scene.window.sync.page if scene.window is not None else None
        if page is not None and page.lists is not None and page.lists.conflicts:
            # the narrative one: its sides read as a word diff
            conflicts = sorted(page.lists.conflicts, key=lambda c: c.field != "notes")
            page.settle_conflict(conflicts[0])
            if page.last_box is not None:
                hint = page.last_box.sizeHint()
                page.last_box.resize(max(900, hint.width()), max(320, hint.height()))

    def shoot_conflict() -> None:
        page = scene.window.sync.page if scene.window is not None else None
        if page is not None and page.last_box is not None:
            tour._shot("conflict.png", page.last_box)
            page.last_box.close()

    def close() -> None:
        window = scene.window
        if window is not None:
            if window.sync.page is not None:
                window.sync.page.close()
            window.close()

    def closed() -> bool:
        return scene.window is None or (bool(scene.window.store_closed) and not background.busy())

    def clean_up() -> None:
        def stop_and_remove() -> None:  # off the GUI thread: a join and a folder removal
            if scene.server is not None:
                scene.server.should_exit = True
            if scene.thread is not None:
                scene.thread.join(timeout=20)
            shutil.rmtree(scene.folder, ignore_errors=True)

        Op(None, stop_and_remove, what="removing the sync scene", lane="sync").success(lambda _r: None).failure(
            lambda _e: None
        ).run()

    return [
        (start, lambda: scene.ready or scene.failed),
        (open_window, first_run_done),
        (waiting_change, lambda: not background.busy()),
        (sync_page, page_ready),
        (shoot_page, lambda: True),
        (open_conflict, lambda: not background.busy()),
        (shoot_conflict, lambda: True),
        (close, closed),
        (clean_up, lambda: True),
    ]
