"""Server-side lists: pagination, search, sort, database counts, the scope, and XLSX exports of exactly what is
filtered (inline when small, a background job when large)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from itog.audit.models import AuditEvent, EventKind
from itog.core.plural import count_of
from itog.exams.models import Application, Submission
from itog.jobs.models import Job
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization
from itog.people.models import Student
from tests.exams.fixtures import (
    essay_session,
    registered_application,
    student_registration,
)


def _rows(response) -> list[list]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_student_list_is_paginated_with_a_database_count(login, region):
    response = login("minobr").get("/students/")
    html = response.content.decode()
    total = Student.objects.count()
    assert total > 50
    assert f"Найдено: <strong>{total}</strong>" in html
    assert html.count('href="/students/') - html.count('href="/students/?') >= 50  # 50 rows link to details
    assert "Страница 1 из" in html


def test_student_search_and_sort(login, region):
    s = Student.objects.filter(school=region.school1).order_by("pk").first()
    html = login("minobr").get("/students/", {"q": s.last_name, "sort": "-birth"}).content.decode()
    n = Student.objects.filter(last_name__istartswith=s.last_name).count()
    assert f"Найдено: <strong>{n}</strong>" in html
    assert s.full_name in html
    # the sort header now offers the opposite direction
    assert "sort=birth" in html


def test_list_of_another_municipality_is_empty_not_leaking(login, region):
    """The МОУО of municipality 2 filtering by a school code of municipality 1 finds nothing."""
    html = login("mouo2").get("/students/", {"school": region.school1.code}).content.decode()
    assert "Найдено: <strong>0</strong>" in html
    assert "Никого не найдено" in html


def test_list_queries_do_not_grow_with_the_page(login, region):
    client = login("minobr")
    client.get("/students/")  # warm caches
    with CaptureQueriesContext(connection) as small:
        client.get("/students/", {"grade": 9})
    with CaptureQueriesContext(connection) as big:
        client.get("/students/")
    assert len(big) == len(small) and len(big) < 20


def test_small_export_is_inline_and_exactly_the_filter(login, region):
    response = login("school").get("/students/", {"export": "xlsx", "grade": "11"})
    assert response.status_code == 200
    rows = _rows(response)
    expected = Student.objects.filter(school=region.school1, grade=11).count()
    assert len(rows) - 1 == expected > 0
    assert rows[0][0] == "Фамилия"
    event = AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).latest("at")
    assert event.details["rows"] == expected and event.user == region.user("school")


def test_large_export_runs_as_a_job_with_progress(login, region, monkeypatch, settings):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")
    monkeypatch.setattr("itog.web.lists.INLINE_EXPORT_ROWS", 10)
    client = login("minobr")
    response = client.get("/students/", {"export": "xlsx", "grade": "9"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = Job.objects.latest("pk")
    assert job.kind == "list-export" and job.status == "done", job.error
    expected = Student.objects.filter(grade=9).count()
    assert job.done == job.total == expected
    rows = _rows(client.get(f"/jobs/{job.pk}/result/"))
    assert len(rows) - 1 == expected
    event = AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).latest("at")
    assert event.details["rows"] == expected and event.details["job"] == job.pk


def test_participants_list_filters_and_exports(login, region):
    app = registered_application(region)
    client = login("school")
    html = client.get(f"/sessions/{app.session_id}/", {"q": app.registration_number}).content.decode()
    assert "Найдено: <strong>1</strong>" in html and app.registration_number in html
    rows = _rows(client.get(f"/sessions/{app.session_id}/", {"export": "xlsx"}))
    assert [r[0] for r in rows[1:]] == [app.registration_number]
    # another municipality's school sees the session but not the application
    other = login("school2").get(f"/sessions/{app.session_id}/").content.decode()
    assert app.registration_number not in other and "Найдено: <strong>0</strong>" in other


def test_places_list_counts_rooms_in_the_database(login, region):
    html = login("mouo").get("/places/").content.decode()
    assert "Места проведения и аудитории" in html
    n = re.search(r"Найдено: <strong>(\d+)</strong>", html)
    from itog.orgs.models import Place

    assert (
        int(n.group(1))
        == Place.objects.filter(is_active=True, organization__path__startswith=region.mouo1.path).count()
    )


def test_reconciliation_lists_schools_that_sent_nothing(login, region):
    """«Все передали» was shown while most schools had sent nothing: every school without a list counts."""
    app = registered_application(region)
    client = login("minobr")
    html = client.get(f"/sessions/{app.session_id}/reconciliation/").content.decode()
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True).count()
    assert "Все" not in html.split('id="not-submitted"')[1].split("</section>")[0] or schools == 0
    assert f'ОО передали списки</div><div class="big">0 из {schools}' in html
    assert region.school2.code in html  # a school without any application is still listed


def test_reconciliation_says_all_sent_only_when_true(login, region):
    app = registered_application(region)
    for org in Organization.objects.filter(kind=OrgKind.SCHOOL, parent=region.mouo1):
        Submission.objects.create(
            session_id=app.session_id, from_org=org, to_org=region.mouo1, applications=0, deadline=date(2026, 11, 20)
        )
    html = login("mouo").get(f"/sessions/{app.session_id}/reconciliation/").content.decode()
    section = html.split('id="not-submitted"')[1].split("</section>")[0]
    assert "передали списки" in section and "Не передали списки: 0" in section


def test_plural_forms():
    assert count_of(22, "мероприятие", "мероприятия", "мероприятий") == "22 мероприятия"
    assert count_of(1, "замечание", "замечания", "замечаний") == "1 замечание"
    assert count_of(11, "замечание", "замечания", "замечаний") == "11 замечаний"
    assert count_of(112, "день", "дня", "дней") == "112 дней"
    assert count_of(0, "день", "дня", "дней") == "0 дней"


def test_additional_date_refuses_an_ordinary_student(region):
    """п. 10: a student is admitted to an additional date only again (re-admission), not by a new application."""
    from itog.exams.registration.services import ensure_sessions, register

    feb = ensure_sessions(region.ministry, "2026/27")[1]
    assert feb.stage == "additional"
    result = register(student_registration(region.school1), feb, region.school1, today=date(2027, 1, 10))
    assert result.application is None
    assert [v.code for v in result.violations] == ["V69"] and "п. 10" in result.violations[0].message
    assert not Application.objects.filter(session=feb).exists()
    # the main date still takes the same student
    main = essay_session(region)
    assert register(student_registration(region.school1), main, region.school1, today=date(2026, 11, 10)).application


def test_room_with_seats_is_refused_without_error(login, region):
    from tests.conduct.fixtures import seated_session

    _, run = seated_session(region)
    seat = run.seats.filter(venue__organization=region.school1).select_related("room").first()
    response = login("school").post(f"/rooms/{seat.room_id}/delete/", follow=True)
    assert response.status_code == 200
    assert "удалить нельзя" in response.content.decode()
    from itog.orgs.models import Room

    assert Room.objects.filter(pk=seat.room_id).exists()


def test_login_page_links_the_public_results_lookup(client, db):
    html = client.get("/login/").content.decode()
    assert 'href="/results/"' in html


@pytest.mark.parametrize("role,link", [("commission", "/day/"), ("transfer", "/transfer/")])
def test_single_job_roles_land_on_their_work(login, region, role, link):
    from tests.conduct.fixtures import sessions

    sessions(region)
    if role not in region.users:
        pytest.skip(f"the demo has no {role} user")
    client = login(role)
    html = client.get("/").content.decode()
    found = re.findall(rf'href="(/sessions/\d+{link})"', html)
    assert found, html[:2000]
    assert client.get(found[0]).status_code == 200


def test_sidebar_highlights_the_section(login, region):
    app = registered_application(region)
    html = login("school").get(f"/sessions/{app.session_id}/reconciliation/").content.decode()
    assert re.search(r'<a href="/sessions/" aria-current="page">', html)


def test_criteria_codes_are_shown_in_cyrillic():
    from itog.exams.kinds.essay.criteria import criteria_for
    from itog.web.views.conduct import marks_form

    form = marks_form(criteria_for("essay", "2026/27"))
    labels = [str(f.label) for f in form.fields.values()]
    assert any(label.startswith("К1 «") for label in labels)
    assert not any(label.startswith("K") for label in labels)  # no Latin K


def test_api_docs_work_offline(login, region):
    """/api/v1/docs loads Swagger UI from the django-ninja package's static files, never from a CDN."""
    html = login("minobr").get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html and "/static/" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js")


