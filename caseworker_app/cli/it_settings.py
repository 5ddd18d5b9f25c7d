"""`caseworker settings`: every setting in force on this computer and where it comes from, for IT checks."""

from __future__ import annotations

import argparse
from typing import Any

from caseworker_app import settings
from caseworker_app.cli.support import Terminal, print_json, print_table, profile_folder
from caseworker_app.i18n import _


def cmd_settings(args: argparse.Namespace, term: Terminal) -> int:
    current = settings.Settings(profile_folder(args))
    rows = [
        {
            "name": s.name,
            "value": current.get(s.name),
            "source": current.source(s.name),
            "user_may_change": current.user_may_change(s.name),
        }
        for s in settings.SETTINGS
    ]
    if args.json:
        print_json({"policy_file": str(settings.policy_path()), "settings": rows})
        return 0
    print(_("IT policy file: {file}").format(file=settings.policy_path()))
    table = [
        [r["name"], _shown(r["value"]), str(r["source"]), _("yes") if r["user_may_change"] else _("no")] for r in rows
    ]
    print_table(table, [_("setting"), _("value"), _("from"), _("user may change")])
    return 0


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if value != "" else '""'


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "settings",
        parents=[common],
        help=_("show the settings in force and where each comes from"),
        epilog=_(
            "--json prints an object: policy_file, and settings, a list of objects: "
            "name, value, source, user_may_change."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table (fields below)"))
    p.set_defaults(func=cmd_settings)
