"""Demo: partnership working (#20 items 1 and 2, and a few documents of item 3) — team around the family meetings
with actions for several agencies (on the plan when the family has an active one), onward referrals to specialist
and partner services with their outcomes (some overdue), and signed consent forms on a few families' records.

Everything goes through ``partnership.services``, ``families.services`` and ``documents.services`` with the clock
set to the moment it happened, by the family's worker. Idempotent (nothing is made once a demo member of staff has
recorded a meeting) and deterministic for a given seed and day. Quick: a few dozen records.
"""

import random
import unicodedata
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from devdata.demo_families import _clock, latest_this_morning
from documents.models import Document
from documents.services import document_add
from families import services as family_services
from families.models import Allocation, Family, Person, SupportPlan
from families.rules import shares_with_team_around_family
from families.selectors import first_referred_on
from partnership import services
from partnership.models import MeetingAction, OnwardReferral, TafMeeting
from partnership.services import ActionInput

MEETING_SHARE = 0.45
REFERRAL_SHARE = 0.35
DOCUMENTS = 6  # consent forms on the first few families met
OVERDUE_EVERY = 4  # of referrals whose outcome is due, every fourth is still awaited: overdue in the worker's week

PROFESSIONALS = (
    {"agency": "health_visiting", "name": "Claire Bunting", "role": "Health visitor",
     "organisation": "Norfolk Healthy Child Programme"},
    {"agency": "housing", "name": "Dev Patel", "role": "Housing options officer",
     "organisation": "District council housing team"},
    {"agency": "early_years", "name": "Sarah Thrower", "role": "Nursery manager",
     "organisation": "Little Acorns pre-school"},
    {"agency": "jobcentre", "name": "Mark Reeve", "role": "Work coach", "organisation": "Jobcentre Plus"},
    {"agency": "speech_language", "name": "Amy Lister", "role": "Speech and language therapist",
     "organisation": "Norfolk Community Health and Care"},
)  # fmt: skip
AGENCY_ACTIONS = {
    "health_visiting": "Bring forward the 2-year review and check speech",
    "housing": "Inspect the flat for damp and reply about the transfer",
    "early_years": "Offer a funded 2-year-old place from next term",
    "jobcentre": "Book a work coach appointment about childcare costs",
    "speech_language": "Send the drop-in clinic dates",
}
ECFS_ACTIONS = (
    "Go with mum to the stay and play",
    "Help complete the housing transfer form",
    "Share the Solihull parenting course dates",
    "Call dad about the fathers' group",
)
DECISIONS = (
    "Everyone agreed the damp is affecting the children's health; housing to inspect, health visitor to review "
    "the children's breathing. ECFS to support mum to the stay and play to build her network.",
    "Speech is the main worry: nursery and health visiting to share what they see; ECFS to model play and "
    "reading at home. Dad would like help with work: Jobcentre Plus to book an appointment.",
    "Mum feels more settled. Agencies to keep in touch through the lead professional; next meeting to review "
    "whether the family still needs a team around them.",
)
ONWARD = (
    ("speech_language", "Norfolk Community Health and Care speech and language therapy",
     "Few words at 2 years; the family would like specialist advice."),
    ("portage", "Norfolk Portage service", "Delayed development across several areas; play-based home visits."),
    ("substance_misuse", "Change Grow Live Norfolk", "Dad asked for help with his drinking."),
    ("housing", "District council housing options", "Overcrowded and damp flat; a transfer is needed."),
    ("jobcentre", "Jobcentre Plus", "Mum wants to return to work when her youngest starts nursery."),
    ("adult_learning", "Norfolk Adult Learning", "Dad wants English and maths qualifications."),
    ("domestic_abuse", "Leeway domestic abuse service", "Mum disclosed controlling behaviour by an ex-partner."),
    ("mental_health", "Norfolk and Waveney Wellbeing Service", "Mum has low mood and asked for talking therapy."),
)  # fmt: skip
OUTCOMES = {"accepted": 55, "waiting_list": 15, "declined": 10, "did_not_engage": 12, "other": 8}


