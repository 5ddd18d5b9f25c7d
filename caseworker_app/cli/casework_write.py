"""`caseworker note new | task done | visit finalize`: the write use cases a terminal user wants."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from caseworker_app.cli.support import Terminal, UsageError, profile_folder, profile_store
from caseworker_app.i18n import _
from caseworker_app.services import cases, lookup, notes, tasks, visits


def _read_text(source: str | None) -> str | None:
    """The note from a file now (so a missing file fails before the passphrase); None means standard input."""
    if source is None or source == "-":
        return None
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(_("Cannot read {file}: {reason}.").format(file=source, reason=exc.strerror or exc)) from exc
    except UnicodeDecodeError as exc:
        raise UsageError(_("{file} is not UTF-8 text.").format(file=source)) from exc


def cmd_note_new(args: argparse.Namespace, term: Terminal) -> int:
    text = _read_text(args.from_file)
    with profile_store(profile_folder(args), term) as store:
        if text is None:
            if sys.stdin.isatty():
                print(_("Type the note; end with Ctrl+D."), file=sys.stderr)
            text = sys.stdin.read()  # after the passphrase line, when it came on standard input
        case = cases.find_case(store, args.case)
        note = notes.add_note(store, case.id, text.strip(), finalize=args.finalize)
    if note.is_final:
        print(_("Saved a final note on {case}: {id}").format(case=case.reference, id=note.id))
    else:
        print(_("Saved a draft note on {case}: {id}").format(case=case.reference, id=note.id))
    return 0


def cmd_task_done(args: argparse.Namespace, term: Terminal) -> int:
    with profile_store(profile_folder(args), term) as store:
        task = tasks.complete_task(store, args.task_id)
    print(_("Task done: {title}").format(title=task.title))
    return 0


def cmd_visit_finalize(args: argparse.Namespace, term: Terminal) -> int:
    with profile_store(profile_folder(args), term) as store:
        final = visits.finalize_visit(store, lookup.resolve_visit(store, args.visit_id))
    print(_("Visit {id} finalized; it is read-only now. Corrections: add an addendum.").format(id=final.visit.id))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    note = sub.add_parser("note", help=_("write case notes")).add_subparsers(dest="note_command", required=True)
    p = note.add_parser("new", parents=[common], help=_("a new note on a case, from a file or standard input"))
    p.add_argument("case", help=_("the case id or reference number"))
    p.add_argument("--from-file", metavar="FILE", help=_("UTF-8 text file ('-' or absent: standard input)"))
    p.add_argument("--finalize", action="store_true", help=_("make the note final (read-only) at once"))
    p.set_defaults(func=cmd_note_new)

    task = sub.add_parser("task", help=_("follow-up tasks")).add_subparsers(dest="task_command", required=True)
    p = task.add_parser("done", parents=[common], help=_("mark a task done"))
    p.add_argument("task_id", help=_("the task's id (as the case's task list shows it)"))
    p.set_defaults(func=cmd_task_done)

    visit = sub.add_parser("visit", help=_("recorded visits")).add_subparsers(dest="visit_command", required=True)
    p = visit.add_parser("finalize", parents=[common], help=_("finalize a visit and its note (read-only)"))
    p.add_argument("visit_id", help=_("the visit's id or its short id as 'caseworker visits' prints it"))
    p.set_defaults(func=cmd_visit_finalize)
