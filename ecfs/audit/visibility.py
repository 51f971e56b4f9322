"""Whose audit details a viewer may read: the families they may see as a manager or worker. That rule belongs to
the families app, which registers it when it loads (``families.apps``), so the kernel imports no domain app.
Until something registers a rule, no family's details are shown."""

from collections.abc import Callable, Iterable

_rule: Callable[[object], Iterable[int]] | None = None


def visible_families_register(rule: Callable[[object], Iterable[int]]) -> None:
    """Set the rule: a function of the user giving the ids of the families whose details they may read."""
    global _rule  # one rule for the process, set once at start-up
    _rule = rule


def visible_family_ids(user) -> set[int]:
    return set(_rule(user)) if _rule is not None else set()
