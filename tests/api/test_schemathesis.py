"""Schemathesis against the live schema, as a worker, a team manager and a partner system, with every check.

Every operation is called with generated input (valid and invalid), with path parameters and body references
that are half the time real records of the caller's scenario; no answer may be a 5xx or contradict the schema
(status codes, content types, bodies, headers), schema-invalid input (query parameters included) must be refused
and schema-valid input accepted, except for the rules listed in ``UNSTATED_RULES``. Runs on SQLite and
PostgreSQL in under a minute on a quiet machine (about 100 seconds with the 2 cores shared).
"""

import re
import secrets
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from ecfs.api.services import partner_system_create
from venues.models import Venue

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 20

# Schema-valid input that a write may still refuse with a 400, field by field, and why: the schema cannot say
# which records exist and are the caller's, or state a rule that depends on today or on another field. A 400
# to schema-valid input must name only these fields (``only_unstated_rules_refuse_valid_input``); anything
# else it names is a field whose schema does not tell the truth. ("*" stands for a list index.)
REFERRAL = {
    "district": "a district of the county, by slug",
    "locality": "a market town of that district",
    "postcode": "a real UK postcode (its shape, case and spaces aside)",
    "people": "at least one of them a child aged 0 to 5 or an unborn child",
    "people.*.date_of_birth": "needed for a child; today or earlier; 0 to 5 for a child",
    "people.*.expected_date": "needed for an unborn child; from today to 9 months ahead",
    "safe_contact_notes": "needed when safe_contact_only is true",
    "contact_phone": "needed when the safe way to contact is a phone call or a text",
    "contact_email": "needed when the safe way to contact is email",
}
UNSTATED_RULES = {
    "POST /api/people/": {
        "family": "a family the caller works with",
        "date_of_birth": "needed for a child; today or earlier; 0 to 5 for a child",
        "expected_date": "needed for an unborn child; from today to 9 months ahead",
    },
    "POST /api/people/{uuid}/early-education/": {
        "funded_education_started_on": "today or earlier, not before the second birthday; needed with a setting",
        "funded_education_eligible": "needed for a place started before the third birthday",
    },
    "POST /api/referrals/": {
        "received_at": "today or earlier",
        **REFERRAL,
    },
    "POST /api/partner/referrals/": REFERRAL,
    "POST /api/plans/": {
        "family": "a family the caller works with",
        "goals": "each about a different determinant",
    },
    "POST /api/plans/{uuid}/outcomes/": {
        "scores": "a score for each of the plan's goals, and none for anything else",
        "assessed_on": "today or earlier, not before the family was first referred or the service began",
    },
    "POST /api/plans/{uuid}/actions/{action_uuid}/done/": {
        "done_on": "today or earlier, not before the plan started",
    },
    "POST /api/contacts/": {
        "family": "a family the caller works with",
        "plan": "a plan of that family",
        "occurred_at": "today or earlier, not before the family was first referred or the service began",
        "venue": "a venue of the county, needed for a contact at a venue or a base",
        "people_seen": "people of that family",
        "children_seen": "that family's children; on a home visit, every one of them",
    },
    "POST /api/fund-applications/": {
        "family": "a family the caller works with",
        "goals": "goals of the family's active plan",
        "supplier": "needed when the money goes to a supplier",
    },
    "POST /api/advice/": {
        "given_on": "today or earlier, not before the service began",
        "district": "a district of the county",
        "partner_session": "needed for outreach at a partner's session",
        "locality": "a town of the district",
        "outward_postcode": "the first half of a postcode, never a full one",
        "signposted_to": "needed when the family was signposted",
        "referral": "only when a referral was made",
        "family": "a family the caller may see",
    },
    "POST /api/development-reviews/": {
        "child": "a born child of a family the caller may see",
        "kind": "decides which of the other fields are needed",
        "reviewed_on": "today or earlier, not before the child's birth, at an age the kind of review is for",
        "communication": "needed for an ASQ-3 review",
        "gross_motor": "needed for an ASQ-3 review",
        "fine_motor": "needed for an ASQ-3 review",
        "problem_solving": "needed for an ASQ-3 review",
        "personal_social": "needed for an ASQ-3 review",
        "good_level_of_development": "needed for an EYFS profile result",
        "source": "not only spaces",
        "consent_confirmed": "must be true: nothing is recorded without the family's consent",
    },
    "POST /api/taf-meetings/": {
        "family": "a family the caller may see",
        "held_on": "today or earlier, not before the family was first referred or the service began",
        "decisions": "not only spaces",
        "workers": "workers allocated to the family, or the caller",
        "people": "people of that family",
        "professionals": "professionals of that family's team around the family",
        "lead_worker": "a worker allocated to the family, or the caller",
        "lead_professional": "a professional of that family; not with lead_worker",
        "next_meeting_on": "after the meeting, and no more than 2 years ahead",
        "shared_with_agencies": "only with the family's consent to share",
        "actions": "each for the family's worker, one of its people or professionals (another agency only with "
        "consent to share), due on or after the meeting and within its plan's rules",
        # Each item of a list, by its position: the same rules as the list's.
        "workers.*": "active ECFS staff, by email: workers allocated to the family, or the caller",
        "people.*": "people of a family the caller may see",
        "professionals.*": "professionals of a family the caller may see",
        "actions.*.owner_worker": "active ECFS staff, by email: a worker allocated to the family",
        "actions.*.owner_person": "a person of a family the caller may see",
        "actions.*.owner_professional": "a professional of a family the caller may see",
    },
    "POST /api/onward-referrals/": {
        "family": "a family the caller may see",
        "organisation": "not only spaces",
        "reason": "not only spaces",
        "referred_on": "today or earlier, not before the family was first referred or the service began",
        "consent_confirmed": "must be true: nothing is referred without the family's agreement",
        "outcome_expected_by": "on or after the date referred, and no more than 2 years ahead",
    },
    "POST /api/group-sessions/{uuid}/register/": {
        "walk_in_families": "families the caller works with, no more than the adults who walked in",
        "reason": "needed once the register was taken: a correction says why",
    },
}
WRITES = sorted(UNSTATED_RULES)

