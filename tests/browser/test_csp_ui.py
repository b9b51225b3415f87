"""The pages work under the Content-Security-Policy and the browser reports no violation."""

from __future__ import annotations

import pytest

from itog.plans.models import Plan
from tests.plans.fixtures import import_seed

from .conftest import screenshot

pytestmark = pytest.mark.browser

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def watch(page):
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(COLLECT)
    return console


def violations(page, console) -> list[str]:
    return list(page.evaluate("window.__csp || []")) + console


def test_pages_work_without_csp_violations(page_for, live_server, live_region):
    plan = import_seed(live_region, "001")
    page = page_for("minobr")
    console = watch(page)
    response = page.goto(f"{live_server.url}/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp

    # the timeline: bar positions and widths come from data-* attributes through itog.js
    page.goto(f"{live_server.url}/plans/{plan.pk}/timeline/")
    bar = page.locator(".gantt-bar").first
    assert bar.evaluate("e => parseFloat(getComputedStyle(e).width)") > 0
    assert page.locator(".gantt-track").first.evaluate("e => e.style.width").endswith("px")
    assert page.locator(".gantt").evaluate("e => e.style.getPropertyValue('--month-px')").endswith("px")
    # a select that submits its form on change (was an inline onchange handler)
    section = page.locator("select[name=section] option").nth(1).get_attribute("value")
    page.select_option("select[name=section]", section)
    page.wait_for_url("**/timeline/?*section=*")
    screenshot(page, "csp-timeline")

    page.goto(f"{live_server.url}/plans/{plan.pk}/monitoring/")
    widths = page.locator(".progress span").evaluate_all("els => els.map(e => e.style.width)")
    assert widths and all(w.endswith("%") for w in widths)

    # htmx: the student search swaps the table without a reload
    page.goto(f"{live_server.url}/students/")
    page.evaluate("window.__marker = 1")
    page.fill("input[name=q]", "Ив")
    page.wait_for_timeout(800)
    assert page.evaluate("window.__marker") == 1

    page.goto(f"{live_server.url}/audit/")
    page.goto(f"{live_server.url}/account/")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .information-container").wait_for()
    assert violations(page, console) == []
    assert Plan.objects.filter(pk=plan.pk).exists()
