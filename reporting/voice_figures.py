"""The quarterly return's families' voice and digital reach sections (#20 items 7 and 8).

*Voice*: feedback received on the public form (county figures: feedback is anonymous and often says no place), and
complaints by the district of the base they are about. *Digital*: the web visits and social-media followers the
service admin enters each month. Every row goes through ``reporting.disclosure`` like every other figure; the digital
figures are about web pages and accounts, not people, so nothing needs protecting in them, and the step can only ever
withhold a count of 1 to 4 (never a real county's visits or followers): they are in no relation with any other cell,
so they are never withheld to protect another figure either.
"""

from django.db.models import Count, F, Q

from voice.models import Complaint, DigitalReach, Feedback

from .kpis import COUNTY, Row, _count_row, _in, _in_dates, _percent, _percent_row, kpi
from .periods import QUARTERLY

GOOD = (Feedback.Rating.VERY_GOOD, Feedback.Rating.GOOD)
SHARE_GOOD = "% rating it good or very good"
DUE = "Response due in the quarter"
ON_TIME = "Answered within 20 working days"
SHARE_ON_TIME = "% answered within 20 working days"


def _county_row(label: str, value, districts) -> Row:
    """A county-only figure: the districts' cells are not applicable."""
    values = dict.fromkeys(districts)
    values[COUNTY] = value
    return Row(label, values)


@kpi(
    code="voice_feedback",
    layout="county",
    headline_total=True,
    title="Feedback from families, by rating",
    section="voice",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Responses to the public feedback form received in the quarter (UK time), by the rating given
    (very good, good, neither good nor poor, poor, very poor), for the county: many responses give no reference
    or place. Then the share of them rating the service good or very good.""",
)
def voice_feedback(period, districts):
    counts = dict(
        Feedback.objects.filter(_in(period, "received_at"))
        .values_list("rating")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("rating", "n")
    )
    total = sum(counts.values())
    good = sum(counts.get(rating, 0) for rating in GOOD)
    rows = [_county_row(label, counts.get(value, 0), districts) for value, label in Feedback.Rating.choices]
    share = _county_row(SHARE_GOOD, _percent(good, total), districts)
    share.bases = {COUNTY: total}
    share.numerator = tuple(label for value, label in Feedback.Rating.choices if value in GOOD)
    share.denominator = tuple(label for _, label in Feedback.Rating.choices)
    return [*rows, share]


def _by_district(complaints, label_path: str | None = None) -> dict:
    fields = ["base__district__name", *([label_path] if label_path else [])]
    table: dict = {}
    for row in complaints.values(*fields).annotate(n=Count("pk")).order_by():
        key = row[label_path] if label_path else None
        table.setdefault(key, {})[row["base__district__name"]] = row["n"]
    return table


@kpi(
    code="voice_complaints_received",
    headline_total=True,
    title="Complaints received, by what they were about",
    section="voice",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Complaints received in the quarter (by the date received), by category, by the district of the
    base the complaint is about (the family's base when it names a family).""",
)
def voice_complaints_received(period, districts):
    table = _by_district(Complaint.objects.filter(_in_dates(period, "received_on")), "category")
    return [_count_row(label, table.get(value, {}), districts) for value, label in Complaint.Category.choices]


@kpi(
    code="voice_complaint_outcomes",
    headline_total=True,
    title="Complaints answered or withdrawn, by outcome",
    section="voice",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Complaints whose response (or withdrawal) is dated in the quarter, by outcome: upheld, partly
    upheld, not upheld, withdrawn, by the district of the base.""",
)
def voice_complaint_outcomes(period, districts):
    table = _by_district(Complaint.objects.filter(_in_dates(period, "responded_on")), "outcome")
    return [_count_row(label, table.get(value, {}), districts) for value, label in Complaint.Outcome.choices]


@kpi(
    code="voice_complaints_on_time",
    title="Complaints answered within 20 working days",
    section="voice",
    unit="count",
    returns=(QUARTERLY,),
    definition="""The complaints whose response fell due in the quarter (20 working days after the date received,
    England and Wales bank holidays excluded), leaving out those withdrawn on or before the due day; of them, those
    answered by the end of the due day (the response dated on or before it), and the share. A complaint not yet
    due at the quarter's end belongs to a later quarter. By the district of the base.""",
)
def voice_complaints_on_time(period, districts):
    due = Complaint.objects.filter(_in_dates(period, "response_due_on")).exclude(
        Q(outcome=Complaint.Outcome.WITHDRAWN) & Q(responded_on__lte=F("response_due_on"))
    )
    cohort = _by_district(due).get(None, {})
    on_time = _by_district(due.filter(responded_on__lte=F("response_due_on"))).get(None, {})
    return [
        _count_row(DUE, cohort, districts),
        _count_row(ON_TIME, on_time, districts),
        _percent_row(SHARE_ON_TIME, on_time, cohort, districts, numerator=(ON_TIME,), denominator=(DUE,)),
    ]


# Digital reach -----------------------------------------------------------------------------------------------

WEB_VISITS = "Visits to the service's web pages in the quarter"


@kpi(
    code="digital_web_visits",
    layout="county",
    title="Web visits",
    section="digital",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Visits to the service's web pages in the quarter: the sum of the three months' visits the service
    admin entered (Configuration → Digital reach). Shown as not known (–) unless all three months are entered, so a
    part of the quarter is never reported as the whole. A county figure, not about people: no district breakdown.""",
)
def digital_web_visits(period, districts):
    months = list(DigitalReach.objects.filter(_in_dates(period, "month")).values_list("web_visits", flat=True))
    known = len(months) == 3 and all(value is not None for value in months)
    return [_county_row(WEB_VISITS, sum(months) if known else None, districts)]


@kpi(
    code="digital_followers",
    layout="county",
    title="Social-media followers at the quarter's end",
    section="digital",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Followers of the service's accounts at the end of the quarter, as the service admin entered them
    for the quarter's last month, per platform (Facebook, Instagram, X, other platforms), and their sum across the
    platforms entered (a person following two accounts counts twice). Not known (–) when that month's figure is not
    entered. County figures, not about people.""",
)
def digital_followers(period, districts):
    last = DigitalReach.objects.filter(month=period.end.replace(day=1)).first()
    values = [(name, getattr(last, field) if last else None) for field, name in DigitalReach.PLATFORMS]
    entered = [value for _, value in values if value is not None]
    rows = [_county_row("All platforms", sum(entered) if entered else None, districts)]
    rows += [_county_row(name, value, districts) for name, value in values]
    return rows
