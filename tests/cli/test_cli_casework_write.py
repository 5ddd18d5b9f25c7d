"""Writing from the terminal: a note from a file or standard input, a task done, a visit finalized."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE, run_cli

from caseworker_app import cli
from caseworker_app.domain import Case, ChildSeen, Note, Person, Task
from caseworker_app.domain.vocabulary import NoteStatus, PersonRole, TaskStatus
from caseworker_app.services import visits
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.repository import import_snapshot


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    """The passphrase line first, then what the command reads from standard input."""
    return run_cli(capsys, monkeypatch, *args, stdin=PASSPHRASE + "\n" + stdin)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "profile"
    store = LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    case = Case(reference="CW-2026-00042", family_name="Silva")
    kid = Person(case_id=case.id, role=PersonRole.CHILD, first_name="Ana", last_name="Silva")
    task = Task(
        id="11111111-1111-4111-8111-111111111111", case_id=case.id, title="Call school", due_on=date(2026, 12, 1)
    )
    import_snapshot(store.db, [case, kid, task])
    store.close()
    return home


def opened(home: Path) -> LocalStore:
    return LocalStore.open(home, PASSPHRASE)


def test_a_note_from_a_file_or_standard_input(home: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "note.txt"
    text.write_text("Called Rosa; Ana's glasses are ready at the clinic.\n", encoding="utf-8")
    code, out, _ = run(
        capsys, monkeypatch, "note", "new", "CW-2026-00042", "--from-file", str(text), "--home", str(home)
    )
    assert code == 0 and "draft note on CW-2026-00042" in out
    code, out, _ = run(
        capsys,
        monkeypatch,
        "note",
        "new",
        "cw-2026-00042",
        "--finalize",
        "--home",
        str(home),
        stdin="Dropped off the backpack.\nBen was at practice.\n",
    )
    assert code == 0 and "final note" in out
    with opened(home) as store:
        found = sorted(store.repo.all(Note), key=lambda n: n.written_at)
    assert [(n.narrative, n.status) for n in found] == [
        ("Called Rosa; Ana's glasses are ready at the clinic.", NoteStatus.DRAFT),
        ("Dropped off the backpack.\nBen was at practice.", NoteStatus.FINAL),
    ]


def test_bad_note_input_says_what_is_wrong_and_saves_nothing(home: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(
        capsys, monkeypatch, "note", "new", "CW-1", "--from-file", str(tmp_path / "missing.txt"), "--home", str(home)
    )
    assert code == cli.EXIT_USAGE and "Cannot read" in err
    code, _, err = run(capsys, monkeypatch, "note", "new", "CW-404", "--home", str(home), stdin="Text.\n")
    assert code == cli.EXIT_ERROR and "No case with the id or reference CW-404" in err
    code, _, err = run(capsys, monkeypatch, "note", "new", "CW-2026-00042", "--home", str(home), stdin="  \n")
    assert code == cli.EXIT_ERROR and "empty" in err
    with opened(home) as store:
        assert store.repo.all(Note) == []


def test_a_task_done_from_the_terminal(home: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    task_id = "11111111-1111-4111-8111-111111111111"
    code, out, _ = run(capsys, monkeypatch, "task", "done", task_id, "--home", str(home))
    assert code == 0 and "Task done: Call school" in out
    with opened(home) as store:
        assert store.repo.get(Task, task_id).status is TaskStatus.DONE
    code, _, err = run(capsys, monkeypatch, "task", "done", "no-such-task", "--home", str(home))
    assert code == cli.EXIT_ERROR and "No task with id no-such-task" in err


def test_finalizing_a_visit_lists_what_is_missing_then_finalizes(home: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with opened(home) as store:
        (case,) = store.repo.all(Case)
        (kid,) = store.repo.all(Person)
        draft = visits.start_visit(store, case.id, occurred_at=datetime(2026, 11, 2, 15, tzinfo=UTC))
    code, _, err = run(capsys, monkeypatch, "visit", "finalize", draft.visit.id, "--home", str(home))
    assert code == cli.EXIT_ERROR
    assert "Before finalizing:" in err and "purpose" in err and "Mark whether Ana Silva was seen." in err
    with opened(home) as store:
        form = {
            "purpose": "Monthly visit",
            "location": "Home",
            "narrative": "All well.",
            "children": [ChildSeen(person_id=kid.id, seen=True)],
        }
        visits.update_draft(store, draft.visit.id, form, draft)
    code, out, _ = run(capsys, monkeypatch, "visit", "finalize", draft.visit.id, "--home", str(home))
    assert code == 0 and "read-only" in out
    with opened(home) as store:
        assert visits.load_draft(store, draft.visit.id).is_final


def test_visit_times_print_in_local_time_with_the_zone(home: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from helpers import local_zone

    with opened(home) as store:
        (case,) = store.repo.all(Case)
        visits.start_visit(store, case.id, occurred_at=datetime(2026, 11, 2, 15, 30, tzinfo=UTC))
    with local_zone("Europe/Berlin"):
        code, out, _ = run(capsys, monkeypatch, "visits", case.id, "--home", str(home))
    # written as the language writes dates (English here), in the computer's zone, with its abbreviation
    assert code == 0 and "Nov 2, 2026 4:30\xa0PM CET" in out
