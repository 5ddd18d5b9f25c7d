"""The visit summary PDF: one contact, what was seen and decided, and what happens next."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from caseworker_app.domain.clock import local_date, to_local
from caseworker_app.domain.entities import ChildSeen
from caseworker_app.domain.vocabulary import ContactStatus, PersonRole
from caseworker_app.i18n import N_, _
from caseworker_app.services.reports.audience import Audience, Redaction, redaction_for
from caseworker_app.services.reports.bundle import NoteThread, VisitSummaryData
from caseworker_app.services.reports.pdf_common import (
    ACCENT,
    CONTENT_WIDTH,
    INK,
    DocumentInfo,
    PageFurniture,
    TableBuilder,
    build_pdf,
    bullets,
    esc,
    facts,
    fmt_date,
    fmt_datetime,
    fmt_time,
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
    referrals_table,
    safety_plan_section,
    tasks_table,
    thread_flowables,
)

NOT_SEEN_WORDS = {
    "not_home": N_("No: not home"),
    "at_school": N_("No: at school"),
    "refused": N_("No: refused"),
    "other": N_("No: other reason"),
}


def seen_words(record: ChildSeen | None, *, with_note: bool, attempted: bool = False) -> str:
    """What the Seen column says: yes, no with the reason recorded, or that nothing was recorded."""
    if record is None:
        return _("No") if attempted else _("Not recorded")
    if record.seen:
        return _("Yes")
    if not record.not_seen_reason:
        return _("No")
    words = _(NOT_SEEN_WORDS.get(record.not_seen_reason, "No"))
    if record.not_seen_reason == "other" and with_note and record.not_seen_note:
        return _("No: {why}").format(why=record.not_seen_note)
    return words


def _children(data: VisitSummaryData, ctx: Context) -> list[Flowable]:
    children = [p for p in data.people if p.role is PersonRole.CHILD]
    if not children:
        return [none_recorded("No children on this case.")]
    seen = {c.person_id: c for c in data.visit.children}
    alone = ctx.policy.show_seen_alone
    headers = ["Child", "School", "Seen"] + (["Seen alone"] if alone else [])
    table = TableBuilder(headers, [0.3, 0.34, 0.24, 0.12] if alone else [0.34, 0.4, 0.26])
    attempted = data.visit.status is ContactStatus.ATTEMPTED
    for child in children:
        record = seen.get(child.id)
        # the words of an "other" reason are the worker's: only on copies that show seen alone
        cells = [child.full_name, ctx.school_and_grade(child), seen_words(record, with_note=alone, attempted=attempted)]
        if alone:
            cells.append("Yes" if record and record.seen_alone else "No")
        table.add(*cells)
    story = table.build()
    if attempted:
        story.append(none_recorded("Attempted contact: no child could be seen."))
    return story


def worker_line(data: VisitSummaryData) -> str:
    """The worker's full name and title when the profile knows them, else their user name."""
    username = data.visit.worker or (data.note.author if data.note else "")
    known = data.staff.get(username)
    if known is not None:
        return known.signature_line()
    name = data.worker_name or username
    return f"{name}, {data.worker_title}" if data.worker_title else name


