"""The import preview page shows what could not be read from another region's plan: reconstructed
values (Excel float numbers, hidden rows, Word's automatic numbers, Gantt marks) are said there."""

from __future__ import annotations

import html

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.plans.parsing import field_plans as F


def preview(client, data: bytes, name: str) -> str:
    response = client.post(
        "/plans/import/", {"file": SimpleUploadedFile(name, data), "format": "auto", "step": "preview"}
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_preview_says_what_was_reconstructed(login, region):
    client = login("rcoi")
    page = preview(client, F.xlsx_schedule(), "график.xlsx")
    assert "прочитан как «1.10»" in page  # float_number
    assert "скрыты строки 15" in page  # hidden_rows
    assert "скрыты столбцы «Служебная отметка»" in page  # an info note shown all the same
    page = preview(client, F.docx_auto_numbered(True), "план.docx")
    assert "автонумерацией Word" in page
    page = preview(client, F.docx_gantt(), "график.docx")
    assert "отмеченных («+», «х») месяцев" in page
    page = preview(client, F.docx_sections_landscape(), "карта.docx")
    assert "(Петров П.П., начальник отдела ГИА) без организации" in page
