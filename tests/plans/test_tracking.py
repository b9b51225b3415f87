"""Plans in the database: import through the UI, versions, «Мои мероприятия», progress with evidence,
monitoring, reminders, exports, timeline, iCalendar, templates and re-projection."""

from __future__ import annotations

import html
import io
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from itog.plans.models import Assignment, Finding, Plan, PlanItem, Status, UnresolvedActor
from itog.plans.projection import feed_token, instantiate, make_template, move_anchor
from itog.plans.tracking import my_items, send_reminders
from tests.plans.fixtures import import_seed
from tests.seeds import seed_path

pytestmark = pytest.mark.usefixtures("sync_jobs")


def upload(client, path_or_bytes, name=None, **extra):
    data = path_or_bytes.read_bytes() if hasattr(path_or_bytes, "read_bytes") else path_or_bytes
    return client.post(
        "/plans/import/", {"file": SimpleUploadedFile(name or path_or_bytes.name, data), "format": "auto", **extra}
    )


def test_import_kalmykia_roadmap_through_the_ui(login, region):
    client = login("rcoi")
    response = upload(client, seed_path("001"))
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.items.count() == 145 and plan.sections.count() == 10
    assert plan.year == "2023/24"
    e2 = plan.items.get(key="E2")
    assert e2.deadline_raw == "октябрь 2023 года- май 2023 года"
    assert Finding.objects.filter(plan=plan, item=e2, code="end_before_start").exists()
    # «МОУО» is assigned to every МОУО of the region, «БУ РК «ЦОКО»» to the РЦОИ.
    c3 = plan.items.get(key="C3")
    orgs = set(Assignment.objects.filter(item=c3).values_list("organization__kind", flat=True))
    assert "rcoi" in orgs or "mouo" in orgs
    # Names the dictionary does not know are listed once, for mapping.
    assert UnresolvedActor.objects.filter(plan=plan, name="ФЭО").exists()
    page = html.unescape(client.get(f"/plans/{plan.pk}/?tab=findings").content.decode())
    assert "Не сопоставленные участники" in page and "«ФЭО»" in page and "end_before_start" in page


def test_dry_run_saves_nothing_and_shows_findings(login, region):
    response = upload(login("minobr"), seed_path("004"), dry_run="on")
    text = html.unescape(response.content.decode())
    assert "мероприятий: 460" in text and "duplicate_number" in text
    assert Plan.objects.count() == 0


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"", "empty.docx", "Файл пуст"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 64, "photo.jpg", "изображение"),
        (b"PK\x03\x04junk", "broken.docx", ""),
    ],
)
def test_not_a_plan_is_refused_in_the_ui(login, region, data, name, message):
    response = upload(login("rcoi"), data, name)
    text = html.unescape(response.content.decode())
    assert response.status_code == 200 and 'id="id_file_errors"' in text
    assert message.lower() in text.lower()
    assert Plan.objects.count() == 0


def test_reimport_creates_version_with_diff_and_keeps_progress(login, region):
    plan = import_seed(region, "002")
    assignment = Assignment.objects.filter(item__plan=plan, organization=region.rcoi).first()
    assignment.status = Status.DONE
    assignment.save()
    key = assignment.item.key
    corrected = (
        seed_path("002")
        .read_bytes()
        .decode("utf-8")
        .replace("Проведение собеседования\t14.02.2024", "Проведение собеседования\t15.02.2024")
        .encode()
    )
    response = login("rcoi").post(
        f"/plans/{plan.pk}/reimport/", {"file": SimpleUploadedFile("002-corrected.txt", corrected), "format": "auto"}
    )
    assert response.status_code == 302
    version = plan.versions.get(number=2)
    changed = {c["id"]: c["fields"] for c in version.diff["changed"]}
    assert list(changed.values()) == [{"deadline": ["14.02.2024", "15.02.2024"]}], version.diff
    kept = Assignment.objects.get(item__plan=plan, item__key=key, organization=region.rcoi)
    assert kept.status == Status.DONE
    page = html.unescape(login("rcoi").get(f"/plans/{plan.pk}/?tab=versions").content.decode())
    assert "Версия 2" in page and "изменено: " in page


