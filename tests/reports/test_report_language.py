"""A PDF written in the language chosen for it, whatever the window's language: the Spanish family
summary of a demo visit, a Spanish case history, and a language without a catalog refused."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from demo_family import spanish_family_summary, spanish_home_visit
from pypdf import PdfReader

from caseworker_app import i18n
from caseworker_app.domain import vocabulary as v
from caseworker_app.services.reports import (
    AgencyBranding,
    Audience,
    ExportError,
    export_visit_summary,
    render_case_history,
    render_visit_summary,
    visit_summary_data,
)
from caseworker_app.services.reports.bundle import case_history_data
from caseworker_app.services.reports.language import DocumentText

ROOT = Path(__file__).resolve().parents[2]
# Section headings, table headers and page furniture of a family visit summary, as English prints them.
ENGLISH_LINES = (
    "Visit summary", "Participants", "Children", "Purpose", "Observations", "Safety assessment",
    "Referrals made", "Next steps", "Narrative", "Signature", "Prepared for the family",
    "Safety threats found", "Protective capacities", "Rationale",
)
ENGLISH_PHRASES = ("Page 1 of", "Generated ", "CONFIDENTIAL", "Due Follow-up Assigned to", "Visit type")


def lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [line.strip() for page in reader.pages for line in (page.extract_text() or "").splitlines()]


def pdf_lang(pdf: bytes) -> str:
    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/Lang"))


def english_family_summary() -> bytes:
    source, visit = spanish_home_visit()
    data = visit_summary_data(source, visit.id, AgencyBranding(name="Hill County Department of Social Services"))
    return render_visit_summary(data, Audience.FAMILY, language="en")


def test_the_spanish_family_summary_of_a_demo_visit_has_no_english_heading() -> None:
    spanish, english = lines(spanish_family_summary()), lines(english_family_summary())
    assert set(ENGLISH_LINES) <= set(english)  # the same visit in English prints every one of them
    assert [line for line in spanish if line in ENGLISH_LINES] == []
    text = "\n".join(spanish)
    assert [p for p in ENGLISH_PHRASES if p in text] == []
    for heading in ("Resumen de la visita", "Participantes", "Niños", "Evaluación de seguridad", "Firma",
                    "Preparado para la familia", "Visita domiciliaria"):
        assert heading in text


def test_the_file_says_which_language_it_is_written_in() -> None:
    spanish, english = spanish_family_summary(), english_family_summary()
    assert "Written in Spanish / Redactado en español" in "\n".join(lines(spanish))
    assert pdf_lang(spanish) == "es"
    assert "Written in English" in "\n".join(lines(english))
    assert pdf_lang(english) == "en-US"


def test_the_document_language_does_not_follow_the_window(family: Any, agency: Any) -> None:
    i18n.use_language("es")
    try:
        text = "\n".join(lines(render_visit_summary(
            visit_summary_data(family.source(), family.visit.id, agency), Audience.FAMILY, language="en")))
    finally:
        i18n.use_language("en")
    assert "Visit summary" in text and "Resumen de la visita" not in text


def test_a_spanish_case_history_writes_dates_numbers_and_attendance_in_spanish(family: Any, agency: Any) -> None:
    data = case_history_data(family.source(), family.case.id, date(2025, 1, 1), date(2025, 3, 31), agency)
    text = " ".join(" ".join(lines(render_case_history(data, Audience.FULL, language="es"))).split())
    assert "Historial del caso" in text
    assert "1 ene 2025 – 31 mar 2025" in text
    assert "Faltó a 8 de 60 días de clase (13,3%) en estos periodos: AUSENTISMO CRÓNICO." in text
    assert "Página 1 de" in text
    assert "Case history" not in text and "CHRONICALLY" not in text


def test_a_language_without_a_catalog_is_refused_and_nothing_is_written(
    family: Any, agency: Any, audit_log: Any, tmp_path: Path
) -> None:
    target = tmp_path / "summary.pdf"
    with pytest.raises(ExportError) as refused:
        export_visit_summary(family.source(), family.visit.id, target, audience=Audience.FAMILY, agency=agency,
                             audit=audit_log, language="vi")
    assert str(refused.value) == "No Vietnamese translation is available; choose English or Spanish."
    assert not target.exists() and audit_log.events == []

    export_visit_summary(family.source(), family.visit.id, target, audience=Audience.FAMILY, agency=agency,
                         audit=audit_log, language="es-MX")
    assert audit_log.events[0]["detail"]["language"] == "es"
    assert "Resumen de la visita" in "\n".join(lines(target.read_bytes()))


def test_every_report_string_has_a_spanish_translation() -> None:
    marked = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            ROOT / "caseworker_app" / "services" / "reports",
            keywords={"_": None, "N_": None, "ngettext": (1, 2), "gettext": None},
        )
    }
    with open(ROOT / "resources" / "locale" / "es" / "LC_MESSAGES" / "caseworker.po", "rb") as po:
        catalog = read_po(po)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
    }
    assert len(marked) > 150
    assert sorted(marked - translated) == []


def test_every_word_a_report_prints_for_a_code_is_worded_in_the_vocabulary() -> None:
    codes = [m.value for e in (v.CaseStage, v.CaseType, v.Placement, v.RiskLevel, v.ContactType, v.ContactStatus,
                               v.ServiceType, v.ReferralStatus) for m in e]
    codes += list(v.SAFETY_THREATS) + list(v.PROTECTIVE_CAPACITIES)
    tables = (v.SERVICE_LABELS, v.SAFETY_THREATS, v.PROTECTIVE_CAPACITIES, v.CODE_LABELS)
    assert [c for c in codes if not any(c in table for table in tables)] == []


def test_a_document_words_codes_in_its_own_language_whatever_the_window_speaks() -> None:
    try:
        i18n.use_language("es")
        assert DocumentText("en").words("conditionally_safe") == "Conditionally safe"
        assert DocumentText("es").words("home_visit") == "Visita domiciliaria"
    finally:
        i18n.use_language("en")
    assert DocumentText("es").words("home_visit") == "Visita domiciliaria"


def test_the_workers_role_reads_in_the_familys_language() -> None:
    import dataclasses

    from caseworker_app.services.staff import StaffMember

    source, visit = spanish_home_visit()
    data = visit_summary_data(source, visit.id, AgencyBranding(name="Hill County"))
    data = dataclasses.replace(data, staff={visit.worker: StaffMember("Ana Ruiz", "Family liaison")})
    text = " ".join(lines(render_visit_summary(data, Audience.FAMILY, language="es")))
    assert "Ana Ruiz, Enlace familiar" in text and "Family liaison" not in text
