"""A headless Debian chromium driven by Selenium through chromedriver, and a fake to point it at.

Without chromium or chromedriver the browser tests skip, saying why; with
``ASSISTANT_FAKE_REQUIRE_BROWSER=1`` (CI sets it) they fail instead, so a CI machine that lost
its browser cannot pass silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant_fake.server import running_server

REQUIRE_BROWSER = os.environ.get("ASSISTANT_FAKE_REQUIRE_BROWSER") == "1"
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB
                  "--window-size=1280,1000")
WAIT_SECONDS = 20  # upper bound for any one thing to appear; passing tests wait far less


def _executable(*candidates: str) -> str | None:
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _unavailable(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"ASSISTANT_FAKE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One chromium for the session, with a fresh profile; each test opens its own pages."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (it is in the test extra)")
    chromium = _executable("chromium", "chromium-browser")
    driver_path = _executable("chromedriver")
    if chromium is None or driver_path is None:
        _unavailable("Debian's chromium and chromedriver are not installed "
                     "(apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    # An explicit browser and driver keep Selenium Manager from looking for (downloading) any.
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(WAIT_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def fake() -> Iterator[str]:
    """A fresh fake on a free port for each test: the dashboard shows everything it holds."""
    with running_server() as url:
        yield url


@pytest.fixture
def client(fake: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake, timeout=10) as http:
        yield http


@pytest.fixture
def wait(browser: Any) -> Callable[[Callable[[Any], Any]], Any]:
    """Waits until ``condition(driver)`` is truthy and answers it (bounded by WAIT_SECONDS)."""
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.support.ui import WebDriverWait

    # A table re-rendered while the condition reads it leaves stale elements: look again.
    ignored = (NoSuchElementException, StaleElementReferenceException)

    def until(condition: Callable[[Any], Any]) -> Any:
        return WebDriverWait(browser, WAIT_SECONDS, poll_frequency=0.05,
                             ignored_exceptions=ignored).until(condition)

    return until


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    return folder
