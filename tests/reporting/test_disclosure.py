"""Disclosure control (issue #16): one symbol, complementary suppression, and the linear-programming audit.

The tables here are built by hand in the shape ``compute_figures`` gives ``disclosure.protect``; the audit is
then asked what a reader could work out from what is published.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting import disclosure
from reporting.disclosure import SYMBOL

DISTRICTS = ["A", "B", "C", "D"]
COUNTY = "County"


SUM = object()  # the county cell is the districts' sum


def _row(label, counts, *, unit="count", numerator=(), denominator=(), bases=None, county=SUM):
    values = dict(zip(DISTRICTS, counts, strict=True))
    values[COUNTY] = sum(counts) if county is SUM else county
    return {
        "label": label,
        "unit": unit,
        "values": values,
        "bases": bases,
        "additive": unit in ("count", "money"),
        "numerator": list(numerator),
        "denominator": list(denominator),
    }


def _kpi(code, rows, *, headline_total=False, unit="count"):
    if headline_total:
        headline = {
            "label": "Total",
            "unit": unit,
            "value": sum(r["values"][COUNTY] for r in rows if r["unit"] == unit),
        }
    else:
        headline = {"label": rows[0]["label"], "unit": rows[0]["unit"], "value": rows[0]["values"][COUNTY]}
    return {
        "code": code,
        "unit": unit,
        "headline_total": headline_total,
        "rows": rows,
        "baseline": [],
        "headline": headline,
    }


def _figures(*kpis, period="2026-Q2"):
    return {"period": period, "districts": DISTRICTS, "sections": [{"code": "s", "title": "S", "kpis": list(kpis)}]}


def _percent(numerator, denominator):
    return round(100 * numerator / denominator, 1) if denominator else None


def test_a_hidden_five_beside_a_one_no_longer_gives_the_one_away():
    """Row 5, 1, 7, 0 with its total 13. The old rule hid the 1 as <5 and the 5 as [c]: a reader knew [c] meant
    at least 5, and the total pins both (the audit says so). Now three cells share one symbol: each could be
    anything from 1 to 11."""
    old = _figures(_kpi("t", [_row("Referrals", [5, 1, 7, 0])]))
    old_row = old["sections"][0]["kpis"][0]["rows"][0]
    old_row["display"] = {"A": SYMBOL, "B": SYMBOL, "C": "7", "D": "0", COUNTY: "13"}
    weak = {cell.key[2]: (cell.low, cell.high) for cell in disclosure.audit(old)}
    assert weak == {"A": (1.0, 5.0), "B": (1.0, 5.0)}  # 1 + 5 = 6, each at least 1: under 5 wide

    new = disclosure.protect(_figures(_kpi("t", [_row("Referrals", [5, 1, 7, 0])])))
    row = new["sections"][0]["kpis"][0]["rows"][0]
    assert row["display"] == {"A": SYMBOL, "B": SYMBOL, "C": SYMBOL, "D": "0", COUNTY: "13"}
    assert row["values"] == {"A": None, "B": None, "C": None, "D": 0, COUNTY: 13}
    assert disclosure.audit(new) == []


def _sessions(targeted, universal):
    totals = [a + b for a, b in zip(targeted, universal, strict=True)]
    return _kpi(
        "sessions_by_offer",
        [
            _row("Targeted", targeted),
            _row("Universal", universal),
            _row(
                "% targeted",
                [_percent(a, t) for a, t in zip(targeted, totals, strict=True)],
                unit="percent",
                numerator=["Targeted"],
                denominator=["Targeted", "Universal"],
                bases={**dict(zip(DISTRICTS, totals, strict=True)), COUNTY: sum(totals)},
                county=_percent(sum(targeted), sum(totals)),
            ),
        ],
        headline_total=True,
    )


def test_sixty_percent_of_five_no_longer_gives_the_three_away():
    """District A ran 3 targeted and 2 universal sessions (5): the counts were hidden but '60% targeted' was
    shown on its base of 5, so 3 could be read back. Now the share is hidden with them, and the audit passes."""
    offer = _sessions([3, 10, 20, 8], [2, 12, 25, 9])
    figures = disclosure.protect(_figures(offer))
    targeted, universal, share = figures["sections"][0]["kpis"][0]["rows"]
    assert targeted["display"]["A"] == universal["display"]["A"] == SYMBOL
    assert share["display"]["A"] == SYMBOL  # 60% of 5 is not published
    assert disclosure.audit(figures) == []
    # What the old rule published: 3 and 2 as <5, the next smallest of each row (8, 9) as [c], and every share
    # (the base of 5 was not under 5). The audit pins A's targeted sessions to 3.
    old = _figures(_sessions([3, 10, 20, 8], [2, 12, 25, 9]))
    kpi = old["sections"][0]["kpis"][0]
    for row in kpi["rows"]:
        row["display"] = {area: str(value) for area, value in row["values"].items()}
    for row in kpi["rows"][:2]:
        row["display"]["A"] = row["display"]["D"] = SYMBOL
    kpi["headline"]["display"] = "89"
    weak = {cell.key: (round(cell.low, 2), round(cell.high, 2)) for cell in disclosure.audit(old)}
    assert weak[("sessions_by_offer", 0, "A")][0] == pytest.approx(3, abs=0.1)
    assert weak[("sessions_by_offer", 0, "A")][1] == pytest.approx(3, abs=0.1)


def test_money_paid_to_fewer_than_five_families_is_hidden_with_the_same_symbol():
    families = {"A": 1, "B": 9, "C": 6, "D": 0, COUNTY: 16}
    rent = _row("Rent", ["300.00", "1200.00", "950.00", "0.00"], unit="money", bases=families, county="2450.00")
    figures = disclosure.protect(_figures(_kpi("fund", [rent], unit="money")))
    row = figures["sections"][0]["kpis"][0]["rows"][0]
    assert row["display"]["A"] == SYMBOL and row["values"]["A"] is None
    assert "300" not in " ".join(row["display"].values())
    assert disclosure.audit(figures) == []


def test_a_table_total_made_of_hidden_county_cells_is_protected_too():
    """Two rows whose county totals are 2 and 3: both small, so hidden; the table's total (5) would give
    neither away alone, but with one row's county published it would give the other: the audit decides."""
    figures = disclosure.protect(
        _figures(
            _kpi("t", [_row("X", [1, 1, 0, 0]), _row("Y", [2, 0, 1, 0]), _row("Z", [9, 7, 6, 8])], headline_total=True)
        )
    )
    assert disclosure.audit(figures) == []
    kpi = figures["sections"][0]["kpis"][0]
    shown = [value for row in kpi["rows"] for value in row["display"].values()] + [kpi["headline"]["display"]]
    assert not {"1", "2", "3", "4"} & set(shown)