# The documented schemathesis mechanism for such rejections (ST202: "a rejection the schema can't express,
# such as an unknown id or a cross-field rule, can be allowed for the operation"), for these writes only.
ACCEPTED_BY_DEFAULT = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # 5xx: not_a_server_error fails it
# Half the time a body names real records of the caller's scenario (schemathesis fuzz dictionaries), so that
# schema-valid writes get past the lookups to the services' own rules.
REAL_HALF_THE_TIME = 0.5


def _config(real: dict[str, list[str]]) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "dictionaries": {name: {"values": values} for name, values in real.items()},
            "parameters": {
                key: {"dictionary": name, "probability": REAL_HALF_THE_TIME}
                for name, keys in REAL_BODY_VALUES.items()
                for key in keys
            },
            "operations": [
                {
                    "include-name": name,
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED_BY_DEFAULT, "400"]}},
                }
                for name in WRITES
            ],
        }
    )


REAL_BODY_VALUES = {
    "families": ["body.family", "body.walk_in_families[*]"],
    "districts": ["body.district"],
    "localities": ["body.locality"],
    "venues": ["body.venue"],
    "postcodes": ["body.postcode"],
}


def _real_body_values(cast, scenario) -> dict[str, list[str]]:
    district = cast.team.base.district
    objects = scenario["objects"]
    return {
        "families": [objects["family"].reference, objects["fund_family"].reference],
        "districts": [district.slug],
        "localities": list(district.localities.order_by("name").values_list("name", flat=True)[:2]),
        "venues": list(Venue.objects.order_by("name").values_list("name", flat=True)[:2]),
        "postcodes": ["NR19 1AA", "nr1 3ab"],
    }


def only_unstated_rules_refuse_valid_input(ctx, response, case):
    """A 400 to schema-valid input names only fields in ``UNSTATED_RULES`` for its operation."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    fields = {re.sub(r"\.\d+(\.|$)", r".*\1", name) for name in response.json()["error"]["fields"]}
    unstated = fields - set(UNSTATED_RULES.get(case.operation.label, {}))
    assert not unstated, f"schema-valid input refused for {sorted(unstated)}: {response.text[:500]}"
    return None


def _session_auth(user) -> dict:
    """A signed-in session's cookie, and a CSRF secret sent as both the cookie and the header."""
    client = APIClient()
    client.force_login(user)
    csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        "headers": {"X-CSRFToken": csrf},
    }


