"""Encrypted store on the large profile: unlock, case list, case detail, search, autosave.

Each figure is also measured on a plain SQLite database with the same schema,
pragmas and data, and reported as the ratio SQLCipher / plain.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from statistics import median

import sqlcipher3
from sqlalchemy import Engine, create_engine, event

from benchmarks.common import Figure, measure, print_figures
from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain import Note
from caseworker_app.store import migrate, outbox, queries
from caseworker_app.store.database import Database
from caseworker_app.store.keywrap import KdfParams, derive_kek
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.store.repository import Repository, import_snapshot

PASSPHRASE = "benchmark passphrase"


def plain_engine(path: Path) -> Engine:
    """The same SQLite library with no key (so no encryption) and the store's pragmas: the baseline."""

    def connect() -> sqlcipher3.Connection:
        conn = sqlcipher3.connect(str(path), check_same_thread=False, timeout=30)
        for pragma in (
            "journal_mode = WAL",
            "synchronous = FULL",
            "secure_delete = ON",
            "foreign_keys = ON",
            "temp_store = MEMORY",
        ):
            conn.execute(f"PRAGMA {pragma}")
        return conn

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        reading = conn.get_execution_options().get("caseworker_read", False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


def workload(db: Database, case_id: str, note: Note) -> dict[str, object]:
    repo = Repository(db, actor="liaison")
    counter = [0]

    def autosave() -> None:
        counter[0] += 1
        note.narrative = f"Autosaved draft, revision {counter[0]}. " + "The family talked about school. " * 20
        repo.save(note)

    seen = [repo.get(Note, note.id)]

    def field_level_autosave() -> None:
        # What the visit form does: only the narrative, against the snapshot it loaded last.
        counter[0] += 1
        text = f"Autosaved draft, revision {counter[0]}. " + "The family talked about school. " * 20
        seen[0] = repo.update(Note, note.id, {"narrative": text}, seen=seen[0]).record

    return {
        "case list (300 cases)": lambda: queries.case_list(db),
        "one case in full": lambda: queries.case_detail(db, case_id),
        "full-text search": lambda: queries.search(db, "backpack housing"),
        "autosave commit (one note)": autosave,
        "field-level autosave (update vs snapshot)": field_level_autosave,
    }


def run(repeat: int = 30) -> list[Figure]:
    caseload = generate_caseload("large", today=date(2026, 11, 20))
    busy = max(caseload.cases, key=lambda c: sum(1 for v in caseload.visits if v.case_id == c.id))
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "profile"
        store = LocalStore.create(home, PASSPHRASE, worker="liaison")
        import_snapshot(store.db, caseload.records())
        note = Note(case_id=busy.id, author="liaison", narrative="draft", written_at=datetime.now(UTC))
        store.repo.save(note)
        store.close()

        plain = Database(plain_engine(Path(tmp) / "plain.db"))
        outbox.install()
        migrate.upgrade(plain.engine)
        import_snapshot(plain, caseload.records())
        Repository(plain, actor="liaison").save(note)

        profile = Profile(home)
        kdf = KdfParams.from_json(profile.metadata()["kdf"])
        unlock = measure(lambda: LocalStore.open(home, PASSPHRASE).close(), repeat=max(5, repeat // 3))
        kdf_only = measure(lambda: derive_kek(PASSPHRASE, b"", kdf), repeat=max(5, repeat // 3))
        figures = [
            Figure("profile unlock (open + migrate check)", unlock, "argon2id KDF alone", median(kdf_only)),
            Figure("argon2id KDF alone", kdf_only, "argon2id KDF alone", median(kdf_only)),
        ]

        store = LocalStore.open(home, PASSPHRASE)
        encrypted = workload(store.db, busy.id, note)
        baseline = workload(plain, busy.id, note)
        targets = {
            "case list (300 cases)": "< 20 ms",
            "one case in full": "< 20 ms",
            "full-text search": "< 20 ms",
            "autosave commit (one note)": "< 5 ms",
            "field-level autosave (update vs snapshot)": "< 5 ms",
        }
        for name, fn in encrypted.items():
            base = measure(baseline[name], repeat=repeat)
            figures.append(
                Figure(name, measure(fn, repeat=repeat), "plain SQLite", median(base), targets[name])
            )
        store.close()
        plain.close()
    return figures


def main() -> None:
    print_figures(
        "Encrypted store, large profile (300 cases, ~20,000 records); ratio = SQLCipher / plain", run()
    )


if __name__ == "__main__":
    main()
