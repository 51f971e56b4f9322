"""Families' voice and digital reach in the quarterly return, worked out by hand on a small world; small numbers
protected like every other table, and the digital figures (about web pages, not people) shown as entered."""

from datetime import date

import pytest
import time_machine
from pypdf import PdfReader

from reporting import disclosure
from reporting.figures import compute_figures, computed_figures
from reporting.periods import parse_period
from reporting.services import return_generate
from voice import services
from voice.models import DigitalReach

from .factories import complaint, feedback

pytestmark = pytest.mark.django_db
Q2 = parse_period("2026-Q2")  # July to September 2026


def _kpi(figures, code):
    return next(kpi for section in figures["sections"] for kpi in section["kpis"] if kpi["code"] == code)


def _row(kpi, label):
    return next(row for row in kpi["rows"] if row["label"] == label)


def _feedback_at(moment: str, rating: int):
    with time_machine.travel(moment, tick=False):
        return feedback(rating=rating)


@pytest.fixture
def quarter(cast):
    """Feedback: in the quarter 3 very good, 2 good, 1 neither, 1 very poor; one just before it (30 June, 23:30 UK
    time) and one just after (1 October, 00:30 UK time). Complaints (A–G below) and three months' digital reach."""
    for rating, times in ((5, 3), (4, 2), (3, 1), (1, 1)):
        for _ in range(times):
            _feedback_at("2026-08-10 12:00 +0100", rating)
    _feedback_at("2026-06-30 23:30 +0100", 5)
    _feedback_at("2026-10-01 00:30 +0100", 5)
    home = cast.team.base
    with time_machine.travel("2026-10-05 10:00 +0100", tick=False):

        def made(received, category, responded=None, outcome="", actor=cast.manager, base=home):
            item = complaint(actor=actor, base=base, received_on=received, category=category)
            if responded:
                services.complaint_respond(complaint=item, actor=actor, responded_on=responded, outcome=outcome)
            return item

        made(date(2026, 7, 1), "quality", date(2026, 7, 29), "upheld")  # A: due 29 July, answered that day
        made(date(2026, 7, 2), "communication", date(2026, 7, 31), "not_upheld")  # B: due 30 July, a day late
        made(date(2026, 7, 6), "communication", date(2026, 7, 20), "withdrawn")  # C: due 3 Aug, withdrawn first
        made(date(2026, 6, 1), "other", date(2026, 7, 2), "partly_upheld")  # D: due 29 June (quarter 1)
        made(date(2026, 9, 15), "access")  # E: due 13 October (quarter 3)
        made(date(2026, 8, 20), "staff_conduct")  # F: due 18 September (31 August a bank holiday), unanswered
        made(  # G: another base; due 1 September, answered that day
            date(2026, 8, 3),
            "communication",
            date(2026, 9, 1),
            "upheld",
            actor=cast.other_manager,
            base=cast.other_team.base,
        )
    for month, visits in ((7, 1000), (8, 1200), (9, 1300)):
        DigitalReach.objects.create(month=date(2026, month, 1), web_visits=visits, recorded_by=cast.admin)
    DigitalReach.objects.filter(month=date(2026, 9, 1)).update(
        facebook_followers=2400, instagram_followers=900, x_followers=3
    )
    return home.district.name, cast.other_team.base.district.name


def test_feedback_is_counted_by_rating_with_the_share_good_or_very_good(quarter):
    voice = _kpi(computed_figures(Q2), "voice_feedback")
    assert [row["values"]["County"] for row in voice["rows"][:5]] == [3, 2, 1, 0, 1]
    assert voice["headline"]["value"] == 7
    share = _row(voice, "% rating it good or very good")
    assert share["unit"] == "percent" and share["values"]["County"] == 71.4  # 5 of 7
    assert all(value is None for area, value in share["values"].items() if area != "County")


