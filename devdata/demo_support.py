"""Demo support work for the demo families: plans in every state, contacts, group courses, the fund, returns.

Builds on the demo families and referrals (``devdata.demo_families``): every family that has had its first
contact gets a whole-family assessment and a plan (one-to-one for most, group for some), contacts over the
months since, and, while its plan is active, applications to the family support fund: a year and more of
them, more in the winter, in every state (the waiting ones recent, the older ones decided, paid or cancelled;
over a limit, a second team manager in the district approves too). Some teams run group courses at the
county's reference venues, with registers and parents' ratings. The fund has budgets for this financial year,
the last and any year before that the applications go back to, and each approval is charged to its own
year's (none overspent: the service refuses that); and the contract budget has actuals for every
complete quarter. The last complete quarter's and month's returns are generated and submitted by
``demo_returns_seed``, after every other part of the demo, so commissioners have every section to read.

Everything goes through the real services, each step with the clock set to the moment it happened
(``_clock``), in time order across families, courses and the fund, so that what a service checks (an active
plan for a fund application, an open family for an enrolment, the financial year an approval is charged to)
holds at that moment. Only a few things have no service and are written directly: the programme catalogue,
the children's funded early education fields, and the contract budget actuals.

Idempotent: the demo budgets are created with the adjustment reason ``DEMO_ALLOCATION``; when there is one,
nothing is created. Deterministic for a given seed (and day).
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bases.models import Team
from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from devdata.demo_families import _clock, _demo_referrals
from ecfs.errors import ApplicationError
from ecfs.roles import Role, group_name
from ecfs.working_days import add_working_days, is_working_day
from families.models import (
    Allocation,
    Contact,
    Determinant,
    Family,
    FollowUp,
    GoalProgress,
    ParentProgress,
    Person,
    PlanAction,
    Professional,
    SafeguardingAction,
    SupportPlan,
)
from families.support import services as support_services
from referrals.models import Referral
from reporting import services as return_services
from reporting.models import BudgetActual, ContractBudgetLine, Return
from reporting.periods import MONTHLY, QUARTERLY, last_complete, period_containing
from support_fund import services as fund_services
from support_fund.models import Application, BudgetAdjustment, FundLimits, FundSource
from venues import services as venue_services
from venues.models import GroupCourse, GroupProgramme, GroupSession, Venue

DEMO_ALLOCATION = "Demo allocation"
# Where the demo's children take up their funded early education.
EARLY_YEARS_SETTINGS = (
    "Little Acorns Pre-school",
    "Rainbow Day Nursery",
    "St Andrew's Nursery School",
    "Busy Bees Playgroup",
    "Riverside Childminding",
    "Sunflower Children's Centre Nursery",
)
# The fund's budgets: (source, last year's amount (and any year before), this year's amount). The charity's
# appeal is spent first.
FUND_BUDGETS = (("Council allocation", 184_000, 188_000), ("Charity appeal fund", 9_000, 7_500))

Status = SupportPlan.Status
Closure = SupportPlan.ClosureReason
Mode = Contact.Mode
Owner = PlanAction.Owner
Progress = GoalProgress.Progress
AppStatus = Application.Status
Offer = GroupCourse.OfferType

# What plans are about -----------------------------------------------------------------------------------
GOALS = {
    "early_attachment": (
        "{parent} feels closer to {child} and enjoys everyday care together: feeding, bath time and play.",
        "{parent} understands {child}'s cues and can settle {child} calmly when upset.",
    ),
    "early_education": (
        "{child} has a funded early education place and settles into it happily.",
        "{parent} knows the options for funded childcare and has visited two settings with {child}.",
    ),
    "speech_language": (
        "{child} uses more words and is understood at home and at nursery; {parent} shares a book every day.",
        "{parent} uses simple chat, songs and play to help {child}'s talking; speech and language referral made.",
    ),
    "home_learning": (
        "A daily routine at home with play, books and songs that {parent} enjoys with {child}.",
        "{parent} has ideas for play on a budget and uses the library with {child}.",
    ),
    "social_networks": (
        "{parent} knows other parents locally and goes to at least one group a week.",
        "{parent} has people to call on for help and feels less alone.",
    ),
    "parental_mental_health": (
        "{parent}'s low mood and anxiety improve with support from the GP and talking therapy.",
        "{parent} has a plan for difficult days and knows where to get help quickly.",
    ),
    "domestic_abuse": (
        "{parent} and the children feel safe at home and {parent} has a safety plan.",
        "{parent} understands the signs of an abusive relationship and is recovering with specialist support.",
    ),
    "drugs_alcohol": (
        "Alcohol no longer disrupts the children's routines; {parent} is working with the recovery service.",
        "{parent} keeps to the reduction plan agreed with the recovery worker.",
    ),
    "family_functioning": (
        "Fewer arguments in front of the children; the parents agree calm ways to handle disagreements.",
        "Calm, consistent bedtimes and mealtimes that both parents stick to.",
    ),
    "aces_trauma": (
        "{parent} understands how their own childhood affects their parenting and feels able to do things differently.",
    ),
    "good_job": (
        "{parent} finds childcare that fits shift work and starts work or training.",
        "{parent} has a CV, knows the help available with childcare costs and applies for jobs.",
    ),
    "housing": (
        "The family live in safe, warm and secure housing; damp reported and a housing application made.",
        "The family are no longer at risk of losing their home: arrears plan agreed with the landlord.",
    ),
    "parental_education": ("{parent} is more confident with reading and forms and starts a course at adult learning.",),
    "health": (
        "{child}'s appointments are manageable and {parent} has support with the long-term condition.",
        "{parent} is registered with a dentist and the children's immunisations are up to date.",
    ),
    "opportunities": ("The family can get to groups and appointments: bus routes planned and a local group found.",),
}
# Actions by need: (owner, what).
ACTIONS = {
    "early_attachment": (
        (Owner.WORKER, "Home visits to model baby play and talk through {child}'s cues"),
        (Owner.FAMILY, "Skin-to-skin and ten minutes of floor play with {child} every day"),
        (Owner.PROFESSIONAL, "Health visitor to review feeding and sleep"),
    ),
    "early_education": (
        (Owner.WORKER, "Help apply for the funded early education place"),
        (Owner.FAMILY, "Visit two local pre-schools with {child}"),
    ),
    "speech_language": (
        (Owner.WORKER, "Share the talking tips pack and model chatting during play"),
        (Owner.FAMILY, "Share a book with {child} at bedtime every night"),
        (Owner.PROFESSIONAL, "Nursery SENCo to refer to speech and language therapy"),
    ),
    "home_learning": (
        (Owner.WORKER, "Bring the play box and plan a daily routine together"),
        (Owner.FAMILY, "Join the library and take {child} to rhyme time"),
    ),
    "social_networks": (
        (Owner.WORKER, "Go with {parent} to the first stay and play session"),
        (Owner.FAMILY, "Go to one group a week"),
    ),
    "parental_mental_health": (
        (Owner.FAMILY, "Book a GP appointment to review medication"),
        (Owner.WORKER, "Self-referral to talking therapies together"),
        (Owner.PROFESSIONAL, "Perinatal practitioner to review mood"),
    ),
    "domestic_abuse": (
        (Owner.WORKER, "Complete the safety plan with {parent}"),
        (Owner.PROFESSIONAL, "IDVA to support with the non-molestation order"),
        (Owner.FAMILY, "Keep the phone charged and the safe word agreed with the neighbour"),
    ),
    "drugs_alcohol": (
        (Owner.FAMILY, "Attend the recovery service's weekly group"),
        (Owner.PROFESSIONAL, "Recovery worker to agree a reduction plan"),
    ),
    "family_functioning": (
        (Owner.WORKER, "Joint session on handling disagreements away from the children"),
        (Owner.FAMILY, "Use the bedtime routine chart every night"),
    ),
    "aces_trauma": (
        (Owner.WORKER, "Sessions on the parent's own childhood and patterns, at their pace"),
        (Owner.FAMILY, "Keep a feelings diary between visits"),
    ),
    "good_job": (
        (Owner.WORKER, "Check eligibility for help with childcare costs"),
        (Owner.PROFESSIONAL, "Work coach to look at flexible jobs and training"),
        (Owner.FAMILY, "Update the CV and apply for two jobs"),
    ),
    "housing": (
        (Owner.WORKER, "Write to the landlord about the damp with {parent}"),
        (Owner.PROFESSIONAL, "Housing options officer to assess the homelessness application"),
        (Owner.FAMILY, "Bring tenancy and income documents to the housing appointment"),
    ),
    "parental_education": (
        (Owner.WORKER, "Help enrol on the adult learning English course"),
        (Owner.FAMILY, "Go to the course taster session"),
    ),
    "health": (
        (Owner.WORKER, "Make a calendar of {child}'s hospital appointments and transport"),
        (Owner.FAMILY, "Register with a dentist"),
    ),
    "opportunities": (
        (Owner.WORKER, "Plan bus routes to the base and apply for a travel pass"),
        (Owner.FAMILY, "Try the village toddler group"),
    ),
}
STRENGTHS = (
    "Loving and warm with the children; keen to make changes.",
    "Good support from grandparents; the children are well cared for.",
    "Honest about what is hard; engages well with the health visitor.",
    "Home is clean and safe; the children are meeting most milestones.",
    "Determined to give the children a better start than they had.",
)
FAMILY_VIEWS = (
    "We want to feel less on our own and get out more.",
    "We want things calmer at home and the children to be happy.",
    "I want to feel like myself again and enjoy the baby.",
    "We need somewhere better to live before anything else.",
    "I want help to get back to work and sort the money out.",
)
CHILD_VOICES = (
    "Smiles and babbles at mum; settles quickly when held.",
    "Likes the park and the swings; says 'more' and 'mama'.",
    "Chatty and busy; loves the cars and the books we brought.",
    "Quiet at first, then showed me her dolls and her bedroom.",
    "Clingy with dad; unsettled when the visit began, then played happily.",
)
REVIEW_NOTES = {
    Progress.POSITIVE: (
        "Good progress: the family are doing what was agreed and it shows.",
        "{parent} more confident; actions mostly done. Carry on as planned.",
        "Real change since the last review; {parent} proud of it.",
    ),
    Progress.NO_CHANGE: (
        "Slow going: some actions not done. Agreed smaller steps for the next weeks.",
        "Things much the same; {parent} still keen. Plan adjusted.",
    ),
    Progress.DETERIORATION: (
        "A difficult few weeks; worries increased. Discussed in supervision and support stepped up.",
        "Setback after a change at home; more visits agreed for now.",
    ),
}
CLOSURE_SUMMARIES = {
    Closure.NEEDS_MET: (
        "Goals met: {parent} now goes to groups independently and feels confident. Ends with the health "
        "visitor and universal groups in place.",
        "The family have made and kept the changes they wanted; {parent} knows how to come back if needed.",
        "Scores improved on every goal; the family are settled and linked to community support.",
    ),
    Closure.STEPPED_UP: (
        "Worries increased despite support; referred to children's social care with consent and the case handed over.",
    ),
    Closure.STEPPED_DOWN: (
        "Needs now met by universal services: the health visitor and the weekly stay and play.",
        "Stepped down to the nursery and health visiting; family happy with the plan.",
    ),
    Closure.DECLINED: (
        "{parent} no longer wishes to work with the service; told how to self-refer in future.",
        "Several missed visits and no reply to calls or letters; closed with the referrer informed.",
    ),
    Closure.MOVED_AWAY: ("The family moved out of Norfolk; details passed on to the new area's health visitor.",),
    Closure.OTHER: ("Family now supported by a specialist service; agreed with the family to close.",),
}
# Where families stepped down to universal services go.
STEPPED_DOWN_TO = (
    "The health visitor and the weekly stay and play at the library",
    "Nursery (funded two-year-old place) and the local toddler group",
    "Library rhyme time and the parent peer support group",
    "The breastfeeding support group and the health visitor",
)
CLOSURE_WEIGHTS = {
    Closure.NEEDS_MET: 56,
    Closure.STEPPED_DOWN: 12,
    Closure.DECLINED: 10,
    Closure.MOVED_AWAY: 8,
    Closure.STEPPED_UP: 8,
    Closure.OTHER: 6,
}
# How long one-to-one plans run, in days (shortest, longest, most often): ended as planned, or early when the
# family step away or up.
PLAN_DAYS = {"planned": (42, 220, 85), "quick": (21, 120, 45)}
# The closing score's change from the start score, by reason.
CLOSING_DELTA = {
    Closure.NEEDS_MET: (2, 5),
    Closure.STEPPED_DOWN: (1, 3),
    Closure.DECLINED: (-1, 1),
    Closure.MOVED_AWAY: (0, 2),
    Closure.STEPPED_UP: (-3, -1),
    Closure.OTHER: (0, 2),
}
FOLLOW_UP_NOTES = {
    True: (
        "{parent} still going to groups and feels things are good; no new worries.",
        "Spoke to {parent} by phone: the changes have lasted and the children are thriving.",
    ),
    False: ("{parent} finding things hard again since a change at home; offered a new referral.",),
}

# Contacts ----------------------------------------------------------------------------------------------
CONTACT_MODES = {
    Mode.HOME_VISIT: 48,
    Mode.PHONE: 18,
    Mode.MESSAGE: 10,
    Mode.COMMUNITY_VENUE: 10,
    Mode.BASE: 8,
    Mode.VIDEO: 6,
}
CONTACT_MINUTES = {
    Mode.HOME_VISIT: (40, 90),
    Mode.COMMUNITY_VENUE: (30, 90),
    Mode.BASE: (30, 75),
    Mode.PHONE: (10, 30),
    Mode.VIDEO: (20, 45),
    Mode.MESSAGE: (5, 10),
}
CONTACT_NOTES = {
    Mode.HOME_VISIT: (
        "Home visit. {child} playing on the floor; talked through the plan with {parent} and what has gone well.",
        "Visit with {parent}; modelled play with the shape sorter and talked about routines.",
        "Home visit: looked at the week's routine together. {parent} tired but positive.",
        "Visit after the GP appointment; {parent} has started the new medication and feels a little brighter.",
        "Home visit: helped fill in the housing form and the childcare application.",
        "Visit: {child} showed me a new word and a drawing. {parent} proud of the progress.",
    ),
    Mode.COMMUNITY_VENUE: (
        "Met {parent} at the venue before the group and went in together; {parent} chatted with two mums.",
        "Meeting at the library: rhyme time, then a review of the plan's actions over a cup of tea.",
        "Met at the community centre's café; talked about the week and the next steps.",
    ),
    Mode.BASE: (
        "{parent} came to the base with {child}; used the sensory room and talked through the plan.",
        "Meeting at the base with the health visitor to plan the next weeks together.",
    ),
    Mode.PHONE: (
        "Phone call to check in after a difficult week; {parent} managing and glad of the call.",
        "Call to confirm the next visit and talk through the letter from the council.",
        "Phone call: {parent} has booked the appointment and is going to the group on Thursday.",
    ),
    Mode.VIDEO: ("Video call, as {parent} was unwell; talked about sleep and the bedtime routine.",),
    Mode.MESSAGE: (
        "Text to remind {parent} of the visit on Tuesday; reply received.",
        "Sent the stay and play timetable and the link to the food bank referral.",
    ),
}
FIRST_VISIT_NOTE = (
    "First home visit: met {parent} and {child}, explained the service, talked through the referral and what "
    "the family want help with. Consent and contact preferences confirmed."
)
NEXT_STEPS = (
    "Next visit in two weeks.",
    "Call on Monday to see how the appointment went.",
    "Bring the play box next time.",
    "Check the housing application has been received.",
    "",
    "",
)
CONCERNS = (
    (
        "Noticed a bruise on {child}'s upper arm; {parent} said {child} fell at the park. Discussed with the "
        "manager the same day.",
        SafeguardingAction.Action.CONSULTED_CADS,
        "Consulted CADS: advice to ask the health visitor to see {child} and to monitor. Done.",
    ),
    (
        "{parent} said the former partner has been turning up at the house and making threats.",
        SafeguardingAction.Action.POLICE,
        "Police informed with {parent}'s agreement; IDVA contacted and the safety plan updated.",
    ),
    (
        "Home very cold, little food in; {parent} tearful and says she cannot cope with the children today.",
        SafeguardingAction.Action.PLAN_UPDATED,
        "Food bank and fund application the same day; visits increased to twice weekly.",
    ),
    (
        "{parent} said they had thoughts of harming themselves last week; GP contacted with consent.",
        SafeguardingAction.Action.PLAN_UPDATED,
        "GP and perinatal team now involved; worker checking in daily this week.",
    ),
    (
        "Neighbour told the worker of shouting and a child crying late at night several times this month.",
        SafeguardingAction.Action.REFERRED_SOCIAL_CARE,
        "Referral made to children's social care; the worker continues to visit alongside the assessment.",
    ),
    (
        "{child} not seen at two visits running; {parent} says {child} was asleep.",
        SafeguardingAction.Action.NO_FURTHER_ACTION,
        "{child} seen well at nursery the next day and at a visit on Friday: no further action.",
    ),
)
OPEN_CONCERNS = 3

# Group programmes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Programme:
    name: str
    description: str
    evidence_based: bool
    sessions: int
    target_group: str
    needs: tuple[str, ...]
    minutes: int
    creche: bool
    who: str = "parent"  # parent, baby (parents of babies), expectant


PROGRAMMES = {
    "iy": Programme(
        "Incredible Years (parents of toddlers)",
        "A group for parents of toddlers: play, praise, routines and calm limits, with weekly home practice.",
        True,
        12,
        "Parents of children aged 1 to 3",
        ("family_functioning", "early_attachment", "home_learning"),
        120,
        True,
    ),
    "massage": Programme(
        "Baby massage",
        "Five weekly sessions of baby massage: bonding, soothing and reading the baby's cues.",
        False,
        5,
        "Parents and carers of babies up to 12 months",
        ("early_attachment",),
        60,
        False,
        "baby",
    ),
    "stay_play": Programme(
        "Stay and play",
        "A drop-in session of play, songs and a snack, with staff to talk to. No need to book.",
        False,
        10,
        "All families with children under 5",
        (),
        90,
        False,
    ),
    "freedom": Programme(
        "Freedom Programme (safe relationships)",
        "A programme for women who have experienced domestic abuse: the tactics of abusers, the effects on "
        "children, and safe relationships.",
        True,
        12,
        "Women who have experienced domestic abuse",
        ("domestic_abuse", "parental_mental_health"),
        120,
        True,
    ),
    "solihull": Programme(
        "Solihull Approach: Understanding your child",
        "Ten sessions on understanding children's feelings and behaviour, and the parent-child relationship.",
        True,
        10,
        "Parents and carers of children from birth to 5",
        ("early_attachment", "parental_mental_health", "family_functioning"),
        120,
        True,
    ),
    "antenatal": Programme(
        "Antenatal: Ready for baby",
        "Six sessions before the birth: labour, feeding, the first weeks, and looking after yourself.",
        False,
        6,
        "Expectant parents",
        ("early_attachment", "health"),
        90,
        False,
        "expectant",
    ),
}
# (programme, offer, when): "quarter" ends in the last complete quarter, "recent" ended since, "running" has
# sessions past and to come, "upcoming" starts in the next weeks. Each goes to the team with the most families
# to offer it to, spread over the districts.
COURSES = (
    ("iy", Offer.TARGETED_REFERRAL, "quarter"),
    ("freedom", Offer.TARGETED_REFERRAL, "quarter"),
    ("solihull", Offer.TARGETED_OPEN, "quarter"),
    ("massage", Offer.TARGETED_OPEN, "quarter"),
    ("stay_play", Offer.UNIVERSAL, "quarter"),
    ("stay_play", Offer.UNIVERSAL, "quarter"),
    ("massage", Offer.TARGETED_OPEN, "recent"),
    ("iy", Offer.TARGETED_REFERRAL, "running"),
    ("solihull", Offer.TARGETED_OPEN, "running"),
    ("antenatal", Offer.TARGETED_OPEN, "running"),
    ("stay_play", Offer.UNIVERSAL, "running"),
    ("stay_play", Offer.UNIVERSAL, "running"),
    ("stay_play", Offer.UNIVERSAL, "running"),
    ("freedom", Offer.TARGETED_REFERRAL, "upcoming"),
    ("iy", Offer.TARGETED_OPEN, "upcoming"),
)
CANCEL_REASONS = (
    "Facilitator off sick and no cover available",
    "Heating failure at the venue",
    "Venue double-booked for a funeral",
    "Snow: roads around the venue unsafe",
)

# The fund ----------------------------------------------------------------------------------------------
FUND_CATEGORIES = {
    Application.Category.FOOD: (28, 20, 80),
    Application.Category.ESSENTIALS: (22, 25, 240),
    Application.Category.ENERGY: (16, 30, 150),
    Application.Category.TRAVEL: (10, 8, 60),
    Application.Category.CLOTHING: (10, 20, 120),
    Application.Category.CHILDCARE: (5, 40, 240),
    Application.Category.HOUSING: (5, 80, 420),
    Application.Category.OTHER: (4, 15, 100),
}
FUND_JUSTIFICATIONS = {
    Application.Category.FOOD: "Food while the Universal Credit advance is sorted, so {parent} can focus on the plan.",
    Application.Category.ESSENTIALS: "A cot and bedding so {child} has a safe place to sleep.",
    Application.Category.ENERGY: "Prepayment meter top-up: the flat is cold and {child} has a chest infection.",
    Application.Category.TRAVEL: "Bus fares to the weekly group and hospital appointments.",
    Application.Category.CLOTHING: "Winter coats and shoes for the children.",
    Application.Category.CHILDCARE: "Pre-school sessions while {parent} starts the training course.",
    Application.Category.HOUSING: "Rent arrears payment agreed with the landlord to stop the eviction.",
    Application.Category.OTHER: "Replacement washing machine part: the family cannot keep up with the washing.",
}
FUND_DELIVERY = {
    Application.Category.FOOD: (Application.Delivery.VOUCHER, ""),
    Application.Category.ESSENTIALS: (Application.Delivery.SUPPLIER, "Norfolk furniture reuse project"),
    Application.Category.ENERGY: (Application.Delivery.PREPAID_CARD, ""),
    Application.Category.TRAVEL: (Application.Delivery.PREPAID_CARD, ""),
    Application.Category.CLOTHING: (Application.Delivery.VOUCHER, ""),
    Application.Category.CHILDCARE: (Application.Delivery.SUPPLIER, "{town} Pre-school"),
    Application.Category.HOUSING: (Application.Delivery.SUPPLIER, "The family's landlord (rent account)"),
    Application.Category.OTHER: (Application.Delivery.SUPPLIER, "Local appliance repair shop"),
}
# How many applications come in each month, against the year's average: more in the winter (heating, coats,
# Christmas) and the summer holidays, fewer in the spring.
FUND_SEASON = {1: 1.3, 2: 1.2, 3: 1.05, 4: 0.85, 5: 0.85, 6: 0.9, 7: 1.0, 8: 1.15, 9: 1.0, 10: 1.05, 11: 1.2, 12: 1.35}
WINTER_MONTHS = (11, 12, 1, 2, 3)
# What is asked for more in some months: (months, how many times as often).
FUND_CATEGORY_SEASONS = {
    Application.Category.ENERGY: (WINTER_MONTHS, 2.2),
    Application.Category.CLOTHING: ((9, 10, 11, 12, 1), 1.6),
    Application.Category.FOOD: ((7, 8, 12), 1.4),
}
FUND_SUMMER_JUSTIFICATIONS = {
    Application.Category.ENERGY: "Prepayment meter top-up: the family ran out of credit and cannot cook or wash.",
    Application.Category.CLOTHING: "Shoes and clothes for the children, who have outgrown theirs.",
}
LARGE_ITEM = (
    Application.Delivery.SUPPLIER,
    "Norfolk furniture reuse project",
    "A cooker and fridge for the new flat: the family moved from temporary accommodation with nothing.",
)
DECLINE_REASONS = (
    "Other help is available first: the household support fund through the district council.",
    "This is covered by the family's benefits; worker to help with a budgeting plan instead.",
    "Not linked to the plan's goals: please say how this helps the family towards them.",
)
SECOND_DECLINE_REASONS = (
    "The second approver did not agree: the family have had help from the fund several times this year. Worker to "
    "make a budgeting plan with them and apply to the district council's household support fund.",
    "The second approver did not agree: a cheaper second-hand item is available through the reuse project.",
)
CANCEL_NOTES = (
    "The family found the item second-hand through a neighbour.",
    "Charity grant came through first; no longer needed.",
)
PAYMENT_PREFIX = {
    Application.Delivery.VOUCHER: "VCH",
    Application.Delivery.SUPPLIER: "INV",
    Application.Delivery.PREPAID_CARD: "PPC",
    Application.Delivery.OTHER: "PAY",
}


# Planning ----------------------------------------------------------------------------------------------


@dataclass
class Story:
    """One family's support, planned up front, then played through the services in time order."""

    family: Family
    team: Team
    manager: object
    contacted: datetime
    leads: list[tuple[object, datetime, datetime | None]]
    needs: list[str]
    parents: list[Person]
    children: list[Person]
    unborn: list[Person]
    professionals: list[Professional]
    kind: str = SupportPlan.Kind.ONE_TO_ONE
    course: "CourseSpec | None" = None
    goals: list[str] = field(default_factory=list)
    plan: SupportPlan | None = None
    assessment: object = None
    plan_created: datetime | None = None
    activated: datetime | None = None
    closure_requested: datetime | None = None
    closed: datetime | None = None  # the plan (and so the family) closed
    closure_reason: str = ""
    interval: int = 8
    start_scores: dict = field(default_factory=dict)
    deltas: dict = field(default_factory=dict)
    goal_rows: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)

    @property
    def parent(self) -> Person | None:
        return self.parents[0] if self.parents else None

    @property
    def names(self) -> dict:
        child = self.children[-1].first_name if self.children else "the baby"
        return {"parent": self.parent.first_name if self.parent else "the parent", "child": child}

    def lead_at(self, moment: datetime):
        for worker, started, ended in self.leads:
            if started <= moment and (ended is None or moment < ended):
                return worker
        return self.leads[-1][0] if moment >= self.leads[-1][1] else self.leads[0][0]

    @property
    def current_lead(self):
        return self.leads[-1][0]

    def open_at(self, moment: datetime) -> bool:
        return moment > self.contacted and (self.closed is None or moment < self.closed)

    def active_window(self, horizon: datetime) -> tuple[datetime, datetime] | None:
        if self.activated is None:
            return None
        return self.activated, self.closure_requested or horizon


