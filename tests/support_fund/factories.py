import itertools
from decimal import Decimal

from django.utils import timezone

from support_fund import services
from support_fund.models import FundSource
from tests.families.factories import active_plan
from tests.referrals.factories import allocated_referral


def family_in_support(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    active_plan(family=family, worker=cast.worker, manager=cast.manager)
    return family


def budget(cast, amount, *, district=None, source="Council allocation"):
    return services.budget_create(
        financial_year=services.financial_year_of(timezone.localdate()),
        source=FundSource.objects.get(name=source),
        district=district,
        amount=Decimal(amount),
        actor=cast.admin,
    )


# Each application made here is a new request (the same one again the same day is refused as sent twice).
_requests = itertools.count(1)


def application(cast, family, amount="40.00", **overrides):
    fields = {
        "category": "food",
        "amount": amount,
        "justification": f"Food while benefits are sorted, so mum can focus on the plan (request {next(_requests)})",
        "delivery": "voucher",
    }
    fields.update(overrides)
    return services.application_create(family=family, actor=cast.worker, **fields)
