"""The two routes through the request for support, and the answers kept in the session until *Send*.

Answers are kept as they were typed (each page's POST, less the CSRF token and the honeypot) and checked
again, page by page, on *Check your answers* and on *Send*: nothing is saved to the database before then.
"""

import hashlib
import json
from dataclasses import dataclass

from django.utils.datastructures import MultiValueDict

from families.models import Determinant
from referrals.models import Source

from . import questions as q

SESSION_KEY = "request_for_support"


@dataclass(frozen=True)
class Page:
    slug: str
    form: type[q.QuestionForm]
    section: str  # its heading on *Check your answers*


ROUTE_PAGES = {
    q.PROFESSIONAL: (
        Page("your-service", q.ProfessionForm, "Your service"),
        Page("your-details", q.ReferrerForm, "Your details"),
        Page("consent", q.ConsentForm, "The family's agreement"),
        Page("children", q.ChildrenForm, "The children"),
        Page("parents", q.ParentsForm, "The parents or carers"),
        Page("address", q.AddressForm, "The family's address"),
        Page("area", q.AreaForm, "Nearest town"),
        Page("language", q.LanguageForm, "Language"),
        Page("reasons", q.ReasonsForm, "Why the family needs support"),
        Page("urgency", q.UrgencyForm, "Urgency"),
        Page("contact", q.SafeContactForm, "Contacting the family safely"),
    ),
    q.FAMILY: (
        Page("children", q.ChildrenForm, "Your children"),
        Page("your-name", q.ParentsForm, "Your name"),
        Page("address", q.AddressForm, "Your address"),
        Page("area", q.AreaForm, "Nearest town"),
        Page("language", q.LanguageForm, "Language"),
        Page("help", q.ReasonsForm, "What you would like help with"),
        Page("sharing", q.SharingForm, "Sharing with people who support you"),
        Page("contact", q.SafeContactForm, "Contacting you safely"),
    ),
}
ROUTE_TITLES = {
    q.PROFESSIONAL: "Refer a family for support",
    q.FAMILY: "Ask for help for your family",
}
NOT_KEPT = ("csrfmiddlewaretoken", "website")


class Incomplete(Exception):
    """A page still needs an answer (or a valid one): ``slug`` is where to go."""

    def __init__(self, slug: str):
        super().__init__(slug)
        self.slug = slug


class ConsentMissing(Exception):
    """A professional said the family has not agreed: the referral cannot be sent."""


def page(route: str, slug: str) -> Page | None:
    return next((p for p in ROUTE_PAGES[route] if p.slug == slug), None)


def first_page(route: str) -> Page:
    return ROUTE_PAGES[route][0]


def stored(session, route: str) -> dict[str, dict]:
    return session.get(SESSION_KEY, {}).get(route, {})


def keep(session, route: str, slug: str, post) -> None:
    """Keep a page's answers (as typed) in the session."""
    journey = session.get(SESSION_KEY, {})
    journey.setdefault(route, {})[slug] = {key: post.getlist(key) for key in post if key not in NOT_KEPT}
    session[SESSION_KEY] = journey


def forget(session, route: str | None = None) -> None:
    """Forget one route's answers, or everything (the Exit this page button, and after Send)."""
    if route is None:
        session.pop(SESSION_KEY, None)
        return
    journey = session.get(SESSION_KEY, {})
    journey.pop(route, None)
    session[SESSION_KEY] = journey


def send_key(session, route: str) -> str:
    """This browser's answers to ``route``, hashed: the same answers sent twice from it are one request."""
    kept = json.dumps([session.session_key or "", route, stored(session, route)], sort_keys=True)
    return hashlib.sha256(kept.encode()).hexdigest()


def form_for(route: str, page_: Page, data=None):
    if data is not None and not hasattr(data, "getlist"):
        data = MultiValueDict(data)
    return page_.form(data=data, route=route)


def answered_forms(session, route: str) -> list[tuple[Page, q.QuestionForm]]:
    """Every page's form, valid, in order; raises ``Incomplete`` at the first page that is not, and
    ``ConsentMissing`` when the family has not agreed to a professional's referral."""
    answers = stored(session, route)
    done = []
    for page_ in ROUTE_PAGES[route]:
        if page_.slug not in answers:
            raise Incomplete(page_.slug)
        form = form_for(route, page_, answers[page_.slug])
        if not form.is_valid():
            raise Incomplete(page_.slug)
        if isinstance(form, q.ConsentForm) and form.cleaned_data["consent"] != "yes":
            raise ConsentMissing
        done.append((page_, form))
    return done


def next_slug(route: str, slug: str) -> str | None:
    """The page after ``slug``, or None after the last (then *Check your answers*)."""
    slugs = [p.slug for p in ROUTE_PAGES[route]]
    index = slugs.index(slug)
    return slugs[index + 1] if index + 1 < len(slugs) else None


def referral_fields(route: str, forms: list[tuple[Page, q.QuestionForm]]) -> dict:
    """What ``referrals.services.referral_create`` needs, from the answered pages."""
    by_kind = {type(form): form for _, form in forms}
    data = {}
    for form in by_kind.values():
        data.update(form.cleaned_data)
    parents = by_kind[q.ParentsForm].people
    children = by_kind[q.ChildrenForm].people
    family_name = parents[0]["last_name"]
    people = parents + [
        {**child, "first_name": "Unborn", "last_name": family_name} if "expected_date" in child else child
        for child in children
    ]
    district, locality = by_kind[q.AreaForm].place()
    if route == q.FAMILY:
        referrer = {
            "source": Source.SELF,
            "referrer_name": f"{parents[0]['first_name']} {parents[0]['last_name']}"[:150],
            "referrer_agency": "",
            "referrer_role": "Parent or carer",
            "referrer_email": "",
            "referrer_phone": "",
            "urgency": "routine",
            "consent_obtained": True,  # a family asking for help for itself agrees to it
            "consent_to_share": data["consent_to_share"] == "yes",
        }
    else:
        referrer = {
            name: data[name]
            for name in ("source", "referrer_name", "referrer_agency", "referrer_role", "referrer_email", "urgency")
        }
        referrer["referrer_phone"] = data["referrer_phone"]
        referrer["consent_obtained"] = data["consent"] == "yes"
    return {
        **referrer,
        "people": people,
        "reasons": list(Determinant.objects.filter(code__in=data["reasons"])),
        "reason_details": data["reason_details"],
        "language": data["language"],
        "interpreter_needed": data["interpreter_needed"] == "yes",
        "best_times": data["best_times"],
        "safe_contact_only": data["safe_contact_only"],
        "safe_contact_notes": data["safe_contact_notes"],
        "safe_contact_channel": data["safe_contact_channel"],
        "contact_phone": data["contact_phone"],
        "contact_email": data["contact_email"],
        "address_line_1": data["address_line_1"],
        "address_line_2": data["address_line_2"],
        "town": data["town"],
        "postcode": data["postcode"],
        "district": district,
        "locality": locality,
    }
