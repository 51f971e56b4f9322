"""Small screens: at 375 px (a phone) and 768 px (a tablet) the pages workers use out and about never scroll
sideways. Wide tables scroll inside their own box instead."""

import pytest
from playwright.sync_api import expect

from tests.families.factories import home_visit
from tests.support_fund.factories import family_in_support
from tests.venues.factories import add_parents, course, enrolled, parent_of, past_sessions

from . import assert_accessible, assert_no_horizontal_scroll, sign_in

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


ALL_WIDTHS = (1280, 1024, 768, 375)
# Every line box of each table cell's words: a word split across two lines has two boxes for one word.
_BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('.govuk-table__cell')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /\\S+/g;
      let match;
      while ((match = re.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1 && match[0].length < 20) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def test_the_triage_queue_works_at_every_width_and_its_filter_opens_and_closes_by_keyboard(tab, cast):
    """#17 item 6: no sideways page scroll, no word broken mid-word ("Swaf fham"), the table not squeezed
    beside the filter on a laptop, and the filter shown and hidden with the keyboard below 1440 px."""
    from tests.referrals.factories import received_referral

    for _ in range(3):
        received_referral(team=cast.team, actor=cast.worker)
    sign_in(tab, cast.manager)
    for width in ALL_WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto("/referrals/")
        assert_no_horizontal_scroll(tab)
        assert tab.evaluate(_BROKEN_WORDS) == [], width
        assert_accessible(tab)
        filter_panel = tab.locator(".moj-filter-layout__filter")
        expect(filter_panel).to_be_hidden()  # below 1440 px it starts hidden: the table gets the width
        if width >= 1024:
            table_width = tab.locator(".moj-filter-layout__content").bounding_box()["width"]
            assert table_width > 0.6 * min(width, 960), (width, table_width)
        toggle = tab.get_by_role("button", name="Show filter")
        toggle.focus()
        tab.keyboard.press("Enter")
        expect(filter_panel).to_be_visible()
        expect(tab.get_by_label("Status")).to_be_visible()
        if width < 769:  # over the page, with its own close button
            close = tab.get_by_role("button", name="Close")
            close.focus()
            tab.keyboard.press("Enter")
        else:
            tab.get_by_role("button", name="Hide filter").focus()
            tab.keyboard.press("Enter")
        expect(filter_panel).to_be_hidden()


def test_the_family_record_shows_one_part_at_a_time(tab, cast):
    family = family_in_support(cast)
    home_visit(family=family, worker=cast.worker)
    sign_in(tab, cast.worker)
    for width in ALL_WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(f"/families/{family.reference}/")
        assert_no_horizontal_scroll(tab)
        assert_accessible(tab)
        if width >= 641:  # tabs: the overview first, then each part on request
            contacts = tab.get_by_role("heading", name="Recent contacts")
            expect(contacts).to_be_hidden()
            tab.get_by_role("tab", name="Contacts").click()
            expect(contacts).to_be_visible()
