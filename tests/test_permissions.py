"""Every URL over the whole cast: who gets 200, who gets 403, who gets 404 (DESIGN §2).

A new URL without an entry in ``TABLE`` fails ``test_every_named_url_is_in_the_table``.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from notifications.services import stop_reminders_link
from privacy.services import subject_access_create
from reporting.models import Return, ReturnRequest
from tests.advice.factories import advice_entry
from tests.community.factories import community_scenario
from tests.development.factories import review_of
from tests.documents.factories import document_on
from tests.families.factories import active_plan, draft_plan, home_visit, plan_action
from tests.integrations.factories import import_scenario
from tests.partnership.factories import partnership_scenario
from tests.referrals.factories import allocated_referral
from tests.support_fund.factories import application, budget, family_in_support
from tests.venues.factories import group_scenario, universal_session
from tests.voice.factories import complaint, feedback
from tests.workforce.factories import workforce_scenario

pytestmark = pytest.mark.django_db

CAST = ("worker", "colleague", "other_worker", "manager", "other_manager", "commissioner", "admin", "anonymous")


def expect(default, **overrides):
    return {member: overrides.get(member, default) for member in CAST}


ANON = {"anonymous": 302}
EVERYONE = expect(200, **ANON)
FRONT_LINE = expect(200, commissioner=403, admin=403, **ANON)
FAMILY_OBJECT = expect(404, worker=200, manager=200, **ANON)
MANAGER_OF_FAMILY = expect(404, worker=403, manager=200, **ANON)
MANAGERS_ONLY = expect(403, manager=200, other_manager=200, **ANON)
FRONT_LINE_FAMILY_OBJECT = expect(404, worker=200, manager=200, commissioner=403, admin=403, **ANON)
COURSE_OBJECT = expect(404, worker=200, colleague=200, manager=200, **ANON)
RETURN_READERS = expect(403, manager=200, other_manager=200, admin=200, commissioner=200, **ANON)
DRAFT_RETURN = expect(403, manager=200, other_manager=200, admin=200, commissioner=404, **ANON)
API_LIST = expect(200, commissioner=403, admin=403, anonymous=403)
API_FAMILY_OBJECT = expect(404, worker=200, manager=200, anonymous=403)
API_COURSE_OBJECT = expect(404, worker=200, colleague=200, manager=200, anonymous=403)
# Registers and measures name the people enrolled: the course's facilitator (worker) and the base's manager only.
COURSE_REGISTER = expect(404, worker=200, colleague=403, manager=200, **ANON)
API_COURSE_REGISTER = expect(404, worker=200, colleague=403, manager=200, anonymous=403)
ADMIN_ONLY = expect(403, admin=200, **ANON)
MANAGER_ACTION = expect(403, manager=302, other_manager=404, **ANON)

# name → (method, url args from the scenario, expected status per cast member)
TABLE = {
    "home": ("get", None, EVERYONE),
    "account": ("get", None, EVERYONE),
    # Two-factor (tests/ecfs/test_two_factor.py): force_login here has passed two-factor for the roles that
    # need it, so the code page sends everyone on; setting up an app is open to all (workers opt in,
    # others replace theirs); recovery codes need an app, which workers here have not set up.
    "two-factor-verify": ("get", None, expect(302)),
    "two-factor-setup": ("get", None, EVERYONE),
    "two-factor-recovery-codes": (
        "get",
        None,
        expect(200, worker=302, colleague=302, other_worker=302, **ANON),
    ),
    "county": ("get", None, EVERYONE),
    "venue-list": ("get", None, EVERYONE),
    "healthz": ("get", None, expect(200)),
    "login": ("get", None, expect(302, anonymous=200)),
    "logout": ("post", None, expect(302)),
    "triage-queue": ("get", None, MANAGERS_ONLY),
    "referral-new": ("get", None, FRONT_LINE),
    "referral-detail": ("get", "referral", FAMILY_OBJECT),
    "referral-decide": ("post", "referral", expect(404, worker=403, manager=400, **ANON)),
    "referral-allocate": ("get", "referral", expect(403, manager=200, other_manager=404, **ANON)),
    "referral-first-contact": ("post", "referral", expect(404, worker=400, manager=400, **ANON)),
    # Correcting a referral: its recorder (the manager here) or a manager of its base; the allocated worker sees it
    # but did not record it.
    "referral-correct": ("get", "referral", expect(404, worker=403, manager=200, **ANON)),
    "family-list": ("get", None, FRONT_LINE),
    "family-search": ("get", None, FRONT_LINE),
    "family-register": ("get", None, FRONT_LINE),
    "family-detail": ("get", "family", FAMILY_OBJECT),
    # Documents on the record: whoever may see the family uploads and downloads; recording one in error is for the
    # family's workers, its managers and whoever added it (the worker here).
    "document-add": ("get", "family", FAMILY_OBJECT),
    "document-download": ("get", "document", FAMILY_OBJECT),
    "document-in-error": ("get", "document", FAMILY_OBJECT),
    # Team around the family meetings and onward referrals: scoped like the family.
    "taf-meeting-add": ("get", "family", FAMILY_OBJECT),
    "taf-meeting-detail": ("get", "taf_meeting", FAMILY_OBJECT),
    "taf-meeting-correct": ("get", "taf_meeting", FAMILY_OBJECT),
    "taf-meeting-action-done": ("get", "taf_meeting_action", FAMILY_OBJECT),
    "onward-referral-add": ("get", "family", FAMILY_OBJECT),
    "onward-referral-detail": ("get", "onward_referral", FAMILY_OBJECT),
    "onward-referral-outcome": ("get", "onward_referral", FAMILY_OBJECT),
    # Child development evidence: anyone who sees the family (its worker, its base's manager) lists and records;
    # correcting and marking in error is also theirs (and the recorder's).
    "development-list": ("get", "family", FAMILY_OBJECT),
    "development-review-add": ("get", "family_child", FAMILY_OBJECT),
    "development-eyfs-add": ("get", "family_child", FAMILY_OBJECT),
    "development-review-detail": ("get", "development_review", FAMILY_OBJECT),
    "development-review-amend": ("get", "development_review", FAMILY_OBJECT),
    "development-review-in-error": ("get", "development_review", FAMILY_OBJECT),
    "family-edit": ("get", "family", FAMILY_OBJECT),
    "family-member-add": ("get", "family", FAMILY_OBJECT),
    # A child's funded early education: the allocated worker and the base's manager.
    "person-early-education": ("get", "family_child", FAMILY_OBJECT),
    # Corrections: the family's allocated worker and its base's managers.
    "person-amend": ("get", "family_child", FAMILY_OBJECT),
    "family-professional-add": ("get", "family", FAMILY_OBJECT),
    "family-reallocate": ("get", "family", MANAGER_OF_FAMILY),
    "family-co-worker": ("get", "family", MANAGER_OF_FAMILY),
    "family-restrict": ("get", "family", MANAGER_OF_FAMILY),
    "family-unrestrict": ("get", "family", MANAGER_OF_FAMILY),
    "family-legal-hold": ("get", "family", MANAGER_OF_FAMILY),
    "family-address-withheld": ("get", "family", FAMILY_OBJECT),
    "subject-access-list": ("get", None, ADMIN_ONLY),
    "subject-access-new": ("get", None, ADMIN_ONLY),
    "subject-access-detail": ("get", "sar", ADMIN_ONLY),
    "subject-access-bundle": ("get", "sar_bundle", ADMIN_ONLY),
    "subject-access-document": ("get", "sar_document", ADMIN_ONLY),
    "subject-access-release": ("post", "sar", expect(403, admin=302, **ANON)),
    "privacy-retention": ("get", None, ADMIN_ONLY),
    "family-assessment": ("get", "family", FAMILY_OBJECT),
    "plan-new": ("get", "family", FRONT_LINE_FAMILY_OBJECT),
    "contact-new": ("get", "family", FRONT_LINE_FAMILY_OBJECT),
    "parent-progress": ("get", "family", FAMILY_OBJECT),
    "visit-new": ("get", "family", FRONT_LINE_FAMILY_OBJECT),
    "visit-cancel": ("post", "visit", expect(404, worker=302, manager=302, **ANON)),
    "plan-detail": ("get", "plan", FAMILY_OBJECT),
    "plan-family-copy": ("get", "plan", FAMILY_OBJECT),
    "plan-start-scores": ("get", "plan", FAMILY_OBJECT),
    "plan-submit": ("post", "plan", expect(404, worker=302, manager=302, **ANON)),
    "plan-approve": ("post", "plan", MANAGER_ACTION),
    "plan-return": ("post", "plan", MANAGER_ACTION),
    "plan-review": ("get", "plan", FAMILY_OBJECT),
    "plan-close": ("get", "plan", FAMILY_OBJECT),
    "plan-action-add": ("get", "plan", FAMILY_OBJECT),
    "plan-action-done": ("get", "plan_action", FAMILY_OBJECT),
    "plan-action-change": ("get", "plan_action", FAMILY_OBJECT),
    "plan-action-reopen": ("get", "plan_action", FAMILY_OBJECT),
    "plan-action-redate": ("get", "plan_action", FAMILY_OBJECT),
    "plan-action-reassign": ("get", "plan_action", FAMILY_OBJECT),
    "plan-follow-up": ("get", "plan", expect(404, worker=403, manager=403, **ANON)),
    # Corrections and records marked recorded in error: the record's author (the worker) or a manager of the
    # family's base.
    "assessment-detail": ("get", "assessment", FAMILY_OBJECT),
    "assessment-amend": ("get", "assessment", FAMILY_OBJECT),
    "assessment-in-error": ("get", "assessment", FAMILY_OBJECT),
    "plan-goal-amend": ("get", "plan_goal", FAMILY_OBJECT),
    "plan-action-amend": ("get", "plan_action", FAMILY_OBJECT),
    "plan-review-amend": ("get", "plan_review", FAMILY_OBJECT),
    "plan-scores-amend": ("get", "plan_scores", FAMILY_OBJECT),
    "plan-scores-in-error": ("get", "plan_scores", FAMILY_OBJECT),
    "plan-follow-up-amend": ("get", "followed_up_plan", FAMILY_OBJECT),
    "plan-follow-up-in-error": ("get", "followed_up_plan", FAMILY_OBJECT),
    "contact-detail": ("get", "contact", FAMILY_OBJECT),
    # The contact's author (the worker) or a manager of the family's base.
    "contact-amend": ("get", "contact", FAMILY_OBJECT),
    "contact-in-error": ("get", "contact", FAMILY_OBJECT),
    "contact-safeguarding": ("get", "contact", expect(403, manager=200, other_manager=404, **ANON)),
    "my-week": ("get", None, FRONT_LINE),
    "fund-home": ("get", None, FRONT_LINE),
    "api-schema": ("get", None, expect(200, anonymous=403)),
    "api-docs": ("get", None, expect(200, anonymous=302)),
    "api-family-list": ("get", None, API_LIST),
    "api-person-list": ("get", None, API_LIST),
    "api-referral-list": ("get", None, API_LIST),
    "api-plan-list": ("get", None, API_LIST),
    "api-contact-list": ("get", None, API_LIST),
    "api-course-list": ("get", None, API_LIST),
    "api-session-list": ("get", None, API_LIST),
    "api-fund-application-list": ("get", None, API_LIST),
    "api-family-detail": ("get", "family", API_FAMILY_OBJECT),
    "api-person-detail": ("get", "person", API_FAMILY_OBJECT),
    # POST only (tests/api/test_permissions.py posts to it, and checks who may): any GET is refused.
    "api-person-early-education": ("get", "person", expect(405, anonymous=403)),
    "api-referral-detail": ("get", "referral", API_FAMILY_OBJECT),
    # POST only (tests/api/test_permissions.py posts to it, and checks who may): any GET is refused.
    "api-referral-decision": ("get", "referral", expect(405, anonymous=403)),
    "api-plan-detail": ("get", "plan", API_FAMILY_OBJECT),
    "api-plan-outcomes": ("get", "plan", API_FAMILY_OBJECT),
    # An empty body: the worker and manager of the family are told the date is missing.
    "api-plan-action-done": ("post", "plan_action", expect(404, worker=400, manager=400, anonymous=403)),
    "api-contact-detail": ("get", "contact", API_FAMILY_OBJECT),
    "api-fund-application-detail": ("get", "application", API_FAMILY_OBJECT),
    "api-advice-list": ("get", None, API_LIST),
    "api-advice-detail": ("get", "advice", expect(404, worker=200, colleague=200, manager=200, anonymous=403)),
    # The community groups register (any signed-in member of staff) and the grants (managers and the admin).
    "api-community-group-list": ("get", None, expect(200, anonymous=403)),
    "api-community-group-detail": ("get", "community_group", expect(200, anonymous=403)),
    "api-community-grant-list": ("get", None, expect(403, manager=200, other_manager=200, admin=200)),
    "api-community-grant-detail": ("get", "grant", expect(403, manager=200, other_manager=200, admin=200)),
    "api-complaints-list": ("get", None, expect(403, manager=200, other_manager=200)),
    "api-complaints-detail": ("get", "complaint", expect(403, manager=200, other_manager=404)),
    "api-development-review-list": ("get", None, API_LIST),
    "api-development-review-detail": ("get", "development_review", API_FAMILY_OBJECT),
    "api-taf-meeting-list": ("get", None, API_LIST),
    "api-taf-meeting-detail": ("get", "taf_meeting", API_FAMILY_OBJECT),
    "api-onward-referral-list": ("get", None, API_LIST),
    "api-onward-referral-detail": ("get", "onward_referral", API_FAMILY_OBJECT),
    "api-course-detail": ("get", "group_course", API_COURSE_OBJECT),
    "api-session-detail": ("get", "group_session", API_COURSE_OBJECT),
    "api-session-register": ("get", "group_session", API_COURSE_REGISTER),
    "api-partner-referral-list": ("get", None, expect(403)),
    "api-partner-referral-detail": ("get", "referral", expect(403)),
    "audit-search": ("get", None, expect(403, admin=200, **ANON)),
    "audit-export": ("get", None, expect(403, admin=200, **ANON)),
    "directory-services": ("get", None, expect(200)),
    "directory-service": ("get", "group_course", expect(200)),
    "directory-locations": ("get", None, expect(200)),
    "directory-sessions": ("get", None, expect(200)),
    # Open Referral UK 3.0's root and taxonomies (community.directory): public like the rest of the feed.
    "directory-root": ("get", None, expect(200)),
    "directory-taxonomies": ("get", None, expect(200)),
    "directory-taxonomy": ("get", "taxonomy", expect(200)),
    "directory-taxonomy-terms": ("get", None, expect(200)),
    "directory-taxonomy-term": ("get", "taxonomy_term", expect(200)),
    # The public request for support: open to anyone, signed in or not (README "The public routes"). Check your
    # answers with nothing answered goes to the first question; the confirmation with nothing sent, to the start.
    "request-support": ("get", None, expect(200)),
    "request-support-question": ("get", "request_page", expect(200)),
    "request-support-consent-needed": ("get", None, expect(200)),
    "request-support-check": ("get", "request_route", expect(302)),
    "request-support-sent": ("get", "request_route", expect(302)),
    "request-support-exit": ("get", None, expect(302)),
    "import-home": ("get", None, expect(403, admin=200, **ANON)),
    "import-review-list": ("get", None, MANAGERS_ONLY),
    "import-review": ("get", "import_review", expect(403, manager=200, other_manager=404, **ANON)),
    "return-list": ("get", None, RETURN_READERS),
    "county-dashboard": ("get", None, RETURN_READERS),
    # Reach against population (#19 item 3): protected aggregates, for the county dashboard's readers.
    "reach-dashboard": ("get", None, RETURN_READERS),
    "return-detail": ("get", "draft_return", DRAFT_RETURN),
    "return-pdf": ("get", "draft_return", DRAFT_RETURN),
    "return-csv": ("get", "draft_return", DRAFT_RETURN),
    "return-definitions-csv": ("get", "draft_return", DRAFT_RETURN),
    # An empty POST lacks the confirmation ("I understand a submitted return cannot be changed"): 400.
    "return-submit": ("post", "draft_return", expect(403, manager=400, other_manager=400, admin=400, **ANON)),
    "return-progress": ("get", "return_request", expect(403, manager=200, other_manager=404, admin=404, **ANON)),
    "group-list": ("get", None, FRONT_LINE),
    "group-programme-list": ("get", None, EVERYONE),
    "group-course-new": ("get", None, FRONT_LINE),
    "group-course-detail": ("get", "group_course", COURSE_OBJECT),
    "group-course-enrol": ("get", "group_course", COURSE_OBJECT),
    "group-course-enrol-families": ("get", "group_course", COURSE_OBJECT),
    "group-course-facilitators": ("get", "group_course", COURSE_REGISTER),
    "group-session-detail": ("get", "group_session", COURSE_OBJECT),
    "group-session-register": ("get", "group_session", COURSE_REGISTER),
    # Known families at a universal session's register (#19): its register takers only, like the register.
    "group-session-register-families": ("get", "universal_session", COURSE_REGISTER),
    "group-session-register-family": ("get", "universal_session", COURSE_REGISTER),
    "group-session-register-mark": (
        "post",
        "universal_session",
        expect(404, worker=302, colleague=403, manager=302, **ANON),
    ),
    "group-enrolment-measures": ("get", "group_enrolment", COURSE_REGISTER),
    "fund-apply": ("get", "family", FRONT_LINE_FAMILY_OBJECT),
    "fund-application": ("get", "application", FAMILY_OBJECT),
    "fund-decide": ("post", "application", expect(403, manager=400, other_manager=404, **ANON)),
    "fund-pay": ("post", "application", expect(403, manager=400, other_manager=404, **ANON)),
    "fund-cancel": ("post", "application", expect(403, manager=400, other_manager=404, **ANON)),
    "fund-submit": ("post", "application", expect(404, worker=302, manager=302, **ANON)),
    # Correcting an application before payment: its applicant (the worker here) or a manager of the family's base.
    "fund-correct": ("get", "application", FAMILY_OBJECT),
    "fund-dashboard": ("get", None, expect(403, manager=200, other_manager=200, admin=200, **ANON)),
    "fund-export": ("get", None, expect(403, manager=200, other_manager=200, admin=200, **ANON)),
    "fund-budgets": ("get", None, expect(403, admin=200, **ANON)),
    "fund-budget-adjust": ("get", "budget", expect(403, admin=200, **ANON)),
    # The service admin's configuration pages (#17 item 11).
    "staff-list": ("get", None, ADMIN_ONLY),
    "staff-add": ("get", None, ADMIN_ONLY),
    "staff-detail": ("get", "staff_member", ADMIN_ONLY),
    "staff-added": ("get", "staff_member", ADMIN_ONLY),
    "staff-deactivate": ("get", "staff_member", ADMIN_ONLY),
    "staff-set-password-link": ("post", "staff_member", expect(403, admin=302, **ANON)),
    "staff-two-factor-reset": ("post", "staff_member", expect(403, admin=302, **ANON)),
    # The one-time link a new member of staff opens before they can sign in: open to all (a wrong link says so).
    "set-password": ("get", "set_password", expect(200)),
    "fund-limits": ("get", None, ADMIN_ONLY),
    "kpi-targets": ("get", None, ADMIN_ONLY),
    # The advice log: the recorder's team and its base's managers; commissioners see the returns' counts only.
    "advice-log": ("get", None, FRONT_LINE),
    "advice-new": ("get", None, FRONT_LINE),
    "advice-detail": (
        "get",
        "advice",
        expect(404, worker=200, colleague=200, manager=200, commissioner=403, admin=403, **ANON),
    ),
    # An empty body: the team is told the reference is missing.
    "advice-link-referral": (
        "post",
        "advice",
        expect(404, worker=400, colleague=400, manager=400, commissioner=403, admin=403, **ANON),
    ),
    "kpi-target-edit": ("get", "kpi", ADMIN_ONLY),
    "budget-actuals": ("get", None, ADMIN_ONLY),
    # Families' voice: the public feedback form (no sign-in); feedback and complaints for the team managers of the
    # bases they belong to (another base's: 404); digital reach for the service admin.
    "feedback": ("get", None, expect(200)),
    "feedback-sent": ("get", None, expect(302)),
    "voice-feedback-list": ("get", None, MANAGERS_ONLY),
    "voice-feedback-detail": ("get", "feedback", expect(403, manager=200, other_manager=404, **ANON)),
    "voice-complaint-list": ("get", None, MANAGERS_ONLY),
    "voice-complaint-new": ("get", None, MANAGERS_ONLY),
    "voice-complaint-detail": ("get", "complaint", expect(403, manager=200, other_manager=404, **ANON)),
    "voice-complaint-respond": ("post", "complaint", expect(403, manager=400, other_manager=404, **ANON)),
    "voice-complaint-correct": ("get", "complaint", expect(403, manager=200, other_manager=404, **ANON)),
    "voice-digital-reach": ("get", None, ADMIN_ONLY),
    "venue-admin-list": ("get", None, ADMIN_ONLY),
    "venue-assessment": ("get", "venue", ADMIN_ONLY),
    # Community groups (#19): every member of staff reads the register and the gaps; the managers of the group's
    # district (the scenario's is the manager's, not the other manager's) and the service admin keep it.
    "community-group-list": ("get", None, EVERYONE),
    "community-group-detail": ("get", "community_group", EVERYONE),
    "community-gaps": ("get", None, EVERYONE),
    "community-group-add": ("get", None, expect(403, manager=200, other_manager=200, admin=200, **ANON)),
    "community-group-edit": ("get", "community_group", expect(403, manager=200, admin=200, **ANON)),
    "community-group-checked": ("post", "community_group", expect(403, manager=302, admin=302, **ANON)),
    # Connecting a family, and whether they went: whoever may see the family (the worker and the base's manager).
    "community-connect": ("get", "family", FRONT_LINE_FAMILY_OBJECT),
    "community-connection-outcome": ("get", "connection", FRONT_LINE_FAMILY_OBJECT),
    "community-follow-ups": ("get", None, FRONT_LINE),
    # Community grants: team managers and the service admin; the budget is the admin's. Empty decisions are 400.
    "community-grant-list": ("get", None, expect(403, manager=200, other_manager=200, admin=200, **ANON)),
    "community-grant-new": ("get", None, expect(403, manager=200, other_manager=200, admin=200, **ANON)),
    "community-grant-detail": ("get", "grant", expect(403, manager=200, other_manager=200, admin=200, **ANON)),
    "community-grant-assess": ("post", "grant", expect(403, manager=400, other_manager=400, admin=400, **ANON)),
    "community-grant-decide": ("post", "grant", expect(403, manager=400, other_manager=400, admin=400, **ANON)),
    "community-grant-pay": ("post", "grant", expect(403, manager=400, other_manager=400, admin=400, **ANON)),
    "community-grant-monitoring": (
        "post",
        "grant",
        expect(403, manager=400, other_manager=400, admin=400, **ANON),
    ),
    "community-grant-withdraw": ("post", "grant", expect(403, manager=400, other_manager=400, admin=400, **ANON)),
    "community-grant-budget": ("get", None, ADMIN_ONLY),
    # Workforce (#20 item 6): the admin and managers use the workforce page; a member's record is theirs, their team
    # manager's and the admin's (404 to anyone else); supervision is recorded by the team manager, training and DBS
    # checks by the manager or the admin (403 to the member themself); commissioners see the return only.
    "workforce-home": ("get", None, expect(403, manager=200, other_manager=200, admin=200, **ANON)),
    "workforce-mine": ("get", None, expect(302, commissioner=403)),
    "workforce-member": (
        "get",
        "workforce_member",
        expect(404, worker=200, manager=200, admin=200, commissioner=403, **ANON),
    ),
    "workforce-supervision-new": (
        "get",
        "workforce_member",
        expect(404, worker=403, manager=200, admin=403, commissioner=403, **ANON),
    ),
    "workforce-training-new": (
        "get",
        "workforce_member",
        expect(404, worker=403, manager=200, admin=200, commissioner=403, **ANON),
    ),
    "workforce-dbs-new": (
        "get",
        "workforce_member",
        expect(404, worker=403, manager=200, admin=200, commissioner=403, **ANON),
    ),
    "workforce-vacancies": ("get", None, expect(403, manager=200, other_manager=200, admin=200, **ANON)),
    "workforce-vacancy-new": ("get", None, ADMIN_ONLY),
    "workforce-vacancy-fill": ("get", "vacancy", ADMIN_ONLY),
    # Messages (#18): each worker's and manager's own preferences; a family's messages to those who may see it;
    # stopping its reminders (the scenario's family has none on: back to its messages); the family's own link.
    "message-preferences": (
        "get",
        None,
        expect(200, commissioner=403, admin=403, **ANON),
    ),
    "family-messages": ("get", "family", FAMILY_OBJECT),
    "family-reminders-stop": ("post", "family", expect(404, worker=302, manager=302, **ANON)),
    "reminders-stop-public": ("get", "reminder_token", expect(200)),
}


def _named_urls(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: checked separately below
            yield from _named_urls(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def test_every_named_url_is_in_the_table():
    missing = set(_named_urls()) - set(TABLE)
    assert not missing, f"add these URLs to the permission table: {sorted(missing)}"


def _reviewed_and_followed_up(cast, plan):
    """A review of the (active) plan, and a recorded follow-up on it: the pages that correct them need one."""
    from django.utils import timezone

    from families.models import FollowUp
    from families.support.services import plan_review

    review = plan_review(
        plan=plan,
        reviewed_on=timezone.localdate(),
        progress={goal.pk: "positive" for goal in plan.goals.all()},
        scores={goal.determinant_id: 5 for goal in plan.goals.all()},
        notes="",
        actor=cast.worker,
    )
    followed_up = FollowUp.objects.create(
        plan=plan, due_on=timezone.localdate(), sustained=True, recorded_at=timezone.now(), recorded_by=cast.worker
    )
    return review, followed_up


@pytest.fixture
def scenario(cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    plan = draft_plan(family=referral.family, worker=cast.worker)
    # Actions change on an active (or pending) plan: the family's group plan, approved by the manager.
    group_plan = active_plan(family=referral.family, worker=cast.worker, manager=cast.manager, kind="group")
    action = plan_action(plan=group_plan, worker=cast.worker)
    review, followed_up = _reviewed_and_followed_up(cast, group_plan)
    contact = home_visit(family=referral.family, worker=cast.worker, concern=True)
    from datetime import timedelta

    from django.utils import timezone

    from families.support.services import visit_plan

    visit = visit_plan(
        family=referral.family, actor=cast.worker, starts_at=timezone.now() + timedelta(days=2), mode="home_visit"
    )
    for_fund = family_in_support(cast)
    county = budget(cast, "100")
    fund_application = application(cast, for_fund)
    draft = Return.objects.create(
        kind="monthly",
        period="2025-08",
        period_start="2025-08-01",
        period_end="2025-08-31",
        figures={"districts": [], "sections": []},
        pdf=ContentFile(b"%PDF-1.4 placeholder", name="draft.pdf"),
        csv=ContentFile(b"kpi\n", name="draft.csv"),
        definitions_csv=ContentFile(b"kpi\n", name="draft-definitions.csv"),
    )
    job = ReturnRequest.objects.create(kind="monthly", period="2025-08", requested_by=cast.manager)
    sar = subject_access_create(
        actor=cast.admin,
        family_reference=referral.family.reference,
        requester_name="Kerry Howes",
        received_on=timezone.localdate(),
    )
    from reporting.kpis import REGISTRY

    document = document_on(referral.family, cast.worker)
    return {
        "request_page": ("family", "children"),
        "request_route": ("professional",),
        "staff_member": (cast.worker.pk,),
        "set_password": ("MQ", "not-a-token"),
        "kpi": (REGISTRY[0].code,),
        "venue": (cast.team.base.venue.pk,),
        "sar": (sar.uuid,),
        "sar_bundle": (sar.uuid, "json"),
        "draft_return": (draft.uuid,),
        "return_request": (job.uuid,),
        **group_scenario(cast, referral.family),
        "universal_session": (universal_session(cast).uuid,),
        **import_scenario(cast),
        "application": (fund_application.uuid,),
        "budget": (county.uuid,),
        **community_scenario(cast, referral.family),
        **partnership_scenario(cast, referral.family),
        **workforce_scenario(cast),
        "referral": (referral.uuid,),
        "person": (referral.family.members.first().uuid,),
        "family_child": (referral.family.reference, referral.family.members.get(kind="child").uuid),
        "family": (referral.family.reference,),
        "plan": (plan.uuid,),
        "plan_action": (group_plan.uuid, action.uuid),
        "assessment": (referral.family.assessments.get().uuid,),
        "plan_goal": (plan.uuid, plan.goals.first().pk),
        "plan_review": (group_plan.uuid, review.pk),
        "plan_scores": (group_plan.uuid, group_plan.outcome_assessments.get(stage="start").pk),
        "followed_up_plan": (followed_up.plan.uuid,),
        "contact": (contact.uuid,),
        "visit": (visit.uuid,),
        "advice": (advice_entry(actor=cast.worker).uuid,),
        "complaint": (complaint(actor=cast.manager, family=referral.family).uuid,),
        "feedback": (feedback(reference=referral.family.reference).uuid,),
        "document": (document.uuid,),
        "sar_document": (sar.uuid, document.uuid),
        "development_review": (review_of(referral.family.members.get(kind="child"), cast.worker).uuid,),
        "reminder_token": (stop_reminders_link(referral.family).rstrip("/").rsplit("/", 1)[1],),
    }


@pytest.mark.parametrize("name", sorted(TABLE))
def test_permission_table(client, cast, scenario, name):
    method, args_key, expected = TABLE[name]
    url = reverse(name, args=scenario[args_key] if args_key else None)
    for member in CAST:
        client.logout()
        if member != "anonymous":
            client.force_login(getattr(cast, member))
        response = getattr(client, method)(url)
        assert response.status_code == expected[member], f"{name} as {member}: {response.status_code}"


@pytest.mark.parametrize("member", [m for m in CAST if m != "anonymous"])
def test_configuration_screens_are_for_the_service_admin_only(client, cast, member):
    from ecfs.roles import role_groups_ensure

    role_groups_ensure()
    client.force_login(getattr(cast, member))
    response = client.get(reverse("admin:index"))
    assert response.status_code == (200 if member == "admin" else 302)


def test_admin_screens_hold_no_case_records(client, cast, scenario):
    from ecfs.roles import role_groups_ensure

    role_groups_ensure()
    client.force_login(cast.admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Families" not in html and "Referrals" not in html
