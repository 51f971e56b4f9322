from django import template

register = template.Library()


@register.filter
def cell(row: dict, area: str) -> str:
    """The text a commissioner sees for one area of a row (JSON from PostgreSQL does not keep key order)."""
    return (row.get("display") or {}).get(area, "")
