"""Report sections both the visit summary and the case history print, each obeying a `Redaction`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.platypus import Flowable, KeepTogether, Spacer

from caseworker_app.domain.entities import (
    Case,
    Note,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    Task,
    Visit,
)
from caseworker_app.domain.vocabulary import (
    PersonRole,
    Placement,
    SafetyDecision,
)
from caseworker_app.i18n import _
from caseworker_app.services.reports.audience import NameScrubber, Redaction, visible_referrals
from caseworker_app.services.reports.bundle import NoteThread
from caseworker_app.services.reports.pdf_common import (
    ALERT,
    TableBuilder,
    bullets,
    esc,
    fmt_date,
    fmt_datetime,
    heading,
    label,
    markup,
    none_recorded,
    nowrap,
    styles,
    text_flowables,
)
from caseworker_app.services.staff import StaffMember

DECISION_LABELS: dict[SafetyDecision, str] = {
    SafetyDecision.SAFE: "Safe",
    SafetyDecision.CONDITIONALLY_SAFE: "Conditionally safe, with a safety plan",
    SafetyDecision.UNSAFE: "Unsafe",
}
ROLE_LABELS: dict[PersonRole, str] = {
    PersonRole.CHILD: "Child",
    PersonRole.CAREGIVER: "Caregiver",
    PersonRole.HOUSEHOLD_MEMBER: "Household member",
}


_NAME_LIKE = re.compile(r"^\s*([A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)+)")


def _withheld_phrases(visits: Iterable[Visit], people: Sequence[Person]) -> list[str]:
    """What free text must not repeat about a placement: addresses and names from the visits."""
    names = {p.full_name for p in people}
    phrases: list[str] = []
    for visit in visits:
        for part in visit.location.split(","):
            # An address or phone number has a digit; a named place ("Hillside Group Home") capitals.
            if any(c.isdigit() for c in part) or _NAME_LIKE.match(part):
                phrases.append(part.strip())
        for participant in visit.participants:
            found = _NAME_LIKE.match(participant)
            if found and not any(participant.startswith(n) for n in names):
                phrases.append(found[1])
    return phrases


@dataclass
class Context:
    """What every section needs: the policy, the name scrubber and lookups."""

    policy: Redaction
    clean: NameScrubber
    people: dict[str, Person]
    schools: dict[str, str]
    staff: Mapping[str, StaffMember] = field(default_factory=dict)
    hides_placement: bool = False  # an out-of-home case on a copy that may not say where

    @classmethod
    def make(
        cls,
        policy: Redaction,
        people: Sequence[Person],
        schools: dict[str, str],
        *,
        case: Case | None = None,
        visits: Iterable[Visit] = (),
        staff: Mapping[str, StaffMember] | None = None,
    ) -> Context:
        hides = (
            case is not None and case.placement is Placement.OUT_OF_HOME and not policy.show_placement_details
        )
        withheld = _withheld_phrases(visits, people) if hides else []
        return cls(
            policy, NameScrubber(people, policy, withheld), {p.id: p for p in people}, schools, staff or {}, hides
        )

    def worker(self, user_name: str) -> str:
        """A colleague by full name and title; what was recorded when the directory does not know them."""
        known = self.staff.get(user_name.strip())
        return known.signature_line() if known else user_name

    def worker_name(self, user_name: str) -> str:
        """A colleague's full name alone, for a narrow table column."""
        known = self.staff.get(user_name.strip())
        return known.name if known else user_name

    def location(self, visit: Visit) -> str:
        """Where the contact took place, or "" when this copy may not say."""
        if not self.policy.show_location or self.hides_placement:
            return ""
        return self.clean(visit.location)

    def participants(self, visit: Visit) -> list[str]:
        """Who took part; on a copy that hides the placement, only people on the case."""
        present = [p for p in visit.participants if p.strip()]
        if self.hides_placement:
            names = [p.full_name for p in self.people.values()]
            present = [p for p in present if any(p.startswith(n) for n in names if n)]
        return [self.clean(p) for p in present]

    def participants_withheld(self, visit: Visit) -> bool:
        """Whether someone who took part is left out of this copy (said in words, never silently)."""
        return len(self.participants(visit)) < len([p for p in visit.participants if p.strip()])

    def name(self, person_id: str | None, default: str = "Family") -> str:
        if person_id is None:
            return default
        person = self.people.get(person_id)
        return person.full_name if person else "No longer on the case"

    def school_and_grade(self, person: Person) -> str:
        school = self.schools.get(person.school_id or "", "")
        parts = [school, f"Grade {person.grade}" if person.grade else ""]
        return ", ".join(p for p in parts if p)


