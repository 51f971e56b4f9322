"""Reach against population (#19 item 3): children under 5 known, worked out by hand on a small county.

The period is quarter 2 of 2026/27 (July to September 2026), so the 12 months run from 1 October 2025 to
30 September 2026, and a child is under 5 on 30 September 2026 when born after 30 September 2021.
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from advice.models import AdviceEntry
from bases.models import District, Locality
from families.models import Family, Person, SupportPlan
from referrals.models import Referral
from reporting import disclosure
from reporting.kpis import COUNTY
from reporting.periods import parse_period
from reporting.reach import reach_figures
from reporting.reach_figures import (
    ALL_KNOWN,
    COUNTY_SHARE,
    IN_TOWNS,
    TOWNS_POPULATION,
    TOWNS_SHARE,
    reach_under5_by_locality,
    reach_under5_known,
    town_label,
    twelve_months_to,
)
from tests.venues.factories import course

pytestmark = pytest.mark.django_db
Q2 = parse_period("2026-Q2")
BRECKLAND, YARMOUTH = "Breckland", "Great Yarmouth"
DISTRICTS = [BRECKLAND, YARMOUTH]


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def row(rows, label):
    return next(r for r in rows if r.label == label)


def family(cast, town: str, *, district: str | None = None, children=(), **fields) -> Family:
    locality = Locality.objects.select_related("district").get(name=town)
    if fields.get("registered_on"):
        fields.setdefault("registered_via", "drop_in")
    made = Family.objects.create(
        address_line_1="1 High Street",
        town=town,
        postcode="NR1 1AA",
        district=locality.district if district is None else District.objects.get(name=district),
        locality=locality,
        base=cast.team.base,
        **fields,
    )
    for born in children:
        Person.objects.create(
            family=made,
            kind=Person.Kind.CHILD,
            first_name="C",
            last_name="H",
            first_name_key="c",
            last_name_key="h",
            date_of_birth=born,
        )
    return made


def plan(cast, family, *, activated: date, closed: date | None):
    return SupportPlan.objects.create(
        family=family,
        kind=SupportPlan.Kind.ONE_TO_ONE,
        status=SupportPlan.Status.CLOSED if closed else SupportPlan.Status.ACTIVE,
        worker=cast.worker,
        created_by=cast.worker,
        activated_at=at(activated),
        closed_at=at(closed) if closed else None,
        closure_reason="needs_met" if closed else "",
    )


def attended(cast, family, *, on: date, present: bool):
    the_course = course(cast=cast, start_date=on, sessions=1)
    session = the_course.sessions.get()
    session.register_taken_at = at(on, 12)
    session.register_taken_by = cast.worker
    session.save()
    session.attendances.create(family=family, attended=present, recorded_at=at(on, 12), recorded_by=cast.worker)


@pytest.fixture
def county(cast):
    """The families of the module docstring's sums: who is known, and who is not, and why."""
    a = family(  # registered in the window: two children under 5 (not the one who turned 5 on 30 September)
        cast, "Attleborough", registered_on=date(2026, 5, 1),
        children=[date(2024, 1, 1), date(2021, 10, 1), date(2021, 9, 30)],
    )  # fmt: skip
    Person.objects.create(
        family=a, kind=Person.Kind.UNBORN, first_name="B", last_name="H", first_name_key="b", last_name_key="h",
        expected_date=date(2026, 12, 1),
    )  # fmt: skip
    Person.objects.create(
        family=a, kind=Person.Kind.PARENT_CARER, first_name="P", last_name="H", first_name_key="p",
        last_name_key="h", date_of_birth=date(1995, 1, 1),
    )  # fmt: skip
    family(cast, "Attleborough", registered_on=date(2025, 9, 30), children=[date(2023, 1, 1)])  # before the window
    c = family(cast, "Thetford", children=[date(2026, 9, 30), date(2026, 10, 1)])  # one born after the period
    AdviceEntry.objects.create(
        given_on=date(2025, 10, 1), channel="phone_line", district=c.district, given="advice", family=c,
        team=cast.team, base=cast.team.base, created_by=cast.worker,
    )  # fmt: skip
    d = family(cast, "Other", district=BRECKLAND, children=[date(2023, 6, 1)])  # referred on the last evening
    Referral.objects.create(
        family=d, received_at=at(date(2026, 9, 30), 23), received_via="phone", source="health_visitor",
        referrer_name="H V", consent_obtained=True, address_line_1="1 High Street", town="Dereham",
        postcode="NR1 1AA", district=d.district, locality=d.locality, routed_team=cast.team,
        triage_due=date(2026, 10, 5), first_contact_due=date(2026, 10, 14),
    )  # fmt: skip
    e = family(cast, "Great Yarmouth", children=[date(2024, 2, 2)])  # a plan that closed in the window
    plan(cast, e, activated=date(2025, 6, 1), closed=date(2025, 10, 2))
    f = family(cast, "Great Yarmouth", children=[date(2024, 2, 2)])  # a plan that closed before it
    plan(cast, f, activated=date(2025, 6, 1), closed=date(2025, 9, 30))
    g = family(cast, "Attleborough", children=[date(2025, 3, 3)])  # attended a session in March
    attended(cast, g, on=date(2026, 3, 10), present=True)
    h = family(cast, "Attleborough", children=[date(2025, 3, 3)])  # on a register, but absent
    attended(cast, h, on=date(2026, 3, 10), present=False)
    family(  # anonymised: never counted
        cast, "Attleborough", registered_on=date(2026, 5, 1), children=[date(2024, 1, 1)],
        anonymised_at=at(date(2026, 11, 1)),
    )  # fmt: skip


