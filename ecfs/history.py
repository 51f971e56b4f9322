"""Reading a record's amendments from its history (django-simple-history): who changed what, when and why."""

from dataclasses import dataclass
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


def amendments_of(instance, fields: tuple[str, ...]) -> list[Amendment]:
    """Each saved change to ``fields`` that came with a reason (a correction), newest first, with the values
    it replaced. Saves without a reason (the service's own bookkeeping) are not amendments."""
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    result = []
    for previous, record in zip(records, records[1:], strict=False):
        if not record.history_change_reason:
            continue
        delta = record.diff_against(previous, included_fields=list(fields))
        changes = tuple(
            Change(instance._meta.get_field(change.field).verbose_name, change.old, change.new)
            for change in delta.changes
        )
        who = record.history_user.get_full_name() if record.history_user else "the system"
        result.append(Amendment(record.history_date, who, record.history_change_reason, changes))
    return list(reversed(result))
