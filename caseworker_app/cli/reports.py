"""`caseworker summary` and `caseworker report`: visit summaries and case histories as PDFs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from caseworker_app.cli.support import Terminal, UsageError, profile_folder, profile_store
from caseworker_app.domain.entities import Case, Visit
from caseworker_app.i18n import N_, _
from caseworker_app.services import lookup
from caseworker_app.services.reports.audience import Audience
from caseworker_app.services.reports.export import (
    agency_branding,
    export_case_history,
    export_visit_summary,
    password_required,
)
from caseworker_app.services.reports.language import check_written_language
from caseworker_app.services.staff import staff_directory
from caseworker_app.services.written_language import default_language, untranslated_message, written_languages
from caseworker_app.settings import Settings

# Each message whole, per kind of PDF, so each language words it its own way.
WROTE = {
    "visit summary": N_("Wrote the visit summary ({audience}, {language}) to {file}."),
    "case history": N_("Wrote the case history ({audience}, {language}) to {file}."),
}
WROTE_PROTECTED = {
    "visit summary": N_("Wrote the visit summary ({audience}, {language}, password-protected) to {file}."),
    "case history": N_("Wrote the case history ({audience}, {language}, password-protected) to {file}."),
}
AUDIENCE_WORDS = {"full": N_("full"), "school": N_("school"), "family": N_("family")}


def _pdf_password(args: argparse.Namespace, term: Terminal) -> str | None:
    if not args.password_stdin:
        return None
    asker = term if term.use_stdin else Terminal(use_stdin=True)
    password = asker.secret(_("PDF password: "), what="PDF password", flag="--password-stdin")
    if not password:
        raise UsageError(_("The PDF password line is empty; give a password or leave out --password-stdin."))
    return password


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date as YYYY-MM-DD, like 2026-11-24").format(text=text)
        ) from None


def _written_language(args: argparse.Namespace, case: Case) -> str:
    """--language, else the family's language for a family copy and the terminal's for the others."""
    if args.language:
        return check_written_language(args.language)
    for_family = args.audience == Audience.FAMILY.value
    wanted = default_language(for_family, case.preferred_language)
    if wanted in written_languages():
        return wanted
    if for_family and case.preferred_language:
        raise UsageError(_("{reason} Choose with --language: {codes}.").format(
            reason=untranslated_message(case.preferred_language), codes=", ".join(written_languages())))
    return "en"  # a terminal in a language without a catalog reads English, and so does its PDF


def _export(
    args: argparse.Namespace,
    term: Terminal,
    what: str,
    export: Callable[..., Path],
    resolve: Callable[..., str],
    case_of: Callable[[Any, str], Case],
) -> int:
    """Open the profile, find the record, ask for the PDF password if wanted, export with the agency's settings."""
    home = profile_folder(args)
    settings = Settings(home)
    with profile_store(home, term) as store:
        row_id = resolve(store)
        language = _written_language(args, case_of(store, row_id))
        password = _pdf_password(args, term)
        written = export(
            store,
            row_id,
            audience=Audience(args.audience),
            agency=agency_branding(settings),
            audit=store.repo,
            password=password,
            require_password=password_required(settings, args.audience),
            family_shows_household_members=bool(settings.get("family_shows_household_members")),
            family_shares_placement_details=bool(settings.get("family_shares_placement_details")),
            language=language,
        )
    audience = _(AUDIENCE_WORDS[args.audience])
    if password:
        said = _(WROTE_PROTECTED[what]).format(audience=audience, language=language, file=written)
    else:
        said = _(WROTE[what]).format(audience=audience, language=language, file=written)
    print(said)
    return 0


def cmd_summary(args: argparse.Namespace, term: Terminal) -> int:
    return _export(
        args,
        term,
        "visit summary",
        lambda store, visit_id, **options: export_visit_summary(
            store.repo, visit_id, Path(args.out), staff=staff_directory(store), **options
        ),
        lambda store: lookup.resolve_visit(store, args.visit_id),
        lambda store, visit_id: store.repo.get(Case, store.repo.get(Visit, visit_id).case_id),
    )


def cmd_report(args: argparse.Namespace, term: Terminal) -> int:
    if args.to < args.start:
        raise UsageError(_("--to must not be before --from."))
    return _export(
        args,
        term,
        "case history",
        lambda store, case_id, **options: export_case_history(
            store.repo, case_id, args.start, args.to, Path(args.out), staff=staff_directory(store), **options
        ),
        lambda store: lookup.resolve_case(store, args.case_id),
        lambda store, case_id: store.repo.get(Case, case_id),
    )


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds the PDF commands to the `caseworker` parser."""
    audiences = [a.value for a in Audience]
    pdf = argparse.ArgumentParser(add_help=False)
    pdf.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help=_("the PDF file to write (written beside it first, then renamed; never a device or pipe)"),
    )
    pdf.add_argument(
        "--audience",
        choices=audiences,
        default="full",
        help=_("full (internal), school, or family: what the copy may show"),
    )
    pdf.add_argument(
        "--language",
        metavar="CODE",
        help=_(
            "the language the PDF is written in (en, es); default: the family's language for a family "
            "copy, this terminal's for the others"
        ),
    )
    pdf.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("protect the PDF with the password on the line of standard input after the passphrase"),
    )

    p = sub.add_parser("summary", parents=[common, pdf], help=_("a visit summary PDF"))
    p.add_argument(
        "visit_id", metavar="VISIT", help=_("the visit's id, or its short id as 'caseworker visits' prints it")
    )
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("report", parents=[common, pdf], help=_("a case history PDF for a date range"))
    p.add_argument("case_id", metavar="CASE", help=_("the case reference (CW-2026-00012) or the case's id"))
    p.add_argument(
        "--from", dest="start", type=_day, required=True, metavar="YYYY-MM-DD", help=_("first day of the period")
    )
    p.add_argument("--to", type=_day, required=True, metavar="YYYY-MM-DD", help=_("last day of the period"))
    p.set_defaults(func=cmd_report)
