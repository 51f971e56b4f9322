"""Subject access requests (issue #7, item 5): tracked with a due date, a PDF and JSON bundle, redaction."""

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.services import professional_add, protection
from privacy import services
from privacy.models import SubjectAccessRequest
from tests.families.factories import home_visit
from tests.referrals.factories import allocated_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(cast, client):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    professional_add(
        family=family,
        actor=cast.worker,
        agency="health_visiting",
        name="Nina Hale",
        phone="01603 555123",
        email="nina.hale@nhs.example",
    )
    home_visit(family=family, worker=cast.worker, notes="Nina Hale joined the visit; Alfie is walking now.")
    client.force_login(cast.worker)
    client.get(reverse("family-detail", args=[family.reference]))  # a view, for the access log
    client.logout()
    return family


def _new_request(client, family, **overrides):
    data = {
        "family_reference": family.reference,
        "person_name": "",
        "requester_name": "Kerry Howes",
        "received_on_day": "31",
        "received_on_month": "10",
        "received_on_year": "2026",
    }
    data.update(overrides)
    return client.post(reverse("subject-access-new"), data)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_an_admin_records_a_request_due_one_calendar_month_later(client, cast, family):
    client.force_login(cast.admin)
    response = _new_request(client, family)
    assert response.status_code == 302
    sar = SubjectAccessRequest.objects.get()
    assert sar.reference == f"SAR-{sar.pk:06d}"
    assert (sar.received_on, sar.due_on) == (date(2026, 10, 31), date(2026, 11, 30))
    assert AuditEvent.objects.filter(family=family, action="subject_access.received").exists()
    page = client.get(reverse("subject-access-list")).content.decode()
    assert sar.reference in page and "30 Nov 2026" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"family_reference": "ECFS-999999"}, "No family has that reference"),
        ({"family_reference": ""}, "Enter the family&#x27;s reference"),
        ({"person_name": "Nobody Here"}, "No one called Nobody Here is in"),
        ({"requester_name": ""}, "Enter who made the request"),
        ({"received_on_year": "2099"}, "must be today or in the past"),
        ({"received_on_month": "13"}, "must be a real date"),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_nothing_saved(client, cast, family, overrides, message):
    client.force_login(cast.admin)
    response = _new_request(client, family, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SubjectAccessRequest.objects.exists()


def test_the_bundle_holds_everything_about_the_family_as_json_and_pdf(client, cast, family):
    client.force_login(cast.admin)
    _new_request(client, family)
    sar = SubjectAccessRequest.objects.get()
    response = client.get(reverse("subject-access-bundle", args=[sar.uuid, "json"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    titles = [section["title"] for section in data["sections"]]
    assert titles[:4] == ["The family", "People in the family", "The team around the family", "Referrals"]
    text = response.content.decode()
    for expected in ("Kerry", "Alfie", "Alfie is walking now", "Nina Hale", family.postcode, "Mandy Robinson"):
        assert expected in text, expected
    access = next(s for s in data["sections"] if s["title"] == "Who accessed or changed these records")
    assert any(row["Who"] == "Mandy Robinson" and row["What"] == "Viewed the family record" for row in access["rows"])

    response = client.get(reverse("subject-access-bundle", args=[sar.uuid, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = _pdf_text(response.content)
    assert "Information we hold" in pdf and "Alfie is walking now" in pdf and sar.reference in pdf
    downloads = AuditEvent.objects.filter(family=family, action="subject_access.downloaded")
    assert downloads.count() == 2


def test_third_parties_are_redacted_everywhere_they_appear(client, cast, family):
    client.force_login(cast.admin)
    _new_request(client, family, person_name="alfie howes")
    sar = SubjectAccessRequest.objects.get()
    assert sar.person.first_name == "Alfie"
    page = client.get(reverse("subject-access-detail", args=[sar.uuid])).content.decode()
    assert "Nina Hale (Health visiting)" in page and "Kerry Howes (parent or carer)" in page

    professional = family.professionals.get()
    parent = family.members.get(first_name="Kerry")
    keys = [f"professional:{professional.uuid}", f"person:{parent.uuid}"]
    response = client.post(reverse("subject-access-detail", args=[sar.uuid]), {"redacted": keys})
    assert response.status_code == 302
    text = client.get(reverse("subject-access-bundle", args=[sar.uuid, "json"])).content.decode()
    for gone in ("Nina Hale", "01603 555123", "nina.hale@nhs.example", "Kerry Howes"):
        assert gone not in text, gone
    assert "[redacted] joined the visit; Alfie is walking now." in text
    pdf = _pdf_text(client.get(reverse("subject-access-bundle", args=[sar.uuid, "pdf"])).content)
    assert "Nina Hale" not in pdf and "[redacted]" in pdf

    response = client.post(reverse("subject-access-detail", args=[sar.uuid]), {"redacted": ["professional:nobody"]})
    assert response.status_code == 400
    assert SubjectAccessRequest.objects.get().redacted == sorted(keys)


def test_a_withheld_address_never_reaches_the_bundle(client, cast, family):
    protection.address_withhold(family=family, actor=cast.worker, withheld=True, reason="Refuge")
    client.force_login(cast.admin)
    _new_request(client, family)
    sar = SubjectAccessRequest.objects.get()
    text = client.get(reverse("subject-access-bundle", args=[sar.uuid, "json"])).content.decode()
    pdf = _pdf_text(client.get(reverse("subject-access-bundle", args=[sar.uuid, "pdf"])).content)
    for output in (text, pdf):
        assert family.postcode not in output and family.address_line_1 not in output
        assert "Withheld" in output


def test_release_is_recorded_once_and_freezes_the_redactions(client, cast, family):
    client.force_login(cast.admin)
    _new_request(client, family)
    sar = SubjectAccessRequest.objects.get()
    assert client.post(reverse("subject-access-release", args=[sar.uuid])).status_code == 302
    sar.refresh_from_db()
    assert sar.status == "released" and sar.released_by == cast.admin
    with pytest.raises(ApplicationError, match="already been released"):
        services.subject_access_release(sar=sar, actor=cast.admin)
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.subject_access_redact(sar=sar, actor=cast.admin, keys=[])
    with pytest.raises(ApplicationError, match="Only a service admin"):
        services.subject_access_create(
            actor=cast.manager, family_reference=family.reference, requester_name="x", received_on=date(2026, 11, 1)
        )


def test_the_retention_page_lists_due_families_and_places_holds(client, cast, family):
    client.force_login(cast.admin)
    page = client.get(reverse("privacy-retention")).content.decode()
    assert "No family is past its retention date." in page
    response = client.post(
        reverse("privacy-retention"),
        {"family_reference": family.reference, "reason": "ICO complaint", "action": "place"},
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.legal_hold
    assert "ICO complaint" in client.get(reverse("privacy-retention")).content.decode()
    response = client.post(reverse("privacy-retention"), {"family_reference": "ECFS-999999", "reason": "x"})
    assert response.status_code == 400 and "No family or referral has that reference" in response.content.decode()
    response = client.post(
        reverse("privacy-retention"), {"family_reference": family.reference, "reason": "Done", "action": "release"}
    )
    family.refresh_from_db()
    assert response.status_code == 302 and not family.legal_hold


def test_each_label_in_the_bundle_pdf_stays_beside_its_own_value(client, cast, family):
    """Read back row by row: every label of the family's record is followed by its own value before the next
    label starts (floated labels used to drift, so "Ethnicity" sat beside the next row's "No")."""
    family.ethnicity = "white_british"
    family.lone_parent = True
    family.save()
    client.force_login(cast.admin)
    _new_request(client, family)
    sar = SubjectAccessRequest.objects.get()
    data = json.loads(client.get(reverse("subject-access-bundle", args=[sar.uuid, "json"])).content)
    record = data["sections"][0]["rows"][0]
    text = " ".join(_pdf_text(client.get(reverse("subject-access-bundle", args=[sar.uuid, "pdf"])).content).split())
    pairs = [(label, str(value)) for label, value in record.items() if "\n" not in str(value) and len(str(value)) < 40]
    assert len(pairs) > 8
    position = 0
    for (label, value), following in zip(pairs, [*pairs[1:], (None, None)], strict=True):
        label_at = text.index(label, position)
        value_at = text.index(value, label_at + len(label))
        if following[0] is not None:
            assert value_at < text.index(following[0], label_at + len(label)), (label, value, following[0])
        position = value_at


def test_the_bundle_holds_advice_given_and_connections_to_groups(client, cast, family):
    from community.services import connection_create
    from tests.advice.factories import advice_entry

    advice_entry(actor=cast.worker, family=family, notes="Talked through the housing register with Kerry.")
    connection_create(
        family=family, actor=cast.worker, service_name="Dereham baby bank", note="Went with Kerry the first time."
    )
    client.force_login(cast.admin)
    _new_request(client, family)
    sar = SubjectAccessRequest.objects.get()
    data = json.loads(client.get(reverse("subject-access-bundle", args=[sar.uuid, "json"])).content)
    sections = {section["title"]: section["rows"] for section in data["sections"]}
    [advice] = sections["Advice given"]
    assert advice["Notes"] == "Talked through the housing register with Kerry." and advice["Topics"]
    [connection] = sections["Connections to community groups and services"]
    assert "Dereham baby bank" in json.dumps(connection) and "Went with Kerry" in json.dumps(connection)


def test_a_record_marked_as_entered_on_the_wrong_family_is_left_out_of_the_bundle(client, cast, family):
    """Recorded in error means it was about someone else: like a development review or a document in error, it
    is not this family's to receive."""
    from families.support.services.corrections import contact_mark_in_error

    wrong = home_visit(family=family, worker=cast.worker, notes="Saw the Okafor twins; their eviction is on Friday.")
    contact_mark_in_error(contact=wrong, actor=cast.worker, reason="Meant for another family")
    client.force_login(cast.admin)
    _new_request(client, family)
    sar = SubjectAccessRequest.objects.get()

    text = client.get(reverse("subject-access-bundle", args=[sar.uuid, "json"])).content.decode()

    assert "Alfie is walking now" in text
    assert "Okafor" not in text and "eviction" not in text


def test_how_to_reach_a_family_whose_address_is_withheld_never_reaches_the_bundle(client, cast, family):
    """Someone hiding from a perpetrator: their phone and email are withheld with where they live, as on the pages
    and in the API, including the number a message was sent to."""
    from django.utils import timezone

    from notifications.models import Message
    from referrals.models import Referral

    phone, email = "07700 900456", "hidden.parent@example.org"
    type(family).objects.filter(pk=family.pk).update(contact_phone=phone, contact_email=email)
    Referral.objects.filter(family=family).update(contact_phone=phone, contact_email=email)
    Message.objects.create(
        idempotency_key="test-withheld-sms",
        kind="visit_reminder",
        channel="text",
        recipient_address=phone,
        family=family,
        subject="A reminder",
        body="Your visit is tomorrow.",
        created_at=timezone.now(),
    )
    protection.address_withhold(family=family, actor=cast.worker, withheld=True, reason="Refuge")
    client.force_login(cast.admin)
    _new_request(client, family)
    sar = SubjectAccessRequest.objects.get()

    text = client.get(reverse("subject-access-bundle", args=[sar.uuid, "json"])).content.decode()
    pdf = _pdf_text(client.get(reverse("subject-access-bundle", args=[sar.uuid, "pdf"])).content)

    for output in (text, pdf):
        assert phone not in output and email not in output
        assert "Your visit is tomorrow." in output or "A reminder" in output  # the message itself is theirs
