"""A visit summary shows what happened at the visit, marks drafts, and numbers its pages."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from helpers import local_zone

from caseworker_app.services.reports import (
    AgencyBranding,
    Audience,
    render_visit_summary,
    visit_summary_data,
)


def test_full_summary_shows_everything_about_the_visit(family: Any, agency: Any, pdf_text: Any) -> None:
    data = visit_summary_data(family.source(), family.visit.id, agency)
    with local_zone("America/Chicago"):  # the visit is stored at 15:30 UTC: 9:30 AM in Chicago
        text = pdf_text(render_visit_summary(data, Audience.FULL))

    for expected in [
        "Riverside County Family Services",
        "Visit summary",
        "C-2025-0042",
        "García-Ivanova family",
        "Home visit",
        "Completed",
        "Mar 4, 2025",
        "9:30 AM CST",
        "14 Elm Street, Apt 3",
        # participants and children, seen and seen alone
        "Ольга Иванова",
        "Dmitri Volkov",
        "Ana María García-Ivanova Lincoln Elementary, Grade 4 Yes Yes",
        "Νίκος Παπαδόπουλος Lincoln Elementary, Grade 2 Yes No",
        "Monthly face-to-face visit and safety plan review.",
        "Home clean; smoke detector working.",
        # safety assessment and plan
        "Conditionally safe, with a safety plan",
        "Household violence that places the child in danger",
        "Caregiver's substance use seriously impairs care of the child",
        "Caregiver shows an emotional bond with the child",
        "Mother is protective and agreed that Dmitri will not stay overnight.",
        "Grandmother stays overnight on weekends",
        "Weekly call from the worker",
        # referrals and follow-ups with due dates
        "School needs (supplies, fees, trips)",
        "Mental health services",
        "Riverside Counseling",
        "Mar 11, 2025 Call school counselor about attendance plan",
        "Apr 3, 2025 Safety plan review visit",
        # narrative, escaped as typed, and the risk level
        "Met Ana María at the kitchen table",
        "his homework & his reading log <b>not bold</b>.",
        "Risk level High",
        "Protective, in home",
        # signature block
        "Worker Jordan Lee Finalized Mar 4, 2025, 12:00 PM CST",
    ]:
        assert expected in text, expected
    assert "DRAFT" not in text


def test_addenda_follow_the_narrative_in_the_order_written(family: Any, agency: Any, pdf_text: Any) -> None:
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.FULL))

    narrative = text.index("Met Ana María at the kitchen table")
    first = text.index("Correction: the visit started at 3:30 PM")
    second = text.index("Second addendum: school nurse confirmed")
    assert narrative < first < second
    assert "Addendum 1, written Mar 5, 2025" in text
    assert "Addendum 2, written Mar 6, 2025" in text


def test_draft_note_marks_every_page_draft(family_factory: Any, agency: Any, pdf_pages: Any) -> None:
    family = family_factory(final=False)
    # A long draft, so the DRAFT mark must show on several pages.
    family.note.narrative = "\n\n".join(f"Paragraph {i} of the draft narrative. " * 8 for i in range(120))
    data = visit_summary_data(family.source(), family.visit.id, agency)
    pages = pdf_pages(render_visit_summary(data, Audience.FULL))

    assert len(pages) >= 3
    for page in pages:
        assert "DRAFT" in page
    assert "Not finalized — DRAFT" in pages[-1]


def test_final_note_has_no_draft_mark(family: Any, agency: Any, pdf_pages: Any) -> None:
    data = visit_summary_data(family.source(), family.visit.id, agency)
    pages = pdf_pages(render_visit_summary(data, Audience.FULL))
    assert not any("DRAFT" in page for page in pages)


def test_draft_addendum_or_missing_note_makes_the_summary_a_draft(family: Any, agency: Any) -> None:
    family.addenda[0].status = family.addenda[0].status.DRAFT
    assert visit_summary_data(family.source(), family.visit.id, agency).is_draft

    source = family.source()
    del source.records[family.note.id]
    data = visit_summary_data(source, family.visit.id, agency)
    assert data.note is None and data.is_draft


def test_every_page_has_page_x_of_y_and_the_confidentiality_footer(
    family: Any, agency: Any, pdf_pages: Any
) -> None:
    family.note.narrative = "\n\n".join(f"Observation {i}: the family talked about school. " * 6
                                        for i in range(150))
    data = visit_summary_data(family.source(), family.visit.id, agency)
    pages = pdf_pages(render_visit_summary(data, Audience.FULL))

    total = len(pages)
    assert total >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert "CONFIDENTIAL" in page
        assert "Internal — full record" in page


def test_names_in_accented_latin_greek_and_cyrillic_round_trip(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    family.dmitri.first_name, family.dmitri.last_name = "Łukasz", "Żółkiewski-Nguyễn"
    family.visit.participants = ["Łukasz Żółkiewski-Nguyễn", "Søren Ærø", "Ζωή Αθανασίου", "Юлия Щербакова"]
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.FULL))

    for name in ["Ana María García-Ivanova", "Νίκος Παπαδόπουλος", "Ольга Иванова",
                 "Łukasz Żółkiewski-Nguyễn", "Søren Ærø", "Ζωή Αθανασίου", "Юлия Щербакова"]:
        assert name in text, name


def test_markup_in_user_text_is_printed_not_interpreted(family: Any, agency: Any, pdf_text: Any) -> None:
    family.visit.purpose = 'Check <font size="40">fees</font> & <unclosed tag'
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.FULL))
    assert 'Check <font size="40">fees</font> & <unclosed tag' in text


def test_a_missing_configured_logo_falls_back_to_the_default(
    family: Any, tmp_path: Path, pdf_text: Any
) -> None:
    agency = AgencyBranding(name="Hill County DSS", logo_path=tmp_path / "missing.png")
    assert agency.logo() is not None and agency.logo() != agency.logo_path
    data = visit_summary_data(family.source(), family.visit.id, agency)
    assert "Hill County DSS" in pdf_text(render_visit_summary(data, Audience.FULL))


def test_attempted_contact_says_no_child_could_be_seen(family: Any, agency: Any, pdf_text: Any) -> None:
    visit = replace(family.visit, status=family.visit.status.ATTEMPTED, children=[])
    source = family.source()
    source.add(visit)
    text = pdf_text(render_visit_summary(visit_summary_data(source, visit.id, agency), Audience.FULL))
    assert "Attempted" in text
    assert "Attempted contact: no child could be seen." in text
    assert re.search(r"Ana María García-Ivanova Lincoln Elementary, Grade 4 No No", text)