def _real_path_parameters(scenario) -> dict:
    objects = scenario["objects"]
    return {
        "/api/families/{reference}/": {"reference": objects["family"].reference},
        "/api/people/{uuid}/": {"uuid": str(scenario["person"][0])},
        "/api/people/{uuid}/early-education/": {"uuid": str(scenario["person"][0])},
        "/api/referrals/{uuid}/": {"uuid": str(objects["referral"].uuid)},
        "/api/plans/{uuid}/": {"uuid": str(objects["plan"].uuid)},
        "/api/plans/{uuid}/outcomes/": {"uuid": str(objects["plan"].uuid)},
        "/api/plans/{uuid}/actions/{action_uuid}/done/": {
            "uuid": str(scenario["plan_action"][0]),
            "action_uuid": str(scenario["plan_action"][1]),
        },
        "/api/contacts/{uuid}/": {"uuid": str(objects["contact"].uuid)},
        "/api/fund-applications/{uuid}/": {"uuid": str(objects["application"].uuid)},
        "/api/advice/{uuid}/": {"uuid": str(scenario["advice"][0])},
        "/api/development-reviews/{uuid}/": {"uuid": str(scenario["development_review"][0])},
        "/api/taf-meetings/{uuid}/": {"uuid": str(scenario["taf_meeting"][0])},
        "/api/onward-referrals/{uuid}/": {"uuid": str(scenario["onward_referral"][0])},
        "/api/group-courses/{uuid}/": {"uuid": str(scenario["group_course"][0])},
        "/api/group-sessions/{uuid}/": {"uuid": str(scenario["group_session"][0])},
        "/api/group-sessions/{uuid}/register/": {"uuid": str(scenario["group_session"][0])},
        "/api/partner/referrals/{uuid}/": {"uuid": str(objects["partner_referral"].uuid)},
    }


@contextmanager
def connection_kept():
    """Django's WSGI handler closes the database connection when a request ends: inside a test's
    transaction that would lose the test's data (on PostgreSQL). Django's own test client unhooks it
    the same way around each of its requests (and hooks it back, so use no test client inside)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


@pytest.fixture(params=["worker", "manager", "partner"])
def api_schema(request, cast, scenario):
    from referrals.partner import partner_referral_create
    from tests.api.test_writes import _referral_body

    partner, token = partner_system_create(name="Health visiting service")
    body = _referral_body(cast)
    body.pop("received_via")
    from referrals.api import ReferralInputSerializer

    serializer = ReferralInputSerializer(data=body, context={"request": None})
    assert serializer.is_valid(), serializer.errors
    from referrals.api import _service_fields

    scenario["objects"]["partner_referral"] = partner_referral_create(
        partner=partner, **_service_fields(serializer.validated_data)
    )

    # The live schema, as the endpoint serves it to a signed-in member of staff.
    reader = APIClient()
    reader.force_login(cast.manager)
    served = reader.get("/api/schema/", {"format": "json"})
    assert served.status_code == 200
    schema = schemathesis.openapi.from_dict(served.json(), config=_config(_real_body_values(cast, scenario)))
    schema.app = get_wsgi_application()
    # The caller's credentials are fixed below: do not generate (or mutate) the security scheme's cookie.
    schema.config.generation.update(with_security_parameters=False)
    if request.param == "partner":
        credentials = {"cookies": {}, "headers": {"Authorization": f"Bearer {token}"}}
    else:
        credentials = _session_auth(getattr(cast, request.param))

    class Credentials:
        """The caller's credentials as a schemathesis auth provider, so its auth checks can take them away."""

        def get(self, case, context):
            return credentials

        def set(self, case, data, context):
            case.cookies = {**(case.cookies or {}), **data["cookies"]}
            case.headers = {**(case.headers or {}), **data["headers"]}

    schema.auth(refresh_interval=None)(Credentials)
    with connection_kept():
        yield schema, _real_path_parameters(scenario)


def _strategy(schema, operation, real):
    """Valid and invalid input; path parameters generated, or (half the time) real objects of the scenario."""
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(generation_mode=mode, auth_storage=schema.auth) for mode in modes]
    if real:
        strategies += [
            operation.as_strategy(generation_mode=mode, auth_storage=schema.auth, path_parameters=real)
            for mode in modes
        ]
    return st.one_of(*strategies)


def test_api_answers_as_its_schema_says(api_schema):
    schema, real_parameters = api_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategy(schema, operation, real_parameters.get(operation.path)))
        def call(case):
            case.call_and_validate(additional_checks=[only_unstated_rules_refuse_valid_input])

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
