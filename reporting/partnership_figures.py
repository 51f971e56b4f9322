"""The quarterly return's partnership section (#20 item 8): team around the family (TAF) meetings held, the
partner agencies involved by type, supported families with at least one partner agency, and onward referrals with
their outcomes.

Kept apart from kpis.py, which registers them by importing this module. Every row is a ``_count_row`` or a
``_percent_row``, so ``reporting.disclosure`` protects their small numbers like every other figure's. Families are
counted by their district.
"""

from django.db.models import Count, Exists, OuterRef, Q

from families.models import Professional
from partnership.models import OnwardReferral, TafMeeting

from .kpis import SUPPORTED, _count_row, _in_dates, _percent_row, _supported_families, kpi
from .periods import QUARTERLY

MEETINGS = "Meetings held"
FAMILIES_MET = "Families with a meeting"
SUPPORTED_FAMILIES = "Families supported"
WITH_PARTNER = "With at least one partner agency"
SHARE_WITH_PARTNER = "% with at least one partner agency"
NOT_KNOWN = "Outcome not known by the end of the quarter"


def _by_district(rows, key="family__district__name") -> dict:
    return {row[key]: row["n"] for row in rows}


@kpi(
    code="partnership_taf_meetings",
    title="Team around the family meetings held",
    section="partnership",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Team around the family meetings held in the quarter (the date of the meeting), by the
    district of the family; and the number of different families who had one.""",
)
def partnership_taf_meetings(period, districts):
    held = TafMeeting.objects.filter(_in_dates(period, "held_on"))
    grouped = held.values("family__district__name").annotate(
        meetings=Count("pk", distinct=True), families=Count("family", distinct=True)
    )
    grouped = list(grouped.order_by())
    return [
        _count_row(MEETINGS, {r["family__district__name"]: r["meetings"] for r in grouped}, districts),
        _count_row(FAMILIES_MET, {r["family__district__name"]: r["families"] for r in grouped}, districts),
    ]


def _families_with_agency(period) -> dict[str, dict[str, int]]:
    """Agency type → district → how many different families had that agency at a meeting held in the quarter or
    were referred to one in the quarter."""
    pairs = set(
        TafMeeting.objects.filter(_in_dates(period, "held_on"))
        .values_list("professionals__agency", "family_id", "family__district__name")
        .exclude(professionals__isnull=True)
    )
    pairs |= set(
        OnwardReferral.objects.filter(_in_dates(period, "referred_on")).values_list(
            "agency", "family_id", "family__district__name"
        )
    )
    table: dict[str, dict[str, int]] = {}
    for agency, _family, district in pairs:
        cell = table.setdefault(agency, {})
        cell[district] = cell.get(district, 0) + 1
    return table


@kpi(
    code="partnership_agencies",
    title="Partner agencies involved, by type",
    section="partnership",
    unit="count",
    returns=(QUARTERLY,),
    definition="""For each type of partner agency, the number of different families (by the family's district)
    who, in the quarter, had a professional of that type at a team around the family meeting held in the quarter
    (attending, as recorded on the meeting) or were referred onward to a service of that type. A family counts
    once per type, and under every type involved, so the rows do not add up to a total.""",
)
def partnership_agencies(period, districts):
    table = _families_with_agency(period)
    return [_count_row(label, table.get(value, {}), districts) for value, label in Professional.Agency.choices]


@kpi(
    code="partnership_families",
    title="Supported families with at least one partner agency",
    section="partnership",
    unit="count",
    returns=(QUARTERLY,),
    definition=f"""Of the families supported in the quarter ({SUPPORTED}), by district, those with at least one
    partner agency: a professional of another agency recorded on their team around the family before the quarter
    ended, a team around the family meeting held in the quarter that a professional of another agency attended (a
    meeting of ECFS staff and the family alone does not count), or an onward referral made in the quarter; and
    the share.""",
)
def partnership_families(period, districts):
    supported = _supported_families(period)
    partnered = supported.filter(
        Exists(Professional.objects.filter(family=OuterRef("pk"), created_at__lt=period.end_at))
        | Exists(
            TafMeeting.objects.filter(_in_dates(period, "held_on"), family=OuterRef("pk"), professionals__isnull=False)
        )
        | Exists(OnwardReferral.objects.filter(_in_dates(period, "referred_on"), family=OuterRef("pk")))
    )

    def count(families):
        rows = families.values("district__name").annotate(n=Count("pk", distinct=True)).order_by()
        return _by_district(rows, "district__name")

    all_supported, with_partner = count(supported), count(partnered)
    return [
        _count_row(SUPPORTED_FAMILIES, all_supported, districts),
        _count_row(WITH_PARTNER, with_partner, districts),
        _percent_row(
            SHARE_WITH_PARTNER,
            with_partner,
            all_supported,
            districts,
            numerator=(WITH_PARTNER,),
            denominator=(SUPPORTED_FAMILIES,),
        ),
    ]


@kpi(
    code="partnership_onward_referrals",
    headline_total=True,
    title="Onward referrals made, by type of service",
    section="partnership",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Referrals ECFS made to specialist and partner services in the quarter (the date referred), by
    the type of service and the district of the family; each referral once.""",
)
def partnership_onward_referrals(period, districts):
    made = OnwardReferral.objects.filter(_in_dates(period, "referred_on"))
    table: dict[str, dict[str, int]] = {}
    for row in made.values("agency", "family__district__name").annotate(n=Count("pk")).order_by():
        table.setdefault(row["agency"], {})[row["family__district__name"]] = row["n"]
    return [_count_row(label, table.get(value, {}), districts) for value, label in Professional.Agency.choices]


def _outcomes_at_end(period, made) -> dict[int, str]:
    """Each referral's outcome as recorded by the end of the quarter: its last saved version before then (a later
    outcome, or a changed one, never changes a past figure)."""
    ids = list(made.values_list("pk", flat=True))
    outcome: dict[int, str] = {}
    versions = (
        OnwardReferral.history.filter(id__in=ids, history_date__lt=period.end_at)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "outcome")
    )
    for pk, value in versions:
        outcome[pk] = value
    # A row without versions (written in bulk) counts its outcome if it was recorded by the quarter's end.
    for pk, value in (
        made.exclude(pk__in=list(outcome)).filter(Q(outcome_on__lte=period.end)).values_list("pk", "outcome")
    ):
        outcome[pk] = value
    return outcome


@kpi(
    code="partnership_onward_outcomes",
    headline_total=True,
    title="Onward referrals made, by outcome",
    section="partnership",
    unit="count",
    returns=(QUARTERLY,),
    definition=f"""The referrals to specialist and partner services made in the quarter (the date referred), by
    their outcome as recorded by the end of the quarter (the last outcome recorded by then: accepted, declined by
    the service, the family did not engage, on a waiting list, other), and those with no outcome recorded by then
    ("{NOT_KNOWN}"), by the district of the family; each referral once.""",
)
def partnership_onward_outcomes(period, districts):
    made = OnwardReferral.objects.filter(_in_dates(period, "referred_on"))
    outcomes = _outcomes_at_end(period, made)
    labels = dict(OnwardReferral.Outcome.choices)
    table: dict[str, dict[str, int]] = {}
    for pk, district in made.values_list("pk", "family__district__name"):
        label = labels.get(outcomes.get(pk, ""), NOT_KNOWN)
        table.setdefault(label, {})[district] = table.get(label, {}).get(district, 0) + 1
    return [_count_row(label, table.get(label, {}), districts) for label in [*labels.values(), NOT_KNOWN]]
