"""Child development evidence for impact 1 in the quarterly return (#20 item 5): for the children of the families
supported in the quarter, the ASQ-3 domains at the expected level in each child's latest review, the change between
a child's last two reviews, and the early years foundation stage profile's good level of development.

Registered by the import at the end of ``reporting/kpis.py``, in the "development" section. Disclosure control
protects them like every other table; ``reporting/disclosure.py`` also knows that, in each domain, the children
whose level moved up, stayed or moved down are the children with two reviews.

*At the expected level* is ASQ-3's "above the cut-off" (on track) only: "close to" is the questionnaire's
monitoring zone, where the child's development is to be watched, so it is not counted as at the expected level.
"""

from dataclasses import dataclass

from django.db.models import OuterRef

from development.models import DOMAINS, DevelopmentReview

from .kpis import SUPPORTED, _count_row, _once, _percent_row, _plan_active_in, kpi
from .periods import QUARTERLY, Period

REVIEWED = "Children with an ASQ-3 review"
TWO_REVIEWS = "Children with two ASQ-3 reviews or more"
EYFS_KNOWN = "Children with an EYFS profile result"
MOVES = (("up", "moved up"), ("same", "stayed the same"), ("down", "moved down"))
RANK = DevelopmentReview.RANK  # below < close to < above
COHORT = f"""the children of families supported in the quarter ({SUPPORTED}) with a review dated on or before
the quarter's last day (reviews as corrected; those recorded in error left out), by the family's district"""


def change_label(domain_label: str, move: str) -> str:
    return f"{domain_label}: {dict(MOVES)[move]}"


@dataclass
class _Child:
    district: str
    asq: list  # the child's ASQ-3 reviews, oldest first
    eyfs: list  # the child's EYFS profile results, oldest first


def _children(period: Period) -> list[_Child]:
    """Every valid review up to the period's end of the supported families' children, grouped by child: one query,
    shared by the four figures within ``shared_queries()``."""
    return _once("development", period, lambda: _grouped(period))


def _grouped(period: Period) -> list[_Child]:
    reviews = (
        DevelopmentReview.objects.filter(
            _plan_active_in(period, OuterRef("family")), in_error_at__isnull=True, reviewed_on__lte=period.end
        )
        .select_related("family__district")
        .order_by("child_id", "reviewed_on", "created_at", "pk")
    )
    children: dict[int, _Child] = {}
    for review in reviews:
        child = children.setdefault(review.child_id, _Child(review.family.district.name, [], []))
        (child.asq if review.is_asq else child.eyfs).append(review)
    return list(children.values())


def _add(table: dict, district: str) -> None:
    table[district] = table.get(district, 0) + 1


@kpi(
    code="development_reviewed",
    title="Children in supported families with child development evidence",
    section="development",
    unit="count",
    returns=(QUARTERLY,),
    definition=f"""Of {COHORT}: the children with at least one ASQ-3 review (the Healthy Child Programme 2 to 2½ year
    review or another ASQ-3 shared by health visiting with the family's consent); those with two ASQ-3 reviews or more;
    and those with an early years foundation stage (EYFS) profile result. Each child counts once in each row.""",
)
def development_reviewed(period, districts):
    reviewed, two, eyfs = {}, {}, {}
    for child in _children(period):
        if child.asq:
            _add(reviewed, child.district)
        if len(child.asq) >= 2:
            _add(two, child.district)
        if child.eyfs:
            _add(eyfs, child.district)
    return [
        _count_row(REVIEWED, reviewed, districts),
        _count_row(TWO_REVIEWS, two, districts),
        _count_row(EYFS_KNOWN, eyfs, districts),
    ]


@kpi(
    code="development_expected_level",
    title="Children at the expected level in each ASQ-3 domain",
    section="development",
    unit="percent",
    returns=(QUARTERLY,),
    definition=f"""Of {COHORT} who have an ASQ-3 review: the share whose latest review (the last dated on or before
    the quarter's last day; of two on one day, the last recorded) is above the ASQ-3 cut-off — on track — in each
    domain (communication, gross motor, fine motor, problem solving, personal-social). "Close to" the cut-off (the
    monitoring zone) and below it are not at the expected level. The base is the children with an ASQ-3 review.""",
)
def development_expected_level(period, districts):
    children = [child for child in _children(period) if child.asq]
    rows = []
    for name, label in DOMAINS:
        at_level, reviewed = {}, {}
        for child in children:
            _add(reviewed, child.district)
            if getattr(child.asq[-1], name) == DevelopmentReview.Level.ABOVE:
                _add(at_level, child.district)
        rows.append(_percent_row(label, at_level, reviewed, districts))
    return rows


@kpi(
    code="development_change",
    title="Change between a child's last two ASQ-3 reviews, by domain",
    section="development",
    unit="count",
    returns=(QUARTERLY,),
    definition=f"""Of {COHORT} who have two ASQ-3 reviews or more: in each domain, the children whose level in
    their latest review (as above) is higher than in the review before it (below → close to → above: moved up),
    the same (stayed the same), or lower (moved down). In each domain the three rows add up to the children with
    two reviews or more.""",
)
def development_change(period, districts):
    tables = {(name, move): {} for name, _ in DOMAINS for move, _ in MOVES}
    for child in _children(period):
        if len(child.asq) < 2:
            continue
        before, latest = child.asq[-2], child.asq[-1]
        for name, _ in DOMAINS:
            old, new = RANK[getattr(before, name)], RANK[getattr(latest, name)]
            move = "up" if new > old else "down" if new < old else "same"
            _add(tables[(name, move)], child.district)
    return [
        _count_row(change_label(label, move), tables[(name, move)], districts)
        for name, label in DOMAINS
        for move, _ in MOVES
    ]


@kpi(
    code="development_eyfs",
    title="Children with a good level of development at the end of reception (EYFS profile)",
    section="development",
    unit="percent",
    returns=(QUARTERLY,),
    definition=f"""Of {COHORT} whose early years foundation stage profile result is known: the share whose latest
    result dated on or before the quarter's last day is a good level of development. The base is the children with
    an EYFS profile result.""",
)
def development_eyfs(period, districts):
    good, known = {}, {}
    for child in _children(period):
        if child.eyfs:
            _add(known, child.district)
            if child.eyfs[-1].good_level_of_development:
                _add(good, child.district)
    return [_percent_row("Good level of development", good, known, districts)]


def development_margins(labels: dict) -> list[tuple]:
    """What a reader knows ties the development tables together (``disclosure._shared_margins``), per area: in each
    domain the children who moved up, stayed and moved down are the children with two reviews; those are no more
    than the children reviewed. Each item is (left, right, equality). ``labels``: each KPI's row labels → index."""
    counts = labels.get("development_reviewed")
    if not counts:
        return []
    margins = [(("development_reviewed", [counts[TWO_REVIEWS]]), ("development_reviewed", [counts[REVIEWED]]), False)]
    change = labels.get("development_change")
    if change:
        for _, label in DOMAINS:
            rows = [change[change_label(label, move)] for move, _ in MOVES]
            margins.append((("development_change", rows), ("development_reviewed", [counts[TWO_REVIEWS]]), True))
    return margins