def test_complaints_received_outcomes_and_the_share_answered_on_time(quarter):
    home, away = quarter
    figures = computed_figures(Q2)
    received = _kpi(figures, "voice_complaints_received")
    assert received["headline"]["value"] == 6  # A, B, C, E, F, G (D came in June)
    assert _row(received, "Communication")["values"]["County"] == 3  # B, C, G
    assert _row(received, "Data protection")["values"]["County"] == 0
    outcomes = _kpi(figures, "voice_complaint_outcomes")
    counts = {row["label"]: row["values"]["County"] for row in outcomes["rows"]}
    assert counts == {"Upheld": 2, "Partly upheld": 1, "Not upheld": 1, "Withdrawn": 1}  # A G, D, B, C
    on_time = _kpi(figures, "voice_complaints_on_time")
    # Due in the quarter and not withdrawn first: A, B, F, G; answered by the due day: A, G.
    assert _row(on_time, "Response due in the quarter")["values"]["County"] == 4
    assert _row(on_time, "Answered within 20 working days")["values"]["County"] == 2
    assert _row(on_time, "% answered within 20 working days")["values"]["County"] == 50.0
    if home != away:
        assert _row(on_time, "Response due in the quarter")["values"][home] == 3
        assert _row(on_time, "% answered within 20 working days")["values"][away] == 100.0


def test_digital_reach_is_the_quarters_visits_and_the_last_months_followers(quarter):
    figures = computed_figures(Q2)
    visits = _kpi(figures, "digital_web_visits")
    assert visits["rows"][0]["values"]["County"] == 3500
    followers = {row["label"]: row["values"]["County"] for row in _kpi(figures, "digital_followers")["rows"]}
    assert followers == {
        "All platforms": 3303,
        "Facebook": 2400,
        "Instagram": 900,
        "X (formerly Twitter)": 3,
        "Other platforms (YouTube, TikTok and the like)": None,
    }
    # A quarter with a month missing reports no web visits rather than a part of them.
    DigitalReach.objects.filter(month=date(2026, 8, 1)).update(web_visits=None)
    assert _kpi(computed_figures(Q2), "digital_web_visits")["rows"][0]["values"]["County"] is None


def test_small_numbers_are_protected_and_the_audit_passes(quarter):
    figures = compute_figures(Q2, with_trend=False)
    voice = _kpi(figures, "voice_feedback")
    assert _row(voice, "Very good")["display"]["County"] == disclosure.SYMBOL  # 3
    # 71.4% of 7 would give away that 5 rated it good or very good, and with it the hidden 3 and 2: withheld too.
    assert _row(voice, "% rating it good or very good")["display"]["County"] == disclosure.SYMBOL
    on_time = _kpi(figures, "voice_complaints_on_time")
    assert _row(on_time, "% answered within 20 working days")["display"]["County"] == disclosure.SYMBOL  # on 4
    assert _kpi(figures, "digital_web_visits")["rows"][0]["display"]["County"] == "3,500"
    # 3 followers on X is not about people, but the one step applies to every count: it is withheld, and nothing
    # else has to be (the digital figures are in no relation with any other cell).
    followers = _kpi(figures, "digital_followers")
    assert _row(followers, "X (formerly Twitter)")["display"]["County"] == disclosure.SYMBOL
    assert _row(followers, "Facebook")["display"]["County"] == "2,400"
    assert disclosure.audit(figures) == []


@time_machine.travel("2026-10-05 10:00 +0100", tick=False)
def test_the_quarterly_return_has_the_voice_and_digital_sections(quarter):
    generated = return_generate(period=Q2)
    text = "\n".join(page.extract_text() for page in PdfReader(generated.pdf.open("rb")).pages)
    assert "Service users' voice" in text and "Digital reach" in text
    assert "Complaints answered within 20 working days" in text
    assert "Social-media followers at the quarter's end" in text
    # Commissioners see counts only: no free text from feedback or complaints.
    assert "The worker listened." not in text and "Nobody rang back" not in text
