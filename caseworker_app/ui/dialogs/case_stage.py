"""Change a case's stage and risk level."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from caseworker_app.domain.entities import Case
from caseworker_app.domain.vocabulary import CaseStage, RiskLevel
from caseworker_app.i18n import _
from caseworker_app.services import cases
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.dialogs.written_language import preferred_language_combo
from caseworker_app.ui.labels import label
from caseworker_app.ui.widgets.form_dialog import FormDialog


class CaseStageDialog(FormDialog):
    def __init__(self, store: LocalStore, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent, _("Stage and risk"), submit=_("&Save"))
        self.store, self.case = store, case
        self.stage, self.risk = QComboBox(), QComboBox()
        for stage in CaseStage:
            self.stage.addItem(label(stage.value), stage.value)
        for risk in RiskLevel:
            self.risk.addItem(label(risk.value), risk.value)
        self.stage.setCurrentIndex(self.stage.findData(case.stage.value))
        self.risk.setCurrentIndex(self.risk.findData(case.risk_level.value))
        self.add_row(_("&Stage:"), self.stage, _("Case stage"))
        self.add_row(_("&Risk level:"), self.risk)
        self.language = preferred_language_combo(case.preferred_language)
        self.add_row(_("Family's &written language:"), self.language, _("Family's language for written material"))

    def work(self) -> Callable[[], Any] | None:
        store, case = self.store, self.case
        stage, risk = self.stage.currentData(), self.risk.currentData()
        language = str(self.language.currentData() or "")

        def save() -> Case:
            seen = case
            if stage != case.stage.value:
                seen = cases.change_stage(store, case.id, stage, seen=seen).record
            if risk != case.risk_level.value:
                seen = cases.change_risk(store, case.id, risk, seen=seen).record
            if language != case.preferred_language:
                seen = cases.edit_case(store, case.id, {"preferred_language": language}, seen=seen).record
            return seen

        return save
