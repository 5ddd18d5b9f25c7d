"""What each step of casework requires: finalizing a visit, moving a referral or a task, permanency goals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from caseworker_app.domain.clock import as_utc
from caseworker_app.domain.entities import Case, Note, Person, Referral, Task, Visit
from caseworker_app.domain.errors import IncompleteRecord, ValidationError
from caseworker_app.domain.vocabulary import (
    ContactStatus,
    ContactType,
    NotSeenReason,
    PersonRole,
    Placement,
    ReferralStatus,
    TaskStatus,
    as_words,
)
from caseworker_app.i18n import _

E = TypeVar("E", bound=StrEnum)


def choose(vocabulary: type[E], value: E | str, field: str) -> E:
    """A value from a controlled vocabulary, or a ValidationError listing the choices."""
    try:
        return vocabulary(value)
    except ValueError:
        choices = ", ".join(as_words(v.value).lower() for v in vocabulary)
        problem = _("'{value}' is not one of: {choices}.").format(value=value, choices=choices)
        raise ValidationError(field, problem) from None


# Contacts made at a place: where it happened belongs in the record.
PLACE_CONTACTS = frozenset({ContactType.HOME_VISIT, ContactType.SCHOOL_VISIT, ContactType.OFFICE})


def missing_to_finalize(
    visit: Visit, note: Note | None, children: Iterable[Person], now: datetime
) -> list[ValidationError]:
    """Every field a visit and its note still need before they become read-only (empty: ready).

    A completed face-to-face contact says, for each child of the household, whether the
    child was seen, seen alone, or not seen and why (an "other" reason in words); every contact
    says why it happened and what happened (the narrative).
    """
    missing: list[ValidationError] = []
    if visit.occurred_at > (as_utc(now) or now):
        missing.append(
            ValidationError("occurred_at", _("The contact time is in the future; correct the date and time."))
        )
    if not visit.purpose.strip() and visit.status is ContactStatus.COMPLETED:
        missing.append(ValidationError("purpose", _("Enter the purpose of the contact.")))
    if visit.contact_type in PLACE_CONTACTS and not visit.location.strip():
        missing.append(ValidationError("location", _("Enter where the contact took place.")))
    if visit.status is ContactStatus.COMPLETED and visit.contact_type.face_to_face:
        marked = {c.person_id: c for c in visit.children}
        for child in children:
            if child.role is not PersonRole.CHILD or child.deleted_at is not None:
                continue
            record = marked.get(child.id)
            if record is None:
                seen_question = _("Mark whether {name} was seen.").format(name=child.full_name)
                missing.append(ValidationError(f"children.{child.id}", seen_question))
            elif record.not_seen_reason == NotSeenReason.OTHER and not record.not_seen_note.strip():
                missing.append(ValidationError(
                    f"children.{child.id}", _("Say why {name} was not seen.").format(name=child.full_name)
                ))
    if note is None or not note.narrative.strip():
        missing.append(ValidationError("narrative", _("Write the narrative of the contact.")))
    return missing


def check_ready_to_finalize(visit: Visit, note: Note | None, children: Iterable[Person], now: datetime) -> None:
    """Raise IncompleteRecord naming every missing field; then validate the records themselves."""
    missing = missing_to_finalize(visit, note, children, now)
    if missing:
        raise IncompleteRecord(missing)
    visit.validate()


# Where a referral can go from each status; completed and declined are the end.
REFERRAL_MOVES: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.REFERRED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED, ReferralStatus.DECLINED}),
    ReferralStatus.IN_PROGRESS: frozenset({ReferralStatus.COMPLETED, ReferralStatus.DECLINED}),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
}


def check_referral_move(referral: Referral, to: ReferralStatus) -> None:
    if to not in REFERRAL_MOVES[referral.status]:
        allowed = ", ".join(sorted(as_words(s.value).lower() for s in REFERRAL_MOVES[referral.status]))
        now, wanted = as_words(referral.status.value).lower(), as_words(to.value).lower()
        if allowed:
            problem = _("A referral that is {now} cannot become {wanted}; it can become: {allowed}.")
        else:
            problem = _("A referral that is {now} cannot become {wanted}; it is closed.")
        raise ValidationError("status", problem.format(now=now, wanted=wanted, allowed=allowed))


# An open task is done or cancelled; a done or cancelled one can be reopened (a slip, or it came back).
TASK_MOVES: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.OPEN: frozenset({TaskStatus.DONE, TaskStatus.CANCELLED}),
    TaskStatus.DONE: frozenset({TaskStatus.OPEN}),
    TaskStatus.CANCELLED: frozenset({TaskStatus.OPEN}),
}


def check_task_move(task: Task, to: TaskStatus) -> None:
    if to in TASK_MOVES[task.status]:
        return
    if to is TaskStatus.OPEN:
        raise ValidationError("status", _("This task is already open."))
    raise ValidationError(
        "status", _("This task is already {status}; reopen it first to change it.").format(status=_(task.status.value))
    )


def check_permanency_goal(case: Case, child: Person) -> None:
    """Permanency goals are set for children in out-of-home care."""
    if child.role is not PersonRole.CHILD or child.case_id != case.id:
        raise ValidationError("child_id", _("Choose a child of this case."))
    if case.placement is not Placement.OUT_OF_HOME:
        raise ValidationError(
            "placement", _("Permanency goals are set for out-of-home cases; record the placement first.")
        )
