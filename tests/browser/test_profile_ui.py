"""The region's procedure profile in a real Chromium: from the menu, a bad value refused in Russian, the
Kalmykia preset with one button, the difference marked and the history listed."""

from __future__ import annotations

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_profile_page_preset_and_refusal(page_for, live_region):
    page = page_for("minobr")
    page.click("nav.sidenav >> text=Региональный профиль порядка")
    page.wait_for_selector("h1:has-text('Региональный профиль порядка')")
    assert page.locator("text=Все значения — по умолчанию").count() == 1
    page.fill("#id_delivery_max_days", "99")
    page.click("#profile-form button:has-text('Сохранить')")
    page.wait_for_selector("text=Профиль не сохранен")
    assert page.locator("#delivery_max_days_errors").inner_text().endswith("вне допустимого диапазона 1–30.")
    page.click("button:has-text('Загрузить образец «Калмыкия (план-график 2023/24)»')")
    page.wait_for_selector("text=Загружен образец")
    assert page.locator("#id_originals_holder").input_value() == "mouo"
    assert page.locator("tr.differs").count() == 1
    assert "Калмыкия (план-график 2023/24)" in page.locator("#history").inner_text()
    screenshot(page, "procedure-profile")