def test_zeros_stay_shown_and_every_hidden_cell_uses_one_symbol():
    figures = disclosure.protect(_figures(_kpi("t", [_row("X", [0, 2, 0, 30])])))
    row = figures["sections"][0]["kpis"][0]["rows"][0]
    assert row["display"]["A"] == "0" and row["display"]["C"] == "0"
    assert set(row["display"].values()) <= {"0", SYMBOL, "30", "32"}
    assert disclosure.audit(figures) == []


SMALLISH = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 45])


@st.composite
def tables(draw):
    rows = draw(st.lists(st.lists(SMALLISH, min_size=4, max_size=4), min_size=1, max_size=4))
    kpis = [_kpi("t", [_row(f"Row {i}", counts) for i, counts in enumerate(rows)], headline_total=draw(st.booleans()))]
    if draw(st.booleans()):  # a table with a share of two of its rows, as sessions by offer has
        first, second = (
            draw(st.lists(SMALLISH, min_size=4, max_size=4)),
            draw(st.lists(SMALLISH, min_size=4, max_size=4)),
        )
        totals = [a + b for a, b in zip(first, second, strict=True)]
        kpis.append(
            _kpi(
                "s",
                [
                    _row("Targeted", first),
                    _row("Universal", second),
                    _row(
                        "% targeted",
                        [_percent(a, t) for a, t in zip(first, totals, strict=True)],
                        unit="percent",
                        numerator=["Targeted"],
                        denominator=["Targeted", "Universal"],
                        bases={**dict(zip(DISTRICTS, totals, strict=True)), COUNTY: sum(totals)},
                        county=_percent(sum(first), sum(totals)),
                    ),
                ],
                headline_total=True,
            )
        )
    return _figures(*kpis)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_tables_with_many_small_cells_pass_the_audit(figures):
    disclosure.protect(figures)
    assert disclosure.audit(figures) == []
    for kpi in figures["sections"][0]["kpis"]:
        for row in kpi["rows"]:
            for area, shown in row["display"].items():
                if row["unit"] == "count":
                    assert shown in (SYMBOL, "–") or not 1 <= int(shown.replace(",", "")) <= 4, (kpi["code"], area)
                if shown == SYMBOL:
                    assert row["values"][area] is None  # nothing hidden is kept in what is published