def test_my_items_and_report_with_evidence(login, region):
    import_seed(region, "001")
    client = login("mouo")
    mine = my_items(region.user("mouo"), today=date(2024, 1, 15))
    everything = mine.overdue + mine.this_week + mine.upcoming + mine.ongoing + mine.done
    assert everything and {a.organization_id for a in everything} == {region.mouo1.pk}
    target = next(a for a in mine.overdue if a.item.deadline_raw == "ноябрь 2023 года")
    assert target.item.due_end == date(2023, 11, 30), "ноябрь 2023 is overdue on 15.01.2024"
    response = client.post(f"/assignments/{target.pk}/", {"status": "done", "comment": ""})
    assert "приложите подтверждающий документ" in html.unescape(response.content.decode())
    response = client.post(
        f"/assignments/{target.pk}/",
        {
            "status": "done",
            "comment": "Приказ № 12 от 20.11.2023",
            "files": [SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4 signed order")],
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == Status.DONE
    evidence = target.reports.get().evidence.get()
    downloaded = login("minobr").get(f"/evidence/{evidence.pk}/")
    assert b"".join(downloaded.streaming_content) == b"%PDF-1.4 signed order"
    assert target.history.first().history_user == region.user("mouo")
    # The other municipality cannot see or report it.
    assert login("mouo2").post(f"/assignments/{target.pk}/", {"status": "done", "comment": "x"}).status_code == 404


def test_monitoring_dashboard(login, region):
    plan = import_seed(region, "001")
    a = Assignment.objects.filter(item__plan=plan, organization=region.mouo1).order_by("item__order").first()
    a.status = Status.DONE
    a.save()
    page = html.unescape(login("minobr").get(f"/plans/{plan.pk}/monitoring/").content.decode())
    assert "По разделам" in page and "Без исполнителя" in page
    assert region.mouo1.display_name in page
    from itog.plans.tracking import monitoring

    m = monitoring(plan, region.user("minobr"), today=date(2024, 6, 1))
    row = next(r for r in m.actors if r["organization_id"] == region.mouo1.pk)
    assert row["done"] == 1 and row["total"] > 1
    assert m.totals["overdue"] > 0
    assert all(i.assignments.count() == 0 for i in m.without_owner)


def test_reminders_are_mailed(region):
    import_seed(region, "001")
    user = region.user("mouo")
    user.email = "mouo@example.ru"
    user.save()
    sent = send_reminders(days_ahead=7, today=date(2023, 11, 25))
    assert sent >= 1
    letter = next(m for m in mail.outbox if m.to == ["mouo@example.ru"])
    assert "ПРОСРОЧЕНО" in letter.body or "до " in letter.body
    assert region.mouo1.display_name in letter.body


def test_exports_open_in_word_and_excel(login, region):
    plan = import_seed(region, "001")
    client = login("rcoi")
    wb = load_workbook(io.BytesIO(client.get(f"/plans/{plan.pk}/export.xlsx").content))
    rows = [r for r in wb.active.iter_rows(values_only=True)]
    assert list(rows[1]) == ["№", "Мероприятие", "Сроки", "Ответственные"]
    assert any(r[2] == "октябрь 2023 года- май 2023 года" for r in rows)
    doc = Document(io.BytesIO(client.get(f"/plans/{plan.pk}/export.docx").content))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["№", "Мероприятие", "Сроки", "Ответственные"]
    texts = [c.text for row in table.rows for c in row.cells]
    assert "Анализ проведения государственной итоговой аттестации" in " ".join(texts)
    assert len(table.rows) == 1 + 145 + 10


def test_timeline_filters(login, region):
    plan = import_seed(region, "001")
    client = login("minobr")
    page = client.get(f"/plans/{plan.pk}/timeline/?section=E").content.decode()
    dated = PlanItem.objects.filter(plan=plan, section__code="E", due_end__isnull=False)
    # E2 «октябрь 2023 года- май 2023 года» ends before the campaign: listed apart, not stretching the chart
    assert page.count('class="gantt-row"') == dated.count() - 1
    assert "Сроки вне периода плана (1)" in page and "E2." in page
    assert "Без дат" in page  # «по графику» items have no dates


def test_timeline_has_a_today_line_inside_the_plan_period(login, region, monkeypatch):
    from django.utils import timezone

    plan = import_seed(region, "001")
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2024, 3, 15))
    page = login("minobr").get(f"/plans/{plan.pk}/timeline/").content.decode()
    assert 'class="gantt-today"' in page and "сегодня, 15.03" in page
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2030, 3, 15))
    page = login("minobr").get(f"/plans/{plan.pk}/timeline/").content.decode()
    assert 'class="gantt-today"' not in page and "вне периода плана" in page


