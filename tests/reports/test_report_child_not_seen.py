"""The visit summary says why a child was not seen, as recorded; the words of "other" only on full copies."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from caseworker_app.domain.entities import ChildSeen
from caseworker_app.services.reports import Audience, render_visit_summary, visit_summary_data


def test_children_not_seen_print_their_reason(family_factory: Any, agency: Any, pdf_text: Any) -> None:
    family = family_factory()
    family.visit.children = [
        ChildSeen(person_id=family.ana.id, seen=True, seen_alone=True),
        ChildSeen(person_id=family.nikos.id, not_seen_reason="other", not_seen_note="with his father this week"),
    ]
    data = visit_summary_data(family.source(), family.visit.id, agency)
    full = pdf_text(render_visit_summary(data, Audience.FULL))
    assert "Lincoln Elementary, Grade 2 No: with his father this week No" in full

    family.visit.children[1] = replace(family.visit.children[1], not_seen_reason="at_school", not_seen_note="")
    data = visit_summary_data(family.source(), family.visit.id, agency)
    assert "Lincoln Elementary, Grade 2 No: at school" in pdf_text(render_visit_summary(data, Audience.FULL))


def test_a_child_with_nothing_recorded_is_not_printed_as_not_seen(family_factory: Any, agency: Any,
                                                                  pdf_text: Any) -> None:
    family = family_factory(final=False)
    family.visit.children = [ChildSeen(person_id=family.ana.id, seen=True)]
    data = visit_summary_data(family.source(), family.visit.id, agency)
    assert "Lincoln Elementary, Grade 2 Not recorded" in pdf_text(render_visit_summary(data, Audience.FULL))
