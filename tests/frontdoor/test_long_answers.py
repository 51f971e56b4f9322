"""Long answers without spaces (a pasted link, a name typed without a break) wrap on *Check your answers*
instead of pushing the page sideways on a phone: at 320 px the page was 23,157 px wide before."""

import re

import pytest
from django.core.cache import cache

from .journeys import answer_all, check_url, family_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_every_question_and_answer_on_check_your_answers_may_break_inside_a_word(client, cast):
    answers = family_answers(cast.team)
    answers["children"]["child_first_name"] = "Ó" * 100
    answers["help"]["reason_details"] = "https://example.com/" + "x" * 1900
    answer_all(client, "family", answers)
    html = client.get(check_url("family")).content.decode()
    cells = re.findall(r'<(dt|dd) class="govuk-summary-list__(key|value)([^"]*)"', html)
    assert cells, "no summary list on the page"
    assert all("govuk-!-text-break-word" in classes for _, _, classes in cells), cells
    assert "Ó" * 100 in html and "x" * 1900 in html
