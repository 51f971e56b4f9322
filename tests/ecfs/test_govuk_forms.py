"""GOV.UK form rendering: the govuk template tags and GovukDateField. No database needed."""

import datetime
import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone

from ecfs.govuk_forms import GovukDateField, GovukDateWidget, GovukFormMixin


class PersonForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        help_text="As it appears on their birth certificate",
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter their full name"},
    )
    email = forms.EmailField(label="Email address", required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    contact = forms.ChoiceField(
        label="How should we contact them?",
        choices=[("phone", "Phone"), ("email", "Email"), ("post", "Post")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact them"},
    )
    needs = forms.MultipleChoiceField(
        label="Support needs",
        choices=[("sight", "Sight"), ("hearing", "Hearing"), ("mobility", "Mobility")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(choices=[("", "Choose a language"), ("en", "English"), ("cy", "Welsh")])
    consent = forms.BooleanField(label="They agree to be contacted", help_text="You can change this later")
    date_of_birth = GovukDateField(
        label="Date of birth", must_be_past=True, widget=GovukDateWidget(autocomplete="bday")
    )
    visit_at = forms.DateTimeField(label="Visit", widget=forms.DateTimeInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        if self.cleaned_data.get("name") == "Nobody":
            raise forms.ValidationError("This person cannot be added")
        return self.cleaned_data


VALID = {
    "name": "Ada Lovelace",
    "contact": "email",
    "language": "en",
    "consent": "on",
    "date_of_birth_day": "10",
    "date_of_birth_month": "12",
    "date_of_birth_year": "2015",
}


def render(source, **context):
    return Template("{% load govuk %}" + source).render(Context(context))


def squash(html):
    return re.sub(r"\s+", " ", html)


def summary_links(html):
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)


def date_error(data, **field_kwargs):
    field_kwargs.setdefault("label", "Date of birth")

    class DateForm(forms.Form):
        date = GovukDateField(**field_kwargs)

    form = DateForm(data={f"date_{part}": value for part, value in zip(("day", "month", "year"), data, strict=True)})
    assert not form.is_valid()
    return form.errors["date"]


# Error summary


def test_error_summary_is_empty_without_errors():
    assert render("{% govuk_error_summary form %}", form=PersonForm()).strip() == ""
    valid = PersonForm(data=VALID)
    assert valid.is_valid(), valid.errors
    assert render("{% govuk_error_summary form %}", form=valid).strip() == ""


def test_error_summary_links_each_error_to_its_field():
    form = PersonForm(data={"email": "not an email", "date_of_birth_day": "3", "date_of_birth_year": "2020"})
    html = render("{% govuk_error_summary form %}", form=form)
    assert 'class="govuk-error-summary" data-module="govuk-error-summary"' in html
    assert '<div role="alert">' in html
    assert "There is a problem" in html
    assert summary_links(html) == [
        ("#id_name", "Enter their full name"),
        ("#id_email", "Enter a valid email address."),
        ("#id_contact", "Select how we should contact them"),
        ("#id_language", "This field is required."),
        ("#id_consent", "This field is required."),
        ("#id_date_of_birth_month", "Date of birth must include a month"),
    ]


def test_error_summary_links_an_empty_date_to_the_day():
    html = render("{% govuk_error_summary form %}", form=PersonForm(data={}))
    assert ("#id_date_of_birth_day", "Enter date of birth") in summary_links(html)


def test_error_summary_lists_non_field_errors_without_a_link():
    form = PersonForm(data={**VALID, "name": "Nobody"})
    html = squash(render("{% govuk_error_summary form %}", form=form))
    assert "<li> This person cannot be added </li>" in html
    assert summary_links(html) == []


def test_error_summary_takes_several_forms_and_formsets():
    class ChildForm(forms.Form):
        first_name = forms.CharField(error_messages={"required": "Enter the first name of the child"})

    formset = forms.formset_factory(ChildForm, extra=0, min_num=1)(
        data={"child-TOTAL_FORMS": "1", "child-INITIAL_FORMS": "0", "child-0-first_name": ""}, prefix="child"
    )
    html = render(
        "{% govuk_error_summary form formset %}", form=PersonForm(data={**VALID, "name": ""}), formset=formset
    )
    assert summary_links(html) == [
        ("#id_name", "Enter their full name"),
        ("#id_child-0-first_name", "Enter the first name of the child"),
    ]


# Fields


def test_text_input_with_error_hint_and_preserved_attrs():
    form = PersonForm(data={"name": ""})
    html = squash(render("{% govuk_field form.name %}", form=form))
    assert '<div class="govuk-form-group govuk-form-group--error">' in html
    assert '<label class="govuk-label" for="id_name"> Full name </label>' in html
    assert '<div id="id_name-hint" class="govuk-hint"> As it appears on their birth certificate </div>' in html
    assert (
        '<p id="id_name-error" class="govuk-error-message"> '
        '<span class="govuk-visually-hidden">Error:</span> Enter their full name </p>'
    ) in html
    input_tag = re.search(r"<input [^>]+>", html).group(0)
    assert 'class="govuk-input govuk-input--error"' in input_tag
    assert 'aria-describedby="id_name-hint id_name-error"' in input_tag
    assert 'autocomplete="name"' in input_tag
    assert 'spellcheck="false"' in input_tag
    assert 'id="id_name"' in input_tag
    assert "*" not in html


def test_valid_field_has_no_error_markup():
    html = render("{% govuk_field form.name %}", form=PersonForm(data=VALID))
    assert "govuk-form-group--error" not in html
    assert "govuk-input--error" not in html
    assert "govuk-error-message" not in html


def test_values_are_rerendered_after_a_failed_post():
    form = PersonForm(data={"name": "Ada <3", "email": "ada@", "notes": "Likes maths", "language": "cy"})
    assert not form.is_valid()
    html = render(
        "{% govuk_field form.name %}{% govuk_field form.email %}{% govuk_field form.notes %}"
        "{% govuk_field form.language %}",
        form=form,
    )
    assert 'value="Ada &lt;3"' in html
    assert 'value="ada@"' in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert "Likes maths</textarea>" in html
    assert '<option value="cy" selected>Welsh</option>' in html


def test_optional_fields_say_so_but_booleans_do_not():
    form = PersonForm()
    assert "Email address (optional)" in render("{% govuk_field form.email %}", form=form)
    assert "Full name (optional)" not in render("{% govuk_field form.name %}", form=form)

    class OptionalTick(forms.Form):
        newsletter = forms.BooleanField(label="Send the newsletter", required=False)

    html = render("{% govuk_field form.newsletter %}", form=OptionalTick())
    assert "Send the newsletter" in html
    assert "(optional)" not in html


def test_hint_classes_label_size_and_page_heading_arguments():
    html = squash(
        render(
            '{% govuk_field form.email hint="We will only use it for this" classes="govuk-input--width-20" '
            'label_size="l" page_heading=True %}',
            form=PersonForm(),
        )
    )
    assert '<h1 class="govuk-label-wrapper"> <label class="govuk-label govuk-label--l" for="id_email">' in html
    assert '<div id="id_email-hint" class="govuk-hint"> We will only use it for this </div>' in html
    assert 'class="govuk-input govuk-input--width-20"' in html
    assert 'aria-describedby="id_email-hint"' in html


def test_textarea_and_select():
    form = PersonForm(data={})
    html = render("{% govuk_field form.notes %}{% govuk_field form.language %}", form=form)
    assert 'class="govuk-textarea"' in html
    assert 'rows="5"' in html
    assert 'class="govuk-select govuk-select--error"' in html
    assert 'aria-describedby="id_language-error"' in html


def test_radios_in_a_fieldset_with_govuk_ids_and_checked_state_after_an_error():
    form = PersonForm(data={"contact": "email"})
    assert not form.is_valid()
    html = squash(render('{% govuk_field form.contact legend_size="m" inline=True %}', form=form))
    assert '<fieldset class="govuk-fieldset">' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m"> How should we contact them? </legend>'
        in (html)
    )
    assert '<div class="govuk-radios govuk-radios--inline" data-module="govuk-radios">' in html
    assert re.findall(r'<input class="govuk-radios__input" id="([^"]+)" name="contact" type="radio" [^>]*>', html) == [
        "id_contact",
        "id_contact-2",
        "id_contact-3",
    ]
    assert 'id="id_contact-2" name="contact" type="radio" value="email" checked>' in html
    assert html.count(" checked") == 1
    assert '<label class="govuk-label govuk-radios__label" for="id_contact-3"> Post </label>' in html


def test_radios_error_is_described_by_the_fieldset():
    html = render("{% govuk_field form.contact %}", form=PersonForm(data={}))
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_contact-error">' in html
    assert '<p id="id_contact-error" class="govuk-error-message">' in html


def test_checkboxes_keep_their_checked_state():
    form = PersonForm(data={"needs": ["sight", "mobility"]})
    assert not form.is_valid()
    html = render("{% govuk_field form.needs %}", form=form)
    assert 'data-module="govuk-checkboxes"' in html
    assert "Support needs (optional)" in html
    checked = re.findall(r'id="([^"]+)" name="needs" type="checkbox" value="[^"]+" checked', html)
    assert checked == ["id_needs", "id_needs-3"]


def test_single_checkbox_is_a_small_checkboxes_item():
    html = render("{% govuk_field form.consent %}", form=PersonForm(data={}))
    assert '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">' in html
    assert 'id="id_consent" name="consent" type="checkbox"' in html
    assert 'aria-describedby="id_consent-hint id_consent-error"' in html
    assert 'class="govuk-hint govuk-checkboxes__hint"' in html
    assert " checked" not in html
    checked = render("{% govuk_field form.consent %}", form=PersonForm(data={"consent": "true"}))
    assert " checked" in checked


def test_datetime_input_uses_the_native_type():
    html = render("{% govuk_field form.visit_at %}", form=PersonForm(initial={"visit_at": "2025-03-04 09:30"}))
    assert 'type="datetime-local"' in html
    assert 'class="govuk-input"' in html


def test_hidden_fields_render_as_they_are():
    assert render("{% govuk_field form.token %}", form=PersonForm()).strip() == (
        '<input type="hidden" name="token" id="id_token">'
    )


def test_date_input_markup():
    html = squash(render('{% govuk_field form.date_of_birth hint="For example, 27 3 2007" %}', form=PersonForm()))
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_date_of_birth-hint">' in html
    assert '<div class="govuk-date-input" id="id_date_of_birth">' in html
    inputs = re.findall(r"<input [^>]+>", html)
    assert [re.search(r'name="([^"]+)"', tag).group(1) for tag in inputs] == [
        "date_of_birth_day",
        "date_of_birth_month",
        "date_of_birth_year",
    ]
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-2" id="id_date_of_birth_day"' in inputs[0]
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-4" id="id_date_of_birth_year"' in inputs[2]
    assert all('inputmode="numeric"' in tag for tag in inputs)
    assert 'autocomplete="bday-month"' in inputs[1]
    assert '<label class="govuk-label govuk-date-input__label" for="id_date_of_birth_day"> Day </label>' in html


def test_date_input_highlights_only_the_wrong_part_and_redisplays_what_was_typed():
    form = PersonForm(data={"date_of_birth_day": "3", "date_of_birth_month": "", "date_of_birth_year": "20x0"})
    assert form.errors["date_of_birth"] == ["Date of birth must include a month"]
    html = render("{% govuk_field form.date_of_birth %}", form=form)
    inputs = re.findall(r"<input [^>]+>", html)
    assert ["govuk-input--error" in tag for tag in inputs] == [False, True, False]
    assert 'value="3"' in inputs[0]
    assert "value=" not in inputs[1]
    assert 'value="20x0"' in inputs[2]
    assert 'aria-describedby="id_date_of_birth-error"' in html


def test_date_input_shows_the_initial_date():
    form = PersonForm(initial={"date_of_birth": datetime.date(2019, 7, 4)})
    html = render("{% govuk_field form.date_of_birth %}", form=form)
    assert re.findall(r'value="(\d+)"', html) == ["4", "7", "2019"]


def test_date_with_every_part_wrong_highlights_all_three():
    html = render("{% govuk_field form.date_of_birth %}", form=PersonForm(data={}))
    assert html.count("govuk-input--error") == 3
    assert "Enter date of birth" in html


def test_button_variants():
    html = squash(render("{% govuk_button 'Save and continue' %}"))
    assert html.strip() == (
        '<button type="submit" class="govuk-button" data-module="govuk-button"> Save and continue </button>'
    )
    html = render("{% govuk_button 'Save as draft' secondary=True name='action' value='draft' %}")
    assert 'class="govuk-button govuk-button--secondary"' in html
    assert 'name="action"' in html
    assert 'value="draft"' in html
    assert 'class="govuk-button govuk-button--warning"' in render("{% govuk_button 'Delete' warning=True %}")


def test_form_mixin_renders_every_field():
    class MixinForm(GovukFormMixin, forms.Form):
        name = forms.CharField()
        token = forms.CharField(widget=forms.HiddenInput, required=False)

    html = render("{{ form }}", form=MixinForm())
    assert 'class="govuk-input"' in html
    assert '<input type="hidden" name="token" id="id_token">' in html


# GovukDateField


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (("", "", ""), "Enter date of birth"),
        (("", "3", "2020"), "Date of birth must include a day"),
        (("3", "", "2020"), "Date of birth must include a month"),
        (("3", "4", ""), "Date of birth must include a year"),
        (("", "", "2020"), "Date of birth must include a day and month"),
        (("31", "2", "2020"), "Date of birth must be a real date"),
        (("3", "13", "2020"), "Date of birth must be a real date"),
        (("x", "3", "2020"), "Date of birth must be a real date"),
        # Too big for a C int (Python's date raised OverflowError, a 500 on a public page), and digits that are
        # not 0-9 (str.isdigit takes "²", which int() refuses).
        (("99999999999999999999", "3", "2020"), "Date of birth must be a real date"),
        (("3", "99999999999999999999", "2020"), "Date of birth must be a real date"),
        (("²", "3", "2020"), "Date of birth must be a real date"),
        (("3", "3", "２０２０"), "Date of birth must be a real date"),
        (("3", "4", "20"), "Year must include 4 numbers"),
        (("3", "4", "20201"), "Year must include 4 numbers"),
        (("1", "6", "0017"), "Date of birth must be between 1900 and 2099"),
        (("31", "12", "1899"), "Date of birth must be between 1900 and 2099"),
        (("1", "1", "2100"), "Date of birth must be between 1900 and 2099"),
    ],
)
def test_date_error_messages(data, message):
    assert date_error(data) == [message]


def test_year_17_date_is_refused_on_the_pages_too():
    """A year-17 contact or receipt date would reach the API as a time with a local-mean-time offset
    (-00:01:15), which is not RFC 3339; no date the service records is before 1900 or after 2099."""
    assert date_error(("1", "6", "0017"), label="Date") == ["Date must be between 1900 and 2099"]
    assert GovukDateField().clean(("1", "1", "1900")) == datetime.date(1900, 1, 1)
    assert GovukDateField().clean(("31", "12", "2099")) == datetime.date(2099, 12, 31)


def test_date_must_be_past_or_future():
    today = timezone.localdate()
    tomorrow, yesterday = today + datetime.timedelta(days=1), today - datetime.timedelta(days=1)

    def parts(date):
        return (str(date.day), str(date.month), str(date.year))

    assert date_error(parts(tomorrow), must_be_past=True) == ["Date of birth must be today or in the past"]
    assert date_error(parts(yesterday), label="Visit date", must_be_future=True) == [
        "Visit date must be today or in the future"
    ]
    assert GovukDateField(must_be_past=True).clean(parts(today)) == today
    assert GovukDateField(must_be_future=True).clean(parts(today)) == today


def test_date_field_cleans_to_a_date():
    field = GovukDateField(label="Date of birth")
    assert field.clean([" 5 ", "03", "2021"]) == datetime.date(2021, 3, 5)
    assert field.clean(["5", "March", "2021"]) == datetime.date(2021, 3, 5)
    assert field.clean(["5", "mar", "2021"]) == datetime.date(2021, 3, 5)


def test_optional_date_may_be_empty():
    class OptionalDate(forms.Form):
        review_date = GovukDateField(required=False)

    form = OptionalDate(data={"review_date_day": "", "review_date_month": "", "review_date_year": ""})
    assert form.is_valid()
    assert form.cleaned_data["review_date"] is None
    assert "Review date (optional)" in render("{% govuk_field form.review_date %}", form=form)


def test_date_label_defaults_to_the_field_name():
    class NoLabel(forms.Form):
        start_date = GovukDateField()

    form = NoLabel(data={})
    assert form.errors["start_date"] == ["Enter start date"]


def test_date_messages_can_be_overridden():
    errors = date_error(("", "", ""), error_messages={"required": "Enter the date the referral was received"})
    assert errors == ["Enter the date the referral was received"]


def test_date_widget_decompress_and_has_changed():
    widget = GovukDateWidget()
    assert widget.decompress(datetime.date(2020, 1, 2)) == ["2", "1", "2020"]
    assert widget.decompress(None) == [None, None, None]
    field = GovukDateField()
    assert not field.has_changed(datetime.date(2020, 1, 2), ["02", "01", "2020"])
    assert field.has_changed(datetime.date(2020, 1, 2), ["3", "1", "2020"])
    assert field.has_changed(None, ["3", "", ""])
