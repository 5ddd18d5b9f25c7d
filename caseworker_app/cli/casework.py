"""`caseworker init | demo | status | cases | visits | search | passphrase`: the profile and its caseload."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseworker_app import paths
from caseworker_app.cli.support import (
    Cancelled,
    Terminal,
    UsageError,
    new_passphrase,
    open_profile,
    print_json,
    print_table,
    profile_folder,
    profile_store,
)
from caseworker_app.domain.clock import local_date
from caseworker_app.domain.vocabulary import as_words
from caseworker_app.i18n import _, ngettext
from caseworker_app.local_format import day_text, moment_text, number_text
from caseworker_app.services import casework, lookup, profiles
from caseworker_app.services import search as search_service
from caseworker_app.store import queries
from caseworker_app.store.creation import refuse_existing
from caseworker_app.store.profile import Profile


def _home(args: argparse.Namespace) -> Path:
    return profile_folder(args)


def _ask(prompt: str) -> str:
    """A plain question on a terminal; nothing when there is none (a script gives the options instead)."""
    if not sys.stdin.isatty():
        return ""
    try:
        return input(prompt).strip()
    except EOFError:
        raise Cancelled() from None


def cmd_init(args: argparse.Namespace, term: Terminal) -> int:
    home = _home(args)
    refuse_existing(home)
    rule = profiles.keyring_rule(home)
    if not rule.may_create:  # before any question: nothing typed is wasted
        raise profiles.PolicyRefusesProfile(rule.advice)
    name = args.name if args.name is not None else _ask(_("Your full name (for signatures on summaries): "))
    title = args.title if args.title is not None else _ask(_("Your job title (for example Family liaison): "))
    passphrase = new_passphrase(home, term)
    store = profiles.create_local(home, passphrase, worker=args.worker, name=name, title=title)
    term.warn_no_keyring(store.profile)
    store.close()
    print(_("Created an encrypted profile in {folder}.").format(folder=home))
    return 0


def cmd_demo(args: argparse.Namespace, term: Terminal) -> int:
    from caseworker_app.demo.profile import DEMO_KEY, demo_summary, load_demo

    home = paths.demo_home(args.home)
    if profiles.holds_profile(home):
        store = open_profile(home, term)
        built = (store.get_setting(DEMO_KEY) or {}).get("profile", "default")
        if built != ("large" if args.large else "default"):
            store.close()
            if built == "large":
                problem = _(
                    "the demo profile in {folder} holds the large caseload; nothing was changed. "
                    "For the default one use another folder (--home DIR), "
                    "or delete this one first with 'caseworker reset --demo'."
                )
            else:
                problem = _(
                    "the demo profile in {folder} holds the default caseload; nothing was changed. "
                    "For the large one use another folder (--home DIR), "
                    "or delete this one first with 'caseworker reset --demo'."
                )
            print(f"caseworker: {problem.format(folder=home)}", file=sys.stderr)
            return 1
    else:
        print(_("Creating the demo profile in {folder} ...").format(folder=home), file=sys.stderr)
        passphrase = new_passphrase(home, term, real_families=False)
        store = profiles.create_demo(home, lambda draft: load_demo(draft, large=args.large), passphrase)
    with store:
        for line in demo_summary(store, date.today()):
            print(line)
    return 0


def cmd_reset(args: argparse.Namespace, _term: Terminal) -> int:
    from caseworker_app.store.errors import ProfileMissing

    home = _home(args)
    if not profiles.holds_profile(home):
        raise ProfileMissing(_("No Caseworker profile in {folder}; nothing to delete.").format(folder=home))
    print(
        _(
            "This deletes the Caseworker profile in {folder}: its key, its database and every change "
            "not yet synced. It cannot be undone."
        ).format(folder=home),
        file=sys.stderr,
    )
    if not args.yes:
        print(_("Type DELETE to go on: "), end="", file=sys.stderr, flush=True)
        line = sys.stdin.readline()
        if not line:
            raise Cancelled()
        if line.strip() != "DELETE":
            print(_("Nothing was deleted."), file=sys.stderr)
            return 1
    profiles.delete_profile(home)
    print(
        _("Deleted the profile in {folder}. Make a new one with 'caseworker init' or 'caseworker enroll'.").format(
            folder=home
        )
    )
    return 0


def cmd_status(args: argparse.Namespace, term: Terminal) -> int:
    from caseworker_app.services.sync import sync_status

    with profile_store(_home(args), term) as store:
        summary = casework.status_summary(store, date.today())
        sync = sync_status(store)
    if args.json:
        print_json({**asdict(summary), "sync": sync})
        return 0
    rows = [
        (_("Cases:"), number_text(summary.cases)),
        (
            _("Children due a visit (month):"),
            _("{due} of {children}").format(
                due=number_text(summary.children_due_this_month), children=number_text(summary.children)
            ),
        ),
        (
            _("Open tasks:"),
            ngettext("{n} ({overdue} overdue)", "{n} ({overdue} overdue)", summary.overdue_tasks).format(
                n=number_text(summary.open_tasks), overdue=number_text(summary.overdue_tasks)
            ),
        ),
        (_("Changes waiting to sync:"), number_text(summary.pending_changes)),
        (_("Sync status:"), sync["status"]),  # the window's status line, word for word
    ]
    if not sync["enrolled"]:
        rows.append((_("Sync:"), _("not enrolled (caseworker enroll --server URL --username NAME)")))
        _print_labelled(rows)
        return 0
    state = {True: _("online"), False: _("offline"), None: _("not yet tried")}[sync["online"]]
    last = sync["last_successful_sync"]
    rows += [
        (_("Sync:"), _("{state}, server {server}").format(state=state, server=sync["server"])),
        (_("Last successful sync:"), moment_text(datetime.fromisoformat(last)) if last else _("never")),
        (_("Changes the server refused:"), number_text(sync["rejected_changes"])),
        (_("Conflicts to resolve:"), number_text(sync["conflicts"])),
    ]
    if sync["last_error"]:
        rows.append((_("Last problem:"), sync["last_error"]))
    _print_labelled(rows)
    return 0


def _print_labelled(rows: list[tuple[str, str]]) -> None:
    """Labels in one column, as wide as the longest in this language."""
    width = max(len(label) for label, _value in rows) + 1
    for label, value in rows:
        print(f"{label.ljust(width)}{value}")


def cmd_cases(args: argparse.Namespace, term: Terminal) -> int:
    with profile_store(_home(args), term) as store:
        items = queries.case_list(store.db)
    if args.json:
        print_json([asdict(i) for i in items])
        return 0
    print_table(
        [
            [
                i.reference,
                i.family_name,
                as_words(i.stage),
                as_words(i.risk_level),
                day_text(local_date(datetime.fromisoformat(i.last_contact))) if i.last_contact else "",
                number_text(i.open_tasks),
                i.id,
            ]
            for i in items
        ],
        [_("Reference"), _("Family"), _("Stage"), _("Risk"), _("Last contact"), _("Open tasks"), _("Id")],
    )
    return 0


def cmd_visits(args: argparse.Namespace, term: Terminal) -> int:
    with profile_store(_home(args), term) as store:
        detail = casework.open_case(store, lookup.resolve_case(store, args.case_id))
    names = {p.id: p.first_name for p in detail.people}
    visits = sorted(detail.visits, key=lambda v: v.occurred_at, reverse=True)
    if args.json:
        from caseworker_app.domain.codec import encode

        print_json([encode(v) for v in visits])
        return 0
    contacts = ngettext("{n} contact", "{n} contacts", len(visits)).format(n=number_text(len(visits)))
    print(f"{detail.case.reference}  {detail.case.family_name}: {contacts}")
    print_table(
        [
            [
                moment_text(v.occurred_at),
                as_words(v.contact_type.value),
                as_words(v.status.value),
                ", ".join(
                    _("{name} (alone)").format(name=names.get(c.person_id, "?"))
                    if c.seen_alone
                    else names.get(c.person_id, "?")
                    for c in v.children
                    if c.seen
                ),
                lookup.short_id(v.id),
            ]
            for v in visits
        ],
        [_("When"), _("Type"), _("Status"), _("Children seen"), _("Id")],
    )
    return 0


def cmd_search(args: argparse.Namespace, term: Terminal) -> int:
    if args.limit < 1:
        raise UsageError(_("--limit must be 1 or more."))
    with profile_store(_home(args), term) as store:
        found = search_service.search(store, args.text, limit=args.limit)
        note_visits = lookup.visits_of_notes(store, [h.row_id for h in found.hits if h.kind == "note"])
    if args.json:
        print_json([asdict(h) for h in found.hits])
        return 0
    if not found.hits:
        print(_("No matches."))
    for hit in found.hits:
        # Ids as other commands take them: the case reference, and a visit's or note's short id.
        if hit.kind == "visit":
            where = _("visit {id}").format(id=lookup.short_id(hit.row_id))
        elif hit.row_id in note_visits:  # 'summary' takes the visit a note records
            where = _("note on visit {id}").format(id=lookup.short_id(note_visits[hit.row_id]))
        else:
            where = as_words(hit.kind).lower()
        print(f"{hit.reference}  {hit.family_name}  {where}: {hit.snippet}")
    if found.more:
        print(
            ngettext(
                "{shown} of {n} match, --limit to see more", "{shown} of {n} matches, --limit to see more", found.total
            ).format(shown=number_text(len(found.hits)), n=number_text(found.total))
        )
    return 0


def cmd_passphrase(args: argparse.Namespace, term: Terminal) -> int:
    home = _home(args)
    Profile(home).metadata()  # a missing or damaged profile fails before any prompt
    old = term.secret(_("Current passphrase: "))
    new = term.secret(_("New passphrase: "), confirm=True)
    profiles.change_passphrase(home, old, new)
    print(_("Passphrase changed."))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help=_("create an encrypted profile in an empty folder"))
    p.add_argument("--worker", default="liaison", help=_("your user name at the agency (default: liaison)"))
    p.add_argument("--name", help=_("your full name as it appears on visit summaries (asked on a terminal)"))
    p.add_argument("--title", help=_("your job title for visit summaries, e.g. 'Family liaison' (asked on a terminal)"))
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "demo",
        parents=[common],
        help=_("create (if missing) and open a demo profile"),
        description=_("Create the demo profile with a generated caseload, or open it if it exists."),
    )
    p.add_argument("--large", action="store_true", help=_("300 cases and about 20,000 records"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "status",
        parents=[common],
        help=_("cases, visits due, tasks, changes to sync"),
        epilog=_(
            "--json prints one object: cases, children, children_due_this_month, open_tasks, "
            "overdue_tasks, pending_changes, and sync (enrolled, server, online, last_successful_sync, "
            "rejected_changes, conflicts, last_error)."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of text (fields below)"))
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "cases",
        parents=[common],
        help=_("list your cases"),
        epilog=_(
            "--json prints a list of objects: id, reference, family_name, stage, risk_level, "
            "assigned_worker, last_contact (ISO 8601 time or null), open_tasks."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table (fields below)"))
    p.set_defaults(func=cmd_cases)

    p = sub.add_parser(
        "visits",
        parents=[common],
        help=_("list one case's contacts"),
        epilog=_("--json prints a list of visit records with every field, ids in full."),
    )
    p.add_argument("case_id", metavar="CASE", help=_("the case reference (CW-2026-00012) or the case's id"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table (fields below)"))
    p.set_defaults(func=cmd_visits)

    p = sub.add_parser(
        "search",
        parents=[common],
        help=_("search names, visits and notes"),
        epilog=_(
            "--json prints a list of objects: kind (case, person, visit, note), row_id, case_id, "
            "family_name, reference, snippet (matching words in [brackets])."
        ),
    )
    p.add_argument("text", help=_("words to find; each word matches as a prefix, accents ignored"))
    p.add_argument(
        "--limit",
        type=int,
        default=search_service.DEFAULT_LIMIT,
        help=_("show at most this many matches, best first (default: {n})").format(n=search_service.DEFAULT_LIMIT),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of one line per match (fields below)"))
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("passphrase", parents=[common], help=_("change the profile passphrase"))
    p.set_defaults(func=cmd_passphrase)

    p = sub.add_parser(
        "reset",
        parents=[common],
        help=_("delete this profile (key, database, unsynced changes) after you confirm"),
    )
    p.add_argument("--yes", action="store_true", help=_("do not ask to type DELETE (for scripts)"))
    p.set_defaults(func=cmd_reset)
