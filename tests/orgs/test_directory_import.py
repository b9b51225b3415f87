"""Import and export of the organization directory (XLSX, CSV): all rows or nothing."""

from __future__ import annotations

import html
import io

import pytest
from openpyxl import Workbook, load_workbook

from itog.audit.models import AuditEvent, EventKind
from itog.core.tables import write_csv
from itog.orgs.directory import HEADER
from itog.orgs.models import Organization

pytestmark = pytest.mark.usefixtures("sync_jobs")

GOOD_ROWS = [
    [
        "99",
        "МОУО",
        "Отдел образования администрации Нового района",
        "Новый район",
        "",
        "с. Новое, ул. Мира, 1",
        "Europe/Moscow",
    ],
    ["990001", "ОО", "МБОУ «Новая СОШ»", "Новая СОШ", "99", "с. Новое, ул. Школьная, 2", "Europe/Moscow"],
    ["990002", "ОО", "МБОУ «Вторая СОШ»", "", "Новый район", "", ""],
]


def xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str, dry_run=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post("/orgs/import/", payload, follow=True)  # to the import job's page


def test_import_xlsx_creates_tree_and_logs(login, region):
    client = login("rcoi")
    response = upload(client, xlsx(GOOD_ROWS), "orgs.xlsx")
    assert response.status_code == 200
    assert "Справочник загружен" in response.content.decode()
    mouo = Organization.objects.get(code="99")
    assert mouo.parent == region.ministry and mouo.kind == "mouo"
    school = Organization.objects.get(code="990002")
    assert school.parent == mouo, "municipality given by name resolves to the МОУО of the same file"
    assert school.path.startswith(mouo.path)
    assert school.time_zone == region.ministry.time_zone, "empty time zone takes the region's"
    assert AuditEvent.objects.filter(kind=EventKind.IMPORT, user=region.user("rcoi")).exists()
    # Who changed what is in the history.
    assert school.history.first().history_user == region.user("rcoi")


def test_dry_run_saves_nothing(login, region):
    response = upload(login("rcoi"), xlsx(GOOD_ROWS), "orgs.xlsx", dry_run=True)
    assert "Ошибок нет" in response.content.decode()
    assert not Organization.objects.filter(code__in=["99", "990001"]).exists()


@pytest.mark.parametrize(
    "rows,message",
    [
        (
            [GOOD_ROWS[0], ["990001", "ОО", "Школа", "", "77", "", ""]],
            "Строка 3, столбец «Муниципалитет (код МОУО)»: МОУО «77» не найдено",
        ),
        (
            [GOOD_ROWS[0], GOOD_ROWS[1], ["990001", "ОО", "Дубль", "", "99", "", ""]],
            "Строка 4, столбец «Код»: код «990001» уже встречается в строке 3",
        ),
        (
            [GOOD_ROWS[0], ["990003", "школа-интернат", "Школа", "", "", "", ""]],
            "Строка 3, столбец «Тип»: неизвестный тип «школа-интернат»",
        ),
        (
            [GOOD_ROWS[0], ["990003", "ОО", "", "", "", "", ""]],
            "Строка 3, столбец «Полное наименование»: обязательное поле не заполнено",
        ),
        (
            [GOOD_ROWS[0], ["990003", "ОО", "Школа", "", "", "", "Europe/Paris"]],
            "Строка 3, столбец «Часовой пояс»: неизвестный часовой пояс «Europe/Paris»",
        ),
        (
            [GOOD_ROWS[0], ["01", "ОО", "Школа", "", "", "", ""]],
            "Строка 3, столбец «Тип»: организация с кодом «01» уже есть в справочнике с другим типом",
        ),
    ],
)
def test_bad_rows_name_row_and_column_and_save_nothing(login, region, rows, message):
    before = Organization.objects.count()
    response = upload(login("rcoi"), xlsx(rows), "x.xlsx")
    text = html.unescape(response.content.decode())
    assert "Файл не загружен" in text
    assert message in text
    assert Organization.objects.count() == before, "nothing is saved when any row is wrong (the good first row neither)"


def test_wrong_columns(login, region):
    response = upload(login("rcoi"), xlsx([["1", "2"]], header=["ИНН", "Название"]), "x.xlsx")
    text = html.unescape(response.content.decode())
    assert "Строка 1, столбец «ИНН»: неизвестный столбец" in text
    assert "столбец «Код»: обязательный столбец отсутствует" in text


