"""The `caseworker` command: the same services as the desktop app, from a terminal."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from caseworker_app import i18n, settings
from caseworker_app.buildinfo import version_line
from caseworker_app.cli import crashlog
from caseworker_app.cli.support import Cancelled, Terminal, UsageError, profile_folder
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import _
from caseworker_app.store.errors import LockedOut, ProfileMissing, WrongPassphrase
from caseworker_app.store.local_store import damaged_store, is_damage

log = logging.getLogger("caseworker_app.cli")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_CANCELLED = 130


class SelfTestAction(argparse.Action):
    """Runs the self-test and exits, like --version, so no command is needed."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from caseworker_app import selftest

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        parser.exit(selftest.run())


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", help=_("profile folder (default: $CASEWORKER_HOME or the user data folder)"))
    common.add_argument("--demo", action="store_true", help=_("use the demo profile made by 'caseworker demo'"))
    common.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help=_("read the passphrase from the first line of standard input"),
    )
    parser = argparse.ArgumentParser(
        prog="caseworker", description=_("The same services as the desktop app, from a terminal.")
    )
    parser.add_argument("--version", action="version", version=version_line("caseworker"))
    parser.add_argument(
        "--self-test",
        action=SelfTestAction,
        help=_("check this installation offline in a throw-away folder and exit (0 when it works)"),
    )
    sub = parser.add_subparsers(dest="command", required=True)

    from caseworker_app.cli import casework as cli_casework
    from caseworker_app.cli import casework_write as cli_casework_write
    from caseworker_app.cli import install_policy as cli_install_policy
    from caseworker_app.cli import it_settings as cli_settings
    from caseworker_app.cli import reports as cli_reports
    from caseworker_app.cli import sync as cli_sync
    from caseworker_app.cli import updates as cli_updates

    cli_casework.register(sub, common)
    cli_casework_write.register(sub, common)
    cli_sync.register(sub, common)
    cli_reports.register(sub, common)
    cli_settings.register(sub, common)
    cli_install_policy.register(sub, common)
    cli_updates.register(sub, common)
    return parser


def _start_language() -> None:
    """The language first: the help texts are translated as the parser is built."""
    try:
        i18n.start(settings.Settings().get("language"))  # LANG / LC_MESSAGES unless IT fixed one
    except CaseworkerError:
        i18n.start(None)  # an unusable policy is reported below, in the system's language


def main(argv: list[str] | None = None) -> int:
    _start_language()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    term = Terminal(use_stdin=args.passphrase_stdin)
    try:
        settings.load_policy()  # a policy IT must fix stops every command, before any prompt
        code = int(args.func(args, term))
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return code
    except (WrongPassphrase, LockedOut) as exc:
        print(f"caseworker: {exc}", file=sys.stderr)
        return EXIT_AUTH
    except UsageError as exc:
        print(f"caseworker: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ProfileMissing, CaseworkerError) as exc:
        print(f"caseworker: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (KeyboardInterrupt, Cancelled):
        print(_("Cancelled"), file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:
        # The reader went away (`| head`): what it wanted was printed; stop quietly.
        _silence_stdout()
        return 0
    except Exception as exc:
        if is_damage(exc):
            # A damaged page deep in the file shows only when a command reads it.
            print(f"caseworker: {damaged_store(profile_folder(args))}", file=sys.stderr)
            return EXIT_ERROR
        if _interrupted(exc):
            # Ctrl-C landed inside a library's cleanup, which failed in turn; it is still a Ctrl-C.
            print(_("Cancelled"), file=sys.stderr)
            return EXIT_CANCELLED
        # A bug: one line on the screen; the stack goes to the log file, without case data.
        written = crashlog.record_unexpected(exc, _home_or_none(args), str(args.command))
        if written:
            problem = _("unexpected error ({kind}). Details are in {file}; please report it to IT.").format(
                kind=type(exc).__name__, file=written
            )
        else:
            problem = _("unexpected error ({kind}); please report it to IT.").format(kind=type(exc).__name__)
        print(f"caseworker: {problem}", file=sys.stderr)
        return EXIT_ERROR


def _interrupted(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _home_or_none(args: argparse.Namespace) -> Path | None:
    try:
        return profile_folder(args)
    except Exception:
        return None


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a real file (a test's capture): nothing to flush at exit


if __name__ == "__main__":
    sys.exit(main())
