"""Synthetic caseloads: fictional families with about a year of casework, for demos, tests and benchmarks.

Everything comes from one seeded random generator, so a seed, a profile and a day always give the same
records, ids included. No I/O; the people, schools and agencies are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from caseworker_app.demo.generated import Caseload, Family
from caseworker_app.demo.narratives import (
    NarrativeWriter,
    from_wall_clock,
    in_session,
    month_end,
    month_range,
    school_id,
)
from caseworker_app.demo.phrasebook import (
    AGENCIES,
    ATTEMPTS,
    CHILD_SERVICES,
    CONCERNS,
    CULTURES,
    ENGLISH,
    GRADES,
    MONTHS,
    OBSERVATIONS,
    PURPOSES,
    SCHOOL_NAMES,
    Culture,
)
from caseworker_app.domain.entities import (
    AttendanceRecord,
    Case,
    ChildSeen,
    Note,
    PermanencyGoal,
    Person,
    Referral,
    School,
    Task,
    Visit,
)
from caseworker_app.domain.vocabulary import (
    SERVICE_LABELS,
    CaseStage,
    CaseType,
    ContactStatus,
    ContactType,
    PermanencyGoalType,
    PersonRole,
    Placement,
    ReferralStatus,
    RiskLevel,
    ServiceType,
    TaskStatus,
)

DEFAULT_TODAY = date(2026, 11, 20)
DISTRICT = "Riverbend Unified School District"


@dataclass(frozen=True)
class _Profile:
    families: int
    schools: int


PROFILES: dict[str, _Profile] = {
    "default": _Profile(families=25, schools=6),
    "large": _Profile(families=300, schools=12),
}


def generate_caseload(
    profile: str = "default", *, seed: int = 7, today: date | None = None, worker: str = "liaison"
) -> Caseload:
    """A deterministic caseload: `default` is 25 families, `large` 300 cases and about 20,000 records.

    Everything happens before 08:00 on `today` (2026-11-20 unless given), so the output never depends
    on the clock. The generator's clock runs in UTC; every instant it hands out (`occurred_at`,
    `written_at`, `finalized_at`) is UTC-aware, as the app stores them. Raises ValueError for an unknown profile.
    """
    if profile not in PROFILES:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"Unknown caseload profile {profile!r}; choose one of: {known}.")
    return _Generator(PROFILES[profile], random.Random(seed), today or DEFAULT_TODAY, worker).run()


# --- names -------------------------------------------------------------------------------------------
# Each culture: weight, surnames ("male/female" where the form depends on gender), female and male
# first names. Scripts stay within what the bundled DejaVu Sans font can print (Latin, Greek, Cyrillic).


class _Generator(NarrativeWriter):
    def __init__(self, profile: _Profile, rng: random.Random, today: date, worker: str) -> None:
        self.profile = profile
        self.rng = rng
        self.today = today
        # Every generated time is before this moment, so nothing lies in the future.
        self.now = from_wall_clock(today, 8 * 60)  # 08:00 on the local clock, as naive UTC
        self.unfinished: list[tuple[Note, datetime]] = []  # draft notes and when each could be finalized
        self.worker = worker
        self.load = Caseload()
        self.used: set[str] = set()
        self.school_days: dict[tuple[str, str], int] = {}

    def run(self) -> Caseload:
        rng = self.rng
        for name in rng.sample(SCHOOL_NAMES, self.profile.schools):
            self.load.schools.append(School(id=school_id(name), name=name, district=DISTRICT))
        for _ in range(self.profile.families):
            family = self.family()
            self.contacts(family)
            self.attendance(family)
            self.referrals(family)
            self.tasks(family)
        self.leave_a_few_drafts()
        # Addenda were written after the notes they correct, so they go last.
        self.load.notes.sort(key=lambda note: note.addendum_to is not None)
        return self.load

    # -- families

    def family(self) -> Family:
        rng, today = self.rng, self.today
        culture = rng.choices(CULTURES, weights=[c.weight for c in CULTURES])[0]
        stage = rng.choices(list(CaseStage), weights=[6, 10, 70, 7, 7])[0]
        opened_ago = {
            CaseStage.INTAKE: (2, 20),
            CaseStage.ASSESSMENT: (25, 75),
            CaseStage.ONGOING: (270, 480),
            CaseStage.CLOSING: (300, 500),
            CaseStage.CLOSED: (270, 480),
        }[stage]
        start = today - timedelta(days=rng.randint(*opened_ago))
        closed_on = today - timedelta(days=rng.randint(15, 120)) if stage is CaseStage.CLOSED else None
        case_type = rng.choices([CaseType.PREVENTIVE, CaseType.PROTECTIVE], weights=[55, 45])[0]
        out_of_home = (
            case_type is CaseType.PROTECTIVE and stage in (CaseStage.ONGOING, CaseStage.CLOSING) and rng.random() < 0.25
        )
        risk = (
            rng.choice([RiskLevel.HIGH, RiskLevel.VERY_HIGH])
            if out_of_home
            else rng.choice([RiskLevel.MODERATE, RiskLevel.HIGH])
            if case_type is CaseType.PROTECTIVE
            else rng.choices([RiskLevel.LOW, RiskLevel.MODERATE], weights=[65, 35])[0]
        )
        case_id = self.uid()
        reference = self.unique(lambda: f"CW-{start.year}-{rng.randint(100, 99999):05d}")
        concerns = rng.sample(sorted(CONCERNS), rng.choice([1, 2, 2, 3]))
        case = Case(
            id=case_id,
            reference=reference,
            family_name="-",
            stage=stage,
            case_type=case_type,
            placement=Placement.OUT_OF_HOME if out_of_home else Placement.IN_HOME,
            risk_level=risk,
            assigned_worker=self.worker,
            opened_on=start,
            closed_on=closed_on,
        )
        family = Family(case, culture, [], [], [], concerns, start, (closed_on or today) - timedelta(days=1))
        self.people(family)
        family.case.family_name = family.caregivers[0].last_name
        family.case.school_id = family.school_children[0].school_id
        self.written_language(family)
        self.load.cases.append(case)
        self.load.people.extend(family.caregivers + family.children + family.members)
        if out_of_home:
            for child in family.children:
                primary = rng.choices(list(PermanencyGoalType), weights=[75, 5, 8, 10, 2])[0]
                options: list[PermanencyGoalType | None] = [g for g in PermanencyGoalType if g is not primary]
                alternative = rng.choice([*options, None])
                self.load.permanency_goals.append(
                    PermanencyGoal(
                        id=self.uid(),
                        case_id=case_id,
                        child_id=child.id,
                        primary=primary,
                        alternative=alternative,
                        set_on=start + timedelta(days=rng.randint(20, 60)),
                    )
                )
        return family

    def written_language(self, family: Family) -> None:
        """Most families of a language other than English ask for letters in it, as do their adults
        named in that language; an own generator (seeded by the case) leaves the rest of the caseload as it was."""
        language = family.culture.language
        if not language or random.Random(family.case.id).random() >= 0.7:
            return
        family.case.preferred_language = language
        names = set(family.culture.female) | set(family.culture.male)
        for adult in family.caregivers + family.members:
            grown = adult.date_of_birth is None or (self.today - adult.date_of_birth).days >= 18 * 365
            if grown and adult.first_name in names:
                adult.preferred_language = language

    def person(
        self,
        family: Family,
        role: PersonRole,
        female: bool,
        relationship: str,
        age: int,
        culture: Culture | None = None,
        surname: str | None = None,
    ) -> Person:
        rng = self.rng
        culture = culture or family.culture
        taken = {p.first_name for p in family.caregivers + family.children + family.members}
        pool = [n for n in (culture.female if female else culture.male) if n not in taken]
        first = rng.choice(pool or list(culture.female if female else culture.male))
        surname = surname or rng.choice(culture.surnames)
        male_form, _, female_form = surname.partition("/")
        last = female_form if female and female_form else male_form
        if "/" in surname and female_form.endswith("dóttir"):  # Icelandic patronymic: son / dóttir
            last = female_form if female else male_form + "son"
        birthday = date(self.today.year - age, 1, 1) - timedelta(days=rng.randint(0, 364))
        return Person(
            id=self.uid(),
            case_id=family.case.id,
            role=role,
            first_name=first,
            last_name=last,
            date_of_birth=birthday,
            relationship=relationship,
        )

    def people(self, family: Family) -> None:
        rng, today = self.rng, self.today
        surname = rng.choice(family.culture.surnames)
        grades = sorted(rng.sample(range(6), rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]))
        home_school = rng.choice(self.load.schools)
        year_start = today.year if today.month >= 8 else today.year - 1
        oldest = 5 + grades[-1] + (today.year - year_start)
        shape = rng.choices(["mother", "father", "two", "grandparent", "kin"], weights=[45, 10, 30, 10, 5])[0]
        child_word = {"grandparent": ("granddaughter", "grandson"), "kin": ("niece", "nephew")}.get(
            shape, ("daughter", "son")
        )
        if shape in ("mother", "two"):
            family.caregivers.append(
                self.person(family, PersonRole.CAREGIVER, True, "mother", oldest + rng.randint(18, 30), surname=surname)
            )
        if shape in ("father", "two"):
            other = rng.choice(CULTURES) if shape == "two" and rng.random() < 0.15 else None
            relationship = "father" if shape == "father" or rng.random() < 0.7 else "stepfather"
            family.caregivers.append(
                self.person(
                    family,
                    PersonRole.CAREGIVER,
                    False,
                    relationship,
                    oldest + rng.randint(20, 34),
                    culture=other,
                    surname=None if other or relationship == "stepfather" else surname,
                )
            )
        if shape in ("grandparent", "kin"):
            female = rng.random() < 0.8
            words = ("grandmother", "grandfather") if shape == "grandparent" else ("aunt", "uncle")
            family.caregivers.append(
                self.person(
                    family,
                    PersonRole.CAREGIVER,
                    female,
                    words[not female],
                    oldest + rng.randint(38, 52) if shape == "grandparent" else oldest + rng.randint(16, 28),
                    surname=surname,
                )
            )
        for grade in grades:
            female = rng.random() < 0.5
            # Children of immigrant families often carry English first names.
            culture = ENGLISH if rng.random() < 0.2 else family.culture
            child = self.person(
                family,
                PersonRole.CHILD,
                female,
                child_word[not female],
                5 + grade + (today.year - year_start),
                culture=culture,
                surname=surname,
            )
            child.school_id = home_school.id if rng.random() < 0.9 else rng.choice(self.load.schools).id
            child.grade = GRADES[grade]
            # Kindergarten takes children who are five by September 1.
            child.date_of_birth = date(year_start - 6 - grade, 9, 2) + timedelta(days=rng.randint(0, 364))
            child.student_id = self.unique(lambda: str(rng.randint(2_000_000, 2_999_999)))
            family.children.append(child)
            family.absence[child.id] = (
                rng.uniform(0.11, 0.3)
                if rng.random() < 0.2 or ("attendance" in family.concerns and rng.random() < 0.6)
                else rng.uniform(0.0, 0.06)
            )
        if len(grades) < 4 and rng.random() < 0.12:  # a younger sibling, not in school yet
            female = rng.random() < 0.5
            family.children.append(
                self.person(
                    family, PersonRole.CHILD, female, child_word[not female], rng.randint(1, 4), surname=surname
                )
            )
        if rng.random() < 0.3:
            relationship, female, age = rng.choice(
                [
                    ("maternal grandmother", True, 62),
                    ("uncle", False, 34),
                    ("aunt", True, 30),
                    ("adult cousin", False, 22),
                    ("mother's partner", False, 36),
                    ("family friend", True, 40),
                ]
            )
            family.members.append(
                self.person(
                    family,
                    PersonRole.HOUSEHOLD_MEMBER,
                    female,
                    relationship,
                    age + rng.randint(-5, 6),
                    surname=surname if "grand" in relationship else None,
                )
            )

    # -- contacts, notes, assessments

    def contacts(self, family: Family) -> None:
        rng = self.rng
        first = min(family.start + timedelta(days=rng.randint(0, 3)), family.end)
        plan: list[tuple[datetime, ContactType, ContactStatus]] = [
            (self.clock(first, 9, 18), ContactType.HOME_VISIT, ContactStatus.COMPLETED)
        ]
        for month in month_range(family.start, family.end):
            lo, hi = max(month, first + timedelta(days=1)), min(month_end(month), family.end)
            if lo > hi:
                continue
            if month > family.start.replace(day=1) and rng.random() > 0.05:
                day = self.day_between(month, month_end(month))
                kind = rng.choices(
                    [ContactType.HOME_VISIT, ContactType.SCHOOL_VISIT, ContactType.OFFICE], weights=[70, 20, 10]
                )[0]
                if kind is ContactType.SCHOOL_VISIT and not in_session(day):
                    kind = ContactType.HOME_VISIT
                if lo <= day <= hi:
                    hours = (8.5, 14.5) if kind is ContactType.SCHOOL_VISIT else (9, 18.5)
                    plan.append((self.clock(day, *hours), kind, ContactStatus.COMPLETED))
                    if rng.random() < 0.12 and day - timedelta(days=5) >= lo:
                        tried = self.day_between(day - timedelta(days=5), day - timedelta(days=1))
                        plan.append((self.clock(tried, 9, 18), ContactType.HOME_VISIT, ContactStatus.ATTEMPTED))
            for kind, chance in ((ContactType.PHONE, 0.4), (ContactType.COLLATERAL, 0.15), (ContactType.VIRTUAL, 0.03)):
                if rng.random() < chance:
                    plan.append((self.clock(self.day_between(lo, hi), 8, 19), kind, ContactStatus.COMPLETED))
        plan.sort(key=lambda item: item[0])
        visits = [self.visit(family, when, kind, status, index == 0) for index, (when, kind, status) in enumerate(plan)]
        self.load.visits.extend(visits)
        family.visits = visits
        self.notes(family, visits)
        self.assessments(family, visits)

    def visit(self, family: Family, when: datetime, kind: ContactType, status: ContactStatus, initial: bool) -> Visit:
        rng = self.rng
        out_of_home = family.case.placement is Placement.OUT_OF_HOME
        target = rng.choice(family.school_children)
        children: list[ChildSeen] = []
        participants: list[str] = []
        if kind.face_to_face or kind is ContactType.VIRTUAL:
            for child in family.children:
                at_school = child.school_id == target.school_id
                if kind is ContactType.SCHOOL_VISIT:
                    seen = status is ContactStatus.COMPLETED and at_school and rng.random() < 0.95
                else:
                    seen = status is ContactStatus.COMPLETED and rng.random() < 0.9
                alone = (
                    seen
                    and bool(child.school_id)
                    and rng.random() < (0.7 if kind is ContactType.SCHOOL_VISIT else 0.35)
                )
                children.append(ChildSeen(person_id=child.id, seen=seen, seen_alone=alone))
            if status is ContactStatus.COMPLETED and not any(c.seen for c in children):
                children[family.children.index(target)].seen = True
            participants = [p.full_name for p, c in zip(family.children, children, strict=True) if c.seen]
        if status is ContactStatus.COMPLETED and kind is not ContactType.SCHOOL_VISIT:
            if kind is ContactType.COLLATERAL:
                participants = [rng.choice(["Classroom teacher", "School counselor", "Family therapist"])]
            else:
                adults = family.adults[:1] + [a for a in family.adults[1:] if rng.random() < 0.5]
                if out_of_home and kind is ContactType.HOME_VISIT:
                    participants = ["Resource parent", *participants]
                else:
                    participants = [f"{a.full_name} ({a.relationship})" for a in adults] + participants
        elif kind is ContactType.SCHOOL_VISIT and status is ContactStatus.COMPLETED:
            participants.append("School counselor")
        location = {
            ContactType.HOME_VISIT: "Resource home" if out_of_home else "Family home",
            ContactType.SCHOOL_VISIT: self.school_name(target.school_id),
            ContactType.OFFICE: "Agency office",
            ContactType.VIRTUAL: "Video call",
        }.get(kind, "")
        if status is ContactStatus.ATTEMPTED:
            observations, purpose = self.fill(rng.choice(ATTEMPTS), family), "Monthly face-to-face visit"
        else:
            observations = self.fill(rng.choice(OBSERVATIONS[kind]), family)
            purpose = "Initial home visit" if initial else rng.choice(PURPOSES[kind])
        return Visit(
            id=self.uid(),
            case_id=family.case.id,
            contact_type=kind,
            status=status,
            occurred_at=when,
            location=location,
            participants=participants,
            children=children,
            purpose=purpose,
            observations=observations,
            worker=self.worker,
        )

    def attendance(self, family: Family) -> None:
        rng = self.rng
        base = {9: 20, 10: 21, 11: 18, 12: 15, 1: 19, 2: 18, 3: 21, 4: 20, 5: 21, 6: 9}
        last_month = min(family.end, self.today.replace(day=1) - timedelta(days=1))
        first_month = (family.start.replace(day=1) - timedelta(days=1)).replace(day=1)
        year_start = date(self.today.year if self.today.month >= 8 else self.today.year - 1, 8, 1)
        for month in month_range(first_month, last_month):
            if month.month not in base:
                continue
            period = f"{month.year:04d}-{month.month:02d}"
            for child in family.school_children:
                assert child.school_id is not None
                if child.grade == "K" and month < year_start:
                    continue  # last school year this child was not in school yet
                key = (child.school_id, period)
                if key not in self.school_days:  # one calendar per school
                    self.school_days[key] = base[month.month] + rng.randint(-1, 1)
                enrolled = self.school_days[key]
                rate = family.absence[child.id]
                absent = sum(rng.random() < rate for _ in range(enrolled))
                tardy = sum(rng.random() < rate / 2 + 0.02 for _ in range(enrolled - absent))
                self.load.attendance.append(
                    AttendanceRecord(
                        id=self.uid(),
                        case_id=family.case.id,
                        child_id=child.id,
                        period=period,
                        days_enrolled=enrolled,
                        days_absent=absent,
                        days_tardy=tardy,
                    )
                )

    def referrals(self, family: Family) -> None:
        rng, today = self.rng, self.today
        services = [s for c in family.concerns for s in CONCERNS[c][2]] + [
            ServiceType.SCHOOL_NEEDS,
            ServiceType.HOLIDAY_ASSISTANCE,
            ServiceType.FOOD_BACKPACK,
        ]
        made: set[tuple[ServiceType, str | None]] = set()
        for _ in range(rng.choices([0, 1, 2, 3, 4], weights=[10, 25, 35, 20, 10])[0]):
            service = rng.choice(services)
            child_service = service in CHILD_SERVICES
            person = rng.choice(family.school_children if child_service else family.adults)
            if (service, person.id) in made:
                continue
            made.add((service, person.id))
            referred = self.day_between(family.start, family.end)
            age = (today - referred).days
            if age < 14:
                status = rng.choice([ReferralStatus.REFERRED, ReferralStatus.ACCEPTED])
            elif age < 60:
                status = rng.choices(list(ReferralStatus), weights=[5, 30, 45, 10, 10])[0]
            else:
                status = rng.choices(list(ReferralStatus), weights=[6, 4, 25, 53, 12])[0]
            status_on = (
                referred
                if status is ReferralStatus.REFERRED
                else referred + timedelta(days=rng.randint(1, max(1, min(age - 1, 45))))
            )
            agency = (
                self.school_name(person.school_id) if service is ServiceType.PLAN_504 else rng.choice(AGENCIES[service])
            )
            referral = Referral(
                id=self.uid(),
                case_id=family.case.id,
                service=service,
                person_id=person.id,
                agency=agency,
                status=status,
                referred_on=referred,
                status_on=min(status_on, today),
                notes=f"{SERVICE_LABELS[service]} for {person.first_name}.",
            )
            family.referrals.append(referral)
            self.load.referrals.append(referral)

    def tasks(self, family: Family) -> None:
        rng, today = self.rng, self.today
        closed = family.case.stage is CaseStage.CLOSED
        cg = family.adults[0].first_name
        titles = [
            f"Request attendance report from {self.school_name(family.case.school_id)}",
            f"Send release of information to {cg}'s counselor",
            f"Drop off school supply voucher for {family.school_children[0].first_name}",
            "Update case plan with the family",
            "Supervisor review of the case",
            f"Call {cg} about the rental assistance application"
            if "housing" in family.concerns
            else f"Check that {cg} finished the SNAP recertification",
        ]
        wanted = rng.randint(2, 5)
        for title in rng.sample(titles, wanted):
            due = self.day_between(family.start + timedelta(days=7), family.end + timedelta(days=21))
            self.add_task(family, title, due, closed)
        if not closed:
            last_day = month_end(today)
            seen = any(v.children_seen() and v.occurred_at.date() >= today.replace(day=1) for v in family.visits)
            month = f"{MONTHS[today.month - 1]} {today.year}"  # not strftime: that follows the locale
            self.load.tasks.append(
                Task(
                    id=self.uid(),
                    case_id=family.case.id,
                    title=f"Monthly face-to-face visit ({month})",
                    due_on=last_day,
                    status=TaskStatus.DONE if seen else TaskStatus.OPEN,
                    assigned_to=self.worker,
                )
            )
        for referral in family.referrals:
            if referral.status is ReferralStatus.REFERRED:
                self.add_task(
                    family,
                    f"Follow up on {SERVICE_LABELS[referral.service].lower()} referral",
                    referral.referred_on + timedelta(days=14),
                    closed,
                )

    def add_task(self, family: Family, title: str, due: date, closed: bool) -> None:
        rng = self.rng
        if closed or due < self.today:
            status = rng.choices(list(TaskStatus), weights=[0 if closed else 20, 75, 5])[0]
        else:
            status = TaskStatus.DONE if rng.random() < 0.15 else TaskStatus.OPEN
        self.load.tasks.append(
            Task(id=self.uid(), case_id=family.case.id, title=title, due_on=due, status=status, assigned_to=self.worker)
        )