def test_twelve_months_to_the_end_of_the_quarter():
    year = twelve_months_to(Q2)
    assert (year.start, year.end) == (date(2025, 10, 1), date(2026, 9, 30))


def test_children_under_5_known_by_district_against_the_towns_population(county):
    rows = reach_under5_known(Q2, DISTRICTS)

    # Breckland: A's two, C's one and G's one in the towns; D's one outside them. Great Yarmouth: E's one.
    assert row(rows, ALL_KNOWN).values == {BRECKLAND: 5, YARMOUTH: 1, COUNTY: 6}
    assert row(rows, IN_TOWNS).values == {BRECKLAND: 4, YARMOUTH: 1, COUNTY: 5}
    # The towns' under-5s: Attleborough 638, Dereham 1,169, Swaffham 404, Thetford 1,933, Watton 413;
    # Gorleston 1,615 and Great Yarmouth 2,037.
    assert row(rows, TOWNS_POPULATION).values == {BRECKLAND: 4557, YARMOUTH: 3652, COUNTY: 8209}
    # 4 / 4,557 = 0.088%; 1 / 3,652 = 0.027%; 5 / 8,209 = 0.061%; the county: 6 / 47,909 = 0.013%.
    assert row(rows, TOWNS_SHARE).values == {BRECKLAND: 0.1, YARMOUTH: 0.0, COUNTY: 0.1}
    assert row(rows, COUNTY_SHARE).values[COUNTY] == 0.0


def test_children_known_by_town_beside_the_need_index(county):
    rows = reach_under5_by_locality(Q2, DISTRICTS)
    attleborough, other = Locality.objects.get(name="Attleborough"), Locality.objects.get(is_other=True)

    # In its district's column only, its under-5s and Need Index beside it: 3 of Attleborough's 638.
    known = row(rows, f"Attleborough (under-5s 638; Need Index {attleborough.need_index}): children under 5 known")
    assert known.values == {BRECKLAND: 3, YARMOUTH: None, COUNTY: None}
    assert row(rows, town_label(Locality.objects.get(name="Thetford"))).values[BRECKLAND] == 1
    outside = row(
        rows, f"Outside the market towns (under-5s 22,773; Need Index {other.need_index}): children under 5 known"
    )
    assert outside.values == {BRECKLAND: 1, YARMOUTH: 0, COUNTY: 1}


def test_a_later_quarter_forgets_what_fell_out_of_its_12_months(county):
    rows = reach_under5_known(parse_period("2026-Q3"), DISTRICTS)  # 1 January 2026 to 31 December 2026
    # C's advice (October 2025) and E's plan (closed October 2025) are older than 12 months; C's second child,
    # born 1 October 2026, does not bring C back; A's older child turned 5 on 1 October 2026. Left: A's younger
    # child, D's and G's.
    assert row(rows, ALL_KNOWN).values == {BRECKLAND: 3, YARMOUTH: 0, COUNTY: 3}


