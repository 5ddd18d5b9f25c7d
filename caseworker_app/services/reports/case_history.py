"""The case history PDF: one case over a date range, for a court date or a team meeting."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether

from caseworker_app.domain.entities import AttendanceRecord, Visit
from caseworker_app.domain.rules import absence_rate, is_chronically_absent
from caseworker_app.i18n import _
from caseworker_app.services.reports.audience import Audience, Redaction, redaction_for, visible_people
from caseworker_app.services.reports.bundle import CaseHistoryData, ContactRecord
from caseworker_app.services.reports.pdf_common import (
    ALERT,
    DocumentInfo,
    PageFurniture,
    TableBuilder,
    build_pdf,
    esc,
    facts,
    fmt_date,
    fmt_datetime,
    fmt_period,
    heading,
    label,
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
    return ", ".join(names) if names else "None"


def _contacts_overview(contacts: Sequence[ContactRecord], ctx: Context) -> list[Flowable]:
    if not contacts:
        return [none_recorded("No contacts in this period.")]
    narrative = ctx.policy.show_narrative
    headers = ["Date", "Contact", "Status", "Children seen", "Worker"] + (["Note"] if narrative else [])
    widths = [0.23, 0.14, 0.12, 0.27, 0.14, 0.1] if narrative else [0.23, 0.16, 0.13, 0.32, 0.16]
    table = TableBuilder(headers, widths)
    for contact in contacts:
        visit = contact.visit
        cells = [
            fmt_datetime(visit.occurred_at),
            label(visit.contact_type),
            label(visit.status),
            _children_seen(visit, ctx),
            ctx.worker_name(visit.worker),
        ]
        if narrative:
            thread = contact.thread
            cells.append("None" if thread is None else ("Final" if thread.is_final else "DRAFT"))
        table.add(*cells)
    return table.build()


def _contact_details(contact: ContactRecord, ctx: Context) -> list[Flowable]:
    s = styles()
    visit = contact.visit
    title = f"{fmt_datetime(visit.occurred_at)} — {label(visit.contact_type)} ({visit.status.value})"
    details = [_("Worker: {worker}").format(worker=ctx.worker(visit.worker) or "—")]
    if ctx.location(visit):
        details.append(_("Location: {place}").format(place=ctx.location(visit)))
    participants = ctx.participants(visit)
    if ctx.participants_withheld(visit):
        participants.append(_("others not named on this copy"))
    if participants:
        details.append(f"Participants: {', '.join(participants)}")
    details.append(f"Children seen: {_children_seen(visit, ctx)}")
    head: list[Flowable] = [heading(title, 3), markup(esc(" · ".join(details)), s.muted)]
    story: list[Flowable] = []
    if ctx.policy.show_purpose_and_observations:
        if visit.purpose.strip():
            story.append(markup(f"<b>Purpose.</b> {esc(ctx.clean(visit.purpose))}"))
        if visit.observations.strip():
            story += text_flowables(f"Observations. {ctx.clean(visit.observations)}")
    if contact.thread is not None:
        story += thread_flowables(contact.thread, ctx)
    else:
        story.append(none_recorded("No narrative recorded for this contact."))
    # Keep the heading with the first lines so a contact never starts at a page foot.
    return [KeepTogether([*head, story[0]]), *story[1:]]


def _attendance(data: CaseHistoryData, ctx: Context) -> list[Flowable]:
    s = styles()
    by_child: dict[str, list[AttendanceRecord]] = {}
    for record in data.attendance:
        by_child.setdefault(record.child_id, []).append(record)
    if not by_child:
        return [none_recorded("No attendance recorded for this period.")]
    story: list[Flowable] = []
    order = {p.id: i for i, p in enumerate(visible_people(data.people, ctx.policy))}
    for child_id in sorted(by_child, key=lambda c: (order.get(c, len(order)), ctx.name(c))):
        records = by_child[child_id]
        enrolled = sum(r.days_enrolled for r in records)
        absent = sum(r.days_absent for r in records)
        chronic = is_chronically_absent(records)
        rate = f"{absent / enrolled:.1%}" if enrolled else "—"
        flag = (
            f'<font color="{ALERT.hexval()}"><b>CHRONICALLY ABSENT</b></font>'
            if chronic
            else "not chronically absent"
        )
        story.append(heading(ctx.name(child_id, "Child"), 3))
        story.append(markup(
            f"{absent} of {enrolled} school days missed ({rate}) over these periods: {flag}.", s.small))
        table = TableBuilder(["Period", "Days enrolled", "Absent", "Tardy", "Absence rate", "Chronic (10%+)"],
                             [0.2, 0.16, 0.14, 0.14, 0.18, 0.18])
        for record in records:
            period_chronic = is_chronically_absent([record])
            table.add(
                fmt_period(record.period),
                str(record.days_enrolled),
                str(record.days_absent),
                str(record.days_tardy),
                f"{absence_rate(record):.1%}",
                table.cell("Yes" if period_chronic else "No", alert=period_chronic, bold=period_chronic),
            )
        story += table.build()
    return story


def _story(data: CaseHistoryData, policy: Redaction) -> list[Flowable]:
    s = styles()
    visits = [c.visit for c in data.contacts]
    ctx = Context.make(policy, data.people, data.schools, case=data.case, visits=visits, staff=data.staff)
    case = data.case
    period = f"{fmt_date(data.start)} – {fmt_date(data.end)}"
    story: list[Flowable] = [
        title_block(data.agency.name, data.agency.logo(), "Case history",
                    f"{case.family_name} family · Case {case.reference} · {period}"),
    ]
    if policy.notice:
        story.append(markup(esc(policy.notice), s.notice))
    extra = [
        ("Period", period),
        ("Worker", ctx.worker(case.assigned_worker)),
        ("Opened", fmt_date(case.opened_on)),
        ("School", data.schools.get(case.school_id or "", "")),
    ]
    story.append(facts(case_facts(case, ctx, extra=extra)))

    story += table_heading("Household")
    story += household_table(visible_people(data.people, policy), ctx)

    story += table_heading(f"Contacts ({len(data.contacts)})")
    story += _contacts_overview(data.contacts, ctx)

    if policy.show_narrative:
        if data.contacts:
            story.append(heading("Contact narratives"))
            for contact in data.contacts:
                story += _contact_details(contact, ctx)
        if data.case_notes:
            story.append(heading("Case notes"))
            for thread in data.case_notes:
                story.append(heading(fmt_datetime(thread.note.written_at), 3))
                story += thread_flowables(thread, ctx)

    if policy.show_safety_assessment:
        story.append(heading("Safety assessments"))
        if not data.assessments:
            story.append(none_recorded("No safety assessments in this period."))
        for assessment in data.assessments:
            title = f"Assessment of {fmt_date(assessment.assessed_on)}"
            story += assessment_section(assessment, ctx, title)

    if policy.show_safety_plan:
        story.append(heading("Safety plans"))
        if not data.safety_plans:
            story.append(none_recorded("No safety plans in this period."))
        for plan in data.safety_plans:
            story += safety_plan_section(plan, ctx, f"Safety plan from {fmt_date(plan.starts_on)}")

    story += table_heading("Referrals")
    story += referrals_table(data.referrals, ctx, empty="No referrals in this period.")

    if policy.show_attendance:
        story.append(heading("Attendance"))
        story += _attendance(data, ctx)

    if policy.show_tasks:
        story += table_heading("Open tasks")
        story += tasks_table(data.tasks, ctx, today=data.generated_at.date(), empty="No open tasks.")
    return story


def render_case_history(
    data: CaseHistoryData,
    audience: Audience,
    *,
    family_shows_household_members: bool = False,
    family_shares_placement_details: bool = False,
) -> bytes:
    """The case history as PDF bytes, redacted for `audience`."""
    policy = redaction_for(
        audience,
        family_shows_household_members=family_shows_household_members,
        family_shares_placement_details=family_shares_placement_details,
    )
    furniture = PageFurniture(
        running_header=f"{data.agency.name}  ·  Case history  ·  Case {data.case.reference}",
        confidentiality=data.agency.confidentiality,
        audience_label=policy.label,
        generated=f"Generated {fmt_datetime(data.generated_at)}",
        draft=False,
    )
    info = DocumentInfo(
        title=f"Case history, case {data.case.reference}",
        subject=f"{data.start.isoformat()} to {data.end.isoformat()}",
        author=data.agency.name,
    )
    return build_pdf(_story(data, policy), furniture, info)
