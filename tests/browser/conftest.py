"""Browser tests: Playwright (Python) driving Debian's Chromium, never a downloaded browser.

If Chromium is missing it is installed from Debian packages (we run as root).
Where that is impossible the tests are skipped with a loud reason — except
in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, SMALL, Region, in_ci

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_chromium() -> tuple[str | None, str]:
    path = find_chromium()
    if path:
        return path, ""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("\n*** Chromium not found: installing the Debian package 'chromium' (apt-get) ***", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=False, capture_output=True, text=True
        )
        path = find_chromium()
        if path:
            return path, ""
        return None, f"apt-get install chromium failed: {result.stderr[-500:]}"
    return None, "Chromium is not installed and cannot be installed here (not root or no apt-get)"


@pytest.fixture(scope="session")
def browser():
    path, reason = ensure_chromium()
    if path is None:
        message = f"!!! BROWSER TESTS NOT RUN: {reason} !!!"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--lang=ru-RU",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_region(transactional_db) -> Region:
    from itog.demo.generate import generate

    generate(PASSWORD, seed=7, size=SMALL, progress=lambda *a: None)
    return Region()


@pytest.fixture
def page_for(browser, live_server, live_region):
    """page_for("school") → a logged-in page (through the real log-in form)."""
    contexts = []

    def open_as(username, viewport=None):
        context = browser.new_context(locale="ru-RU", viewport=viewport or {"width": 1366, "height": 860})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
