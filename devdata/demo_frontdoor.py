"""Demo: requests for support sent through the online form, from both routes, waiting in the triage queues.

Each is answered page by page with the public route's own forms (``frontdoor.journey``) and sent through
``frontdoor.services.support_request_submit``, as if on a recent working day: a health visitor's referral of a
new family, a nursery's referral of a family the service already holds (the duplicate check finds it), and two
parents asking for help, one of whom may be contacted only by text and one not at all.
"""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from bases.models import Locality
from ecfs.working_days import is_working_day
from families.models import Family
from frontdoor import journey
from frontdoor import questions as q
from frontdoor.services import support_request_submit
from referrals.models import Referral

from .demo_families import _clock


def _date(prefix: str, when) -> dict:
    return {f"{prefix}_day": str(when.day), f"{prefix}_month": str(when.month), f"{prefix}_year": str(when.year)}


def _area(locality: Locality) -> dict:
    return {"area": f"town-{locality.pk}" if not locality.is_other else f"district-{locality.district.slug}"}


def _send(route: str, answers: dict[str, dict], moment: datetime) -> Referral:
    with _clock(moment):
        forms = []
        for page in journey.ROUTE_PAGES[route]:
            form = journey.form_for(
                route, page, {k: v if isinstance(v, list) else [v] for k, v in answers[page.slug].items()}
            )
            if not form.is_valid():
                raise ValueError(f"demo request, {route} {page.slug}: {form.errors.as_text()}")
            forms.append((page, form))
        return support_request_submit(route=route, **journey.referral_fields(route, forms))


def _professional(
    *,
    source,
    referrer,
    agency,
    role,
    email,
    children,
    parent,
    address,
    locality,
    reasons,
    details,
    urgency="routine",
    contact,
) -> dict:
    return {
        "your-service": {"source": source},
        "your-details": {
            "referrer_name": referrer,
            "referrer_agency": agency,
            "referrer_role": role,
            "referrer_email": email,
            "referrer_phone": "01603 000 111",
        },
        "consent": {"consent": "yes"},
        "children": children,
        "parents": parent,
        "address": address,
        "area": _area(locality),
        "language": {"language": "English", "interpreter_needed": "no"},
        "reasons": {"reasons": reasons, "reason_details": details},
        "urgency": {"urgency": urgency},
        "contact": contact,
    }


def _moment(days_back: int, hour: int, minute: int) -> datetime:
    """A working day ``days_back`` working days before today, at a fixed time."""
    day = timezone.localdate()
    while days_back or not is_working_day(day):
        day -= timedelta(days=1)
        if is_working_day(day):
            days_back = max(days_back - 1, 0)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _localities() -> list[Locality]:
    return list(Locality.objects.filter(is_other=False, base__isnull=False).select_related("district").order_by("name"))


