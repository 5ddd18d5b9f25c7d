"""The export use case the window drives: the file name rule, the agency's password rule, cancel, preview."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from services_kit import Household

from caseworker_app.domain.entities import ChildSeen, Visit
from caseworker_app.domain.vocabulary import ContactType
from caseworker_app.services.reports import Audience, ExportCancelled, ExportError
from caseworker_app.services.reports.handover import (
    ExportRequest,
    FileExists,
    Report,
    export_rules,
    export_subject,
    first_page_image,
    render_for_preview,
    run_export,
    suggested_file_name,
)
from caseworker_app.services.staff import set_worker_identity
from caseworker_app.settings import Settings
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.repository import import_snapshot


@pytest.fixture
def visit(store: LocalStore, household: Household) -> Visit:
    visit = Visit(
        case_id=household.case.id, contact_type=ContactType.HOME_VISIT,
        occurred_at=datetime(2026, 11, 24, 16, 0, tzinfo=UTC), location="Family home",
        children=[ChildSeen(person_id=household.ana.id, seen=True)], worker="liaison",
    )
    import_snapshot(store.db, [visit])
    set_worker_identity(store, "Jordan Rivera", "Family liaison")
    return visit


@pytest.mark.parametrize("audience", list(Audience))
def test_the_suggested_file_name_carries_reference_and_date_never_a_name(
    store: LocalStore, household: Household, visit: Visit, audience: Audience
) -> None:
    subject = export_subject(store, Report.VISIT_SUMMARY, visit.id)
    name = suggested_file_name(subject.report, subject.case_reference, subject.day, audience)

    assert name.startswith("CW-2026-00042 visit summary 2026-11-24")
    assert name.endswith(".pdf")
    for never in ("Silva", "Ana", "Rosa", "liaison"):
        assert never not in name


def test_a_reference_with_slashes_still_makes_one_file_name() -> None:
    name = suggested_file_name(Report.CASE_HISTORY, "CW/2026/7", date(2026, 1, 2), Audience.SCHOOL)
    assert name == "CW-2026-7 case history 2026-01-02 school.pdf"
    assert "/" not in name


def test_export_writes_the_pdf_with_full_names_and_records_the_export(
    store: LocalStore, visit: Visit, tmp_path: Path
) -> None:
    settings = Settings(tmp_path)
    rules = export_rules(settings)
    subject = export_subject(store, Report.VISIT_SUMMARY, visit.id)
    out = tmp_path / suggested_file_name(subject.report, subject.case_reference, subject.day, Audience.FAMILY)
    steps: list[tuple[float, str]] = []

    written = run_export(
        store, ExportRequest(subject, Audience.FAMILY, out), rules, settings,
        progress=lambda f, m: steps.append((f, m)),
    )

    assert written == out.absolute()
    text = " ".join((p.extract_text() or "") for p in PdfReader(out).pages)
    assert "Jordan Rivera, Family liaison" in text
    assert [f for f, _m in steps] == sorted(f for f, _m in steps) and steps[-1][0] == 1.0
    events = store.repo.audit_events(action="export")
    assert events[-1]["detail"]["audience"] == "family"
    assert events[-1]["detail"]["path"] == str(out.absolute())


def test_the_internal_copy_needs_a_password_of_the_minimum_length_before_any_work(
    store: LocalStore, visit: Visit, tmp_path: Path
) -> None:
    settings = Settings(tmp_path)
    rules = export_rules(settings)
    assert rules.password_required(Audience.FULL)  # the shipped policy default
    subject = export_subject(store, Report.VISIT_SUMMARY, visit.id)
    out = tmp_path / "x.pdf"
    with pytest.raises(ExportError, match="at least 8 characters"):
        run_export(store, ExportRequest(subject, Audience.FULL, out), rules, settings)
    with pytest.raises(ExportError, match="at least 8 characters"):
        run_export(store, ExportRequest(subject, Audience.FULL, out, password="short"), rules, settings)
    assert not out.exists()
    run_export(store, ExportRequest(subject, Audience.FULL, out, password="long enough"), rules, settings)
    assert PdfReader(out).is_encrypted


def test_cancel_writes_nothing_and_records_nothing(store: LocalStore, visit: Visit, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    subject = export_subject(store, Report.VISIT_SUMMARY, visit.id)
    cancel = threading.Event()
    out = tmp_path / "cancelled.pdf"

    def progress(fraction: float, _message: str) -> None:
        if fraction >= 0.3:
            cancel.set()  # the person presses Cancel while the summary is laid out

    before = len(store.repo.audit_events(action="export"))
    with pytest.raises(ExportCancelled):
        run_export(store, ExportRequest(subject, Audience.SCHOOL, out), export_rules(settings), settings,
                   progress=progress, cancel=cancel)
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []
    assert len(store.repo.audit_events(action="export")) == before


def test_case_history_period_must_run_forwards(store: LocalStore, household: Household, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    subject = export_subject(store, Report.CASE_HISTORY, household.case.id)
    assert subject.first_day == date(2026, 1, 5)
    request = ExportRequest(subject, Audience.SCHOOL, tmp_path / "h.pdf", start=date(2026, 3, 1), end=date(2026, 2, 1))
    with pytest.raises(ExportError, match="after the last day"):
        run_export(store, request, export_rules(settings), settings)


def test_the_preview_is_the_first_page_and_nothing_is_written_or_audited(
    store: LocalStore, visit: Visit, tmp_path: Path
) -> None:
    settings = Settings(tmp_path)
    subject = export_subject(store, Report.VISIT_SUMMARY, visit.id)
    before = len(store.repo.audit_events(action="export"))
    pdf = render_for_preview(store, ExportRequest(subject, Audience.FAMILY, tmp_path / "p.pdf"), export_rules(settings),
                             settings)
    page = first_page_image(pdf, 400)

    assert page.width == 400 and 500 < page.height < 540  # a US Letter page, upright
    assert len(page.pixels) == page.stride * page.height
    assert len(set(page.pixels[: page.stride * 60])) > 2  # the title block is drawn, not a blank page
    assert not (tmp_path / "p.pdf").exists()
    assert len(store.repo.audit_events(action="export")) == before


def test_an_earlier_file_is_never_replaced_unasked(store: LocalStore, visit: Visit, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    subject = export_subject(store, Report.VISIT_SUMMARY, visit.id)
    out = tmp_path / "summary.pdf"
    out.write_bytes(b"the school's copy from last week")
    with pytest.raises(FileExists, match=r"summary\.pdf already exists"):
        run_export(store, ExportRequest(subject, Audience.FAMILY, out), export_rules(settings), settings)
    assert out.read_bytes() == b"the school's copy from last week"
    run_export(store, ExportRequest(subject, Audience.FAMILY, out, replace_existing=True), export_rules(settings),
               settings)
    assert out.read_bytes().startswith(b"%PDF")