def _signature(data: VisitSummaryData) -> list[Flowable]:
    s = styles()
    note = data.note
    worker = worker_line(data)
    finalized = fmt_datetime(note.finalized_at) if note is not None and note.is_final else "Not finalized — DRAFT"
    rows: list[list[Flowable | str]] = [
        [markup("Worker", s.label), markup(esc(worker) or "—", s.cell),
         markup("Finalized", s.label), markup(esc(finalized), s.cell)],
        [markup("Signature", s.label), "", markup("Date", s.label), ""],
    ]
    # The second row is for a wet signature on the printed copy.
    table = Table(rows, colWidths=[w * CONTENT_WIDTH for w in (0.12, 0.46, 0.12, 0.30)],
                  rowHeights=[None, 34], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEABOVE", (0, 0), (-1, 0), 1, ACCENT),
        ("LINEBELOW", (1, 1), (1, 1), 0.6, INK),
        ("LINEBELOW", (3, 1), (3, 1), 0.6, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (1, 0), (1, -1), 24),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [heading("Signature"), table]


def _story(data: VisitSummaryData, policy: Redaction) -> list[Flowable]:
    s = styles()
    ctx = Context.make(policy, data.people, data.schools, case=data.case, visits=[data.visit], staff=data.staff)
    visit, case = data.visit, data.case
    when = visit.occurred_at
    contact = label(visit.contact_type)
    story: list[Flowable] = [
        title_block(data.agency.name, data.agency.logo(), "Visit summary",
                    f"{case.family_name} family · Case {case.reference}"),
    ]
    if data.is_draft:
        story.append(markup(
            '<b><font color="#a3261b">DRAFT</font></b> — this summary is of a note that has not been '
            "finalized. It is not the agency record.", s.notice))
    if policy.notice:
        story.append(markup(esc(policy.notice), s.notice))

    local = to_local(when)
    extra = [
        ("Visit type", contact),
        ("Status", label(visit.status)),
        ("Date", fmt_date(local.date())),
        ("Time", fmt_time(local)),
    ]
    if ctx.location(visit):
        extra.append(("Location", ctx.location(visit)))
    extra.append(("Worker", worker_line(data)))
    story.append(facts(case_facts(case, ctx, extra=extra)))

    story.append(heading("Participants"))
    participants = ctx.participants(visit)
    if ctx.participants_withheld(visit):
        participants.append(_("Others present, not named on this copy"))
    story += bullets(participants) if participants else [none_recorded()]

    story += table_heading("Children")
    story += _children(data, ctx)

    if policy.show_purpose_and_observations:
        story.append(heading("Purpose"))
        story += text_flowables(ctx.clean(visit.purpose)) or [none_recorded()]
        story.append(heading("Observations"))
        story += text_flowables(ctx.clean(visit.observations)) or [none_recorded()]

    if policy.show_safety_assessment:
        story.append(heading("Safety assessment"))
        if data.assessment is not None:
            story += assessment_section(data.assessment, ctx)
        else:
            story.append(none_recorded("No safety assessment was made at this visit."))
    if policy.show_safety_plan and data.safety_plan is not None:
        story.append(heading("Safety plan"))
        story += safety_plan_section(data.safety_plan, ctx)

    story += table_heading("Referrals made")
    story += referrals_table(data.referrals, ctx, empty="No referrals made at this visit.")

    if policy.show_tasks:
        story += table_heading("Next steps")
        story += tasks_table(data.tasks, ctx, today=when.date(), empty="No follow-up tasks.")

    if policy.show_narrative:
        story.append(heading("Narrative"))
        if data.note is not None:
            story += thread_flowables(NoteThread(data.note, data.addenda), ctx)
        else:
            story.append(none_recorded("No narrative has been written for this visit."))

    # Keep the signature with the end of the last section, never alone on a last page.
    last = story.pop()
    story.append(KeepTogether([last, Spacer(1, 8), *_signature(data)]))
    return story


def render_visit_summary(
    data: VisitSummaryData,
    audience: Audience,
    *,
    family_shows_household_members: bool = False,
    family_shares_placement_details: bool = False,
) -> bytes:
    """The visit summary as PDF bytes, redacted for `audience`."""
    policy = redaction_for(
        audience,
        family_shows_household_members=family_shows_household_members,
        family_shares_placement_details=family_shares_placement_details,
    )
    furniture = PageFurniture(
        running_header=f"{data.agency.name}  ·  Visit summary  ·  Case {data.case.reference}",
        confidentiality=data.agency.confidentiality,
        audience_label=policy.label,
        generated=f"Generated {fmt_datetime(data.generated_at)}",
        draft=data.is_draft,
    )
    info = DocumentInfo(
        title=f"Visit summary, case {data.case.reference}",
        subject=f"{label(data.visit.contact_type)} on {local_date(data.visit.occurred_at).isoformat()}",
        author=data.agency.name,
    )
    return build_pdf(_story(data, policy), furniture, info)