@dataclass
class CourseSpec:
    programme: Programme
    key: str
    offer: str
    team: Team
    venue: Venue
    actor: object
    start: date
    start_time: time
    capacity: int
    created: datetime
    programme_row: GroupProgramme | None = None
    course: GroupCourse | None = None
    enrolments: list[dict] = field(default_factory=list)
    cancelled: dict = field(default_factory=dict)

    def session_start(self, number: int) -> datetime:
        return timezone.make_aware(datetime.combine(self.start + timedelta(weeks=number - 1), self.start_time))

    @property
    def last_session(self) -> datetime:
        return self.session_start(self.programme.sessions)


class _Seeder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()
        self.horizon = self.now - timedelta(minutes=10)
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.determinants = {d.code: d for d in Determinant.objects.all()}
        self.admin = get_user_model().objects.filter(email=f"admin@{DEMO_EMAIL_DOMAIN}").first()
        if self.admin is None:
            raise ApplicationError("Create the demo staff first: there is no demo admin.")
        self.teams = {
            team.base_id: team
            for team in Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").select_related(
                "base__district", "base__venue", "manager"
            )
        }
        self.workers = {
            team.pk: list(
                get_user_model()
                .objects.filter(staff_profile__team=team, groups__name=group_name(Role.WORKER), is_active=True)
                .order_by("email")
            )
            for team in self.teams.values()
        }
        self.venues = defaultdict(list)
        for venue in Venue.objects.filter(
            role=Venue.Role.DELIVERY_VENUE, has_building=True, status=Venue.Status.ACTIVE
        ).order_by("name"):
            self.venues[venue.district_id].append(venue)
        self.stories = self._stories()
        self.contacts: list[dict] = []
        self.courses: list[CourseSpec] = []
        self.payment_numbers = iter(range(104_201, 1_000_000))
        self.reasons_used: Counter = Counter()
        self.waiting: Counter = Counter()  # plans left waiting on someone lately, so every state is there any day

    # Time ----------------------------------------------------------------------------------------------

    def _moment(self, day: date, earliest: int = 9 * 60, latest: int = 17 * 60) -> datetime:
        while not is_working_day(day):
            day += timedelta(days=1)
        minutes = self.rng.randint(earliest, latest)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def _later(self, earlier: datetime, days: int = 0, working: bool = True) -> datetime:
        """A moment in office hours ``days`` (working) days after ``earlier``, always after it (maybe future)."""
        day = timezone.localtime(earlier).date()
        day = add_working_days(day, days) if working and days else day + timedelta(days=days)
        moment = self._moment(day)
        if moment <= earlier:
            moment = earlier + timedelta(minutes=self.rng.randint(10, 90))
        return moment

    def _soon(self, earlier: datetime) -> datetime:
        return earlier + timedelta(minutes=self.rng.randint(5, 40))

    def _past(self, moment: datetime | None) -> bool:
        return moment is not None and moment < self.horizon

    def _between(self, start: datetime, end: datetime) -> datetime:
        """A moment in office hours on a working day between ``start`` and ``end`` (or just after ``start``)."""
        span = max(0, (timezone.localtime(end).date() - timezone.localtime(start).date()).days)
        for _ in range(6):
            moment = self._moment(timezone.localtime(start).date() + timedelta(days=self.rng.randint(0, span)))
            if start < moment < end:
                return moment
        return start + (end - start) * self.rng.uniform(0.2, 0.8)

    def _at(self, moment: datetime, action: Callable, *args, **kwargs) -> datetime:
        assert moment < self.now, f"a demo step must be in the past: {moment}"
        self.steps.append((moment, len(self.steps), lambda: action(*args, **kwargs)))
        return moment

    # Families ------------------------------------------------------------------------------------------

    def _stories(self) -> list[Story]:
        referrals = (
            _demo_referrals()
            .filter(status=Referral.Status.ALLOCATED, first_contact_at__isnull=False)
            .select_related("family__base", "family__district")
            .prefetch_related("reasons")
            .order_by("family__reference", "received_at")
        )
        by_family: dict[int, Referral] = {}
        for referral in referrals:
            by_family[referral.family_id] = referral  # the latest allocated referral
        leads = defaultdict(list)
        for allocation in (
            Allocation.objects.filter(family_id__in=by_family, role=Allocation.Role.LEAD)
            .select_related("worker")
            .order_by("started_at")
        ):
            leads[allocation.family_id].append((allocation.worker, allocation.started_at, allocation.ended_at))
        members = defaultdict(list)
        for person in Person.objects.filter(family_id__in=by_family).order_by("pk"):
            members[person.family_id].append(person)
        professionals = defaultdict(list)
        for professional in Professional.objects.filter(family_id__in=by_family).order_by("pk"):
            professionals[professional.family_id].append(professional)
        stories = []
        for family_id, referral in by_family.items():
            family = referral.family
            team = self.teams.get(family.base_id)
            if team is None or not leads[family_id]:
                continue
            people = members[family_id]
            stories.append(
                Story(
                    family=family,
                    team=team,
                    manager=team.manager,
                    contacted=referral.first_contact_at,
                    leads=leads[family_id],
                    needs=[d.code for d in sorted(referral.reasons.all(), key=lambda d: d.position)],
                    parents=[p for p in people if p.kind == Person.Kind.PARENT_CARER],
                    children=sorted(
                        (p for p in people if p.kind == Person.Kind.CHILD), key=lambda p: p.date_of_birth, reverse=True
                    ),
                    unborn=[p for p in people if p.kind == Person.Kind.UNBORN],
                    professionals=professionals[family_id],
                )
            )
        if not stories:
            raise ApplicationError("Create the demo families first: no demo family has had its first contact.")
        return sorted(stories, key=lambda s: s.family.reference)

    def _text(self, options, story: Story) -> str:
        text = self.rng.choice(options) if isinstance(options, tuple) else options
        return text.format(**story.names, town=story.family.town)

    # Budgets -------------------------------------------------------------------------------------------

    def plan_budgets(self) -> None:
        """This financial year's budgets and the last's, and any year before that the families' support began in."""
        this_year = fund_services.financial_year_of(self.today)
        first_contact = min(timezone.localdate(story.contacted) for story in self.stories)
        first_year = min(this_year - 1, fund_services.financial_year_of(first_contact))
        for source_name, last_year_amount, this_year_amount in FUND_BUDGETS:
            source = FundSource.objects.get(name=source_name)
            for year in range(first_year, this_year + 1):
                amount = this_year_amount if year == this_year else last_year_amount
                day = date(year, 3, 31)  # set up before the year starts, so every approval in it finds them
                while not is_working_day(day):
                    day -= timedelta(days=1)
                moment = min(self._moment(day, 16 * 60, 17 * 60), self.horizon - timedelta(hours=1))
                self._at(
                    moment,
                    fund_services.budget_create,
                    financial_year=year,
                    source=source,
                    amount=Decimal(amount),
                    actor=self.admin,
                    reason=DEMO_ALLOCATION,
                )

    # Courses -------------------------------------------------------------------------------------------

    def _course_team(self, programme: Programme, first: datetime, courses: Counter, districts: Counter) -> Team:
        """The team with the most families the course could take, spread over teams and districts."""

        def score(team: Team) -> tuple:
            eligible = sum(
                1
                for s in self.stories
                if s.team == team and s.contacted < first - timedelta(days=21) and self._fits(programme, s, first)
            )
            return (eligible - 4 * districts[team.base.district_id] - 6 * courses[team.pk], team.name)

        teams = [team for team in self.teams.values() if self.workers.get(team.pk)]
        return max(teams, key=score)

    def plan_courses(self) -> None:
        rng = self.rng
        courses, districts = Counter(), Counter()
        quarter = last_complete(QUARTERLY, self.today)
        this_quarter = period_containing(QUARTERLY, self.today)
        programmes = {}
        for key, p in PROGRAMMES.items():
            programmes[key], _ = GroupProgramme.objects.get_or_create(
                name=p.name,
                defaults={
                    "description": p.description,
                    "evidence_based": p.evidence_based,
                    "sessions_count": p.sessions,
                    "target_group": p.target_group,
                },
            )
        for n, (key, offer, when) in enumerate(COURSES):
            programme = PROGRAMMES[key]
            weeks = programmes[key].sessions_count - 1
            if when == "quarter":
                last = quarter.end - timedelta(days=rng.randint(2, 12))
                start = last - timedelta(weeks=weeks)
            elif when == "recent":
                last = self.today - timedelta(days=rng.randint(5, max(6, (self.today - this_quarter.start).days)))
                start = last - timedelta(weeks=weeks)
            elif when == "running":
                start = self.today - timedelta(weeks=rng.randint(2, max(2, weeks - 1)), days=rng.randint(0, 4))
            else:
                start = self.today + timedelta(days=rng.randint(6, 24))
            while start.weekday() > 3:  # Monday to Thursday
                start += timedelta(days=1)
            first = timezone.make_aware(datetime.combine(start, time(9, 30)))
            team = self._course_team(programme, first, courses, districts)
            courses[team.pk] += 1
            districts[team.base.district_id] += 1
            base_venue = getattr(team.base, "venue", None)
            outreach = self.venues.get(team.base.district_id, [])
            use_base = base_venue is not None and (not outreach or (offer != Offer.UNIVERSAL and n % 3 == 0))
            venue = base_venue if use_base else outreach[n % len(outreach)]
            workers = self.workers[team.pk]
            spec = CourseSpec(
                programme=programme,
                key=key,
                offer=offer,
                team=team,
                venue=venue,
                actor=workers[n % len(workers)],
                start=start,
                start_time=rng.choice((time(9, 30), time(10, 0), time(13, 0), time(13, 30))),
                capacity=rng.choice((10, 12, 12, 14)) if offer != Offer.UNIVERSAL else 25,
                created=min(
                    self._moment(start - timedelta(days=rng.randint(21, 40))), self.horizon - timedelta(hours=2)
                ),
            )
            spec.programme_row = programmes[key]
            self.courses.append(spec)
            self._at(spec.created, self._do_course_create, spec)

    def _do_course_create(self, spec: CourseSpec) -> None:
        spec.course = venue_services.course_create(
            actor=spec.actor,
            programme=spec.programme_row,
            venue=spec.venue,
            team=spec.team,
            offer_type=spec.offer,
            start_date=spec.start,
            start_time=spec.start_time,
            duration_minutes=spec.programme.minutes,
            capacity=spec.capacity,
            creche=spec.programme.creche,
            facilitators=[spec.actor],
        )

    def choose_group_families(self) -> None:
        """Families on courses by referral have a group plan, drafted a few weeks before the course starts."""
        for spec in self.courses:
            if spec.offer != Offer.TARGETED_REFERRAL:
                continue
            first = spec.session_start(1)
            eligible = [
                s
                for s in self.stories
                if s.team == spec.team and s.course is None and s.contacted < first - timedelta(days=21)
            ]
            # The most recently contacted first: the longest-known families have had one-to-one plans.
            self.rng.shuffle(eligible)
            eligible.sort(
                key=lambda s: (spec.key == "freedom" and "domestic_abuse" not in s.needs, -s.contacted.timestamp())
            )
            for story in eligible[: self.rng.randint(5, 8)]:
                story.kind, story.course = SupportPlan.Kind.GROUP, spec

    # Plans ---------------------------------------------------------------------------------------------

    def _goals(self, story: Story) -> list[str]:
        rng = self.rng
        needs = [code for code in story.needs if code in GOALS] or ["social_networks"]
        if story.course is not None:
            fitting = [code for code in story.course.programme.needs if code in needs]
            goals = fitting or [story.course.programme.needs[0]]
            extra = [code for code in needs if code not in goals]
            if extra and len(goals) < 2 and rng.random() < 0.5:
                goals.append(extra[0])
            return goals
        goals = needs[:3]
        if len(goals) == 1 and rng.random() < 0.4:
            goals.append(
                rng.choice(
                    [c for c in ("social_networks", "home_learning", "parental_mental_health") if c not in goals]
                )
            )
        return goals

    def _scores_at(self, story: Story, fraction: float, *, noise: bool = True) -> dict:
        scores = {}
        for code in story.goals:
            value = story.start_scores[code] + round(story.deltas[code] * fraction)
            if noise and self.rng.random() < 0.2:
                value += self.rng.choice((-1, 1))
            scores[self.determinants[code]] = max(1, min(10, value))
        return scores

    def plan_family(self, story: Story) -> None:
        self._plan_support(story)
        self._plan_contacts(story)  # after the plan: a closed family is no longer visited

    def _plan_support(self, story: Story) -> None:
        """The assessment, then the plan as far as it has got: draft, awaiting approval, active, closing, closed."""
        rng = self.rng
        c = story.contacted
        age = (self.now - c).days
        started = self._soon(c) if rng.random() < 0.5 else self._later(c, rng.randint(1, 3))
        if not self._past(started):
            return
        story.goals = self._goals(story)
        self._at(started, self._do_assessment_start, story)
        if age < 9:
            return
        if story.course is not None:
            latest = story.course.session_start(1) - timedelta(days=12)
            done = self._between(started, min(latest, self._later(started, 8)))
        else:
            done = self._later(started, rng.randint(4, 14))
        if not self._past(done + timedelta(days=1)):
            return  # the assessment is still being done
        self._at(done, self._do_assessment_complete, story)
        created = self._later(done, rng.choice((0, 0, 1, 2)))
        if story.course is not None:
            created = max(min(created, story.course.session_start(1) - timedelta(days=10)), self._soon(done))
        if not self._past(created):
            return
        story.plan_created = created
        last = self._at(created, self._do_plan_create, story)
        for n in range(rng.randint(2, 4)):
            last = self._at(self._soon(last), self._do_action_add, story, n)
        for code in story.goals:
            story.start_scores[code] = rng.choices((1, 2, 3, 4, 5, 6), weights=(4, 14, 26, 28, 18, 10))[0]
        trajectory = rng.choices(("improving", "flat", "worse"), weights=(70, 18, 12))[0]
        low, high = {"improving": (1, 5), "flat": (0, 0), "worse": (-2, -1)}[trajectory]
        for code in story.goals:
            story.deltas[code] = rng.randint(low, high)
        lately = created > self.now - timedelta(days=30)
        first = lately and story.course is None and not self.waiting["draft"]  # a draft whatever the day
        draft_only = (self.now - created).days < 4 or first or (age < 40 and rng.random() < 0.3)
        self.waiting["draft"] += draft_only
        if draft_only and rng.random() < 0.5:
            return  # a draft without its start scores yet
        scored = max(self._later(created, rng.choice((0, 1))), self._soon(last))
        if not self._past(scored):
            return
        self._at(scored, self._do_start_scores, story)
        if draft_only:
            return
        submitted = self._soon(scored)
        self._at(submitted, self._do_submit, story)
        approved = self._later(submitted, rng.choice((1, 1, 2, 3, 4)))
        if story.course is not None:
            approved = min(approved, self._soon(submitted) + timedelta(days=2))
        lately = submitted > self.now - timedelta(days=45)
        first = lately and story.course is None and not self.waiting["activation"]  # one waiting whatever the day
        waits = not self._past(approved) or first or (age < 35 and rng.random() < 0.35)
        self.waiting["activation"] += waits
        if waits:
            return  # awaiting approval to start
        story.activated = approved
        self._at(approved, self._do_approve, story)
        self._plan_actions_done(story)
        self._plan_closure(story)
        self._plan_reviews(story)
        self._plan_parent_progress(story)

    def _plan_closure(self, story: Story) -> None:
        rng = self.rng
        active_days = (self.now - story.activated).days
        if story.course is not None:
            earliest = story.course.last_session + timedelta(days=rng.randint(7, 21))
            reason = Closure.NEEDS_MET if rng.random() < 0.7 else Closure.STEPPED_DOWN
            if rng.random() < 0.1:
                reason = Closure.DECLINED
        else:
            if active_days < 30:
                return
            # How long this plan runs, whenever it started: most three or four months, a few most of a year;
            # ended early when the family step away or up. Plans that have not run that long yet are active.
            reason = self._closure_reason(story)
            quick = reason in (Closure.DECLINED, Closure.MOVED_AWAY, Closure.STEPPED_UP, Closure.OTHER)
            days = round(rng.triangular(*PLAN_DAYS["quick" if quick else "planned"]))
            if days > active_days - 3:
                return
            earliest = story.activated + timedelta(days=days)
        requested = self._moment(timezone.localtime(earliest).date())
        if not self._past(requested):
            return
        story.closure_requested = requested
        story.closure_reason = reason
        approved = self._later(requested, rng.choice((0, 1, 1, 2, 3, 5)))
        lately = requested > self.now - timedelta(days=30)
        first = requested > self.now - timedelta(days=45) and not self.waiting["closure"]  # one whatever the day
        waits = not self._past(approved) or first or (lately and rng.random() < 0.3)
        self.waiting["closure"] += waits
        if waits:
            self._at(requested, self._do_request_closure, story)  # awaiting approval to close
            return
        story.closed = approved
        self.reasons_used[reason] += 1
        self._at(requested, self._do_request_closure, story)
        self._at(approved, self._do_approve_closure, story)
        if reason == Closure.NEEDS_MET:
            due = timezone.localtime(approved).date() + relativedelta(months=FollowUp.MONTHS_AFTER_CLOSURE)
            if due - timedelta(days=27) <= self.today and rng.random() < 0.85:
                moment = self._moment(
                    max(due - timedelta(days=rng.randint(0, 25)), timezone.localtime(approved).date())
                )
                if not self._past(moment):
                    moment = self._soon(self.now - timedelta(days=1))
                self._at(moment, self._do_follow_up, story, rng.random() < 0.8)

    def _closure_reason(self, story: Story) -> str:
        """A reason not yet used for a closed plan first (so every reason appears), then by weight."""
        missing = [r for r in CLOSURE_WEIGHTS if not self.reasons_used[r]]
        if missing and self.rng.random() < 0.6:
            return missing[0]
        return self.rng.choices(list(CLOSURE_WEIGHTS), list(CLOSURE_WEIGHTS.values()))[0]

    def _plan_reviews(self, story: Story) -> None:
        rng = self.rng
        interval = story.interval
        end = story.closure_requested or self.horizon
        overdue = story.closure_requested is None and rng.random() < 0.22
        previous = dict(story.start_scores)
        span = max(1.0, ((story.closure_requested or self.now) - story.activated).days)
        last = story.activated
        for k in range(1, 6):  # the reviews due while the plan ran, up to five
            due = timezone.localtime(story.activated).date() + timedelta(weeks=interval * k)
            if overdue and due >= self.today - timedelta(days=40):
                break
            moment = self._moment(due - timedelta(days=rng.randint(0, 6)))
            if moment <= last:
                moment = self._soon(last)
            if moment >= end - timedelta(hours=2) or not self._past(moment):
                break
            scores = self._scores_at(story, ((moment - story.activated).days / span) ** 0.8)
            progress = {}
            for code in story.goals:
                new, old = scores[self.determinants[code]], previous[code]
                progress[code] = (
                    Progress.POSITIVE if new > old else Progress.NO_CHANGE if new == old else Progress.DETERIORATION
                )
                previous[code] = new
            overall = Counter(progress.values()).most_common(1)[0][0]
            notes = self._text(REVIEW_NOTES[overall], story)
            last = self._at(moment, self._do_review, story, timezone.localtime(moment).date(), progress, scores, notes)

    def _plan_actions_done(self, story: Story) -> None:
        for n in range(4):
            due = timezone.localtime(story.plan_created).date() + timedelta(weeks=2 + 2 * n)
            if self.rng.random() < 0.7 and due < self.today:
                moment = self._moment(due - timedelta(days=self.rng.randint(0, 5)))
                if story.activated < moment and self._past(moment):
                    self._at(moment, self._do_action_done, story, n)

    def _plan_parent_progress(self, story: Story) -> None:
        window = story.active_window(self.horizon)
        if window is None or story.parent is None:
            return
        kinds = {"good_job": ParentProgress.Kind.WORK, "parental_education": ParentProgress.Kind.EDUCATION}
        kind = next((kinds[code] for code in story.goals if code in kinds), None)
        if kind is None:
            if self.rng.random() >= 0.1:
                return
            kind = self.rng.choice((ParentProgress.Kind.VOLUNTEERING, ParentProgress.Kind.TRAINING))
        elif self.rng.random() >= 0.6:
            return
        start, end = window
        if (end - start).days < 30:
            return
        moment = self._between(start + timedelta(days=21), end)
        self._at(moment, self._do_parent_progress, story, kind)

    # Contacts ------------------------------------------------------------------------------------------

    def _plan_contacts(self, story: Story) -> None:
        rng = self.rng
        end = min(story.closed or self.horizon, self.horizon)
        days = (end - story.contacted).days
        first = story.contacted + timedelta(minutes=rng.randint(1, 20))
        moments = [first] if first < end else []
        wanted = max(1, min(9, 2 + days // 18 + rng.randint(-1, 2)))
        for _ in range(wanted - 1):
            if days < 3:
                break
            moment = self._between(story.contacted + timedelta(days=2), end)
            if story.contacted < moment < end:
                moments.append(moment)
        for n, moment in enumerate(sorted(moments)):
            mode = Mode.HOME_VISIT if n == 0 else rng.choices(list(CONTACT_MODES), list(CONTACT_MODES.values()))[0]
            venue = None
            if mode == Mode.COMMUNITY_VENUE:
                venue = self._pick(self.venues.get(story.family.district_id, []))
                if venue is None:
                    mode = Mode.BASE
            if mode == Mode.BASE:
                venue = getattr(story.family.base, "venue", None)
                if venue is None:
                    mode = Mode.PHONE
            notes = FIRST_VISIT_NOTE if n == 0 else rng.choice(CONTACT_NOTES[mode])
            self.contacts.append(
                {
                    "story": story,
                    "moment": moment,
                    "mode": mode,
                    "venue": venue,
                    "minutes": rng.randint(*CONTACT_MINUTES[mode]) // 5 * 5 or 5,
                    "notes": notes.format(**story.names),
                    "next_steps": rng.choice(NEXT_STEPS),
                    "seen": {child.pk: rng.random() < 0.88 for child in story.children},
                    "concern": None,
                    "first": n == 0,
                }
            )

    def _pick(self, items):
        return self.rng.choice(items) if items else None

    def plan_safeguarding(self) -> None:
        rng = self.rng
        candidates = [c for c in self.contacts if not c["first"] and c["mode"] != Mode.MESSAGE]
        recent = sorted(
            (c for c in candidates if c["moment"] > self.now - timedelta(days=14)), key=lambda c: c["moment"]
        )
        older = [c for c in candidates if c["moment"] < self.now - timedelta(days=21)]
        actioned = rng.sample(older, min(len(older), 10))
        still_open = rng.sample(recent, min(len(recent), OPEN_CONCERNS)) if recent else []
        actioned_ids = {id(contact) for contact in actioned}
        for n, contact in enumerate(actioned + still_open):
            concern = CONCERNS[n % len(CONCERNS)]
            contact["concern"] = concern
            contact["notes"] = concern[0].format(**contact["story"].names)
            contact["next_steps"] = "Manager informed the same day."
            contact["action_at"] = None
            if id(contact) in actioned_ids:
                moment = self._later(contact["moment"], rng.choice((0, 0, 1, 2)))
                if self._past(moment):
                    contact["action_at"] = moment
        for contact in self.contacts:
            self._at(contact["moment"], self._do_contact, contact)
            if contact["concern"] and contact["action_at"]:
                self._at(contact["action_at"], self._do_safeguarding_action, contact)

    # Enrolments, registers and measures --------------------------------------------------------------

    def plan_course_work(self) -> None:
        rng = self.rng
        for spec in self.courses:
            first = spec.session_start(1)
            enrol_by = first - timedelta(days=1)
            if spec.offer == Offer.TARGETED_REFERRAL:
                families = [
                    s for s in self.stories if s.course is spec and s.plan_created and s.plan_created < enrol_by
                ]
            elif spec.offer == Offer.TARGETED_OPEN:
                families = [
                    s
                    for s in self.stories
                    if s.team == spec.team
                    and s.course is None
                    and s.parent is not None
                    and s.contacted < first - timedelta(days=7)
                    and (s.closed is None or s.closed > first + timedelta(weeks=2))
                ]
                rng.shuffle(families)
                families.sort(key=lambda s: not self._fits(spec.programme, s, first))
                fitting = sum(1 for s in families if self._fits(spec.programme, s, first))
                families = families[: max(fitting, rng.randint(5, spec.capacity - 2))]
            else:
                families = []
            for story in families:
                if story.parent is None:
                    continue
                low = max(story.contacted, story.plan_created or story.contacted) + timedelta(hours=1)
                moment = self._between(max(low, first - timedelta(days=12)), enrol_by)
                if not (low <= moment < enrol_by) or not self._past(moment) or not story.open_at(moment):
                    continue
                enrolment = {"story": story, "person": story.parent, "moment": moment, "keen": rng.uniform(0.55, 0.97)}
                spec.enrolments.append(enrolment)
                self._at(moment, self._do_enrol, spec, enrolment)
            self._plan_sessions(spec)

    @staticmethod
    def _fits(programme: Programme, story: Story, first: datetime) -> bool:
        day = timezone.localtime(first).date()
        if programme.who == "baby":
            return any(21 <= (day - child.date_of_birth).days <= 365 for child in story.children)
        if programme.who == "expectant":
            return bool(story.unborn) or any(0 <= (day - child.date_of_birth).days <= 30 for child in story.children)
        return True

    def _plan_sessions(self, spec: CourseSpec) -> None:
        rng = self.rng
        sessions = spec.programme.sessions
        past = [n for n in range(2, sessions + 1) if spec.session_start(n) < self.now - timedelta(days=1)]
        cancel = rng.choice(past or range(2, sessions + 1)) if rng.random() < 0.55 else None
        withdraw = (
            min(spec.enrolments, key=lambda e: e["keen"])
            if spec.enrolments and sessions >= 10 and rng.random() < 0.5
            else None
        )
        attended = Counter()
        held = []
        for number in range(1, sessions + 1):
            starts = spec.session_start(number)
            if number == cancel:
                day = timezone.localtime(starts).date() - timedelta(days=rng.randint(1, 3))
                moment = min(self._moment(day), self.horizon - timedelta(hours=rng.randint(2, 48)))
                if spec.created < moment < starts:  # called off the day before, or days ahead for one to come
                    spec.cancelled[number] = rng.choice(CANCEL_REASONS)
                    self._at(moment, self._do_cancel, spec, number)
                    continue
            taken = starts + timedelta(minutes=spec.programme.minutes + rng.randint(5, 90))
            if not self._past(taken):
                continue
            held.append(number)
            came = []
            for enrolment in spec.enrolments:
                if enrolment.get("left") or enrolment["moment"] >= starts:
                    continue
                if rng.random() < enrolment["keen"]:
                    came.append(enrolment)
                    attended[id(enrolment)] += 1
            walk_ins = {}
            if spec.offer == Offer.UNIVERSAL:
                adults = rng.randint(4, 14)
                named = [s for s in self.stories if s.current_lead == spec.actor and s.open_at(starts)]
                named = rng.sample(named, min(len(named), rng.choice((0, 1, 1, 2))))
                walk_ins = {
                    "walk_in_adults": max(adults, len(named)),
                    "walk_in_children": adults + rng.randint(0, 6),
                    "walk_in_families": named,
                }
            self._at(taken, self._do_register, spec, number, came, walk_ins)
            if number == 1 and spec.offer != Offer.UNIVERSAL:
                for enrolment in spec.enrolments:
                    if enrolment["moment"] < starts and rng.random() < 0.92:
                        pre = (rng.randint(2, 6), rng.randint(2, 6))
                        enrolment["pre"] = pre
                        self._at(self._soon(taken), self._do_measure, spec, enrolment, "pre", pre)
            if withdraw is not None and number == 3:
                left = self._soon(taken) + timedelta(days=2)
                if self._past(left):
                    withdraw["left"] = True
                    self._at(left, self._do_withdraw, spec, withdraw)
        finished = self._past(spec.last_session + timedelta(minutes=spec.programme.minutes + 100))
        if spec.offer == Offer.UNIVERSAL or not held or not finished:
            return
        last_taken = spec.session_start(held[-1]) + timedelta(minutes=spec.programme.minutes + 95)
        if not self._past(last_taken):
            return
        for enrolment in spec.enrolments:
            if enrolment.get("left") or "pre" not in enrolment or attended[id(enrolment)] < len(held) * 2 / 3:
                continue
            confidence, wellbeing = enrolment["pre"]
            gain = rng.choices((-1, 0, 1, 2, 3, 4), weights=(5, 12, 25, 30, 20, 8))
            post = (min(10, confidence + gain[0]), min(10, max(1, wellbeing + rng.choice((-1, 0, 1, 1, 2, 3)))))
            self._at(last_taken, self._do_measure, spec, enrolment, "post", post)

    # The fund ------------------------------------------------------------------------------------------

    def plan_fund(self) -> None:
        """A year and more of applications, made while each family's plan is active, decided in time order.

        Drawn first for every family (more in the winter), then decided in the order the managers decide
        them, so that the limits the service applies at a decision (one payment; a family's money in the last
        12 months) are known here as they will be there: over a limit, another team manager in the district
        approves too a few days later, or has not yet for the last weeks' applications.
        """
        rng = self.rng
        limits = FundLimits.objects.first() or FundLimits()  # the defaults until an admin sets them
        apps = []
        for story in self.stories:
            window = story.active_window(self.horizon)
            if window is None:
                continue
            start, end = window
            days = (end - start).days - 2
            if days < 3:
                continue
            day = timezone.localtime(start).date() + timedelta(days=1)
            expected = sum(FUND_SEASON[(day + timedelta(days=d)).month] for d in range(days)) / 58
            n = min(5, int(expected + rng.random()))
            # Spread over the plan, one in each n-th of it: a family seldom asks twice in a week.
            first, span = start + timedelta(days=1), end - start - timedelta(days=1, hours=6)
            moments = [self._fund_moment(first + span * i / n, first + span * (i + 1) / n) for i in range(n)]
            apps += [self._fund_application(story, m) for m in moments if start < m < end and self._past(m)]

        apps.sort(key=lambda a: a["moment"])
        last, before_last = (apps[-1], apps[-2]) if len(apps) > 1 else (None, None)
        decided = []
        for app in apps:
            if (self.now - app["moment"]).days <= 8 or (
                (app is last or app is before_last) and app["moment"] > self.now - timedelta(days=30)
            ):
                # Not decided yet: the latest a draft, the one before awaiting a decision, others either.
                draft = app is last or (app is not before_last and rng.random() < 0.3)
                self._at(app["moment"], self._do_apply, app, not draft)
                continue
            self._at(app["moment"], self._do_apply, app, True)
            app["decided"] = self._later(app["moment"], rng.choice((0, 1, 1, 2, 3)))
            app["roll"] = rng.random()
            if self._past(app["decided"]):
                decided.append(app)
        decided.sort(key=lambda a: a["decided"])
        self._large_item_lately(decided, limits)

        held = defaultdict(list)  # by family: the approved applications, holding money from approval to any cancelling
        awaiting = unpaid = 0
        payments = []
        for app in decided:
            story, roll, moment = app["story"], app["roll"], app["decided"]
            spent = sum(
                (
                    a["amount"]
                    for a in held[story.family.pk]
                    if moment - timedelta(days=365) <= a["held_from"] <= moment
                    and (a["held_until"] is None or a["held_until"] > moment)
                ),
                Decimal("0.00"),
            )
            amount = app["amount"]
            over = amount > limits.max_per_payment or spent + amount > limits.max_per_family_12_months
            if roll < 0.06 or (over and roll < 0.12):
                self._at(moment, self._do_decline, app, rng.choice(DECLINE_REASONS))
                continue
            self._at(moment, self._do_approve_fund, app)
            approved = moment
            if over:  # a second approval, by another team manager in the family's district
                second = self._later(moment, rng.choice((1, 1, 2, 3, 5, 8)))
                seconder = self._seconder(story)
                lately = moment > self.now - timedelta(days=21)
                if seconder is None or not self._past(second) or (lately and (not awaiting or rng.random() < 0.4)):
                    awaiting += 1
                    continue
                if rng.random() < 0.12:  # the second manager said no; the family's manager records it
                    self._at(second, self._do_decline, app, rng.choice(SECOND_DECLINE_REASONS))
                    continue
                approved = self._at(second, self._do_approve_fund, app, seconder)
            app["held_from"], app["held_until"] = approved, None
            held[story.family.pk].append(app)
            if roll < 0.15:
                cancelled = self._later(approved, rng.randint(1, 5))
                if self._past(cancelled):
                    app["held_until"] = cancelled
                    self._at(cancelled, self._do_cancel_fund, app, rng.choice(CANCEL_NOTES))
                continue
            paid = self._later(approved, rng.randint(1, 8))
            if self._past(paid) and not ((self.now - approved).days <= 21 and (not unpaid or roll < 0.55)):
                payments.append((approved, paid, app))
            else:
                unpaid += 1
        if not unpaid and payments:
            # Every state whatever the day: when no recent approval happened to be left unpaid, the latest waits.
            payments.remove(max(payments, key=lambda payment: payment[0]))
        for _, paid, app in payments:
            self._at(paid, self._do_pay, app)

    def _fund_moment(self, start: datetime, end: datetime) -> datetime:
        """A moment between ``start`` and ``end``, more likely in the busier months."""
        busiest = max(FUND_SEASON.values())
        for _ in range(8):
            moment = self._between(start, end)
            if self.rng.random() * busiest < FUND_SEASON[timezone.localtime(moment).month]:
                return moment
        return moment

    def _fund_application(self, story: Story, moment: datetime) -> dict:
        rng = self.rng
        month = timezone.localtime(moment).month
        categories = list(FUND_CATEGORIES)
        weights = []
        for category in categories:
            months, factor = FUND_CATEGORY_SEASONS.get(category, ((), 1))
            weights.append(FUND_CATEGORIES[category][0] * (factor if month in months else 1))
        category = rng.choices(categories, weights)[0]
        _, low, high = FUND_CATEGORIES[category]
        amount = Decimal(rng.randint(low, high) // 5 * 5 or 5)
        if rng.random() < 0.3:
            # Whole pounds or 50p: SQLite sums the budget's money as binary floats (F() on REAL
            # columns), and pennies like 0.99 can then trip budget_paid_within_committed by 1e-12.
            amount += Decimal("0.50")
        delivery, supplier = FUND_DELIVERY[category]
        justification = FUND_JUSTIFICATIONS[category]
        if category in FUND_CATEGORY_SEASONS and month not in WINTER_MONTHS:
            justification = FUND_SUMMER_JUSTIFICATIONS.get(category, justification)
        app = {"story": story, "moment": moment, "category": category, "amount": amount}
        if rng.random() < 0.04:  # a large item: over the limit for one payment
            self._make_large_item(app)
            return app
        app.update(
            delivery=delivery,
            supplier=supplier.format(town=story.family.town),
            justification=self._text(justification, story),
        )
        return app

    def _make_large_item(self, app: dict) -> None:
        delivery, supplier, justification = LARGE_ITEM
        app.update(
            category=Application.Category.ESSENTIALS,
            amount=Decimal(self.rng.randint(52, 90) * 5),
            delivery=delivery,
            supplier=supplier,
            justification=self._text(justification, app["story"]),
        )

    def _large_item_lately(self, decided: list[dict], limits: FundLimits) -> None:
        """Something over the limit for one payment among the last three weeks' decisions, so there is one
        awaiting a second approval whatever the day."""
        approvable = [a for a in decided if a["decided"] > self.now - timedelta(days=21) and a["roll"] >= 0.12]
        if approvable and not any(a["amount"] > limits.max_per_payment for a in approvable):
            self._make_large_item(approvable[-1])

    def _seconder(self, story: Story):
        """Another team manager in the family's district, for a second approval."""
        district = story.team.base.district_id
        others = sorted(
            (t.manager for t in self.teams.values() if t.base.district_id == district and t.manager != story.manager),
            key=lambda manager: manager.email,
        )
        return self.rng.choice(others) if others else None

    # Running ---------------------------------------------------------------------------------------------

    def plan(self) -> None:
        self.plan_budgets()
        self.plan_courses()
        self.choose_group_families()
        for story in self.stories:
            story.interval = self.rng.choices((6, 8, 10, 12), weights=(20, 50, 15, 15))[0]
            self.plan_family(story)
        self.plan_safeguarding()
        self.plan_course_work()
        self.plan_fund()

    def run(self) -> None:
        for moment, _, action in sorted(self.steps, key=lambda step: (step[0], step[1])):
            with _clock(moment):
                action()

    # Service calls (run with the clock at the step's moment) -------------------------------------------

    def _do_assessment_start(self, story: Story) -> None:
        story.assessment = support_services.assessment_start(family=story.family, actor=story.lead_at(timezone.now()))

    def _do_assessment_complete(self, story: Story) -> None:
        needs = sorted({*story.needs, *story.goals} & set(self.determinants))
        support_services.assessment_complete(
            assessment=story.assessment,
            needs=[self.determinants[code] for code in needs],
            strengths=self.rng.choice(STRENGTHS),
            family_view=self.rng.choice(FAMILY_VIEWS),
            child_voice=self.rng.choice(CHILD_VOICES) if story.children else "",
            agreed_on=timezone.localdate(),
            actor=story.lead_at(timezone.now()),
        )

    def _do_plan_create(self, story: Story) -> None:
        goals = [(self.determinants[code], self._text(GOALS[code], story)) for code in story.goals]
        story.plan = support_services.plan_create(
            family=story.family,
            kind=story.kind,
            goals=goals,
            actor=story.lead_at(timezone.now()),
            lead_professional=self.rng.random() < 0.3,
            review_interval_weeks=story.interval,
        )
        story.goal_rows = {goal.determinant.code: goal for goal in story.plan.goals.select_related("determinant")}
        story.actions = []

    def _do_action_add(self, story: Story, n: int) -> None:
        code = story.goals[n % len(story.goals)]
        options = list(ACTIONS.get(code, ((Owner.WORKER, "Weekly visits to work on the plan"),)))
        owner, text = options[(n // len(story.goals)) % len(options)]
        person = professional = None
        if owner == Owner.FAMILY:
            person = story.parent
            owner = Owner.FAMILY if person else Owner.WORKER
        if owner == Owner.PROFESSIONAL:
            professional = story.professionals[0] if story.professionals else None
            owner = Owner.PROFESSIONAL if professional else Owner.WORKER
        action = support_services.plan_action_add(
            plan=story.plan,
            description=text.format(**story.names),
            owner=owner,
            due_on=timezone.localdate() + timedelta(weeks=2 + 2 * n),
            actor=story.plan.worker,
            goal=story.goal_rows[code],
            owner_person=person,
            owner_professional=professional,
        )
        story.actions.append(action)

    def _do_action_done(self, story: Story, n: int) -> None:
        # A closed plan's actions stay as they were (plan_action_done refuses them); the closure was planned first.
        if story.closed is not None and timezone.now() >= story.closed:
            return
        if n < len(story.actions):
            support_services.plan_action_done(
                action=story.actions[n], done_on=timezone.localdate(), actor=story.lead_at(timezone.now())
            )

    def _do_start_scores(self, story: Story) -> None:
        support_services.outcome_record(
            plan=story.plan,
            stage="start",
            scores={self.determinants[code]: score for code, score in story.start_scores.items()},
            assessed_on=timezone.localdate(),
            actor=story.plan.worker,
        )

    def _do_submit(self, story: Story) -> None:
        story.plan = support_services.plan_submit_for_activation(plan=story.plan, actor=story.plan.worker)

    def _do_approve(self, story: Story) -> None:
        story.plan = support_services.plan_approve_activation(plan=story.plan, actor=story.manager)

    def _do_review(self, story: Story, reviewed_on: date, progress: dict, scores: dict, notes: str) -> None:
        support_services.plan_review(
            plan=story.plan,
            reviewed_on=reviewed_on,
            progress={story.goal_rows[code]: value for code, value in progress.items()},
            scores=scores,
            notes=notes,
            actor=story.lead_at(timezone.now()),
        )

    def _do_request_closure(self, story: Story) -> None:
        low, high = CLOSING_DELTA[story.closure_reason]
        scores = {
            self.determinants[code]: max(1, min(10, story.start_scores[code] + self.rng.randint(low, high)))
            for code in story.goals
        }
        story.plan = support_services.plan_request_closure(
            plan=story.plan,
            reason=story.closure_reason,
            summary=self._text(CLOSURE_SUMMARIES[story.closure_reason], story),
            scores=scores,
            assessed_on=timezone.localdate(),
            actor=story.lead_at(timezone.now()),
            stepped_down_to=self.rng.choice(STEPPED_DOWN_TO) if story.closure_reason == Closure.STEPPED_DOWN else "",
        )

    def _do_approve_closure(self, story: Story) -> None:
        story.plan = support_services.plan_approve_closure(plan=story.plan, actor=story.manager)

    def _do_follow_up(self, story: Story, sustained: bool) -> None:
        support_services.follow_up_record(
            follow_up=story.plan.follow_up,
            sustained=sustained,
            notes=self._text(FOLLOW_UP_NOTES[sustained], story),
            actor=story.current_lead,
        )

    def _do_parent_progress(self, story: Story, kind: str) -> None:
        support_services.parent_progress_record(
            person=story.parent, kind=kind, started_on=timezone.localdate(), actor=story.lead_at(timezone.now())
        )

    def _do_contact(self, contact: dict) -> None:
        story = contact["story"]
        plan = story.plan if story.plan is not None and story.plan.status == Status.ACTIVE else None
        people = story.parents[:1] if contact["mode"] != Mode.MESSAGE else []
        contact["contact"] = support_services.contact_log(
            family=story.family,
            actor=story.lead_at(timezone.now()),
            occurred_at=contact["moment"],
            duration_minutes=contact["minutes"],
            mode=contact["mode"],
            notes=contact["notes"],
            venue=contact["venue"],
            people_seen=people,
            children_seen=contact["seen"] if contact["mode"] == Mode.HOME_VISIT else None,
            next_steps=contact["next_steps"],
            safeguarding_concern=contact["concern"] is not None,
            plan=plan,
        )

    def _do_safeguarding_action(self, contact: dict) -> None:
        _, action, notes = contact["concern"]
        support_services.safeguarding_action_record(
            contact=contact["contact"],
            action=action,
            notes=notes.format(**contact["story"].names),
            actor=contact["story"].manager,
        )

    def _do_enrol(self, spec: CourseSpec, enrolment: dict) -> None:
        story = enrolment["story"]
        enrolment["row"] = venue_services.enrolment_create(
            course=spec.course,
            person=enrolment["person"],
            actor=story.current_lead,
            plan=story.plan if spec.offer == Offer.TARGETED_REFERRAL else None,
        )

    def _session(self, spec: CourseSpec, number: int) -> GroupSession:
        return spec.course.sessions.get(number=number)

    def _do_cancel(self, spec: CourseSpec, number: int) -> None:
        venue_services.session_cancel(
            session=self._session(spec, number), actor=spec.actor, reason=spec.cancelled[number]
        )

    def _do_register(self, spec: CourseSpec, number: int, came: list[dict], walk_ins: dict) -> None:
        venue_services.register_take(
            session=self._session(spec, number),
            actor=spec.actor,
            attended={e["row"].uuid for e in came if "row" in e},
            walk_in_adults=walk_ins.get("walk_in_adults", 0),
            walk_in_children=walk_ins.get("walk_in_children", 0),
            walk_in_families=[s.family for s in walk_ins.get("walk_in_families", ())],
        )

    def _do_measure(self, spec: CourseSpec, enrolment: dict, stage: str, values: tuple[int, int]) -> None:
        if "row" in enrolment:
            venue_services.parent_measure_record(
                enrolment=enrolment["row"], stage=stage, confidence=values[0], wellbeing=values[1], actor=spec.actor
            )

    def _do_withdraw(self, spec: CourseSpec, enrolment: dict) -> None:
        if "row" in enrolment:
            venue_services.enrolment_withdraw(enrolment=enrolment["row"], actor=spec.actor)

    def _do_apply(self, app: dict, submit: bool) -> None:
        story = app["story"]
        plan = story.plan
        app["row"] = fund_services.application_create(
            family=story.family,
            actor=story.current_lead,  # who can see the family now: the families were seeded to today first
            category=app["category"],
            amount=app["amount"],
            justification=app["justification"],
            delivery=app["delivery"],
            supplier=app["supplier"] if app["delivery"] == Application.Delivery.SUPPLIER else "",
            goals=list(plan.goals.all()[:1]),
            submit=submit,
        )

    def _do_decline(self, app: dict, reason: str) -> None:
        fund_services.application_decline(application=app["row"], actor=app["story"].manager, reason=reason)

    def _do_approve_fund(self, app: dict, actor=None) -> None:
        app["row"] = fund_services.application_approve(application=app["row"], actor=actor or app["story"].manager)

    def _do_cancel_fund(self, app: dict, reason: str) -> None:
        fund_services.application_cancel(application=app["row"], actor=app["story"].manager, reason=reason)

    def _do_pay(self, app: dict) -> None:
        if app["row"].status != AppStatus.APPROVED:
            return
        fund_services.application_record_payment(
            application=app["row"],
            paid_on=timezone.localdate(),
            reference=f"{PAYMENT_PREFIX[app['delivery']]}-{next(self.payment_numbers)}",
            actor=app["story"].manager,
        )

    # Written directly: no service for these --------------------------------------------------------------

    def funded_education(self) -> None:
        """The children aged 2 to 4 of supported families: about two in five low-income families' children (and a
        few others) eligible for a funded 2-year-old place, most of them taking it up; most 3- and 4-year-olds in a
        funded place from the term after their third birthday (the per-child fields the return reads)."""
        for story in self.stories:
            if story.activated is None:
                continue
            for child in story.children:
                age = relativedelta(self.today, child.date_of_birth).years
                if age not in (2, 3, 4):
                    continue
                eligible = self.rng.random() < (0.45 if story.family.low_income else 0.1)
                if age == 2 and not eligible:
                    continue
                from_age = 2 if eligible else 3
                started = self._term_after(child.date_of_birth + relativedelta(years=from_age))
                take_up = self.rng.random() < (0.55 if age == 2 else 0.8)
                started = started if take_up and started and started <= self.today else None
                Person.objects.filter(pk=child.pk).update(
                    funded_education_eligible=eligible,
                    funded_education_started_on=started,
                    funded_education_setting=self.rng.choice(EARLY_YEARS_SETTINGS) if started else "",
                )

    @staticmethod
    def _term_after(day: date) -> date:
        """Funded places start the term after the birthday: January, April or September."""
        for start in (date(day.year, 1, 1), date(day.year, 4, 1), date(day.year, 9, 1), date(day.year + 1, 1, 1)):
            if start > day:
                return start
        return date(day.year + 1, 1, 1)

    def budget_actuals(self) -> None:
        """The provider's spend by contract budget line, for every complete quarter of this year and last."""
        this_year = fund_services.financial_year_of(self.today)
        current = period_containing(QUARTERLY, self.today)
        lines = list(ContractBudgetLine.objects.order_by("position"))
        for year in (this_year - 1, this_year):
            for quarter in (1, 2, 3, 4):
                if year == this_year and f"{year}-Q{quarter}" >= current.label:
                    break
                for line in lines:
                    amount = line.ecfs_indicative_gbp / 4 * Decimal(str(round(self.rng.uniform(0.94, 1.06), 4)))
                    BudgetActual.objects.get_or_create(
                        line=line,
                        financial_year=year,
                        quarter=quarter,
                        defaults={"amount": amount.quantize(Decimal("0.01"))},
                    )


# Entry points ------------------------------------------------------------------------------------------


def _demo_families():
    return Family.objects.filter(pk__in=_demo_referrals().values("family_id"))


def demo_support_counts(*, created: bool = False) -> dict:
    families = _demo_families()
    plans = SupportPlan.objects.filter(family__in=families)
    plan_status = dict(plans.order_by().values_list("status").annotate(n=Count("pk")))
    reasons = dict(plans.filter(status=Status.CLOSED).order_by().values_list("closure_reason").annotate(n=Count("pk")))
    applications = Application.objects.filter(family__in=families)
    app_status = dict(applications.order_by().values_list("status").annotate(n=Count("pk")))
    courses = GroupCourse.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    return {
        "created": created,
        "plans": sum(plan_status.values()),
        "plans_by_status": {status: plan_status.get(status, 0) for status in Status.values},
        "closures_by_reason": {reason: reasons.get(reason, 0) for reason in Closure.values},
        "contacts": Contact.objects.filter(family__in=families).count(),
        "open_concerns": Contact.objects.filter(
            family__in=families, safeguarding_concern=True, safeguarding_action__isnull=True
        ).count(),
        "courses": courses.count(),
        "sessions": GroupSession.objects.filter(course__in=courses).count(),
        "registers": GroupSession.objects.filter(course__in=courses, register_taken_at__isnull=False).count(),
        "applications": sum(app_status.values()),
        "applications_by_status": {status: app_status.get(status, 0) for status in AppStatus.values},
        "budgets": BudgetAdjustment.objects.filter(reason=DEMO_ALLOCATION).count(),
    }


def demo_support_summary(counts: dict) -> str:
    plan_labels = dict(Status.choices)
    app_labels = dict(AppStatus.choices)
    plans = ", ".join(f"{n} {plan_labels[s].lower()}" for s, n in counts["plans_by_status"].items() if n)
    apps = ", ".join(f"{n} {app_labels[s].lower()}" for s, n in counts["applications_by_status"].items() if n)
    already = " (already there)" if not counts["created"] else ""
    return (
        f"Demo support{already}: {counts['plans']} plans ({plans}), {counts['contacts']} contacts, "
        f"{counts['courses']} courses, {counts['sessions']} sessions, {counts['applications']} fund applications "
        f"({apps})"
    )


def demo_returns_seed() -> list[str]:
    """The last complete quarter's and month's returns, generated and submitted once, after every part of the demo
    is seeded (advice, partnership, workforce, voice and the rest have sections of their own); what was submitted."""
    refuse_unless_demo_key()
    submitted = Return.objects.filter(status=Return.Status.SUBMITTED)
    with transaction.atomic():
        if not submitted.exists():
            manager = (
                get_user_model()
                .objects.filter(email__startswith="manager.", email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
                .order_by("email")
                .first()
            )
            today = timezone.localdate()
            for kind in (QUARTERLY, MONTHLY):
                draft = return_services.return_generate(period=last_complete(kind, today), actor=manager)
                return_services.return_submit(a_return=draft, actor=manager)
    return [f"{r.kind} {r.period} v{r.version}" for r in submitted.order_by("kind", "period", "version")]


def demo_support_seed(*, rng_seed: int = 2019) -> dict:
    """Plans, contacts, group courses and the fund for the demo families, once; the counts of what is there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if BudgetAdjustment.objects.filter(reason=DEMO_ALLOCATION).exists():
            return demo_support_counts(created=False)
        seeder = _Seeder(random.Random(rng_seed))  # noqa: S311 (demo data, not secrets)
        seeder.plan()
        seeder.run()
        seeder.funded_education()
        seeder.budget_actuals()
        return demo_support_counts(created=True)
