"""Visit summaries and case histories as PDFs, redacted for who will read them, written offline."""

from caseworker_app.services.reports.audience import Audience, Redaction, redaction_for
from caseworker_app.services.reports.bundle import (
    AgencyBranding,
    CaseHistoryData,
    RecordSource,
    VisitSummaryData,
    case_history_data,
    visit_summary_data,
)
from caseworker_app.services.reports.case_history import render_case_history
from caseworker_app.services.reports.errors import ExportCancelled, ExportError
from caseworker_app.services.reports.export import (
    AuditLog,
    export_case_history,
    export_visit_summary,
    write_pdf,
)
from caseworker_app.services.reports.visit_summary import render_visit_summary

__all__ = [
    "AgencyBranding",
    "Audience",
    "AuditLog",
    "CaseHistoryData",
    "ExportCancelled",
    "ExportError",
    "RecordSource",
    "Redaction",
    "VisitSummaryData",
    "case_history_data",
    "export_case_history",
    "export_visit_summary",
    "redaction_for",
    "render_case_history",
    "render_visit_summary",
    "visit_summary_data",
    "write_pdf",
]
