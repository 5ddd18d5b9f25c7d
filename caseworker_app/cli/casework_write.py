"""`caseworker note new | task done | visit finalize`: the write use cases a terminal user wants."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from caseworker_app.cli.support import Terminal, UsageError, profile_folder, profile_store
from caseworker_app.services import cases, lookup, notes, tasks, visits


def _read_text(source: str | None) -> str | None:
    """The note from a file now (so a missing file fails before the passphrase); None means standard input."""
    if source is None or source == "-":
        return None
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot read {source}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source} is not UTF-8 text.") from exc


def cmd_note_new(args: argparse.Namespace, term: Terminal) -> int:
    text = _read_text(args.from_file)
    with profile_store(profile_folder(args), term) as store:
        if text is None:
            if sys.stdin.isatty():
                print("Type the note; end with Ctrl+D.", file=sys.stderr)
            text = sys.stdin.read()  # after the passphrase line, when it came on standard input
        case = cases.find_case(store, args.case)
        note = notes.add_note(store, case.id, text.strip(), finalize=args.finalize)
    state = "final" if note.is_final else "draft"
    print(f"Saved a {state} note on {case.reference}: {note.id}")
    return 0


def cmd_task_done(args: argparse.Namespace, term: Terminal) -> int:
    with profile_store(profile_folder(args), term) as store:
        task = tasks.complete_task(store, args.task_id)
    print(f"Task done: {task.title}")
    return 0


def cmd_visit_finalize(args: argparse.Namespace, term: Terminal) -> int:
    with profile_store(profile_folder(args), term) as store:
        final = visits.finalize_visit(store, lookup.resolve_visit(store, args.visit_id))
    print(f"Visit {final.visit.id} finalized; it is read-only now. Corrections: add an addendum.")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    note = sub.add_parser("note", help="write case notes").add_subparsers(dest="note_command", required=True)
    p = note.add_parser("new", parents=[common], help="a new note on a case, from a file or standard input")
    p.add_argument("case", help="the case id or reference number")
    p.add_argument("--from-file", metavar="FILE", help="UTF-8 text file ('-' or absent: standard input)")
    p.add_argument("--finalize", action="store_true", help="make the note final (read-only) at once")
    p.set_defaults(func=cmd_note_new)

    task = sub.add_parser("task", help="follow-up tasks").add_subparsers(dest="task_command", required=True)
    p = task.add_parser("done", parents=[common], help="mark a task done")
    p.add_argument("task_id", help="the task's id (as the case's task list shows it)")
    p.set_defaults(func=cmd_task_done)

    visit = sub.add_parser("visit", help="recorded visits").add_subparsers(dest="visit_command", required=True)
    p = visit.add_parser("finalize", parents=[common], help="finalize a visit and its note (read-only)")
    p.add_argument("visit_id", help="the visit's id or its short id as 'caseworker visits' prints it")
    p.set_defaults(func=cmd_visit_finalize)
