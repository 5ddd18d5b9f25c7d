"""`caseworker-server`: the admin command line. Clear one-line errors, non-zero exit codes, no tracebacks."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from caseworker_app import __version__
from caseworker_app.sync.protocol import PROTOCOL_VERSION
from caseworker_server import admin
from caseworker_server.bootstrap import init_database
from caseworker_server.config import (
    DATABASE_URL_ENV,
    DOCS_ENV,
    TRUSTED_PROXIES_ENV,
    Settings,
    resolve_database_url,
    tuning_from_env,
)
from caseworker_server.db import Database
from caseworker_server.errors import CaseworkerServerError
from caseworker_server.models import User

log = logging.getLogger(__name__)


def read_password(prompt: str = "Password: ") -> str:
    """From a prompt on a terminal, else the first line of standard input; never from arguments."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Repeat: ") != first:
            raise CaseworkerServerError("The two passwords differ.")
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CaseworkerServerError("Give the password on the first line of standard input.")
    return line


def _db(args: argparse.Namespace) -> Database:
    url = resolve_database_url(args.database_url)
    init_database(url)
    return Database(url)


def cmd_init(args: argparse.Namespace) -> None:
    url = resolve_database_url(args.database_url)
    init_database(url)
    print("Database ready.")


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn
    from sqlalchemy.engine import make_url

    from caseworker_server.access_log import logging_config

    if bool(args.tls_cert) != bool(args.tls_key):
        raise CaseworkerServerError("Give both --tls-cert and --tls-key, or neither.")
    settings = _tuning()  # the workers read the same environment
    url = resolve_database_url(args.database_url)
    init_database(url)
    os.environ[DATABASE_URL_ENV] = url
    os.environ[TRUSTED_PROXIES_ENV] = ",".join(args.trusted_proxy or [])
    # Only the flag decides: whatever the environment held before is overwritten (issue 20, item 16).
    os.environ[DOCS_ENV] = "1" if args.docs else "0"
    shown = make_url(url).render_as_string(hide_password=True)
    workers = f"{args.workers} worker{'s' if args.workers != 1 else ''}"
    print(
        f"caseworker-server {__version__}: serving {'https' if args.tls_cert else 'http'}://{args.host}:{args.port} "
        f"(database {shown}, {workers}, protocol {PROTOCOL_VERSION}); Ctrl-C stops it.",
        flush=True,
    )
    uvicorn.run(
        "caseworker_server.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,  # ours (access_log.py) leaves out query values
        log_config=logging_config(),
        http="caseworker_server.serving:NoDelayH11Protocol",
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        # Forwarded headers are read by the app, from --trusted-proxy addresses only.
        proxy_headers=False,
        # SIGTERM: stop accepting, let requests under way (a push is one transaction) finish, then exit.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


def cmd_user_add(args: argparse.Namespace) -> None:
    password = read_password()
    db = _db(args)
    with db.write() as session:
        admin.add_user(
            session,
            args.username,
            args.role,
            password,
            supervisor=args.supervisor,
            display_name=args.display_name or "",
        )
    print(f"Added {args.role} {args.username}.")


def cmd_user_list(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.read() as session:
        users = list(session.execute(select(User).order_by(User.username)).scalars())
        names = {u.id: u.username for u in users}
        for user in users:
            supervisor = names.get(user.supervisor_id, "-") if user.supervisor_id else "-"
            state = "disabled" if user.disabled else "active"
            print(f"{user.username}\t{user.role}\t{state}\tsupervisor: {supervisor}")


def cmd_user_disable(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.write() as session:
        admin.set_disabled(session, args.username, not args.enable)
    print(f"{'Enabled' if args.enable else 'Disabled'} {args.username}.")


def cmd_user_enable(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.write() as session:
        admin.set_disabled(session, args.username, False)
    print(f"Enabled {args.username}.")


def cmd_user_reset_password(args: argparse.Namespace) -> None:
    password = read_password("New password: ")
    db = _db(args)
    with db.write() as session:
        admin.reset_password(session, args.username, password)
    print(f"Password of {args.username} changed.")


def cmd_user_import(args: argparse.Namespace) -> None:
    from caseworker_server.user_import import run_import

    out = Path(args.passwords_out) if args.passwords_out else None
    result = run_import(_db(args), Path(args.file), out)
    counts = ", ".join(f"{n} {role}{'s' * (n != 1)}" for role, n in result.added.items() if n)
    print(f"Added {counts}.")
    if result.generated:
        print(f"Passwords of {len(result.generated)} of them are in {out} (readable by you only); delete it after use.")


def cmd_case_import(args: argparse.Namespace) -> None:
    from caseworker_server.importer import import_cases, load_file

    data = load_file(Path(args.file))
    db = _db(args)
    with db.write() as session:
        summary = import_cases(session, data)
    db.refresh_statistics()
    print(
        f"Imported {summary.cases} cases, {summary.members} members, {summary.schools} schools; "
        f"{summary.assigned} assignments."
    )
    assigned = [str(c["id"]).lower() for c in data.get("cases", []) if isinstance(c, dict) and c.get("assigned_to")]
    _warn_holdings(db, assigned)


def cmd_case_assign(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.write() as session:
        admin.assign(session, args.case, args.user)
    print(f"Case {args.case} assigned to {args.user}.")
    _warn_holdings(db, [args.case.lower()])


def _tuning() -> Settings:
    try:
        return Settings(**tuning_from_env())
    except ValueError as exc:
        raise CaseworkerServerError(str(exc)) from exc


def _warn_holdings(db: Database, case_ids: list[str]) -> None:
    """After cases moved: a warning (stderr) for anyone whose laptop now holds too many records."""
    from caseworker_server.retention import holding_warnings

    if not case_ids:
        return
    with db.read() as session:
        for warning in holding_warnings(session, case_ids, _tuning().records_per_user_warning):
            print(f"caseworker-server: warning: {warning}", file=sys.stderr)


def cmd_case_retire_closed(args: argparse.Namespace) -> None:
    from caseworker_server.retention import retire_closed_cases

    days = args.days if args.days is not None else _tuning().closed_case_days
    if days <= 0:
        raise CaseworkerServerError("Closed cases stay on laptops (closed_case_days is 0); give --days.")
    db = _db(args)
    with db.write() as session:
        retired = retire_closed_cases(session, days)
    print(f"{len(retired)} closed case{'s' * (len(retired) != 1)} past {days} days taken off laptops.")


def cmd_user_holdings(args: argparse.Namespace) -> None:
    """Cases and records each user's laptop holds, the heaviest first, with the warning limit marked."""
    from caseworker_server.retention import holding

    limit = _tuning().records_per_user_warning
    db = _db(args)
    with db.read() as session:
        users = list(session.execute(select(User).where(User.disabled.is_(False))).scalars())
        found = sorted((holding(session, u) for u in users), key=lambda h: (-h.records, h.username))
    for row in found:
        flag = f"\tOVER {limit:,}" if row.records > limit else ""
        print(f"{row.username}\t{row.role}\t{row.cases} cases\t{row.records:,} records{flag}")
    over = sum(1 for row in found if row.records > limit)
    if over:
        print(
            f"caseworker-server: warning: {over} user{'s' * (over != 1)} above {limit:,} records; "
            "their laptops sync and search slowly.",
            file=sys.stderr,
        )


def cmd_case_unassign(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.write() as session:
        admin.unassign(session, args.case)
    print(f"Case {args.case} unassigned.")


def _of(username: str | None) -> str:
    return f" of {username}" if username else ""


def cmd_device_list(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.read() as session:
        for row in admin.list_devices(session, args.user):
            seen = row.last_seen_at.isoformat(timespec="minutes") if row.last_seen_at else "never"
            print(f"{row.device_id}\t{row.username}\t{row.name}\t{row.state}\tlast seen {seen}")


def cmd_device_enable(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.write() as session:
        admin.enable_device(session, args.device, args.user)
    print(f"Device {args.device}{_of(args.user)} enabled; it can enroll again.")


def cmd_device_revoke(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.write() as session:
        admin.revoke_device(session, args.device, args.user)
    print(f"Device {args.device}{_of(args.user)} revoked.")


def cmd_device_wipe(args: argparse.Namespace) -> None:
    db = _db(args)
    with db.write() as session:
        admin.wipe_device(session, args.device, args.user)
    print(f"Device {args.device}{_of(args.user)} will be wiped at its next contact.")


def cmd_seed_demo(args: argparse.Namespace) -> None:
    from caseworker_server.demo import seed_demo

    password = read_password("Password for the demo users: ")
    admin.check_password(password)
    db = _db(args)
    with db.write() as session:
        summary = seed_demo(session, password, profile=args.profile)
    db.refresh_statistics()
    print(f"Demo ready: {summary.users} new users, {summary.cases} cases, {summary.records} records.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caseworker-server", description="Caseworker central server administration.")
    parser.add_argument(
        "--version", action="version", version=f"caseworker-server {__version__} (sync protocol {PROTOCOL_VERSION})"
    )
    parser.add_argument(
        "--database-url", help=f"SQLAlchemy URL (default: ${DATABASE_URL_ENV}, else SQLite in the data folder)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(
        subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        handler: Callable[[argparse.Namespace], None],
        help_text: str,
    ) -> argparse.ArgumentParser:
        p = subparsers.add_parser(name, help=help_text)
        p.set_defaults(handler=handler)
        return p

    command(sub, "init", cmd_init, "create or migrate the database")
    serve = command(sub, "serve", cmd_serve, "run the server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8600, help="port to listen on (default: 8600)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    serve.add_argument("--tls-cert", help="certificate chain (PEM) for a direct HTTPS listener")
    serve.add_argument("--tls-key", help="private key (PEM) of that certificate")
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS",
        help="address or network of a reverse proxy whose X-Forwarded-For is believed (repeatable)",
    )
    serve.add_argument("--docs", action="store_true", help="serve /docs, /redoc and /openapi.json")
    serve.epilog = (
        "Admission, shutdown and retention settings come from the environment, e.g. "
        "CASEWORKER_MAX_CONCURRENT_PUSHES, CASEWORKER_DB_POOL_WAIT_SECONDS, CASEWORKER_SHUTDOWN_GRACE_SECONDS, "
        "CASEWORKER_CLOSED_CASE_DAYS (see caseworker_server/config.py)."
    )

    user = sub.add_parser("user", help="accounts").add_subparsers(dest="user_command", required=True)
    add = command(user, "add", cmd_user_add, "add a user (password from a prompt or standard input)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=("liaison", "supervisor", "admin"))
    add.add_argument("--supervisor", help="the supervisor of a liaison's team")
    add.add_argument("--display-name")
    command(user, "list", cmd_user_list, "list users")
    disable = command(user, "disable", cmd_user_disable, "disable a user (every session ends at once; sign-in refused)")
    disable.add_argument("username")
    disable.add_argument("--enable", action="store_true", help="enable the user again")
    enable = command(user, "enable", cmd_user_enable, "enable a disabled user again")
    enable.add_argument("username")
    reset = command(
        user, "reset-password", cmd_user_reset_password, "set a new password (every session of the user ends)"
    )
    reset.add_argument("username")
    command(user, "holdings", cmd_user_holdings, "cases and records each user's laptop holds, heaviest first")
    uimp = command(user, "import", cmd_user_import, "add users from a CSV file (username,role,display_name,...)")
    uimp.add_argument("file")
    uimp.add_argument("--passwords-out", help="new file for the passwords generated for rows without one")

    case = sub.add_parser("case", help="cases and assignments").add_subparsers(dest="case_command", required=True)
    imp = command(case, "import", cmd_case_import, "import cases, members and schools from a JSON file")
    imp.add_argument("file")
    assign = command(case, "assign", cmd_case_assign, "assign or reassign a case")
    assign.add_argument("case")
    assign.add_argument("user")
    unassign = command(case, "unassign", cmd_case_unassign, "take a case away from whoever holds it")
    unassign.add_argument("case")
    retire = command(
        case, "retire-closed", cmd_case_retire_closed, "take closed cases off laptops now (the server does it hourly)"
    )
    retire.add_argument("--days", type=int, help="days after closing (default: $CASEWORKER_CLOSED_CASE_DAYS, else 30)")

    device = sub.add_parser("device", help="laptops").add_subparsers(dest="device_command", required=True)
    dlist = command(device, "list", cmd_device_list, "list devices")
    dlist.add_argument("--user")
    revoke = command(device, "revoke", cmd_device_revoke, "revoke a device")
    denable = command(device, "enable", cmd_device_enable, "lift a revocation so the laptop can enroll again")
    wipe = command(device, "wipe", cmd_device_wipe, "wipe a device at its next contact")
    for acting in (revoke, denable, wipe):
        acting.add_argument("device")
        # Device ids are unique per account only: without --user the id must belong to one account.
        acting.add_argument("--user", help="the account the device belongs to (see `device list`)")

    seed = command(sub, "seed-demo", cmd_seed_demo, "demo users and a generated caseload")
    seed.add_argument("--profile", default="default", choices=("default", "large"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except CaseworkerServerError as exc:
        print(f"caseworker-server: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"caseworker-server: database error ({type(exc).__name__}); check --database-url.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"caseworker-server: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