@transaction.atomic
def demo_frontdoor_seed() -> dict:
    if Referral.objects.filter(received_via=Referral.ReceivedVia.WEB_FORM).exists():
        return demo_frontdoor_counts(created=False)
    towns = _localities()
    if len(towns) < 4:
        return demo_frontdoor_counts(created=False)
    today = timezone.localdate()

    def born(years, months=0):
        return today - relativedelta(years=years, months=months)

    first, second, third = towns[0], towns[len(towns) // 2], towns[-1]
    _send(
        q.PROFESSIONAL,
        _professional(
            source="health_visitor",
            referrer="Claire Dunmore",
            agency="Norfolk Healthy Child Programme",
            role="Health visitor",
            email="claire.dunmore@hcp.demo.ecfs.example",
            children={"child_first_name": "Ruby", "child_last_name": "Fairweather", **_date("child_date", born(0, 7))},
            parent={"parent_first_name": "Jade", "parent_last_name": "Fairweather"},
            address={"address_line_1": "14 Orchard Close", "town": first.name, "postcode": "NR18 0AB"},
            locality=first,
            reasons=["parental_mental_health", "social_networks"],
            details="Mum scored high on the new-birth mood check and has no family nearby since moving in March.",
            contact={"safe_contact_channel": "phone", "contact_phone": "07700 900411", "best_times": "Afternoons"},
        ),
        _moment(1, 10, 15),
    )
    known = (
        Family.objects.filter(status=Family.Status.OPEN, restricted=False, address_withheld=False)
        .filter(members__kind="child", members__date_of_birth__isnull=False)
        .select_related("locality__district")
        .order_by("reference")
        .first()
    )
    if known is not None:
        child = known.members.filter(kind="child", date_of_birth__isnull=False).order_by("date_of_birth").first()
        parent = known.members.filter(kind="parent_carer").order_by("pk").first()
        _send(
            q.PROFESSIONAL,
            _professional(
                source="nursery",
                referrer="Hannah Pike",
                agency=f"{known.town} Pre-school",
                role="SENCo",
                email="hannah.pike@preschool.demo.ecfs.example",
                children={
                    "child_first_name": child.first_name,
                    "child_last_name": child.last_name,
                    **_date("child_date", child.date_of_birth),
                },
                parent={
                    "parent_first_name": parent.first_name if parent else "Sam",
                    "parent_last_name": parent.last_name if parent else child.last_name,
                },
                address={"address_line_1": known.address_line_1, "town": known.town, "postcode": known.postcode},
                locality=known.locality,
                reasons=["speech_language"],
                details=f"{child.first_name} has very few words at nursery and gets upset at drop-off.",
                contact={"safe_contact_channel": "email", "contact_email": "family.demo@example.org"},
            ),
            _moment(1, 9, 40),
        )
    _send(
        q.FAMILY,
        {
            "children": {
                "child_first_name": "Oliver",
                "child_last_name": "Mace",
                **_date("child_date", born(3, 2)),
                **_date("unborn_date", today + timedelta(days=70)),
            },
            "your-name": {"parent_first_name": "Chloe", "parent_last_name": "Mace"},
            "address": {"address_line_1": "2 Station Road", "town": second.name, "postcode": "PE31 6AA"},
            "area": _area(second),
            "language": {"language": "English", "interpreter_needed": "no"},
            "help": {
                "reasons": ["housing", "early_education"],
                "reason_details": "We are in a one-bed flat with damp.",
            },
            "sharing": {"consent_to_share": "yes"},
            "contact": {"safe_contact_channel": "text", "contact_phone": "07700 900522", "best_times": "Evenings"},
        },
        _moment(2, 20, 5),
    )
    _send(
        q.FAMILY,
        {
            "children": {"child_first_name": "Amelia", "child_last_name": "Nowak", **_date("child_date", born(1, 4))},
            "your-name": {"parent_first_name": "Agnieszka", "parent_last_name": "Nowak"},
            "address": {"address_line_1": "9 Mill Lane", "town": third.name, "postcode": "NR32 1AA"},
            "area": _area(third),
            "language": {"language": "Polish", "interpreter_needed": "yes"},
            "help": {"reasons": ["domestic_abuse", "social_networks"]},
            "sharing": {"consent_to_share": "no"},
            "contact": {
                "safe_contact_channel": "none",
                "safe_contact_only": "on",
                "safe_contact_notes": "I will come to the children's centre on Tuesdays.",
            },
        },
        _moment(1, 13, 30),
    )
    return demo_frontdoor_counts(created=True)


def demo_frontdoor_counts(*, created: bool = False) -> dict:
    web = Referral.objects.filter(received_via=Referral.ReceivedVia.WEB_FORM)
    return {
        "created": created,
        "professional": web.exclude(source="self").count(),
        "family": web.filter(source="self").count(),
    }


def demo_frontdoor_summary(counts: dict) -> str:
    already = " (already there)" if not counts["created"] else ""
    return (
        f"Online requests for support{already}: {counts['professional']} from professionals, "
        f"{counts['family']} from parents (/request-support/)"
    )
