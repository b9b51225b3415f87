"""Attacks on the web application by its demo roles and by anonymous visitors (issue: security evaluation).

Each test is an attack that once got through (kept as a regression test) or one that no other test tried; the
permission matrices (tests/web/test_permissions.py, tests/conduct/test_permissions_*.py) cover the plain IDOR
attempts on every URL.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from itog.jobs.models import Job

HOSTILE_NAMES = [
    # ReportLab reads markup inside its paragraphs: an image tag opens a file (or a URL) on the server …
    '<img src="/etc/hostname" width="40" height="40"/>',
    # … a link puts a foreign address into an official form …
    'Школа <a href="https://evil.example/">нажмите здесь</a>',
    # … and a lone «<» or «&» (legitimate in a name) dropped the rest of the text
    "Гимназия <Эврика> & Ко",
]
# what the printed form must show of each (the text as typed)
VISIBLE = {HOSTILE_NAMES[0]: "/etc/hostname", HOSTILE_NAMES[1]: "<a href=", HOSTILE_NAMES[2]: "<Эврика> & Ко"}


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_links(data: bytes) -> list[str]:
    links = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return links


# ------------------------------------------------------------------ stored markup in PDF forms


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_table_pdf_prints_a_hostile_text_as_written(name):
    """Familiarization sheets, re-check protocols, destruction acts, printed applications: titles, lines and
    cells (a participant's name, a school's name, a commission typed by an МОУО) are text, never markup."""
    from itog.conduct.documents import table_pdf

    long_cell = name + " " + "х" * 30  # cells longer than 25 characters are wrapped in a paragraph
    pdf = table_pdf(name, [name], ["Имя"], [[long_cell]], [150], [name])
    assert pdf_text(pdf).count(VISIBLE[name]) >= 3  # title, line, signature (the cell may wrap)
    assert not pdf_links(pdf)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_door_lists_and_interview_forms_print_a_hostile_name_as_written(name):
    """A school operator names the venue (Place.name) and registers the participants: the door lists of the
    print job and the interview's ведомость print those texts as written."""
    from itog.blanks.papers import ListRow, RoomPapers, VenuePapers, render_room_lists
    from itog.blanks.render import KitRoom
    from itog.exams.kinds.interview.examday import Line, Person
    from itog.exams.kinds.interview.forms import Header, render_vedomost

    out = io.BytesIO()
    venue = VenuePapers(
        name=name,
        code="V1",
        rooms=[
            RoomPapers(room=KitRoom(venue_name=name, room_number="1"), capacity=10, rows=[ListRow(1, name, "11А", "с")])
        ],
    )
    render_room_lists("Итоговое сочинение", "03.12.2025", [venue], out)
    assert not pdf_links(out.getvalue())
    vedomost = render_vedomost(
        Header(school=name, exam_date=date(2026, 2, 11)), "1", [Line(person=Person("1", name), reason=name)], name
    )
    assert not pdf_links(vedomost)
    assert VISIBLE[name] in pdf_text(out.getvalue()) and VISIBLE[name] in pdf_text(vedomost)


def test_destruction_act_with_markup_in_the_commission_is_printed(region, login):
    """An МОУО types the destruction commission (free text): the act's PDF must print it, not fail (it made
    the server try to open /etc/hostname as an image: a 500 and a read of a server file)."""
    from itog.conduct.models import DestructionAct

    act = DestructionAct.objects.create(
        number="2026-001",
        holder=region.mouo1,
        destroyed_on=date(2026, 2, 1),
        commission_text=HOSTILE_NAMES[0] + " " + HOSTILE_NAMES[1],
    )
    response = login("mouo").get(f"/retention/acts/{act.pk}.pdf")
    assert response.status_code == 200
    assert "/etc/hostname" in pdf_text(response.content)
    assert not pdf_links(response.content)


# ------------------------------------------------------------------ XML entities in XLSX / DOCX


