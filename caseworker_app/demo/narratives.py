"""The caseload generator's shared parts: families under construction, time helpers, and the note writer."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from caseworker_app.demo.facts import MARKS, Scene, VisitFacts, remote_facts, visit_facts
from caseworker_app.demo.generated import Caseload, Family
from caseworker_app.demo.phrasebook import (
    ADDENDUM_OPENERS,
    CLOSINGS,
    CONCERNS,
    ENGLISH,
    GRADE_WORDS,
    GRADES,
    OPENERS,
    OUT_OF_HOME_OPENERS,
    OUT_OF_HOME_RATIONALES,
    PLAN_ACTIONS,
    RATIONALES,
    TOPICS,
)
from caseworker_app.domain.entities import (
    Note,
    Person,
    SafetyAssessment,
    SafetyPlan,
    SafetyPlanAction,
    Visit,
)
from caseworker_app.domain.vocabulary import (
    PROTECTIVE_CAPACITIES,
    CaseStage,
    CaseType,
    ContactStatus,
    ContactType,
    NoteStatus,
    Placement,
    SafetyDecision,
)

MIN_NARRATIVE_WORDS = 100
MAX_NARRATIVE_WORDS = 600


@cache
def _bank(has_child2: bool, has_adult2: bool, scene: Scene) -> dict[str, dict[str, tuple[tuple[str, str], ...]]]:
    """The topic sentences a contact can use, by topic and then by news ("+" or "-"), as (marks, text):
    nothing about a second child or adult the family lacks, nothing the contact's facts rule out."""
    bank: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {}
    for topic, sentences in TOPICS.items():
        by_news: dict[str, list[tuple[str, str]]] = {"+": [], "-": []}
        for sentence in sentences:
            marks = sentence[: len(sentence) - len(sentence.lstrip(MARKS))]
            text = sentence[len(marks) :]
            if ("{child2}" in text and not has_child2) or ("{adult2}" in text and not has_adult2):
                continue
            if not scene.allows(marks, text):
                continue
            for news in by_news:
                if news in marks or not marks.strip("@%^!&"):
                    by_news[news].append((marks, text))
        bank[topic] = {news: tuple(texts) for news, texts in by_news.items()}
    return bank


# --- generation --------------------------------------------------------------------------------------


