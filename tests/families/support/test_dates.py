"""Dates that cannot be true are refused (issue #17 item 4), by one set of rules (``families.rules``) that the
services call, so the pages, the API and the import refuse them alike."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from families.models import Determinant, Person
from families.rules import SERVICE_START, long_date, validate_person_dates
from families.support import services as support_services
from support_fund import services as fund_services
from tests.api.conftest import client_for
from tests.families.factories import active_plan, completed_assessment, draft_plan, home_visit, plan_action, scores
from tests.referrals.factories import allocated_referral
from tests.support_fund.factories import application, budget, family_in_support
from tests.venues.factories import course
from venues import services as venue_services

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

YEAR_1900 = date(1900, 1, 1)
YEAR_2999 = date(2999, 1, 1)


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _first_referred(family) -> date:
    return timezone.localdate(family.referrals.order_by("received_at").first().received_at)


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _refused(call, field: str, text: str = "") -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    messages = caught.value.message_dict
    assert field in messages, messages
    assert text in " ".join(messages[field]), messages[field]
    return messages[field][0]


# The services ----------------------------------------------------------------------------------


def test_a_contact_in_1900_before_the_service_or_the_referral_is_refused(cast, family):
    first = _first_referred(family)
    message = _refused(
        lambda: home_visit(family=family, worker=cast.worker, occurred_at=timezone.now().replace(year=1900)),
        "occurred_at",
    )
    assert message == f"The date of the contact must be after the family was first referred ({long_date(first)})"


def test_a_contact_before_the_family_was_first_referred_is_refused(cast, family):
    day_before = timezone.now() - timedelta(days=3)
    _refused(lambda: home_visit(family=family, worker=cast.worker, occurred_at=day_before), "occurred_at", "referred")


def test_a_contact_in_the_future_is_refused(cast, family):
    tomorrow = timezone.now() + timedelta(days=1)
    message = _refused(lambda: home_visit(family=family, worker=cast.worker, occurred_at=tomorrow), "occurred_at")
    assert message == "The date of the contact must be today or in the past"


def test_a_child_cannot_be_seen_before_they_were_born(cast, family):
    baby = family.members.filter(kind=Person.Kind.CHILD).first()
    Person.objects.filter(pk=baby.pk).update(date_of_birth=timezone.localdate())
    yesterday = timezone.now() - timedelta(days=1)
    family.referrals.update(received_at=yesterday - timedelta(days=1))
    message = _refused(lambda: home_visit(family=family, worker=cast.worker, occurred_at=yesterday), f"child_{baby.pk}")
    assert "answer no" in message
    # Not seen (they were not born yet) is a true answer.
    home_visit(family=family, worker=cast.worker, occurred_at=yesterday, children_seen={baby.pk: False})


def test_an_assessment_agreed_in_1900_is_refused(cast, family):
    assessment = support_services.assessment_start(family=family, actor=cast.worker)
    _refused(
        lambda: support_services.assessment_complete(
            assessment=assessment,
            needs=list(Determinant.objects.all()[:1]),
            strengths="",
            family_view="",
            child_voice="",
            agreed_on=YEAR_1900,
            actor=cast.worker,
        ),
        "agreed_on",
        "first referred",
    )


def test_a_previous_providers_assessment_may_predate_the_service_but_not_the_referral(cast, family):
    family.referrals.update(received_at=timezone.make_aware(timezone.datetime(2018, 5, 1, 9)))
    assessment = support_services.assessment_start(family=family, actor=cast.worker)

    def complete(day, history):
        return support_services.assessment_complete(
            assessment=assessment,
            needs=list(Determinant.objects.all()[:1]),
            strengths="",
            family_view="",
            child_voice="",
            agreed_on=day,
            actor=cast.worker,
            history=history,
        )

    _refused(lambda: complete(date(2018, 6, 1), False), "agreed_on", "after the service began (1 October 2019)")
    _refused(lambda: complete(date(2018, 4, 1), True), "agreed_on", "first referred (1 May 2018)")
    assert complete(date(2018, 6, 1), True).agreed_on == date(2018, 6, 1)


def test_scores_and_a_review_in_1900_are_refused(cast, family):
    plan = draft_plan(family=family, worker=cast.worker)
    _refused(
        lambda: support_services.outcome_record(
            plan=plan, stage="start", scores=scores(plan, 3), assessed_on=YEAR_1900, actor=cast.worker
        ),
        "assessed_on",
        "first referred",
    )
    active = active_plan(family=family, worker=cast.worker, manager=cast.manager, kind="group")
    _refused(
        lambda: support_services.plan_review(
            plan=active,
            reviewed_on=YEAR_1900,
            progress={goal.pk: "positive" for goal in active.goals.all()},
            scores=scores(active, 5),
            notes="",
            actor=cast.worker,
        ),
        "reviewed_on",
        "first referred",
    )


def test_parent_progress_in_1900_is_refused(cast, family):
    parent = family.members.filter(kind=Person.Kind.PARENT_CARER).first()
    _refused(
        lambda: support_services.parent_progress_record(
            person=parent, kind="training", started_on=YEAR_1900, actor=cast.worker
        ),
        "started_on",
        "first referred",
    )


def test_an_action_due_in_1900_or_2999_is_refused(cast, family):
    plan = draft_plan(family=family, worker=cast.worker)
    drafted = timezone.localdate(plan.created_at)
    message = _refused(lambda: plan_action(plan=plan, worker=cast.worker, due_on=YEAR_1900), "due_on")
    assert message == f"The due date must be on or after the day the plan was drafted ({long_date(drafted)})"
    _refused(lambda: plan_action(plan=plan, worker=cast.worker, due_on=YEAR_2999), "due_on", "2 years ahead")
    assert plan_action(plan=plan, worker=cast.worker, due_on=timezone.localdate() + timedelta(days=700)).pk


def test_a_visit_planned_for_2999_is_refused(cast, family):
    at = timezone.make_aware(timezone.datetime.combine(YEAR_2999, time(10)))
    _refused(
        lambda: support_services.visit_plan(family=family, actor=cast.worker, starts_at=at, mode="home_visit"),
        "starts_at",
        "2 years ahead",
    )


def test_a_payment_in_1900_is_refused(cast):
    budget(cast, "100")
    app = application(cast, family_in_support(cast))
    fund_services.application_approve(application=app, actor=cast.manager)
    _refused(
        lambda: fund_services.application_record_payment(
            application=app, paid_on=YEAR_1900, reference="P1", actor=cast.manager
        ),
        "paid_on",
        "first referred",
    )


def test_a_course_starting_in_1900_or_2999_or_a_session_moved_to_2999_is_refused(cast):
    _refused(lambda: course(cast=cast, start_date=YEAR_1900), "start_date", "after the service began")
    _refused(lambda: course(cast=cast, start_date=YEAR_2999), "start_date", "2 years ahead")
    session = course(cast=cast).sessions.order_by("number").last()
    _refused(
        lambda: venue_services.session_move(
            session=session,
            actor=cast.worker,
            starts_at=timezone.make_aware(timezone.datetime.combine(YEAR_2999, time(10))),
            venue=session.venue,
        ),
        "starts_at",
        "2 years ahead",
    )


def test_an_expected_date_only_for_an_unborn_child():
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        validate_person_dates(
            kind=Person.Kind.CHILD, date_of_birth=today - timedelta(days=300), expected_date=today, today=today
        )
    assert "expected_date" in caught.value.message_dict


def test_the_service_began_on_1_october_2019():
    assert date(2019, 10, 1) == SERVICE_START


# The pages -------------------------------------------------------------------------------------


def test_the_contact_page_refuses_a_contact_before_the_family_was_referred(client, cast, family):
    completed = family.members.filter(kind=Person.Kind.CHILD)
    client.force_login(cast.worker)
    response = client.post(
        reverse("contact-new", args=[family.reference]),
        {
            **_date("occurred_on", date(2019, 10, 2)),
            "time": "10:00",
            "duration_minutes": 60,
            "mode": "phone",
            "notes": "Called",
            **{f"child_{child.pk}": "yes" for child in completed},
        },
    )
    assert response.status_code == 400
    assert "must be after the family was first referred" in response.content.decode()


def test_the_review_page_refuses_a_review_in_1900(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager, kind="group")
    client.force_login(cast.worker)
    response = client.post(
        reverse("plan-review", args=[plan.uuid]),
        {
            **_date("reviewed_on", YEAR_1900),
            **{f"progress_{goal.pk}": "positive" for goal in plan.goals.all()},
            **{f"score_{goal.determinant_id}": 5 for goal in plan.goals.all()},
        },
    )
    assert response.status_code == 400
    assert "The review date must be after the family was first referred" in response.content.decode()


def test_the_action_page_refuses_a_due_date_years_ahead(client, cast, family):
    plan = draft_plan(family=family, worker=cast.worker)
    client.force_login(cast.worker)
    response = client.post(
        reverse("plan-action-add", args=[plan.uuid]),
        {"description": "Go to the group", "owner": "worker", **_date("due_on", date(2095, 1, 1))},
    )
    assert response.status_code == 400
    assert "The due date must be no more than 2 years ahead" in response.content.decode()


def test_the_planned_visit_page_refuses_a_visit_years_ahead(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(
        reverse("visit-new", args=[family.reference]),
        {**_date("on", date(2095, 1, 1)), "time": "10:00", "mode": "home_visit"},
    )
    assert response.status_code == 400
    assert "The date of the visit must be no more than 2 years ahead" in response.content.decode()


def test_the_parent_progress_page_refuses_1900(client, cast, family):
    parent = family.members.filter(kind=Person.Kind.PARENT_CARER).first()
    client.force_login(cast.worker)
    response = client.post(
        reverse("parent-progress", args=[family.reference]),
        {"person": parent.pk, "kind": "training", **_date("started_on", YEAR_1900)},
    )
    assert response.status_code == 400
    assert "The start date must be after the family was first referred" in response.content.decode()


def test_the_payment_page_refuses_1900(client, cast):
    budget(cast, "100")
    app = application(cast, family_in_support(cast))
    fund_services.application_approve(application=app, actor=cast.manager)
    client.force_login(cast.manager)
    response = client.post(
        reverse("fund-pay", args=[app.uuid]), {**_date("paid_on", YEAR_1900), "reference": "PAY-1900"}
    )
    assert response.status_code == 400
    assert "The payment date must be after the family was first referred" in response.content.decode()


def test_the_assessment_page_refuses_1900(client, cast, family):
    support_services.assessment_start(family=family, actor=cast.worker)
    client.force_login(cast.worker)
    response = client.post(
        reverse("family-assessment", args=[family.reference]),
        {"needs": [Determinant.objects.first().pk], **_date("agreed_on", YEAR_1900)},
    )
    assert response.status_code == 400
    assert "The date it was agreed must be after the family was first referred" in response.content.decode()


# The API ---------------------------------------------------------------------------------------


def test_the_api_refuses_a_contact_before_the_referral_with_400_naming_the_field(cast, family):
    response = client_for(cast.worker).post(
        reverse("api-contact-list"),
        {
            "family": family.reference,
            "occurred_at": "1900-01-01T10:00:00Z",
            "duration_minutes": 30,
            "mode": "phone",
            "notes": "Called",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "first referred" in response.json()["error"]["fields"]["occurred_at"][0]


def test_the_api_refuses_scores_before_the_referral_and_year_17(cast, family):
    plan = draft_plan(family=family, worker=cast.worker)
    url = reverse("api-plan-outcomes", args=[plan.uuid])
    body = {"stage": "start", "scores": [{"determinant": g.determinant.code, "score": 3} for g in plan.goals.all()]}
    for day in ("1900-01-01", "0017-01-01", "2999-01-01"):
        response = client_for(cast.worker).post(url, {**body, "assessed_on": day}, format="json")
        assert response.status_code == 400, day
        assert "assessed_on" in response.json()["error"]["fields"], day


def test_the_api_refuses_a_child_seen_before_birth(cast, family):
    baby = family.members.filter(kind=Person.Kind.CHILD).first()
    Person.objects.filter(pk=baby.pk).update(date_of_birth=timezone.localdate())
    yesterday = timezone.now() - timedelta(days=1)
    family.referrals.update(received_at=yesterday - timedelta(days=1))
    others = family.members.filter(kind=Person.Kind.CHILD).exclude(pk=baby.pk)
    response = client_for(cast.worker).post(
        reverse("api-contact-list"),
        {
            "family": family.reference,
            "occurred_at": yesterday.isoformat(),
            "duration_minutes": 30,
            "mode": "home_visit",
            "notes": "Visited",
            "children_seen": [{"child": str(c.uuid), "seen": True} for c in [baby, *others]],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "answer no" in " ".join(response.json()["error"]["fields"]["children_seen"])


def test_a_completed_assessment_today_is_still_fine(cast, family):
    assert completed_assessment(family=family, worker=cast.worker).agreed_on == timezone.localdate()
