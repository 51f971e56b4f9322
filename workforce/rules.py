"""The workforce's fixed rules, in one place (README "Workforce"): how long mandatory training lasts, how often the
service re-checks a member of staff's background (DBS), and when supervision or training needs a manager's eye.

Change a number here and every page, flag and return figure follows it: the training defaults apply to records
entered after the change (each record keeps the expiry date it was saved with).
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import models


class Course(models.TextChoices):
    """The mandatory training every member of staff in post holds."""

    SAFEGUARDING = "safeguarding", "Safeguarding children"
    DATA_PROTECTION = "data_protection", "Data protection"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse awareness"


# How long a course lasts when its expiry date is not entered: the expiry date is the completion date plus these
# years (safeguarding and domestic abuse awareness every 3 years, data protection every year).
COURSE_YEARS = {
    Course.SAFEGUARDING: 3,
    Course.DATA_PROTECTION: 1,
    Course.DOMESTIC_ABUSE: 3,
}
# The service re-checks each member of staff's background (an enhanced DBS check) every 3 years.
DBS_RENEWAL_YEARS = 3
# Supervision is due every six weeks: a session on or after the day six weeks (42 days) before counts.
SUPERVISION_INTERVAL = timedelta(weeks=6)
# The manager's landing page flags training that expires within the next 30 days.
TRAINING_WARNING = timedelta(days=30)


def default_expiry(course: str, completed_on: date) -> date:
    return completed_on + relativedelta(years=COURSE_YEARS[Course(course)])


def dbs_renewal_due(checked_on: date) -> date:
    return checked_on + relativedelta(years=DBS_RENEWAL_YEARS)


def training_current(*, completed_on: date | None, expires_on: date | None, on: date) -> bool:
    """Current on a day: completed on or before it and expiring after it (it lapses on its expiry date)."""
    return completed_on is not None and expires_on is not None and completed_on <= on < expires_on


def dbs_current(checked_on: date | None, on: date) -> bool:
    """A DBS check is current for three years: on a day, checked on or before it and renewal not yet due."""
    return checked_on is not None and checked_on <= on < dbs_renewal_due(checked_on)


def supervised_within(last_session: date | None, on: date) -> bool:
    """Supervised within six weeks of a day: a session on that day or in the 42 days before it."""
    return last_session is not None and on - SUPERVISION_INTERVAL <= last_session <= on
