"""Hostile office files are refused (or read correctly) before any parser builds them in memory."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from itog.core import tables
from itog.core.limits import UploadLimits, UploadRefused, check_office_file


def xlsx(rows, far: dict[str, object] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref, value in (far or {}).items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def participants(n: int = 1000):
    return [["Фамилия", "Имя", "Класс", "Код ОО", "Серия"]] + [
        [f"Иванов{i}", "Иван", 11, "010001", "1234"] for i in range(n)
    ]


def test_cell_in_column_xfd_is_refused_in_bounded_memory():
    data = xlsx(participants(1000), {"XFD1": "x"})
    assert len(data) < 40_000  # the 20 KB-class upload from the issue
    tracemalloc.start()
    try:
        with pytest.raises(tables.TableError) as exc:
            tables.read_table(data, "list.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(exc.value)
    assert "XFD1" in message and "16384" in message and "Удалите лишние ячейки" in message
    # before the bound the fast reader built 1,001 rows × 16,384 cells (hundreds of megabytes)
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1048576:.1f} MB"


def test_empty_styled_cells_far_right_do_not_widen_rows():
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.append(["Код", "Имя"])
    ws.append(["1", "Анна"])
    ws.cell(row=2, column=200).font = Font(bold=True)  # styled, empty: Excel writes such cells
    out = io.BytesIO()
    wb.save(out)
    table = tables.read_table(out.getvalue(), "x.xlsx")
    assert table.header == ["Код", "Имя"]
    assert table.rows == [(2, ["1", "Анна"])]


def test_lying_dimension_does_not_widen_the_openpyxl_reader():
    data = xlsx([["Код", "Имя"], ["1", "Анна"]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert '<dimension ref="A1:B2"/>' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace('ref="A1:B2"', 'ref="A1:XFD2"').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    table = tables._read_xlsx_openpyxl(out.getvalue(), max_columns=256)
    assert all(len(cells) <= 256 for _, cells in table.rows)
    assert table.header == ["Код", "Имя"]


def bomb(member: str, size_mb: int, base: bytes | None = None) -> bytes:
    """A real XLSX whose ``member`` is replaced by ``size_mb`` MB of highly compressible XML."""
    base = base or xlsx([["Код"], ["1"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            if name != member:
                z.writestr(name, src.read(name))
        with z.open(member, "w", force_zip64=True) as w:
            w.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            for _ in range(size_mb * 1024 * 1024 // len(chunk)):
                w.write(chunk)
            w.write(b"</sst>")
    return out.getvalue()


def test_zip_bomb_is_refused_by_its_ratio():
    data = bomb("xl/sharedStrings.xml", 40, xlsx([["Код", "Имя"], ["1", "Анна"]]))
    assert len(data) < 400_000
    with pytest.raises(tables.TableError, match="zip-бомб"):
        tables.read_table(data, "bomb.xlsx")


def test_total_size_members_and_rows_are_bounded():
    noisy = "".join(random.Random(1).choice("абвгдежзиклмнопрст ") for _ in range(300_000))
    data = xlsx([["Текст"], [noisy[:32000]], [noisy[32000:64000]]])
    with pytest.raises(UploadRefused, match="После распаковки"):
        check_office_file(data, UploadLimits(max_total_mb=0))
    with pytest.raises(UploadRefused, match="слишком много частей"):
        check_office_file(data, UploadLimits(max_members=3))
    with pytest.raises(UploadRefused, match="строка 3"):
        check_office_file(data, UploadLimits(max_rows=2))
    assert check_office_file(data) == "xlsx"
    assert check_office_file(b"plain;text") is None


def docx_bytes(paragraphs: int) -> bytes:
    from docx import Document

    rng = random.Random(2)
    doc = Document()
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["№", "Мероприятие", "Сроки", "Ответственные"]):
        cell.text = text
    for _i in range(paragraphs):
        doc.add_paragraph("".join(rng.choice("абвгдежзиклмнопрстуфх ") for _ in range(200)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_huge_docx_is_refused_in_plan_import(settings):
    from itog.plans.importing import parse_document
    from itog.plans.parsing.model import PlanReadError

    settings.ITOG_UPLOAD_DOCX_MAX_XML_MB = 1
    data = docx_bytes(6000)  # ~1.7 MB of document.xml
    with pytest.raises(PlanReadError, match="Текст документа Word"):
        parse_document(data, "plan.docx")


def test_xfd_cell_is_refused_in_plan_import():
    from itog.plans.importing import parse_document
    from itog.plans.parsing.model import PlanReadError

    rows = [["№", "Мероприятие", "Сроки", "Ответственные"]] + [
        [str(i), f"Мероприятие {i}", "до 1 декабря", "МОУО"] for i in range(1, 300)
    ]
    with pytest.raises(PlanReadError, match="XFD1"):
        parse_document(xlsx(rows, {"XFD1": "x"}), "plan.xlsx")


def test_far_row_is_refused_in_plan_import():
    from itog.plans.importing import parse_document
    from itog.plans.parsing.model import PlanReadError

    rows = [["№", "Мероприятие", "Сроки", "Ответственные"], ["1", "Мероприятие", "до 1 декабря", "МОУО"]]
    with pytest.raises(PlanReadError, match="A1000000"):
        parse_document(xlsx(rows, {"A1000000": "x"}), "plan.xlsx")


def test_zip_bomb_is_refused_in_plan_import():
    from itog.plans.importing import parse_document
    from itog.plans.parsing.model import PlanReadError

    with pytest.raises(PlanReadError, match="zip-бомб"):
        parse_document(bomb("xl/sharedStrings.xml", 40, xlsx([["№", "Мероприятие"], ["1", "x"]])), "plan.xlsx")


def test_written_file_is_still_readable():
    """The bounds do not refuse a normal list (and the reader gives what openpyxl reads back)."""
    data = xlsx(participants(50))
    table = tables.read_table(data, "x.xlsx")
    assert table.header == ["Фамилия", "Имя", "Класс", "Код ОО", "Серия"] and len(table.rows) == 50
    assert load_workbook(io.BytesIO(data)).active.max_row == 51


def test_far_cell_behind_a_long_tag_across_the_scan_chunks_is_refused():
    """The sheet is scanned in 4 MB chunks: a cell tag cut by a chunk's end (here after 6 MB of junk
    attributes that do not compress) is scanned whole with the next chunk."""
    import os

    base = xlsx([["Фамилия", "Имя"]] * 10)
    source = zipfile.ZipFile(io.BytesIO(base))
    parts = {n: source.read(n) for n in source.namelist()}
    junk = 'x="' + os.urandom(3 * 1024 * 1024).hex() + '"'
    parts["xl/worksheets/sheet1.xml"] = (
        parts["xl/worksheets/sheet1.xml"]
        .decode()
        .replace("</sheetData>", f'<row r="11"><c {junk} r="XFD11"><v>1</v></c></row></sheetData>')
        .encode()
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(UploadRefused, match="XFD11"):
        check_office_file(out.getvalue(), UploadLimits.from_settings())
