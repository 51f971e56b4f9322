"""Small screens: at 375 px (a phone) and 768 px (a tablet) the pages workers use out and about never scroll
sideways. Wide tables scroll inside their own box instead."""

import pytest

from tests.families.factories import home_visit
from tests.support_fund.factories import family_in_support
from tests.venues.factories import add_parents, course, enrolled, parent_of, past_sessions

from . import assert_no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (375, 768)


def test_caseload_family_record_and_register_fit_phones_and_tablets(tab, cast):
    family = family_in_support(cast)
    home_visit(family=family, worker=cast.worker, concern=True, notes="A long note " * 40)
    carers = [parent_of(family), *add_parents(family, 2, actor=cast.worker)]
    group = course(cast=cast)
    enrolled(group, carers, actor=cast.worker)
    session = past_sessions(group)[0]
    sign_in(tab, cast.worker)

    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 800})
        for path in ("/families/", f"/families/{family.reference}/", f"/groups/sessions/{session.uuid}/register/"):
            tab.goto(path)
            assert_no_horizontal_scroll(tab)
