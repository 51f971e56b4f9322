"""The service admin's reporting configuration: each KPI's target, and the provider's actual spend on each
contract budget line per financial quarter. Forms, services (one transaction, audited) and the pages."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.financial_year import financial_year_of
from ecfs.roles import Role
from ecfs.view_helpers import form_post, require_role

from .kpis import REGISTRY, SECTIONS
from .models import BudgetActual, ContractBudgetLine, KpiTarget

UNITS = {"count": "a number", "percent": "a percentage", "money": "pounds", "mean": "an average"}


def _kpi(code: str):
    kpi = next((k for k in REGISTRY if k.code == code), None)
    if kpi is None:
        raise Http404("No such KPI")
    return kpi


# KPI targets ------------------------------------------------------------------------------------


class KpiTargetForm(forms.Form):
    direction = forms.ChoiceField(
        label="The county figure should be",
        choices=KpiTarget.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select at least or at most"},
    )
    value = forms.DecimalField(
        label="Target",
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("999999.99"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the target",
            "invalid": "Enter the target as a number, like 85 or 12.5",
            "min_value": "Enter a target of 0 or more",
            "max_value": "Enter a target of 999,999.99 or less",
            "max_decimal_places": "Enter the target with at most 2 decimal places",
            "max_digits": "Enter a target of 999,999.99 or less",
        },
    )

    def __init__(self, *args, unit: str = "count", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit == "percent":
            self.fields["value"].help_text = "A percentage, from 0 to 100"

    def clean_value(self):
        value = self.cleaned_data["value"]
        if self.unit == "percent" and value > 100:
            raise ValidationError("Enter a percentage of 100 or less")
        return value


@transaction.atomic
def kpi_target_set(*, actor, code: str, direction: str, value: Decimal) -> KpiTarget:
    target = KpiTarget.objects.select_for_update().filter(code=code).first()
    before = None if target is None else {"direction": target.direction, "value": str(target.value)}
    if target is None:
        target = KpiTarget(code=code)
    target.direction = direction
    target.value = value
    target.save()
    audit_record(
        actor=actor,
        action=AuditAction.KPI_TARGET_CHANGED,
        obj=target,
        summary=f"KPI target for {code}: {target.get_direction_display().lower()} {value}",
        changes={"before": before, "after": {"direction": direction, "value": str(value)}},
    )
    return target


@require_GET
def kpi_targets(request):
    require_role(request.user, Role.ADMIN)
    targets = {t.code: t for t in KpiTarget.objects.all()}
    sections = {}
    for kpi in REGISTRY:
        sections.setdefault(SECTIONS.get(kpi.section, kpi.section), []).append((kpi, targets.get(kpi.code)))
    return render(request, "reporting/kpi_targets.html", {"sections": sections})


@require_http_methods(["GET", "POST"])
def kpi_target_edit(request, code):
    require_role(request.user, Role.ADMIN)
    kpi = _kpi(code)
    target = KpiTarget.objects.filter(code=code).first()
    initial = {"direction": target.direction, "value": target.value} if target else {"direction": "at_least"}
    return form_post(
        request,
        lambda **kwargs: KpiTargetForm(initial=initial, unit=kpi.unit, **kwargs),
        call=lambda form: kpi_target_set(actor=request.user, code=code, **form.cleaned_data),
        success=f"Target saved for {kpi.title}.",
        redirect_to=reverse("kpi-targets") + f"#kpi-{code}",
        template="reporting/kpi_target_form.html",
        context={"kpi": kpi, "target": target, "unit": UNITS.get(kpi.unit, kpi.unit)},
    )


# Budget actuals ---------------------------------------------------------------------------------


def _period(request) -> tuple[int, int]:
    """The financial year and quarter the page is about: from the query string, else the current quarter."""
    today = timezone.localdate()
    year = financial_year_of(today)
    quarter = ((today.month - 4) % 12) // 3 + 1
    try:
        asked_year = int(request.GET.get("year", year))
        asked_quarter = int(request.GET.get("quarter", quarter))
    except ValueError:
        return year, quarter
    if 2019 <= asked_year <= year + 1 and 1 <= asked_quarter <= 4:
        return asked_year, asked_quarter
    return year, quarter


class BudgetActualsForm(forms.Form):
    """One amount per contract budget line; blank leaves the line without an actual."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=f"{line.name} (£)",
                required=False,
                max_digits=12,
                decimal_places=2,
                min_value=Decimal("0"),
                max_value=Decimal("9999999999.99"),
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}
                ),
                error_messages={
                    "invalid": f"Enter the actual spend on {line.name} in pounds and pence, like 12500.00",
                    "min_value": f"The actual spend on {line.name} cannot be negative",
                    "max_value": f"Enter an actual spend on {line.name} of less than £10 billion",
                    "max_digits": f"Enter an actual spend on {line.name} of less than £10 billion",
                    "max_decimal_places": f"The actual spend on {line.name} cannot include fractions of a penny",
                },
            )
            self.fields[f"line_{line.pk}"].show_optional = False

    def amounts(self) -> dict:
        return {line: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


@transaction.atomic
def budget_actuals_record(*, actor, financial_year: int, quarter: int, amounts: dict) -> int:
    """Save the actual spend per line for one quarter (None removes a line's actual); returns how many changed."""
    if not 1 <= quarter <= 4:
        raise ValidationError("The quarter must be 1 to 4")
    existing = {
        actual.line_id: actual
        for actual in BudgetActual.objects.select_for_update().filter(financial_year=financial_year, quarter=quarter)
    }
    changes = {}
    for line, amount in amounts.items():
        actual = existing.get(line.pk)
        before = actual.amount if actual else None
        if amount == before:
            continue
        if amount is None:
            actual.delete()
        elif actual is None:
            BudgetActual.objects.create(line=line, financial_year=financial_year, quarter=quarter, amount=amount)
        else:
            actual.amount = amount
            actual.save(update_fields=["amount"])
        changes[line.name] = {
            "before": None if before is None else str(before),
            "after": None if amount is None else str(amount),
        }
    if changes:
        first_line = next(iter(amounts))
        audit_record(
            actor=actor,
            action=AuditAction.BUDGET_ACTUAL_RECORDED,
            obj=first_line,
            summary=f"Actual spend recorded for {financial_year}/{str(financial_year + 1)[-2:]} quarter {quarter} "
            f"({len(changes)} line{'s' if len(changes) != 1 else ''})",
            changes={"financial_year": financial_year, "quarter": quarter, "lines": changes},
        )
    return len(changes)


@require_http_methods(["GET", "POST"])
def budget_actuals(request):
    require_role(request.user, Role.ADMIN)
    year, quarter = _period(request)
    lines = list(ContractBudgetLine.objects.all())
    current = {a.line_id: a.amount for a in BudgetActual.objects.filter(financial_year=year, quarter=quarter)}
    this_year = financial_year_of(timezone.localdate())
    return form_post(
        request,
        lambda **kwargs: BudgetActualsForm(
            initial={f"line_{pk}": amount for pk, amount in current.items()}, lines=lines, **kwargs
        ),
        call=lambda form: budget_actuals_record(
            actor=request.user, financial_year=year, quarter=quarter, amounts=form.amounts()
        ),
        success=lambda count: (
            f"Actual spend saved for {year}/{str(year + 1)[-2:]} quarter {quarter}." if count else "Nothing changed."
        ),
        redirect_to=f"{reverse('budget-actuals')}?year={year}&quarter={quarter}",
        template="reporting/budget_actuals.html",
        context={
            "year": year,
            "quarter": quarter,
            "lines": lines,
            "years": list(range(this_year + 1, 2018, -1)),
            "quarters": [
                (1, "April to June"),
                (2, "July to September"),
                (3, "October to December"),
                (4, "January to March"),
            ],
        },
    )
