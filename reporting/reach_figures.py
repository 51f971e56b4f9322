"""Reach against population (#19 item 3): children under 5 known to the service as a share of the under-5s who
live in each market town and district (report §2.6.1), beside the Children's Need Index.

"Known" is defined once, here (``KNOWN``), for the quarterly return and the reach dashboard alike. The
population is the reference data's under-5 count of each locality (``bases.Locality.under_5``, from
``reference/data/localities.csv``): the 28 market towns of report table 1 and "Other", the rest of the county,
which has no district. So a district's share is worked out on its market towns only (children known in them,
over the under-5s who live in them); children known outside the towns are counted by district and in one county
row against Other's under-5s.

Registered in the KPI registry by one import at the end of ``kpis.py``; ``reporting.disclosure`` protects the
rows like every other table (it knows that the towns' rows and "Outside the market towns" add up to the
district's children known).
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from advice.models import AdviceEntry
from bases.models import Locality
from families.models import Family, Person, SupportPlan
from referrals.models import Referral
from venues.models import Attendance, GroupSession

from .kpis import COUNTY, Row, _count_row, _once, _percent, kpi
from .periods import QUARTERLY, Period

KNOWN = """A child is known to the service at the end of a period when, on the period's last day, they are
under 5 (born, with a date of birth after the day 5 years before it and on or before it; unborn children are
not counted), in a family that has not been anonymised, and in the 12 months to the period's end (the year
ending on its last day) that family was registered with the service (its "registered on" date), attended a group
session (marked present on its register, enrolled or not, at a session that was not cancelled, whether or not
the register has been saved), was named on an advice log
entry, was referred (a referral received), or was supported (a plan active at some moment in those 12
months). Each child counts once, in the locality of the family's address and the district of that market town (outside
the towns, the district of the family's address)."""

ALL_KNOWN = "Children under 5 known"
IN_TOWNS = "Children under 5 known living in the market towns"
TOWNS_POPULATION = "Under-5s living in the market towns (reference data)"
TOWNS_SHARE = "% of the market towns' under-5s known"
COUNTY_POPULATION = "Under-5s in the county (reference data)"
COUNTY_SHARE = "% of the county's under-5s known"
OUTSIDE = "Outside the market towns"


def twelve_months_to(period: Period) -> Period:
    """The year ending on the period's last day (for 2026-Q2, 1 October 2025 to 30 September 2026)."""
    start = period.end + timedelta(days=1) - relativedelta(years=1)
    return Period(period.kind, f"12 months to {period.label}", start, period.end)


def known_families(period: Period):
    """Families known to the service in the 12 months to the period's end (``KNOWN``), not anonymised.

    Each way of being known is an uncorrelated ``IN`` list (PostgreSQL hashes each once) rather than a
    correlated ``EXISTS`` per family."""
    year = twelve_months_to(period)
    # Any session not cancelled, its register saved or not: a family named on a universal session's register (or
    # marked present as they register there) is present from that moment (venues.services.session_family_attend).
    attended = Attendance.objects.filter(
        attended=True,
        session__status=GroupSession.Status.SCHEDULED,
        session__starts_at__gte=year.start_at,
        session__starts_at__lt=year.end_at,
    ).values("family_id")
    advised = AdviceEntry.objects.filter(family__isnull=False, given_on__gte=year.start, given_on__lte=year.end).values(
        "family_id"
    )
    referred = Referral.objects.filter(
        family__isnull=False, received_at__gte=year.start_at, received_at__lt=year.end_at
    ).values("family_id")
    supported = SupportPlan.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=year.start_at), activated_at__lt=year.end_at
    ).values("family_id")
    return Family.objects.filter(anonymised_at__isnull=True).filter(
        Q(registered_on__gte=year.start, registered_on__lte=year.end)
        | Q(pk__in=attended)
        | Q(pk__in=advised)
        | Q(pk__in=referred)
        | Q(pk__in=supported)
    )


def known_children(period: Period):
    """Children under 5 on the period's last day (born) in a known family."""
    five_years_before = period.end - relativedelta(years=5)
    return Person.objects.filter(
        kind__in=(Person.Kind.CHILD, Person.Kind.OLDER_CHILD),
        date_of_birth__gt=five_years_before,
        date_of_birth__lte=period.end,
        family__in=known_families(period),
    )


