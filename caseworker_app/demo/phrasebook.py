"""The words of the synthetic caseload: name traditions, schools, and banks of casework sentences."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker_app.domain.vocabulary import (
    ContactType,
    SafetyDecision,
    ServiceType,
)


@dataclass(frozen=True)
class Culture:
    weight: int
    surnames: tuple[str, ...]
    female: tuple[str, ...]
    male: tuple[str, ...]
    # The language some of these families ask written material in (not every family does).
    language: str = ""


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(","))


CULTURES: tuple[Culture, ...] = (
    Culture(
        38,
        _names(
            "Smith, Johnson, Williams, Brown, Miller, Davis, Wilson, Anderson, Taylor, Moore, "
            "Jackson, Martin, Thompson, White, Harris, Clark, Robinson, Walker, Young, Allen, "
            "King, Wright, Scott, Hill, Green, Adams, Baker, Carter, Mitchell, Turner, Parker, "
            "Collins, Stewart, Morris, Cook, Reed, Bailey, Cooper, Brooks, Bennett, Hughes, "
            "Washington, Coleman, Jenkins, Sullivan, Smith-Jones, Foster, Henderson"
        ),
        _names(
            "Emma, Olivia, Ava, Sophia, Mia, Charlotte, Amelia, Harper, Evelyn, Abigail, Madison, "
            "Aaliyah, Brianna, Jasmine, Destiny, Kayla, Ashley, Jessica, Amanda, Tiffany, Crystal, "
            "Heather, Imani, Nevaeh, Zoe, Chloe, Lily, Hannah, Mary-Kate, Shaniqua"
        ),
        _names(
            "Liam, Noah, Oliver, Elijah, James, William, Benjamin, Lucas, Mason, Ethan, Jayden, "
            "Jamal, DeShawn, Marcus, Brandon, Justin, Tyler, Kevin, Michael, Christopher, Joshua, "
            "Andre, Darnell, Caleb, Wyatt, Hunter, Logan, Aiden, Carter, Jaxon"
        ),
    ),
    Culture(
        4,
        _names("O'Brien, O'Connor, O'Sullivan, McCarthy, Ó Briain, Mac Giolla Phádraig"),
        _names("Siobhán, Aoife, Niamh, Saoirse, Róisín, Caoimhe"),
        _names("Seán, Ciarán, Pádraig, Eoin, Oisín, Darragh"),
    ),
    Culture(
        20,
        _names(
            "García-Peña, Hernández, Martínez, Rodríguez, López, González, Pérez, Sánchez, "
            "Ramírez, Torres, Flores, Rivera, Gómez, Díaz, Reyes, Cruz, Morales, Ortiz, "
            "Gutiérrez, Chávez, Ruiz, Álvarez, Jiménez, Castillo, Muñoz, Vásquez, Núñez, "
            "Ibáñez, Peña, de la Cruz"
        ),
        _names(
            "María José, Sofía, Valentina, Camila, Lucía, Ximena, Guadalupe, Itzel, Yesenia, "
            "Marisol, Ana Belén, Daniela, Renata, Mariana, Araceli"
        ),
        _names(
            "José Luis, Ángel, Mateo, Santiago, Diego, Joaquín, Sebastián, Andrés, Jesús, Julián, "
            "Emiliano, Iker, Luis, Héctor, Ramón"
        ),
        "es",
    ),
    Culture(
        5,
        _names("Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Võ, Đặng, Bùi, Đỗ"),
        _names("Linh, Thảo, Ngọc Anh, Mai, Hương, Trâm, Phương, Thủy"),
        _names("Minh, Đức, Quốc Bảo, Huy, Khánh, Tuấn, Phúc, Long"),
        "vi",
    ),
    Culture(
        3,
        _names("Müller, Schröder, Weiß, Schäfer, Köhler, Krüger, Hoffmann, Groß"),
        _names("Lena, Anneliese, Jördis, Käthe, Jana, Marlene"),
        _names("Jürgen, Jörg, Lukas, Maximilian, Björn, Günther"),
    ),
    Culture(
        1,
        _names("Jóns/Jónsdóttir, Ólafs/Ólafsdóttir, Sigurðs/Sigurðardóttir, Guðmunds/Guðmundsdóttir"),
        _names("Guðrún, Sigríður, Ásta, Hildur, Þóra"),
        _names("Ólafur, Þórður, Jón, Einar, Bjarki"),
    ),
    Culture(
        2,
        _names("Παπαδόπουλος/Παπαδοπούλου, Οικονόμου, Γεωργίου, Νικολάου, Κωνσταντινίδης/Κωνσταντινίδου"),
        _names("Ελένη, Μαρία, Κατερίνα, Σοφία, Δήμητρα"),
        _names("Γιώργος, Νίκος, Δημήτρης, Κώστας, Γιάννης"),
    ),
    Culture(
        3,
        _names("Кузнецов/Кузнецова, Иванов/Иванова, Смирнов/Смирнова, Шевченко, Ковальчук, Попов/Попова"),
        _names("Анна, Ольга, Наталья, Дарья, Олена, Софія"),
        _names("Алексей, Дмитрий, Иван, Сергей, Тарас, Богдан"),
    ),
    Culture(
        2,
        _names(
            "Wiśniewski/Wiśniewska, Kowalczyk, Wójcik, Kamiński/Kamińska, Lewandowski/Lewandowska, Dąbrowski/Dąbrowska"
        ),
        _names("Zofia, Małgorzata, Agnieszka, Łucja, Wiktoria"),
        _names("Łukasz, Michał, Paweł, Wojciech, Jędrzej"),
        "pl",
    ),
    Culture(
        1,
        _names("Yılmaz, Öztürk, Çelik, Şahin, Doğan, Aydın"),
        _names("Çağla, Ayşe, Elif, Zeynep, Gülşen"),
        _names("Emre, Mehmet, Burak, Oğuz, Barış"),
        "tr",
    ),
    Culture(
        3,
        _names("Zhāng, Wáng, Lǐ, Liú, Chén, Huáng, Zhōu"),
        _names("Měilíng, Yìfēi, Jìngyí, Xīnyí, Lìhuá"),
        _names("Wěi, Hàorán, Zǐháo, Jūnjié, Yǔxuān"),
        "zh",
    ),
    Culture(
        2,
        _names("Mohamed, Abdi, Hassan, Warsame, Farah, Ali"),
        _names("Hodan, Ayaan, Fadumo, Hibaaq, Sahra"),
        _names("Abdirahman, Abdullahi, Mohamud, Liban, Guled"),
        "so",
    ),
    Culture(
        2,
        _names("Vang, Xiong, Yang, Lor, Thao, Her"),
        _names("Pa Houa, Nou, Mai Yer, Kia, Paj"),
        _names("Tou, Chue, Fue, Koua, Pheng"),
    ),
    Culture(
        1,
        _names("Lefèvre, Bélanger, Côté, Gagné, Lévesque"),
        _names("Béatrice, Chloé, Éloïse, Maëlle, Noémie"),
        _names("Noël, François, Jérôme, Loïc, Théo"),
    ),
)
ENGLISH = CULTURES[0]

SCHOOL_NAMES = (
    "Maple Grove Elementary",
    "Riverbend Elementary",
    "Cedar Hills Elementary",
    "Lakeview Elementary",
    "Sunnyside Elementary",
    "Willow Creek Elementary",
    "Oak Park Elementary",
    "Harbor View Elementary",
    "Pinecrest Elementary",
    "Meadowbrook Elementary",
    "Eastgate Elementary",
    "Fairview Elementary",
)
GRADES = ("K", "1", "2", "3", "4", "5")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
GRADE_WORDS = ("kindergarten", "first grade", "second grade", "third grade", "fourth grade", "fifth grade")

# --- narrative bank ----------------------------------------------------------------------------------
# Placeholders: {family} {cg} (main caregiver) {adult2} (another adult) {child} {child2} {school} {grade}
# {n}. Sentences that need an adult2 or a child2 are used only where the family has one. A topic sentence
# may start with marks: "+" or "-" for good or bad news (one paragraph does not mix them), "@" for what
# can only be seen in the family's home (left out of phone calls, school visits and the like), "%" for what
# can only be seen in the resource home, "^" for a child seen in person ({child} is then a child seen at
# the contact), "!" for a child seen alone ({child} is then that child), "&" for children who live with
# their caregivers (left out of out-of-home cases). See demo/facts.py.

OPENERS: dict[ContactType, tuple[str, ...]] = {
    ContactType.HOME_VISIT: (
        "This worker completed a scheduled home visit with the {family} family.",
        "This worker made an unannounced home visit to the {family} home in the late afternoon.",
        "Monthly home visit with {cg} at the family's apartment.",
        "This worker visited the family at home after school; {cg} had been expecting the visit.",
    ),
    ContactType.SCHOOL_VISIT: (
        "This worker met with {child} at {school} during the lunch period.",
        "School visit at {school}; {child} was seen in the counselor's office.",
        "This worker visited {school} and met with {child} after recess, with the teacher's permission.",
    ),
    ContactType.OFFICE: (
        "{cg} came to the agency office for a scheduled meeting.",
        "Office visit with {cg} to review the case plan.",
    ),
    ContactType.PHONE: (
        "This worker spoke with {cg} by phone.",
        "{cg} called this worker to give an update on the family.",
        "Phone check-in with {cg}, who was on a break at work.",
    ),
    ContactType.VIRTUAL: (
        "This worker held a video call with {cg}.",
        "Video check-in with {cg} in the early evening.",
    ),
    ContactType.COLLATERAL: (
        "This worker spoke with {child}'s {grade} teacher at {school}.",
        "Collateral contact with the school counselor at {school} regarding {child}.",
        "This worker spoke with the family's therapist; a signed release is on file.",
    ),
}

OUT_OF_HOME_OPENERS = (
    "This worker visited {child} at the resource home for the monthly visit.",
    "Monthly visit at the resource home; the resource parent was present for part of it.",
)

TOPICS: dict[str, tuple[str, ...]] = {
    "housing": (
        "-{cg} reported that the landlord agreed to fix the broken heater before the end of the month; the "
        "family has been using two space heaters to stay warm.",
        "The family remains on the housing authority waiting list, and {cg} confirmed that the application "
        "was updated with the new phone number.",
        "@+The apartment was clean and organized, with working utilities and enough space for the children to sleep.",
        "-{cg} shared that rent is two weeks late after reduced hours at work and that a notice was posted "
        "on the door last Friday.",
        "This worker gave {cg} the number for the emergency rental assistance line and went over the "
        "documents needed to apply.",
        "&-The family is staying with a relative while they look for a place of their own; the children "
        "share one bedroom with {cg}.",
        "@-There was a strong smell of mildew in the bathroom, and {cg} stated that maintenance has not "
        "answered three work orders.",
        "&-{cg} said the family is doubled up with friends and asked whether the children can keep their "
        "bus to {school}.",
        "@-The smoke detector in the hallway was not working; this worker brought a new battery and {cg} "
        "installed it during the visit.",
        "-{cg} has been saving for a deposit and has seen two units near the bus line, but neither landlord "
        "has called back.",
        "@-The home had little furniture; the children sleep on mattresses on the floor, and {cg} asked "
        "about the furniture bank.",
        "@+Utilities are on, and {cg} showed this worker the payment plan agreed with the electric company.",
    ),
    "school": (
        "&-{child} has missed {n} days at {school} this month, mostly Mondays, and {cg} said mornings have "
        "been hard since the bus route changed.",
        "+{child}'s teacher reports that {child} is reading closer to grade level and takes part more in "
        "small-group work.",
        "&{cg} and this worker went over the attendance letter from {school} and planned a morning routine "
        "that gets everyone out the door by 7:45.",
        "^{child} said recess is the best part of the day and that a classmate has been teasing {child} on "
        "the bus; this worker will let the school counselor know.",
        "The school counselor has started weekly check-ins with {child} and will share updates with this worker.",
        "&-{child} was tardy several times last month because {cg} works early shifts; a neighbor offered "
        "to walk the children to school.",
        "+{cg} went to the parent-teacher conference at {school} for the first time this year and said it went well.",
        "^+{child} proudly showed this worker a spelling test with a sticker on it.",
        "&Homework is done at the kitchen table after dinner; {cg} admitted that the math is hard to help with.",
        "-{child} was sent to the office twice this month for leaving class without permission, and the "
        "school is drafting a behavior plan.",
        "The family asked about the after-school program at {school}; this worker will check whether "
        "there is still space.",
        "+{child}'s report card shows progress in reading and steady math grades, with a comment about "
        "missing homework.",
        "^{child} and {child2} both said they like their teachers this year and showed this worker their reading logs.",
    ),
    "food": (
        "@+The refrigerator had milk, eggs, fruit and leftovers; {cg} said SNAP benefits usually run out in "
        "the last week of the month.",
        "{cg} picks up a box from the church pantry on Saturdays and said it helps stretch the groceries.",
        "&The children get free breakfast and lunch at {school}; {cg} worries about weekends and school breaks.",
        "@-There was very little food in the home; this worker delivered a grocery card and gave the family "
        "the pantry schedule.",
        "@^+{child} brings the food backpack home on Fridays and was excited to show this worker the cereal "
        "and granola bars.",
        "{cg} completed the SNAP recertification and is waiting for the interview call.",
        "@+Dinner was cooking during the visit, and the children sat down to rice, beans and chicken before "
        "this worker left.",
        "{cg} asked for ideas for simple, low-cost meals; this worker shared recipe cards from the extension office.",
    ),
    "health": (
        "{child} had a well-child visit last week and is current on immunizations; the pediatrician "
        "recommended a vision screening.",
        "{cg} said {child}'s asthma has been worse with the cold weather and that the inhaler kept at "
        "school is about to expire.",
        "{child} has a dental appointment at the community clinic, and this worker offered a bus pass for the trip.",
        "{cg} reported ongoing back pain that makes housework hard and has an appointment at the clinic.",
        "&The children's Medicaid coverage was renewed, and {cg} has the new cards.",
        "&{child} was home sick with a fever for two days earlier this month, and {cg} kept the school informed.",
        "{cg} is taking the medication prescribed for depression and said the new counselor at the clinic "
        "has been helpful.",
        "&{child} needs new glasses; the school nurse sent a voucher home, and {cg} will take {child} to "
        "the optometrist.",
        "-{cg} has not been sleeping well and described feeling overwhelmed; this worker went over the "
        "crisis line number and the walk-in hours at the mental health center.",
        "^+{child} appeared healthy and well groomed and was dressed for the weather.",
    ),
    "parenting": (
        "@^+{cg} used a calm voice to redirect {child} when the children argued over the tablet, and the "
        "argument ended quickly.",
        "&-{cg} said bedtime has been a struggle and agreed to try a set routine with a bath and a story at eight.",
        "{cg} completed the fourth session of the parenting class and shared the handout on praise and "
        "consistent consequences.",
        "@^-During the visit {cg} raised their voice at {child} several times; this worker modeled another "
        "way to give instructions.",
        "&{cg} described using time-outs and loss of screen time as discipline and denied any physical discipline.",
        "@^+The children were affectionate with {cg}, sitting close on the couch and asking for help with a puzzle.",
        "&{cg} and {adult2} share the childcare; {adult2} watches the children after school while {cg} is at work.",
        "{cg} acknowledged feeling impatient when tired after work and named calling a friend as a way to "
        "take a break.",
        "@^+{child} and {child2} played quietly with blocks in the living room while the adults talked.",
        "&+{cg} has started a sticker chart for {child}'s morning routine and reports fewer arguments before school.",
    ),
    "safety": (
        "@+The home was free of obvious hazards; medications and cleaning supplies were stored out of reach.",
        "!&{child} was spoken with alone and said home feels safe and knows to call {adult2} or a teacher if "
        "something is wrong.",
        "+No new incidents of violence were reported; {cg} confirmed there has been no contact with the "
        "former partner since the protective order.",
        "&{cg} confirmed that {adult2} is home when the children get off the bus, as the safety plan requires.",
        "This worker reviewed the safety plan with {cg}, who could describe each step and who to call.",
        "There are no firearms in the home, per {cg}.",
        "^{child} had a small bruise on the forearm and explained it happened playing tag at recess; the "
        "explanation matched the injury and what the school nurse reported.",
        "@-The back door lock was broken; {cg} said the landlord will replace it this week, and this worker "
        "will check at the next visit.",
        "&^-{child} said that when the adults argue, the children go to their room and watch a movie; no one "
        "has been hurt.",
        "@^+The children were supervised throughout the visit, and {cg} knew where each child was.",
    ),
    "recovery": (
        "+{cg} provided the latest screening results from the treatment program; all were negative.",
        "+{cg} attended the intensive outpatient program three times this week, according to the counselor.",
        "{cg} said the urge to drink is strongest on weekends and has a sponsor to call.",
        "-{cg} missed one screen last week because of a work shift and agreed to make it up on Monday.",
        "@+No alcohol or drug paraphernalia was seen in the home.",
        "&-{cg} acknowledged a relapse over the holiday weekend; the children were with {adult2} at the time.",
    ),
    "income": (
        "+{cg} started a new job at a warehouse with evening shifts and is arranging childcare with a neighbor.",
        "-{cg} lost hours at the restaurant and is looking for a second job; the family is behind on the phone bill.",
        "{cg} has an appointment at the free tax clinic next month to file for the earned income credit.",
        "{cg} is taking classes toward a high school equivalency diploma two evenings a week.",
        "+{cg} received a child support payment for the first time in three months.",
    ),
    "services": (
        "&The family has started with the in-home counselor, who comes on Tuesday afternoons.",
        "-{cg} had not yet called the mental health intake line, so this worker and {cg} made the call "
        "together and an intake was scheduled.",
        "This worker followed up on the transportation request; the district will add {child} to the bus "
        "route next week.",
        "{cg} signed releases so this worker can talk with the school counselor and the clinic.",
        "The school supply voucher was used, and {child} now has a backpack, notebooks and a winter coat.",
        "The holiday assistance application was submitted with sizes and wish lists for each child.",
        "-{cg} declined the parenting group for now because of work hours but is open to it next month.",
        "The 504 meeting for {child} is scheduled at {school}, and {cg} would like this worker to attend.",
    ),
    "placement": (
        "{child} is settled in the resource home and shares a room with {child2}.",
        "+The resource parent reports that {child} is sleeping through the night and eating well.",
        "^+Family time with {cg} is every Saturday at the agency; {child} talked about playing cards with "
        "{cg} last time.",
        "+{cg} has completed most of the case plan tasks, and the team is discussing unsupervised visits.",
        "^{child} asked when going home would happen; this worker explained the next court date in words "
        "a child could follow.",
        "The resource parent drives {child} to {school} so that {child} can stay at the same school.",
        "-{cg} missed the last family time visit without calling, and {child} was disappointed.",
        "%The resource home is clean and safe, with working smoke detectors and medications locked away.",
    ),
}

CLOSINGS = (
    "The next home visit is planned for the first week of next month.",
    "This worker will follow up with {school} about attendance and with {cg} on the open referrals.",
    "{cg} agreed to call this worker if anything changes before the next visit.",
    "Plan: continue monthly visits, follow up on open referrals, and review the safety plan next visit.",
    "This worker will send the referral paperwork and confirm the appointment by phone.",
    "No immediate safety concerns were identified at the end of the contact.",
    "{cg} was given this worker's card again and the after-hours number.",
)

ADDENDUM_OPENERS = (
    "Addendum: the note of {day} listed the wrong school for {child}; {child} attends {school}.",
    "Addendum to the note of {day}: information received afterwards from {school} is added below.",
    "Addendum: the note of {day} left out that {cg} signed the release of information at that visit.",
)

ATTEMPTS = (
    "No answer at the door; this worker left a card with contact information.",
    "The car was not in the driveway and a neighbor said the family was at a relative's home.",
    "Family not home at the scheduled time; this worker called {cg} and left a voicemail.",
    "{cg} texted to cancel as this worker arrived because one of the children was sick.",
)

OBSERVATIONS: dict[ContactType, tuple[str, ...]] = {
    ContactType.HOME_VISIT: (
        "Home clean and warm; adequate food; children dressed for the weather.",
        "Cluttered living room, no hazards within reach of the children.",
        "Children relaxed and playful with {cg}.",
        "Little food in the refrigerator; heat working.",
    ),
    ContactType.SCHOOL_VISIT: (
        "{child} engaged, clean clothes, no visible marks.",
        "{child} quiet at first, then talkative about friends and recess.",
    ),
    ContactType.OFFICE: ("Children played in the waiting room; {cg} attentive.",),
    ContactType.PHONE: ("{cg} sounded calm and answered every question.", ""),
    ContactType.VIRTUAL: ("Children waved and showed their drawings on camera.",),
    ContactType.COLLATERAL: ("Attendance printout requested.", "Teacher reports steady progress."),
}

PURPOSES: dict[ContactType, tuple[str, ...]] = {
    ContactType.HOME_VISIT: (
        "Monthly face-to-face visit",
        "Safety plan review",
        "Case plan review",
        "Follow-up on housing and food",
    ),
    ContactType.SCHOOL_VISIT: ("See the child at school; attendance check", "Meet child with the counselor"),
    ContactType.OFFICE: ("Case plan review", "Sign releases and review services"),
    ContactType.PHONE: ("Check-in", "Follow-up on referral", "Schedule next visit"),
    ContactType.VIRTUAL: ("Check-in with the family",),
    ContactType.COLLATERAL: ("Attendance and progress update from school", "Coordination with provider"),
}

# Concern -> (narrative topics, safety threats, services)
CONCERNS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[ServiceType, ...]]] = {
    "housing": (
        ("housing", "income"),
        ("hazardous_living_conditions", "basic_needs_unmet"),
        (ServiceType.HOMELESSNESS, ServiceType.TRANSPORTATION, ServiceType.COMMUNITY_RESOURCE),
    ),
    "food": (
        ("food", "income"),
        ("basic_needs_unmet",),
        (ServiceType.FOOD_BACKPACK, ServiceType.HOLIDAY_ASSISTANCE, ServiceType.COMMUNITY_RESOURCE),
    ),
    "attendance": (("school",), ("no_adult_supervision",), (ServiceType.TRANSPORTATION, ServiceType.SCHOOL_NEEDS)),
    "health": (
        ("health",),
        ("basic_needs_unmet",),
        (ServiceType.MENTAL_HEALTH, ServiceType.PLAN_504, ServiceType.HOMEBOUND),
    ),
    "parenting": (
        ("parenting",),
        ("caregiver_perceives_child_negatively", "caregiver_out_of_control"),
        (ServiceType.COMMUNITY_RESOURCE, ServiceType.MENTAL_HEALTH),
    ),
    "substance": (
        ("recovery", "safety"),
        ("substance_use_impairs_care", "no_adult_supervision"),
        (ServiceType.COMMUNITY_RESOURCE, ServiceType.MENTAL_HEALTH),
    ),
    "violence": (
        ("safety",),
        ("violence_in_home", "child_fearful_of_home", "caregiver_threatens_harm"),
        (ServiceType.MENTAL_HEALTH, ServiceType.COMMUNITY_RESOURCE),
    ),
}

CHILD_SERVICES = (
    ServiceType.FOOD_BACKPACK,
    ServiceType.PLAN_504,
    ServiceType.HOMEBOUND,
    ServiceType.SCHOOL_NEEDS,
    ServiceType.TRANSPORTATION,
)

AGENCIES: dict[ServiceType, tuple[str, ...]] = {
    ServiceType.HOMELESSNESS: ("Riverbend USD McKinney-Vento Office", "Harbor Family Shelter"),
    ServiceType.FOOD_BACKPACK: ("Riverbend Community Food Bank",),
    ServiceType.MENTAL_HEALTH: ("Cedar Valley Behavioral Health", "Riverbend Children's Counseling Center"),
    ServiceType.SCHOOL_NEEDS: ("School Family Resource Center",),
    ServiceType.PLAN_504: ("School 504 team",),
    ServiceType.HOMEBOUND: ("Riverbend USD Homebound Program",),
    ServiceType.TRANSPORTATION: ("Riverbend USD Transportation",),
    ServiceType.HOLIDAY_ASSISTANCE: ("Eastside Churches Holiday Program", "Riverbend Giving Tree"),
    ServiceType.COMMUNITY_RESOURCE: (
        "Northside Family Center",
        "Parenting Partners",
        "Harbor Recovery Services",
        "County Domestic Violence Advocates",
    ),
}

# Threat -> (action, who: "cg" | "adult2" | "worker", monitoring)
PLAN_ACTIONS: dict[str, tuple[str, str, str]] = {
    "violence_in_home": (
        "The former partner stays away from the home; {cg} calls 911 if that changes.",
        "cg",
        "Weekly contact by this worker; police report checks",
    ),
    "caregiver_out_of_control": (
        "{adult2} steps in and takes the children out when {cg} feels overwhelmed.",
        "adult2",
        "Phone check-in twice a week",
    ),
    "caregiver_perceives_child_negatively": (
        "{cg} attends weekly counseling focused on the child.",
        "cg",
        "Counselor confirms attendance monthly",
    ),
    "caregiver_threatens_harm": (
        "{cg} is never alone with the children until the team reviews the plan.",
        "adult2",
        "Unannounced visits",
    ),
    "unexplained_injury": (
        "The children see the pediatrician within a week.",
        "cg",
        "This worker reviews the medical report",
    ),
    "basic_needs_unmet": (
        "This worker delivers a grocery card and {cg} keeps the pantry appointment.",
        "worker",
        "Food checked at each visit",
    ),
    "hazardous_living_conditions": (
        "The broken window and exposed wiring are repaired within ten days.",
        "cg",
        "This worker checks the repair at the next visit",
    ),
    "substance_use_impairs_care": (
        "{adult2} cares for the children whenever {cg} has been drinking.",
        "adult2",
        "Screens twice a week; results shared with this worker",
    ),
    "child_fearful_of_home": (
        "The child can call {adult2} at any time and stay there overnight.",
        "adult2",
        "This worker sees the child alone at school every two weeks",
    ),
    "no_adult_supervision": (
        "An adult is home when the children get off the bus every school day.",
        "cg",
        "School reports any day no adult meets the bus",
    ),
}

RATIONALES: dict[SafetyDecision, str] = {
    SafetyDecision.SAFE: "No safety threats identified. The caregivers meet the children's needs and "
    "accept help when needed.",
    SafetyDecision.CONDITIONALLY_SAFE: "Safety threats are present; with the protective capacities in "
    "place and a safety plan, the children can remain at home.",
    SafetyDecision.UNSAFE: "Safety threats are present that the caregivers cannot manage with a plan in "
    "the home at this time.",
}

# Out-of-home cases: the children are already in a resource home, so no rationale says they stay home.
OUT_OF_HOME_RATIONALES: dict[SafetyDecision, str] = {
    **RATIONALES,
    SafetyDecision.CONDITIONALLY_SAFE: "Safety threats remain; with the protective capacities in place and a "
    "safety plan, family time can continue while the children stay in their placement.",
}
