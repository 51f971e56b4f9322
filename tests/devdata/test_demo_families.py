"""The demo families seed: every state in every district, believable people, all through the services."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q
from django.utils import timezone

from bases.models import District
from devdata.demo import demo_staff_seed
from devdata.demo_families import DEMO_REFERRER_DOMAIN, demo_families_seed, demo_families_summary
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import Allocation, Ethnicity, Family, Person, Professional
from families.selectors import family_list
from families.validators import validate_uk_postcode
from referrals.models import Referral, TriageDecision
from referrals.selectors import with_overdue


@pytest.mark.slow
@pytest.mark.dates
def test_demo_families_cover_every_state_and_are_consistent_and_idempotent(db):
    demo_staff_seed()
    counts = demo_families_seed()
    today = timezone.localdate()
    now = timezone.now()
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1), "the seed's clock is put back"

    # About two dozen referrals per team, in every state, all marked as demo data.
    referrals = Referral.objects.all()
    assert counts["created"] is True
    assert 310 <= referrals.count() <= 360
    assert counts["referrals"] == referrals.count()
    assert counts["families"] == Family.objects.count()
    assert not referrals.exclude(referrer_email__endswith=f"@{DEMO_REFERRER_DOMAIN}").exists()
    by_status = dict(referrals.order_by().values_list("status").annotate(n=Count("pk")))
    assert set(by_status) == set(Referral.Status.values), by_status
    assert by_status[Referral.Status.ALLOCATED] > referrals.count() / 3
    assert counts["by_status"] == {status: by_status[status] for status in Referral.Status.values}
    assert "allocated" in demo_families_summary(counts)

    # Every district has families, at addresses with the county's postcodes.
    assert set(Family.objects.values_list("district__name", flat=True)) == set(
        District.objects.values_list("name", flat=True)
    )
    for family in Family.objects.select_related("locality"):
        validate_uk_postcode(family.postcode)
        assert family.postcode[:2] in ("NR", "PE", "IP"), family.postcode
        assert family.locality.district_id in (None, family.district_id)
    assert not referrals.exclude(routed_team__base__district=F("district")).exists()

    # People: children 0 to 5, babies on the way, parents 16 to 45 (when referred).
    children = Person.objects.filter(kind=Person.Kind.CHILD)
    assert children.exists()
    for dob in children.values_list("date_of_birth", flat=True):
        assert today - relativedelta(years=5) <= dob <= today
    expected = list(Person.objects.filter(kind=Person.Kind.UNBORN).values_list("expected_date", flat=True))
    assert expected
    for day in expected:
        assert today < day <= today + relativedelta(months=10)
    for dob in Person.objects.filter(kind=Person.Kind.PARENT_CARER, date_of_birth__isnull=False).values_list(
        "date_of_birth", flat=True
    ):
        assert 16 <= relativedelta(today, dob).years <= 47  # 16 to 45 when referred, up to fifteen months ago
    assert Family.objects.filter(teenage_parent=True).exists()
    assert Family.objects.filter(english_additional_language=True).exclude(first_language="").exists()
    assert Family.objects.filter(interpreter_needed=True).exists()
    ethnicities = Counter(Family.objects.values_list("ethnicity", flat=True))
    assert ethnicities.most_common(1)[0][0] == Ethnicity.WHITE_BRITISH
    assert len(ethnicities) >= 5
    assert Professional.objects.filter(agency=Professional.Agency.HEALTH_VISITING).exists()

    # Timescales: received over months (back beyond a year), some triage and first contacts overdue, nothing in
    # the future.
    assert referrals.filter(received_at__lt=now - timedelta(days=420)).exists()
    assert referrals.filter(received_at__gt=now - timedelta(days=60), status=Referral.Status.ALLOCATED).exists()
    flagged = with_overdue(referrals, today=today)
    assert flagged.filter(triage_overdue=True).exists()
    assert flagged.filter(status=Referral.Status.RECEIVED, triage_overdue=False).exists()
    assert flagged.filter(status=Referral.Status.ALLOCATED, first_contact_overdue=True).exists()
    assert referrals.filter(first_contact_at__isnull=False).exists()
    assert not referrals.filter(received_at__gt=now).exists()
    assert not referrals.filter(triaged_at__lt=F("received_at")).exists()
    assert not referrals.filter(first_contact_at__lt=F("received_at")).exists()
    assert not AuditEvent.objects.filter(occurred_at__gt=now).exists()

    # Coded reasons that fit each decision; re-referrals within the year.
    for decision, reason in TriageDecision.objects.values_list("decision", "reason"):
        assert reason in TriageDecision.REASONS_FOR[TriageDecision.Decision(decision)]
    rereferrals = referrals.filter(previous_closure_at__isnull=False)
    assert rereferrals.exists()
    for referral in rereferrals:
        assert referral.family.referrals.filter(closed_at=referral.previous_closure_at).exists()

    # Every allocated family has one lead worker, who can see it; some co-workers and reallocations.
    for referral in referrals.filter(status=Referral.Status.ALLOCATED).select_related("family"):
        leads = referral.family.allocations.filter(role=Allocation.Role.LEAD, ended_at__isnull=True)
        assert leads.count() == 1
        assert family_list(user=leads.get().worker).filter(pk=referral.family_id).exists()
    assert Allocation.objects.filter(role=Allocation.Role.CO_WORKER, ended_at__isnull=True).exists()
    assert Allocation.objects.filter(Q(role=Allocation.Role.LEAD), ~Q(end_reason=""), ended_at__isnull=False).exists()

    # A second run changes nothing.
    before = (Referral.objects.count(), Family.objects.count(), Allocation.objects.count(), AuditEvent.objects.count())
    again = demo_families_seed()
    after = (Referral.objects.count(), Family.objects.count(), Allocation.objects.count(), AuditEvent.objects.count())
    assert after == before
    assert again == counts | {"created": False}


def test_demo_families_refused_on_a_production_key(settings):
    settings.SECRET_KEY = "a-real-production-secret-key-" + "x" * 40
    settings.DEBUG = False
    with pytest.raises(ApplicationError):
        demo_families_seed()
