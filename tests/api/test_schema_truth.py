"""The schema tells the truth: query parameters and bodies accept exactly what it says, anything else is a 400
in the one error shape, and no date the API takes is before 1900 or after 2099 (so none comes back with a
local-mean-time offset such as ``-00:01:15``)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from ecfs.api.dates import DATE_PATTERN, DATE_TIME_PATTERN
from ecfs.api.fields import AMOUNT_PATTERN
from ecfs.api.schema import NOT_BLANK_TEXT_PATTERN
from families.models import Contact, Person
from support_fund.models import Application
from support_fund.services import LARGEST_PAYMENT
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _error(response, status=400) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def _query_schema(schema, path, name) -> dict:
    parameters = schema["paths"][path]["get"]["parameters"]
    return next(parameter["schema"] for parameter in parameters if parameter["name"] == name)


def _request_schema(schema, component) -> dict:
    return schema["components"]["schemas"][component]["properties"]


# Enum and boolean query parameters ---------------------------------------------------------------------------


def test_unknown_enum_filter_value_answers_400(cast, scenario):
    error = _error(client_for(cast.worker).get(reverse("api-family-list"), {"status": "maybe"}))
    assert error["code"] == "invalid" and "status" in error["fields"]


@pytest.mark.parametrize(
    ("url_name", "parameter"),
    [
        ("api-family-list", "status"),
        ("api-referral-list", "urgency"),
        ("api-fund-application-list", "category"),
        ("api-session-list", "course"),
        ("api-contact-list", "occurred_after"),
        ("api-course-list", "starts_after"),
        ("api-contact-list", "safeguarding_concern"),
    ],
)
def test_enum_uuid_date_or_boolean_filter_given_no_value_answers_400(cast, scenario, url_name, parameter):
    error = _error(client_for(cast.manager).get(reverse(url_name), {parameter: ""}))
    assert error["fields"] == {parameter: ["Give a value, or leave the parameter out."]}


def test_free_text_filter_given_no_value_is_no_filter(cast, scenario):
    client = client_for(cast.worker)
    response = client.get(reverse("api-family-list"), {"postcode": "", "district": ""})
    assert response.status_code == 200
    assert response.json()["count"] == client.get(reverse("api-family-list")).json()["count"] >= 1


def test_schema_says_the_boolean_filter_is_a_boolean(schema):
    assert _query_schema(schema, "/api/contacts/", "safeguarding_concern") == {"type": "boolean"}


@pytest.mark.parametrize("value", ["1", "0", "yes", "True", "TRUE", "on"])
def test_boolean_filter_takes_only_true_or_false(cast, scenario, value):
    error = _error(client_for(cast.worker).get(reverse("api-contact-list"), {"safeguarding_concern": value}))
    assert error["fields"] == {"safeguarding_concern": ["Enter true or false."]}


def test_boolean_filter_filters(cast, scenario):
    client = client_for(cast.worker)
    concerns = client.get(reverse("api-contact-list"), {"safeguarding_concern": "true"}).json()["count"]
    others = client.get(reverse("api-contact-list"), {"safeguarding_concern": "false"}).json()["count"]
    assert concerns == Contact.objects.filter(safeguarding_concern=True).count()
    assert concerns + others == client.get(reverse("api-contact-list")).json()["count"] >= 1


@pytest.mark.parametrize("spelling", ["hex", "urn", "braces"])
def test_uuid_filter_takes_only_the_hyphenated_form_the_schema_means(cast, scenario, spelling):
    course = scenario["group_course"][0]
    client = client_for(cast.worker)
    assert client.get(reverse("api-session-list"), {"course": str(course)}).json()["count"] >= 1
    other = {"hex": course.hex, "urn": course.urn, "braces": f"{{{course}}}"}[spelling]
    error = _error(client.get(reverse("api-session-list"), {"course": other}))
    assert error["fields"] == {"course": ["Enter a uuid, like 0b8f3a52-5c1e-4d7a-9f6e-2a4c1b9d8e70."]}


def test_object_is_found_only_at_its_hyphenated_uuid(cast, scenario):
    contact = scenario["contact"][0]
    client = client_for(cast.worker)
    assert client.get(f"/api/contacts/{contact}/").status_code == 200
    assert client.get(f"/api/contacts/{str(contact).upper()}/").status_code == 200
    _error(client.get(f"/api/contacts/{contact.hex}/"), status=404)


# Dates and date-times in the query ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-01T10:00:00Z",  # no 13th month
        "2026-02-29T10:00:00Z",  # not a leap year
        "2026-05-01T10:00:00",  # no offset: which 10 o'clock?
        "2026-05-01 10:00:00Z",
        "2026-05-01T10:00Z",  # RFC 3339 has seconds
        "2026-05-01",
    ],
)
def test_date_time_filter_that_is_not_a_date_answers_400(cast, scenario, value):
    error = _error(client_for(cast.worker).get(reverse("api-contact-list"), {"occurred_after": value}))
    assert error["fields"]["occurred_after"][0].startswith("Enter a real date and time from 1900 to 2099")


@pytest.mark.parametrize("value", ["0017-06-01T10:00:00Z", "1899-12-31T23:59:59Z", "2100-01-01T00:00:00Z"])
def test_date_time_filter_before_1900_or_after_2099_answers_400(cast, scenario, value):
    _error(client_for(cast.manager).get(reverse("api-referral-list"), {"received_after": value}))


@pytest.mark.parametrize("offset", ["Z", "+01:00", "-23:59", "+23:59"])
def test_date_time_filter_takes_any_rfc_3339_offset(cast, scenario, offset):
    """PostgreSQL refuses offsets beyond 15:59 that RFC 3339 allows: the filter compares in UTC."""
    response = client_for(cast.worker).get(
        reverse("api-contact-list"), {"occurred_after": f"2000-02-29T10:00:00.5{offset}"}
    )
    assert response.status_code == 200 and response.json()["count"] >= 1


def test_date_filter_takes_only_a_real_date(cast, scenario):
    client = client_for(cast.worker)
    assert client.get(reverse("api-course-list"), {"starts_after": "2024-02-29"}).status_code == 200
    for value in ("2026-02-29", "2026-04-31", "1899-12-31", "01/05/2026", "2026-05-01T00:00:00Z"):
        _error(client.get(reverse("api-course-list"), {"starts_after": value}))


def test_schema_states_the_date_rules_the_server_applies(schema):
    for path, name in [
        ("/api/contacts/", "occurred_after"),
        ("/api/referrals/", "received_before"),
        ("/api/group-sessions/", "starts_after"),
    ]:
        assert _query_schema(schema, path, name)["pattern"] == DATE_TIME_PATTERN
        assert _query_schema(schema, path, name)["format"] == "date-time"
    assert _query_schema(schema, "/api/group-courses/", "starts_after")["pattern"] == DATE_PATTERN
    assert _request_schema(schema, "ContactInputRequest")["occurred_at"]["pattern"] == DATE_TIME_PATTERN
    assert _request_schema(schema, "PersonInputRequest")["date_of_birth"]["pattern"] == DATE_PATTERN
    assert _request_schema(schema, "PersonInputRequest")["date_of_birth"]["nullable"] is True
    assert not re.fullmatch(DATE_TIME_PATTERN, "0017-06-01T10:00:00Z")
    assert re.fullmatch(DATE_TIME_PATTERN, "2024-02-29T23:59:59.123456-23:59")


# Pages ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "abc", "0", "-1", "1.5", "last", "²"])
def test_page_that_is_not_a_whole_number_from_1_answers_400(cast, scenario, page):
    error = _error(client_for(cast.worker).get(reverse("api-family-list"), {"page": page}))
    assert error["fields"] == {"page": ["A whole number from 1."]}


def test_page_size_in_other_digits_answers_400_not_500(cast, scenario):
    _error(client_for(cast.worker).get(reverse("api-family-list"), {"page_size": "²"}))


def test_page_past_the_end_is_still_404(cast, scenario):
    _error(client_for(cast.worker).get(reverse("api-family-list"), {"page": "99"}), status=404)


# Bodies --------------------------------------------------------------------------------------------------------


def test_year_17_date_is_refused(cast, scenario):
    """Europe/London was 1 minute 15 seconds behind GMT before 1847: a year-17 time would come back as
    ``0017-06-01T09:58:45-00:01:15``, which is not RFC 3339. Such dates are refused, and nothing is saved."""
    family = scenario["objects"]["family"]
    client = client_for(cast.worker)
    before = Contact.objects.count()
    contact = client.post(
        reverse("api-contact-list"),
        {"family": family.reference, "occurred_at": "0017-06-01T10:00:00Z", "duration_minutes": 30,
         "mode": "phone", "notes": "Call"},
        format="json",
    )  # fmt: skip
    message = _error(contact)["fields"]["occurred_at"][0]
    assert "from 1900 to 2099" in message
    assert Contact.objects.count() == before
    person = client.post(
        reverse("api-person-list"),
        {"family": family.reference, "kind": "other_adult", "first_name": "Old", "last_name": "Timer",
         "date_of_birth": "0017-01-01"},
        format="json",
    )  # fmt: skip
    assert _error(person)["fields"]["date_of_birth"] == ["Enter a real date from 1900 to 2099, like 2026-05-01."]
    assert not Person.objects.filter(first_name="Old").exists()


def test_contact_at_a_time_with_its_offset_is_saved(cast, scenario):
    family = scenario["objects"]["family"]
    occurred = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    response = client_for(cast.worker).post(
        reverse("api-contact-list"),
        {"family": family.reference, "occurred_at": occurred.isoformat().replace("+00:00", "Z"),
         "duration_minutes": 30, "mode": "phone", "notes": "Call"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert Contact.objects.get(uuid=response.json()["uuid"]).occurred_at == occurred


def test_schema_says_reasons_list_needs_at_least_one(schema):
    referral = _request_schema(schema, "StaffReferralInputRequest")
    assert referral["reasons"]["minItems"] == 1 and referral["reasons"]["maxItems"] == 15
    assert referral["people"]["minItems"] == 1 and referral["people"]["maxItems"] == 20
    assert _request_schema(schema, "ReferralInputRequest")["reasons"]["minItems"] == 1
    assert _request_schema(schema, "PlanInputRequest")["goals"]["minItems"] == 1
    assert _request_schema(schema, "OutcomeInputRequest")["scores"]["minItems"] == 1
    # An empty register marks everyone absent: that list may be empty, and the schema says so.
    assert "minItems" not in _request_schema(schema, "RegisterInputRequest")["attended"]


def test_empty_reasons_list_answers_400(cast):
    from tests.api.test_writes import _referral_body

    response = client_for(cast.worker).post(reverse("api-referral-list"), _referral_body(cast, reasons=[]))
    assert _error(response)["fields"] == {"reasons": ["This list may not be empty."]}


def test_referral_with_no_young_child_names_the_people_list(cast):
    from tests.api.test_writes import _referral_body

    adults_only = [{"kind": "parent_carer", "first_name": "Sam", "last_name": "Reed"}]
    response = client_for(cast.worker).post(reverse("api-referral-list"), _referral_body(cast, people=adults_only))
    assert _error(response)["fields"] == {"people": ["Name at least one child aged 0 to 5 or an unborn child"]}


def test_plan_with_two_goals_on_one_need_names_the_goals_list(cast, scenario):
    goal = {"determinant": "social_networks", "description": "Meet other parents"}
    response = client_for(cast.worker).post(
        reverse("api-plan-list"),
        {"family": scenario["family"][0], "kind": "group", "goals": [goal, goal]},
        format="json",
    )
    assert _error(response)["fields"] == {"goals": ["Each goal must be about a different need"]}


def test_schema_says_text_that_may_not_be_blank_needs_more_than_spaces(cast, scenario, schema):
    notes = _request_schema(schema, "ContactInputRequest")["notes"]
    assert notes["pattern"] == NOT_BLANK_TEXT_PATTERN
    assert not re.fullmatch(notes["pattern"], " \t\x1f")
    response = client_for(cast.worker).post(
        reverse("api-contact-list"),
        {"family": scenario["family"][0], "occurred_at": timezone.now().isoformat(), "duration_minutes": 30,
         "mode": "phone", "notes": " \t\x1f"},
        format="json",
    )  # fmt: skip
    assert _error(response)["fields"] == {"notes": ["This field may not be blank."]}


@pytest.mark.parametrize("amount", ["0", "0.00", " 40", "40.001", "4e1", "-5", "10000.01", 40])
def test_amount_is_pounds_and_pence_as_the_schema_says(cast, scenario, schema, amount):
    assert _request_schema(schema, "ApplicationInputRequest")["amount"]["pattern"] == AMOUNT_PATTERN
    assert not re.fullmatch(AMOUNT_PATTERN, str(amount)) or not isinstance(amount, str)
    before = Application.objects.count()
    response = client_for(cast.worker).post(
        reverse("api-fund-application-list"),
        {"family": scenario["objects"]["fund_family"].reference, "category": "food", "amount": amount,
         "justification": "Food", "delivery": "voucher"},
        format="json",
    )  # fmt: skip
    assert "amount" in _error(response)["fields"]
    assert Application.objects.count() == before


def test_amount_pattern_ends_at_the_funds_largest_payment():
    assert re.fullmatch(AMOUNT_PATTERN, str(LARGEST_PAYMENT))
    assert not re.fullmatch(AMOUNT_PATTERN, str(LARGEST_PAYMENT + Decimal("0.01")))


def test_outcome_score_errors_name_the_scores_list(cast, scenario):
    plan = scenario["objects"]["plan"]
    goal = plan.goals.select_related("determinant").first()
    others = {"social_networks", "parental_mental_health"} - {goal.determinant.code}
    response = client_for(cast.worker).post(
        reverse("api-plan-outcomes", args=[plan.uuid]),
        {"stage": "start", "assessed_on": timezone.localdate().isoformat(),
         "scores": [{"determinant": sorted(others)[0], "score": 4}]},
        format="json",
    )  # fmt: skip
    fields = _error(response)["fields"]
    assert set(fields) == {"scores"}
    assert f"{goal.determinant.code}: Enter a score from 1 to 10" in fields["scores"]
