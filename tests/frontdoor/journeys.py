"""Answers for both routes of the public request for support, and a walk through them with the test client."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bases.models import Locality


def area_for(team) -> str:
    """The area answer that routes to ``team``: a town its base serves, else elsewhere in its district."""
    town = Locality.objects.filter(base=team.base, is_other=False).order_by("name").first()
    return f"town-{town.pk}" if town else f"district-{team.base.district.slug}"


def date_parts(prefix: str, when) -> dict:
    return {f"{prefix}_day": str(when.day), f"{prefix}_month": str(when.month), f"{prefix}_year": str(when.year)}


def child_born():
    return timezone.localdate() - timedelta(days=2 * 365 + 30)


def professional_answers(team, *, last_name="Howes", born=None) -> dict[str, dict]:
    return {
        "your-service": {"source": "health_visitor"},
        "your-details": {
            "referrer_name": "Jo Health",
            "referrer_agency": "Healthy Child Programme",
            "referrer_role": "Health visitor",
            "referrer_email": "jo.health@nhs.example",
            "referrer_phone": "01603 123456",
        },
        "consent": {"consent": "yes"},
        "children": {
            "child_first_name": "Alfie",
            "child_last_name": last_name,
            **date_parts("child_date", born or child_born()),
        },
        "parents": {"parent_first_name": "Kerry", "parent_last_name": last_name},
        "address": {"address_line_1": "12 Market Street", "town": "Norwich", "postcode": "nr1 3ab"},
        "area": {"area": area_for(team)},
        "language": {"language": "English", "interpreter_needed": "no"},
        "reasons": {
            "reasons": ["social_networks", "parental_mental_health"],
            "reason_details": "Mum is isolated since the baby arrived.",
        },
        "urgency": {"urgency": "routine"},
        "contact": {"safe_contact_channel": "text", "contact_phone": "07700 900982", "best_times": "Mornings"},
    }


def family_answers(team) -> dict[str, dict]:
    due = timezone.localdate() + timedelta(days=90)
    return {
        "children": {
            "child_first_name": "Maisie",
            "child_last_name": "Clarke",
            **date_parts("child_date", child_born()),
            **date_parts("unborn_date", due),
        },
        "your-name": {"parent_first_name": "Leanne", "parent_last_name": "Clarke"},
        "address": {"address_line_1": "3 Quay Road", "town": "King's Lynn", "postcode": "PE30 1AA"},
        "area": {"area": area_for(team)},
        "language": {"language": "Polish", "interpreter_needed": "yes"},
        "help": {"reasons": ["social_networks", "housing"]},
        "sharing": {"consent_to_share": "no"},
        "contact": {"safe_contact_channel": "none", "safe_contact_only": "on"},
    }


def question_url(route: str, slug: str) -> str:
    return reverse("request-support-question", kwargs={"route": route, "slug": slug})


def check_url(route: str) -> str:
    return reverse("request-support-check", kwargs={"route": route})


def answer_all(client, route: str, answers: dict[str, dict]) -> None:
    for slug, data in answers.items():
        response = client.post(question_url(route, slug), data)
        assert response.status_code == 302, (slug, response.content.decode()[:3000])
