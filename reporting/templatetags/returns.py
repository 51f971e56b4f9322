from django import template

register = template.Library()


@register.filter
def cell(row: dict, area: str) -> str:
    """The text a commissioner sees for one area of a row (JSON from PostgreSQL does not keep key order)."""
    return (row.get("display") or {}).get(area, "")


@register.filter
def lookup(mapping: dict, key) -> str:
    """``mapping[key]``, or an empty string: one dictionary read where a loop over the mapping would be quadratic."""
    return mapping.get(key, "") if key else ""


@register.filter
def headline(kpi: dict) -> dict | None:
    """The county figure a summary leads with (returns stored before headlines were kept lead with the first row)."""
    if "headline" in kpi:
        return kpi["headline"]
    first = (kpi.get("rows") or [None])[0]
    if first is None:
        return None
    return {"label": first["label"], "display": (first.get("display") or {}).get("County", "")}


@register.filter
def headline_title(kpi: dict) -> str:
    return kpi.get("headline_title") or kpi["title"]


@register.filter
def target_text(target: dict) -> str:
    """``at least 60%`` (older stored returns: the direction and number as they were kept)."""
    return target.get("text") or f"{target['direction'].replace('_', ' ')} {target['value']}"
