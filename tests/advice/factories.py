"""Advice log entries for tests: recorded through the service, as the page does."""

from django.utils import timezone

from advice import services
from advice.models import AdviceEntry
from families.models import Determinant


def advice_entry(*, actor, topics=("housing",), **overrides) -> AdviceEntry:
    team = actor.staff_profile.team
    fields = {
        "given_on": timezone.localdate(),
        "channel": AdviceEntry.Channel.DROP_IN,
        "district": team.base.district,
        "topics": list(Determinant.objects.filter(code__in=topics)),
        "given": AdviceEntry.Given.ADVICE,
    }
    fields.update(overrides)
    return services.advice_record(actor=actor, **fields)
