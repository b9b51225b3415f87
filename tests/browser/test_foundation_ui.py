"""The foundation UI in a real Chromium: scope per role, HTMX search, inline room editing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from itog.orgs.models import Place, PlaceKind, Room
from itog.people.models import Student

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_school_operator_sees_only_own_school(page_for, live_server, live_region):
    page = page_for("school")
    assert page.locator("h1").inner_text().startswith("Здравствуйте")
    assert live_region.school1.display_name in page.locator(".roles-line").inner_text()
    nav = page.locator(".sidenav").inner_text()
    assert "Обучающиеся" in nav and "Журнал аудита" not in nav and "Словарь участников" not in nav
    screenshot(page, "school-home")

    page.click("text=Организации")
    page.wait_for_url("**/orgs/")
    rows = page.locator("#org-table tbody tr")
    assert rows.count() == 1 and live_region.school1.code in rows.first.inner_text()

    page.goto(f"{live_server.url}/orgs/{live_region.school2.pk}/")
    assert "Страница не найдена" in page.locator("main").inner_text()


def test_htmx_student_search_filters_without_reload(page_for, live_region):
    page = page_for("school")
    page.click("nav >> text=Обучающиеся")
    target = Student.objects.filter(school=live_region.school1).order_by("last_name").last()
    total = page.locator("#students tbody tr").count()
    assert total > 1
    page.evaluate("window.__marker = 1")
    page.fill("#q", target.last_name)
    # a locator wait: wait_for_function with a bare expression is an eval the CSP forbids (unsafe-eval)
    expect(page.locator("#students tbody tr")).not_to_have_count(total)
    assert target.last_name in page.locator("#students").inner_text()
    assert page.evaluate("window.__marker") == 1, "results came by HTMX, the page was not reloaded"
    assert f"q={target.last_name}" in page.url or "q=" in page.url


def test_room_added_inline_with_field_errors(page_for, live_server, live_region):
    place = Place.objects.get(organization=live_region.school1, kind=PlaceKind.VENUE)
    existing = Room.objects.filter(place=place).first()
    page = page_for("school")
    page.goto(f"{live_server.url}/places/{place.pk}/")
    page.evaluate("window.__marker = 1")
    page.fill("#rooms input[name=number]", existing.number)
    page.fill("#rooms input[name=capacity]", "15")
    page.click("text=Добавить аудиторию")
    error = page.locator("#id_number_errors")
    error.wait_for()
    assert f"Аудитория № {existing.number} уже есть в этом месте." in error.inner_text()
    page.fill("#rooms input[name=number]", "777")
    page.fill("#rooms input[name=capacity]", "18")
    page.click("text=Добавить аудиторию")
    page.locator("#rooms tbody tr", has_text="777").wait_for()
    assert page.evaluate("window.__marker") == 1
    assert Room.objects.get(place=place, number="777").capacity == 18
    screenshot(page, "place-rooms")


def test_ministry_dashboard_and_audit(page_for, live_server, live_region):
    page = page_for("minobr")
    text = page.locator("main").inner_text()
    assert "Муниципалитеты региона" in text and live_region.mouo2.display_name in text
    screenshot(page, "ministry-home")
    page.click("nav >> text=Организации")
    page.wait_for_url("**/orgs/")
    # a click only waits for the navigation to start: wait for the new page's rows
    page.locator("#org-table tbody tr").nth(20).wait_for()
    screenshot(page, "ministry-orgs")
    page.click("nav >> text=Журнал аудита")
    page.click("text=Входы и выгрузки")
    expect(page.locator("table")).to_contain_text("Вход в систему")
    screenshot(page, "ministry-audit")


def test_mobile_layout(page_for, live_region):
    page = page_for("mouo", viewport={"width": 390, "height": 844})
    screenshot(page, "mouo-mobile")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"