def test_registration_picks_a_student_from_the_directory(login, region):
    from itog.exams.registration.services import ensure_sessions

    session = ensure_sessions(region.ministry, "2027/28")[0]
    student = Student.objects.filter(school=region.school1, grade=11, user__isnull=True).order_by("pk").first()
    client = login("school")
    found = client.get(f"/sessions/{session.pk}/register/", {"find": student.last_name}).content.decode()
    assert f'href="?student={student.pk}"' in found
    page = client.get(f"/sessions/{session.pk}/register/", {"student": student.pk}).content.decode()
    assert f'value="{student.document_number}"' in page and 'name="student"' in page
    # a student of another municipality cannot be picked: 404
    other = Student.objects.filter(school=region.school2).first()
    assert client.get(f"/sessions/{session.pk}/register/", {"student": other.pk}).status_code == 404


def test_application_form_pdf_is_printable(login, region):
    from pypdf import PdfReader

    app = registered_application(region)
    response = login("school").get(f"/applications/{app.pk}/form.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert app.registration_number in text and app.participant.last_name in text
    assert "участие в итоговом сочинении (изложении)" in " ".join(text.split())  # the kind's own words
    assert login("school2").get(f"/applications/{app.pk}/form.pdf").status_code == 404


def test_time_zones_are_shown_with_their_utc_offset(login, region):
    from itog.orgs.kinds import time_zone_label

    assert time_zone_label("Europe/Moscow") == "Москва (UTC+3)"
    assert time_zone_label("Asia/Kamchatka") == "Камчатка (UTC+12)"
    html = login("minobr").get(f"/orgs/{region.school1.pk}/").content.decode()
    assert "Москва (UTC+3)" in html


def test_demo_rerun_keeps_passwords_and_sessions(client, region):
    """A second `itog demo` must not reset the passwords: Django ties sessions to the password hash."""
    from django.contrib.auth import get_user_model

    from itog.demo.generate import generate
    from tests.conftest import PASSWORD, SMALL

    user = get_user_model().objects.get(username="school")
    client.force_login(user)
    before = user.password
    generate(PASSWORD, seed=7, size=SMALL, progress=lambda *a: None)
    user.refresh_from_db()
    assert user.password == before
    assert client.get("/account/").status_code == 200  # still logged in


def test_search_and_municipality_filters_of_every_list(region):
    """Each list's search box and municipality filter (declared per list on the shared filter base) keep exactly
    the rows of the municipality and its schools — checked against the organizations the rows point to."""
    from itog.web.list_specs import (
        APPLICATIONS,
        COMMISSIONS,
        EMPLOYEES,
        ORGANIZATIONS,
        PLACES,
        RESULTS,
        STUDENTS,
    )
    from tests.conduct.fixtures import finished_session

    session = finished_session(region)
    user = region.user("minobr")
    mouo = region.mouo1
    cases = [
        (STUDENTS, {}, lambda r: r.school),
        (EMPLOYEES, {}, lambda r: r.organization),
        (ORGANIZATIONS, {}, lambda r: r),
        (PLACES, {}, lambda r: r.organization),
        (APPLICATIONS, {"session": session.pk}, lambda r: r.participant.registration_org),
        (COMMISSIONS, {"session": session.pk}, lambda r: r.organization),
        (RESULTS, {"session": session.pk}, lambda r: r.application.participant.registration_org),
    ]
    for spec, kw, org_of in cases:
        everything = list(spec.queryset(user, "view", **kw))
        expected = {r.pk for r in everything if org_of(r).pk == mouo.pk or org_of(r).parent_id == mouo.pk}
        got = spec.filterset({"municipality": mouo.pk}, queryset=spec.queryset(user, "view", **kw), user=user).qs
        assert expected and {r.pk for r in got} == expected, spec.name
        assert len(expected) < len(everything), spec.name  # the filter narrowed something
    # the search reads each list's declared fields: a student by the first word of the name, a place by its code
    student = Student.objects.filter(school=region.school1).order_by("pk").first()
    found = STUDENTS.filterset({"q": f"{student.last_name} {student.first_name}"}, queryset=Student.objects.all()).qs
    assert student in found and all(s.last_name.startswith(student.last_name) for s in found)
    found = ORGANIZATIONS.filterset({"q": region.school1.code}, queryset=Organization.objects.all()).qs
    assert list(found) == [region.school1]
