"""The advice log in the returns: counted by how families asked, by topic and by district, worked out by hand, and
small numbers protected like every other table (and the audit proves no hidden count can be narrowed)."""

import csv
import io
from datetime import date

import pytest
import time_machine
from pypdf import PdfReader

from bases.models import District
from reporting import disclosure
from reporting.figures import compute_figures, computed_figures
from reporting.periods import parse_period
from reporting.services import return_generate

from .factories import advice_entry

pytestmark = pytest.mark.django_db
AUGUST = parse_period("2026-08")


def _kpi(figures, code):
    return next(kpi for section in figures["sections"] for kpi in section["kpis"] if kpi["code"] == code)


def _row(kpi, label):
    return next(row for row in kpi["rows"] if row["label"] == label)


@pytest.fixture
def august(cast):
    """In the team's district: 6 drop-ins about housing and 2 calls about housing and health; elsewhere one email
    about speech and language; and a drop-in on 31 July, outside the month."""
    home = cast.team.base.district
    away = District.objects.exclude(pk=home.pk).order_by("name").first()
    with time_machine.travel("2026-09-02 10:00 +0100", tick=False):
        for day in range(1, 7):
            advice_entry(actor=cast.worker, given_on=date(2026, 8, day), channel="drop_in", topics=("housing",))
        for day in (10, 31):
            advice_entry(
                actor=cast.colleague, given_on=date(2026, 8, day), channel="phone_line", topics=("housing", "health")
            )
        advice_entry(
            actor=cast.other_worker,
            given_on=date(2026, 8, 20),
            channel="email",
            district=away,
            topics=("speech_language",),
        )
        advice_entry(actor=cast.worker, given_on=date(2026, 7, 31), channel="drop_in", topics=("housing",))
    return home.name, away.name


def test_advice_is_counted_by_channel_topic_and_district(august):
    home, away = august
    figures = computed_figures(AUGUST)
    by_channel = _kpi(figures, "advice_by_channel")
    assert _row(by_channel, "A drop-in session")["values"][home] == 6
    assert _row(by_channel, "A drop-in session")["values"]["County"] == 6
    assert _row(by_channel, "The phone line")["values"][home] == 2
    assert _row(by_channel, "Email")["values"][away] == 1
    assert _row(by_channel, "Online")["values"]["County"] == 0
    assert by_channel["headline"]["value"] == 9
    by_topic = _kpi(figures, "advice_by_topic")
    assert _row(by_topic, "Housing")["values"][home] == 8
    assert _row(by_topic, "Health (mental and physical)")["values"][home] == 2
    assert _row(by_topic, "Speech and language")["values"][away] == 1
    assert _row(by_topic, "Speech and language")["values"]["County"] == 1


def test_small_advice_counts_are_protected_and_cannot_be_worked_out(august):
    home, away = august
    figures = compute_figures(AUGUST, with_trend=False)
    by_channel = _kpi(figures, "advice_by_channel")
    assert _row(by_channel, "A drop-in session")["display"][home] == "6"
    assert _row(by_channel, "The phone line")["display"][home] == disclosure.SYMBOL
    assert _row(by_channel, "Email")["display"][away] == disclosure.SYMBOL
    # 6 drop-ins and a hidden 2 calls: the 8 at home is hidden too, or the calls could be worked out.
    assert _row(by_channel, "The phone line")["display"]["County"] == disclosure.SYMBOL
    by_topic = _kpi(figures, "advice_by_topic")
    assert _row(by_topic, "Health (mental and physical)")["display"][home] == disclosure.SYMBOL
    assert disclosure.audit(figures) == []


@time_machine.travel("2026-09-02 10:00 +0100", tick=False)
def test_the_return_publishes_the_advice_tables_in_its_csv_and_pdf(august):
    home, _away = august
    generated = return_generate(period=AUGUST)
    rows = list(csv.DictReader(io.StringIO(generated.csv.open("rb").read().decode())))
    drop_ins = next(
        r
        for r in rows
        if r["kpi"] == "advice_by_channel" and r["district"] == home and r["breakdown"] == "A drop-in session"
    )
    assert drop_ins["value"] == "6" and drop_ins["protected"] == "false"
    calls = next(
        r
        for r in rows
        if r["kpi"] == "advice_by_channel" and r["district"] == home and r["breakdown"] == "The phone line"
    )
    assert calls["value"] == "" and calls["display"] == "[c]" and calls["protected"] == "true"
    text = "\n".join(page.extract_text() for page in PdfReader(generated.pdf.open("rb")).pages)
    assert "Advice given when families asked, by how they asked" in text
    assert "Advice given when families asked, by what they asked about" in text
