"""`caseworker enroll | sync | conflicts | resolve`: the sync engine from a terminal."""

from __future__ import annotations

import argparse
import random
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
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
from caseworker_app.domain.clock import now_utc
from caseworker_app.domain.vocabulary import as_words
from caseworker_app.i18n import _, ngettext
from caseworker_app.local_format import moment_text, time_text
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
        if outcome.wipe_reported:
            said = _("IT ordered this laptop wiped; its Caseworker data and key were destroyed.")
        else:
            said = _(
                "IT ordered this laptop wiped; its Caseworker data and key were destroyed; "
                "the server will be told at the next contact."
            )
        print(f"caseworker: {said}", file=sys.stderr)
    return outcome


def _enrollment_server(requested: str | None, settings: Settings) -> str:
    """--server, else the configured server; a server IT's policy fixes cannot be swapped for another."""
    configured = str(settings.get("server_url"))
    if requested and settings.fixed_by_policy("server_url") and requested.rstrip("/") != configured.rstrip("/"):
        raise UsageError(
            _("IT policy sets the server to {server}; leave out --server to use it.").format(server=configured)
        )
    if not (requested or configured):
        raise UsageError(_("Give the agency's server with --server URL (no server is configured)."))
    return requested or configured


def cmd_enroll(args: argparse.Namespace, term: Terminal) -> int:
    if getattr(args, "demo", False):
        raise profiles.DemoCannotEnroll(
            _(
                "The demo profile holds invented families and a published passphrase, so it can never connect "
                "to your agency. Enroll into a new, empty profile folder instead (--home DIR)."
            )
        )
    home = profile_folder(args)
    server = _enrollment_server(args.server, Settings(home))
    report_pending_wipe(home)
    asker = term if args.password_stdin else Terminal(use_stdin=False)

    def server_password() -> str:
        return asker.secret(_("Server password: "), what="server password", flag="--password-stdin")

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
        print(
            _("Enrolled with {server} as {username}; receiving your caseload ...").format(
                server=server, username=args.username
            )
        )
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
        if isinstance(exc, NoServer):
            print(f"caseworker: {exc}", file=sys.stderr)
        else:
            kept = _("{problem} Your changes are kept and will sync later.").format(problem=exc)
            print(f"caseworker: {kept}", file=sys.stderr)
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
                say(_("{time} {problem} Trying again quietly.").format(time=_clock(), problem=exc))
                said = reason
            if pause(min(MAX_OFFLINE_WAIT, delay * rng.uniform(0.75, 1.25))):
                return 0
            delay = min(MAX_OFFLINE_WAIT, delay * 2)
            continue
        if outcome.report is None:
            return 0  # wiped on IT's order; run_once said so
        if said is not None:
            say(_("{time} The sync server answers again.").format(time=_clock()))
        said, delay = None, FIRST_RETRY
        say(f"{_clock()} {describe(outcome.report)}")
        if pause(interval):
            return 0


def _clock() -> str:
    """The time now as this language writes it, with the zone: a watched terminal reads like a log."""
    return time_text(now_utc())


def cmd_conflicts(args: argparse.Namespace, term: Terminal) -> int:
    with open_profile(profile_folder(args), term) as store:
        found = conflict_service.list_conflicts(store, include_resolved=args.all)
    if args.json:
        print_json([asdict(c) for c in found])
        return 0
    if not found:
        print(_("No conflicts to resolve."))
        return 0
    print_table(
        [
            [
                c.id,
                c.family_name,
                f"{c.entity}.{c.field}",
                _short(c.mine),
                _short(c.theirs),
                f"{c.their_side_author} {_local_moment(c.their_side_at) if c.their_side_at else ''}".strip(),
            ]
            for c in found
        ],
        [_("Id"), _("Family"), _("Field"), _("Mine"), _("Theirs"), _("Theirs by")],
    )
    return 0


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def cmd_resolve(args: argparse.Namespace, term: Terminal) -> int:
    with open_profile(profile_folder(args), term) as store:
        kept = conflict_service.resolve(store, args.conflict_id, args.keep)
    print(
        _("Resolved: kept {value}. It reaches the server and other devices at the next sync.").format(
            value=_short(kept)
        )
    )
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
        print(_("The server has refused none of your changes."))
    for item in refused:
        n = item["held_back"]
        held = ngettext("; {n} later edit waits behind it", "; {n} later edits wait behind it", n).format(n=n)
        print(
            f"{item['mutation_id']}  {_local_moment(item['rejected_at'])}  {as_words(item['entity'])} {item['row_id']}"
            f" ({', '.join(item['fields'])}){held if n else ''}\n"
            f"    {_(item['reason'])}"  # the server's English, in the laptop's language
        )
    if refused:
        print(_("Fix the record, then 'caseworker rejected --resend ID'; or give it up with --discard ID."))
    return 0


def _local_moment(stamp: str) -> str:
    """A stored UTC stamp as a local date and time for a person (JSON keeps the stamp)."""
    try:
        return moment_text(datetime.fromisoformat(stamp))
    except (TypeError, ValueError):
        return str(stamp)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("enroll", parents=[common], help=_("register this laptop with the agency's server"))
    p.add_argument("--server", help=_("the sync server's URL (default: server_url from the IT policy or settings)"))
    p.add_argument("--username", required=True, help=_("your user name on the agency's server"))
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the server password from the line of standard input after the passphrase"),
    )
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("sync", parents=[common], help=_("send local changes and receive the server's"))
    p.add_argument("--watch", action="store_true", help=_("keep syncing; retry quietly while offline"))
    p.add_argument(
        "--reconcile",
        action="store_true",
        help=_("also compare everything held here with the server and repair differences"),
    )
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser(
        "rejected",
        parents=[common],
        help=_("changes the server refused, with its reasons"),
        epilog=_("--json prints a list of objects: rejected_at, entity, row_id, fields, reason."),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of text (fields below)"))
    act = p.add_mutually_exclusive_group()
    act.add_argument("--resend", metavar="ID", help=_("send a refused change again, as the record stands now"))
    act.add_argument(
        "--discard", metavar="ID", help=_("give up a refused change: the record goes back to the server's version")
    )
    p.set_defaults(func=cmd_rejected)

    p = sub.add_parser(
        "conflicts",
        parents=[common],
        help=_("list edits that conflict with someone else's"),
        epilog=_(
            "--json prints a list of conflict records: id, entity, row_id, field, both values, "
            "who made each edit and whether it is resolved."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table (fields below)"))
    p.add_argument("--all", action="store_true", help=_("include resolved conflicts"))
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("resolve", parents=[common], help=_("settle a conflict"))
    p.add_argument("conflict_id", help=_("the conflict's id as 'caseworker conflicts' prints it"))
    p.add_argument(
        "--keep", choices=["mine", "theirs"], required=True, help=_("which side of the conflict becomes the value")
    )
    p.set_defaults(func=cmd_resolve)