def _demo_meetings():
    return TafMeeting.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def demo_partnership_counts(*, created: bool = False) -> dict:
    meetings = _demo_meetings()
    referrals = OnwardReferral.objects.filter(referred_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    today = timezone.localdate()
    return {
        "created": created,
        "meetings": meetings.count(),
        "actions": MeetingAction.objects.filter(meeting__in=meetings).count(),
        "on_plan": MeetingAction.objects.filter(meeting__in=meetings, plan_action__isnull=False).count(),
        "referrals": referrals.count(),
        "with_outcome": referrals.exclude(outcome="").count(),
        "overdue": referrals.filter(outcome="", outcome_expected_by__lt=today).count(),
        "documents": Document.objects.filter(added_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").count(),
    }


def demo_partnership_summary(counts: dict) -> str:
    already = " (already there)" if not counts["created"] else ""
    return (
        f"Demo partnership{already}: {counts['meetings']} team around the family meetings with {counts['actions']} "
        f"actions ({counts['on_plan']} on plans); {counts['referrals']} onward referrals, {counts['with_outcome']} "
        f"with an outcome, {counts['overdue']} overdue; {counts['documents']} documents"
    )


def _plain(line: str) -> str:
    """ASCII for the standard Helvetica font, which has no other letters: accents dropped (Woźniak → Wozniak)."""
    return unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode("ascii").replace("\\", "/")


def consent_form_pdf(family_reference: str, signed_by: str, on: date) -> bytes:
    """A small one-page PDF: a signed consent to share form (text only, made here: no PDF library needed)."""
    lines = [
        "Early Childhood and Family Service: consent to share information",
        f"Family {family_reference}",
        f"Signed by {signed_by} on {on:%-d %B %Y}",
        "I agree to ECFS holding information about my family and sharing it with",
        "the professionals in our team around the family.",
    ]
    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(
        f"({_plain(line).replace('(', '[').replace(')', ']')}) '" for line in lines
    ) + " ET"  # fmt: skip
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("latin-1") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class _Seeder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.today = timezone.localdate()
        self.documents = 0
        self.due = 0

    def _at(self, day: date, hour: int = 11):
        moment = min(datetime.combine(day, time(hour)), latest_this_morning(self.today))
        return _clock(timezone.make_aware(moment))

    def _day_between(self, start: date, end: date) -> date | None:
        if start > end:
            return None
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def run(self) -> None:
        workers = {}
        for allocation in (
            Allocation.objects.filter(worker__email__endswith=f"@{DEMO_EMAIL_DOMAIN}", ended_at__isnull=True)
            .select_related("worker")
            .order_by("family_id", "started_at")
        ):
            workers[allocation.family_id] = allocation.worker
        families = Family.objects.filter(pk__in=list(workers), status=Family.Status.OPEN).order_by("pk")
        for family in families:
            first = first_referred_on(family)
            if first is None:
                continue
            worker = workers[family.pk]
            if shares_with_team_around_family(family) and self.rng.random() < MEETING_SHARE:
                self._meeting(family, worker, first)
            if self.rng.random() < REFERRAL_SHARE:
                self._onward(family, worker, first)

    def _professionals(self, family, worker, before: date) -> list:
        have = list(family.professionals.all())
        wanted = self.rng.sample(PROFESSIONALS, 2)
        with self._at(before, hour=9):
            for fields in wanted:
                if len(have) >= 2:
                    break
                if any(p.agency == fields["agency"] for p in have):
                    continue
                have.append(family_services.professional_add(family=family, actor=worker, **fields))
        return have[:2]

    def _meeting(self, family, worker, first: date) -> None:
        plan = family.plans.filter(status=SupportPlan.Status.ACTIVE).first()
        start = first + timedelta(days=7)
        if plan is not None:
            start = max(start, timezone.localdate(plan.created_at) + timedelta(days=1))
        held_on = self._day_between(start, self.today - timedelta(days=2))
        if held_on is None:
            return
        professionals = self._professionals(family, worker, held_on)
        parents = list(family.members.filter(kind=Person.Kind.PARENT_CARER))
        actions = [
            ActionInput(
                AGENCY_ACTIONS.get(p.agency, "Share what the agency sees with the lead professional"),
                "professional",
                held_on + timedelta(days=14 * (index + 1)),
                owner_professional=p,
            )
            for index, p in enumerate(professionals)
        ]
        actions.append(
            ActionInput(
                self.rng.choice(ECFS_ACTIONS),
                "worker",
                held_on + timedelta(days=self.rng.randint(3, 21)),
                owner_worker=worker,
            )
        )
        lead = self.rng.random()
        with self._at(held_on + timedelta(days=1)):
            meeting = services.taf_meeting_record(
                family=family,
                actor=worker,
                held_on=held_on,
                decisions=self.rng.choice(DECISIONS),
                professionals=professionals,
                people=parents,
                workers=[worker],
                lead_worker=worker if lead < 0.6 else None,
                lead_professional=professionals[0] if lead >= 0.6 and professionals else None,
                next_meeting_on=held_on + timedelta(weeks=6),
                shared_with_agencies=True,
                actions=actions,
            )
        # Meeting-only ECFS actions that fell due a while ago: mostly done on the day.
        for action in meeting.actions.filter(plan_action__isnull=True, owner="worker"):
            if action.due_on < self.today - timedelta(days=3) and self.rng.random() < 0.6:
                with self._at(action.due_on, hour=15):
                    services.meeting_action_done(action=action, actor=worker, done_on=action.due_on)
        if self.documents < DOCUMENTS and parents:
            self.documents += 1
            signed = parents[0].full_name
            with self._at(held_on, hour=10):
                document_add(
                    family=family,
                    actor=worker,
                    upload=SimpleUploadedFile(
                        "consent-to-share.pdf", consent_form_pdf(family.reference, signed, held_on), "application/pdf"
                    ),
                    kind=Document.Kind.CONSENT,
                    description=f"Consent to share with the team around the family, signed by {signed}",
                )

    def _onward(self, family, worker, first: date) -> None:
        referred_on = self._day_between(first + timedelta(days=3), self.today - timedelta(days=1))
        if referred_on is None:
            return
        agency, organisation, reason = self.rng.choice(ONWARD)
        expected = referred_on + timedelta(days=28)
        with self._at(referred_on, hour=14):
            referral = services.onward_referral_record(
                family=family,
                actor=worker,
                agency=agency,
                organisation=organisation,
                reason=reason,
                referred_on=referred_on,
                consent_confirmed=True,
                outcome_expected_by=expected,
            )
        if expected < self.today:
            self.due += 1
        if expected < self.today and self.due % OVERDUE_EVERY:
            outcome = self.rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
            outcome_on = min(referred_on + timedelta(days=self.rng.randint(10, 35)), self.today)
            with self._at(outcome_on, hour=12):
                services.onward_referral_outcome_record(
                    referral=referral, actor=worker, outcome=outcome, outcome_on=outcome_on
                )


def demo_partnership_seed(*, rng_seed: int = 2020) -> dict:
    """Meetings, onward referrals and documents for the demo families, once; the counts of what is there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if _demo_meetings().exists():
            return demo_partnership_counts(created=False)
        _Seeder(random.Random(rng_seed)).run()  # noqa: S311 (demo data, not secrets)
        return demo_partnership_counts(created=True)
