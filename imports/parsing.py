"""Reading an import file (docs/import-format.md): UTF-8 CSV, the header's columns, and one dict per row with its
line number. Problems with the file, the header or the shape of a line are reported here; the cells are checked in
``imports.checks``."""

import csv
import io

from .report import RowError

MAX_CHILDREN = 4
MAX_PARENTS = 2
PERSON_COLUMNS = ("first_name", "last_name", "dob")
# A child's funded early education (optional): eligible for a funded 2-year-old place (yes/no), taking up a funded
# place since (a date), the setting's name.
EARLY_EDUCATION_COLUMNS = ("eligible_2yo", "funded_place_started", "funded_place_setting")
REQUIRED_COLUMNS = (
    "previous_provider",
    "previous_id",
    "address_line_1",
    "town",
    "postcode",
    "district",
    "locality",
    "base",
    "referral_received",
    "referral_source",
    "reasons",
    "consent_given",
    "consent_date",
    "safe_contact_only",
    "withheld_address",
    "safeguarding_note",
    "worker_email",
    "plan_kind",
    "plan_goals",
    "parent1_first_name",
    "parent1_last_name",
    "child1_first_name",
    "child1_last_name",
    "child1_dob",
)
OPTIONAL_COLUMNS = (
    "address_line_2",
    "referrer_name",
    "consent_given_by",
    "safe_contact_notes",
    "first_contact_date",
    "assessment_agreed_on",
    *(f"parent{n}_{part}" for n in range(1, MAX_PARENTS + 1) for part in (*PERSON_COLUMNS, "relationship")),
    *(f"child{n}_{part}" for n in range(2, MAX_CHILDREN + 1) for part in PERSON_COLUMNS),
    *(f"child{n}_{part}" for n in range(1, MAX_CHILDREN + 1) for part in EARLY_EDUCATION_COLUMNS),
    "unborn1_first_name",
    "unborn1_last_name",
    "unborn1_due_date",
)
KNOWN_COLUMNS = frozenset(REQUIRED_COLUMNS) | frozenset(OPTIONAL_COLUMNS)

Rows = list[tuple[int, dict]]
NUL = "\x00"
NUL_MESSAGE = "This line holds a null character (\\0), which cannot be saved: remove it and save the file again"


def read_csv(data: bytes) -> tuple[Rows, list[RowError]]:
    """(line, row) pairs, each row holding the known columns only, and the problems with the file, its header or
    the shape of a line."""
    errors: list[RowError] = []
    reader = _reader(data, errors)
    header = _read_header(reader, errors) if reader else None
    if header is None:
        return [], errors
    _check_header(header, errors)
    rows = _read_rows(reader, header, errors)
    if not rows and not errors:
        errors.append(RowError(2, "", "The file has a header but no rows"))
    return rows, errors


def _reader(data: bytes, errors: list[RowError]):
    """A CSV reader over the text, or None when the file is not UTF-8 (a byte-order mark is allowed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.append(RowError(1, "", "The file is not UTF-8 text: save it as “CSV UTF-8” and try again"))
        return None
    if NUL in text:
        # The database cannot hold it (in a family's details or in this report), so the file is refused here.
        errors.extend(
            RowError(line, "", NUL_MESSAGE) for line, content in enumerate(text.split("\n"), start=1) if NUL in content
        )
        return None
    return csv.reader(io.StringIO(text, newline=""))


def _read_header(reader, errors: list[RowError]) -> list[str] | None:
    """The column names, stripped and lower-cased; None when there is no readable first line."""
    try:
        return [name.strip().lower() for name in next(reader)]
    except StopIteration:
        errors.append(RowError(1, "", "The file is empty"))
    except csv.Error as error:
        errors.append(RowError(1, "", f"The file is not readable as CSV ({error})"))
    return None


def _check_header(header: list[str], errors: list[RowError]) -> None:
    """Each column once, every column known, every required column present."""
    seen = set()
    for name in header:
        if name in seen:
            errors.append(RowError(1, name, "This column appears twice"))
        elif name and name not in KNOWN_COLUMNS:
            errors.append(RowError(1, name, "Unknown column (see docs/import-format.md)"))
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            errors.append(RowError(1, name, "This column is missing"))


def _read_rows(reader, header: list[str], errors: list[RowError]) -> Rows:
    """Every non-blank line after the header; reading stops at a line that is not CSV."""
    rows = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(RowError(line, "", f"This line is not readable as CSV ({error})"))
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            errors.append(RowError(line, "", "This line has more cells than the header has columns"))
            continue
        rows.append((line, {name: value for name, value in zip(header, cells, strict=False) if name in KNOWN_COLUMNS}))
    return rows
