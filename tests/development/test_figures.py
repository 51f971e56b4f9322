"""The quarterly return's child development section (#20 item 5), on a small dataset worked out by hand.

The period is quarter 2 of 2025/26 (July to September 2025). Today is frozen at 1 December 2025 while the records
are made, so reviews dated after the quarter can exist. District A is Team A's, district B Team B's.

- F1 (district A, plan open, supported): Amy, ASQ-3 on 10 Sep 2024 B C A A A, 5 May 2025 C C A B A, 20 Oct 2025
  all B.
- F2 (A, plan active from August, supported): Ben, 1 Feb 2025 all A (recorded with communication B, corrected to
  A), 1 Mar 2025 all B but recorded in error; Bea, EYFS 30 Jun 2025 good level, 1 Nov 2025 not.
- F3 (A, only a draft plan: not supported): Cal, 1 Mar 2025 all A.
- F4 (A, plan closed in June: not supported in Q2): Dan, 1 Mar 2025 all A.
- F5 (district B, supported): Eve, 1 Jan 2024 all A, 1 Jul 2025 B A A A C.

(Domains in order: communication, gross motor, fine motor, problem solving, personal-social.)
(A above, C close to, B below.) Latest on or before 30 September 2025: Amy C C A B A (the October review is later);
Ben all A; Eve B A A A C. Two reviews: Amy (B C A A A → C C A B A: comm up, problem solving down, the rest stay)
and Eve (all A → B A A A C: comm down, personal-social down, the rest stay). EYFS: Bea, latest by the end of
September is 30 June 2025, good level of development.
"""

from datetime import date

import pytest
from django.utils import timezone

from development import services
from development.models import DOMAIN_FIELDS, DevelopmentReview
from families.models import Person
from reporting import development_figures as figures
from reporting import disclosure
from reporting.kpis import COUNTY
from reporting.periods import parse_period
from tests.development.factories import levels
from tests.families.factories import active_plan, draft_plan
from tests.referrals.factories import allocated_referral
from tests.reporting.test_definitions import close_plan, on
from tests.reporting.test_disclosure import _figures, _kpi, _row

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
Q2 = parse_period("2025-Q2")
A, B, C = "above", "below", "close"


def _family(cast, *, team="team", plan="active", activated=date(2025, 6, 1)):
    manager, worker = (cast.manager, cast.worker) if team == "team" else (cast.other_manager, cast.other_worker)
    with on(date(2025, 5, 20)):
        family = allocated_referral(team=getattr(cast, team), manager=manager, worker=worker).family
    with on(activated):
        if plan == "draft":
            draft_plan(family=family, worker=worker)
        else:
            made = active_plan(family=family, worker=worker, manager=manager)
            if plan == "closed":
                with on(date(2025, 6, 20)):
                    close_plan(cast, made, reason="needs_met")
    return family, worker


def _child(family, name, born):
    child = family.members.get(kind="child")
    if child.first_name == "Alfie":
        Person.objects.filter(pk=child.pk).update(first_name=name, date_of_birth=born)
        child.refresh_from_db()
        return child
    return Person.objects.create(family=family, kind="child", first_name=name, last_name="Howes", date_of_birth=born)


def _asq(child, actor, day, comm, gross, fine, problem, personal, kind="two_year"):
    values = dict(zip(DOMAIN_FIELDS, (comm, gross, fine, problem, personal), strict=True))
    return services.development_review_record(
        child=child,
        actor=actor,
        kind=kind,
        reviewed_on=day,
        source="Health visitor",
        consent_confirmed=True,
        levels=levels(**values),
    )


def _eyfs(child, actor, day, good):
    return services.development_review_record(
        child=child,
        actor=actor,
        kind="eyfs",
        reviewed_on=day,
        source="School",
        consent_confirmed=True,
        good_level_of_development=good,
    )


@pytest.fixture
def dataset(cast):
    f1, w1 = _family(cast)
    f2, w2 = _family(cast, activated=date(2025, 8, 1))
    f3, w3 = _family(cast, plan="draft")
    f4, w4 = _family(cast, plan="closed")
    f5, w5 = _family(cast, team="other_team")
    with on(date(2025, 12, 1)):
        amy = _child(f1, "Amy", date(2023, 3, 1))
        _asq(amy, w1, date(2024, 9, 10), B, C, A, A, A, kind="asq")
        _asq(amy, w1, date(2025, 5, 5), C, C, A, B, A)
        _asq(amy, w1, date(2025, 10, 20), B, B, B, B, B, kind="asq")
        ben = _child(f2, "Ben", date(2023, 1, 15))
        wrong = _asq(ben, w2, date(2025, 2, 1), B, A, A, A, A)
        services.development_review_amend(
            review=wrong,
            actor=w2,
            reason="Communication is above",
            reviewed_on=wrong.reviewed_on,
            source=wrong.source,
            levels=levels(),
        )
        in_error = _asq(ben, w2, date(2025, 3, 1), B, B, B, B, B, kind="asq")
        services.development_review_mark_in_error(review=in_error, actor=w2, reason="Another child's")
        bea = _child(f2, "Bea", date(2020, 5, 1))
        _eyfs(bea, w2, date(2025, 6, 30), True)
        _eyfs(bea, w2, date(2025, 11, 1), False)
        _asq(_child(f3, "Cal", date(2023, 1, 1)), w3, date(2025, 3, 1), A, A, A, A, A)
        _asq(_child(f4, "Dan", date(2023, 1, 1)), w4, date(2025, 3, 1), A, A, A, A, A)
        eve = _child(f5, "Eve", date(2022, 6, 1))
        _asq(eve, w5, date(2024, 1, 1), A, A, A, A, A, kind="asq")
        _asq(eve, w5, date(2025, 7, 1), B, A, A, A, C)
    assert DevelopmentReview.objects.count() == 11
    return [cast.team.base.district.name, cast.other_team.base.district.name]


