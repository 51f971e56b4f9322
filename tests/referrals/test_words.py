"""Words on the referral and family pages (#17 item 12): errors name the person, no "by in person", no doubled
"(optional)"."""

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from families.forms import PersonForm
from referrals.models import Referral

from .factories import received_referral
from .test_views import intake_data

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_an_intake_error_on_a_childs_date_names_the_child_in_the_field_and_the_summary(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("referral-new"), intake_data(cast, child_date_month=13))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Alfie&#x27;s date of birth must be a real date") == 2  # the summary and the field
    assert "Child: date of birth must be a real date" not in html
    assert Referral.objects.count() == 0


def test_an_intake_error_on_the_parent_names_the_parent(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("referral-new"), intake_data(cast, parent_last_name=""))
    assert "Enter Kerry&#x27;s last name" in response.content.decode()


def test_a_family_member_form_error_names_the_person():
    form = PersonForm(
        {
            "kind": "child",
            "first_name": "Alfie",
            "last_name": "Howes",
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2025",
        }
    )
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Alfie's date of birth must be a real date"]


def test_the_referral_says_how_it_was_received_in_words(client, cast):
    referral = received_referral(team=cast.team, actor=cast.worker, received_via=Referral.ReceivedVia.IN_PERSON)
    client.force_login(cast.manager)
    html = client.get(reverse("referral-detail", args=[referral.uuid])).content.decode()
    assert " in person" in html and "by in person" not in html


def test_a_label_that_already_says_optional_is_not_doubled():
    class Form(forms.Form):
        name = forms.CharField(label="The person's full name (optional)", required=False)
        note = forms.CharField(label="Note", required=False)

    html = Template("{% load govuk %}{% govuk_field form.name %}{% govuk_field form.note %}").render(
        Context({"form": Form()})
    )
    assert "(optional) (optional)" not in html
    assert "The person&#x27;s full name (optional)" in html and "Note (optional)" in html
