"""`caseworker install-policy`: write the per-machine IT policy file, as the MSI does from its properties.

`msiexec /i caseworker.msi SERVER_URL=https://... /qn` runs this with `--set server_url=[SERVER_URL]`;
an empty value (a property not given) is skipped, so a repair or upgrade keeps what IT set before.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from caseworker_app import settings
from caseworker_app.cli.support import Terminal, UsageError
from caseworker_app.i18n import _

_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def _typed(name: str, text: str) -> Any:
    s = settings.setting(name)
    if s.type is bool:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise UsageError(_("'{name}' must be true or false, not '{text}'.").format(name=name, text=text))
    if s.type is int:
        try:
            return int(text)
        except ValueError:
            raise UsageError(_("'{name}' must be a whole number, not '{text}'.").format(name=name, text=text)) from None
    return text


def _assignments(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            raise UsageError(_("'{pair}' is not NAME=VALUE.").format(pair=pair))
        if text.strip():
            values[name.strip()] = _typed(name.strip(), text.strip())
    return values


def cmd_install_policy(args: argparse.Namespace, term: Terminal) -> int:
    target = Path(args.out) if args.out else settings.system_policy_path()
    values = _assignments(args.set or [])
    if not values:
        print(_("No policy values given; {file} is left as it is.").format(file=target))
        return 0
    current = settings.load_policy(target) if target.exists() else {}
    merged = {**current, **values}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".policy-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(merged, f, indent=2, sort_keys=True)
            f.write("\n")
        try:  # the same checks the app makes at start: never write a policy it would refuse
            settings.load_policy(Path(tmp))
        except settings.PolicyError as exc:
            raise UsageError(
                _("{problem} Nothing was written.").format(problem=str(exc).replace(tmp, str(target)))
            ) from None
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print(_("Wrote the IT policy {file}: {names}.").format(file=target, names=", ".join(sorted(values))))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "install-policy", parents=[common], help=_("write the computer's IT policy file (for installers and IT)")
    )
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help=_("a policy value; empty values are skipped"))
    p.add_argument("--out", help=_("the policy file (default: this computer's policy location)"))
    p.set_defaults(func=cmd_install_policy)
