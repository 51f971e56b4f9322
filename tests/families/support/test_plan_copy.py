"""The family's copy of their plan (#20 item 4): a plain-English, tagged PDF, in large print if asked, scoped."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ecfs.audit.models import AuditEvent
from families.support import services as support_services
from tests.families.factories import active_plan
from tests.referrals.factories import allocated_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    goal = plan.goals.first()
    goal.description = "Sam goes to bed at the same time every night"
    goal.save()
    support_services.plan_action_add(
        plan=plan,
        description="Try the bath, book, bed routine for a fortnight",
        owner="worker",
        due_on=timezone.localdate() + timedelta(days=14),
        actor=cast.worker,
    )
    return plan


def _read(response) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(response.content))
    return reader, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _font_sizes(reader: PdfReader) -> set[float]:
    sizes = set()

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.add(round(font_size * abs(tm[0]) * abs(cm[0]), 1))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_the_worker_downloads_the_familys_copy_in_plain_words(client, cast, plan):
    client.force_login(cast.worker)
    assert (
        reverse("plan-family-copy", args=[plan.uuid])
        in client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    )
    response = client.get(reverse("plan-family-copy", args=[plan.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader, text = _read(response)
    assert "Our plan together" in text
    assert "Sam goes to bed at the same time every night" in text  # the goal in the family's words
    assert "Try the bath, book, bed routine for a fortnight" in text
    assert f"{plan.next_review_due:%-d %B %Y}" in text
    assert plan.family.postcode not in text  # nothing the service holds about them beyond the plan
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, for screen readers
    assert AuditEvent.objects.filter(family=plan.family, action="plan.family_copy").count() == 1


def test_large_print_is_larger(client, cast, plan):
    client.force_login(cast.worker)
    standard, _ = _read(client.get(reverse("plan-family-copy", args=[plan.uuid])))
    large, text = _read(client.get(reverse("plan-family-copy", args=[plan.uuid]) + "?print=large"))
    assert "Sam goes to bed" in text
    assert min(_font_sizes(large)) >= 14 > max(size for size in _font_sizes(standard) if size < 14)


def test_someone_who_may_not_see_the_family_gets_404(client, cast, plan):
    client.force_login(cast.other_worker)
    assert client.get(reverse("plan-family-copy", args=[plan.uuid])).status_code == 404
    assert not AuditEvent.objects.filter(action="plan.family_copy").exists()
