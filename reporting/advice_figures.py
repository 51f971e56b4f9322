"""The advice log's figures in the monthly and quarterly returns (#19 item 1): advice given, by how the family
asked and by what they asked about, by district.

Registered in the KPI registry when the app is ready (``ReportingConfig.ready``), in the reach section; disclosure
control protects them like every other table (``reporting/disclosure.py`` also knows that each entry has one way
of asking and at least one topic).
"""

from django.db.models import Count

from advice.models import AdviceEntry
from families.models import Determinant

from .kpis import Row, _count_row, _count_rows, _in_dates, kpi


def _entries(period):
    return AdviceEntry.objects.filter(_in_dates(period, "given_on"))


@kpi(
    code="advice_by_channel",
    headline_total=True,
    title="Advice given when families asked, by how they asked",
    section="reach",
    unit="count",
    definition="""Entries in the advice log dated in the period: information, advice or signposting given when a
    family asked (at the phone line, a drop-in, outreach at a partner's session, online or by email), whether or
    not the family is known to the service, by how they asked, by the district recorded with the advice.""",
)
def advice_by_channel(period, districts):
    return _count_rows(
        _entries(period), "district__name", districts, label_path="channel", labels=AdviceEntry.Channel.choices
    )


@kpi(
    code="advice_by_topic",
    title="Advice given when families asked, by what they asked about",
    section="reach",
    unit="count",
    definition="""The same entries by what the family asked about (the determinants of the three impact
    statements), by district. An entry about several things counts once under each,
    so the rows add up to more than the entries.""",
)
def advice_by_topic(period, districts) -> list[Row]:
    grouped = (
        _entries(period).values("district__name", "topics__code").annotate(n=Count("pk", distinct=True)).order_by()
    )
    counts: dict[str, dict[str, int]] = {}
    for row in grouped:
        counts.setdefault(row["topics__code"], {})[row["district__name"]] = row["n"]
    return [
        _count_row(determinant.name, counts.get(determinant.code, {}), districts)
        for determinant in Determinant.objects.order_by("position")
    ]