@pytest.mark.parametrize("bad", [{"A": 1}, {"B": 4}])
def test_a_published_small_count_is_caught_by_the_audit_only_if_hidden(bad):
    """The audit judges hidden cells; the primary rule is what keeps 1 to 4 out of sight (checked above)."""
    counts = [bad.get(d, 10) for d in DISTRICTS]
    figures = disclosure.protect(_figures(_kpi("t", [_row("X", counts)])))
    row = figures["sections"][0]["kpis"][0]["rows"][0]
    area = next(iter(bad))
    assert row["display"][area] == SYMBOL


# A quarter beside its three months ------------------------------------------------------------------------------

MONTHS = ("2026-10", "2026-11", "2026-12")
MODES = ("Home visit", "Phone call")


def _contacts(period, counts_by_mode):
    """Contacts by mode (a KPI whose quarter is its months added up), one row per mode."""
    rows = [_row(mode, counts) for mode, counts in zip(MODES, counts_by_mode, strict=False)]
    return _figures(_kpi("contacts_by_mode", rows, headline_total=True), period=period)


def _display(figures, row=0):
    return figures["sections"][0]["kpis"][0]["rows"][row]["display"]


def test_a_quarter_hides_what_would_give_a_months_hidden_count_back():
    """Home visits in district A: October 5, November 0, December 2 (hidden). A quarter showing 7 would give
    December's 2 back (7 - 5 - 0); beside its months it is hidden, and the audit of all four returns passes."""
    by_month = {"2026-10": [[5, 9, 8, 7]], "2026-11": [[0, 9, 8, 7]], "2026-12": [[2, 9, 8, 7]]}
    months = [disclosure.protect(_contacts(label, counts)) for label, counts in by_month.items()]
    assert [_display(month)["A"] for month in months] == ["5", "0", SYMBOL]
    quarter_counts = [[7, 27, 24, 21]]

    alone = disclosure.protect(_contacts("2026-Q3", quarter_counts))
    assert _display(alone)["A"] == "7"
    weak = disclosure.audit(alone, months)
    assert (("2026-12:contacts_by_mode", 0, "A"), 2.0, 2.0) in [(cell.key, cell.low, cell.high) for cell in weak]

    beside = disclosure.protect(_contacts("2026-Q3", quarter_counts), months)
    assert _display(beside)["A"] == SYMBOL
    assert disclosure.audit(beside, months) == []


