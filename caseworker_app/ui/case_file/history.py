"""History tab: the audit events of the case (who viewed, edited, finalized, exported what, and when)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.services.caseload import CaseFile
from caseworker_app.services.changes import AUDIT
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import RECORD_KINDS, CaseTab
from caseworker_app.ui.labels import label, local_time
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable

ENTITY_LABELS = {"SafetyAssessment": N_("safety assessment"), "SafetyPlan": N_("safety plan"),
                 "PermanencyGoal": N_("permanency goal"), "AttendanceRecord": N_("attendance record"),
                 "Case": N_("case"), "Person": N_("person"), "Visit": N_("visit"), "Note": N_("note"),
                 "Referral": N_("referral"), "Task": N_("task"), "Conflict": N_("conflict")}


class HistoryTab(CaseTab):
    title = N_("H&istory")
    kinds = RECORD_KINDS | {AUDIT}  # an export or a view is audited without changing any record

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.table = RowTable([_("When"), _("Who"), _("What"), _("Record")], _("Case history"))
        self.layout_.addWidget(self.table)

    def fill(self, file: CaseFile) -> None:
        rows = []
        for event in file.history:
            entity = event.get("entity") or ""
            rows.append(Row(
                [local_time(datetime.fromisoformat(event["at"])), event["actor"], label(event["action"]),
                 _(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity.lower()],
                sort_keys=[event["at"], event["actor"], event["action"], entity],
            ))
        self.table.set_rows(rows)
