"""Roadmap tracking in a real Chromium: an МОУО operator marks an item done with evidence; the ministry sees it."""

from __future__ import annotations

import pytest

from itog.plans.models import Assignment, Status
from tests.plans.fixtures import import_seed

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_mouo_marks_item_done_and_ministry_sees_it(page_for, live_server, live_region, tmp_path):
    plan = import_seed(live_region, "001")
    own = Assignment.objects.filter(item__plan=plan, organization=live_region.mouo1)
    foreign = Assignment.objects.filter(item__plan=plan, organization=live_region.mouo2).first()

    page = page_for("mouo")
    page.click("nav >> text=Мои мероприятия")
    page.wait_for_url("**/my/")
    text = page.locator("main").inner_text()
    assert "Мои мероприятия" in text
    # the seed roadmap is of the 2023/24 campaign: shown on request, not among the current ones
    assert "планов текущей кампании" in text and not page.locator("main table a").count()
    page.click("text=Показать и прошлые годы")
    page.locator("text=Только текущие").wait_for()
    links = page.locator("main table a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links and all(int(h.strip("/").split("/")[-1]) in set(own.values_list("pk", flat=True)) for h in links)
    screenshot(page, "mouo-my-items")

    target = own.filter(item__deadline_raw="ноябрь 2023 года").order_by("item__order").first()
    page.goto(f"{live_server.url}/assignments/{target.pk}/")
    page.select_option("#id_status", "done")
    page.fill("#id_comment", "Приказ МОУО № 45 от 21.11.2023 издан")
    evidence = tmp_path / "prikaz-45.pdf"
    evidence.write_bytes(b"%PDF-1.4 signed")
    page.set_input_files("#id_files", str(evidence))
    page.click("text=Сохранить")
    page.locator("#status", has_text="выполнено").wait_for()
    assert "prikaz-45.pdf" in page.locator("main").inner_text()
    screenshot(page, "mouo-assignment-done")
    target.refresh_from_db()
    assert target.status == Status.DONE

    page.goto(f"{live_server.url}/assignments/{foreign.pk}/")
    assert "Страница не найдена" in page.locator("main").inner_text()

    ministry = page_for("minobr")
    ministry.goto(f"{live_server.url}/plans/{plan.pk}/monitoring/")
    row = ministry.locator("#by-actor tr", has_text=live_region.mouo1.display_name)
    cells = row.locator("td").all_inner_texts()
    assert cells[2].strip() == "1", cells
    screenshot(ministry, "ministry-monitoring")
    ministry.goto(f"{live_server.url}/plans/{plan.pk}/timeline/")
    assert ministry.locator(".gantt-row").count() > 50
    screenshot(ministry, "ministry-timeline")
