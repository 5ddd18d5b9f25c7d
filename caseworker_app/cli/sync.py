"""`caseworker enroll | sync | conflicts | resolve`: the sync engine from a terminal."""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from dataclasses import asdict
from typing import Any

from caseworker_app.cli.support import (
    Terminal,
    UsageError,
    create_profile,
    open_profile,
    print_json,
    print_table,
    profile_folder,
)
from caseworker_app.services.sync import SyncOutcome, describe, rejected_changes
from caseworker_app.services.sync import run_once as run_sync
from caseworker_app.settings import Settings
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.sync import conflicts as conflict_service
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.errors import Offline
from caseworker_app.sync.wipe import report_pending_wipe

EXIT_OFFLINE = 4
WATCH_INTERVAL = 60.0
MAX_OFFLINE_WAIT = 300.0


def _progress_line(fraction: float, message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r[{int(fraction * 100):3d}%] {message:<50}")
        if fraction >= 1.0:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run_once(store: LocalStore, *, reconcile: bool = False) -> SyncOutcome:
    """One run with a progress line; a wipe order is announced here."""
    outcome = run_sync(store, reconcile=reconcile, progress=_progress_line)
    if outcome.wiped:
        print(
            "caseworker: IT ordered this laptop wiped; its Caseworker data and key were destroyed"
            + ("." if outcome.wipe_reported else "; the server will be told at the next contact."),
            file=sys.stderr,
        )
    return outcome


def _enrollment_server(requested: str | None, settings: Settings) -> str:
    """--server, else the configured server; a server IT's policy fixes cannot be swapped for another."""
    configured = str(settings.get("server_url"))
    if requested and settings.fixed_by_policy("server_url") and requested.rstrip("/") != configured.rstrip("/"):
        raise UsageError(f"IT policy sets the server to {configured}; leave out --server to use it.")
    if not (requested or configured):
        raise UsageError("Give the agency's server with --server URL (no server is configured).")
    return requested or configured


def cmd_enroll(args: argparse.Namespace, term: Terminal) -> int:
    home = profile_folder(args)
    server = _enrollment_server(args.server, Settings(home))
    report_pending_wipe(home)
    profile = Profile(home)
    store = open_profile(home, term) if profile.exists else create_profile(home, term, worker=args.username)
    with store:
        asker = term if args.password_stdin else Terminal(use_stdin=False)
        password = asker.secret("Server password: ", what="server password", flag="--password-stdin")
        enroll(store, server, args.username, password)
        print(f"Enrolled with {server} as {args.username}; receiving your caseload ...")
        outcome = run_once(store)
        if outcome.report is not None:
            print(describe(outcome.report))
    return 0


def cmd_sync(args: argparse.Namespace, term: Terminal) -> int:
    home = profile_folder(args)
    store = open_profile(home, term)
    if args.watch:
        return _watch(store)
    try:
        outcome = run_once(store, reconcile=args.reconcile)
    except Offline as exc:
        print(f"caseworker: {exc} Your changes are kept and will sync later.", file=sys.stderr)
        return EXIT_OFFLINE
    finally:
        store.close()
    if outcome.report is not None:
        print(describe(outcome.report))
    return 0


def _watch(store: LocalStore) -> int:
    """Sync now and then; offline is normal: back off quietly and try again."""
    stop = threading.Event()
    offline_wait = 5.0
    rng = random.Random()
    try:
        while not stop.is_set():
            try:
                outcome = run_once(store)
                if outcome.report is None:
                    return 0
                print(f"{time.strftime('%H:%M:%S')} {describe(outcome.report)}")
                offline_wait = 5.0
                stop.wait(WATCH_INTERVAL)
            except Offline:
                print(f"{time.strftime('%H:%M:%S')} offline; retrying in {int(offline_wait)} s", file=sys.stderr)
                stop.wait(offline_wait * rng.uniform(0.8, 1.2))
                offline_wait = min(MAX_OFFLINE_WAIT, offline_wait * 2)
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0


def cmd_conflicts(args: argparse.Namespace, term: Terminal) -> int:
    with open_profile(profile_folder(args), term) as store:
        found = conflict_service.list_conflicts(store, include_resolved=args.all)
    if args.json:
        print_json([asdict(c) for c in found])
        return 0
    if not found:
        print("No conflicts to resolve.")
        return 0
    print_table(
        [
            [
                c.id,
                c.family_name,
                f"{c.entity}.{c.field}",
                _short(c.mine),
                _short(c.theirs),
                f"{c.their_side_author} {c.their_side_at or ''}".strip(),
            ]
            for c in found
        ],
        ["Id", "Family", "Field", "Mine", "Theirs", "Theirs by"],
    )
    return 0


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def cmd_resolve(args: argparse.Namespace, term: Terminal) -> int:
    with open_profile(profile_folder(args), term) as store:
        kept = conflict_service.resolve(store, args.conflict_id, args.keep)
    print(f"Resolved: kept {_short(kept)}. It reaches the server and other devices at the next sync.")
    return 0


def cmd_rejected(args: argparse.Namespace, term: Terminal) -> int:
    with open_profile(profile_folder(args), term) as store:
        refused = rejected_changes(store)
    if args.json:
        print_json(refused)
        return 0
    if not refused:
        print("The server has refused none of your changes.")
    for item in refused:
        print(
            f"{item['rejected_at']}  {item['entity']} {item['row_id']} ({', '.join(item['fields'])})\n"
            f"    {item['reason']}"
        )
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("enroll", parents=[common], help="register this laptop with the agency's server")
    p.add_argument("--server", help="the sync server's URL (default: server_url from the IT policy or settings)")
    p.add_argument("--username", required=True)
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the server password from the line of standard input after the passphrase",
    )
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("sync", parents=[common], help="send local changes and receive the server's")
    p.add_argument("--watch", action="store_true", help="keep syncing; retry quietly while offline")
    p.add_argument(
        "--reconcile",
        action="store_true",
        help="also compare everything held here with the server and repair differences",
    )
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("rejected", parents=[common], help="changes the server refused, with its reasons")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rejected)

    p = sub.add_parser("conflicts", parents=[common], help="list edits that conflict with someone else's")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include resolved conflicts")
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("resolve", parents=[common], help="settle a conflict")
    p.add_argument("conflict_id")
    p.add_argument("--keep", choices=["mine", "theirs"], required=True)
    p.set_defaults(func=cmd_resolve)
