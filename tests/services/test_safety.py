"""Safety assessments and plans through the services, in a real encrypted store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from services_kit import Household, outbox

from caseworker_app.domain import SafetyAssessment, SafetyPlan, ValidationError
from caseworker_app.domain.vocabulary import SafetyDecision
from caseworker_app.services import safety, visits
from caseworker_app.store.local_store import LocalStore

PLAN = [
    {"action": "Grandmother stays overnight", "responsible": "Grandmother", "monitoring": "Daily call from liaison"},
    {"action": "Mother attends counselling", "responsible": "Rosa Silva"},
]


def test_a_conditionally_safe_assessment_and_its_plan_are_saved_together(
    store: LocalStore, household: Household
) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=datetime(2026, 11, 2, 15, tzinfo=UTC))
    both = safety.add_assessment(
        store,
        household.case.id,
        assessed_on=date(2026, 11, 2),
        decision="conditionally_safe",
        threats=["no_adult_supervision"],
        protective_capacities=["support_network", "emotional_bond"],
        rationale="Grandmother can supervise while mother works nights.",
        visit_id=draft.visit.id,
        plan_actions=PLAN,
        plan_review_on=date(2026, 11, 16),
    )
    assert store.repo.get(SafetyAssessment, both.assessment.id).visit_id == draft.visit.id
    plan = safety.current_plan(store, household.case.id)
    assert plan is not None and plan.assessment_id == both.assessment.id
    assert [a.responsible for a in plan.actions] == ["Grandmother", "Rosa Silva"]
    assert [e.entity for e in outbox(store)][-2:] == ["safety_assessment", "safety_plan"]


def test_assessment_rules_refuse_and_store_nothing(store: LocalStore, household: Household) -> None:
    before = len(outbox(store))
    with pytest.raises(ValidationError, match="safety plan"):
        safety.add_assessment(
            store,
            household.case.id,
            assessed_on=date(2026, 11, 2),
            decision="conditionally_safe",
            threats=["no_adult_supervision"],
            rationale="Grandmother helps.",
        )
    with pytest.raises(ValidationError, match="cannot be 'safe'"):
        safety.add_assessment(
            store, household.case.id, assessed_on=date(2026, 11, 2), decision="safe", threats=["violence_in_home"]
        )
    with pytest.raises(ValidationError, match="not one of"):
        safety.add_assessment(store, household.case.id, assessed_on=date(2026, 11, 2), decision="fine")
    with pytest.raises(ValidationError, match="responsible"):
        safety.add_assessment(
            store,
            household.case.id,
            assessed_on=date(2026, 11, 2),
            decision="conditionally_safe",
            threats=["no_adult_supervision"],
            rationale="x",
            plan_actions=[{"action": "Stay", "responsible": ""}],
        )
    assert len(outbox(store)) == before


def test_a_new_plan_replaces_the_current_one_and_plans_are_edited_field_by_field(
    store: LocalStore, household: Household
) -> None:
    first = safety.add_safety_plan(store, household.case.id, actions=PLAN[:1], starts_on=date(2026, 11, 2))
    second = safety.add_safety_plan(store, household.case.id, actions=PLAN, starts_on=date(2026, 11, 9))
    assert safety.current_plan(store, household.case.id) == second
    assert store.repo.get(SafetyPlan, first.id).active is False
    saved = safety.edit_safety_plan(store, second.id, {"review_on": date(2026, 11, 23), "actions": PLAN}, seen=second)
    assert saved.changed == ("review_on",)
    with pytest.raises(ValidationError, match="before the plan starts"):
        safety.edit_safety_plan(store, second.id, {"review_on": date(2026, 10, 1)}, seen=saved.record)


def test_editing_an_assessment_decision(store: LocalStore, household: Household) -> None:
    both = safety.add_assessment(
        store,
        household.case.id,
        assessed_on=date(2026, 11, 2),
        decision=SafetyDecision.SAFE,
        protective_capacities=["meets_basic_needs"],
    )
    saved = safety.edit_assessment(
        store,
        both.assessment.id,
        {"decision": "unsafe", "threats": ["violence_in_home"], "rationale": "Police called twice this week."},
        seen=both.assessment,
    )
    assert saved.record.decision is SafetyDecision.UNSAFE and set(saved.changed) == {"decision", "threats", "rationale"}