def _rewrite(data: bytes, member: str, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            part = src.read(name)
            if name == member:
                part = edit(part.decode()).encode()
            z.writestr(name, part)
    return out.getvalue()


def _with_doctype(text: str, doctype: str, value: str) -> str:
    if text.startswith("<?xml"):
        head, rest = text.split("?>", 1)
        text = head + "?>" + doctype + rest
    else:
        text = doctype + text
    return text.replace("ПОЛЕ", value)


XXE = ('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>', "&xxe;")
LAUGHS = (
    '<!DOCTYPE x [<!ENTITY a "'
    + "ха" * 50
    + '">'
    + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
    + "]>",
    "&i;",
)


def hostile_xlsx(attack) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Код", "Наименование"])
    wb.active.append(["010001", "ПОЛЕ"])
    buf = io.BytesIO()
    wb.save(buf)
    return _rewrite(buf.getvalue(), "xl/worksheets/sheet1.xml", lambda t: _with_doctype(t, *attack))


def hostile_docx(attack) -> bytes:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    for i, text in enumerate(["Мероприятие", "Сроки", "Ответственные"]):
        table.cell(0, i).text = text
    for i, text in enumerate(["Провести ПОЛЕ совещание", "до 01.12.2025", "МОУО"]):
        table.cell(1, i).text = text
    buf = io.BytesIO()
    doc.save(buf)
    return _rewrite(buf.getvalue(), "word/document.xml", lambda t: _with_doctype(t, *attack))


@pytest.mark.parametrize("attack", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_xlsx_with_a_dtd_is_refused_in_russian_before_parsing(attack):
    """Office files never carry a DTD (OPC, ECMA-376 part 2: «shall not contain DTD declarations»); one that
    does is an attack (an external entity reading a server file, entities expanding to gigabytes). It was read
    by the fallback reader and failed with a raw XML parser error instead of a Russian refusal."""
    from itog.core.tables import TableError, check_table_upload, read_table

    data = hostile_xlsx(attack)
    for check in (check_table_upload, read_table):
        with pytest.raises(TableError) as exc:
            check(data, "list.xlsx")
        assert "DTD" in str(exc.value) and "не принят" in str(exc.value)


@pytest.mark.parametrize("attack", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_docx_plan_with_a_dtd_is_refused_in_russian(attack):
    """A plan document with an entity: the text around it was silently cut («Провести» without «совещание»)
    or the file was called damaged; now it is refused with the reason."""
    from itog.plans.importing import parse_document
    from itog.plans.parsing.model import PlanReadError

    with pytest.raises((PlanReadError, ValueError)) as exc:
        parse_document(hostile_docx(attack), filename="plan.docx")
    assert "DTD" in str(exc.value)


def test_import_page_refuses_a_dtd_in_the_request(region, login):
    """Through the web: the directory import answers on its own page in Russian and starts no job."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Job.objects.count()
    upload = SimpleUploadedFile("orgs.xlsx", hostile_xlsx(XXE))
    response = login("rcoi").post("/orgs/import/", {"file": upload})
    assert response.status_code == 200
    assert "DTD" in response.content.decode()
    assert Job.objects.count() == before


# ------------------------------------------------------------------ results of background jobs


def _export_job(region, username: str, org) -> Job:
    """A finished background export of the students list (personal data), as lists.run_list_export leaves it."""
    from django.core.files.base import ContentFile

    job = Job(
        kind="list-export",
        title="Выгрузка XLSX: Обучающиеся (6000 записей)",
        organization=org,
        created_by=region.user(username),
        status="done",
        params={"list": "students", "query": {}, "kwargs": {}},
        result_name="students.xlsx",
    )
    job.result.save("students.xlsx", ContentFile(b"PK personal data"), save=False)
    job.save()
    return job


def test_a_role_without_the_export_permission_cannot_download_an_export_job(region, login):
    """The inspector sees every job of the region (jobs:view) but may not export students: the ministry's
    background export of the region's students was downloadable by job number (sequential ids)."""
    job = _export_job(region, "minobr", region.ministry)
    assert login("minobr").get(f"/jobs/{job.pk}/result/").status_code == 200
    assert login("inspector").get(f"/jobs/{job.pk}/result/").status_code == 403
    assert login("mouo").get(f"/jobs/{job.pk}/result/").status_code == 404  # not its job's organization


def test_downloading_another_users_export_is_logged_in_the_downloaders_name(region, login):
    """A school's export may be taken by its МОУО (students:export over the school): the personal data leave
    the system again, so the download is an export event of the МОУО operator."""
    from itog.audit.models import AuditEvent, EventKind

    job = _export_job(region, "school", region.school1)
    before = AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).count()
    assert login("mouo").get(f"/jobs/{job.pk}/result/").status_code == 200
    assert login("school2").get(f"/jobs/{job.pk}/result/").status_code == 404
    events = AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).order_by("pk")[before:]
    assert [e.username for e in events] == ["mouo"]
    assert str(job.pk) in events[0].description or events[0].details.get("job") == job.pk


# ------------------------------------------------------------------ request bodies


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "itogboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body += b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("url", ["/results/", "/login/", "/api/v1/results/lookup"])
def test_an_anonymous_visitor_cannot_push_a_file_to_the_server(db, client, url):
    """Nothing a visitor without a session may send carries a file, but Django's CSRF check parses a POST's
    multipart body to a temporary file before refusing it: an anonymous client could fill the server's disk
    with one request. Refused by its declared length before the body is read (413, in Russian)."""
    body, content_type = _multipart(2 * 1024 * 1024)
    response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code == 413
    text = response.content.decode()
    assert "Слишком большой запрос" in text


def test_a_signed_in_upload_above_the_request_ceiling_is_refused(region, login, settings):
    """ITOG_MAX_REQUEST_MB bounds one request of a signed-in user (the largest upload: a batch of scans)."""
    settings.ITOG_MAX_REQUEST_MB = 1
    body, content_type = _multipart(2 * 1024 * 1024)
    response = login("rcoi").generic("POST", "/orgs/import/", body, content_type=content_type)
    assert response.status_code == 413 and "Слишком большой запрос" in response.content.decode()
    small, content_type = _multipart(1024)
    assert login("rcoi").generic("POST", "/orgs/import/", small, content_type=content_type).status_code != 413


# ------------------------------------------------------------------ sessions, log-in, CSRF (the system holds)


def test_log_in_gives_a_new_session_key(client, region):
    """Session fixation: a key planted before the log-in is worthless after it."""
    from tests.conftest import PASSWORD

    client.get("/login/")
    client.session.save()
    planted = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    response = client.post("/login/", {"username": "school", "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != planted


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "javascript:x"]
)
def test_log_in_never_redirects_off_site(client, region, target):
    """Open redirect through ``next=``: only this site's paths are followed."""
    from tests.conftest import PASSWORD

    response = client.post(f"/login/?next={target}", {"username": "school", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_log_out_is_a_post_only(login):
    """A link or an image on another site cannot log a user out (GET is refused)."""
    client = login("school")
    assert client.get("/logout/").status_code == 405
    assert client.get("/account/").status_code == 200


def test_state_changes_need_the_csrf_token_including_htmx(region):
    """Forged requests from another site (the session cookie sent, no token): refused with 403 on a page
    form, an HTMX fragment (its header token missing), the token issuer and the API's session auth."""
    from django.test import Client

    from itog.accounts.models import ApiToken
    from itog.orgs.models import Place, PlaceKind, Room

    client = Client(enforce_csrf_checks=True)
    client.force_login(region.user("school"))
    place = Place.objects.filter(organization=region.school1, kind=PlaceKind.VENUE).first()
    rooms = Room.objects.filter(place=place).count()
    htmx = {"HTTP_HX_REQUEST": "true"}
    assert client.post(f"/places/{place.pk}/rooms/", {"number": "999", "capacity": "10"}, **htmx).status_code == 403
    assert Room.objects.filter(place=place).count() == rooms
    assert client.post("/account/", {"name": "чужой"}).status_code == 403
    assert not ApiToken.objects.filter(user=region.user("school")).exists()
    assert client.post("/logout/").status_code == 403
    # with the token (as base.html's hx-headers sends it) the same fragment works
    client.get("/account/")
    token = client.cookies["csrftoken"].value
    ok = client.post(f"/places/{place.pk}/rooms/", {"number": "999", "capacity": "10"}, HTTP_X_CSRFTOKEN=token, **htmx)
    assert ok.status_code == 200 and Room.objects.filter(place=place).count() == rooms + 1


# ------------------------------------------------------------------ the audit log


def test_the_audit_log_cannot_be_rewritten(region, login):
    """No page changes an audit event (the audit screen only reads: a POST changes nothing), and the ORM
    refuses to update or delete one — an operator's script cannot clean up after an export."""
    from itog.audit.models import AuditEvent, AuditLogIsAppendOnly, EventKind
    from itog.audit.services import record

    event = record(EventKind.PD_EXPORT, user=region.user("school"), description="Обучающиеся: 10 записей")
    client = login("minobr")
    for url in ("/audit/", "/audit/?tab=events"):
        client.post(url, {"description": "ничего", "id": event.pk, "delete": "1"})
    event.refresh_from_db()
    assert event.description == "Обучающиеся: 10 записей"
    event.description = "ничего"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(description="ничего")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).description == "Обучающиеся: 10 записей"


def test_the_audit_log_refuses_raw_sql_on_postgresql(region, django_user_model):
    """Past the ORM: on PostgreSQL a trigger refuses raw UPDATE and DELETE of audit events; deleting a user
    still works (Django sets the event's user to NULL and the name stays). On SQLite (the demo) the trigger
    does not exist and the ORM's refusal is the guard, so there the raw statements go through."""
    from django.db import DatabaseError, connection, transaction

    from itog.audit.models import AuditEvent, EventKind
    from itog.audit.services import record

    leaver = django_user_model.objects.create_user("leaver", password="x")
    event = record(EventKind.PD_EXPORT, user=leaver, description="Обучающиеся: 10 записей")
    leaver.delete()
    event.refresh_from_db()
    assert event.user_id is None and event.username == "leaver"
    statements = [
        ("UPDATE audit_auditevent SET description = %s WHERE id = %s", ["ничего", event.pk]),
        ("UPDATE audit_auditevent SET user_id = NULL, username = %s WHERE id = %s", ["никто", event.pk]),
        ("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]),
    ]
    if connection.vendor == "postgresql":
        for sql, params in statements:
            refused = pytest.raises(DatabaseError, match="не изменяются и не удаляются")
            with refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
        assert AuditEvent.objects.get(pk=event.pk).description == "Обучающиеся: 10 записей"
    else:
        with connection.cursor() as cursor:
            cursor.execute(*statements[0])
        assert AuditEvent.objects.get(pk=event.pk).description == "ничего"


# ------------------------------------------------------------------ file names in downloads


def test_a_room_number_with_quotes_and_a_line_break_downloads_its_vedomost(region, login):
    """A school operator names a room «12"\\r\\nSet-Cookie: x» (the room form keeps inner characters): the
    ведомость's download name was built by hand into the header — a broken header (a quote ends the file
    name early) or a server error (a line break in a header). The name is now encoded by Django."""
    from itog.orgs.models import Room
    from tests.conduct.interview import interview_session

    session = interview_session(region)
    room = Room.objects.filter(place__organization=region.school1).first()
    room.number = '1"; f=e\r\nSet-Cookie'  # within the field's 20 characters (PostgreSQL enforces them)
    room.save()
    response = login("school").get(f"/sessions/{session.pk}/interview/rooms/{room.pk}/vedomost.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "Set-Cookie" not in response.headers
    assert header.startswith("attachment;") and 'filename="1"' not in header


@pytest.mark.parametrize("url", ["/orgs/export.x%22%0D%0ASet-Cookie:%20a=1", "/plans/{plan}/export.docx%0D%0AX:%201"])
def test_a_format_typed_into_the_url_is_not_found(region, login, url):
    """The export's format from the URL went into the download header: a crafted link answered with a server
    error (a line break in a header); an unknown format is now «not found»."""
    from tests.plans.fixtures import tiny_plans

    plans = tiny_plans(region)
    response = login("minobr").get(url.format(**plans))
    assert response.status_code == 404


# ------------------------------------------------------------------ an API token holder


def test_an_api_token_opens_the_api_only_and_dies_with_its_account(client, region):
    """A leaked token: it does not open the web pages (no session is made from it), reaches only its user's
    scope, and stops when the account is disabled or the role is taken away."""
    from itog.accounts.models import ApiToken

    user = region.user("school")
    _, raw = ApiToken.issue(user, "интеграция")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    page = client.get("/students/", **auth)
    assert page.status_code == 302 and page["Location"].startswith("/login/")
    assert "sessionid" not in client.cookies
    assert client.get(f"/api/v1/orgs/{region.school2.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/orgs/{region.school1.pk}", **auth).status_code == 200
    user.memberships.update(is_active=False)  # the role is taken away: the token reaches nothing
    assert client.get(f"/api/v1/orgs/{region.school1.pk}", **auth).status_code == 404
    user.is_active = False
    user.save()
    response = client.get("/api/v1/me", **auth)
    assert response.status_code == 401 and "отключена" in response.json()["detail"]


# ------------------------------------------------------------------ stored markup in pages (the system holds)

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'"


def test_a_hostile_school_and_student_name_are_shown_as_text(region, login):
    """A name imported from a directory XLSX or typed into a form is escaped on every page that shows it (the
    Content-Security-Policy would also refuse inline script, test_security_headers)."""
    from itog.people.models import Student

    region.school1.name = f"Школа {XSS}"
    region.school1.save()
    student = Student.objects.filter(school=region.school1).first()
    Student.objects.filter(pk=student.pk).update(middle_name=XSS)
    client = login("mouo")
    for url in (f"/orgs/{region.school1.pk}/", "/orgs/", f"/students/{student.pk}/", f"/orgs/{region.mouo1.pk}/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url
        if "students" in url or str(region.school1.pk) in url:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_an_organization_page_shows_places_only_to_who_may_see_places(region, login):
    """The organization page listed its places through the related manager, outside the scoping layer: an
    expert or an МОУО's authorized person (orgs:view, no places:view) read every venue with its capacity."""
    from itog.accounts.scope import grants_of
    from itog.orgs.models import Place

    expert = region.user("expert")
    org_pk = grants_of(expert)[0].org_id
    place = Place.objects.filter(organization_id=org_pk).order_by("pk").first()
    assert place is not None
    assert place.name not in login("expert").get(f"/orgs/{org_pk}/").content.decode()
    assert place.name in login("rcoi").get(f"/orgs/{org_pk}/").content.decode()
