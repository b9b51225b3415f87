"""Results analytics in a real Chromium: region → municipality → school by HTMX drill-down, a filter, the
risk zones, and the DOCX report downloaded and opened."""

from __future__ import annotations

import pytest

from itog.analytics.demo import load_demo_history
from tests.conduct.fixtures import finished_session

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_drill_down_and_docx(page_for, live_server, live_region):
    region = live_region
    finished_session(region, fail_rate=0.2)  # publication → the aggregates (signal, after commit)
    load_demo_history(region.ministry, 2025, progress=lambda *a: None)
    page = page_for("minobr")
    page.click("nav.sidenav >> text=Аналитика результатов")
    page.wait_for_selector("#units")
    assert page.locator("#units svg").count() == 1  # the chart beside the table
    page.click(f"#units a.drill:has-text('{region.mouo1.display_name}')")
    page.wait_for_selector(f"#crumbs:has-text('{region.mouo1.display_name}')")
    assert "org=" in page.url  # HTMX pushed the drill-down into the address
    page.click(f"#units a.drill:has-text('{region.school1.display_name}')")
    page.wait_for_selector(f"h1:has-text('{region.school1.display_name}')")
    assert page.locator("#criteria").is_visible() and page.locator("#units").count() == 0
    # a filter answers through HTMX without reloading the page
    page.select_option("#f-year", "2024/25")
    page.wait_for_url("**year=2024%2F25**")
    page.wait_for_selector("#criteria td:has-text('K2')")
    screenshot(page, "analytics-school")
    with page.expect_download() as info:
        page.click("#report-docx")
    download = info.value
    from docx import Document

    doc = Document(str(download.path()))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Участие" in headings and "6. Выводы и предложения" in headings
    assert region.school1.display_name in doc.paragraphs[1].text
    assert len(doc.inline_shapes) >= 2
    page.click("nav.tabs >> text=Зоны риска")
    page.wait_for_selector("#risks")
