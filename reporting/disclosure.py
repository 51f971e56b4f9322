"""Statistical disclosure control: the one step between the computed figures and anything a commissioner sees.

Primary suppression: counts from 1 to 4; percentages and means on a base under 5; money paid to fewer than 5
families. Zeros are shown (but see a quarter beside its months, below). Every hidden cell shows the same symbol,
``[c]``, so a reader cannot tell a small number from a cell hidden to protect it.

Complementary suppression: more cells are hidden until the audit passes. The audit writes down everything a
reader knows from the published return — each row adds up to its county total, a table's total adds up its
rows, tables that count the same things two ways share a margin, a percentage ties its numerator to its
denominator, a subgroup is no bigger than its group, a hidden count is at least 1 (zeros are shown) — and, for
every hidden count or sum of money, solves two linear programmes (HiGHS) for the smallest and the largest value
consistent with all of it. Every hidden cell's interval must be at least 5 wide.

A quarter is also checked beside its three monthly returns (``alongside``): the outputs both publish add up over
the quarter (``Kpi.over_time``), so a month's hidden count could otherwise be the quarter's less the other two
months. The months are published first and never change, so only the quarter hides more. Where a total the
months published must be split in the quarter (plans closed, by reason), hiding numbers other than zero cannot
always protect the split, so a quarter may hide a zero beside its months, and its hidden counts are then taken
to be at least 0.

The ONS and DfE statistical disclosure guidance use the same ideas (threshold, complementary suppression,
one symbol); ``[c]`` is the GSS symbol for "confidential".
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import highspy
import numpy as np

from families.models import Contact, SupportPlan
from referrals.models import TriageDecision

SYMBOL = "[c]"
THRESHOLD = 5
MIN_WIDTH = 5
COUNTY = "County"
HEADLINE = "headline"
# Percentages are published to one decimal place: the true share is within half a tenth of a point.
PERCENT_HALF_STEP = 0.05
# Relations between tables, by KPI code and row labels (the choices' texts).
CONTACT_OUTREACH = (Contact.Mode.HOME_VISIT.label, Contact.Mode.COMMUNITY_VENUE.label)
CONTACT_FACE_TO_FACE = tuple(mode.label for mode in Contact.FACE_TO_FACE)
STEP_UP_ROWS = ("Stepped up at triage to children's social care", "Stepped up at triage to Family Focus")

Key = tuple[str, int | str, str]  # (KPI code, row index or HEADLINE, area)


@dataclass
class Relation:
    """``sum(coefficient * cell) (== or <=) constant`` over cells of the return."""

    terms: dict[Key, float]
    constant: float = 0.0
    equality: bool = True


@dataclass
class Weak:
    """A hidden cell a reader can pin down to an interval narrower than ``MIN_WIDTH``."""

    key: Key
    low: float
    high: float
    group: int = 0  # hidden cells tied together by relations share a group

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class _Return:
    """The figures as cells: raw values, units, bases; and every relation a reader knows."""

    figures: dict
    values: dict[Key, object] = field(default_factory=dict)
    units: dict[Key, str] = field(default_factory=dict)
    bases: dict[Key, int | None] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    additive: set[tuple[str, int]] = field(default_factory=set)
    percent_links: list[tuple[Key, list[Key], list[Key]]] = field(default_factory=list)
    # Beside other returns: their cells (published, never hidden more here) and those they hide.
    fixed: set[Key] = field(default_factory=set)
    fixed_hidden: set[Key] = field(default_factory=set)
    # This return's cells that the other returns give exactly: shown, as hiding them would protect nothing.
    known: set[Key] = field(default_factory=set)
    # The least a hidden count of this return can be: 1 while zeros are always shown, 0 once one may be hidden.
    own_floor: float = 1.0
    _by_key: dict[Key, list[Relation]] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=-1, repr=False)

    def relations_of(self, key: Key) -> list[Relation]:
        """The relations ``key`` is a term of (indexed on first use, again if relations were added since)."""
        if self._indexed != len(self.relations):
            self._by_key = {}
            for relation in self.relations:
                for term in relation.terms:
                    self._by_key.setdefault(term, []).append(relation)
            self._indexed = len(self.relations)
        return self._by_key.get(key, [])

    def floor(self, key: Key) -> float:
        if self.units[key] != "count":
            return 0.0
        return 1.0 if key in self.fixed else self.own_floor


# Protecting ---------------------------------------------------------------------------------------


def protect(figures: dict, alongside: Iterable[dict] = ()) -> dict:
    """Hide the cells that must be hidden, then publish: each row gets ``display`` and ``protected`` (the areas
    hidden), hidden values become None, and the bases (what percentages are built on) are dropped.

    ``alongside``: the published returns a reader holds beside this one (a quarter's three months)."""
    model = _model(figures)
    primary = _primary(model)
    hidden = _complete(model, primary)
    alongside = list(alongside)
    if alongside:
        joint = _beside(model, alongside)
        hidden = _complete(joint, (hidden - joint.known) | joint.fixed_hidden, primary) - joint.fixed
    _publish(model, hidden)
    return figures


def _complete(model: _Return, hidden: set[Key], primary: set[Key] | None = None) -> set[Key]:
    """``hidden`` and the complementary cells it needs: more are hidden until no hidden cell is weak.

    Beside other returns (``primary`` given), a cell hidden to protect another that everything published gives
    exactly (the quarter's plans closed when the months show theirs, a total made of such cells) protects
    nothing: it is shown, and never hidden again."""
    hidden = set(hidden)
    cache: dict = {}
    settled: set[Key] = set()
    checked: set[Key] = set()
    while True:
        weak = _weak_cells(model, hidden, cache, settled=settled)
        if not weak:
            return hidden
        if primary is not None:
            exact = {c.key for c in weak if c.width < 1e-6 and c.key not in primary and c.key not in model.fixed}
            given = _given_by_others(model, exact - checked) if exact - checked else set()
            checked |= exact
            if given:
                model.known |= given
                hidden -= given
                settled.clear()  # fewer hidden cells: an interval may narrow again
                continue
        added, groups = set(), set()
        # A weak cell that a relation pins on its own (no other hidden cell in it) gets a partner in each such
        # relation; otherwise one more cell per group of tied cells each round (a total may widen them all).
        for cell in weak:
            added |= _partners_in_pinning_relations(model, hidden, cell.key)
        for cell in sorted(weak, key=lambda cell: (cell.key[1] != HEADLINE, cell.key[2] != COUNTY, str(cell.key))):
            if added or cell.group in groups:
                continue
            partner = _complement_for(model, hidden, cell.key)
            if partner is not None:
                added.add(partner)
                groups.add(cell.group)
        if not added and primary is not None:
            added = _everything_tied(model, hidden, {cell.key for cell in weak})
        if not added:
            raise RuntimeError(f"Cannot protect {', '.join(str(cell.key) for cell in weak)}")
        hidden |= added


def _given_by_others(model: _Return, cells: set[Key]) -> set[Key]:
    """Those of ``cells`` that the other returns give exactly, whatever this one shows: pinned to one value even
    with every figure of this return tied to them (shares included) hidden."""
    own = {key for key in _tied(model, model.fixed) - model.fixed if model.values.get(key) is not None}
    weak = _weak_cells(model, own | model.fixed_hidden, only=cells & own)
    return {cell.key for cell in weak if cell.width < 1e-6}


def audit(figures: dict, alongside: Iterable[dict] = ()) -> list[Weak]:
    """The hidden cells of a published return that everything else in it (and the returns published
    ``alongside`` it) pins to an interval under 5 wide."""
    model = _model(figures)
    hidden = {key for key in model.values if _shown(figures, key) == SYMBOL}
    alongside = list(alongside)
    if alongside:
        model = _beside(model, alongside)
        hidden |= model.fixed_hidden
    return _weak_cells(model, hidden)


def _primary(model: _Return) -> set[Key]:
    hidden = set()
    for key, value in model.values.items():
        unit, base = model.units[key], model.bases.get(key)
        if value is None:
            continue
        small_count = unit == "count" and isinstance(value, int) and 1 <= value < THRESHOLD
        small_base = unit in ("percent", "mean", "points", "money") and base is not None and 0 < base < THRESHOLD
        if small_count or small_base:
            hidden.add(key)
    return hidden


def _hideable(model: _Return, key: Key) -> bool:
    """A complementary cell: a number this return publishes, other than zero while zeros are always shown (a
    reader then knows every hidden count is at least 1)."""
    value = model.values.get(key)
    if value is None or key in model.fixed or key in model.known:
        return False
    if model.units[key] in ("count", "money"):
        return float(value) > 0 or model.own_floor == 0
    return True


def _is_zero(model: _Return, key: Key) -> bool:
    """Zeros are hidden last of all (only beside other returns)."""
    return model.units[key] in ("count", "money") and float(model.values[key]) == 0


def _rank(key: Key) -> int:
    """Which cell to hide first: a district's figure, then a table's total, then a county figure."""
    if key[1] == HEADLINE:
        return 1
    return 2 if key[2] == COUNTY else 0


def _partners_in_pinning_relations(model: _Return, hidden: set[Key], weak: Key) -> set[Key]:
    """For each equality in which ``weak`` is the only hidden cell (it alone fixes it), the smallest other
    number there to hide with it: a district beside it, else a table's total, else a county figure."""
    partners = set()
    for relation in model.relations_of(weak):
        if not relation.equality:
            continue
        if any(key in hidden and key != weak for key in relation.terms):
            continue
        usable = [
            key
            for key in relation.terms
            if key != weak and key not in hidden and _hideable(model, key) and model.units[key] in ("count", "money")
        ]
        if usable:
            partners.add(min(usable, key=lambda key: (_is_zero(model, key), _rank(key), float(model.values[key]))))
    return partners


def _complement_for(model: _Return, hidden: set[Key], weak: Key) -> Key | None:
    """The cell to hide next to widen ``weak``: a percentage that ties it to published counts first, then the
    smallest other number in its row; failing those, a total it adds up to (a table's total before a county
    figure: one total hidden spares the cells of a whole row), then the smallest number in any relation."""
    for percent, numerator, denominator in model.percent_links:
        if percent not in hidden and weak in (*numerator, *denominator) and _hideable(model, percent):
            return percent
    code, row, area = weak

    def usable(key: Key) -> bool:
        return key not in hidden and key != weak and _hideable(model, key) and model.units[key] in ("count", "money")

    same_row = [key for key in model.values if key[:2] == (code, row) and key[2] not in (area, COUNTY)]
    candidates = [key for key in same_row if usable(key)]
    if candidates:
        return min(candidates, key=lambda key: (_is_zero(model, key), float(model.values[key]), str(key)))
    # Published numbers in the relations that tie ``weak`` to other hidden cells, nearest first.
    reached, frontier = {weak}, [weak]
    while frontier:
        touching = [relation for relation in model.relations if not relation.terms.keys().isdisjoint(frontier)]
        related = {key for relation in touching for key in relation.terms}
        candidates = [key for key in related if usable(key)]
        if candidates:
            return min(
                candidates,
                key=lambda key: (
                    _is_zero(model, key),
                    key[1] != HEADLINE,
                    key[2] != COUNTY,
                    float(model.values[key]),
                    str(key),
                ),
            )
        frontier = [key for key in related if key in hidden and key not in reached]
        reached.update(frontier)
    return _share_tying(model, hidden, reached)


def _everything_tied(model: _Return, hidden: set[Key], weak: set[Key]) -> set[Key]:
    """The last resort beside other returns: every number of this return tied to the weak cells, through sums and
    shares, that it still shows (zeros included; not those the other returns give exactly). With them all hidden,
    the other returns' hidden cells are as wide as they were on their own."""
    return {key for key in _tied(model, weak) if key not in hidden and _hideable(model, key)}


def _tied(model: _Return, start: set[Key]) -> set[Key]:
    """Every cell tied to ``start`` through the relations and the percentages a reader knows."""
    reached, frontier = set(start), set(start)
    while frontier:
        related = {key for r in model.relations if not r.terms.keys().isdisjoint(frontier) for key in r.terms}
        for percent, numerator, denominator in model.percent_links:
            tied = {percent, *numerator, *denominator}
            if not tied.isdisjoint(frontier):
                related |= tied
        frontier = related - reached
        reached |= frontier
    return reached


def _share_tying(model: _Return, hidden: set[Key], reached: set[Key]) -> Key | None:
    """Failing every number: a published percentage that ties hidden counts tied to the weak cell (a quarter's
    share at bases, beside its months' shares and counts), itself or through the counts it ties."""
    frontier = set(reached)
    while frontier:
        found = []
        for percent, numerator, denominator in model.percent_links:
            counts = {*numerator, *denominator}
            if frontier.isdisjoint(counts):
                continue
            if percent not in hidden and _hideable(model, percent):
                found.append(percent)
            reached |= counts
        if found:
            return min(found, key=str)
        touching = [relation for relation in model.relations if not relation.terms.keys().isdisjoint(reached)]
        frontier = {key for relation in touching for key in relation.terms if key in hidden} - reached
        reached |= frontier
    return None


def _publish(model: _Return, hidden: set[Key]) -> None:
    from .formatting import format_value

    for section in model.figures["sections"]:
        for kpi in section["kpis"]:
            for index, row in enumerate(kpi["rows"]):
                protected = [area for area in row["values"] if (kpi["code"], index, area) in hidden]
                row["display"] = {
                    area: SYMBOL if area in protected else format_value(value, row["unit"])
                    for area, value in row["values"].items()
                }
                row["values"] = {area: None if area in protected else value for area, value in row["values"].items()}
                row["protected"] = protected
                row.pop("bases", None)
            for row in kpi["baseline"]:
                row["display"] = {area: format_value(value, row["unit"]) for area, value in row["values"].items()}
                row["protected"] = []
                row.pop("bases", None)
            headline = kpi.get("headline")
            if headline:
                key = (kpi["code"], HEADLINE, COUNTY)
                if kpi.get("headline_total"):
                    is_hidden = key in hidden
                    headline["display"] = SYMBOL if is_hidden else format_value(headline["value"], headline["unit"])
                else:  # the first row's county figure
                    first = kpi["rows"][0]
                    is_hidden = COUNTY in first["protected"]
                    headline["display"] = first["display"][COUNTY]
                headline["protected"] = is_hidden
                if is_hidden:
                    headline["value"] = None
                    if kpi.get("target"):
                        kpi["target"]["met"] = None


def _shown(figures: dict, key: Key) -> str | None:
    code, row, area = key
    for section in figures["sections"]:
        for kpi in section["kpis"]:
            if kpi["code"] == code:
                if row == HEADLINE:
                    return (kpi.get("headline") or {}).get("display")
                return kpi["rows"][row]["display"].get(area)
    return None


# The model: cells and what a reader knows about them -----------------------------------------------


def _model(figures: dict) -> _Return:
    model = _Return(figures)
    labels: dict[str, dict[str, int]] = {}
    for section in figures["sections"]:
        for kpi in section["kpis"]:
            code = kpi["code"]
            labels[code] = {row["label"]: index for index, row in enumerate(kpi["rows"])}
            for index, row in enumerate(kpi["rows"]):
                for area, value in row["values"].items():
                    key = (code, index, area)
                    model.values[key] = None if value is None else _number(value, row["unit"])
                    model.units[key] = row["unit"]
                    model.bases[key] = (row.get("bases") or {}).get(area)
                if row.get("additive") and row["unit"] in ("count", "money"):
                    model.additive.add((code, index))
                    areas = [area for area in row["values"] if area != COUNTY]
                    terms = {(code, index, area): 1.0 for area in areas}
                    terms[(code, index, COUNTY)] = -1.0
                    model.relations.append(Relation(terms))
            headline = kpi.get("headline")
            if kpi.get("headline_total") and headline:
                key = (code, HEADLINE, COUNTY)
                model.values[key] = None if headline["value"] is None else _number(headline["value"], headline["unit"])
                model.units[key] = headline["unit"]
                parts = [i for i, row in enumerate(kpi["rows"]) if row["unit"] == headline["unit"]]
                terms = {(code, i, COUNTY): 1.0 for i in parts}
                terms[key] = -1.0
                model.relations.append(Relation(terms))
            for index, row in enumerate(kpi["rows"]):
                if row.get("numerator") and row.get("denominator"):
                    numerator = [(code, label) for label in row["numerator"]]
                    denominator = [(code, label) for label in row["denominator"]]
                    _link_percent(model, (code, index), numerator, denominator, labels)
    _shared_margins(model, labels)
    return model


def _beside(model: _Return, alongside: list[dict]) -> _Return:
    """``model`` with the returns published ``alongside`` it: their cells (named by period), what a reader knows
    of each, and the figures that add up over time (a quarter's count is its months'; its open plans at the end
    are its last month's)."""
    from .kpis import REGISTRY

    joint = _Return(
        model.figures,
        dict(model.values),
        dict(model.units),
        dict(model.bases),
        list(model.relations),
        set(model.additive),
        list(model.percent_links),
        own_floor=0.0,
    )
    labels = {}
    for other in alongside:
        part = _model(other)
        prefix = other["period"]

        def named(key: Key, prefix=prefix) -> Key:
            return (f"{prefix}:{key[0]}", key[1], key[2])

        for key, value in part.values.items():
            joint.values[named(key)] = value
            joint.units[named(key)] = part.units[key]
            joint.fixed.add(named(key))
            if _shown(other, key) == SYMBOL:
                joint.fixed_hidden.add(named(key))
        joint.relations += [
            Relation({named(key): c for key, c in r.terms.items()}, r.constant, r.equality) for r in part.relations
        ]
        joint.percent_links += [
            (named(percent), [named(k) for k in numerator], [named(k) for k in denominator])
            for percent, numerator, denominator in part.percent_links
        ]
        labels[prefix] = _row_labels(other)
    over_time = {kpi.code: kpi.over_time for kpi in REGISTRY if kpi.over_time}
    periods = [other["period"] for other in alongside]
    own = {(code, index): label for (code, label), index in _row_labels(model.figures).items()}
    for code, index in sorted(model.additive):
        if code not in over_time:
            continue
        parts = periods if over_time[code] == "sum" else periods[-1:]
        rows = [(period, labels[period].get((code, own[(code, index)]))) for period in parts]
        if any(row is None for _, row in rows):
            continue
        for area in _areas(model, code, index):
            terms = {(f"{period}:{code}", row, area): 1.0 for period, row in rows}
            if terms.keys().isdisjoint(joint.fixed_hidden):
                joint.known.add((code, index, area))  # the months show it: the quarter publishes it too
            terms[(code, index, area)] = -1.0
            joint.relations.append(Relation(terms))
    return joint


def _row_labels(figures: dict) -> dict[tuple[str, str], int]:
    """(code, row label) → the row's index."""
    return {
        (kpi["code"], row["label"]): index
        for section in figures["sections"]
        for kpi in section["kpis"]
        for index, row in enumerate(kpi["rows"])
    }


def _number(value, unit: str):
    if unit == "money":
        return float(Decimal(str(value)))
    return value


def _areas(model: _Return, code: str, index: int) -> list[str]:
    return [key[2] for key in model.values if key[0] == code and key[1] == index]


def _rows(labels: dict, code: str, names: Iterable[str] | None) -> list[int]:
    """Row indexes of ``names`` in a KPI (all rows when ``names`` is None); empty when the KPI is absent."""
    table = labels.get(code)
    if table is None:
        return []
    if names is None:
        return list(table.values())
    return [table[name] for name in names if name in table]


def _link_percent(model: _Return, percent_row, numerator_rows, denominator_rows, labels) -> None:
    """A published percentage p of a count tied to other published counts: p − ½ step ≤ 100·n/d ≤ p + ½ step."""
    code, index = percent_row
    numerator = [(c, _rows(labels, c, [r])[0]) for c, r in numerator_rows if _rows(labels, c, [r])]
    denominator = [(c, _rows(labels, c, [r])[0]) for c, r in denominator_rows if _rows(labels, c, [r])]
    if len(numerator) != len(numerator_rows) or len(denominator) != len(denominator_rows):
        return
    for area in _areas(model, code, index):
        percent_key = (code, index, area)
        numerator_keys = [(c, i, area) for c, i in numerator]
        denominator_keys = [(c, i, area) for c, i in denominator]
        model.percent_links.append((percent_key, numerator_keys, denominator_keys))


def _shared_margins(model: _Return, labels: dict) -> None:
    def same_per_area(left: tuple[str, list[int]], right: tuple[str, list[int]], equality: bool = True):
        (left_code, left_rows), (right_code, right_rows) = left, right
        if not left_rows or not right_rows:
            return
        for area in _areas(model, left_code, left_rows[0]):
            terms: dict[Key, float] = {}
            for i in left_rows:
                terms[(left_code, i, area)] = terms.get((left_code, i, area), 0.0) + 1.0
            for i in right_rows:
                terms[(right_code, i, area)] = terms.get((right_code, i, area), 0.0) - 1.0
            model.relations.append(Relation(terms, equality=equality))

    # Sessions counted by offer and by place: the same sessions.
    same_per_area(
        ("sessions_by_offer", _rows(labels, "sessions_by_offer", ["Targeted", "Universal"])),
        ("sessions_by_place", _rows(labels, "sessions_by_place", ["At bases", "At outreach venues"])),
    )
    # Plans closed, in total and by reason; the stepped-up ones again among step-ups.
    same_per_area(
        ("new_and_closed_plans", _rows(labels, "new_and_closed_plans", ["Closed"])),
        ("closures_by_reason", _rows(labels, "closures_by_reason", None)),
    )
    same_per_area(
        ("closures_by_reason", _rows(labels, "closures_by_reason", [SupportPlan.ClosureReason.STEPPED_UP.label])),
        ("step_ups_and_downs", _rows(labels, "step_ups_and_downs", ["Plans closed as stepped up"])),
    )
    # Step-up decisions, in total and by destination (a referral is stepped up once).
    same_per_area(
        ("triage_decisions", _rows(labels, "triage_decisions", [TriageDecision.Decision.STEP_UP.label])),
        ("step_ups_and_downs", _rows(labels, "step_ups_and_downs", STEP_UP_ROWS)),
    )
    # Subgroups of the families supported are no bigger than the whole; the three ethnic groups are apart.
    equality_rows = _rows(labels, "equality_monitoring", None)
    if equality_rows:
        total, groups = equality_rows[0], equality_rows[1:]
        for group in [groups[:3], *[[g] for g in groups[3:]]]:
            same_per_area(("equality_monitoring", group), ("equality_monitoring", [total]), equality=False)
    # The quarter's fund payments are part of the year's spend (all of it in the year's first quarter).
    payments = _rows(labels, "fund_payments_by_category", None)
    spend_rows = _rows(labels, "fund_spend_against_budget", None)
    spend = [i for i in spend_rows if ("fund_spend_against_budget", i) in model.additive]
    if payments and spend:
        first_quarter = str(model.figures.get("period", "")).endswith("-Q1")
        same_per_area(
            ("fund_payments_by_category", payments), ("fund_spend_against_budget", spend), equality=first_quarter
        )
    # Families attending: the county counts each family once, so it is at most the districts' sum and at least
    # any one district's.
    attending = _rows(labels, "attendances", ["Families attending"])
    if attending:
        row = attending[0]
        districts = [area for area in _areas(model, "attendances", row) if area != COUNTY]
        terms = {("attendances", row, area): -1.0 for area in districts}
        terms[("attendances", row, COUNTY)] = 1.0
        model.relations.append(Relation(terms, equality=False))
        for area in districts:
            model.relations.append(
                Relation({("attendances", row, area): 1.0, ("attendances", row, COUNTY): -1.0}, equality=False)
            )
    # Advice (#19): an entry has one way of asking and at least one topic, so a topic's count is at most the
    # entries' and the topics' counts add up to at least the entries'.
    advice_channels = _rows(labels, "advice_by_channel", None)
    advice_topics = _rows(labels, "advice_by_topic", None)
    if advice_channels and advice_topics:
        for topic in advice_topics:
            same_per_area(("advice_by_topic", [topic]), ("advice_by_channel", advice_channels), equality=False)
        same_per_area(("advice_by_channel", advice_channels), ("advice_by_topic", advice_topics), equality=False)
    # Reach against population (#19): the towns' children known and those outside the towns add up to the
    # children known in each district; the towns' alone to those living in the market towns.
    from .reach_figures import reach_relations

    reach_totals = _rows(labels, "reach_under5_known", None)
    if reach_totals:
        areas = [area for area in _areas(model, "reach_under5_known", reach_totals[0]) if area != COUNTY]
        model.relations += [Relation(terms) for terms in reach_relations(labels, areas)]
    # Child development (#20 item 5): in each domain, moved up + stayed + moved down = the children with two reviews.
    from .development_figures import development_margins

    for left, right, equality in development_margins(labels):
        same_per_area(left, right, equality=equality)
    # Face-to-face contacts by mode give the outreach share's numerator and denominator.
    share = _rows(labels, "outreach_share", None)
    if share:
        _link_percent(
            model,
            ("outreach_share", share[0]),
            [("contacts_by_mode", label) for label in CONTACT_OUTREACH],
            [("contacts_by_mode", label) for label in CONTACT_FACE_TO_FACE],
            labels,
        )


# The audit: linear programmes over the hidden cells ------------------------------------------------


def _weak_cells(
    model: _Return,
    hidden: set[Key],
    cache: dict | None = None,
    only: set[Key] | None = None,
    settled: set[Key] | None = None,
    *,
    exhaustive: bool = False,
) -> list[Weak]:
    """Solve, for every hidden count or sum of money (or ``only`` those), its smallest and largest value given
    what is shown.

    ``cache`` keeps each group's answer between rounds of ``protect``: a group no new hidden cell touched has
    the same programmes, so it is not solved again. ``settled`` (also kept between rounds) collects the cells
    found wide enough, which are not solved again: hiding another cell only takes a published number out of
    the programmes, so every interval stays at least as wide as it was.

    A cell already seen to take two values at least 5 apart (in the solutions found for its group's other cells,
    or in the true figures) is wide enough without being solved; ``exhaustive`` solves every cell's least and
    greatest value all the same (the tests compare the two)."""
    cache = {} if cache is None or only is not None else cache
    variables = sorted((key for key in hidden if model.units.get(key) in ("count", "money")), key=str)
    if not variables:
        return []
    position = {key: i for i, key in enumerate(variables)}
    constraints: list[tuple[dict[int, float], float, bool]] = []

    def add(terms: dict[Key, float], constant: float, equality: bool) -> None:
        row: dict[int, float] = {}
        rhs = constant
        for key, coefficient in terms.items():
            if key in position:
                row[position[key]] = row.get(position[key], 0.0) + coefficient
            elif key in hidden:  # a hidden percentage or mean ties nothing
                return
            else:
                rhs -= coefficient * float(model.values.get(key) or 0)
        row = {i: c for i, c in row.items() if c}
        if row:
            constraints.append((row, rhs, equality))

    for relation in model.relations:
        if not relation.terms.keys().isdisjoint(position.keys()):
            add(relation.terms, relation.constant, relation.equality)
    for percent, numerator, denominator in model.percent_links:
        if percent in hidden or model.values.get(percent) is None:
            continue
        p = float(model.values[percent])
        low, high = p - PERCENT_HALF_STEP, p + PERCENT_HALF_STEP
        upper: dict[Key, float] = dict.fromkeys(numerator, 100.0)  # 100·n − high·d ≤ 0
        lower: dict[Key, float] = dict.fromkeys(numerator, -100.0)  # low·d − 100·n ≤ 0
        for key in denominator:
            upper[key] = upper.get(key, 0.0) - high
            lower[key] = lower.get(key, 0.0) + low
        add(upper, 0.0, False)
        add(lower, 0.0, False)

    weak = []
    components = _components(len(variables), constraints)
    group_of = {v: g for g, component in enumerate(components) for v in component}
    constraints_of: list[list] = [[] for _ in components]
    for constraint in constraints:
        constraints_of[group_of[next(iter(constraint[0]))]].append(constraint)
    for component, mine in zip(components, constraints_of, strict=True):
        unsettled = [
            (j, v)
            for j, v in enumerate(component)
            if (only is None or variables[v] in only) and (settled is None or variables[v] not in settled)
        ]
        if not unsettled:
            continue
        index = {v: j for j, v in enumerate(component)}
        rows = [
            (tuple(sorted(((variables[i], c) for i, c in row.items()), key=repr)), rhs, eq) for row, rhs, eq in mine
        ]
        signature = (tuple(variables[v] for v in component), tuple(sorted(rows, key=repr)))
        if signature in cache:
            weak.extend(cache[signature])
            continue
        found = []
        floors = [model.floor(variables[v]) for v in component]
        programme = _Programme(floors, mine, index)
        seen = _SeenValues(_feasible_truth([model.values.get(variables[v]) for v in component], floors, mine, index))
        for j, v in unsettled:
            if not mine or (not exhaustive and seen.width(j) >= MIN_WIDTH - 1e-6):
                # Two values the cell can take, each part of a solution meeting every constraint, are already
                # at least 5 apart: the least and the greatest are at least as far, and need not be solved.
                if settled is not None:
                    settled.add(variables[v])
                continue
            high = programme.optimum(j, maximise=True)
            seen.add(programme.point)
            if high is not None and not exhaustive and seen.width(j) >= MIN_WIDTH - 1e-6:
                if settled is not None:
                    settled.add(variables[v])
                continue
            low = programme.optimum(j, maximise=False)
            if low is None:
                raise RuntimeError(f"The published figures contradict each other around {variables[v]}")
            seen.add(programme.point)
            if high is not None and high - low < MIN_WIDTH - 1e-6:
                found.append(Weak(variables[v], low, high, group=component[0]))
            elif settled is not None:
                settled.add(variables[v])
        cache[signature] = found
        weak.extend(found)
    return weak


def _feasible_truth(values: list, floors: list[float], rows, index: dict[int, int]) -> list[float] | None:
    """The group's true values, when ``protect`` knows them all (not the hidden cells of the returns beside it)
    and they meet every constraint; otherwise None."""
    if any(value is None for value in values):
        return None
    truth = [float(value) for value in values]
    if any(value < floor - 1e-6 for value, floor in zip(truth, floors, strict=True)):
        return None
    for row, rhs, equality in rows:
        total = sum(coefficient * truth[index[v]] for v, coefficient in row.items())
        if total > rhs + 1e-6 or (equality and total < rhs - 1e-6):
            return None
    return truth


class _SeenValues:
    """The least and greatest value each cell of a group has had in any solution found so far (and in the true
    figures, when they are known to meet every constraint): the cell's interval holds at least that range."""

    def __init__(self, first: list[float] | None):
        self.low = list(first) if first is not None else None
        self.high = list(first) if first is not None else None

    def add(self, point: list[float] | None) -> None:
        if point is None:
            return
        if self.low is None:
            self.low, self.high = list(point), list(point)
            return
        for i, value in enumerate(point):
            if value < self.low[i]:
                self.low[i] = value
            elif value > self.high[i]:
                self.high[i] = value

    def width(self, j: int) -> float:
        return self.high[j] - self.low[j] if self.low is not None else 0.0


def _components(count: int, constraints) -> list[list[int]]:
    """Groups of hidden cells tied together by some relation: each group's programmes are independent."""
    parent = list(range(count))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row, _, _ in constraints:
        members = list(row)
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


class _Programme:
    """One group's linear programme in HiGHS, built once: only the objective changes from one cell to the next
    (HiGHS starts each solve from the last one's basis)."""

    def __init__(self, floors: list[float], rows, index: dict[int, int]):
        self.size = len(floors)
        self.highs = highspy.Highs()
        self.highs.silent()
        self.highs.addVars(self.size, np.array(floors), np.full(self.size, highspy.kHighsInf))
        for row, rhs, equality in rows:
            columns = np.array([index[v] for v in row], dtype=np.int32)
            coefficients = np.array(list(row.values()), dtype=float)
            lower = rhs if equality else -highspy.kHighsInf
            self.highs.addRow(lower, rhs, len(columns), columns, coefficients)

    def optimum(self, j: int, *, maximise: bool) -> float | None:
        """The least (or greatest) value of cell ``j``; None when there is none (unbounded, or no solution).
        ``point`` is then the solution found (every cell's value), or None."""
        costs = np.zeros(self.size)
        costs[j] = 1.0
        return self._solve(costs, maximise=maximise)

    def _solve(self, costs, *, maximise: bool) -> float | None:
        self.point = None
        self.highs.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), costs)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal and status != highspy.HighsModelStatus.kUnbounded:
            self.highs.clearSolver()  # unsure from the last basis (kUnknown): solve afresh
            self.highs.run()
            status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        self.point = list(self.highs.getSolution().col_value)
        return float(self.highs.getInfo().objective_function_value)