def known_by_place(period: Period) -> list[dict]:
    """One query: children known by place: {"district" (a name), "locality" (a pk), "n"}. The district is the
    family's town's (so a town's children are all in one district's column), or outside the towns the family's."""

    def compute():
        rows = (
            known_children(period)
            .values("family__district__name", "family__locality_id", "family__locality__district__name")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [
            {
                "district": r["family__locality__district__name"] or r["family__district__name"],
                "locality": r["family__locality_id"],
                "n": r["n"],
            }
            for r in rows
        ]

    return _once("known_children", period, compute)


def _localities(period: Period) -> list[Locality]:
    """The localities with their districts (read once per period inside ``shared_queries()``)."""
    return _once(
        "localities",
        period,
        lambda: list(Locality.objects.select_related("district").order_by("is_other", "district__name", "name")),
    )


def _only_in(district: str | None, value, districts) -> dict:
    """A town's figure: in its district's column only (no county cell: the district's own rows add the towns
    up, and a county cell equal to the district's would only be a second copy to protect)."""
    values = dict.fromkeys([*districts, COUNTY])
    if district in values:
        values[district] = value
    return values


@kpi(
    code="reach_under5_known",
    title="Children under 5 known to the service, against the under-5 population",
    section="reach",
    unit="count",
    returns=(QUARTERLY,),
    definition=f"""{KNOWN} The share of the market towns' under-5s known is the children known living in a
    district's market towns over the under-5s who live in them (the reference data, report table 1); the
    county's share is all children known over the county's under-5s (the towns and the rest of the county).""",
)
def reach_under5_known(period, districts):
    known = known_by_place(period)
    localities = _localities(period)
    towns = {loc.pk for loc in localities if not loc.is_other}
    all_known: dict = {}
    in_towns: dict = {}
    for row in known:
        all_known[row["district"]] = all_known.get(row["district"], 0) + row["n"]
        if row["locality"] in towns:
            in_towns[row["district"]] = in_towns.get(row["district"], 0) + row["n"]
    population: dict = {}
    for loc in localities:
        if not loc.is_other and loc.district_id:
            population[loc.district.name] = population.get(loc.district.name, 0) + loc.under_5
    known_row = _count_row(ALL_KNOWN, all_known, districts)
    towns_row = _count_row(IN_TOWNS, in_towns, districts)
    population_row = _count_row(TOWNS_POPULATION, population, districts)
    share = Row(
        TOWNS_SHARE,
        {name: _percent(towns_row.values[name], population_row.values[name]) for name in [*districts, COUNTY]},
        dict(population_row.values),
        numerator=(IN_TOWNS,),
        denominator=(TOWNS_POPULATION,),
    )
    county_population = sum(loc.under_5 for loc in localities)
    county_population_row = Row(COUNTY_POPULATION, {**dict.fromkeys(districts), COUNTY: county_population})
    county_share = Row(
        COUNTY_SHARE,
        {**dict.fromkeys(districts), COUNTY: _percent(known_row.values[COUNTY], county_population)},
        {**dict.fromkeys(districts), COUNTY: county_population},
        numerator=(ALL_KNOWN,),
        denominator=(COUNTY_POPULATION,),
    )
    return [known_row, towns_row, population_row, share, county_population_row, county_share]


def town_label(locality: Locality) -> str:
    """A locality's row in ``reach_under5_by_locality``, with what a reader needs beside it: its under-5s and
    its Children's Need Index (the reference data), so the share known is the count over the under-5s."""
    name = OUTSIDE if locality.is_other else locality.name
    return f"{name} (under-5s {locality.under_5:,}; Need Index {locality.need_index}): children under 5 known"


@kpi(
    code="reach_under5_by_locality",
    layout="places",
    title="Children under 5 known to the service, by market town, beside the Children's Need Index",
    section="reach",
    unit="count",
    returns=(QUARTERLY,),
    definition=f"""{KNOWN} One row for each of the 28 market towns of report table 1, with its under-5s and its
    Children's Need Index from the reference data: the children known living there, in its district's column
    only; the share known is that count over the town's under-5s (the reach dashboard prints it, and hides it
    wherever the count is hidden). "Outside the market towns" is the rest of the county, by district (its
    under-5s are the county's only: the reference data does not split them by district).""",
)
def reach_under5_by_locality(period, districts):
    counts: dict = {}
    for row in known_by_place(period):
        counts.setdefault(row["locality"], {})[row["district"]] = row["n"]
    rows = []
    for locality in _localities(period):
        if locality.is_other:
            rows.append(_count_row(town_label(locality), counts.get(locality.pk, {}), districts))
        else:
            district = locality.district.name if locality.district_id else None
            n = sum(counts.get(locality.pk, {}).values())
            rows.append(Row(town_label(locality), _only_in(district, n, districts)))
    return rows


def reach_relations(labels: dict, districts: list[str]) -> list[dict]:
    """What a reader knows ties the two tables together (for ``disclosure._shared_margins``): in each district's
    column, the towns' children known add up to those living in the market towns, and with Outside's to all
    children known. ``labels``: each KPI's row labels → row index. Each relation: {cell key: coefficient} = 0."""
    by_locality = labels.get("reach_under5_by_locality")
    totals = labels.get("reach_under5_known")
    if not by_locality or not totals:
        return []
    code = "reach_under5_by_locality"
    known_rows = list(by_locality.values())
    outside = next((index for label, index in by_locality.items() if label.startswith(f"{OUTSIDE} (")), None)
    towns = [index for index in known_rows if index != outside]
    relations = []
    for area in districts:
        in_towns = {(code, index, area): 1.0 for index in towns}
        relations.append({**in_towns, ("reach_under5_known", totals[IN_TOWNS], area): -1.0})
        if outside is not None:
            every = {**in_towns, (code, outside, area): 1.0}
            relations.append({**every, ("reach_under5_known", totals[ALL_KNOWN], area): -1.0})
    return relations