def test_small_numbers_are_protected_on_the_dashboard_and_the_share_with_them(cast, county):
    figures = reach_figures(Q2)
    for kpi in figures["kpis"]:
        for published in kpi["rows"]:
            assert "bases" not in published
            for area, value in published["values"].items():
                if published["unit"] == "count" and value is not None and "reference data" not in published["label"]:
                    assert value == 0 or value >= disclosure.THRESHOLD, (published["label"], area)
    by_town = next(k for k in figures["kpis"] if k["code"] == "reach_under5_by_locality")
    attleborough = next(r for r in by_town["rows"] if r["label"].startswith("Attleborough"))
    assert attleborough["display"][BRECKLAND] == disclosure.SYMBOL  # 3 children known
    assert not disclosure.audit({"sections": [{"kpis": figures["kpis"]}]})


def test_the_dashboard_shows_the_quarter_protected_with_its_chart(client, cast, county):
    client.force_login(cast.commissioner)
    with time_machine.travel(at(date(2026, 10, 5)), tick=False):
        response = client.get(reverse("reach-dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quarter 2 2026/27" in page
    assert 'role="img"' in page and "not published" in page  # a district's share is withheld in the chart
    assert "Attleborough" in page and "Highest need" in page
    assert "[c]" in page
    # The small counts themselves never render: Attleborough's 3 children known is withheld with its share.
    attleborough = page[page.index(">Attleborough") :].split("</tr>")[0]
    assert attleborough.count("[c]") == 2


def test_a_quarter_not_offered_is_refused_with_the_default(client, cast):
    client.force_login(cast.manager)
    with time_machine.travel(at(date(2026, 10, 5)), tick=False):
        assert client.get(reverse("reach-dashboard"), {"quarter": "2026-Q2"}).status_code == 200
        response = client.get(reverse("reach-dashboard"), {"quarter": "1999-Q1"})
    assert response.status_code == 400
    assert "Choose one of the quarters" in response.content.decode()


def test_a_worker_may_not_see_the_dashboard(client, cast):
    client.force_login(cast.worker)
    assert client.get(reverse("reach-dashboard")).status_code == 403


def test_the_page_is_kept_for_a_while_and_says_when_it_was_worked_out(client, cast, settings):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REACH_DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    client.force_login(cast.commissioner)
    try:
        with time_machine.travel(at(date(2026, 10, 5)), tick=False):
            first = client.get(reverse("reach-dashboard"))
            with CaptureQueriesContext(connection) as again:
                second = client.get(reverse("reach-dashboard"))
    finally:
        cache.clear()
    assert "Worked out at 10:00 on 5 October 2026; worked out again after 10 minutes" in first.content.decode()
    assert "Worked out at 10:00 on 5 October 2026" in second.content.decode()  # kept, not worked out again
    assert not any("families_person" in query["sql"] for query in again.captured_queries)


def test_present_at_any_session_not_cancelled_counts_saved_register_or_not(cast):
    named = family(cast, "Watton", children=[date(2025, 3, 3)])  # named on a universal session's open register
    the_course = course(cast=cast, start_date=date(2026, 8, 4), sessions=1)
    the_course.sessions.get().attendances.create(
        family=named, attended=True, recorded_at=at(date(2026, 8, 4)), recorded_by=cast.worker
    )
    cancelled = family(cast, "Watton", children=[date(2025, 3, 3)])  # present at a session later cancelled
    other = course(cast=cast, start_date=date(2026, 8, 5), sessions=1)
    session = other.sessions.get()
    session.attendances.create(
        family=cancelled, attended=True, recorded_at=at(date(2026, 8, 5)), recorded_by=cast.worker
    )
    session.status, session.cancel_reason = session.Status.CANCELLED, "Hall flooded"
    session.cancelled_at, session.cancelled_by = at(date(2026, 8, 5), 8), cast.worker
    session.save()

    rows = reach_under5_by_locality(Q2, DISTRICTS)
    assert row(rows, town_label(Locality.objects.get(name="Watton"))).values[BRECKLAND] == 1
