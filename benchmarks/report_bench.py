"""Report PDF timings: a visit summary (< 100 ms) and a 12-month case history of a busy case (< 2 s).

Each figure is the median of several runs after one warm-up (fonts registered once
per process, as in the app), printed with its ratio to a baseline measured in the
same run: a one-paragraph reportlab document.

    .venv/bin/python -m benchmarks.run reports      (or: .venv/bin/python benchmarks/report_bench.py)
"""

from __future__ import annotations

import io
import statistics
import sys
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pypdf import PdfReader
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from caseworker_app.demo.caseload import Caseload, generate_caseload
from caseworker_app.domain.entities import Visit
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.services.reports import (
    AgencyBranding,
    Audience,
    case_history_data,
    render_case_history,
    render_visit_summary,
    visit_summary_data,
)
from caseworker_app.services.reports.pdf_common import register_fonts

try:
    from benchmarks.common import Figure, measure, print_figures
except ModuleNotFoundError:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.common import Figure, measure, print_figures

T = TypeVar("T")
AGENCY = AgencyBranding(name="Riverbend County Family Services")


class CaseloadSource:
    """The RecordSource the builders read, over an in-memory caseload (no database cost)."""

    def __init__(self, caseload: Caseload) -> None:
        self.by_id: dict[str, Any] = {s.id: s for s in caseload.schools}
        self.by_case: dict[tuple[type, str], list[Any]] = {}
        for record in caseload.records():
            self.by_id[record.id] = record
            self.by_case.setdefault((type(record), record.case_id), []).append(record)

    def add(self, record: Any) -> None:
        self.by_id[record.id] = record
        self.by_case.setdefault((type(record), record.case_id), []).append(record)

    def get(self, cls: type[T], record_id: str) -> T:
        record = self.by_id.get(record_id)
        if not isinstance(record, cls):
            raise CaseworkerError(f"No record {record_id}.")
        return record

    def for_case(self, cls: type[T], case_id: str) -> list[T]:
        return [r for r in self.by_case.get((cls, case_id), []) if r.deleted_at is None]


def baseline() -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Paragraph("A one-paragraph document.", getSampleStyleSheet()["Normal"])])
    return buffer.getvalue()


def weekly_case(caseload: Caseload, source: CaseloadSource, case_id: str, end: date) -> None:
    """Make the case busier than the generator does: a contact with a full narrative every week."""
    visits = [v for v in caseload.visits if v.case_id == case_id]
    notes = {n.visit_id: n for n in caseload.notes if n.case_id == case_id and n.addendum_to is None}
    template = max(visits, key=lambda v: len(notes[v.id].narrative) if v.id in notes else 0)
    note = notes[template.id]
    for week in range(52):
        when = template.occurred_at.replace(
            year=end.year, month=end.month, day=end.day) - timedelta(days=7 * week + 3)
        visit: Visit = replace(template, id=f"weekly-visit-{week}", occurred_at=when)
        source.add(visit)
        source.add(replace(note, id=f"weekly-note-{week}", visit_id=visit.id,
                           written_at=when + timedelta(hours=2), finalized_at=when + timedelta(hours=3)))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def figures() -> tuple[list[Figure], list[str]]:
    """The figures, and a line of detail (sizes) for each case history."""
    register_fonts()  # once per process, as in the app
    base_name = "one-paragraph reportlab PDF"
    base = statistics.median(measure(baseline, repeat=30))
    results: list[Figure] = []
    details: list[str] = []

    caseload = generate_caseload("large", seed=7)
    source = CaseloadSource(caseload)
    case_id = Counter(v.case_id for v in caseload.visits).most_common(1)[0][0]
    visits = sorted((v for v in caseload.visits if v.case_id == case_id), key=lambda v: v.occurred_at)
    with_notes = {n.visit_id for n in caseload.notes if n.case_id == case_id}
    visit = next(v for v in reversed(visits) if v.id in with_notes)

    def summary() -> bytes:
        return render_visit_summary(visit_summary_data(source, visit.id, AGENCY), Audience.FULL)

    results.append(Figure("visit summary (read + render)", measure(summary, repeat=30), base_name, base,
                          "< 100 ms"))

    end = visits[-1].occurred_at.date()
    start = end - timedelta(days=365)

    def history() -> bytes:
        return render_case_history(case_history_data(source, case_id, start, end, AGENCY), Audience.FULL)

    cases = (("case history 12 mo, busiest case", False), ("case history 12 mo, weekly contacts", True))
    for name, busier in cases:
        if busier:
            weekly_case(caseload, source, case_id, end)
        data = case_history_data(source, case_id, start, end, AGENCY)
        words = sum(len(c.thread.note.narrative.split()) for c in data.contacts if c.thread)
        details.append(f"{name}: {len(data.contacts)} contacts, {words} narrative words, "
                       f"{page_count(history())} pages")
        results.append(Figure(name, measure(history, repeat=7, warmup=1), base_name, base, "< 2 s"))
    return results, details


def run() -> list[tuple[str, float, float]]:
    """(name, median seconds, baseline seconds) for each figure."""
    return [(f.name, f.median, f.baseline) for f in figures()[0]]


def main() -> None:
    results, details = figures()
    print_figures("Report PDFs (large caseload, seed 7)", results)
    for line in details:
        print(f"  {line}")


if __name__ == "__main__":
    main()
