"""Terminal plumbing for the CLI: passphrases from a prompt or stdin, errors as one line."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from caseworker_app import paths
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import N_, _
from caseworker_app.services import profiles
from caseworker_app.store.creation import refuse_existing
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile


class UsageError(CaseworkerError):
    pass


# The messages about each secret, whole sentences so each language words them its own way.
_EXPECTED = {
    "passphrase": N_("Expected the passphrase as a line on standard input."),
    "server password": N_("Expected the server password as a line on standard input."),
    "PDF password": N_("Expected the PDF password as a line on standard input."),
}
_NO_TERMINAL = {
    "passphrase": N_("No terminal to ask for the passphrase; pass it on standard input with {flag}."),
    "server password": N_("No terminal to ask for the server password; pass it on standard input with {flag}."),
    "PDF password": N_("No terminal to ask for the PDF password; pass it on standard input with {flag}."),
}
_DIFFER = {
    "passphrase": N_("The two passphrases differ; nothing was changed."),
    "server password": N_("The two server passwords differ; nothing was changed."),
    "PDF password": N_("The two PDF passwords differ; nothing was changed."),
}


class Cancelled(Exception):
    """The person ended a prompt (Ctrl-D) or declined; nothing was changed."""


class Terminal:
    """Reads secrets in order: the passphrase first, then any later secret (PDF password)."""

    def __init__(self, use_stdin: bool) -> None:
        self.use_stdin = use_stdin
        self._warned = False

    def secret(
        self,
        prompt: str,
        *,
        confirm: bool = False,
        what: str = "passphrase",
        flag: str = "--passphrase-stdin",
    ) -> str:
        """`what`: "passphrase", "server password" or "PDF password" (each message is worded whole)."""
        if self.use_stdin:
            line = sys.stdin.readline()
            if not line:
                raise UsageError(_(_EXPECTED[what]))
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise UsageError(_(_NO_TERMINAL[what]).format(flag=flag))
        try:
            first = getpass.getpass(prompt)
            again = getpass.getpass(_("Repeat it: ")) if confirm else first
        except EOFError:  # Ctrl-D at the prompt
            raise Cancelled() from None
        if again != first:
            raise UsageError(_(_DIFFER[what]))
        return first

    def warn_no_keyring(self, profile: Profile) -> None:
        if not self._warned and not profile.uses_keyring:
            self._warned = True
            warning = _("warning: no OS keyring on this computer; this profile is protected by its passphrase alone.")
            print(f"caseworker: {warning}", file=sys.stderr)


def profile_folder(args: argparse.Namespace) -> Path:
    """--demo picks the demo profile's folder; otherwise --home, $CASEWORKER_HOME, or the default."""
    if getattr(args, "demo", False):
        return paths.demo_home(args.home)
    return paths.profile_home(args.home)


def open_profile(home: Path, terminal: Terminal) -> LocalStore:
    profile = profiles.check_openable(home)  # a missing or damaged profile fails before any prompt
    store = profiles.open_profile(home, terminal.secret(_("Passphrase: ")))
    terminal.warn_no_keyring(profile)
    return store


def new_passphrase(home: Path, terminal: Terminal, *, real_families: bool = True) -> str:
    """The passphrase for a new profile, asked only once it is sure the profile can be made here.

    `real_families`: the keyring policy applies; the demo (invented families) is exempt.
    """
    refuse_existing(home)  # before asking for a passphrase
    if real_families:
        rule = profiles.keyring_rule(home)
        if not rule.may_create:
            raise profiles.PolicyRefusesProfile(rule.advice)
    return terminal.secret(_("Choose a passphrase: "), confirm=True)


@contextmanager
def profile_store(home: Path, terminal: Terminal) -> Iterator[LocalStore]:
    store = open_profile(home, terminal)
    try:
        yield store
    finally:
        store.close()


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
