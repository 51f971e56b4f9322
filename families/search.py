"""Find a family: by a household member's name, a date of birth, a phone number, a postcode or a reference.

Household core: imports nothing built on families. Referral references and phone numbers are reached through
the reverse relation ``referrals`` by name, so the referrals app is never imported.

Every search is ``families.selectors.family_list`` narrowed: a worker finds only the families allocated to them,
a manager only their bases' families, and a restricted family only someone named on it (``families.access``).

On PostgreSQL names match by trigram similarity (``pg_trgm``: one or two typos, a name inside a hyphenated
one), through the GIN trigram indexes on ``families_person.first_name_key`` and ``last_name_key`` (migration
0009); elsewhere (the SQLite default) a name matches exactly, by its start, or inside a longer name. Keys are
lower case, accents folded, letters only (``families.rules.name_key``), so "Zoë O'Brien-Smith" is "zoe
obriensmith" either way. The best match comes first: exact names before near ones, more of the words matched
before fewer.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Replace
from django.utils import timezone

from ecfs.roles import Role, has_role

from .access import family_scope
from .models import Family, Person
from .rules import name_key
from .selectors import family_list
from .validators import _POSTCODE, normalise_postcode

MAX_QUERY_LENGTH = 100
MAX_NAME_WORDS = 4
MIN_PHONE_DIGITS = 10

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
_INWARD_START = re.compile(r"^[0-9][A-Z]{0,2}$")
_PHONE = re.compile(r"^[+()\d\s.\-]+$")
_REFERENCE = re.compile(r"^(ECFS|REF)?[\s\-]?(\d{1,9})$")


@dataclass
class SearchTerms:
    """What the words typed could be. A query can be several at once ("NR3" is a postcode district)."""

    text: str
    names: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    postcode: str = ""
    postcode_prefixes: list[str] = field(default_factory=list)
    phone: str = ""
    family_references: list[str] = field(default_factory=list)
    referral_references: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.names
            or self.dates
            or self.postcode
            or self.postcode_prefixes
            or self.phone
            or self.family_references
            or self.referral_references
        )


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_dates(text: str) -> list[date]:
    """A date of birth as people type it: UK day first (``3/4/2024``, ``03-04-2024``, ``3.4.24``) or ISO."""
    if match := _ISO.match(text):
        found = _date(int(match[1]), int(match[2]), int(match[3]))
        return [found] if found else []
    if match := _DAY_FIRST.match(text):
        year = int(match[3])
        if len(match[3]) == 2:  # 24 is 2024; 85 is 1985 (nobody is born in the future)
            year += 2000 if year <= timezone.localdate().year % 100 else 1900
        found = _date(year, int(match[2]), int(match[1]))
        return [found] if found else []
    return []


def _postcode_terms(text: str) -> tuple[str, list[str]]:
    """A full postcode (any spacing) or the start of one: ``NR30``, ``nr30 1``, ``NR301``."""
    upper = " ".join(text.upper().split())
    compact = upper.replace(" ", "")
    if not compact or not compact[0].isalpha() or not any(c.isdigit() for c in compact) or len(compact) > 7:
        return "", []
    full = normalise_postcode(compact)
    if len(compact) >= 5 and _POSTCODE.match(full):
        return full, []
    prefixes = []
    if " " in upper:
        outward, _, inward = upper.partition(" ")
        if _OUTWARD.match(outward) and _INWARD_START.match(inward):
            prefixes.append(f"{outward} {inward}")
    else:
        if _OUTWARD.match(compact):
            prefixes.append(f"{compact} ")
        for split in range(2, len(compact)):
            outward, inward = compact[:split], compact[split:]
            if _OUTWARD.match(outward) and _INWARD_START.match(inward):
                prefixes.append(f"{outward} {inward}")
    return "", prefixes


def parse(query: str) -> SearchTerms:
    text = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    terms = SearchTerms(text=text)
    if not text:
        return terms
    terms.dates = parse_dates(text)
    if terms.dates:
        return terms
    if match := _REFERENCE.match(text.upper()):
        number = int(match[2])
        if match[1] != "REF":
            terms.family_references.append(f"ECFS-{number:06d}")
        if match[1] != "ECFS":
            terms.referral_references.append(f"REF-{number:06d}")
    digits = re.sub(r"\D", "", text)
    if _PHONE.match(text) and len(digits) >= MIN_PHONE_DIGITS:
        terms.phone = digits[-MIN_PHONE_DIGITS:]  # 07700 900123 and +44 7700 900123 end the same
        return terms
    terms.postcode, terms.postcode_prefixes = _postcode_terms(text)
    words = [name_key(word) for word in re.split(r"[\s,]+", text) if not any(c.isdigit() for c in word)]
    terms.names = [word for word in words if len(word) >= 2][:MAX_NAME_WORDS]
    return terms


# Name matching -----------------------------------------------------------------------------------------


class _Operator(Func):
    """``left <op> right`` as a condition (pg_trgm's ``%`` and ``<%``, which the GIN trigram indexes serve)."""

    output_field = BooleanField()
    conditional = True
    template = "(%(expressions)s)"

    def __init__(self, left, operator: str, right):
        self.arg_joiner = f" {operator} "
        super().__init__(left, right)


def _trigram_similar(column: str, word: str) -> _Operator:
    return _Operator(F(column), "%%", Value(word))  # similarity ≥ pg_trgm.similarity_threshold (0.3)


def _trigram_word_similar(column: str, word: str) -> _Operator:
    # word_similarity ≥ 0.6: "smith" inside "howessmith". Written ``column %> word`` (not ``word <% column``, the
    # same thing) so PostgreSQL sees the condition is the index's own and rechecks it once, not again as a filter.
    return _Operator(F(column), "%%>", Value(word))


class _Similarity(Func):
    function = "SIMILARITY"
    output_field = FloatField()


class _WordSimilarity(Func):
    function = "WORD_SIMILARITY"
    output_field = FloatField()


KEYS = ("first_name_key", "last_name_key")


def _word_matches(word: str, postgres: bool) -> Q:
    """A person one of whose names is this word, or near it."""
    match = Q()
    for key in KEYS:
        if postgres and len(word) >= 3:
            # Similar (a typo or two), or the word inside the name (its start, part of a hyphenated name): both
            # cover the exact name, and both are answered by the GIN trigram index.
            match |= Q(_trigram_similar(key, word)) | Q(_trigram_word_similar(key, word))
        else:
            match |= Q(**{f"{key}__startswith": word})
            if len(word) >= 3:
                match |= Q(**{f"{key}__contains": word})
    return match


def _word_score(word: str, postgres: bool):
    """How well a person's names match one word: 2 for an exact name, then the closeness (0 to 1)."""
    exact = Case(When(Q(first_name_key=word) | Q(last_name_key=word), then=Value(2.0)), default=Value(0.0))
    if postgres:
        near = Greatest(
            *(_Similarity(F(key), Value(word)) for key in KEYS),
            *(_WordSimilarity(Value(word), F(key)) * Value(0.9) for key in KEYS),
        )
    else:
        near = Case(
            When(Q(first_name_key__startswith=word) | Q(last_name_key__startswith=word), then=Value(0.8)),
            When(Q(first_name_key__contains=word) | Q(last_name_key__contains=word), then=Value(0.5)),
            default=Value(0.0),
        )
    return exact + near


def _people_named(words: list[str], postgres: bool) -> tuple[QuerySet[Person], object]:
    """People whose names match every word (a full name matches one person), and the score of each."""
    people = Person.objects.all()
    score = Value(0.0)
    for word in words:
        people = people.filter(_word_matches(word, postgres))
        score = score + _word_score(word, postgres)
    return people, score


def _digits(expression):
    for character in (" ", "-", "(", ")", ".", "+"):
        expression = Replace(expression, Value(character), Value(""))
    return expression


def _phone_match(digits: str) -> Q:
    """Families referred with this phone number (the referrer's: the family's own when they referred themselves)."""
    with_number = (
        Family.objects.filter(referrals__referrer_phone__contains=digits[-4:])
        .annotate(phone_digits=_digits(F("referrals__referrer_phone")))
        .filter(phone_digits__endswith=digits)
    )
    return Q(pk__in=with_number.values("pk"))


EXACT_SCORE = 10.0  # a reference, postcode, date of birth or phone number: every family found matches exactly


class SearchResults:
    """The families found, best first. ``page`` reads one page of matching family ids with their scores and the
    number of them all (a window count: one query), then the page's families by id (with ``prefetch``)."""

    def __init__(self, rows: QuerySet, *, prefetch=()):
        self.rows = rows  # values: family_id, score; ordered best first
        self.prefetch = prefetch

    def page(self, number, per_page: int) -> Page:
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        rows, total = self._rows(number, per_page)
        if not rows and total:  # past the last page: show the last
            number = -(-total // per_page)
            rows, total = self._rows(number, per_page)
        families = Family.objects.select_related("district").prefetch_related(*self.prefetch)
        by_id = families.in_bulk([row["family_id"] for row in rows]) if rows else {}
        found = []
        for row in rows:
            family = by_id[row["family_id"]]
            family.search_score = row["score"]
            found.append(family)
        return Page(found, number, Paginator(_Counted(total), per_page))

    def _rows(self, number: int, per_page: int) -> tuple[list[dict], int]:
        start = (number - 1) * per_page
        rows = list(self.rows.annotate(total=Window(Count("*")))[start : start + per_page])
        if rows:
            return rows, rows[0]["total"]
        return [], (self.rows.count() if number > 1 else 0)


class _Counted:
    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total


def _exact_rows(user, terms: SearchTerms) -> QuerySet:
    exact = Q()
    if terms.family_references:
        exact |= Q(reference__in=terms.family_references)
    if terms.referral_references:
        exact |= Q(pk__in=Family.objects.filter(referrals__reference__in=terms.referral_references).values("pk"))
    if terms.dates:
        born = Q(date_of_birth__in=terms.dates) | Q(expected_date__in=terms.dates)
        exact |= Q(pk__in=Person.objects.filter(born).values("family_id"))
    if terms.postcode:
        exact |= Q(postcode=terms.postcode)
    for prefix in terms.postcode_prefixes:
        exact |= Q(postcode__startswith=prefix)
    if terms.phone:
        exact |= _phone_match(terms.phone)
    return (
        family_list(user=user)
        .filter(exact)
        .annotate(family_id=F("pk"), score=Value(EXACT_SCORE))
        .values("family_id", "score")
        .order_by("reference")
    )


def _named_in_scope(user, words: list[str]) -> QuerySet[Person]:
    """A manager's search on PostgreSQL: the people of their bases' families whose names match every word.

    A manager's scope is a base or two, thousands of people, and a common surname is thousands more across the
    county. Matching each person's names by trigrams (what ``_people_named`` does) costs microseconds a name,
    and whichever way PostgreSQL plans it (every similar name in the county then the scope, or every person in
    the scope then the names) it works out thousands of similarities: 80-130 ms on county-scale data. Here the
    scope's family ids are worked out once (``ARRAY(SELECT …)``), the distinct names in it (a few hundred, not
    thousands of people: ``OFFSET 0`` keeps PostgreSQL from matching before ``DISTINCT``) are matched by
    trigrams, and the people are found by those names exactly (docs/performance.md, "Search"). The plan does
    not depend on the table statistics: with them, PostgreSQL guesses ``family_id = ANY (…)`` finds a few
    dozen people and checks every one's names by trigrams; without, it checks every similar name first.
    """
    scope_sql, scope_params = Family.objects.filter(family_scope(user)).order_by().values("pk").query.sql_with_params()
    in_scope = f"ANY (ARRAY({scope_sql}))"
    # The SQL is Django's own (the scope) and constant column names; the words are parameters.
    in_scope_sql = f'"families_person"."family_id" = {in_scope}'
    people = Person.objects.filter(RawSQL(in_scope_sql, scope_params, output_field=BooleanField()))  # noqa: S611
    for word in words:
        if len(word) < 3:
            people = people.filter(_word_matches(word, postgres=True))
            continue
        # Each name tagged with its kind ("f:kerry", "l:howes"): one pass over the scope's people for both.
        names = f"""ARRAY(SELECT name FROM (
            SELECT DISTINCT UNNEST(ARRAY['f:' || person.first_name_key, 'l:' || person.last_name_key]) AS name
            FROM "families_person" person WHERE person."family_id" = {in_scope} OFFSET 0
        ) AS names WHERE SUBSTR(name, 3) %% %s OR SUBSTR(name, 3) %%> %s)"""  # noqa: S608
        tagged = """ARRAY['f:' || "families_person"."first_name_key", 'l:' || "families_person"."last_name_key"]"""
        matches = RawSQL(f"({tagged} && {names})", [*scope_params, word, word], output_field=BooleanField())  # noqa: S611
        people = people.filter(matches)
    return people


def _name_rows(user, words: list[str]) -> QuerySet:
    """Each family with a person matching the words, and its best person's score, in the user's scope: a
    worker's few dozen families' people are matched one by one (joined by ``family_id``); a manager's by the
    distinct names in their bases (``_named_in_scope``)."""
    postgres = connection.vendor == "postgresql"
    people, score = _people_named(words, postgres)
    if postgres and has_role(user, Role.MANAGER):
        people = _named_in_scope(user, words)
    else:
        people = people.filter(family_scope(user, via="family"))
    return people.values("family_id").annotate(score=Max(score)).order_by("-score", "family_id")


def family_search(*, user, query: str, prefetch=()) -> tuple[SearchTerms, SearchResults]:
    """The families ``user`` may see that match ``query``, best first (``search_score``).

    A query with digits in it is a date of birth, a postcode (or its start), a phone number or a reference, and
    finds exact matches, by reference; one without is names, and finds people by every word, best first.
    """
    terms = parse(query)
    if terms.empty:
        return terms, SearchResults(Family.objects.none().values("pk"), prefetch=prefetch)
    exact = terms.dates or terms.postcode or terms.postcode_prefixes or terms.phone or terms.family_references
    if exact or terms.referral_references:
        return terms, SearchResults(_exact_rows(user, terms), prefetch=prefetch)
    return terms, SearchResults(_name_rows(user, terms.names), prefetch=prefetch)
