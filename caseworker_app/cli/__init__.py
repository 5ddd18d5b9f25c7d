"""The `caseworker` command: the same services as the desktop app, from a terminal."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from caseworker_app import settings
from caseworker_app.buildinfo import version_line
from caseworker_app.cli.support import Terminal, UsageError
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.store.errors import LockedOut, ProfileMissing, WrongPassphrase

log = logging.getLogger("caseworker_app.cli")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_AUTH = 3


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
    common.add_argument("--home", help="profile folder (default: $CASEWORKER_HOME or the user data folder)")
    common.add_argument("--demo", action="store_true", help="use the demo profile made by 'caseworker demo'")
    common.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input",
    )
    parser = argparse.ArgumentParser(prog="caseworker", description=__doc__)
    parser.add_argument("--version", action="version", version=version_line("caseworker"))
    parser.add_argument(
        "--self-test",
        action=SelfTestAction,
        help="check this installation offline in a throw-away folder and exit (0 when it works)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    from caseworker_app.cli import casework as cli_casework
    from caseworker_app.cli import casework_write as cli_casework_write
    from caseworker_app.cli import install_policy as cli_install_policy
    from caseworker_app.cli import reports as cli_reports
    from caseworker_app.cli import sync as cli_sync

    cli_casework.register(sub, common)
    cli_casework_write.register(sub, common)
    cli_sync.register(sub, common)
    cli_reports.register(sub, common)
    cli_install_policy.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    term = Terminal(use_stdin=args.passphrase_stdin)
    try:
        settings.load_policy()  # a policy IT must fix stops every command, before any prompt
        return int(args.func(args, term))
    except (WrongPassphrase, LockedOut) as exc:
        print(f"caseworker: {exc}", file=sys.stderr)
        return EXIT_AUTH
    except UsageError as exc:
        print(f"caseworker: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ProfileMissing, CaseworkerError) as exc:
        print(f"caseworker: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("caseworker: interrupted; nothing was lost.", file=sys.stderr)
        return 130
    except Exception as exc:
        # A bug: say so in one line; the technical detail goes to the log, not the screen.
        log.debug("unexpected error", exc_info=True)
        print(f"caseworker: unexpected error ({type(exc).__name__}); please report it to IT.", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
