"""Handing a summary over: the export use case the window drives, its file name rule and its preview.

The window and the terminal share `export_visit_summary` / `export_case_history`;
this module adds what a person choosing an export needs first: the agency's rules
for each audience, a file name that never carries a child's or family's name, and
the first page rendered before anything is written.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from caseworker_app.domain.clock import local_date
from caseworker_app.domain.entities import Case, Visit
from caseworker_app.domain.passwords import MIN_PDF_PASSWORD_LENGTH, pdf_password_problem
from caseworker_app.i18n import N_, _
from caseworker_app.services.reports.audience import Audience
from caseworker_app.services.reports.bundle import case_history_data, visit_summary_data
from caseworker_app.services.reports.case_history import render_case_history
from caseworker_app.services.reports.errors import ExportError
from caseworker_app.services.reports.export import (
    Progress,
    agency_branding,
    export_case_history,
    export_visit_summary,
    password_required,
)
from caseworker_app.services.reports.language import check_written_language
from caseworker_app.services.reports.visit_summary import render_visit_summary
from caseworker_app.services.staff import staff_directory
from caseworker_app.services.written_language import default_language
from caseworker_app.settings import Settings
from caseworker_app.store.local_store import LocalStore


class Report(StrEnum):
    VISIT_SUMMARY = "visit_summary"
    CASE_HISTORY = "case_history"


@dataclass(frozen=True)
class ExportRules:
    """What the agency's settings say about exports, read once when the dialog opens."""

    password_audiences: frozenset[Audience]
    min_password_length: int
    family_shows_household_members: bool
    family_shares_placement_details: bool

    def password_required(self, audience: Audience) -> bool:
        return Audience(audience) in self.password_audiences


def export_rules(settings: Settings) -> ExportRules:
    return ExportRules(
        password_audiences=frozenset(a for a in Audience if password_required(settings, a)),
        min_password_length=MIN_PDF_PASSWORD_LENGTH,
        family_shows_household_members=bool(settings.get("family_shows_household_members")),
        family_shares_placement_details=bool(settings.get("family_shares_placement_details")),
    )


@dataclass(frozen=True)
class ExportSubject:
    """The record being handed over, as the dialog shows it: never a person's name."""

    report: Report
    record_id: str  # the visit's id for a summary, the case's for a history
    case_id: str
    case_reference: str
    day: date  # the visit's date, or the last day of a history
    first_day: date | None = None  # a history's earliest sensible start (the case's opening)
    family_language: str = ""  # the case's language for written material ("" when not recorded)

    def default_language(self, audience: Audience) -> str:
        """The family's copy in the family's language; the others in the worker's (the window's)."""
        return default_language(Audience(audience) is Audience.FAMILY, self.family_language)


def export_subject(store: LocalStore, report: Report, record_id: str) -> ExportSubject:
    """What the dialog needs to know about the record before it asks anything."""
    if report is Report.VISIT_SUMMARY:
        visit = store.repo.get(Visit, record_id)
        case = store.repo.get(Case, visit.case_id)
        return ExportSubject(
            report, visit.id, case.id, case.reference, local_date(visit.occurred_at),
            family_language=case.preferred_language,
        )
    case = store.repo.get(Case, record_id)
    return ExportSubject(
        report, case.id, case.id, case.reference, date.today(), case.opened_on, case.preferred_language
    )


_UNSAFE = re.compile(r"[^\w.-]+")


def suggested_file_name(report: Report, case_reference: str, day: date, audience: Audience) -> str:
    """`CW-2026-00012 visit summary 2026-11-24 family.pdf`: the case reference and date, never a name.

    Only the reference identifies the case, so a file left in Downloads or sent by mistake
    does not say whose family it is.
    """
    reference = _UNSAFE.sub("-", case_reference.strip()).strip("-.") or "case"
    pattern = _FILE_NAMES[(Report(report), Audience(audience))]
    # in the language of the person saving it; the date stays ISO so the files sort by it
    return _(pattern).format(reference=reference, date=day.isoformat())


# Whole names per report and copy, so each language words them its own way.
_FILE_NAMES = {
    (Report.VISIT_SUMMARY, Audience.FULL): N_("{reference} visit summary {date} internal.pdf"),
    (Report.VISIT_SUMMARY, Audience.SCHOOL): N_("{reference} visit summary {date} school.pdf"),
    (Report.VISIT_SUMMARY, Audience.FAMILY): N_("{reference} visit summary {date} family.pdf"),
    (Report.CASE_HISTORY, Audience.FULL): N_("{reference} case history {date} internal.pdf"),
    (Report.CASE_HISTORY, Audience.SCHOOL): N_("{reference} case history {date} school.pdf"),
    (Report.CASE_HISTORY, Audience.FAMILY): N_("{reference} case history {date} family.pdf"),
}


