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
    Terminal,
    create_profile,
    open_profile,
    print_json,
    print_table,
    profile_folder,
    profile_store,
)
from caseworker_app.domain.clock import local_date, local_text
from caseworker_app.services import casework
from caseworker_app.services import search as search_service
from caseworker_app.store import queries
from caseworker_app.store.profile import Profile


def _home(args: argparse.Namespace) -> Path:
    return profile_folder(args)


def cmd_init(args: argparse.Namespace, term: Terminal) -> int:
    store = create_profile(_home(args), term, worker=args.worker)
    store.close()
    print(f"Created an encrypted profile in {_home(args)}.")
    return 0


def cmd_demo(args: argparse.Namespace, term: Terminal) -> int:
    from caseworker_app.demo.profile import demo_summary, load_demo

    home = paths.demo_home(args.home)
    if Profile(home).exists:
        store = open_profile(home, term)
    else:
        store = create_profile(home, term, worker="liaison")
        print(f"Creating the demo profile in {home} ...", file=sys.stderr)
        load_demo(store, large=args.large)
    with store:
        for line in demo_summary(store, date.today()):
            print(line)
    return 0


def cmd_status(args: argparse.Namespace, term: Terminal) -> int:
    from caseworker_app.services.sync import sync_status

    with profile_store(_home(args), term) as store:
        summary = casework.status_summary(store, date.today())
        sync = sync_status(store)
    if args.json:
        print_json({**asdict(summary), "sync": sync})
        return 0
    print(f"Cases:                        {summary.cases}")
    print(f"Children due a visit (month): {summary.children_due_this_month} of {summary.children}")
    print(f"Open tasks:                   {summary.open_tasks} ({summary.overdue_tasks} overdue)")
    print(f"Changes waiting to sync:      {summary.pending_changes}")
    if not sync["enrolled"]:
        print("Sync:                         not enrolled (caseworker enroll --server URL --username NAME)")
        return 0
    state = {True: "online", False: "offline", None: "not yet tried"}[sync["online"]]
    print(f"Sync:                         {state}, server {sync['server']}")
    print(f"Last successful sync:         {sync['last_successful_sync'] or 'never'}")
    print(f"Changes the server refused:   {sync['rejected_changes']}")
    print(f"Conflicts to resolve:         {sync['conflicts']}")
    if sync["last_error"]:
        print(f"Last problem:                 {sync['last_error']}")
    return 0


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
                i.stage,
                i.risk_level,
                local_date(datetime.fromisoformat(i.last_contact)).isoformat() if i.last_contact else "",
                str(i.open_tasks),
                i.id,
            ]
            for i in items
        ],
        ["Reference", "Family", "Stage", "Risk", "Last contact", "Open tasks", "Id"],
    )
    return 0


def cmd_visits(args: argparse.Namespace, term: Terminal) -> int:
    with profile_store(_home(args), term) as store:
        detail = casework.open_case(store, args.case_id)
    names = {p.id: p.first_name for p in detail.people}
    visits = sorted(detail.visits, key=lambda v: v.occurred_at, reverse=True)
    if args.json:
        from caseworker_app.domain.codec import encode

        print_json([encode(v) for v in visits])
        return 0
    print(f"{detail.case.reference}  {detail.case.family_name}: {len(visits)} contacts")
    print_table(
        [
            [
                local_text(v.occurred_at),
                v.contact_type.value,
                v.status.value,
                ", ".join(
                    names.get(c.person_id, "?") + (" (alone)" if c.seen_alone else "") for c in v.children if c.seen
                ),
                v.id,
            ]
            for v in visits
        ],
        ["When", "Type", "Status", "Children seen", "Id"],
    )
    return 0


def cmd_search(args: argparse.Namespace, term: Terminal) -> int:
    with profile_store(_home(args), term) as store:
        hits = search_service.search(store, args.text)
    if args.json:
        print_json([asdict(h) for h in hits])
        return 0
    if not hits:
        print("No matches.")
    for hit in hits:
        print(f"{hit.reference}  {hit.family_name}  [{hit.kind} {hit.row_id}]\n    {hit.snippet}")
    return 0


def cmd_passphrase(args: argparse.Namespace, term: Terminal) -> int:
    profile = Profile(_home(args))
    profile.metadata()
    old = term.secret("Current passphrase: ")
    new = term.secret("New passphrase: ", confirm=True)
    profile.change_passphrase(old, new)
    print("Passphrase changed.")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="create an encrypted profile")
    p.add_argument("--worker", default="liaison", help="your user name at the agency")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", parents=[common], help="create (if missing) and open a demo profile")
    p.add_argument("--large", action="store_true", help="300 cases and about 20,000 records")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("status", parents=[common], help="cases, visits due, tasks, changes to sync")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("cases", parents=[common], help="list your cases")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cases)

    p = sub.add_parser("visits", parents=[common], help="list one case's contacts")
    p.add_argument("case_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_visits)

    p = sub.add_parser("search", parents=[common], help="search names, visits and notes")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("passphrase", parents=[common], help="change the profile passphrase")
    p.set_defaults(func=cmd_passphrase)
