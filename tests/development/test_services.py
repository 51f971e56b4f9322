"""Recording a child's development review: what is refused and why, the audit, corrections and recorded in error."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from development import selectors, services
from development.models import DevelopmentReview
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from tests.development.factories import eyfs_of, levels, review_of

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Europe/London")), tick=True):
        yield


def _born(child, day):
    child.date_of_birth = day
    child.save()
    return child


def _refused(field, child, actor, **kwargs):
    with pytest.raises(ValidationError) as refused:
        review_of(child, actor, **kwargs)
    assert field in refused.value.message_dict, refused.value.message_dict
    return refused.value.message_dict[field][0]


def test_a_two_year_review_is_recorded_and_audited(cast, family, child):
    _born(child, date(2024, 3, 10))
    review = review_of(
        child, cast.worker, reviewed_on=date(2026, 4, 20), levels=levels(communication="close", fine_motor="below")
    )
    assert (review.family, review.kind) == (family, "two_year")
    assert (review.communication, review.fine_motor) == ("close", "below")
    assert review.good_level_of_development is None and review.consent_confirmed and review.created_by == cast.worker
    event = AuditEvent.objects.get(action="development_review.recorded", family=family)
    assert "Communication: close" in event.summary and event.actor == cast.worker


def test_without_consent_nothing_is_recorded(cast, child):
    with pytest.raises(ValidationError) as refused:
        services.development_review_record(
            child=child,
            actor=cast.worker,
            kind="two_year",
            reviewed_on=TODAY,
            source="Health visitor",
            consent_confirmed=False,
            levels=levels(),
        )
    assert "without their consent it cannot be recorded" in refused.value.message_dict["consent_confirmed"][0]
    assert not DevelopmentReview.objects.exists()


def test_the_database_refuses_a_review_without_consent_too(cast, child):
    review = review_of(child, cast.worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentReview.objects.filter(pk=review.pk).update(consent_confirmed=False)


def test_the_dates_that_cannot_be_true_are_refused(cast, child):
    _born(child, date(2024, 3, 10))
    assert "today or in the past" in _refused("reviewed_on", child, cast.worker, reviewed_on=date(2026, 6, 16))
    assert "on or after the child's birth" in _refused("reviewed_on", child, cast.worker, reviewed_on=date(2024, 3, 9))
    # A review on the day of birth is possible; ASQ-3 stops at 5½ (66 months).
    assert review_of(child, cast.worker, reviewed_on=date(2024, 3, 10))
    _born(child, date(2020, 12, 1))
    assert review_of(child, cast.worker, reviewed_on=date(2026, 6, 1)).reviewed_on == date(2026, 6, 1)
    assert "aged up to 5½" in _refused("reviewed_on", child, cast.worker, reviewed_on=date(2026, 6, 2))


def test_an_eyfs_result_is_at_the_end_of_reception(cast, child):
    _born(child, date(2020, 12, 1))
    assert "between 01 December 2024 and 01 December 2026" in _refused(
        "reviewed_on", child, cast.worker, kind="eyfs", reviewed_on=date(2024, 11, 30), good_level_of_development=True
    )
    result = eyfs_of(child, cast.worker, good=False, reviewed_on=date(2026, 6, 1))
    assert (result.good_level_of_development, result.academic_year, result.communication) == (False, "2025/26", "")
    assert "good level of development" in _refused(
        "good_level_of_development", child, cast.worker, kind="eyfs", reviewed_on=date(2026, 6, 1)
    )


def test_every_domain_needs_a_level(cast, child):
    missing = levels()
    del missing["problem_solving"]
    assert _refused("problem_solving", child, cast.worker, levels=missing) == "Select the level in problem solving"
    assert _refused("gross_motor", child, cast.worker, levels=levels(gross_motor="great")).startswith("Select")


def test_only_a_born_child_has_reviews(cast, family):
    parent = family.members.get(kind="parent_carer")
    with pytest.raises(ValidationError) as refused:
        review_of(parent, cast.worker, reviewed_on=TODAY)
    assert "child" in refused.value.message_dict


def test_a_correction_keeps_what_was_there_with_the_reason(cast, child):
    _born(child, date(2024, 3, 10))
    review = review_of(child, cast.worker, reviewed_on=date(2026, 4, 20))
    services.development_review_amend(
        review=review,
        actor=cast.manager,
        reason="Communication was close to, not above",
        reviewed_on=date(2026, 4, 21),
        source=review.source,
        levels=levels(communication="close"),
    )
    review.refresh_from_db()
    assert (review.communication, review.reviewed_on) == ("close", date(2026, 4, 21))
    (amendment,) = selectors.review_amendments(review)
    assert amendment.reason == "Communication was close to, not above" and amendment.who == "Rosie Goodwin"
    changes = {change.field: (change.old, change.new) for change in amendment.changes}
    assert changes["communication"] == ("Above the expected level", "Close to the expected level (monitoring zone)")
    assert changes["date of the review"] == (date(2026, 4, 20), date(2026, 4, 21))
    assert AuditEvent.objects.filter(action="development_review.amended").count() == 1


def test_a_correction_needs_a_reason_and_a_change(cast, child):
    review = review_of(child, cast.worker)
    same = {"reviewed_on": review.reviewed_on, "source": review.source, "levels": levels()}
    with pytest.raises(ValidationError, match="Say why"):
        services.development_review_amend(review=review, actor=cast.worker, reason=" ", **same)
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.development_review_amend(review=review, actor=cast.worker, reason="Typo", **same)


def test_someone_who_cannot_see_the_family_cannot_change_it(cast, child):
    review = review_of(child, cast.worker)
    with pytest.raises(ApplicationError):
        services.development_review_mark_in_error(review=review, actor=cast.colleague, reason="Wrong child")


def test_recorded_in_error_leaves_the_record_and_cannot_be_changed(cast, family, child):
    review = review_of(child, cast.worker)
    services.development_review_mark_in_error(review=review, actor=cast.worker, reason="Wrong child")
    review.refresh_from_db()
    assert review.in_error_by == cast.worker and review.in_error_reason == "Wrong child"
    assert selectors.family_children_reviews(family=family)[0].reviews == []
    assert not selectors.review_list(user=cast.worker).exists()
    with pytest.raises(ApplicationError, match="recorded in error"):
        services.development_review_amend(
            review=review, actor=cast.worker, reason="x", reviewed_on=TODAY, source="HV", levels=levels()
        )
    assert AuditEvent.objects.filter(action="development_review.in_error", family=family).exists()


def test_each_kind_keeps_to_its_own_fields(cast, child):
    message = _refused("good_level_of_development", child, cast.worker, good_level_of_development=True)
    assert message == "Only an EYFS profile result records a good level of development"
    _born(child, date(2020, 12, 1))
    message = _refused(
        "communication",
        child,
        cast.worker,
        kind="eyfs",
        reviewed_on=date(2026, 6, 1),
        good_level_of_development=True,
        levels=levels(),
    )
    assert "no ASQ-3 domains" in message


def test_the_same_review_entered_twice_is_refused_and_nothing_more_is_saved(cast, child):
    _born(child, date(2024, 3, 10))
    first = review_of(child, cast.worker, reviewed_on=date(2026, 4, 20))
    message = _refused("reviewed_on", child, cast.worker, reviewed_on=date(2026, 4, 20), kind="asq")
    assert message == (
        "An ASQ-3 review of Alfie on 20 April 2026 is already recorded: correct that one if something in it is wrong"
    )
    assert DevelopmentReview.objects.filter(child=child).count() == 1
    # Nor can a correction move another review onto that day.
    other = review_of(child, cast.worker, reviewed_on=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="already recorded"):
        services.development_review_amend(
            review=other, actor=cast.worker, reason="Date", reviewed_on=date(2026, 4, 20), source="HV", levels=levels()
        )
    # One recorded in error does not count: the right one can then be entered.
    services.development_review_mark_in_error(review=first, actor=cast.worker, reason="Wrong child")
    assert review_of(child, cast.worker, reviewed_on=date(2026, 4, 20))