def case_facts(case: Case, ctx: Context, *, extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    pairs = [("Case", case.reference), ("Family", case.family_name)]
    if ctx.policy.show_protective_details:
        pairs += [
            ("Case type", f"{label(case.case_type)}, {label(case.placement).lower()}"),
            ("Stage", label(case.stage)),
        ]
    if ctx.policy.show_risk_level:
        pairs.append(("Risk level", label(case.risk_level)))
    pairs += list(extra)
    return pairs


def household_table(people: Sequence[Person], ctx: Context) -> list[Flowable]:
    if not people:
        return [none_recorded("No household members recorded.")]
    table = TableBuilder(["Name", "Role", "Relationship", "Born", "School"], [0.26, 0.15, 0.17, 0.13, 0.29])
    for person in people:
        table.add(
            person.full_name,
            ROLE_LABELS[person.role],
            person.relationship,
            fmt_date(person.date_of_birth) if person.date_of_birth else "",
            ctx.school_and_grade(person),
        )
    return table.build()


def decision_markup(decision: SafetyDecision) -> str:
    text = esc(DECISION_LABELS[decision])
    if decision is SafetyDecision.SAFE:
        return f"<b>{text}</b>"
    return f'<b><font color="{ALERT.hexval()}">{text}</font></b>'


def assessment_section(
    assessment: SafetyAssessment, ctx: Context, title: str | None = None
) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = []
    if title:
        story.append(heading(title, 3))
    story.append(markup(f"Decision: {decision_markup(assessment.decision)}"))
    by = " " + _("by {assessor}").format(assessor=esc(ctx.worker(assessment.assessor))) if assessment.assessor else ""
    story.append(markup(f"Assessed {esc(fmt_date(assessment.assessed_on))}{by}.", s.muted))
    story.append(markup("Safety threats found", s.sublabel))
    if assessment.threats:
        story += bullets(label(t) for t in assessment.threats)
    else:
        story.append(none_recorded("No safety threats found."))
    if assessment.protective_capacities:
        story.append(markup("Protective capacities", s.sublabel))
        story += bullets(label(c) for c in assessment.protective_capacities)
    if assessment.rationale.strip():
        story.append(markup("Rationale", s.sublabel))
        story += text_flowables(ctx.clean(assessment.rationale))
    return story


def safety_plan_section(plan: SafetyPlan, ctx: Context, title: str | None = None) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = []
    if title:
        story.append(heading(title, 3))
    review = f"; review on {fmt_date(plan.review_on)}" if plan.review_on else ""
    state = "active" if plan.active else "no longer active"
    story.append(markup(esc(f"Starts {fmt_date(plan.starts_on)}{review}; {state}."), s.muted))
    table = TableBuilder(["Action", "Responsible", "Monitoring"], [0.46, 0.22, 0.32])
    for action in plan.actions:
        table.add(ctx.clean(action.action), ctx.clean(action.responsible), ctx.clean(action.monitoring))
    return story + table.build()


def referrals_table(referrals: Sequence[Referral], ctx: Context, *, empty: str) -> list[Flowable]:
    shown = visible_referrals(referrals, ctx.people.values(), ctx.policy)
    if not shown:
        return [none_recorded(empty)]
    notes = ctx.policy.show_referral_notes
    headers = ["Referred", "Service", "For", "Agency", "Status"] + (["Notes"] if notes else [])
    # The date column fits "Sep 30, 2026" on one line; dates never break inside (nowrap).
    widths = [0.15, 0.18, 0.14, 0.14, 0.17, 0.22] if notes else [0.15, 0.25, 0.19, 0.19, 0.22]
    table = TableBuilder(headers, widths)
    for referral in shown:
        status = label(referral.status)
        if referral.status_on:
            status += f" ({nowrap(fmt_date(referral.status_on))})"
        cells = [
            nowrap(fmt_date(referral.referred_on)),
            label(referral.service),
            ctx.name(referral.person_id),
            ctx.clean(referral.agency),
            status,
        ]
        if notes:
            cells.append(ctx.clean(referral.notes))
        table.add(*cells)
    return table.build()


def tasks_table(tasks: Sequence[Task], ctx: Context, *, today: date, empty: str) -> list[Flowable]:
    if not tasks:
        return [none_recorded(empty)]
    table = TableBuilder(["Due", "Follow-up", "Assigned to"], [0.16, 0.6, 0.24])
    for task in tasks:
        overdue = task.due_on < today
        due = fmt_date(task.due_on) + (" (overdue)" if overdue else "")
        table.add(table.cell(due, alert=overdue), ctx.clean(task.title), ctx.clean(ctx.worker_name(task.assigned_to)))
    return table.build()


def _note_byline(note: Note, ctx: Context) -> str:
    state = (
        _("finalized {when}").format(when=fmt_datetime(note.finalized_at))
        if note.is_final
        else _("DRAFT — not finalized")
    )
    return _("written {when} by {author}; {state}.").format(
        when=fmt_datetime(note.written_at), author=ctx.worker(note.author), state=state
    )


def thread_flowables(thread: NoteThread, ctx: Context) -> list[Flowable]:
    """A narrative and its addenda in order, each with who wrote it and whether it is final."""
    s = styles()
    story: list[Flowable] = [markup(esc(f"Note {_note_byline(thread.note, ctx)}"), s.muted)]
    story += text_flowables(ctx.clean(thread.note.narrative)) or [none_recorded("The narrative is empty.")]
    for number, addendum in enumerate(thread.addenda, start=1):
        head = markup(f"<b>Addendum {number}</b>, {esc(_note_byline(addendum, ctx))}", s.muted)
        body = text_flowables(ctx.clean(addendum.narrative)) or [none_recorded("The addendum is empty.")]
        story += [Spacer(1, 4), KeepTogether([head, body[0]]), *body[1:]]
    return story
