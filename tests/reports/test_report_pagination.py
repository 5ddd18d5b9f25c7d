"""Long narratives and long tables flow across pages: nothing is clipped or lost."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from caseworker_app.domain.entities import Referral
from caseworker_app.domain.vocabulary import ServiceType
from caseworker_app.services.reports import (
    Audience,
    case_history_data,
    render_case_history,
    render_visit_summary,
    visit_summary_data,
)

LAST = "This is the very last sentence of the forty-page narrative."


def numbered_sentences(count: int, per_paragraph: int) -> str:
    sentences = [
        f"Sentence {i}: the caseworker and the family went over the week's schedule, meals and homework."
        for i in range(count)
    ]
    paragraphs = [" ".join(sentences[i : i + per_paragraph]) for i in range(0, count, per_paragraph)]
    return "\n\n".join(paragraphs) + "\n\n" + LAST


def test_forty_page_narrative_paginates_with_nothing_lost(family: Any, agency: Any, pdf_pages: Any) -> None:
    family.note.narrative = numbered_sentences(2600, per_paragraph=6)
    data = visit_summary_data(family.source(), family.visit.id, agency)
    pages = pdf_pages(render_visit_summary(data, Audience.FULL))

    assert len(pages) >= 40
    text = " ".join(" ".join(pages).split())
    assert LAST in text
    found = {int(n) for n in re.findall(r"Sentence (\d+):", text)}
    assert found == set(range(2600))
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Worker Jordan Lee" in " ".join(pages[-1].split())  # the signature block made it to the end


def test_one_huge_paragraph_without_line_breaks_still_flows(
    family: Any, agency: Any, pdf_pages: Any
) -> None:
    family.note.narrative = numbered_sentences(700, per_paragraph=700).replace("\n\n", " ")
    data = visit_summary_data(family.source(), family.visit.id, agency)
    pages = pdf_pages(render_visit_summary(data, Audience.FULL))

    assert len(pages) >= 10
    text = " ".join(" ".join(pages).split())
    assert {int(n) for n in re.findall(r"Sentence (\d+):", text)} == set(range(700))
    assert LAST in text


def test_long_tables_split_across_pages_and_repeat_their_header(
    family: Any, agency: Any, pdf_pages: Any
) -> None:
    source = family.source()
    day = date(2025, 1, 6)
    for i in range(160):
        source.add(Referral(case_id=family.case.id, service=ServiceType.TRANSPORTATION,
                            person_id=family.ana.id, agency=f"Bus route {i:03d}",
                            referred_on=day + timedelta(days=i % 50)))
    data = case_history_data(source, family.case.id, date(2024, 9, 1), date(2025, 8, 31), agency)
    pages = pdf_pages(render_case_history(data, Audience.FULL))

    text = " ".join(" ".join(pages).split())
    assert {int(n) for n in re.findall(r"Bus route (\d{3})", text)} == set(range(160))
    referral_pages = [p for p in pages if "Bus route" in p]
    assert len(referral_pages) >= 3
    for page in referral_pages:
        assert "Referred" in page and "Service" in page  # the header row repeats


def test_text_too_long_for_a_table_cell_continues_below_the_table(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    family.referrals[0].notes = "Long referral note. " * 400 + "End of the long note."
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.FULL))
    assert "(continued in note [1] below)" in text
    assert "End of the long note." in text
