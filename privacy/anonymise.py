"""Anonymising a family's records once they are past their retention date.

Names, contact details, addresses, free text and exact dates of birth go; what the returns count stays:
the rows themselves, their dates of activity, codes, districts and localities, and each person's month
and year of birth. Returns' periods end on the last day of a month, so a birth date moved to the 1st of
its month gives every child the same age at every period end: past returns' figures do not change.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advice.models import AdviceEntry
from community.models import Connection
from development.models import DevelopmentReview
from documents.services import family_documents_erase
from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from ecfs.audit.services import audit_record
from families.extracts import postcode_outward
from families.models import (
    Allocation,
    Assessment,
    Contact,
    Family,
    FollowUp,
    Goal,
    GoalProgress,
    OutcomeAssessment,
    OutcomeScore,
    ParentProgress,
    Person,
    PlanAction,
    PlannedVisit,
    Professional,
    Review,
    SafeguardingAction,
    SupportPlan,
)
from imports.models import ImportedRecord
from notifications.models import Message
from partnership.models import MeetingAction, OnwardReferral, TafMeeting
from referrals.models import Referral, ReferralPerson, TriageDecision
from support_fund.models import Application, ApplicationEvent
from venues.models import Attendance, GroupSession
from voice.models import Complaint, Feedback

from .models import SubjectAccessRequest
from .retention import ReferralDue, RetentionDue

ANONYMISED = "Anonymised"

REFERRAL_BLANKED = {
    "referrer_name": ANONYMISED,
    "referrer_phone": "",
    "referrer_email": "",
    "referrer_role": "",
    "contact_phone": "",
    "contact_email": "",
    "reason_details": "",
    "best_times": "",
    "safe_contact_notes": "",
    "address_line_1": "",
    "address_line_2": "",
    "town": "",
}
FEEDBACK_BLANKED = {"went_well": "", "could_be_better": "", "reference_given": "", "may_contact": False, "contact": ""}
ADVICE_BLANKED = {"notes": "", "signposted_to": ""}

# Model, the path from it to its family, and the values its identifying fields take.
BLANKED = (
    (Professional, "family", {"name": ANONYMISED, "organisation": "", "role": "", "phone": "", "email": ""}),
    (Allocation, "family", {"reason": "", "end_reason": ""}),
    (Assessment, "family", {"strengths": "", "family_view": "", "child_voice": "", "in_error_reason": ""}),
    (SupportPlan, "family", {"closure_summary": ""}),
    (Goal, "plan__family", {"description": ANONYMISED}),
    (PlanAction, "plan__family", {"description": ANONYMISED}),
    (Review, "plan__family", {"notes": ""}),
    (FollowUp, "plan__family", {"notes": "", "in_error_reason": ""}),
    (OutcomeAssessment, "plan__family", {"in_error_reason": ""}),
    (Contact, "family", {"notes": "", "next_steps": "", "in_error_reason": ""}),
    (SafeguardingAction, "contact__family", {"notes": ""}),
    (PlannedVisit, "family", {"notes": ""}),
    (Referral, "family", REFERRAL_BLANKED),
    (TriageDecision, "referral__family", {"notes": ""}),
    (
        Application,
        "family",
        {"justification": ANONYMISED, "supplier": "", "decision_reason": "", "payment_reference": ""},
    ),
    (ApplicationEvent, "application__family", {"note": ""}),
    (ImportedRecord, "family", {"previous_id": "", "safeguarding_note": ""}),
    (AdviceEntry, "family", ADVICE_BLANKED),
    (Connection, "family", {"note": "", "outcome_note": ""}),
    # Team around the family meetings and onward referrals: what was said goes; dates, agencies and outcomes stay.
    (TafMeeting, "family", {"decisions": ANONYMISED}),
    (MeetingAction, "meeting__family", {"description": ANONYMISED}),
    (OnwardReferral, "family", {"reason": ANONYMISED, "outcome_notes": ""}),
    # Who a child's development review came from may name a health visitor; the levels and dates stay for the returns.
    (DevelopmentReview, "family", {"source": ANONYMISED, "in_error_reason": ""}),
    # A complaint's summary and what was learned, and feedback the family left, may name them; the dates, categories,
    # ratings and outcomes stay for the returns.
    (Complaint, "family", {"summary": ANONYMISED, "learning": ""}),
    (Feedback, "family", FEEDBACK_BLANKED),
    # The family's (or a referrer's) email address or phone number a message went to.
    (Message, "family", {"recipient_address": ANONYMISED}),
    # Who asked for the family's records; that a request was made, and when, stays.
    (SubjectAccessRequest, "family", {"requester_name": ANONYMISED}),
)


# Records whose earlier versions are kept (django-simple-history), and the path from each to its family: the
# earlier versions hold what anonymising removes, so they go with it.
WITH_HISTORY = (
    (Family, "id"),
    (Person, "family"),
    (Assessment, "family"),
    (SupportPlan, "family"),
    (Goal, "plan__family"),
    (PlanAction, "plan__family"),
    (Review, "plan__family"),
    (GoalProgress, "review__plan__family"),
    (OutcomeAssessment, "plan__family"),
    (OutcomeScore, "assessment__plan__family"),
    (Contact, "family"),
    (FollowUp, "plan__family"),
    (ParentProgress, "person__family"),
    (Referral, "family"),
    (ReferralPerson, "referral__family"),
    (Application, "family"),
    (Attendance, "family"),
    (TafMeeting, "family"),
    (MeetingAction, "meeting__family"),
    (OnwardReferral, "family"),
    (DevelopmentReview, "family"),
    (Complaint, "family"),
)


def _forget_register_reasons(family: Family) -> None:
    """A corrected register's reason is kept on the session's earlier version too (it is the session's record, not
    the family's) and may name them: blank it on each session where it corrected one of the family's marks. Read
    before the family's attendance history goes, which is where the link is."""
    corrected = (
        Attendance.history.filter(family=family)
        .exclude(history_change_reason=None)
        .exclude(history_change_reason="")
        .values_list("session_id", "history_change_reason")
        .distinct()
    )
    for session_id, reason in corrected:
        GroupSession.history.filter(id=session_id, history_change_reason=reason).update(
            history_change_reason=ANONYMISED
        )


def _forget_history(family: Family) -> None:
    """Each record's earlier versions go, found by the record as well as by the family: a version from before
    the record was linked to the family (a referral before triage, a complaint before it was matched) has none."""
    _forget_register_reasons(family)
    for model, path in WITH_HISTORY:
        value = family.pk if path == "id" else family
        records = model.objects.filter(**{path: value}).values("pk")
        model.history.filter(Q(**{path: value}) | Q(id__in=records)).delete()


def _month_start(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


def _anonymise_people(queryset) -> None:
    for person in queryset.only("pk", "date_of_birth", "expected_date"):
        changes = {
            "first_name": ANONYMISED,
            "last_name": "",
            "date_of_birth": _month_start(person.date_of_birth),
            "expected_date": _month_start(person.expected_date),
        }
        if isinstance(person, Person):
            changes.update(first_name_key="", last_name_key="")
        type(person).objects.filter(pk=person.pk).update(**changes)


@dataclass(frozen=True)
class AnonymiseResult:
    family: str
    anonymised: bool
    reason: str = ""


@transaction.atomic
def family_anonymise(*, due: RetentionDue, actor=None) -> AnonymiseResult:
    """Anonymise one family; safe to run twice, and a legal hold placed meanwhile wins."""
    family = Family.objects.select_for_update().get(pk=due.family.pk)
    if family.anonymised_at:
        return AnonymiseResult(family.reference, False, "already anonymised")
    if family.legal_hold:
        return AnonymiseResult(family.reference, False, "on legal hold")
    if family.status != Family.Status.CLOSED:
        return AnonymiseResult(family.reference, False, "reopened")
    for model, path, values in BLANKED:
        model.objects.filter(**{path: family}).update(**values)
    for model, path in ((Person, "family"), (ReferralPerson, "referral__family")):
        _anonymise_people(model.objects.filter(**{path: family}))
    Referral.objects.filter(family=family).update(postcode=postcode_outward(family.postcode))
    # Why a manager accepted without consent may name people; that an override happened is kept.
    TriageDecision.objects.filter(referral__family=family).exclude(consent_override_reason="").update(
        consent_override_reason=ANONYMISED
    )
    # Documents cannot be blanked: the rows go, and the files leave storage once this commits.
    documents_erased = family_documents_erase(family=family)
    family.address_line_1 = family.address_line_2 = family.town = ""
    family.postcode = postcode_outward(family.postcode)
    family.consent_given_by = ""
    family.contact_phone = family.contact_email = ""
    family.first_language = ""
    family.restricted_to.clear()
    family.anonymised_at = timezone.now()
    family.save()
    _forget_history(family)
    AuditEvent.objects.redact_anonymised_family(
        family, referral_uuids=Referral.objects.filter(family=family).values_list("uuid", flat=True)
    )
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_ANONYMISED,
        obj=family,
        family=family,
        summary=f"Anonymised under the retention rule: kept until {due.keep_until:%d %B %Y} ({due.rule})",
        changes={"keep_until": due.keep_until.isoformat(), "rule": due.rule, "documents_erased": documents_erased},
    )
    return AnonymiseResult(family.reference, True)


@dataclass(frozen=True)
class ReferralAnonymiseResult:
    referral: str
    anonymised: bool
    reason: str = ""


@transaction.atomic
def referral_anonymise(*, due: ReferralDue, actor=None) -> ReferralAnonymiseResult:
    """Anonymise a referral closed at triage and never linked to a family, as a family's referrals are: who
    referred, the family's names, contact details, address and what was written go; its reference, dates, source,
    reasons, district, locality and decision stay for the returns. Safe to run twice; a legal hold placed meanwhile
    wins, and a referral linked to a family or reopened meanwhile is left to the family's rule."""
    referral = Referral.objects.select_for_update().get(pk=due.referral.pk)
    if referral.anonymised_at:
        return ReferralAnonymiseResult(referral.reference, False, "already anonymised")
    if referral.legal_hold:
        return ReferralAnonymiseResult(referral.reference, False, "on legal hold")
    if referral.family_id is not None:
        return ReferralAnonymiseResult(referral.reference, False, "linked to a family")
    if referral.status not in Referral.CLOSED_AT_TRIAGE:
        return ReferralAnonymiseResult(referral.reference, False, "reopened")
    referral.anonymised_at = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(
        **REFERRAL_BLANKED, postcode=postcode_outward(referral.postcode), anonymised_at=referral.anonymised_at
    )
    _anonymise_people(ReferralPerson.objects.filter(referral=referral))
    TriageDecision.objects.filter(referral=referral).update(notes="")
    TriageDecision.objects.filter(referral=referral).exclude(consent_override_reason="").update(
        consent_override_reason=ANONYMISED
    )
    Feedback.objects.filter(referral=referral).update(**FEEDBACK_BLANKED)
    AdviceEntry.objects.filter(referral=referral).update(**ADVICE_BLANKED)
    # The outcome told to the referrer (or to a family that asked for help itself) names the referral alone.
    Message.objects.filter(family=None, reference=referral.reference).update(recipient_address=ANONYMISED)
    Referral.history.filter(id=referral.pk).delete()
    ReferralPerson.history.filter(referral_id=referral.pk).delete()
    AuditEvent.objects.redact_anonymised_referral(referral)
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_ANONYMISED,
        obj=referral,
        summary=f"Anonymised under the retention rule: kept until {due.keep_until:%d %B %Y} ({due.rule})",
        changes={"keep_until": due.keep_until.isoformat(), "rule": due.rule},
    )
    return ReferralAnonymiseResult(referral.reference, True)
