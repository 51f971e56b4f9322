"""Money as pages show it: pounds and pence with thousands separators, "£195,500.00"."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def pounds_text(value) -> str:
    """``Decimal("195500")`` → "£195,500.00"; a negative amount → "-£40.00"; nothing → ""."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


@register.filter
def pounds(value) -> str:
    return pounds_text(value)
