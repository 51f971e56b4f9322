"""Reading a record's amendments from its history (django-simple-history): who changed what, when and why."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Amendment:
    when: datetime
    who: str
    reason: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Part:
    """A row corrected together with the record (each goal's progress in a review, each score of a set of
    scores): its changes join the record's amendment made at the same moment (the service saves them with one
    ``_history_date``), under ``label`` (or the field's own name)."""

    record: object
    fields: tuple[str, ...]
    label: str = ""
    show: dict[str, Callable[[object], object]] = field(default_factory=dict)


def amendment_history(
    model,
    rows: Iterable,
    fields: tuple[str, ...],
    *,
    label: Callable[[object], str] | None = None,
    show: dict[str, Callable[[object], object]] | None = None,
) -> dict[int, list[Amendment]]:
    """The amendments of many rows of one model, read in one query: row pk → its amendments, oldest first.
    A saved change that came with a reason is a correction; saves without one (the service's own bookkeeping)
    are not. ``label(row)`` names every change of a row (a score by its need); ``show`` turns a field's stored
    value into what a person reads (a list of needs, say)."""
    rows = {row.pk: row for row in rows}
    if not rows:
        return {}
    versions = defaultdict(list)
    for version in (
        model.history.filter(id__in=list(rows))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    ):
        versions[version.id].append(version)
    show = show or {}
    result: dict[int, list[Amendment]] = {}
    for pk, history in versions.items():
        for previous, version in zip(history, history[1:], strict=False):
            if not version.history_change_reason:
                continue
            changes = []
            for change in version.diff_against(previous, included_fields=list(fields)).changes:
                name = label(rows[pk]) if label else model._meta.get_field(change.field).verbose_name
                display = show.get(change.field, lambda value: value)
                changes.append(Change(name, display(change.old), display(change.new)))
            who = version.history_user.get_full_name() if version.history_user else "the system"
            amendment = Amendment(version.history_date, who, version.history_change_reason, tuple(changes))
            result.setdefault(pk, []).append(amendment)
    return result


def merged(*amendment_lists: Iterable[Amendment]) -> list[Amendment]:
    """One list, newest first: amendments made at the same moment (one correction spanning rows) become one,
    with the first list's reason and every row's changes."""
    by_moment: dict[datetime, Amendment] = {}
    for amendments in amendment_lists:
        for amendment in amendments:
            mine = by_moment.get(amendment.when)
            if mine is None:
                by_moment[amendment.when] = amendment
            else:
                by_moment[amendment.when] = Amendment(
                    mine.when, mine.who, mine.reason, mine.changes + amendment.changes
                )
    return [by_moment[moment] for moment in sorted(by_moment, reverse=True)]


def amendments_of(
    instance,
    fields: tuple[str, ...],
    *,
    parts: Iterable[Part] = (),
    show: dict[str, Callable[[object], object]] | None = None,
) -> list[Amendment]:
    """Each saved change to ``fields`` that came with a reason (a correction), newest first, with the values
    it replaced; with ``parts``, the changes to rows corrected together with it."""
    mine = amendment_history(type(instance), [instance], fields, show=show).get(instance.pk, [])
    theirs = [
        amendment_history(
            type(part.record),
            [part.record],
            part.fields,
            label=(lambda _row, text=part.label: text) if part.label else None,
            show=part.show,
        ).get(part.record.pk, [])
        for part in parts
    ]
    return merged(mine, *theirs)


def keep_first_versions(model, rows) -> None:
    """Rows written in bulk (``bulk_create`` sends no signals) have no first version in their history: give them
    one before a correction, so the page can show what was there. A first version carries no reason, so it is
    not an amendment."""
    rows = list(rows)
    kept = set(model.history.filter(id__in=[row.pk for row in rows]).order_by().values_list("id", flat=True).distinct())
    missing = [row for row in rows if row.pk not in kept]
    if missing:
        model.history.bulk_history_create(missing)
