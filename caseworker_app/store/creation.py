"""Making a new profile folder all at once: under an exclusive lock, built aside, renamed into place.

A creation that is interrupted (Ctrl-C, a crash, a full disk) leaves nothing a
later run could mistake for a profile, and two runs on one folder never interleave.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from caseworker_app.i18n import _
from caseworker_app.store.errors import ProfileBusy, ProfileExists
from caseworker_app.store.profile import Profile
from caseworker_app.store.profile_label import DATABASE_FILE, PROFILE_FILE

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl


def lock_path(home: Path) -> Path:
    # Beside the folder, not in it: the folder may not exist yet and must stay empty until done.
    return home.parent / f".{home.name}.lock"


def _try_lock(handle: IO[bytes]) -> bool:
    try:
        if sys.platform == "win32":  # pragma: no cover
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def creation_lock(home: Path) -> Iterator[None]:
    """Exclusive for one process at a time; the lock goes with the process, even if it is killed."""
    home.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(home), "a+b") as handle:
        if not _try_lock(handle):
            raise ProfileBusy(
                _(
                    "A Caseworker profile is being created in {folder} by another program right now. "
                    "Wait for it to finish, then open that profile."
                ).format(folder=home)
            )
        yield  # closing the file releases the lock


def refuse_existing(home: Path) -> None:
    """A new profile is made only in an empty folder (or one holding just IT's settings)."""
    profile = Profile(home)
    if profile.exists:
        raise ProfileExists(_("A Caseworker profile already exists in {folder}.").format(folder=home))
    if profile.database_path.exists():
        raise ProfileExists(
            _(
                "{folder} holds a Caseworker database ({database}) without its key file ({key_file}); "
                "a new profile is not made on top of it. Restore the key file from your backup, or delete "
                "the old profile with 'caseworker reset'."
            ).format(folder=home, database=DATABASE_FILE, key_file=PROFILE_FILE)
        )


def staging_folder(home: Path) -> Path:
    return home.parent / f".{home.name}.creating-{uuid.uuid4().hex[:12]}"


def discard(staging: Path) -> None:
    """Remove a half-made profile, its keyring entry included."""
    if staging.exists():
        with contextlib.suppress(OSError):
            Profile(staging).destroy()
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _no_interrupt() -> Iterator[None]:
    """Ctrl-C waits for the few renames that put the profile in place."""
    if os.name == "nt" or not hasattr(signal, "pthread_sigmask"):  # pragma: no cover
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def move_into_place(staging: Path, home: Path) -> None:
    """One rename when the folder is new; otherwise the files, the key file last."""
    with _no_interrupt():
        if not home.exists():
            os.replace(staging, home)
            return
        names = sorted(p.name for p in staging.iterdir())
        names.sort(key=lambda name: name == PROFILE_FILE)  # without the key file nothing looks like a profile
        for name in names:
            os.replace(staging / name, home / name)
        staging.rmdir()
