"""The family's own copy of their support plan: a plain-English PDF (optionally large print) the worker shares.

It holds what the family agreed (goals in their words, who does what by when, the next review) and nothing the
service writes about them: no scores, notes or address.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from families.models import SupportPlan


def _refuse_every_url(url: str, *args, **kwargs):
    raise ValueError(f"Refusing to fetch {url!r}: the family's copy of a plan is self-contained")


def plan_copy_pdf(plan: SupportPlan, *, large_print: bool = False) -> bytes:
    """A tagged PDF (PDF/UA-1), readable by screen readers; ``plan`` comes from ``selectors.plan_detail``."""
    from weasyprint import HTML

    actions = list(plan.actions.all())
    html = render_to_string(
        "support/plan_copy_pdf.html",
        {
            "plan": plan,
            "people": plan.family.members.order_by("kind", "first_name"),
            "open_actions": [action for action in actions if action.done_on is None],
            "done_actions": [action for action in actions if action.done_on is not None],
            "large_print": large_print,
            "made_on": timezone.localdate(),
            # The public feedback form (voice), printed in full: the copy is read on paper.
            "feedback_url": settings.ECFS_SITE_URL + reverse("feedback"),
        },
    )
    return HTML(string=html, url_fetcher=_refuse_every_url).write_pdf(pdf_variant="pdf/ua-1")