def school_id(name: str) -> str:
    """One id per school of the district whatever the seed, so caseloads generated for several workers
    (the server's demo seeds three) share their schools instead of duplicating them."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://riverbend.example/schools/{name}"))


DEMO_DRAFTS = 4  # unfinished visit notes a real week leaves on Today


def from_wall_clock(day: date, minutes: int) -> datetime:
    """A wall-clock time on `day` in the zone the demo is made in, as the generator's naive UTC."""
    local = datetime.combine(day, time(minutes // 60, minutes % 60)).astimezone()
    return local.astimezone(UTC).replace(tzinfo=None)


def local_hour(moment: datetime) -> int:
    """The hour on this computer's clock of one of the generator's naive UTC moments."""
    return moment.replace(tzinfo=UTC).astimezone().hour


def _utc(moment: datetime) -> datetime:
    """Note times are stamped in UTC, like the notes the app itself writes and finalizes."""
    return moment.replace(tzinfo=UTC)


def _words(text: str) -> int:
    return len(text.split())


def month_range(first: date, last: date) -> Iterator[date]:
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def in_session(day: date) -> bool:
    """School is out from mid-June to mid-August."""
    return not (day.month == 7 or (day.month == 6 and day.day > 12) or (day.month == 8 and day.day < 20))


class NarrativeWriter:
    """Helpers, the narrative writer and safety assessments; the generator proper builds on it."""

    rng: random.Random
    today: date
    now: datetime
    worker: str
    load: Caseload
    used: set[str]
    unfinished: list[tuple[Note, datetime]]  # draft notes, each with when it could have been finalized

    # -- helpers

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def day_between(self, first: date, last: date) -> date:
        """A day in the range, a weekday when a few tries find one (short ranges may be a weekend)."""
        span = max((last - first).days, 0)
        day = first
        for _ in range(6):
            day = first + timedelta(days=self.rng.randint(0, span))
            if day.weekday() < 5:
                break
        return day

    def clock(self, day: date, first_hour: float, last_hour: float) -> datetime:
        """A time in working hours on the local clock (a liaison in Chicago visits at 10:00 CST, not 04:00)."""
        minutes = self.rng.randrange(int(first_hour * 60), int(last_hour * 60), 15)
        return from_wall_clock(day, minutes)

    def later(self, moment: datetime) -> datetime:
        """Some time after `moment` during working hours: the same day, or one of the next two days."""
        if local_hour(moment) < 16 or self.rng.random() < 0.3:
            result = moment + timedelta(minutes=self.rng.randint(10, 150))
        else:
            result = self.clock(moment.date() + timedelta(days=self.rng.randint(1, 2)), 8, 17)
        # Never past the moment the caseload is generated at: work done this morning just happened.
        return result if result < self.now else min(moment + timedelta(minutes=10), self.now)

    def fill(self, template: str, family: Family, pool: Sequence[Person] = (), **extra: str) -> str:
        """The template with the family's names; {child} comes from `pool` (children seen) when given."""
        rng = self.rng
        kids = list(pool) or family.school_children
        child = rng.choice(kids)
        others = [kid for kid in (kids if len(kids) > 1 else family.children) if kid is not child]
        adults = family.adults
        school = self.school_name(child.school_id)
        values = {
            "family": family.case.family_name,
            "cg": adults[0].first_name,
            "adult2": adults[1].first_name if len(adults) > 1 else adults[0].first_name,
            "child": child.first_name,
            "child2": rng.choice(others).first_name if others else child.first_name,
            "school": school,
            "grade": GRADE_WORDS[GRADES.index(child.grade)],
            "n": str(rng.randint(2, 6)),
            **extra,
        }
        return template.format_map(values)

    def leave_a_few_drafts(self) -> None:
        """Only the newest few notes stay drafts; the rest were finalized later that day or the next."""
        self.unfinished.sort(key=lambda item: item[0].written_at, reverse=True)
        for note, finalized in self.unfinished[DEMO_DRAFTS:]:
            written = note.written_at.replace(tzinfo=None)
            done = finalized if written < finalized < self.now else min(written + timedelta(minutes=20), self.now)
            note.status, note.finalized_at = NoteStatus.FINAL, _utc(done)

    def school_name(self, school_id: str | None) -> str:
        return next((s.name for s in self.load.schools if s.id == school_id), "school")

    def notes(self, family: Family, visits: Sequence[Visit]) -> None:
        rng = self.rng
        recent = family.end - timedelta(days=10)
        for visit in visits:
            if visit.status is not ContactStatus.COMPLETED:
                continue
            written = self.later(visit.occurred_at.replace(tzinfo=None))  # the generator's clock is naive UTC
            finalized: datetime | None = self.later(written)
            closed = family.case.stage is CaseStage.CLOSED
            if finalized is not None and (
                finalized >= self.now or (not closed and visit.occurred_at.date() > recent and rng.random() < 0.7)
            ):
                finalized = None
            note = Note(
                id=self.uid(),
                case_id=family.case.id,
                author=self.worker,
                narrative=self.narrative(family, visit),
                visit_id=visit.id,
                status=NoteStatus.FINAL if finalized else NoteStatus.DRAFT,
                written_at=_utc(written),
                finalized_at=_utc(finalized) if finalized else None,
            )
            self.load.notes.append(note)
            if finalized is None:
                self.unfinished.append((note, self.later(written)))
            if finalized is not None and rng.random() < 0.03:
                self.addendum(family, note, finalized)

    def addendum(self, family: Family, original: Note, finalized: datetime) -> None:
        rng = self.rng
        written = self.clock(finalized.date() + timedelta(days=rng.randint(1, 21)), 8, 17)
        done = self.later(written)
        if done >= self.now:
            return
        opener = self.fill(rng.choice(ADDENDUM_OPENERS), family, day=original.written_at.date().isoformat())
        text = self.compose(family, [opener], ["school", "services"], rng.randint(110, 200), [], remote_facts(family))
        self.load.notes.append(
            Note(
                id=self.uid(),
                case_id=family.case.id,
                author=self.worker,
                narrative=text,
                visit_id=original.visit_id,
                status=NoteStatus.FINAL,
                written_at=_utc(written),
                finalized_at=_utc(done),
                addendum_to=original.id,
            )
        )

    def narrative(self, family: Family, visit: Visit) -> str:
        """Told from the visit's own facts (demo/facts.py): place, placement, each child seen or not."""
        rng = self.rng
        kind = visit.contact_type
        out_of_home = family.case.placement is Placement.OUT_OF_HOME
        facts = visit_facts(family, visit)
        openers = OUT_OF_HOME_OPENERS if out_of_home and kind is ContactType.HOME_VISIT else OPENERS[kind]
        if not facts.seen:  # no school-age child seen: no opener naming one
            openers = tuple(o for o in openers if "{child}" not in o) or openers
        opening = [self.fill(rng.choice(openers), family, facts.seen), *facts.statements]
        if kind in (ContactType.SCHOOL_VISIT, ContactType.COLLATERAL):
            # Talk at school is about school, health and services, not the state of the kitchen.
            topics = rng.sample(["school", "health", "services"], 3)
        else:
            topics = [t for concern in family.concerns for t in CONCERNS[concern][0]]
            topics += rng.sample(["school", "health", "parenting", "safety", "food", "services"], 3)
            if out_of_home:
                topics.insert(0, "placement")
        short = kind is not ContactType.HOME_VISIT and kind is not ContactType.OFFICE
        target = int(rng.triangular(110, 260, 140) if short else rng.triangular(140, 560, 260))
        closing = [self.fill(s, family) for s in rng.sample(CLOSINGS, rng.randint(1, 2))]
        return self.compose(family, opening, topics, target, closing, facts)

    def compose(
        self,
        family: Family,
        opening: list[str],
        topics: list[str],
        target: int,
        closing: list[str],
        facts: VisitFacts,
    ) -> str:
        """Paragraphs of sentences from the bank until the target length, never above the maximum."""
        rng = self.rng
        bank = _bank(len(family.children) > 1, len(family.adults) > 1, facts.scene)
        words = sum(_words(s) for s in opening + closing)
        paragraphs = [opening]
        used: set[str] = set()
        pending = list(dict.fromkeys(topics))  # unique, in order
        extra = [t for t in TOPICS if t not in pending and t != "placement"]
        rng.shuffle(extra)
        pending += extra
        for topic in pending:
            if words >= max(target, MIN_NARRATIVE_WORDS):
                break
            paragraph: list[str] = []
            choices = [s for s in bank[topic][rng.choice("+-")] if s[1] not in used]
            for marks, template in rng.sample(choices, min(len(choices), rng.randint(2, 5))):
                sentence = self.fill(template, family, facts.alone if "!" in marks else facts.seen)
                count = _words(sentence)
                if words + count > MAX_NARRATIVE_WORDS:
                    break
                paragraph.append(sentence)
                used.add(template)
                words += count
            if paragraph:
                paragraphs.append(paragraph)
        paragraphs.append(closing)
        return "\n\n".join(" ".join(p) for p in paragraphs if p)

    def assessments(self, family: Family, visits: Sequence[Visit]) -> None:
        rng = self.rng
        candidates = [
            v
            for v in visits
            if v.status is ContactStatus.COMPLETED and v.contact_type in (ContactType.HOME_VISIT, ContactType.OFFICE)
        ]
        chosen: list[Visit] = []
        due = family.start
        for visit in candidates:
            if visit.occurred_at.date() >= due:
                chosen.append(visit)
                due = visit.occurred_at.date() + timedelta(days=rng.randint(80, 100))
        threats_pool = sorted({t for c in family.concerns for t in CONCERNS[c][1]})
        protective = family.case.case_type is CaseType.PROTECTIVE
        out_of_home = family.case.placement is Placement.OUT_OF_HOME
        for index, visit in enumerate(chosen):
            if out_of_home:
                decision = (
                    SafetyDecision.UNSAFE if index == 0 or rng.random() < 0.5 else (SafetyDecision.CONDITIONALLY_SAFE)
                )
            elif protective:
                # Protective in-home cases usually start conditionally safe and improve.
                chance = 0.75 - 0.2 * index
                decision = SafetyDecision.CONDITIONALLY_SAFE if rng.random() < chance else SafetyDecision.SAFE
            else:
                decision = SafetyDecision.CONDITIONALLY_SAFE if rng.random() < 0.08 else SafetyDecision.SAFE
            threats = (
                []
                if decision is SafetyDecision.SAFE
                else rng.sample(threats_pool, rng.randint(1, min(3, len(threats_pool))))
            )
            how_many = rng.randint(3, 6) if decision is SafetyDecision.SAFE else rng.randint(1, 4)
            capacities = rng.sample(sorted(PROTECTIVE_CAPACITIES), how_many)
            day = visit.occurred_at.date()
            assessment = SafetyAssessment(
                id=self.uid(),
                case_id=family.case.id,
                assessed_on=day,
                visit_id=visit.id,
                threats=threats,
                protective_capacities=capacities,
                decision=decision,
                rationale=(OUT_OF_HOME_RATIONALES if out_of_home else RATIONALES)[decision],
                assessor=self.worker,
            )
            self.load.assessments.append(assessment)
            if decision is SafetyDecision.CONDITIONALLY_SAFE:
                self.load.safety_plans.append(
                    SafetyPlan(
                        id=self.uid(),
                        case_id=family.case.id,
                        assessment_id=assessment.id,
                        actions=[self.plan_action(family, t) for t in threats],
                        starts_on=day,
                        review_on=day + timedelta(days=30),
                        active=family.case.stage is not CaseStage.CLOSED and index == len(chosen) - 1,
                    )
                )

    def plan_action(self, family: Family, threat: str) -> SafetyPlanAction:
        action, who, monitoring = PLAN_ACTIONS[threat]
        adults = family.adults
        if who == "worker":
            return SafetyPlanAction(action=self.fill(action, family), responsible=self.worker, monitoring=monitoring)
        if who == "cg" or len(adults) > 1:
            person = adults[0] if who == "cg" else adults[1]
            return SafetyPlanAction(
                action=self.fill(action, family, adult2=person.first_name),
                responsible=f"{person.full_name} ({person.relationship})",
                monitoring=monitoring,
            )
        # A caregiver on their own names someone from outside the household as the safety person.
        first = self.rng.choice(ENGLISH.female + ENGLISH.male)
        helper = f"{first} {self.rng.choice(ENGLISH.surnames)}"
        relation = self.rng.choice(["neighbor", "family friend", "godparent", "cousin"])
        return SafetyPlanAction(
            action=self.fill(action, family, adult2=first), responsible=f"{helper} ({relation})", monitoring=monitoring
        )

    # -- attendance, referrals, tasks
