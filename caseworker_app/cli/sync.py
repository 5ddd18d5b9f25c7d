"""`caseworker enroll | sync | conflicts | resolve`: the sync engine from a terminal."""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from caseworker_app.cli.support import (
    Terminal,
    UsageError,
    new_passphrase,
    open_profile,
    print_json,
    print_table,
    profile_folder,
)
from caseworker_app.services import profiles
from caseworker_app.services.sync import SyncOutcome, describe, discard_refused, rejected_changes, resend_refused
from caseworker_app.services.sync import run_once as run_sync
from caseworker_app.settings import Settings
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.sync import conflicts as conflict_service
from caseworker_app.sync.errors import NoServer, Offline, ServerFault, SyncRunning
from caseworker_app.sync.wipe import report_pending_wipe

EXIT_OFFLINE = 4
WATCH_INTERVAL = 60.0
FIRST_RETRY = 5.0
MAX_OFFLINE_WAIT = 300.0


def _progress_line(fraction: float, message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r[{int(fraction * 100):3d}%] {message:<50}")
        if fraction >= 1.0:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run_once(store: LocalStore, *, reconcile: bool = False, wait: float = 0.0) -> SyncOutcome:
    """One run with a progress line; a wipe order is announced here."""
    outcome = run_sync(store, reconcile=reconcile, progress=_progress_line, wait=wait)
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
    if getattr(args, "demo", False):
        raise profiles.DemoCannotEnroll(
            "The demo profile holds invented families and a published passphrase, so it can never connect "
            "to your agency. Enroll into a new, empty profile folder instead (--home DIR)."
        )
    home = profile_folder(args)
    server = _enrollment_server(args.server, Settings(home))
    report_pending_wipe(home)
    asker = term if args.password_stdin else Terminal(use_stdin=False)

    def server_password() -> str:
        return asker.secret("Server password: ", what="server password", flag="--password-stdin")

    if Profile(home).exists:
        profiles.check_folder_may_enroll(home)  # a demo is refused before any prompt
        store = open_profile(home, term)
        try:
            profiles.check_may_enroll(store)
            profiles.enroll_existing(store, server, args.username, server_password())
        except BaseException:
            store.close()
            raise
    else:
        passphrase = new_passphrase(home, term)
        store = profiles.enroll_new(
            home, server_url=server, username=args.username, password=server_password(), passphrase=passphrase
        )
        term.warn_no_keyring(store.profile)
    with store:
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
        kept = "" if isinstance(exc, NoServer) else " Your changes are kept and will sync later."
        print(f"caseworker: {exc}{kept}", file=sys.stderr)
        return EXIT_OFFLINE
    finally:
        store.close()
    if outcome.report is not None:
        print(describe(outcome.report))
    return 0


def _watch(store: LocalStore) -> int:
    stop = threading.Event()
    try:
        return watch(store, pause=stop.wait, say=print, rng=random.Random())
    except KeyboardInterrupt:
        return 0
    finally:
        store.close()


def watch(
    store: LocalStore,
    *,
    pause: Callable[[float], bool],
    say: Callable[[str], None],
    rng: random.Random,
    interval: float = WATCH_INTERVAL,
) -> int:
    """Sync now and then. No network, a sign-in page or a failing server is normal on the road:
    say so once, then back off (exponential, with jitter, capped) until the server answers.
    `pause(seconds)` returns True to stop."""
    delay = FIRST_RETRY
    said: str | None = None
    while True:
        try:
            outcome = run_once(store, wait=interval)  # another run on this profile: wait for it
        except (Offline, ServerFault, SyncRunning) as exc:  # NoServer (a portal, a proxy) is Offline
            reason = type(exc).__name__
            if reason != said:
                say(f"{time.strftime('%H:%M:%S')} {exc} Trying again quietly.")
                said = reason
            if pause(min(MAX_OFFLINE_WAIT, delay * rng.uniform(0.75, 1.25))):
                return 0
            delay = min(MAX_OFFLINE_WAIT, delay * 2)
            continue
        if outcome.report is None:
            return 0  # wiped on IT's order; run_once said so
        if said is not None:
            say(f"{time.strftime('%H:%M:%S')} The sync server answers again.")
        said, delay = None, FIRST_RETRY
        say(f"{time.strftime('%H:%M:%S')} {describe(outcome.report)}")
        if pause(interval):
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
    if args.resend or args.discard:
        with open_profile(profile_folder(args), term) as store:
            if args.resend:
                print(resend_refused(store, args.resend))
            else:
                print(discard_refused(store, args.discard))
        return 0
    with open_profile(profile_folder(args), term) as store:
        refused = rejected_changes(store)
    if args.json:
        print_json(refused)
        return 0
    if not refused:
        print("The server has refused none of your changes.")
    for item in refused:
        held = f"; {item['held_back']} later edits wait behind it" if item["held_back"] else ""
        print(
            f"{item['mutation_id']}  {item['rejected_at']}  {item['entity']} {item['row_id']}"
            f" ({', '.join(item['fields'])}){held}\n"
            f"    {item['reason']}"
        )
    if refused:
        print("Fix the record, then 'caseworker rejected --resend ID'; or give it up with --discard ID.")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("enroll", parents=[common], help="register this laptop with the agency's server")
    p.add_argument("--server", help="the sync server's URL (default: server_url from the IT policy or settings)")
    p.add_argument("--username", required=True, help="your user name on the agency's server")
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

    p = sub.add_parser(
        "rejected",
        parents=[common],
        help="changes the server refused, with its reasons",
        epilog="--json prints a list of objects: rejected_at, entity, row_id, fields, reason.",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of text (fields below)")
    act = p.add_mutually_exclusive_group()
    act.add_argument("--resend", metavar="ID", help="send a refused change again, as the record stands now")
    act.add_argument(
        "--discard", metavar="ID", help="give up a refused change: the record goes back to the server's version"
    )
    p.set_defaults(func=cmd_rejected)

    p = sub.add_parser(
        "conflicts",
        parents=[common],
        help="list edits that conflict with someone else's",
        epilog="--json prints a list of conflict records: id, entity, row_id, field, both values, "
        "who made each edit and whether it is resolved.",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table (fields below)")
    p.add_argument("--all", action="store_true", help="include resolved conflicts")
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("resolve", parents=[common], help="settle a conflict")
    p.add_argument("conflict_id", help="the conflict's id as 'caseworker conflicts' prints it")
    p.add_argument(
        "--keep", choices=["mine", "theirs"], required=True, help="which side of the conflict becomes the value"
    )
    p.set_defaults(func=cmd_resolve)
