"""Building import files for the tests: the example fixture with today's dates, or rows of our own."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from bases.models import Locality

FIXTURES = Path(__file__).parent / "fixtures"


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def place_of(team) -> dict:
    """The district, a locality in it and the base of ``team``, as the file names them."""
    base = team.base
    locality = Locality.objects.filter(district=base.district).order_by("name").first()
    return {"district": base.district.name, "locality": locality.name, "base": base.name, "town": locality.name}


def example_file(cast) -> bytes:
    """tests/integrations/fixtures/open_cases_example.csv, with dates relative to today (so it never goes
    stale) and the cast's worker at the cast's base."""
    text = (FIXTURES / "open_cases_example.csv").read_text(encoding="utf-8")
    values = {
        **place_of(cast.team),
        "worker": cast.worker.email,
        "received": days_ago(120).isoformat(),
        "consent": days_ago(119).strftime("%d/%m/%Y"),
        "first_contact": days_ago(115).isoformat(),
        "agreed": days_ago(100).isoformat(),
        "dob_2": days_ago(2 * 365 + 40).isoformat(),
        "dob_4": days_ago(4 * 365 + 10).isoformat(),
        "ee_started": days_ago(10).isoformat(),  # after the 2-year-old's second birthday (about 40 days ago)
        "due": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    for name, value in values.items():
        # Base names can hold commas: quote them as CSV would.
        text = text.replace("{" + name + "}", f'"{value}"' if "," in value else value)
    return text.encode("utf-8")


def good_row(cast, **overrides) -> dict:
    """One valid family row (a group plan, so no assessment date is needed)."""
    row = {
        "previous_provider": "Action for Children",
        "previous_id": "AFC-2001",
        "address_line_1": "7 Church Street",
        "postcode": "NR13 5AB",
        **place_of(cast.team),
        "referral_received": days_ago(60).isoformat(),
        "referral_source": "health_visitor",
        "reasons": "early_attachment",
        "consent_given": "yes",
        "consent_date": days_ago(59).isoformat(),
        "safe_contact_only": "no",
        "withheld_address": "no",
        "safeguarding_note": "",
        "worker_email": cast.worker.email,
        "plan_kind": "group",
        "plan_goals": "early_attachment",
        "parent1_first_name": "Jade",
        "parent1_last_name": "Gurney",
        "child1_first_name": "Ruby",
        "child1_last_name": "Gurney",
        "child1_dob": days_ago(400).isoformat(),
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], *, drop: tuple[str, ...] = ()) -> bytes:
    columns = [name for name in rows[0] if name not in drop]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
