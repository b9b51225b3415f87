"""Round trips through DOCX and XLSX files written with python-docx / openpyxl."""

from __future__ import annotations

import datetime

import docx
import openpyxl
import pytest

from itog.plans.parsing.model import PlanReadError
from itog.plans.parsing.readers import read_plan, read_raw


def write_docx(path):
    d = docx.Document()
    d.add_paragraph("УТВЕРЖДЕН")
    d.add_paragraph("приказом Министерства образования от 15.09.2023 № 812")
    d.add_paragraph("")
    d.add_paragraph("План мероприятий по подготовке к ГИА-9 в 2024 году")
    t = d.add_table(rows=8, cols=4)
    for i, h in enumerate(["№ п/п", "Мероприятие", "Срок", "Ответственный"]):
        t.cell(0, i).text = h
    t.cell(1, 0).merge(t.cell(1, 3)).text = "Организационные мероприятия"
    for c, v in enumerate(["1.", "Сбор сведений об участниках ОГЭ", "ноябрь 2023 года"]):
        t.cell(2, c).text = v
    for c, v in enumerate(["2.", "Формирование РИС", "декабрь 2023 года"]):
        t.cell(3, c).text = v
    # a responsible cell merged vertically over rows 2 and 3
    t.cell(2, 3).merge(t.cell(3, 3)).text = "МОУО, РЦОИ (Иванов И.И.)"
    t.cell(4, 0).text = "3."
    t.cell(4, 1).text = "Обучение организаторов ППЭ"
    # deadline and responsible merged horizontally
    t.cell(4, 2).merge(t.cell(4, 3)).text = "по графику Сектор ГИА"
    t.cell(5, 0).merge(t.cell(5, 3)).text = "Информирование"
    for c, v in enumerate(["1.", "Родительские собрания", "март 2024 года", "ОО"]):
        t.cell(6, c).text = v
    for c, v in enumerate(["", "и классные часы", "", ""]):
        t.cell(7, c).text = v
    d.add_paragraph("Исполнитель: Петров П.П.")
    d.save(path)


def write_xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "План"
    ws["A1"] = "Дорожная карта по подготовке к проведению ГИА-11 в 2025 году"
    ws.append([])
    ws.append(["№", "Наименование мероприятия", "Сроки исполнения", "Ответственные исполнители"])
    ws.append(["Нормативное обеспечение"])
    ws.merge_cells("A4:D4")
    ws.append(["1.", "Приказ о ППЭ", datetime.date(2024, 12, 1), "Министерство"])
    ws.append(["2.", "Приказ о ГЭК", "январь 2025 года", None])
    ws.merge_cells("D5:D6")
    ws.append(["3.", "Регламент видеонаблюдения", "по договору Сектор ГИА, РЦОИ", None])
    ws.merge_cells("C7:D7")
    ws.append([None, "и обучения специалистов", None, None])
    ws.append(["Информирование"])
    ws.merge_cells("A9:D9")
    ws.append([1, "Горячая линия", "постоянно", "РЦОИ"])
    wb.save(path)


def test_docx_round_trip(tmp_path):
    path = tmp_path / "plan.docx"
    write_docx(path)
    plan = read_plan(path)
    assert plan.format == "docx"
    assert plan.title == "План мероприятий по подготовке к ГИА-9 в 2024 году"
    assert plan.approved["date"] == "2023-09-15" and plan.approved["number"] == "812"
    assert plan.year == "2023/24"
    assert [(s.id, s.title) for s in plan.sections] == [("A", "Организационные мероприятия"), ("B", "Информирование")]
    assert [i.id for i in plan.items] == ["A1", "A2", "A3", "B1"]

    a1, a2, a3, b1 = plan.items
    assert a1.responsible_raw == "МОУО, РЦОИ (Иванов И.И.)"
    assert a1.responsible_names == ["МОУО", "РЦОИ"]
    assert a1.persons == [{"name": "Иванов И.И.", "organization": "РЦОИ"}]
    # the vertically merged cell is read once and inherited by the next row
    assert a2.responsible_raw == a1.responsible_raw
    assert a2.inherited == ["responsible"] and a2.inherited_from == {"responsible": "A1"}
    assert "МОУО" not in a2.activity
    # the horizontally merged deadline+responsible cell is read once and split
    assert (a3.deadline_raw, a3.responsible_raw) == ("по графику", "Сектор ГИА")
    assert "merged_deadline_responsible" in {w.code for w in a3.warnings}
    # continuation row with an empty number
    assert b1.activity == "Родительские собрания и классные часы"
    assert a1.track == "gia9"


