"""A family of the demo caseload that asks for Spanish, and its Spanish family summary.

Run as a script to render the first page for the README: `.venv/bin/python tests/reports/demo_family.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain.entities import Note, SafetyAssessment, Visit
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.services.reports import AgencyBranding, Audience, render_visit_summary, visit_summary_data

T = TypeVar("T")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "family-summary-es.png"


class DemoRecords:
    """The demo caseload as a record source."""

    def __init__(self, records: list[Any]) -> None:
        self.records = {r.id: r for r in records}

    def get(self, cls: type[T], record_id: str) -> T:
        record = self.records.get(record_id)
        if not isinstance(record, cls):
            raise CaseworkerError(f"No {cls.__name__.lower()} with id {record_id}.")
        return record

    def for_case(self, cls: type[T], case_id: str) -> list[T]:
        found = [r for r in self.records.values() if isinstance(r, cls) and r.case_id == case_id]
        return [r for r in found if r.deleted_at is None]


def spanish_home_visit() -> tuple[DemoRecords, Visit]:
    """A finalized home visit of a demo family whose written language is Spanish, with a safety assessment."""
    load = generate_caseload("default", seed=7, worker="liaison")
    records = list(load.records())
    spanish = {c.id for c in load.cases if c.preferred_language == "es"}
    noted = {n.visit_id for n in records if isinstance(n, Note) and n.visit_id and n.is_final}
    assessed = {a.visit_id for a in records if isinstance(a, SafetyAssessment)}
    visits = sorted(
        (v for v in records if isinstance(v, Visit) and v.case_id in spanish and v.id in noted
         and v.contact_type.value == "home_visit"),
        key=lambda v: (v.id not in assessed, v.occurred_at),
    )
    return DemoRecords(records), visits[0]


def spanish_family_summary() -> bytes:
    source, visit = spanish_home_visit()
    data = visit_summary_data(source, visit.id, AgencyBranding(name="Hill County Department of Social Services"))
    return render_visit_summary(data, Audience.FAMILY, language="es")


if __name__ == "__main__":
    import pypdfium2

    document = pypdfium2.PdfDocument(spanish_family_summary())
    document[0].render(scale=1.5).to_pil().save(SCREENSHOT)
    print(f"wrote {SCREENSHOT}")