def test_cp1251_csv_is_read(login, region):
    data = write_csv(HEADER, GOOD_ROWS).decode("utf-8-sig").encode("cp1251")
    response = upload(login("rcoi"), data, "orgs.csv")
    text = response.content.decode()
    assert "Справочник загружен" in text
    assert "Windows-1251" in text
    assert Organization.objects.get(code="990001").name == "МБОУ «Новая СОШ»"


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"", "empty.csv", "Файл пуст"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "двоичные данные"),
        (b"PK\x03\x04broken", "broken.xlsx", "Файл не является книгой Excel"),
        (b"\xd0\xcf\x11\xe0", "old.xls", "XLS (Excel 97–2003) не поддерживается"),
    ],
)
def test_unreadable_files(login, region, data, name, message):
    response = upload(login("rcoi"), data, name)
    assert message in html.unescape(response.content.decode())


def test_50_mb_file_is_refused(login, region):
    data = (";".join(HEADER) + "\n").encode() + b"1;OO;x;;;;\n" * (50 * 1024 * 1024 // 11)
    assert len(data) >= 50 * 1024 * 1024 - 64
    before = Organization.objects.count()
    response = upload(login("rcoi"), data, "big.csv")
    assert "Файл слишком большой: 50.0 МБ при допустимых 20 МБ" in response.content.decode()
    assert Organization.objects.count() == before


def test_unknown_ids_are_404(login, region):
    client = login("minobr")
    assert client.get("/orgs/999999/").status_code == 404
    assert client.get("/orgs/abc/").status_code == 404
    assert client.get("/api/v1/orgs/999999").status_code == 404


def test_export_round_trip(login, region):
    client = login("rcoi")
    response = client.get("/orgs/export.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    codes = {r[0] for r in rows[1:]}
    assert {region.school1.code, region.mouo1.code, region.rcoi.code} <= codes
    school_row = next(r for r in rows if r[0] == region.school1.code)
    assert school_row[4] == region.mouo1.code
    # Loading the export back changes nothing.
    again = upload(client, response.content, "export.xlsx")
    text = again.content.decode()
    assert "Справочник загружен" in text and "изменено: 0" in text


def test_mouo_export_is_its_scope_only(login, region):
    response = login("mouo").get("/orgs/export.csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()[1:]
    codes = {line.split(";")[0] for line in lines}
    expected = {region.mouo1.code} | set(
        Organization.objects.filter(parent=region.mouo1).values_list("code", flat=True)
    )
    assert codes == expected
    assert AuditEvent.objects.filter(kind=EventKind.EXPORT, user=region.user("mouo")).exists()


def test_edit_organization_with_field_errors_and_history(login, region):
    client = login("minobr")
    school = region.school1b
    data = {
        "kind": "school",
        "code": school.code,
        "name": "",
        "short_name": school.short_name,
        "parent": region.mouo2.pk,
        "address": school.address,
        "time_zone": "Asia/Vladivostok",
        "is_active": "on",
    }
    response = client.post(f"/orgs/{school.pk}/edit/", data)
    assert "Обязательное поле." in response.content.decode()
    data["name"] = "МБОУ «Новое название»"
    assert client.post(f"/orgs/{school.pk}/edit/", data).status_code == 302
    school.refresh_from_db()
    assert school.parent == region.mouo2 and school.time_zone == "Asia/Vladivostok"
    assert school.path.startswith(region.mouo2.path)
    # The ministry (root) can be renamed but not re-parented.
    root = region.ministry
    response = client.post(
        f"/orgs/{root.pk}/edit/",
        {
            "code": root.code,
            "name": "Министерство просвещения ДО",
            "short_name": "Минпрос ДО",
            "time_zone": root.time_zone,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    root.refresh_from_db()
    assert root.short_name == "Минпрос ДО" and root.parent is None


def test_school_cannot_be_placed_under_a_school(login, region):
    response = login("minobr").post(
        "/orgs/new/",
        {"kind": "school", "code": "777777", "name": "Школа", "parent": region.rcoi.pk, "time_zone": "Europe/Moscow"},
    )
    text = html.unescape(response.content.decode())
    assert "не может подчиняться выбранной организации" in text


def test_koi8_csv_errors_name_the_columns_readably(login, region):
    """A KOI8-R file is not read as Windows-1251: the error names «ИНН» and «Код», not «йоо»/«лПД»."""
    data = "ИНН;Название;Район\n1;Школа;Северный\n".encode("koi8_r")
    text = html.unescape(upload(login("rcoi"), data, "orgs.csv").content.decode())
    assert "Строка 1, столбец «ИНН»: неизвестный столбец" in text
    assert "столбец «Код»: обязательный столбец отсутствует" in text
    good = write_csv(HEADER, GOOD_ROWS).decode("utf-8-sig").replace("«", '"').replace("»", '"')  # not in KOI8-R
    text = upload(login("rcoi"), good.encode("koi8_r"), "orgs.csv").content.decode()
    assert "Справочник загружен" in text and "KOI8-R" in text
    assert Organization.objects.get(code="990001").name == 'МБОУ "Новая СОШ"'
