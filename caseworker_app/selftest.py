"""`--self-test`: prove an installed copy works here, offline and without a display, then leave no trace.

Each check prints one line; the first failure stops the run and its name is the last line, so IT can
paste it into a ticket. Everything lives in a throw-away folder that is removed whatever happens.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from caseworker_app.buildinfo import version_line

EXIT_FAILED = 1
# A throw-away passphrase for a throw-away store; never a user's.
_PASSPHRASE = "self-test passphrase, not a secret"
_NARRATIVE = "Self-test note: Zoë and Łukasz were seen at home; the kitchen had food."
# The module the desktop package provides for this check; absent in a terminal-only build.
WINDOW_MODULE = "caseworker_app.ui.selftest_window"


class WindowRenderer(Protocol):
    def __call__(self, home: Path, passphrase: str, png: Path) -> None:
        """Open the profile in `home` in the main window offscreen and save a picture of it to `png`."""


class SelfTestFailed(Exception):
    """A check did not hold; the message says what was expected."""


@dataclass
class Context:
    folder: Path
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.folder / "profile"


def find_window_renderer() -> WindowRenderer | None:
    """The desktop window's offscreen renderer, if this build ships the window and Qt."""
    try:
        if importlib.util.find_spec(WINDOW_MODULE) is None:
            return None
    except ModuleNotFoundError:
        return None
    module = importlib.import_module(WINDOW_MODULE)
    renderer: WindowRenderer = module.render_main_window
    return renderer


@contextmanager
def no_os_keyring() -> Iterator[None]:
    """The throw-away profile must not leave a device secret in the user's real keyring."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def check_policy(ctx: Context) -> str:
    """A policy IT must fix stops the app at start: say so here too, naming the file and line."""
    from caseworker_app import settings

    path = settings.policy_path()
    values = settings.load_policy(path)
    if not path.exists():
        return f"no IT policy file at {path}"
    return f"IT policy {path} applies ({len(values)} setting{'s' if len(values) != 1 else ''} fixed)"


def check_store(ctx: Context) -> str:
    from caseworker_app.store.keywrap import KdfParams
    from caseworker_app.store.local_store import LocalStore

    # argon2id at a lighter cost than a real profile: this store lives for a second.
    store = LocalStore.create(ctx.home, _PASSPHRASE, worker="self-test",
                              kdf=KdfParams.fresh(time_cost=1, memory_kib=16384))
    store.close()
    header = store.profile.database_path.read_bytes()[:16]
    if header.startswith(b"SQLite format 3"):
        raise SelfTestFailed("the database file is readable without the key (SQLCipher is not in use)")
    return "encrypted store created"


def check_note(ctx: Context) -> str:
    from caseworker_app.domain.entities import Case, ChildSeen, Note, Person, Visit
    from caseworker_app.domain.vocabulary import ContactType, NoteStatus, PersonRole
    from caseworker_app.store.local_store import LocalStore

    store = LocalStore.open(ctx.home, _PASSPHRASE)
    try:
        case = store.repo.save(Case(reference="SELFTEST-1", family_name="Selftest"))
        child = store.repo.save(Person(case_id=case.id, role=PersonRole.CHILD, first_name="Zoë", last_name="Selftest"))
        now = datetime.now(UTC)
        visit = store.repo.save(Visit(case_id=case.id, contact_type=ContactType.HOME_VISIT, occurred_at=now,
                                      children=[ChildSeen(person_id=child.id, seen=True)], worker="self-test"))
        note = store.repo.save(Note(case_id=case.id, author="self-test", narrative=_NARRATIVE, visit_id=visit.id,
                                    status=NoteStatus.DRAFT, written_at=now))
    finally:
        store.close()
    # Read it back through a fresh unlock, as after a restart.
    store = LocalStore.open(ctx.home, _PASSPHRASE)
    try:
        if store.repo.get(Note, note.id).narrative != _NARRATIVE:
            raise SelfTestFailed("the note read back differs from the note written")
    finally:
        store.close()
    ctx.notes["visit_id"] = visit.id
    return "note written and read back after unlocking again"


def check_window(ctx: Context, renderer: WindowRenderer) -> str:
    png = ctx.folder / "main-window.png"
    renderer(ctx.home, _PASSPHRASE, png)
    if not png.is_file() or png.stat().st_size == 0:
        raise SelfTestFailed("the main window rendered no picture")
    return "main window rendered offscreen"


def check_summary(ctx: Context) -> str:
    from pypdf import PdfReader

    from caseworker_app.services.reports import AgencyBranding, Audience, export_visit_summary
    from caseworker_app.store.local_store import LocalStore

    out = ctx.folder / "visit-summary.pdf"
    store = LocalStore.open(ctx.home, _PASSPHRASE)
    try:
        export_visit_summary(store.repo, ctx.notes["visit_id"], out, audience=Audience.FULL,
                             agency=AgencyBranding(name="Self-test agency"), audit=store.repo)
    finally:
        store.close()
    text = "".join(page.extract_text() or "" for page in PdfReader(out).pages)
    if "Zoë" not in text:
        raise SelfTestFailed("the visit summary PDF does not show the child's name (fonts missing?)")
    return f"visit summary PDF written ({out.stat().st_size // 1024} KiB)"


def run(
    out: Callable[[str], None] = print,
    renderer: WindowRenderer | bool | None = True,
    program: str = "caseworker",
) -> int:
    """Run every check; returns the exit code. `renderer=True` looks the window up in this build."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    window = find_window_renderer() if renderer is True else renderer or None
    checks: list[tuple[str, Callable[[Context], str] | None]] = [
        ("policy", check_policy),
        ("store", check_store),
        ("note", check_note),
        ("window", None if window is None else (lambda ctx: check_window(ctx, window))),
        ("summary", check_summary),
    ]

    out(version_line(program))
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="caseworker-selftest-"))
    ctx = Context(folder)
    failed: str | None = None
    try:
        with no_os_keyring():
            for name, check in checks:
                if check is None:
                    out(f"skip {name}: this build has no desktop window")
                    continue
                try:
                    out(f"ok   {name}: {check(ctx)}")
                except Exception as exc:  # any failure is reported by name, never as a traceback
                    failed = name
                    out(f"FAIL {name}: {_describe(exc)}")
                    break
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        out(f"FAIL cleanup: {folder} could not be removed")
        return EXIT_FAILED
    out(f"ok   cleanup: throw-away folder removed ({time.monotonic() - started:.1f} s in all)")
    if failed:
        out(f"self-test FAILED at check '{failed}'")
        return EXIT_FAILED
    out("self-test passed")
    return 0


def _describe(exc: Exception) -> str:
    if isinstance(exc, SelfTestFailed):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def main() -> int:
    return run()


if __name__ == "__main__":
    sys.exit(main())
