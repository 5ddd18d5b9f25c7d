"""A case's own record: stage, risk level, other details, and each child's permanency goals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from caseworker_app.domain.entities import Case, PermanencyGoal, Person
from caseworker_app.domain.vocabulary import CaseStage, PermanencyGoalType, RiskLevel, as_words
from caseworker_app.domain.workflow import check_permanency_goal, choose
from caseworker_app.i18n import _
from caseworker_app.store.errors import RecordChanged, RecordNotFound
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.unit_of_work import Saved


def find_case(store: LocalStore, id_or_reference: str) -> Case:
    """A case by its id or its reference number (as a person types it); RecordNotFound otherwise."""
    wanted = id_or_reference.strip()
    for case in store.repo.all(Case):
        if wanted in (case.id, case.reference) or wanted.casefold() == case.reference.casefold():
            return case
    raise RecordNotFound(_("No case with the id or reference {wanted} in this profile.").format(wanted=wanted))


def change_stage(
    store: LocalStore, case_id: str, stage: CaseStage | str, *, seen: Case, closed_on: date | None = None
) -> Saved[Case]:
    """Move a case to another stage; closing it records the closing date (today unless given).

    Reopening a closed case clears the closing date. Only what changed since `seen` is written;
    if someone else moved the stage meanwhile, RecordChanged asks the person to look again.
    """
    to = choose(CaseStage, stage, "stage")
    changes: dict[str, Any] = {"stage": to}
    if to is CaseStage.CLOSED:
        changes["closed_on"] = closed_on or date.today()
    elif seen.stage is CaseStage.CLOSED:
        changes["closed_on"] = None
    current = store.repo.get(Case, case_id).stage
    if current is not seen.stage and current is not to:
        # A stage move is a step from the stage the person saw; from another one it needs their eyes.
        raise RecordChanged(
            _(
                "This case was moved to {stage} while you had it open; review it and change the stage again."
            ).format(stage=as_words(current.value).lower())
        )
    return store.repo.update(Case, case_id, changes, seen=seen, audit_action="change_stage")


def change_risk(store: LocalStore, case_id: str, risk: RiskLevel | str, *, seen: Case) -> Saved[Case]:
    """Set a case's risk level. A risk someone else set meanwhile is kept and the change raises a conflict."""
    return store.repo.update(
        Case, case_id, {"risk_level": choose(RiskLevel, risk, "risk_level")}, seen=seen, audit_action="change_risk"
    )


def edit_case(store: LocalStore, case_id: str, changes: Mapping[str, Any], seen: Case) -> Saved[Case]:
    """Change a case's details (reference, type, placement, school, ...); only fields changed since `seen`."""
    return store.repo.update(Case, case_id, changes, seen=seen)


def set_permanency_goals(
    store: LocalStore,
    child_id: str,
    primary: PermanencyGoalType | str,
    alternative: PermanencyGoalType | str | None = None,
    *,
    set_on: date,
    seen: PermanencyGoal | None = None,
) -> PermanencyGoal:
    """Set a child's primary and alternative permanency goals (out-of-home cases).

    A child has one goal record; setting it again edits it (only what changed since `seen`).
    """
    child = store.repo.get(Person, child_id)
    case = store.repo.get(Case, child.case_id)
    check_permanency_goal(case, child)
    values: dict[str, Any] = {
        "primary": choose(PermanencyGoalType, primary, "primary"),
        "alternative": choose(PermanencyGoalType, alternative, "alternative") if alternative else None,
        "set_on": set_on,
    }
    with store.repo.unit() as uow:
        existing = uow.find(PermanencyGoal, child_id=child.id)
        if existing:
            return uow.update(PermanencyGoal, existing[0].id, values, seen=seen or existing[0]).record
        return uow.add(PermanencyGoal(case_id=case.id, child_id=child.id, **values))
