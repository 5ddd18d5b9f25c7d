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
from caseworker_app.i18n import N_
from caseworker_app.services.reports.audience import (
    HIDDEN_NAME,
    WITHHELD,
    NameScrubber,
    Redaction,
    visible_referrals,
)
from caseworker_app.services.reports.bundle import NoteThread
from caseworker_app.services.reports.language import DocumentText
from caseworker_app.services.reports.pdf_common import (
    ALERT,
    TableBuilder,
    bullets,
    esc,
    heading,
    markup,
    none_recorded,
    nowrap,
    styles,
    text_flowables,
)
from caseworker_app.services.staff import StaffMember

# msgids, translated in the document's language where printed
DECISION_LABELS: dict[SafetyDecision, str] = {
    SafetyDecision.SAFE: N_("Safe"),
    SafetyDecision.CONDITIONALLY_SAFE: N_("Conditionally safe, with a safety plan"),
    SafetyDecision.UNSAFE: N_("Unsafe"),
}
ROLE_LABELS: dict[PersonRole, str] = {
    PersonRole.CHILD: N_("Child"),
    PersonRole.CAREGIVER: N_("Caregiver"),
    PersonRole.HOUSEHOLD_MEMBER: N_("Household member"),
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
    """What every section needs: the document's language, the policy, the name scrubber and lookups."""

    t: DocumentText
    policy: Redaction
    clean: NameScrubber
    people: dict[str, Person]
    schools: dict[str, str]
    staff: Mapping[str, StaffMember] = field(default_factory=dict)
    hides_placement: bool = False  # an out-of-home case on a copy that may not say where

    @classmethod
    def make(
        cls,
        t: DocumentText,
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
        scrubber = NameScrubber(people, policy, withheld, hidden_mark=t._(HIDDEN_NAME), withheld_mark=t._(WITHHELD))
        return cls(t, policy, scrubber, {p.id: p for p in people}, schools, staff or {}, hides)

    def worker(self, user_name: str) -> str:
        """A colleague by full name and title; what was recorded when the directory does not know them."""
        known = self.staff.get(user_name.strip())
        if known is None:
            return user_name
        # a role title the app names reads in the document's language; one IT typed stays as typed
        return f"{known.name}, {self.t._(known.title)}" if known.title else known.name

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

    def name(self, person_id: str | None, default: str | None = None) -> str:
        if person_id is None:
            return self.t._("Family") if default is None else default
        person = self.people.get(person_id)
        return person.full_name if person else self.t._("No longer on the case")

    def school_and_grade(self, person: Person) -> str:
        school = self.schools.get(person.school_id or "", "")
        grade = self.t._("Grade {grade}").format(grade=person.grade) if person.grade else ""
        return ", ".join(p for p in (school, grade) if p)


def case_facts(case: Case, ctx: Context, *, extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    t = ctx.t
    pairs = [(t._("Case"), case.reference), (t._("Family"), case.family_name)]
    if ctx.policy.show_protective_details:
        kind = t._("{case_type}, {placement}").format(
            case_type=t.words(case.case_type), placement=t.words(case.placement).lower()
        )
        pairs += [(t._("Case type"), kind), (t._("Stage"), t.words(case.stage))]
    if ctx.policy.show_risk_level:
        pairs.append((t._("Risk level"), t.words(case.risk_level)))
    pairs += list(extra)
    return pairs


def household_table(people: Sequence[Person], ctx: Context) -> list[Flowable]:
    t = ctx.t
    if not people:
        return [none_recorded(t._("No household members recorded."))]
    headers = [t._("Name"), t._("Role"), t._("Relationship"), t._("Born"), t._("School")]
    table = TableBuilder(t, headers, [0.26, 0.15, 0.17, 0.13, 0.29])
    for person in people:
        table.add(
            person.full_name,
            t._(ROLE_LABELS[person.role]),
            person.relationship,
            t.day(person.date_of_birth) if person.date_of_birth else "",
            ctx.school_and_grade(person),
        )
    return table.build()


def decision_markup(decision: SafetyDecision, t: DocumentText) -> str:
    text = esc(t._(DECISION_LABELS[decision]))
    if decision is SafetyDecision.SAFE:
        return f"<b>{text}</b>"
    return f'<b><font color="{ALERT.hexval()}">{text}</font></b>'


def assessment_section(
    assessment: SafetyAssessment, ctx: Context, title: str | None = None
) -> list[Flowable]:
    s, t = styles(), ctx.t
    story: list[Flowable] = []
    if title:
        story.append(heading(title, 3))
    story.append(markup(t._("Decision: {decision}").format(decision=decision_markup(assessment.decision, t))))
    day = t.day(assessment.assessed_on)
    assessed = (
        t._("Assessed {day} by {assessor}.").format(day=day, assessor=ctx.worker(assessment.assessor))
        if assessment.assessor
        else t._("Assessed {day}.").format(day=day)
    )
    story.append(markup(esc(assessed), s.muted))
    story.append(markup(esc(t._("Safety threats found")), s.sublabel))
    if assessment.threats:
        story += bullets(t.words(threat) for threat in assessment.threats)
    else:
        story.append(none_recorded(t._("No safety threats found.")))
    if assessment.protective_capacities:
        story.append(markup(esc(t._("Protective capacities")), s.sublabel))
        story += bullets(t.words(c) for c in assessment.protective_capacities)
    if assessment.rationale.strip():
        story.append(markup(esc(t._("Rationale")), s.sublabel))
        story += text_flowables(ctx.clean(assessment.rationale))
    return story


def safety_plan_section(plan: SafetyPlan, ctx: Context, title: str | None = None) -> list[Flowable]:
    s, t = styles(), ctx.t
    story: list[Flowable] = []
    if title:
        story.append(heading(title, 3))
    starts, review = t.day(plan.starts_on), t.day(plan.review_on)
    if plan.review_on:
        line = (
            t._("Starts {start}; review on {review}; active.")
            if plan.active
            else t._("Starts {start}; review on {review}; no longer active.")
        )
    else:
        line = t._("Starts {start}; active.") if plan.active else t._("Starts {start}; no longer active.")
    story.append(markup(esc(line.format(start=starts, review=review)), s.muted))
    table = TableBuilder(t, [t._("Action"), t._("Responsible"), t._("Monitoring")], [0.46, 0.22, 0.32])
    for action in plan.actions:
        table.add(ctx.clean(action.action), ctx.clean(action.responsible), ctx.clean(action.monitoring))
    return story + table.build()


def referrals_table(referrals: Sequence[Referral], ctx: Context, *, empty: str) -> list[Flowable]:
    t = ctx.t
    shown = visible_referrals(referrals, ctx.people.values(), ctx.policy)
    if not shown:
        return [none_recorded(empty)]
    notes = ctx.policy.show_referral_notes
    headers = [t._("Referred"), t._("Service"), t._("For"), t._("Agency"), t._("Status")]
    headers += [t._("Notes")] if notes else []
    # The date column fits "Sep 30, 2026" on one line; dates never break inside (nowrap).
    widths = [0.15, 0.18, 0.14, 0.14, 0.17, 0.22] if notes else [0.15, 0.25, 0.19, 0.19, 0.22]
    table = TableBuilder(t, headers, widths)
    for referral in shown:
        status = t.words(referral.status)
        if referral.status_on:
            status = t._("{status} ({day})").format(status=status, day=nowrap(t.day(referral.status_on)))
        cells = [
            nowrap(t.day(referral.referred_on)),
            t.words(referral.service),
            ctx.name(referral.person_id),
            ctx.clean(referral.agency),
            status,
        ]
        if notes:
            cells.append(ctx.clean(referral.notes))
        table.add(*cells)
    return table.build()


def tasks_table(tasks: Sequence[Task], ctx: Context, *, today: date, empty: str) -> list[Flowable]:
    t = ctx.t
    if not tasks:
        return [none_recorded(empty)]
    table = TableBuilder(t, [t._("Due"), t._("Follow-up"), t._("Assigned to")], [0.16, 0.6, 0.24])
    for task in tasks:
        overdue = task.due_on < today
        due = t._("{day} (overdue)").format(day=t.day(task.due_on)) if overdue else t.day(task.due_on)
        table.add(table.cell(due, alert=overdue), ctx.clean(task.title), ctx.clean(ctx.worker_name(task.assigned_to)))
    return table.build()


def _note_byline(note: Note, ctx: Context, *, addendum: int = 0) -> str:
    """'Note written … by …; finalized ….' or 'Addendum 2, written …': whole sentences, one per case."""
    t = ctx.t
    values = dict(written=t.moment(note.written_at), author=ctx.worker(note.author),
                  finalized=t.moment(note.finalized_at), number=addendum)
    if addendum:
        text = (
            t._("Addendum {number}, written {written} by {author}; finalized {finalized}.")
            if note.is_final
            else t._("Addendum {number}, written {written} by {author}; DRAFT — not finalized.")
        )
    else:
        text = (
            t._("Note written {written} by {author}; finalized {finalized}.")
            if note.is_final
            else t._("Note written {written} by {author}; DRAFT — not finalized.")
        )
    return text.format(**values)


def thread_flowables(thread: NoteThread, ctx: Context) -> list[Flowable]:
    """A narrative and its addenda in order, each with who wrote it and whether it is final."""
    s, t = styles(), ctx.t
    story: list[Flowable] = [markup(esc(_note_byline(thread.note, ctx)), s.muted)]
    story += text_flowables(ctx.clean(thread.note.narrative)) or [none_recorded(t._("The narrative is empty."))]
    for number, addendum in enumerate(thread.addenda, start=1):
        head = markup(esc(_note_byline(addendum, ctx, addendum=number)), s.muted)
        body = text_flowables(ctx.clean(addendum.narrative)) or [none_recorded(t._("The addendum is empty."))]
        story += [Spacer(1, 4), KeepTogether([head, body[0]]), *body[1:]]
    return story