def test_docx_merged_cells_read_once(tmp_path):
    path = tmp_path / "plan.docx"
    write_docx(path)
    raw = read_raw(path.read_bytes())
    rows = {r.line: r for r in raw.tables[0].rows}
    heading = rows[raw.tables[0].header_line + 1]
    assert heading.cells == ["Организационные мероприятия", "", "", ""]
    assert heading.spans == [4, 0, 0, 0]
    second = rows[raw.tables[0].header_line + 3]
    assert second.cells[3] == "" and second.vmerged == {3}
    merged = rows[raw.tables[0].header_line + 4]
    assert merged.cells[2:] == ["по графику Сектор ГИА", ""]
    assert merged.spans[2:] == [2, 0]
    # the paragraph after the table is not lost
    assert raw.trailer or any(r.kind == "paragraph" for r in raw.tables[0].rows)


def test_xlsx_round_trip(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_xlsx(path)
    plan = read_plan(path)
    assert plan.format == "xlsx"
    assert plan.title == "Дорожная карта по подготовке к проведению ГИА-11 в 2025 году"
    assert plan.year == "2024/25"
    assert [s.title for s in plan.sections] == ["Нормативное обеспечение", "Информирование"]
    assert [i.id for i in plan.items] == ["A1", "A2", "A3", "B1"]
    a1, a2, a3, b1 = plan.items
    assert a1.deadline_raw == "01.12.2024"  # a date cell
    assert a2.responsible_raw == "Министерство" and a2.inherited == ["responsible"]
    assert a3.activity == "Регламент видеонаблюдения и обучения специалистов"
    assert (a3.deadline_raw, a3.responsible_names) == ("по договору", ["Сектор ГИА", "РЦОИ"])
    assert b1.number == "1" and b1.line == 10


def test_xlsx_merged_ranges_read_once(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_xlsx(path)
    raw = read_raw(path.read_bytes())
    rows = {r.line: r for r in raw.tables[0].rows}
    assert rows[4].cells == ["Нормативное обеспечение", "", "", ""] and rows[4].spans == [4, 0, 0, 0]
    assert rows[6].cells[3] == "" and rows[6].vmerged == {3}
    assert rows[7].spans[2:] == [2, 0]


def test_xlsx_without_header_guesses_columns(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["1", "Сбор сведений об участниках экзаменов", "ноябрь 2024 года", "МОУО"])
    ws.append(["2", "Обучение организаторов пунктов проведения экзамена", "март 2025 года", "РЦОИ"])
    ws.append(["3", "Проведение репетиционного экзамена в школах района", "апрель 2025 года", "ОО"])
    path = tmp_path / "noheader.xlsx"
    wb.save(path)
    plan = read_plan(path)
    assert [i.activity[:4] for i in plan.items] == ["Сбор", "Обуч", "Пров"]
    assert plan.item("2").deadline_raw == "март 2025 года"
    assert plan.item("3").responsible_names == ["ОО"]
    assert "no_header" in {w.code for w in plan.warnings}


def test_docx_table_split_in_two_continues(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for i, h in enumerate(["Мероприятие", "Срок", "Ответственный"]):
        t.cell(0, i).text = h
    for i, v in enumerate(["Совещание", "май 2024 года", "РЦОИ"]):
        t.cell(1, i).text = v
    d.add_paragraph("")
    t2 = d.add_table(rows=1, cols=3)
    for i, v in enumerate(["Семинар", "июнь 2024 года", "МОУО"]):
        t2.cell(0, i).text = v
    path = tmp_path / "split.docx"
    d.save(path)
    plan = read_plan(path)
    assert [i.activity for i in plan.items] == ["Совещание", "Семинар"]


def test_corrupt_docx(tmp_path):
    import zipfile

    path = tmp_path / "bad.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<not xml")
    with pytest.raises(PlanReadError, match="Word"):
        read_plan(path)
