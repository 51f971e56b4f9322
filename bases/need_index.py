"""The Children's Need Index of a locality.

Report §2.3.3–2.3.4 describes a composite of leading indicators of early
childhood vulnerability but not its arithmetic, so ours is stated here:

    index = 100 + 10 × mean over markers m of (value_m − mean_m) / sd_m

where the markers are the seven of report table 1 that §2.3.4 names: teenage
mothers, eligibility for funded places at 2, EYFSP not at a good level of
development, families with no qualifications, lone parent households, children
in need / on a protection plan / looked after, and IDACI (children in low
income families). Mean and population standard deviation are taken over the 28
market towns (not "Other", which is the rest of the county, and not the county
total). 100 is a town of average need; each 10 points is one standard deviation
more need on average across the markers. Population size is deliberately not a
marker: the index measures the *intensity* of need, the under-5 count its scale.
"""

from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean, pstdev

NEED_MARKERS = (
    "pct_teenage_mothers",
    "pct_eligible_2yo",
    "pct_eyfsp_not_gld",
    "pct_families_no_qualifications",
    "pct_lone_parent_households",
    "pct_cin_cp_lac_under_18",
    "idaci_pct",
)


def childrens_need_index(rows: list[dict], *, reference_rows: list[dict]) -> list[Decimal]:
    """The index for each of ``rows``, standardised against ``reference_rows`` (the market towns)."""
    spread = {}
    for marker in NEED_MARKERS:
        values = [float(row[marker]) for row in reference_rows]
        spread[marker] = (fmean(values), pstdev(values) or 1.0)
    scores = []
    for row in rows:
        mean_z = fmean((float(row[m]) - spread[m][0]) / spread[m][1] for m in NEED_MARKERS)
        scores.append(Decimal(str(100 + 10 * mean_z)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return scores
