"""Fixtures for the browser tests: one headless Debian Chromium per run, a fresh browser context per test.

Run them alone with ``pytest -m browser`` (or ``pytest tests/browser``); leave them out with
``pytest -m "not browser"``. They need ``/usr/bin/chromium`` (never ``playwright install``) and the built
front end (``npm run build``): without Chromium they are skipped with the reason printed.

Playwright's sync API runs an asyncio event loop in the test thread, so the ``chromium`` fixture sets
``DJANGO_ALLOW_ASYNC_UNSAFE=true`` while the browser runs (see its docstring).

The fixtures are deliberately not called ``browser``/``context``/``page``, so they never clash with the
pytest-playwright plugin when it happens to be installed.
"""

from pathlib import Path

import factory.random
import pytest

from tests.conftest import build_cast

from . import AXE_SOURCE, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives real pages in Chromium through Playwright (skipped without /usr/bin/chromium)"
    )


@pytest.fixture(scope="package")
def chromium():
    """Headless Debian Chromium, one for the whole run of the browser tests.

    Package-scoped rather than session-scoped so that it stops as soon as the last browser test is done:
    Playwright's sync API leaves an asyncio event loop marked as running in this thread while it is started,
    so Django refuses ORM calls ("You cannot call this from an async context") unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. That variable is set only while the browser runs, and restored after,
    so the other tests (and the subprocesses they start, e.g. ``manage.py check --deploy``) never see it.
    pytest-django runs all live-server tests together, so this is still one browser per ``pytest`` run.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    missing = [p for p in (AXE_SOURCE, ROOT / "static" / "build" / "application.css") if not p.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(map(str, missing))}: run `npm ci && npm run build` first")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
        finally:
            playwright.stop()


@pytest.fixture
def tab(chromium, live_server):
    """A page in a fresh browser context (no cookies), 1280 × 900, whose relative URLs go to the live server."""
    context = chromium.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []

    def console(message):
        # A form with errors answers 400, a page refused as not yours 404 and an upload too large to take 413, by
        # design; Chromium logs that status for the page itself, which the test checks on its own. Anything else is
        # a problem.
        own_status = message.location.get("url") == page.url and any(
            f"status of {status}" in message.text for status in (400, 404, 413)
        )
        if message.type == "error" and not own_status:
            problems.append(f"{page.url}: console error: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: uncaught {error}"))
    yield page
    context.close()
    # A script that fails, or anything the Content Security Policy refuses, shows up here.
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


@pytest.fixture
def cast(reference_data):
    """The shared cast of tests/conftest.py, built after the reference data (live_server flushes the database).

    Faker is reseeded first, so the people in the screenshots have the same names on every run.
    """
    factory.random.reseed_random("ecfs-browser-tests")
    return build_cast()
