"""The store under the desktop app's threads: readers keep reading while one writer holds a transaction."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import select

from caseworker_app.domain import Case, Task
from caseworker_app.domain.codec import encode
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import CaseRow, TaskRow

READERS = 8  # more threads than SQLAlchemy's SingletonThreadPool keeps (five)


def test_many_readers_while_one_writer_holds_a_transaction(store: LocalStore) -> None:
    case = Case(reference="CW-1", family_name="Okafor")
    store.repo.save(case)
    task = Task(case_id=case.id, title="Call the school", due_on=date(2026, 12, 1))
    writing = threading.Event()
    readers_done = threading.Event()

    def writer() -> None:
        with store.db.transaction() as session:
            session.add(TaskRow(**encode(task)))
            session.flush()
            writing.set()
            # hold the write transaction open until every reader has finished its reads
            assert readers_done.wait(30)

    def reader() -> int:
        assert writing.wait(30)
        seen = 0
        for _ in range(5):
            with store.db.reading() as session:
                seen = len(list(session.scalars(select(CaseRow))))
            assert store.repo.get(Case, case.id).family_name == "Okafor"
        return seen

    with ThreadPoolExecutor(max_workers=READERS + 1) as pool:
        wrote = pool.submit(writer)
        reads = [pool.submit(reader) for _ in range(READERS)]
        results = [r.result(timeout=60) for r in reads]
        readers_done.set()
        wrote.result(timeout=60)

    assert results == [1] * READERS
    assert [t.title for t in store.repo.for_case(Task, case.id)] == ["Call the school"]