def test_a_quarter_shows_a_total_its_months_already_show():
    """Plans closed in district A are shown by the months (0, 0, 5), so the quarter's 5 is shown too: hiding it
    would protect nothing. Its split (4 and 1) stays hidden, and as a quarter may hide a zero beside its months,
    a reader knows each only as 0 to 5."""
    closed = {"2026-10": [0, 6, 7, 8], "2026-11": [0, 6, 7, 8], "2026-12": [5, 6, 7, 8]}
    months = []
    for label, counts in closed.items():
        rows = [_row("Started", [9, 9, 9, 9]), _row("Closed", counts)]
        months.append(disclosure.protect(_figures(_kpi("new_and_closed_plans", rows), period=label)))
    plans = _kpi("new_and_closed_plans", [_row("Started", [27, 27, 27, 27]), _row("Closed", [5, 18, 21, 24])])
    reasons = _kpi("closures_by_reason", [_row("Needs met", [4, 9, 14, 12]), _row("Stepped up", [1, 9, 7, 12])])
    quarter = disclosure.protect(_figures(plans, reasons, period="2026-Q3"), months)
    kpis = quarter["sections"][0]["kpis"]
    assert kpis[0]["rows"][1]["display"]["A"] == "5"
    assert kpis[1]["rows"][0]["display"]["A"] == kpis[1]["rows"][1]["display"]["A"] == SYMBOL
    assert disclosure.audit(quarter, months) == []


@st.composite
def quarters(draw):
    modes = draw(st.integers(min_value=1, max_value=2))
    months = [[draw(st.lists(SMALLISH, min_size=4, max_size=4)) for _ in range(modes)] for _ in MONTHS]
    return months


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quarters())
def test_random_quarters_beside_their_months_pass_the_audit(counts):
    months = [disclosure.protect(_contacts(label, by_mode)) for label, by_mode in zip(MONTHS, counts, strict=True)]
    summed = [[sum(month[mode][d] for month in counts) for d in range(4)] for mode in range(len(counts[0]))]
    quarter = disclosure.protect(_contacts("2026-Q3", summed), months)
    assert disclosure.audit(quarter, months) == []
    for index in range(len(summed)):
        for shown in _display(quarter, index).values():
            assert shown == SYMBOL or not 1 <= int(shown) <= 4


def _sessions_return(period, targeted, universal):
    return _figures(_sessions(targeted, universal), period=period)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(SMALLISH, min_size=8, max_size=8), min_size=3, max_size=3))
def test_random_quarters_with_shares_beside_their_months_pass_the_audit(counts):
    """Sessions by offer with the share targeted, in each month and the quarter: the months' published shares tie
    their hidden counts, and the quarter's share (as well as its counts) can give them back."""
    months = [
        disclosure.protect(_sessions_return(label, month[:4], month[4:]))
        for label, month in zip(MONTHS, counts, strict=True)
    ]
    targeted = [sum(month[d] for month in counts) for d in range(4)]
    universal = [sum(month[4 + d] for month in counts) for d in range(4)]
    quarter = disclosure.protect(_sessions_return("2026-Q3", targeted, universal), months)
    assert disclosure.audit(quarter, months) == []


# Sparing solves -------------------------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.booleans(), st.data())
def test_sparing_solves_finds_the_same_weak_cells_as_solving_every_one(figures, truth_known, data):
    """A cell seen at two values 5 apart is not solved: on random tables, with and without the true figures
    (``protect`` knows them, ``audit`` does not), the weak cells and their intervals are those found by solving
    every hidden cell's least and greatest value."""
    model = disclosure._model(figures)
    # Zeros are never hidden (a hidden count is at least 1), so only other counts are hidden besides the small.
    counts = sorted((key for key, unit in model.units.items() if unit == "count" and model.values[key]), key=repr)
    hidden = disclosure._primary(model)
    if counts:
        hidden |= set(data.draw(st.lists(st.sampled_from(counts), max_size=6)))
    if not truth_known:
        for key in hidden:
            model.values[key] = None

    def intervals(weak):
        return sorted(((cell.key, round(cell.low, 6), round(cell.high, 6)) for cell in weak), key=repr)

    spared = intervals(disclosure._weak_cells(model, hidden))
    assert spared == intervals(disclosure._weak_cells(model, hidden, exhaustive=True))
