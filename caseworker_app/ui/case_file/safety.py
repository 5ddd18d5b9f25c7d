"""Safety tab: the safety assessments (threats, capacities, decision) and the current safety plan."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSplitter, QWidget

from caseworker_app.domain.entities import SafetyPlan
from caseworker_app.i18n import N_, _
from caseworker_app.local_format import number_text
from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.labels import label, short_date
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable, section


class SafetyTab(CaseTab):
    title = N_("Safet&y")
    kinds = frozenset({"SafetyAssessment", "SafetyPlan", "PermanencyGoal", "Person", "Case"})
    new_assessment = Signal()
    edit_assessment = Signal(object)  # SafetyAssessment
    new_plan = Signal()
    edit_plan = Signal(object)  # SafetyPlan
    set_goals = Signal()

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.button(_("New safety &assessment"), self.new_assessment.emit)
        self.button(_("&Edit assessment…"), self._edit, _("Edit the selected safety assessment"))
        self.button(_("New safety &plan"), self.new_plan.emit)
        self.button(_("Ed&it plan…"), self._edit_plan, _("Edit the current safety plan"))
        self.current_plan: SafetyPlan | None = None
        self.button(_("Set per&manency goals"), self.set_goals.emit)
        self.assessments = RowTable([_("Assessed"), _("Decision"), _("Threats"), _("Protective capacities"),
                                     _("Assessor")], _("Safety assessments"))
        self.assessments.clicked.connect(lambda _i: self._show_detail())
        self.assessments.activated_payload.connect(self.edit_assessment.emit)
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.plan = QLabel("")
        self.plan.setWordWrap(True)
        self.plan.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.plan.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(section(_("Safety assessments"), self.assessments))
        split.addWidget(section(_("Selected assessment"), _scrolled(self.detail)))
        split.addWidget(section(_("Current safety plan"), _scrolled(self.plan)))
        split.setSizes([260, 160, 220])
        self.layout_.addWidget(split)

    def fill(self, file: CaseFile) -> None:
        rows = []
        for a in sorted(file.detail.assessments, key=lambda a: a.assessed_on, reverse=True):
            rows.append(Row([short_date(a.assessed_on), label(a.decision), number_text(len(a.threats)),
                             number_text(len(a.protective_capacities)), a.assessor], payload=a,
                            sort_keys=[a.assessed_on.isoformat(), a.decision, len(a.threats),
                                       len(a.protective_capacities), a.assessor],
                            emphasis={1} if a.decision != "safe" else set()))
        self.assessments.set_rows(rows)
        if rows:
            self.assessments.selectRow(0)
        self._show_detail()
        plans = [p for p in file.detail.safety_plans if p.active]
        if not plans:
            self.current_plan = None
            self.plan.setText(_("No active safety plan."))
            return
        plan = self.current_plan = max(plans, key=lambda p: p.starts_on)
        started = (_("Started {start}, review on {review}").format(start=short_date(plan.starts_on),
                                                                 review=short_date(plan.review_on))
                   if plan.review_on else _("Started {start}").format(start=short_date(plan.starts_on)))
        lines = [f"<b>{started}</b><ol>"]
        for action in plan.actions:
            monitoring = (_("<br/><i>Monitoring:</i> {how}").format(how=_esc(action.monitoring))
                          if action.monitoring else "")
            lines.append("<li>" + _("{action} — <i>responsible:</i> {who}").format(
                action=_esc(action.action), who=_esc(action.responsible)) + f"{monitoring}</li>")
        self.plan.setText("".join(lines) + "</ol>")

    def _edit_plan(self) -> None:
        if self.current_plan is not None:
            self.edit_plan.emit(self.current_plan)

    def _edit(self) -> None:
        assessment = self.assessments.current_payload()
        if assessment is not None:
            self.edit_assessment.emit(assessment)

    def _show_detail(self) -> None:
        a = self.assessments.current_payload()
        if a is None:
            self.detail.setText(_("No safety assessment recorded.") if self.assessments.rows_model.rowCount() == 0
                                else "")
            return
        threats = "".join(f"<li>{_esc(label(t))}</li>" for t in a.threats) or f"<li>{_('None found')}</li>"
        capacities = ("".join(f"<li>{_esc(label(c))}</li>" for c in a.protective_capacities)
                      or f"<li>{_('None noted')}</li>")
        self.detail.setText(
            _("<b>{decision}</b> on {day}").format(decision=label(a.decision), day=short_date(a.assessed_on))
            + "<br/>" + _("<i>Threats:</i><ul>{threats}</ul><i>Protective capacities:</i><ul>{capacities}</ul>"
                          "<i>Rationale:</i> {rationale}").format(threats=threats, capacities=capacities,
                                                                   rationale=_esc(a.rationale))
        )


def _esc(text: str) -> str:
    import html

    return html.escape(text)


def _scrolled(label: QLabel) -> QScrollArea:
    """A long assessment or plan scrolls inside its pane instead of being cut off at the bottom."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(label)
    return area
