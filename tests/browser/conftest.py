"""Fixtures for the browser tests: one headless Debian Chromium per session, a fresh context per test.

Run them alone with ``pytest -m browser`` (or ``pytest tests/browser``); leave them out with
``pytest -m "not browser"``. They need ``/usr/bin/chromium`` (never ``playwright install``) and the built
front end (``npm run build``): without Chromium they are skipped with the reason printed.

The fixtures are deliberately not called ``browser``/``context``/``page``, so they never clash with the
pytest-playwright plugin when it happens to be installed.
"""

import os
from pathlib import Path

import factory.random
import pytest

from tests.conftest import build_cast

from . import AXE_SOURCE, ROOT

# Playwright's sync API runs an asyncio event loop in this thread, so Django would refuse the ORM calls the
# tests make to set up data ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium, shared by the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    missing = [p for p in (AXE_SOURCE, ROOT / "static" / "build" / "application.css") if not p.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(map(str, missing))}: run `npm ci && npm run build` first")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def tab(chromium, live_server):
    """A page in a fresh browser context (no cookies), 1280 × 900, whose relative URLs go to the live server."""
    context = chromium.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(3_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def cast(reference_data):
    """The shared cast of tests/conftest.py, built after the reference data (live_server flushes the database).

    Faker is reseeded first, so the people in the screenshots have the same names on every run.
    """
    factory.random.reseed_random("ecfs-browser-tests")
    return build_cast()
