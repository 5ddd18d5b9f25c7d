"""The visit summary's layout: signature kept with the text, the worker's full name, one way of showing times."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from caseworker_app.domain.entities import Referral
from caseworker_app.domain.vocabulary import ReferralStatus, ServiceType
from caseworker_app.services.reports import Audience, render_visit_summary, visit_summary_data
from caseworker_app.services.staff import StaffMember, set_worker_identity, staff_directory
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import ReferenceRecord
from caseworker_app.sync.protocol import TEAM_MEMBER_ENTITY


@pytest.fixture
def chicago(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_signature_never_stands_alone_on_the_last_page(family: Any, agency: Any, pdf_pages: Any) -> None:
    family.addenda = []  # the narrative is the last section
    lonely = []
    for count in range(1, 70):
        family.note.narrative = "\n\n".join(
            f"Paragraph {i}: the family and this worker went over the week's schedule and the school forms."
            for i in range(count)
        )
        data = visit_summary_data(family.source(), family.visit.id, agency)
        pages = pdf_pages(render_visit_summary(data, Audience.FULL))
        last = pages[-1]
        assert "Signature" in last
        if len(pages) > 1 and "Paragraph" not in last:
            lonely.append(count)
    assert lonely == []


def test_the_worker_appears_by_full_name_and_title(family: Any, agency: Any, pdf_text: Any) -> None:
    family.visit.worker = "jlee"
    family.note.author = "jlee"
    staff = {"jlee": StaffMember("Jordan Lee", "Family liaison")}
    data = visit_summary_data(family.source(), family.visit.id, agency, staff)
    text = pdf_text(render_visit_summary(data, Audience.FULL))
    assert text.count("Jordan Lee, Family liaison") >= 2  # the visit facts and the signature block
    assert "Worker jlee" not in text


def test_the_profile_knows_its_worker_and_the_teams_names(store: LocalStore) -> None:
    with store.db.transaction(remote=True) as session:
        session.add(ReferenceRecord(entity=TEAM_MEMBER_ENTITY, id="dreyes", version=1,
                                    fields={"username": "dreyes", "display_name": "Dana Reyes",
                                            "role": "supervisor", "active": True}))
    assert staff_directory(store)["dreyes"] == StaffMember("Dana Reyes", "Supervisor")
    set_worker_identity(store, "Sam Okafor", "School social worker")
    assert staff_directory(store)[store.worker].signature_line() == "Sam Okafor, School social worker"


def test_every_time_is_local_with_its_zone(family: Any, agency: Any, pdf_text: Any, chicago: None) -> None:
    # 21:30 UTC on March 4th is 3:30 PM in Chicago (CST); stored instants are UTC.
    family.visit.occurred_at = datetime(2025, 3, 4, 21, 30, tzinfo=UTC)
    family.note.written_at = datetime(2025, 3, 4, 23, 30, tzinfo=UTC)
    family.note.finalized_at = datetime(2025, 3, 5, 0, 0, tzinfo=UTC)  # March 4th, 6:00 PM local
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.FULL))
    assert "Time 3:30 PM CST" in text
    assert "written Mar 4, 2025, 5:30 PM CST" in text
    assert "finalized Mar 4, 2025, 6:00 PM CST" in text
    assert "UTC" not in text


def test_a_time_without_a_zone_is_taken_as_utc_and_shown_local_with_its_zone(
    family: Any, agency: Any, pdf_text: Any, chicago: None
) -> None:
    # One clock (domain.clock): stored instants are UTC; a zone-less one is read as UTC, never as
    # whatever zone the computer printing it happens to be in.
    family.visit.occurred_at = datetime(2025, 3, 4, 15, 30)
    data = visit_summary_data(family.source(), family.visit.id, agency)
    assert "Time 9:30 AM CST" in pdf_text(render_visit_summary(data, Audience.FULL))


def test_referral_dates_do_not_wrap(family: Any, agency: Any, pdf_pages: Any) -> None:
    day = date(2025, 3, 4)
    family.referrals = [
        Referral(case_id=family.case.id, service=ServiceType.TRANSPORTATION, person_id=family.ana.id,
                 agency="District transportation office", referred_on=day, status=ReferralStatus.COMPLETED,
                 status_on=date(2025, 12, 31), notes="Bus route added after the move."),
    ]
    family.visit.occurred_at = datetime.combine(day, datetime.min.time()) + timedelta(hours=15)
    for audience in (Audience.FULL, Audience.SCHOOL):
        data = visit_summary_data(family.source(), family.visit.id, agency)
        lines = [line.replace("\xa0", " ") for page in pdf_pages(render_visit_summary(data, audience))
                 for line in page.splitlines()]
        assert any("Mar 4, 2025" in line for line in lines), audience
        assert any("Dec 31, 2025" in line for line in lines), audience
