"""Browser tests: real pages in Debian's Chromium through Playwright, against pytest-django's live server.

Helpers shared by the test modules live here (fixtures live in ``conftest.py``):

- ``sign_in(page, user)`` signs in through the real sign-in form (and types a real two-factor code when the
  user's role needs one);
- ``assert_accessible(page)`` runs axe-core (WCAG 2.0/2.1/2.2 A and AA) and fails on any violation;
- ``assert_no_horizontal_scroll(page)``;
- ``screenshot(page, name)`` writes ``docs/screenshots/<name>.png``.
"""

import re
from functools import cache
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


def sign_in(page: Page, user, *, password: str = TEST_PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would, and wait for the landing page.

    A user who needs two-factor gets an authenticator app (a confirmed TOTP device) if they have none, and the
    code it shows now is typed on the code page, exactly as a person would.
    """
    from tests.conftest import authenticator_of, needs_two_factor, totp_code

    device = authenticator_of(user) if needs_two_factor(user) else None
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
        page.get_by_label("Code from your authenticator app").fill(totp_code(device))
        page.get_by_role("button", name="Continue").click()
        expect(page).not_to_have_url(re.compile(r"/sign-in/"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def _inject_axe(page: Page) -> None:
    """Put axe-core into the page.

    ``page.add_script_tag`` adds an inline ``<script>``, which the service's Content Security Policy
    (``script-src 'self'``) refuses, so the source is evaluated through the DevTools protocol instead, which
    the page's policy does not govern and which leaves no CSP report in the console.
    """
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(f"() => {{ {_axe_source()} }}")
    assert page.evaluate("typeof window.axe") == "object", "axe-core could not be injected into the page"


@cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def on_loaded_page(page: Page, read):
    """``read(page)`` once the page has loaded.

    A link clicked just before may still be navigating: the document a script started on is then torn down
    under it. The read is repeated on the page that has loaded instead (at most three tries; any other error,
    or a third navigation, is raised).
    """
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            return read(page)
        except PlaywrightError as error:
            if attempt == 2 or not _NAVIGATED.search(str(error)):
                raise
    raise AssertionError("unreachable")


_NAVIGATED = re.compile(r"Execution context was destroyed|reading 'documentElement'|navigat", re.IGNORECASE)


def axe_violations(page: Page) -> list[dict]:
    def run(page):
        _inject_axe(page)
        return page.evaluate(_AXE_RUN, AXE_TAGS)

    return on_loaded_page(page, run)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No axe-core violation of WCAG 2.0, 2.1 and 2.2 levels A and AA on the page as it is now."""
    violations = axe_violations(page)
    if violations:
        report = format_violations(page.url, violations)
        print(report)
        raise AssertionError(report)


_WIDTHS = """() => {
  const inner = window.innerWidth;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > inner + 1 && !clipped(el))
    .filter((el, _, all) => !all.includes(el.parentElement));
  return {scroll: document.documentElement.scrollWidth, inner: inner, wide: wide.slice(0, 5).map(name)};
}"""


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page fits the viewport's width: nothing makes the whole page scroll sideways."""
    widths = on_loaded_page(page, lambda page: page.evaluate(_WIDTHS))
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways at {widths['inner']}px: the page is {widths['scroll']}px wide "
        f"(outermost elements past the edge: {', '.join(widths['wide']) or 'none found'})"
    )


def screenshot(page: Page, name: str) -> None:
    """A full-page PNG of the page in docs/screenshots/, replacing the previous run's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, animations="disabled", caret="hide")


def focused(page: Page) -> dict:
    """The focused element (tag, type, id, name, checked, text, label) and whether its focus style shows.

    GOV.UK focus styles: links and buttons get a yellow background and a black box-shadow, text inputs a
    yellow outline and a box-shadow; radios and checkboxes are drawn by their label's ``::before``, which
    gets a yellow box-shadow ring (the real input is transparent).
    """
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return {tag: "body", focusVisible: false};
          const drawnByLabel = el.matches("input[type=radio], input[type=checkbox]") && el.labels.length;
          const style = drawnByLabel ? getComputedStyle(el.labels[0], "::before") : getComputedStyle(el);
          const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
            && style.outlineColor !== "rgba(0, 0, 0, 0)" && style.outlineColor !== "transparent";
          const boxShadow = style.boxShadow !== "none";
          // Focus inside a native control's own parts (the clock button of <input type=time>): the browser
          // draws that focus ring itself, and the input does not match :focus, so its GOV.UK style is off.
          const inNativePart = el.matches(":focus-within") && !el.matches(":focus");
          return {
            tag: el.tagName.toLowerCase(),
            type: el.getAttribute("type") || "",
            id: el.id,
            name: el.getAttribute("name") || "",
            classes: String(el.className || ""),
            checked: !!el.checked,
            text: (el.innerText || el.value || "").trim().slice(0, 80),
            label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : "",
            outline: outline,
            boxShadow: boxShadow,
            inNativePart: inNativePart,
            focusVisible: outline || boxShadow,
          };
        }"""
    )
