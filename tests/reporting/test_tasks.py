"""The Celery jobs, run for real (in-process, as the embedded default and the tests run them)."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.urls import reverse

from reporting import services, tasks
from reporting.models import Return, ReturnRequest
from reporting.periods import first_working_day, parse_period

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_first_working_day_skips_weekends_and_bank_holidays():
    assert first_working_day(2026, 8) == date(2026, 8, 3)  # 1 Aug 2026 is a Saturday
    assert first_working_day(2027, 1) == date(2027, 1, 4)  # New Year's Day is a Friday
    assert first_working_day(2026, 6) == date(2026, 6, 1)


def test_quarters_run_from_april():
    q1 = parse_period("2026-Q1")
    assert (q1.start, q1.end) == (date(2026, 4, 1), date(2026, 6, 30))
    q4 = parse_period("2026-Q4")
    assert (q4.start, q4.end) == (date(2027, 1, 1), date(2027, 3, 31))
    with pytest.raises(ValueError, match="the month must be 01 to 12"):
        parse_period("2026-13")
    with pytest.raises(ValueError, match="YYYY-MM for a month"):
        parse_period("August")


def test_scheduled_job_makes_last_months_and_quarters_drafts_once(monkeypatch, db):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2026, 7, 1))
    tasks.scheduled_returns.delay()
    assert set(Return.objects.values_list("kind", "period")) == {("monthly", "2026-06"), ("quarterly", "2026-Q1")}
    tasks.scheduled_returns.delay()  # run twice: still one draft per period, refreshed
    assert Return.objects.count() == 2
    assert Return.objects.filter(status="draft").count() == 2


def test_scheduled_job_does_nothing_on_other_days(monkeypatch, db):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2026, 7, 2))
    assert tasks.scheduled_returns.delay().get() == []
    assert not Return.objects.exists()


def test_job_retries_when_the_database_is_briefly_away(monkeypatch, db):
    assert tasks.generate_return.acks_late
    calls = {"n": 0}
    real = services.return_generate

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("the database is restarting")
        return real(**kwargs)

    monkeypatch.setattr(tasks, "return_generate", flaky)
    result = tasks.generate_return.apply(args=("monthly", "2026-06"), throw=False)
    assert result.successful()
    assert calls["n"] == 2
    assert Return.objects.filter(period="2026-06").count() == 1


def test_a_failed_job_leaves_no_half_written_return(monkeypatch, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # its own folder: other test runs may write returns into the shared one

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(services, "render_pdf", broken)
    before = set(default_storage.listdir("returns")[1]) if default_storage.exists("returns") else set()
    with pytest.raises(RuntimeError):
        tasks.generate_return.delay("monthly", "2026-06")
    assert not Return.objects.exists()
    after = set(default_storage.listdir("returns")[1]) if default_storage.exists("returns") else set()
    assert after == before


def test_manager_generates_reviews_and_submits_on_the_pages(client, cast, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from reporting.periods import MONTHLY, last_complete

    client.force_login(cast.manager)
    month = last_complete(MONTHLY, timezone.localdate()).label
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("return-list"), {"kind": "monthly", "monthly_period": month})
    assert response.status_code == 302
    progress = client.get(response.url).content.decode()
    job = ReturnRequest.objects.get()
    assert job.state == ReturnRequest.State.DONE  # in-process Celery: done before the page loads
    assert "Review the draft" in progress
    draft = job.result
    page = client.get(reverse("return-detail", args=[draft.uuid])).content.decode()
    assert "Submit to the council" in page and "Referrals received by source" in page
    client.post(reverse("return-submit", args=[draft.uuid]), {"confirm": "on"})
    draft.refresh_from_db()
    assert draft.status == Return.Status.SUBMITTED


def test_a_period_that_has_not_ended_is_refused(client, cast):
    from django.utils import timezone

    client.force_login(cast.manager)
    this_month = timezone.localdate().strftime("%Y-%m")
    with pytest.raises(Exception, match="has not ended yet"):
        services.return_request(kind="monthly", label=this_month, actor=cast.manager)
    assert not ReturnRequest.objects.exists()


def test_workers_cannot_see_or_generate_returns(client, cast):
    client.force_login(cast.worker)
    assert client.get(reverse("return-list")).status_code == 403
    assert client.post(reverse("return-list"), {"kind": "monthly", "monthly_period": "2025-08"}).status_code == 403
