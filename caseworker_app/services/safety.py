"""Safety assessments and safety plans: add and edit, an assessment with its plan in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from caseworker_app.domain.entities import Case, SafetyAssessment, SafetyPlan, SafetyPlanAction, Visit
from caseworker_app.domain.errors import ValidationError
from caseworker_app.domain.vocabulary import SafetyDecision
from caseworker_app.domain.workflow import choose
from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.unit_of_work import Saved, UnitOfWork


@dataclass(frozen=True)
class AssessmentWithPlan:
    assessment: SafetyAssessment
    plan: SafetyPlan | None


def _actions(actions: Iterable[SafetyPlanAction | Mapping[str, Any]]) -> list[SafetyPlanAction]:
    return [a if isinstance(a, SafetyPlanAction) else SafetyPlanAction(**a) for a in actions]


def _plan_needed(decision: SafetyDecision) -> bool:
    return decision is SafetyDecision.CONDITIONALLY_SAFE


def add_assessment(
    store: LocalStore,
    case_id: str,
    *,
    assessed_on: date,
    decision: SafetyDecision | str,
    threats: Iterable[str] = (),
    protective_capacities: Iterable[str] = (),
    rationale: str = "",
    visit_id: str | None = None,
    plan_actions: Iterable[SafetyPlanAction | Mapping[str, Any]] = (),
    plan_review_on: date | None = None,
) -> AssessmentWithPlan:
    """Record a safety assessment (threats checklist, protective capacities, decision, rationale).

    "Conditionally safe" needs a safety plan: pass its actions (action, responsible,
    monitoring) and review date, and both are saved in one transaction. visit_id links
    the assessment to the visit it was started from. Raises ValidationError.
    """
    case = store.repo.get(Case, case_id)
    if visit_id is not None and store.repo.get(Visit, visit_id).case_id != case.id:
        raise ValidationError("visit_id", _("The visit belongs to another case."))
    assessment = SafetyAssessment(
        case_id=case.id,
        assessed_on=assessed_on,
        visit_id=visit_id,
        threats=list(threats),
        protective_capacities=list(protective_capacities),
        decision=choose(SafetyDecision, decision, "decision"),
        rationale=rationale,
        assessor=store.worker,
    )
    actions = _actions(plan_actions)
    if _plan_needed(assessment.decision) and not actions:
        raise ValidationError("actions", _("A conditionally safe decision needs a safety plan; add its actions."))
    if assessment.decision is SafetyDecision.CONDITIONALLY_SAFE and not rationale.strip():
        raise ValidationError("rationale", _("Explain why the child is conditionally safe."))
    plan = (
        SafetyPlan(
            case_id=case.id,
            assessment_id=assessment.id,
            actions=actions,
            starts_on=assessed_on,
            review_on=plan_review_on,
        )
        if actions
        else None
    )
    with store.repo.unit() as uow:
        uow.add(assessment)
        if plan is not None:
            _retire_active_plans(uow, case.id)
            uow.add(plan)
    return AssessmentWithPlan(assessment, plan)


def edit_assessment(
    store: LocalStore, assessment_id: str, changes: Mapping[str, Any], seen: SafetyAssessment
) -> Saved[SafetyAssessment]:
    """Change an assessment's threats, capacities, decision or rationale; only fields changed since `seen`."""
    return store.repo.update(SafetyAssessment, assessment_id, changes, seen=seen)


def _retire_active_plans(uow: UnitOfWork, case_id: str) -> None:
    # One current plan per case: a new plan replaces the one in force.
    for old in uow.find(SafetyPlan, case_id=case_id, active=True):
        uow.update(SafetyPlan, old.id, {"active": False}, seen=old, audit_action="replace_safety_plan")


def add_safety_plan(
    store: LocalStore,
    case_id: str,
    *,
    actions: Iterable[SafetyPlanAction | Mapping[str, Any]],
    starts_on: date,
    review_on: date | None = None,
    assessment_id: str | None = None,
) -> SafetyPlan:
    """A new safety plan (actions, who is responsible, how it is monitored, review date).

    It becomes the case's current plan; the previous one is kept, inactive, in the same transaction.
    """
    case = store.repo.get(Case, case_id)
    if assessment_id is not None and store.repo.get(SafetyAssessment, assessment_id).case_id != case.id:
        raise ValidationError("assessment_id", _("The assessment belongs to another case."))
    plan = SafetyPlan(
        case_id=case.id,
        assessment_id=assessment_id,
        actions=_actions(actions),
        starts_on=starts_on,
        review_on=review_on,
    )
    plan.validate()
    with store.repo.unit() as uow:
        _retire_active_plans(uow, case.id)
        uow.add(plan)
    return plan


def edit_safety_plan(
    store: LocalStore, plan_id: str, changes: Mapping[str, Any], seen: SafetyPlan
) -> Saved[SafetyPlan]:
    """Change a plan's actions, dates or whether it is in force; only fields changed since `seen`.

    `actions` is one field: the whole list as the form shows it.
    """
    if "actions" in changes:
        changes = {**changes, "actions": _actions(changes["actions"])}
    return store.repo.update(SafetyPlan, plan_id, changes, seen=seen)


def current_plan(store: LocalStore, case_id: str) -> SafetyPlan | None:
    plans = [p for p in store.repo.for_case(SafetyPlan, case_id) if p.active]
    return max(plans, key=lambda p: p.starts_on) if plans else None
