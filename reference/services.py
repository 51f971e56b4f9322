"""Loading the county's reference data (from the 2018 committee report) idempotently."""

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction
from django.utils.text import slugify

from bases.models import Base, District, Locality
from bases.need_index import childrens_need_index
from ecfs.roles import role_groups_ensure
from families.services import determinants_ensure
from reporting.models import ContractBudgetLine
from support_fund.models import FundSource
from venues.models import Venue

# Outside contributions are spent before the council's allocation (report §2.6.10: a charity's appeal fund).
FUND_SOURCES = (
    ("Charity appeal fund", FundSource.Kind.EXTERNAL, 10),
    ("Council allocation", FundSource.Kind.COUNCIL, 20),
)
REFERENCE_DIR = Path(__file__).resolve().parent / "data"
OTHER_LOCALITY = "Other"
ROLE_FROM_REPORT = {
    "base": Venue.Role.BASE,
    "delivery venue": Venue.Role.DELIVERY_VENUE,
    "outreach only": Venue.Role.OUTREACH_ONLY,
}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model: type[models.Model], outcome: str) -> None:
        bucket = self.created if outcome == "created" else self.updated
        bucket[model.__name__] = bucket.get(model.__name__, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _read(name: str) -> list[dict]:
    """The rows of a reference file; lines starting with ``#`` are its header comment."""
    with open(REFERENCE_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _upsert(model, report: LoadReport, lookup: dict, values: dict):
    """Create the row or bring it in line with ``values``; never write an unchanged row."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(model, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.count(model, "updated")
    return obj


@transaction.atomic
def reference_data_load() -> LoadReport:
    """Districts, localities with their need index, the 53 former centres, the 15 bases, the budget."""
    report = LoadReport()
    role_groups_ensure()
    determinants_ensure()

    districts = {}
    for row in _read("districts.csv"):
        districts[row["district"]] = _upsert(
            District,
            report,
            {"name": row["district"]},
            {
                "slug": slugify(row["district"]),
                "onsite_group_sessions_pct_2018": int(row["onsite_group_sessions_pct_2018"]),
                "outreach_group_sessions_pct_2018": int(row["outreach_group_sessions_pct_2018"]),
                "targeted_group_sessions_pct_2018": int(row["targeted_group_sessions_pct_2018"]),
                "universal_group_sessions_pct_2018": int(row["universal_group_sessions_pct_2018"]),
                "designated_childrens_centres_2018": int(row["designated_childrens_centres_2018"]),
                "bases_from_oct_2019": int(row["bases_from_oct_2019"]),
            },
        )

    locality_rows = _read("localities.csv")
    towns = [row for row in locality_rows if row["locality"] != OTHER_LOCALITY]
    indexes = childrens_need_index(locality_rows, reference_rows=towns)
    marker_fields = [
        "pct_age_0_2",
        "pct_teenage_mothers",
        "pct_eligible_2yo",
        "pct_eyfsp_not_gld",
        "pct_families_no_qualifications",
        "pct_lone_parent_households",
        "pct_cin_cp_lac_under_18",
        "idaci_pct",
        "pct_under_5",
    ]
    for row, index in zip(locality_rows, indexes, strict=True):
        values = {name: Decimal(row[name]).quantize(Decimal("0.1")) for name in marker_fields}
        values.update(
            district=districts.get(row["district"]),
            under_5=int(row["under_5"]),
            need_index=index,
            is_other=row["locality"] == OTHER_LOCALITY,
        )
        _upsert(Locality, report, {"name": row["locality"]}, values)

    for row in _read("childrens_centres_2018.csv"):
        role = ROLE_FROM_REPORT[row["role_from_oct_2019"]]
        venue = _upsert(
            Venue,
            report,
            {"name": row["name"]},
            {
                "kind": Venue.Kind.FORMER_CHILDRENS_CENTRE,
                "role": role,
                "district": districts[row["district"]],
                "has_building": role != Venue.Role.OUTREACH_ONLY,
                "report_note": row["note_from_report"],
            },
        )
        if role == Venue.Role.BASE:
            _upsert(Base, report, {"name": row["name"]}, {"district": venue.district, "venue": venue})

    _locality_bases_load(report)

    for name, kind, priority in FUND_SOURCES:
        _upsert(FundSource, report, {"name": name}, {"kind": kind, "priority": priority})

    for position, row in enumerate(_read("budget_2019_20.csv"), start=1):
        _upsert(
            ContractBudgetLine,
            report,
            {"name": row["line"]},
            {
                "position": position,
                "childrens_centres_2018_gbp": Decimal(row["childrens_centres_2018_gbp"]),
                "childrens_centres_2018_pct": Decimal(row["childrens_centres_2018_pct"]),
                "ecfs_indicative_gbp": Decimal(row["ecfs_indicative_gbp"]),
                "ecfs_indicative_pct": Decimal(row["ecfs_indicative_pct"]),
            },
        )
    return report


def _locality_bases_load(report: LoadReport) -> None:
    """Each market town's serving base (locality_bases.csv, whose header says the rule). Other rows name no
    base: the district's teams share them."""
    localities = {locality.name: locality for locality in Locality.objects.select_related("district")}
    bases = {base.name: base for base in Base.objects.select_related("district")}
    for row in _read("locality_bases.csv"):
        if row["locality"] == OTHER_LOCALITY:
            if row["base"]:
                raise ValueError(f"locality_bases.csv: Other in {row['district']} cannot name a base")
            continue
        locality = localities[row["locality"]]
        base = bases[row["base"]]
        if not (locality.district and locality.district.name == row["district"] == base.district.name):
            raise ValueError(f"locality_bases.csv: {row['locality']} and {row['base']} must be in {row['district']}")
        _upsert(Locality, report, {"name": locality.name}, {"base_id": base.pk})
