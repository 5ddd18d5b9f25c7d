"""Service referrals: add one, move it through its statuses (referred -> ... -> completed or declined), edit it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from caseworker_app.domain.entities import Case, Person, Referral
from caseworker_app.domain.errors import ValidationError
from caseworker_app.domain.vocabulary import ReferralStatus, ServiceType
from caseworker_app.domain.workflow import check_referral_move, choose
from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.unit_of_work import Saved


def add_referral(
    store: LocalStore,
    case_id: str,
    service: ServiceType | str,
    *,
    referred_on: date,
    person_id: str | None = None,
    agency: str = "",
    notes: str = "",
) -> Referral:
    """Refer the family (or one member) to a service; it starts as 'referred'."""
    case = store.repo.get(Case, case_id)
    if person_id is not None and store.repo.get(Person, person_id).case_id != case.id:
        raise ValidationError("person_id", _("Choose a member of this case."))
    kind = choose(ServiceType, service, "service")
    referral = Referral(
        case_id=case.id, service=kind, person_id=person_id, agency=agency, referred_on=referred_on, notes=notes
    )
    return store.repo.add(referral)


def move_referral(
    store: LocalStore, referral_id: str, to: ReferralStatus | str, *, on: date, seen: Referral | None = None
) -> Referral:
    """Move a referral to its next status (accepted, in progress, completed, declined) as of `on`.

    The domain says which moves are allowed; ValidationError names the ones that are.
    With `seen`, a status someone else changed meanwhile is kept and the move raises a conflict.
    """
    status = choose(ReferralStatus, to, "status")
    with store.repo.unit() as uow:
        current = uow.get(Referral, referral_id)
        if current.status is status:
            return current
        check_referral_move(seen or current, status)
        if on < current.referred_on:
            raise ValidationError("status_on", _("The status date cannot be before the referral date."))
        changes: dict[str, Any] = {"status": status, "status_on": on}
        if seen is not None and current.status is not seen.status:
            del changes["status_on"]  # the status moved meanwhile: its date stays with the move that was made
        saved = uow.update(Referral, referral_id, changes, seen=seen, audit_action="move_referral")
        return saved.record


def edit_referral(store: LocalStore, referral_id: str, changes: Mapping[str, Any], seen: Referral) -> Saved[Referral]:
    """Change a referral's agency, notes or dates; its status moves only through move_referral."""
    if "status" in changes and choose(ReferralStatus, changes["status"], "status") is not seen.status:
        raise ValidationError("status", _("Move the referral with its own action."))
    return store.repo.update(Referral, referral_id, changes, seen=seen)
