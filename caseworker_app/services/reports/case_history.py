"""The case history PDF: one case over a date range, for a court date or a team meeting."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether

from caseworker_app.domain.entities import AttendanceRecord, Visit
from caseworker_app.domain.rules import absence_rate, is_chronically_absent
from caseworker_app.services.reports.audience import Audience, Redaction, redaction_for, visible_people
from caseworker_app.services.reports.bundle import CaseHistoryData, ContactRecord
from caseworker_app.services.reports.language import DocumentText
from caseworker_app.services.reports.pdf_common import (
    ALERT,
    DocumentInfo,
    PageFurniture,
    TableBuilder,
    build_pdf,
    esc,
    facts,
    heading,
    markup,
    none_recorded,
    styles,
    table_heading,
    text_flowables,
    title_block,
)
from caseworker_app.services.reports.sections import (
    Context,
    assessment_section,
    case_facts,
    household_table,
    referrals_table,
    safety_plan_section,
    tasks_table,
    thread_flowables,
)


def _children_seen(visit: Visit, ctx: Context) -> str:
    names = [ctx.name(i) for i in sorted(visit.children_seen(), key=ctx.name)]
    return ", ".join(names) if names else ctx.t._("None")


def _contacts_overview(contacts: Sequence[ContactRecord], ctx: Context) -> list[Flowable]:
    t = ctx.t
    if not contacts:
        return [none_recorded(t._("No contacts in this period."))]
    narrative = ctx.policy.show_narrative
    headers = [t._("Date"), t._("Contact"), t._("Status"), t._("Children seen"), t._("Worker")]
    headers += [t._("Note")] if narrative else []
    widths = [0.21, 0.14, 0.12, 0.24, 0.16, 0.13] if narrative else [0.23, 0.16, 0.13, 0.32, 0.16]
    table = TableBuilder(t, headers, widths)
    for contact in contacts:
        visit = contact.visit
        cells = [
            t.moment(visit.occurred_at),
            t.words(visit.contact_type),
            t.words(visit.status),
            _children_seen(visit, ctx),
            ctx.worker_name(visit.worker),
        ]
        if narrative:
            thread = contact.thread
            cells.append(t._("None") if thread is None else (t._("Final") if thread.is_final else t._("DRAFT")))
        table.add(*cells)
    return table.build()


def _contact_details(contact: ContactRecord, ctx: Context) -> list[Flowable]:
    s, t = styles(), ctx.t
    visit = contact.visit
    title = t._("{when} — {contact} ({status})").format(
        when=t.moment(visit.occurred_at), contact=t.words(visit.contact_type), status=t.words(visit.status).lower()
    )
    details = [t._("Worker: {worker}").format(worker=ctx.worker(visit.worker) or "—")]
    if ctx.location(visit):
        details.append(t._("Location: {place}").format(place=ctx.location(visit)))
    participants = ctx.participants(visit)
    if ctx.participants_withheld(visit):
        participants.append(t._("others not named on this copy"))
    if participants:
        details.append(t._("Participants: {names}").format(names=", ".join(participants)))
    details.append(t._("Children seen: {names}").format(names=_children_seen(visit, ctx)))
    head: list[Flowable] = [heading(title, 3), markup(esc(" · ".join(details)), s.muted)]
    story: list[Flowable] = []
    if ctx.policy.show_purpose_and_observations:
        if visit.purpose.strip():
            story.append(markup(f"<b>{esc(t._('Purpose.'))}</b> {esc(ctx.clean(visit.purpose))}"))
        if visit.observations.strip():
            story += text_flowables(t._("Observations. {text}").format(text=ctx.clean(visit.observations)))
    if contact.thread is not None:
        story += thread_flowables(contact.thread, ctx)
    else:
        story.append(none_recorded(t._("No narrative recorded for this contact.")))
    # Keep the heading with the first lines so a contact never starts at a page foot.
    return [KeepTogether([*head, story[0]]), *story[1:]]


def _attendance(data: CaseHistoryData, ctx: Context) -> list[Flowable]:
    s, t = styles(), ctx.t
    by_child: dict[str, list[AttendanceRecord]] = {}
    for record in data.attendance:
        by_child.setdefault(record.child_id, []).append(record)
    if not by_child:
        return [none_recorded(t._("No attendance recorded for this period."))]
    story: list[Flowable] = []
    order = {p.id: i for i, p in enumerate(visible_people(data.people, ctx.policy))}
    for child_id in sorted(by_child, key=lambda c: (order.get(c, len(order)), ctx.name(c))):
        records = by_child[child_id]
        enrolled = sum(r.days_enrolled for r in records)
        absent = sum(r.days_absent for r in records)
        chronic = is_chronically_absent(records)
        rate = t.percent(absent / enrolled) if enrolled else "—"
        line = (
            t.ngettext(
                "{absent} of {n} school day missed ({rate}) over these periods: CHRONICALLY ABSENT.",
                "{absent} of {n} school days missed ({rate}) over these periods: CHRONICALLY ABSENT.",
                enrolled,
            )
            if chronic
            else t.ngettext(
                "{absent} of {n} school day missed ({rate}) over these periods: not chronically absent.",
                "{absent} of {n} school days missed ({rate}) over these periods: not chronically absent.",
                enrolled,
            )
        ).format(absent=t.number(absent), n=t.number(enrolled), rate=rate)
        text = esc(line)
        if chronic:  # the flag in red: the words after the last colon
            head, colon, flag = text.rpartition(": ")
            text = f'{head}{colon}<font color="{ALERT.hexval()}"><b>{flag}</b></font>' if colon else text
        story.append(heading(ctx.name(child_id, t._("Child")), 3))
        story.append(markup(text, s.small))
        headers = [t._("Period"), t._("Days enrolled"), t._("Absent"), t._("Tardy"), t._("Absence rate"),
                   t._("Chronic (10%+)")]
        table = TableBuilder(t, headers, [0.2, 0.16, 0.14, 0.14, 0.18, 0.18])
        for record in records:
            period_chronic = is_chronically_absent([record])
            table.add(
                t.period(record.period),
                t.number(record.days_enrolled),
                t.number(record.days_absent),
                t.number(record.days_tardy),
                t.percent(absence_rate(record)),
                table.cell(t._("Yes") if period_chronic else t._("No"), alert=period_chronic, bold=period_chronic),
            )
        story += table.build()
    return story


def _story(data: CaseHistoryData, policy: Redaction, t: DocumentText) -> list[Flowable]:
    s = styles()
    visits = [c.visit for c in data.contacts]
    ctx = Context.make(t, policy, data.people, data.schools, case=data.case, visits=visits, staff=data.staff)
    case = data.case
    period = t._("{start} – {end}").format(start=t.day(data.start), end=t.day(data.end))
    subtitle = t._("{family} family · Case {reference} · {period}").format(
        family=case.family_name, reference=case.reference, period=period
    )
    story: list[Flowable] = [title_block(data.agency.name, data.agency.logo(), t._("Case history"), subtitle)]
    if policy.notice:
        story.append(markup(esc(t._(policy.notice)), s.notice))
    extra = [
        (t._("Period"), period),
        (t._("Worker"), ctx.worker(case.assigned_worker)),
        (t._("Opened"), t.day(case.opened_on)),
        (t._("School"), data.schools.get(case.school_id or "", "")),
    ]
    story.append(facts(case_facts(case, ctx, extra=extra)))

    story += table_heading(t._("Household"))
    story += household_table(visible_people(data.people, policy), ctx)

    count = len(data.contacts)
    story += table_heading(t._("Contacts ({n})").format(n=t.number(count)))
    story += _contacts_overview(data.contacts, ctx)

    if policy.show_narrative:
        if data.contacts:
            story.append(heading(t._("Contact narratives")))
            for contact in data.contacts:
                story += _contact_details(contact, ctx)
        if data.case_notes:
            story.append(heading(t._("Case notes")))
            for thread in data.case_notes:
                story.append(heading(t.moment(thread.note.written_at), 3))
                story += thread_flowables(thread, ctx)

    if policy.show_safety_assessment:
        story.append(heading(t._("Safety assessments")))
        if not data.assessments:
            story.append(none_recorded(t._("No safety assessments in this period.")))
        for assessment in data.assessments:
            title = t._("Assessment of {day}").format(day=t.day(assessment.assessed_on))
            story += assessment_section(assessment, ctx, title)

    if policy.show_safety_plan:
        story.append(heading(t._("Safety plans")))
        if not data.safety_plans:
            story.append(none_recorded(t._("No safety plans in this period.")))
        for plan in data.safety_plans:
            title = t._("Safety plan from {day}").format(day=t.day(plan.starts_on))
            story += safety_plan_section(plan, ctx, title)

    story += table_heading(t._("Referrals"))
    story += referrals_table(data.referrals, ctx, empty=t._("No referrals in this period."))

    if policy.show_attendance:
        story.append(heading(t._("Attendance")))
        story += _attendance(data, ctx)

    if policy.show_tasks:
        story += table_heading(t._("Open tasks"))
        story += tasks_table(data.tasks, ctx, today=data.generated_at.date(), empty=t._("No open tasks."))
    return story


def render_case_history(
    data: CaseHistoryData,
    audience: Audience,
    *,
    family_shows_household_members: bool = False,
    family_shares_placement_details: bool = False,
    language: str | None = None,
) -> bytes:
    """The case history as PDF bytes, redacted for `audience`, written in `language`
    (a language code; None: the language in use)."""
    t = DocumentText(language)
    policy = redaction_for(
        audience,
        family_shows_household_members=family_shows_household_members,
        family_shares_placement_details=family_shares_placement_details,
    )
    reference = data.case.reference
    furniture = PageFurniture(
        running_header=t._("{agency}  ·  Case history  ·  Case {reference}").format(
            agency=data.agency.name, reference=reference),
        confidentiality=t._(data.agency.confidentiality),
        audience_label=t._(policy.label),
        generated=t._("Generated {when}").format(when=t.moment(data.generated_at)),
        draft=False,
        t=t,
    )
    info = DocumentInfo(
        title=t._("Case history, case {reference}").format(reference=reference),
        subject=t._("{start} to {end}").format(start=data.start.isoformat(), end=data.end.isoformat()),
        author=data.agency.name,
        lang=t.pdf_lang,
    )
    return build_pdf(_story(data, policy, t), furniture, info)
