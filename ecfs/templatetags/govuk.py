"""GOV.UK Design System template tags for Django forms.

    {% load govuk %}
    {% govuk_error_summary form %}  (or several forms and formsets: {% govuk_error_summary form formset %})
    {% govuk_field form.name hint="..." classes="govuk-input--width-20" label_size="m" %}
    {% govuk_button "Save" secondary=True %}

Markup follows the Nunjucks templates in node_modules/govuk-frontend/dist/govuk/components/.
"""

import copy

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ecfs.govuk_forms import DATE_PARTS, GovukDateWidget, date_error_parts

register = template.Library()

# Attributes the tags set themselves on radio and checkbox items.
_ITEM_ATTRS_SET_HERE = {"id", "class", "checked", "selected", "required", "aria-invalid", "aria-describedby"}


def _field_id(bound_field):
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id or bound_field.html_name


def _summary_href(bound_field):
    """Where the error summary links to: the field, its first radio or checkbox, or a date's first wrong part."""
    field_id = _field_id(bound_field)
    if isinstance(bound_field.field.widget, GovukDateWidget):
        return f"#{field_id}_{(date_error_parts(bound_field) or DATE_PARTS)[0]}"
    return f"#{field_id}"


def _summary_errors(obj):
    """[{"text", "href"}] for a form, or a formset and its forms, in page order."""
    if obj is None or not obj.is_bound:
        return []
    if hasattr(obj, "non_form_errors"):  # a formset
        errors = [{"text": message} for message in obj.non_form_errors()]
        for form in obj.forms:
            errors.extend(_summary_errors(form))
        return errors
    errors = [{"text": message} for message in obj.non_field_errors()]
    for name in obj.fields:
        if name in obj.errors:
            bound_field = obj[name]
            href = None if bound_field.is_hidden else _summary_href(bound_field)
            errors.extend({"text": message, "href": href} for message in bound_field.errors)
    return errors


@register.simple_tag
def govuk_error_summary(*forms_or_formsets):
    """The error summary for one or more forms or formsets (None is skipped); nothing when none has errors."""
    errors = [error for obj in forms_or_formsets for error in _summary_errors(obj)]
    if not errors:
        return ""
    return render_to_string("govuk/forms/error_summary.html", {"errors": errors})


def _kind(widget):
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def _is_boolean(field):
    return isinstance(field, forms.BooleanField | forms.NullBooleanField)


def _merge_classes(*classes):
    return " ".join(c for c in classes if c)


@register.simple_tag
def govuk_field(
    field,
    hint=None,
    classes="",
    label_size=None,
    legend_size=None,
    inline=False,
    page_heading=False,
    label=None,
):
    """One form field as a GOV.UK component, chosen by its widget.

    hint: overrides the field's help_text. classes: added to the input, textarea, select or the radios/checkboxes
    container. label_size / legend_size: "s", "m", "l" or "xl". page_heading: wrap the label or legend in an <h1>.
    inline: side-by-side radios. label: overrides the field's label.
    """
    widget = field.field.widget
    if widget.is_hidden:
        return str(field)
    kind = _kind(widget)
    field_id = _field_id(field)
    label_text = str(field.label if label is None else label)
    if (
        not field.field.required
        and not _is_boolean(field.field)
        and kind != "checkbox"
        and getattr(field.field, "show_optional", True)
        and not label_text.rstrip().lower().endswith("(optional)")
    ):
        label_text += " (optional)"
    hint = field.help_text if hint is None else hint
    hint_id = f"{field_id}-hint" if hint else ""
    error_id = f"{field_id}-error" if field.errors else ""
    context = {
        "field": field,
        "id": field_id,
        "name": field.html_name,
        "label": label_text,
        "page_heading": page_heading,
        "hint": hint,
        "hint_id": hint_id,
        "errors": field.errors,
        "error_id": error_id,
        "described_by": " ".join(i for i in (hint_id, error_id) if i),
        "classes": classes,
    }

    if kind in ("radios", "checkboxes", "date"):
        size = legend_size or label_size
        context["legend_classes"] = f"govuk-fieldset__legend--{size}" if size else ""
    else:
        context["label_classes"] = f"govuk-label--{label_size}" if label_size else ""

    if kind in ("input", "textarea", "select", "file"):
        context["widget_html"] = _render_widget(field, kind, classes, context["described_by"])
        return render_to_string("govuk/forms/field.html", context)
    if kind == "date":
        return render_to_string("govuk/forms/date_input.html", {**context, "items": _date_items(field)})
    if kind == "checkbox":
        context["checked"] = widget.check_test(field.value())
        context["item_attrs"] = _item_attrs(widget.attrs)
        return render_to_string("govuk/forms/checkbox.html", context)
    context["kind"] = kind
    context["container_classes"] = _merge_classes(
        "govuk-radios--inline" if inline and kind == "radios" else "", classes
    )
    context["items"] = _choice_items(field)
    return render_to_string("govuk/forms/choices.html", context)