@dataclass(frozen=True)
class ExportRequest:
    subject: ExportSubject
    audience: Audience
    out_path: Path
    password: str | None = None
    start: date | None = None  # a case history's period
    end: date | None = None
    replace_existing: bool = False  # the person agreed to replace a file of that name
    language: str | None = None  # the language the PDF is written in; None: the window's


class FileExists(ExportError):
    """A file of that name is already there; the person decides whether to replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(_("A file named {name} already exists in {folder}.").format(
            name=path.name, folder=path.parent))
        self.path = path


def check_request(request: ExportRequest, rules: ExportRules) -> None:
    """Refuse what the export would refuse later, before any work: a missing or short password, a bad period."""
    if request.language:
        check_written_language(request.language)
    password = request.password or ""
    if rules.password_required(request.audience) and not password:
        raise ExportError(
            _("Your agency requires a password on this copy; enter one of at least {n} characters.").format(
                n=rules.min_password_length
            )
        )
    problem = pdf_password_problem(password) if password else None
    if problem:
        raise ExportError(problem)
    if request.subject.report is Report.CASE_HISTORY:
        if request.start is None or request.end is None:
            raise ExportError(_("Choose the first and last day of the case history."))
        if request.start > request.end:
            raise ExportError(_("The first day of the period is after the last day; swap them or pick again."))


def run_export(
    store: LocalStore,
    request: ExportRequest,
    rules: ExportRules,
    agency_settings: Settings,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Write the PDF and record the export in the audit log (the same use cases as the terminal)."""
    check_request(request, rules)
    target = Path(request.out_path).expanduser().absolute()
    if not request.replace_existing and target.is_file():
        raise FileExists(target)  # an earlier copy (perhaps for another reader) is never replaced unasked
    subject = request.subject
    common = dict(
        audience=Audience(request.audience),
        agency=agency_branding(agency_settings),
        audit=store.repo,
        password=request.password or None,
        require_password=rules.password_required(request.audience),
        family_shows_household_members=rules.family_shows_household_members,
        family_shares_placement_details=rules.family_shares_placement_details,
        progress=progress,
        cancel=cancel,
        staff=staff_directory(store),
        language=request.language,
    )
    if subject.report is Report.VISIT_SUMMARY:
        return export_visit_summary(store.repo, subject.record_id, request.out_path, **common)  # type: ignore[arg-type]
    assert request.start is not None and request.end is not None  # check_request refused otherwise
    return export_case_history(
        store.repo, subject.record_id, request.start, request.end, request.out_path, **common  # type: ignore[arg-type]
    )


def render_for_preview(
    store: LocalStore, request: ExportRequest, rules: ExportRules, agency_settings: Settings
) -> bytes:
    """The PDF exactly as it would be written (unencrypted, in memory only): nothing is saved or audited."""
    subject = request.subject
    agency = agency_branding(agency_settings)
    staff = staff_directory(store)
    language = check_written_language(request.language) if request.language else None
    family_members = rules.family_shows_household_members
    placement = rules.family_shares_placement_details
    if subject.report is Report.VISIT_SUMMARY:
        data = visit_summary_data(store.repo, subject.record_id, agency, staff)
        return render_visit_summary(
            data, Audience(request.audience), family_shows_household_members=family_members,
            family_shares_placement_details=placement, language=language,
        )
    if request.start is None or request.end is None or request.start > request.end:
        raise ExportError(_("Choose a period whose first day is not after its last day."))
    history = case_history_data(store.repo, subject.record_id, request.start, request.end, agency, staff)
    return render_case_history(
        history, Audience(request.audience), family_shows_household_members=family_members,
        family_shares_placement_details=placement, language=language,
    )


@dataclass(frozen=True)
class PageImage:
    """A rendered page as 32-bit BGRA pixels, ready for a QImage (kept Qt-free here)."""

    width: int
    height: int
    stride: int
    pixels: bytes


def first_page_image(pdf: bytes, width_px: int = 640) -> PageImage:
    """The first page rasterised with PDFium (pypdfium2): the same engine Chrome prints with.

    QtPdf is not in pyside6-essentials and reportlab cannot read a PDF back, so the
    preview renders the real bytes that would be written, with a small wheel that
    needs nothing from outside.
    """
    try:
        import pypdfium2
    except ImportError as err:  # an install without the desktop extra
        raise ExportError(_("A preview cannot be shown on this computer; the export itself still works.")) from err
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width_px / page.get_width()
        bitmap = page.render(scale=scale, prefer_bgrx=True)
        try:
            return PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
        finally:
            bitmap.close()
            page.close()
    finally:
        document.close()
