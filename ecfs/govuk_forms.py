"""Form fields, widgets and a mixin for GOV.UK Design System forms.

Render fields with the template tags in ``ecfs.templatetags.govuk``::

    {% load govuk %}
    {% govuk_error_summary form %}
    {% govuk_field form.date_of_birth hint="For example, 27 3 2007" %}
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.template.loader import render_to_string
from django.utils import timezone

from ecfs.api.dates import EARLIEST_YEAR, LATEST_YEAR

DATE_PARTS = ("day", "month", "year")

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year text inputs, named ``<name>_day``, ``<name>_month`` and ``<name>_year``.

    ``autocomplete="bday"`` gives the inputs ``bday-day``, ``bday-month`` and ``bday-year`` (for dates of birth).
    ``day_attrs``/``month_attrs``/``year_attrs`` add attributes to one input.
    """

    def __init__(self, attrs=None, *, autocomplete=None, day_attrs=None, month_attrs=None, year_attrs=None):
        widgets = {}
        for part, width, extra in (("day", 2, day_attrs), ("month", 2, month_attrs), ("year", 4, year_attrs)):
            part_attrs = {"class": f"govuk-input--width-{width}", "inputmode": "numeric"}
            if autocomplete:
                part_attrs["autocomplete"] = f"{autocomplete}-{part}"
            part_attrs.update(extra or {})
            widgets[part] = forms.TextInput(attrs=part_attrs)
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:  # an ISO date, e.g. from a query string or JSON initial data
            try:
                return self.decompress(datetime.date.fromisoformat(value))
            except ValueError:
                pass
        return [None, None, None]

    def part_values(self, value):
        """The three strings to show in the inputs: the raw submission after an error, otherwise the date."""
        if not isinstance(value, list | tuple):
            value = self.decompress(value)
        return ["" if part is None else str(part) for part in value]


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, with the GOV.UK date input error messages.

    ``must_be_past=True``/``must_be_future=True`` allow today. Error codes (override any message with
    ``error_messages``, using ``%(label)s`` and ``%(label_lower)s``): required, incomplete, invalid, year_length,
    year_range (1900 to 2099), past, future. Each error's ``params["parts"]`` names the inputs to highlight.
    """

    widget = GovukDateWidget
    default_error_messages = {
        "required": "Enter %(label_lower)s",
        "incomplete": "%(label)s must include a %(missing)s",
        "invalid": "%(label)s must be a real date",
        "year_length": "Year must include 4 numbers",
        "year_range": f"%(label)s must be between {EARLIEST_YEAR} and {LATEST_YEAR}",
        "past": "%(label)s must be today or in the past",
        "future": "%(label)s must be today or in the future",
    }

    def __init__(self, *, must_be_past=False, must_be_future=False, **kwargs):
        self.must_be_past = must_be_past
        self.must_be_future = must_be_future
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, **kwargs)
        self.name_label = None

    def get_bound_field(self, form, field_name):
        # The form's own copy of the field learns its name, for messages when no label was given.
        self.name_label = pretty_name(field_name)
        return super().get_bound_field(form, field_name)

    def _error(self, code, parts=DATE_PARTS, **params):
        label = str(self.label or self.name_label or "Date")
        label_lower = label if label[1:2].isupper() else label[:1].lower() + label[1:]
        params.update(label=label, label_lower=label_lower, parts=tuple(parts))
        return ValidationError(self.error_messages[code], code=code, params=params)

    def to_date(self, value):
        """The date in a submitted [day, month, year]; None when all three are empty."""
        if isinstance(value, datetime.date) or value is None:
            return value
        if isinstance(value, str):
            value = self.widget.decompress(value)
        day, month, year = (str(part or "").strip() for part in (list(value) + ["", "", ""])[:3])
        values = {"day": day, "month": month, "year": year}
        missing = [part for part in DATE_PARTS if not values[part]]
        if len(missing) == 3:
            return None
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))
        month = str(MONTH_NAMES.get(month.lower(), month))
        not_numbers = [
            part
            for part, text in zip(DATE_PARTS, (day, month, year), strict=True)
            if not (text.isascii() and text.isdigit())
        ]
        if not_numbers:
            raise self._error("invalid", not_numbers)
        if len(year) != 4:
            raise self._error("year_length", ["year"])
        if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
            # Nothing the service records is older or later; a year-17 time would also come back from the API with
            # a local-mean-time offset (-00:01:15) that is not valid RFC 3339 (ecfs.api.dates).
            raise self._error("year_range", ["year"])
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # a day or month too big for a C int overflows
            raise self._error("invalid", ["month"] if not 1 <= int(month) <= 12 else ["day"]) from None

    def clean(self, value):
        date = self.to_date(value)
        if date is None:
            if self.required:
                raise self._error("required")
            return None
        today = timezone.localdate()
        if self.must_be_past and date > today:
            raise self._error("past")
        if self.must_be_future and date < today:
            raise self._error("future")
        self.run_validators(date)
        return date

    def compress(self, data_list):  # not used by clean(); kept for MultiValueField's contract
        return self.to_date(data_list)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            return self.to_date(initial) != self.to_date(data)
        except ValidationError:
            return True


def date_error_parts(bound_field):
    """The parts (day, month, year) of a GovukDateField to highlight: those its errors name, else all three."""
    parts = set()
    for error in bound_field.errors.as_data():
        params = getattr(error, "params", None) or {}
        parts.update(params.get("parts") or DATE_PARTS)
    return [part for part in DATE_PARTS if part in parts]


class GovukFormMixin:
    """Makes ``{{ form }}`` render every field with ``{% govuk_field %}`` (hidden fields as they are).

    Error summary and buttons are left to the page template.
    """

    govuk_template_name = "govuk/forms/form.html"

    def render(self, template_name=None, context=None, renderer=None):
        if template_name is None:
            return render_to_string(self.govuk_template_name, context or {"form": self})
        return super().render(template_name, context, renderer)

    __str__ = __html__ = render


def name_the_person(form, field: str, *, name: str, what: str, label: str = "") -> None:
    """Error messages on one person's field say whose it is, in the field and in the error summary, where a
    page takes several people: "Child: date of birth must be a real date" → "Alfie's date of birth must be a
    real date"; "Enter the child's date of birth" → "Enter Alfie's date of birth".

    ``what`` is the field in words ("date of birth"); ``label`` a longer label the messages may start with
    ("Child: date of birth")."""
    errors = (form._errors or {}).get(field)
    name = (name or "").strip()
    if not name or not errors:
        return
    whose = f"{name}'s {what}"
    renamed = []
    for message in errors:
        text = str(message)
        lowered = text.lower()
        for prefix in (label, what):
            if prefix and lowered.startswith(prefix.lower()):
                text = whose + text[len(prefix) :]
                break
        else:
            for generic in ("the child's", "the parent or carer's", "the person's", "their"):
                if f" {generic} " in f" {lowered} ":
                    start = lowered.find(generic)
                    text = text[:start] + f"{name}'s" + text[start + len(generic) :]
                    break
            else:
                if name.lower() not in lowered:
                    text = f"{whose}: {text[:1].lower()}{text[1:]}"
        renamed.append(text)
    form._errors[field] = form.error_class(renamed, renderer=form.renderer)