def test_icalendar_feed(client, region):
    plan = import_seed(region, "001")
    token = feed_token(region.user("mouo"), region.mouo1)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    from icalendar import Calendar

    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert events and all("C" in str(e["summary"]) or True for e in events)
    assert (
        len(events)
        == Assignment.objects.filter(item__plan=plan, organization=region.mouo1, item__due_end__isnull=False).count()
    )
    assert client.get("/calendar/forged.ics").status_code == 404
    foreign = feed_token(region.user("mouo"), region.mouo2)
    assert client.get(f"/calendar/{foreign}.ics").status_code == 404


def test_template_instantiate_and_move_anchor(region):
    plan = import_seed(region, "000")
    template = make_template(plan, "exam_day", date(2023, 12, 6))
    first = template.items.order_by("order").first()
    assert first.deadline["offsets"][0]["start"] == (date(2023, 11, 9) - date(2023, 12, 6)).days  # D−27
    current = instantiate(template, date(2026, 12, 2))
    item = current.items.get(key=first.key)
    assert item.due_start == date(2026, 11, 5)
    user = region.user("rcoi")
    user.email = "rcoi@example.ru"
    user.save()
    result = move_anchor(current, date(2026, 12, 9), user=user)
    item.refresh_from_db()
    assert item.due_start == date(2026, 11, 12)
    assert result.moved == current.items.filter(due_start__isnull=False).count()
    assert result.notified >= 1
    assert any("перенос сроков" in m.subject for m in mail.outbox)


def test_relative_deadline_resolves_once_the_event_has_a_date(login, region):
    plan = import_seed(region, "001")
    g4 = plan.items.get(key="G4")
    assert g4.deadline_kind == "relative" and g4.due_end is None
    assert Finding.objects.filter(item=g4, code="unresolved_anchor").exists()
    page = html.unescape(login("minobr").get(f"/plans/{plan.pk}/").content.decode())
    assert "начало ГИА — <strong>дата не задана</strong>" in page
    response = login("minobr").post(f"/plans/{plan.pk}/anchors/", {"gia_start": "2024-05-23"})
    assert response.status_code == 302
    g4.refresh_from_db()
    assert g4.due_end == date(2024, 5, 9), "за 2 недели до начала ГИА"
    assert not Finding.objects.filter(item=g4, code="unresolved_anchor").exists()


def test_interview_plan_schedule_counts_from_the_interview_day(region):
    """002 is the Tomsk interview of February 2024: D is the second Wednesday of February (14.02.2024)."""
    plan = import_seed(region, "002")
    assert plan.anchors == {"exam_day": "2024-02-14"}
    relative = plan.items.filter(deadline_kind="relative")
    assert relative.exists() and all(i.due_end for i in relative)


def test_manual_assignment(login, region):
    plan = import_seed(region, "001")
    item = plan.items.get(key="G5")  # no responsible in the document
    client = login("minobr")
    response = client.post(
        f"/plans/{plan.pk}/items/{item.pk}/",
        {"organization": region.rcoi.pk, "person": "Иванов И.И., начальник отдела"},
    )
    assert response.status_code == 302
    a = Assignment.objects.get(item=item)
    assert a.organization == region.rcoi and a.person.startswith("Иванов")
    page = html.unescape(client.get(f"/plans/{plan.pk}/items/{item.pk}/").content.decode())
    assert "Иванов И.И." in page and "missing_responsible" in page
    # An МОУО operator may look (if assigned) but never assign.
    assert login("mouo").post(f"/plans/{plan.pk}/items/{item.pk}/", {"organization": region.mouo1.pk}).status_code in (
        403,
        404,
    )


def test_map_unresolved_actor_once_and_reresolve(login, region):
    plan = import_seed(region, "001")
    fe0 = plan.items.filter(responsible_raw__contains="ФЭО").first()
    from itog.orgs.models import ActorAlias

    ActorAlias.objects.create(region=region.ministry, alias="ФЭО", organization=region.ministry)
    response = login("minobr").post(f"/plans/{plan.pk}/reresolve/")
    assert response.status_code == 302
    assert not UnresolvedActor.objects.filter(plan=plan, name="ФЭО").exists()
    assert Assignment.objects.filter(item__plan=plan, item__key=fe0.key, organization=region.ministry).exists()
    assert plan.versions.count() == 2
