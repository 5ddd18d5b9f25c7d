"""`caseworker update`: ask the agency's signed update feed for a newer version and fetch its installer."""

from __future__ import annotations

import argparse
from typing import Any

from caseworker_app import paths
from caseworker_app.cli.support import Terminal
from caseworker_app.i18n import _
from caseworker_app.services.updates import check_for_update
from caseworker_app.settings import Settings


def cmd_update(_args: argparse.Namespace, _term: Terminal) -> int:
    check = check_for_update(Settings(), paths.data_root() / "updates")
    if check.offer is None:
        print(check.reason)
        return 0
    print(
        _(
            "Caseworker {version} is available. Its installer passed the feed's signature checks "
            "and is saved at {file}; install it with your system's installer, or ask IT."
        ).format(version=check.offer.version, file=check.offer.installer)
    )
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "update",
        parents=[common],
        help=_("check the agency's signed update feed (the policy's updates_url) for a newer version"),
    )
    p.set_defaults(func=cmd_update)
