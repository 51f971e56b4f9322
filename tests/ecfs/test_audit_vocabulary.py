"""The closed audit vocabulary: one enum lists every action, and nothing records an action outside it."""

import ast
from pathlib import Path

import pytest

from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from ecfs.audit.services import audit_record
from support_fund.models import Application
from support_fund.services import AUDIT_ACTION_OF_STATUS

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (
    "bases",
    "ecfs",
    "families",
    "imports",
    "notifications",
    "privacy",
    "referrals",
    "reporting",
    "support_fund",
    "venues",
)


def test_every_action_and_label_is_unique():
    values = [member.value for member in AuditAction]
    labels = [member.label for member in AuditAction]
    assert len(values) == len(set(values))
    assert len(labels) == len(set(labels))
    assert all(
        value == value.strip() and len(value) <= AuditEvent._meta.get_field("action").max_length for value in values
    )


def test_fund_actions_cover_every_application_status():
    assert set(AUDIT_ACTION_OF_STATUS) == set(Application.Status)
    for status, action in AUDIT_ACTION_OF_STATUS.items():
        assert action == f"fund.{status}"  # the strings stored before the vocabulary


@pytest.mark.django_db
def test_audit_record_refuses_an_unknown_action(cast):
    with pytest.raises(ValueError, match="not an audit action"):
        audit_record(actor=cast.admin, action="plan.made_up", obj=cast.team)
    assert not AuditEvent.objects.filter(action="plan.made_up").exists()


@pytest.mark.django_db
def test_audit_record_stores_the_members_string(cast):
    event = audit_record(actor=cast.admin, action=AuditAction.AUDIT_EXPORTED, obj=cast.admin)
    assert AuditEvent.objects.get(pk=event.pk).action == "audit.exported"


def _calls(tree, name):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called == name:
                yield node


def _shipped_sources():
    for package in SHIPPED:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), filename=str(path))


def test_no_shipped_audit_record_call_passes_a_string_literal_action():
    offenders, seen = [], 0
    for path, tree in _shipped_sources():
        for call in _calls(tree, "audit_record"):
            seen += 1
            action = next((keyword.value for keyword in call.keywords if keyword.arg == "action"), None)
            if action is None:
                offenders.append(f"{path.relative_to(ROOT)}:{call.lineno} passes no action= keyword")
                continue
            for node in ast.walk(action):
                if isinstance(node, ast.Constant | ast.JoinedStr) and isinstance(getattr(node, "value", ""), str):
                    offenders.append(f"{path.relative_to(ROOT)}:{call.lineno} passes a string as action")
    assert seen > 50  # the scan found the call sites
    assert offenders == []


def test_nothing_shipped_writes_past_the_vocabulary():
    offenders = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path, tree in _shipped_sources()
        for call in _calls(tree, "_write_event")
        if path.relative_to(ROOT).as_posix() != "ecfs/audit/services.py"
    ]
    assert offenders == []