def _table(rows):
    return {row.label: tuple(row.values.values()) for row in rows}


def test_children_reviewed(dataset):
    rows = figures.development_reviewed(Q2, dataset)
    assert list(rows[0].values) == [*dataset, COUNTY]
    assert _table(rows) == {
        figures.REVIEWED: (2, 1, 3),  # Amy and Ben; Eve
        figures.TWO_REVIEWS: (1, 1, 2),  # Amy; Eve (Ben's second is in error)
        figures.EYFS_KNOWN: (1, 0, 1),  # Bea
    }


def test_share_at_the_expected_level_in_each_domain(dataset):
    rows = figures.development_expected_level(Q2, dataset)
    assert _table(rows) == {
        "Communication": (50.0, 0.0, 33.3),  # Ben (as corrected) of Amy and Ben; not Eve; 1 of 3
        "Gross motor": (50.0, 100.0, 66.7),
        "Fine motor": (100.0, 100.0, 100.0),
        "Problem solving": (50.0, 100.0, 66.7),
        "Personal-social": (100.0, 0.0, 66.7),
    }
    assert all(tuple(row.bases.values()) == (2, 1, 3) for row in rows)


def test_change_between_the_last_two_reviews(dataset):
    rows = _table(figures.development_change(Q2, dataset))
    expected = {
        "Communication": {"up": (1, 0, 1), "same": (0, 0, 0), "down": (0, 1, 1)},
        "Gross motor": {"up": (0, 0, 0), "same": (1, 1, 2), "down": (0, 0, 0)},
        "Fine motor": {"up": (0, 0, 0), "same": (1, 1, 2), "down": (0, 0, 0)},
        "Problem solving": {"up": (0, 0, 0), "same": (0, 1, 1), "down": (1, 0, 1)},
        "Personal-social": {"up": (0, 0, 0), "same": (1, 0, 1), "down": (0, 1, 1)},
    }
    assert rows == {
        figures.change_label(domain, move): values
        for domain, moves in expected.items()
        for move, values in moves.items()
    }


def test_eyfs_good_level_of_development(dataset):
    (row,) = figures.development_eyfs(Q2, dataset)
    assert tuple(row.values.values()) == (100.0, None, 100.0)  # Bea's June result; November's is after the quarter
    assert tuple(row.bases.values()) == (1, 0, 1)


def test_the_next_quarter_takes_the_later_reviews(dataset):
    q3 = parse_period("2025-Q3")  # October to December 2025: Amy's October review (all below) is her latest
    expected = _table(figures.development_expected_level(q3, dataset))
    assert expected["Fine motor"] == (50.0, 100.0, 66.7)
    (eyfs,) = figures.development_eyfs(q3, dataset)
    assert tuple(eyfs.values.values()) == (0.0, None, 0.0)  # Bea's November result: not a good level


def test_the_section_is_in_the_quarterly_return_only(dataset):
    from reporting.kpis import REGISTRY, SECTIONS

    mine = [k for k in REGISTRY if k.section == "development"]
    assert [k.code for k in mine] == [
        "development_reviewed",
        "development_expected_level",
        "development_change",
        "development_eyfs",
    ]
    assert all(k.returns == ("quarterly",) for k in mine) and "development" in SECTIONS
    assert timezone.localdate()  # the clock is not read by the figures: the period decides


def test_disclosure_knows_the_moves_add_up_to_the_children_with_two_reviews():
    """District A: 12 reviewed, 10 with two reviews; communication 2 up, 8 same, 0 down. The 2 is hidden; without
    the relation a reader would work it out as 10 − 8 − 0, so more is hidden until no cell is pinned."""
    counts = _kpi(
        "development_reviewed",
        [
            _row(figures.REVIEWED, [12, 9, 0, 0]),
            _row(figures.TWO_REVIEWS, [10, 7, 0, 0]),
            _row(figures.EYFS_KNOWN, [0, 0, 0, 0]),
        ],
    )
    moves = {("Communication", "up"): [2, 0, 0, 0], ("Communication", "same"): [8, 7, 0, 0]}
    change = _kpi(
        "development_change",
        [
            _row(
                figures.change_label(label, move),
                moves.get((label, move), [0, 0, 0, 0] if move != "same" else [10, 7, 0, 0]),
            )
            for _, label in figures.DOMAINS
            for move, _ in figures.MOVES
        ],
    )
    naive = _figures(counts, change)
    for kpi in naive["sections"][0]["kpis"]:
        for row in kpi["rows"]:
            row["display"] = {area: str(value) for area, value in row["values"].items()}
    up = naive["sections"][0]["kpis"][1]["rows"][0]
    up["display"] = {**up["display"], "A": disclosure.SYMBOL, COUNTY: disclosure.SYMBOL}
    pinned = {cell.key for cell in disclosure.audit(naive)}
    assert ("development_change", 0, "A") in pinned

    protected = disclosure.protect(_figures(counts, change))
    assert disclosure.audit(protected) == []
    rows = protected["sections"][0]["kpis"][1]["rows"]
    assert rows[0]["display"]["A"] == disclosure.SYMBOL
    assert disclosure.SYMBOL in (
        rows[1]["display"]["A"],
        protected["sections"][0]["kpis"][0]["rows"][1]["display"]["A"],
    )