def _render_widget(field, kind, classes, described_by):
    """The widget's own HTML (so its attrs, type and value formatting are kept) with the GOV.UK classes."""
    widget = field.field.widget
    govuk_class = {
        "input": "govuk-input",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
        "file": "govuk-file-upload",
    }[kind]
    attrs = {"class": _merge_classes(govuk_class, classes, widget.attrs.get("class"))}
    if field.errors:
        attrs["class"] += f" {govuk_class}--error"
    if described_by:
        attrs["aria-describedby"] = described_by
    if kind == "textarea" and widget.attrs.get("rows") == "10" and widget.attrs.get("cols") == "40":
        attrs.update(rows="5", cols=False)  # Django's defaults, not a choice: use the GOV.UK default of 5 rows
    # Date-time and time inputs get the browser's native controls, with values in the format those expect.
    native = {forms.DateTimeInput: ("datetime-local", "%Y-%m-%dT%H:%M"), forms.TimeInput: ("time", "%H:%M")}
    if type(widget) in native and widget.input_type == "text":
        widget = copy.copy(widget)
        widget.input_type, native_format = native[type(field.field.widget)]
        widget.format = widget.format or native_format
    return field.as_widget(widget=widget, attrs=attrs)


def _item_attrs(attrs):
    return {name: value for name, value in attrs.items() if name not in _ITEM_ATTRS_SET_HERE}


def _choice_items(field):
    items = []
    for subwidget in field.subwidgets:
        data = subwidget.data
        if data["value"] in ("", None) and str(data["label"]) == "---------":
            continue  # Django's blank choice: GOV.UK radios never offer it
        index = len(items) + 1
        items.append(
            {
                "id": _field_id(field) if index == 1 else f"{_field_id(field)}-{index}",
                "value": "" if data["value"] is None else data["value"],
                "label": data["label"],
                "checked": data["selected"],
                "attrs": _item_attrs(data["attrs"]),
            }
        )
    return items


def _date_items(field):
    widget = field.field.widget
    wrong = date_error_parts(field) if field.errors else []
    items = []
    for part, subwidget, value in zip(DATE_PARTS, widget.widgets, widget.part_values(field.value()), strict=True):
        attrs = dict(subwidget.attrs)
        attrs.pop("id", None)
        attrs.pop("required", None)
        attrs.setdefault("inputmode", "numeric")
        css = _merge_classes(
            "govuk-input govuk-date-input__input", "govuk-input--error" if part in wrong else "", attrs.pop("class", "")
        )
        items.append(
            {
                "part": part,
                "label": part.capitalize(),
                "id": f"{_field_id(field)}_{part}",
                "name": f"{field.html_name}_{part}",
                "value": value,
                "classes": css,
                "attrs": attrs,
            }
        )
    return items


@register.simple_tag
def govuk_button(
    text, secondary=False, warning=False, name=None, value=None, classes="", href=None, prevent_double_click=False
):
    """A GOV.UK button: a submit button, or a link styled as a button when href is given."""
    variant = "govuk-button--secondary" if secondary else "govuk-button--warning" if warning else ""
    context = {
        "text": text,
        "classes": _merge_classes("govuk-button", variant, classes),
        "name": name,
        "value": value,
        "href": href,
        "prevent_double_click": prevent_double_click,
    }
    return render_to_string("govuk/forms/button.html", context)


@register.simple_tag
def govuk_fields(form):
    """Every field of a form: hidden ones as they are, visible ones with {% govuk_field %}."""
    return mark_safe("".join(govuk_field(field) for field in form))  # noqa: S308 - rendered by escaping templates
