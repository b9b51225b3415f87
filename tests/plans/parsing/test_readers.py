"""Format detection, decoding, text readers and bad input."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from itog.plans.parsing.model import PlanReadError
from itog.plans.parsing.readers import (
    decode_text,
    detect_format,
    read_plan,
    read_raw,
)
from tests.seeds import seed_path

TAB_PLAN = (
    "ДОРОЖНАЯ КАРТА\n"
    "по подготовке к ГИА в 2025 году\n"
    "\n"
    "\tМероприятия\tОтветственные\tСроки\n"
    "<b>Нормативное обеспечение</b>\t\t\t\n"
    "1.\tПриказ о ППЭ\tМинистерство\tноябрь 2024 года\n"
    "2.\tПриказ о ГЭК\tМинистерство\tдекабрь 2024 года\n"
    "Информирование\t\t\t\n"
    "1.\tРодительские собрания\tОО\tмарт 2025 года\n"
)

PIPE_PLAN = (
    "План мероприятий по подготовке к ГИА-11 в 2025 году\n"
    "\n"
    "| № | Мероприятие | Срок | Ответственный |\n"
    "|---|---|---|---|\n"
    "| **Раздел 1. Подготовка** | | | |\n"
    "| 1. | Сбор сведений | ноябрь 2024 года | МОУО |\n"
    "| 2. | Обучение экспертов | по графику | РЦОИ, КРИПКРО |\n"
    "| **Раздел 2. Проведение** | | | |\n"
    "| 1. | Проведение экзаменов | в период ГИА | ГЭК |\n"
)

CELLS_PLAN = (
    "План-график проведения итогового собеседования\n"
    "\t№\n\tМероприятие\n\tОтветственный\n\tСрок\n"
    "\n"
    "\t1\n\tНазначение участников\n\tОО\n\tдо 31.01.2024\n"
    "\n"
    "\tПроведение\n"
    "\n"
    "\t2\n\tПроведение собеседования\n\tОО,\nРЦОИ\n\t14.02.2024\n"
)


# ---------------------------------------------------------------------------
# detect_format
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix, expected", [("000", "cells"), ("001", "tab"), ("002", "tab"), ("004", "tab")])
def test_detect_format_on_seeds(prefix, expected):
    path = seed_path(prefix)
    assert detect_format(path.read_bytes(), path.name) == expected


def test_detect_text_forms():
    assert detect_format(TAB_PLAN.encode()) == "tab"
    assert detect_format(PIPE_PLAN.encode()) == "markdown"
    assert detect_format(CELLS_PLAN.encode()) == "cells"


def _docx_bytes(with_table: bool) -> bytes:
    d = docx.Document()
    d.add_paragraph("Просто текст без таблицы")
    if with_table:
        t = d.add_table(rows=2, cols=3)
        for i, h in enumerate(["Мероприятие", "Срок", "Ответственный"]):
            t.cell(0, i).text = h
        for i, v in enumerate(["Совещание", "май 2024 года", "РЦОИ"]):
            t.cell(1, i).text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_detect_office_formats_by_content_not_name():
    assert detect_format(_docx_bytes(True), "plan.xlsx") == "docx"
    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    assert detect_format(buf.getvalue(), "plan.docx") == "xlsx"


# ---------------------------------------------------------------------------
# Bad input: one exception class, Russian messages
# ---------------------------------------------------------------------------

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.mark.parametrize(
    "data, fragment",
    [
        (JPEG, "изображение"),
        (PNG, "изображение"),
        (b"", "пуст"),
        (b"   \n\n\t \n", "пуст"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
        ("Просто письмо.\nБез всякой таблицы.\n".encode(), "не найдена таблица"),
        (bytes(b for b in range(256) if b != 0x98) * 4, "не похож на текст"),
        ("Мероприятие".encode()[:-1] + b"\x98 \x98\t" + "Срок".encode(), "кодировку"),
    ],
    ids=["jpeg", "png", "empty", "whitespace", "pdf", "ole-doc", "no-table", "binary", "undecodable"],
)
def test_bad_input_raises_plan_read_error(data, fragment):
    with pytest.raises(PlanReadError) as exc:
        read_plan(data)
    assert fragment in exc.value.message
    assert str(exc.value) == exc.value.message
    assert any("а" <= ch <= "я" for ch in exc.value.message.lower())


def test_docx_without_tables():
    with pytest.raises(PlanReadError, match="нет таблиц"):
        read_plan(_docx_bytes(False))


def test_xlsx_without_table():
    wb = openpyxl.Workbook()
    wb.active["B2"] = "Только заметка"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(PlanReadError, match="не найдена таблица"):
        read_plan(buf.getvalue())


def test_empty_xlsx():
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    with pytest.raises(PlanReadError):
        read_plan(buf.getvalue())


def test_broken_zip_and_other_archives():
    with pytest.raises(PlanReadError, match="повреждён"):
        read_plan(b"PK\x03\x04" + b"garbage" * 10)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(PlanReadError, match="не является документом"):
        read_plan(buf.getvalue())


def test_text_with_table_but_no_plan_header():
    text = "Сокращение\tРасшифровка\nМОУО\tмуниципальные органы\nОО\tорганизации\n"
    with pytest.raises(PlanReadError, match="заголовка"):  # «Таблица без строки заголовка: …»
        read_plan(text.encode())


def test_procedure_seed_003_is_not_a_plan():
    with pytest.raises(PlanReadError):
        read_plan(seed_path("003"))


def test_missing_file():
    with pytest.raises(PlanReadError, match="не найден"):
        read_plan("/nonexistent/plan.txt")


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------


def test_decode_utf8_bom_cp1251_and_utf16():
    text = "Мероприятие\tСрок"
    assert decode_text(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_text(text.encode("cp1251")) == text
    assert decode_text(text.encode("utf-16")) == text
    assert decode_text(b"a\r\nb\rc") == "a\nb\nc"


def test_cp1251_plan_reads_like_utf8():
    a = read_plan(TAB_PLAN.encode("cp1251"))
    b = read_plan(TAB_PLAN.encode("utf-8"))
    assert a.to_json() == b.to_json()


# ---------------------------------------------------------------------------
# Raw readers
# ---------------------------------------------------------------------------


def test_tab_reader_rows_and_lines():
    raw = read_raw(seed_path("001").read_bytes())
    assert raw.format == "tab"
    table = raw.tables[0]
    assert table.header_line == 48
    first = table.rows[0]
    assert first.line == 49 and first.cells[0].startswith("<b>Анализ")
    by_line = {r.line: r for r in table.rows}
    assert by_line[145].after_break and by_line[145].cells[0] == ""
    assert not by_line[146].after_break
    assert len(by_line[191].cells) == 3  # a 3-cell row in section G
    assert raw.preamble[0][0] == 3  # first non-blank line


def test_tab_reader_bare_paragraph_heading_and_side_table():
    raw = read_raw(seed_path("004").read_bytes())
    table = raw.tables[0]
    by_line = {r.line: r for r in table.rows}
    assert by_line[346].kind == "paragraph"
    assert by_line[346].after_break and by_line[346].before_break
    assert len(raw.side_tables) == 1  # the abbreviation list
    assert raw.side_tables[0].rows[0].line == 59


def test_tab_reader_two_tables():
    raw = read_raw(seed_path("002").read_bytes())
    assert [t.header_line for t in raw.tables] == [50, 71]
    # the text between the copies belongs to the second copy's preamble
    assert raw.tables[1].preamble[0] == (62, "Приложение к письму")


def test_cells_reader_groups_cells_into_rows():
    raw = read_raw(seed_path("000").read_bytes())
    table = raw.tables[0]
    assert table.header == ["№ п/п", "Наименование работ", "исполнитель", "дата начала", "дата окончания"]
    rows = [r for r in table.rows if r.cells[0].isdigit()]
    headings = [r for r in table.rows if not r.cells[0].isdigit()]
    assert len(rows) == 22
    assert all(len(r.cells) == 5 for r in table.rows)
    assert [h.line for h in headings] == [21, 95, 123, 159]
    is1 = rows[0]
    assert is1.cells[2] == "горячая линия РЦОИ\n(884722)39090"
    assert is1.lines == [14, 15, 16, 17, 18, 19]


def test_pipe_plan():
    plan = read_plan(PIPE_PLAN.encode(), filename="plan.md")
    assert plan.format == "pipe" and plan.layout[:2] == ["pipe", "markdown"]
    assert [s.title for s in plan.sections] == ["Раздел 1. Подготовка", "Раздел 2. Проведение"]
    assert [i.id for i in plan.items] == ["A1", "A2", "B1"]
    assert plan.item("A2").responsible_names == ["РЦОИ", "КРИПКРО"]
    assert plan.item("B1").line == 9
    assert plan.title == "План мероприятий по подготовке к ГИА-11 в 2025 году"
    assert plan.year == "2024/25"


def test_small_tab_plan():
    plan = read_plan(TAB_PLAN.encode())
    assert [s.title for s in plan.sections] == ["Нормативное обеспечение", "Информирование"]
    assert [(i.id, i.deadline_raw, i.responsible_raw) for i in plan.items] == [
        ("A1", "ноябрь 2024 года", "Министерство"),
        ("A2", "декабрь 2024 года", "Министерство"),
        ("B1", "март 2025 года", "ОО"),
    ]
    assert plan.title == "ДОРОЖНАЯ КАРТА по подготовке к ГИА в 2025 году"


def test_small_cells_plan():
    plan = read_plan(CELLS_PLAN.encode())
    assert plan.format == "cells"
    assert [s.title for s in plan.sections] == ["Проведение"]
    assert [i.id for i in plan.items] == ["1", "2"]
    assert plan.item("2").responsible_names == ["ОО", "РЦОИ"]
    assert plan.item("2").track == "interview"


def test_read_plan_accepts_path_bytes_and_file(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(TAB_PLAN, encoding="utf-8")
    from_path = read_plan(path)
    from_str = read_plan(str(path))
    with open(path, "rb") as fh:
        from_file = read_plan(fh)
    from_bytes = read_plan(path.read_bytes(), filename="plan.txt")
    assert from_path.source_name == "plan.txt"
    assert from_path.to_json() == from_str.to_json() == from_file.to_json() == from_bytes.to_json()


def test_explicit_format_and_unknown_format():
    assert read_plan(TAB_PLAN.encode(), format="tab").format == "tab"
    with pytest.raises(PlanReadError, match="Неизвестный формат"):
        read_plan(TAB_PLAN.encode(), format="csv")
