"""What a ministry user sees: a re-projected plan shows and exports its own dates; «Мои мероприятия»
without templates, old plans and duplicates; cross-plan monitoring with filters and a logged XLSX."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from itog.audit.models import AuditEvent
from itog.plans.models import Assignment
from itog.plans.projection import instantiate, make_template
from itog.plans.tracking import my_items
from tests.plans.fixtures import import_seed

pytestmark = pytest.mark.usefixtures("sync_jobs")


def _projected(region):
    plan = import_seed(region, "000")  # essay plan-schedule, exam day 06.12.2023
    template = make_template(plan, "exam_day", date(2023, 12, 6))
    current = instantiate(template, date(2026, 12, 2))
    return plan, template, current


def test_reprojected_plan_shows_and_exports_its_own_dates(login, region):
    _plan, template, current = _projected(region)
    item = current.items.get(key="7")  # «27.11.2023г. – 28.11.2023г.» in the source document
    assert item.deadline_raw.startswith("27.11.2023")
    assert item.deadline_display == "23.11.2026 – 24.11.2026"
    assert current.year == "2026/27"
    assert template.items.get(key="7").deadline_display == "D−9 … D−8"
    page = html.unescape(login("minobr").get(f"/plans/{current.pk}/").content.decode())
    assert "23.11.2026 – 24.11.2026" in page and "в исходном документе: «27.11.2023г." in page
    for fmt in ("xlsx", "docx"):
        response = login("minobr").get(f"/plans/{current.pk}/export.{fmt}")
        if fmt == "xlsx":
            cells = [
                c
                for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
                for c in row
                if c
            ]
        else:
            from docx import Document

            cells = [c.text for row in Document(io.BytesIO(response.content)).tables[0].rows for c in row.cells]
        assert "23.11.2026 – 24.11.2026" in cells
        assert not any(isinstance(c, str) and "27.11.2023" in c for c in cells)


def test_my_items_show_each_item_once_and_no_templates_or_old_plans(region):
    plan, template, current = _projected(region)
    assert not Assignment.objects.filter(item__plan=template).exists(), "a template is nobody's work"
    assert Assignment.objects.filter(item__plan=current).exists(), "the instance is assigned like its source"
    user = region.user("mouo")
    mine = my_items(user, today=date(2026, 11, 20))
    rows = [a for group in (mine.overdue, mine.this_week, mine.upcoming, mine.ongoing, mine.done) for a in group]
    keys = [a.item.key for a in rows]
    assert rows and len(keys) == len(set(keys)), "one item was shown once per plan copy"
    assert {a.item.plan_id for a in rows} == {current.pk}
    archive = my_items(user, today=date(2026, 11, 20), archive=True)
    plans = {
        a.item.plan_id
        for g in (archive.overdue, archive.upcoming, archive.this_week, archive.ongoing, archive.done)
        for a in g
    }
    assert plans == {plan.pk, current.pk}


def test_monitoring_overview_filters_and_logged_xlsx(login, region, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 11, 20))
    plan, _template, current = _projected(region)
    client = login("minobr")

    def table(url):
        page = html.unescape(client.get(url).content.decode())
        return page.split('id="monitoring-rows"')[1] if 'id="monitoring-rows"' in page else page

    page = html.unescape(client.get("/plans/monitoring/").content.decode())
    assert "Мониторинг исполнения планов" in page
    page = table("/plans/monitoring/")
    # the current campaign by default: the instance's items, not the 2023 source
    assert "2026/27 · " in page and "2023/24 · " not in page
    page = table(f"/plans/monitoring/?plan={plan.pk}")
    assert "2023/24 · " in page and "2026/27 · " not in page
    a = Assignment.objects.filter(item__plan=current).first()
    a.status = "done"
    a.save()
    page = table("/plans/monitoring/?status=done")
    assert page.count('href="/assignments/') == 1
    page = html.unescape(client.get("/plans/monitoring/?year=2023/24&status=overdue").content.decode())
    assert f"Назначений: {Assignment.objects.filter(item__plan=plan).count()}" in page
    response = client.get(f"/plans/monitoring/?plan={current.pk}&export=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == Assignment.objects.filter(item__plan=current).count()
    assert {r[1] for r in rows} == {"2026/27"}
    event = AuditEvent.objects.filter(kind="export").latest("pk")
    assert "Мониторинг" in event.description and str(len(rows)) in event.description


def test_extra_columns_are_kept_and_shown(login, region):
    plan = import_seed(region, "002")  # Tomsk: «Мероприятие | Дата | Ответственный | Ссылка»
    item = plan.items.get(key="R3")
    assert item.extra == {"Ссылка": "http://coko.tomsk.ru/exam2024/"}
    assert "R1" in set(plan.items.filter(extra={}).values_list("key", flat=True))  # empty cells are not kept
    page = html.unescape(login("minobr").get(f"/plans/{plan.pk}/items/{item.pk}/").content.decode())
    assert "<dt>Ссылка</dt>" in page and 'href="http://coko.tomsk.ru/exam2024/"' in page


def test_plan_page_tells_the_confidence_and_the_plan_level_notes(login, region, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = (
        "План-график проведения итогового сочинения в 2015 году\n\n№\tСодержание работы\tДекабрь\tФевраль\n"
        "1.\tПриём заявлений\tдо 19.11.2014\tдо 20.01.2015\n2.\tПроведение сочинения\t03.12.2014\t04.02.2015\n"
    )
    client = login("minobr")
    response = client.post("/plans/import/", {"file": SimpleUploadedFile("essay.txt", text.encode()), "format": "auto"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")  # saved by a job
    job_page = html.unescape(client.get(response["Location"]).content.decode())
    assert "План загружен" in job_page and "уверенность разбора: высокая" in job_page
    plan_url = re.search(r'id="plan-link" href="([^"]+)"', job_page).group(1)
    page = html.unescape(client.get(plan_url + "?tab=findings").content.decode())
    assert "уверенность разбора: высокая" in page
    assert "no_responsible_column" in page and "нет столбца ответственных" in page
    assert "missing_responsible" not in page
