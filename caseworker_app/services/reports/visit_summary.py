"""The visit summary PDF: one contact, what was seen and decided, and what happens next."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from caseworker_app.domain.clock import local_date, to_local
from caseworker_app.domain.entities import ChildSeen
from caseworker_app.domain.vocabulary import ContactStatus, PersonRole
from caseworker_app.i18n import N_
from caseworker_app.services.reports.audience import Audience, Redaction, redaction_for
from caseworker_app.services.reports.bundle import NoteThread, VisitSummaryData
from caseworker_app.services.reports.language import DocumentText
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


def seen_words(
    record: ChildSeen | None, t: DocumentText, *, with_note: bool, attempted: bool = False
) -> str:
    """What the Seen column says: yes, no with the reason recorded, or that nothing was recorded."""
    if record is None:
        return t._("No") if attempted else t._("Not recorded")
    if record.seen:
        return t._("Yes")
    if not record.not_seen_reason:
        return t._("No")
    words = t._(NOT_SEEN_WORDS.get(record.not_seen_reason, "No"))
    if record.not_seen_reason == "other" and with_note and record.not_seen_note:
        return t._("No: {why}").format(why=record.not_seen_note)
    return words


def _children(data: VisitSummaryData, ctx: Context) -> list[Flowable]:
    t = ctx.t
    children = [p for p in data.people if p.role is PersonRole.CHILD]
    if not children:
        return [none_recorded(t._("No children on this case."))]
    seen = {c.person_id: c for c in data.visit.children}
    alone = ctx.policy.show_seen_alone
    headers = [t._("Child"), t._("School"), t._("Seen")] + ([t._("Seen alone")] if alone else [])
    table = TableBuilder(t, headers, [0.3, 0.34, 0.24, 0.12] if alone else [0.34, 0.4, 0.26])
    attempted = data.visit.status is ContactStatus.ATTEMPTED
    for child in children:
        record = seen.get(child.id)
        # the words of an "other" reason are the worker's: only on copies that show seen alone
        seen_text = seen_words(record, t, with_note=alone, attempted=attempted)
        cells = [child.full_name, ctx.school_and_grade(child), seen_text]
        if alone:
            cells.append(t._("Yes") if record and record.seen_alone else t._("No"))
        table.add(*cells)
    story = table.build()
    if attempted:
        story.append(none_recorded(t._("Attempted contact: no child could be seen.")))
    return story


def worker_line(data: VisitSummaryData, t: DocumentText) -> str:
    """The worker's full name and title when the profile knows them, else their user name.

    A role title the app names ("Family liaison") reads in the document's language; one IT typed stays as typed.
    """
    username = data.visit.worker or (data.note.author if data.note else "")
    known = data.staff.get(username)
    name, title = (known.name, known.title) if known is not None else (data.worker_name or username, data.worker_title)
    return f"{name}, {t._(title)}" if title else name


def _signature(data: VisitSummaryData, t: DocumentText) -> list[Flowable]:
    s = styles()
    note = data.note
    worker = worker_line(data, t)
    final = note is not None and note.is_final
    finalized = t.moment(note.finalized_at) if note is not None and final else t._("Not finalized — DRAFT")
    rows: list[list[Flowable | str]] = [
        [markup(esc(t._("Worker")), s.label), markup(esc(worker) or "—", s.cell),
         markup(esc(t._("Finalized")), s.label), markup(esc(finalized), s.cell)],
        [markup(esc(t._("Signature")), s.label), "", markup(esc(t._("Date")), s.label), ""],
    ]
    # The second row is for a wet signature on the printed copy.
    table = Table(rows, colWidths=[w * CONTENT_WIDTH for w in (0.15, 0.43, 0.13, 0.29)],
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
    return [heading(t._("Signature")), table]


def _story(data: VisitSummaryData, policy: Redaction, t: DocumentText) -> list[Flowable]:
    s = styles()
    ctx = Context.make(t, policy, data.people, data.schools, case=data.case, visits=[data.visit], staff=data.staff)
    visit, case = data.visit, data.case
    when = visit.occurred_at
    subtitle = t._("{family} family · Case {reference}").format(family=case.family_name, reference=case.reference)
    story: list[Flowable] = [title_block(data.agency.name, data.agency.logo(), t._("Visit summary"), subtitle)]
    if data.is_draft:
        draft = t._("DRAFT — this summary is of a note that has not been finalized. It is not the agency record.")
        word, _dash, rest = draft.partition(" — ")
        text = f'<b><font color="#a3261b">{esc(word)}</font></b> — {esc(rest)}' if rest else esc(draft)
        story.append(markup(text, s.notice))
    if policy.notice:
        story.append(markup(esc(t._(policy.notice)), s.notice))

    local = to_local(when)
    extra = [
        (t._("Visit type"), t.words(visit.contact_type)),
        (t._("Status"), t.words(visit.status)),
        (t._("Date"), t.day(local.date())),
        (t._("Time"), t.time(when)),
    ]
    if ctx.location(visit):
        extra.append((t._("Location"), ctx.location(visit)))
    extra.append((t._("Worker"), worker_line(data, t)))
    story.append(facts(case_facts(case, ctx, extra=extra)))

    nothing = t._("None recorded.")
    story.append(heading(t._("Participants")))
    participants = ctx.participants(visit)
    if ctx.participants_withheld(visit):
        participants.append(t._("Others present, not named on this copy"))
    story += bullets(participants) if participants else [none_recorded(nothing)]

    story += table_heading(t._("Children"))
    story += _children(data, ctx)

    if policy.show_purpose_and_observations:
        story.append(heading(t._("Purpose")))
        story += text_flowables(ctx.clean(visit.purpose)) or [none_recorded(nothing)]
        story.append(heading(t._("Observations")))
        story += text_flowables(ctx.clean(visit.observations)) or [none_recorded(nothing)]

    if policy.show_safety_assessment:
        story.append(heading(t._("Safety assessment")))
        if data.assessment is not None:
            story += assessment_section(data.assessment, ctx)
        else:
            story.append(none_recorded(t._("No safety assessment was made at this visit.")))
    if policy.show_safety_plan and data.safety_plan is not None:
        story.append(heading(t._("Safety plan")))
        story += safety_plan_section(data.safety_plan, ctx)

    story += table_heading(t._("Referrals made"))
    story += referrals_table(data.referrals, ctx, empty=t._("No referrals made at this visit."))

    if policy.show_tasks:
        story += table_heading(t._("Next steps"))
        story += tasks_table(data.tasks, ctx, today=when.date(), empty=t._("No follow-up tasks."))

    if policy.show_narrative:
        story.append(heading(t._("Narrative")))
        if data.note is not None:
            story += thread_flowables(NoteThread(data.note, data.addenda), ctx)
        else:
            story.append(none_recorded(t._("No narrative has been written for this visit.")))

    # Keep the signature with the end of the last section, never alone on a last page.
    last = story.pop()
    story.append(KeepTogether([last, Spacer(1, 8), *_signature(data, t)]))
    return story


def render_visit_summary(
    data: VisitSummaryData,
    audience: Audience,
    *,
    family_shows_household_members: bool = False,
    family_shares_placement_details: bool = False,
    language: str | None = None,
) -> bytes:
    """The visit summary as PDF bytes, redacted for `audience`, written in `language`
    (a language code; None: the language in use)."""
    t = DocumentText(language)
    policy = redaction_for(
        audience,
        family_shows_household_members=family_shows_household_members,
        family_shares_placement_details=family_shares_placement_details,
    )
    reference = data.case.reference
    furniture = PageFurniture(
        running_header=t._("{agency}  ·  Visit summary  ·  Case {reference}").format(
            agency=data.agency.name, reference=reference),
        confidentiality=t._(data.agency.confidentiality),
        audience_label=t._(policy.label),
        generated=t._("Generated {when}").format(when=t.moment(data.generated_at)),
        draft=data.is_draft,
        t=t,
    )
    info = DocumentInfo(
        title=t._("Visit summary, case {reference}").format(reference=reference),
        subject=t._("{contact} on {day}").format(
            contact=t.words(data.visit.contact_type), day=local_date(data.visit.occurred_at).isoformat()),
        author=data.agency.name,
        lang=t.pdf_lang,
    )
    return build_pdf(_story(data, policy, t), furniture, info)
