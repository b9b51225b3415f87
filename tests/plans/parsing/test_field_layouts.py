"""Plans shaped like other regions' roadmaps and plan-schedules (``field_plans.py`` builds them):
imported through the whole pipeline (read → structure → deadlines → lint) without a database.

Every test asserts what a user of the preview needs: the number of items and sections, numbers,
parents, deadlines, the academic year, the approval — or a Russian finding that says what could
not be read.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itog.plans.importing import parse_document
from itog.plans.parsing.readers import read_raw

from . import field_plans as F


def imported(data: bytes, name: str):
    return parse_document(data, name)


def codes(doc) -> set[str]:
    return {w.code for w in doc.plan.warnings} | {f["code"] for f in doc.findings}


def item_codes(doc) -> set[str]:
    return {w.code for it in doc.plan.items for w in it.warnings if w.code != "unresolved_actor"}


def windows(item) -> list[tuple[str | None, str | None]]:
    return [(w.get("start"), w.get("end")) for w in item.deadline.get("windows", [])]


@pytest.fixture(scope="module")
def sections_docx():
    return imported(F.docx_sections_landscape(), "карта.docx")


def test_docx_one_table_per_section_under_a_repeated_header(sections_docx):
    """Three tables with the same header (repeated on every page, «1 2 3 4» under it), a section
    heading paragraph above each: three sections, 20 items, no row of column numbers imported."""
    plan = sections_docx.plan
    assert [s.title for s in plan.sections] == [
        "I. Нормативное правовое обеспечение",
        "II. Обучение лиц, привлекаемых к проведению ГИА",
        "III. Информационное сопровождение",
    ]
    assert len(plan.items) == 3 + 15 + 2
    assert [it.number for it in plan.items[:4]] == ["1.1", "1.2", "1.3", "2.1"]
    assert [it.section for it in plan.items].count(plan.sections[1].id) == 15
    assert not any(it.activity.isdigit() for it in plan.items)
    # no «нет пункта 2», no «нарушена последовательность», no duplicated numbers
    assert not item_codes(sections_docx) & {"parent_missing", "number_gap", "number_order", "duplicate_number"}
    assert "duplicate_number" not in codes(sections_docx)


def test_docx_approval_stamp_in_a_two_column_table_and_title_in_paragraphs(sections_docx):
    plan = sections_docx.plan
    assert plan.approved["date"] == "2025-08-28" and plan.approved["number"] == "1024"
    assert plan.title.startswith("ДОРОЖНАЯ КАРТА по организации и проведению государственной итоговой")
    assert plan.title.endswith("в 2025/26 учебном году")
    assert sections_docx.year == "2025/26"


def test_docx_text_after_the_last_table_is_not_a_section(sections_docx):
    assert all("сокращения" not in s.title.lower() for s in sections_docx.plan.sections)
    assert sections_docx.plan.items[-1].number == "3.2"


def test_docx_field_deadline_phrasings(sections_docx):
    plan = sections_docx.plan
    by = {it.number: it for it in plan.items}
    assert windows(by["1.2"]) == [("2025-09-01", "2026-05-31")]  # «01.09.2025-31.05.2026»
    assert windows(by["2.2"]) == [("2025-09-01", "2026-05-31")]  # «сентябрь 2025 - май 2026»
    assert by["1.3"].deadline["recurrence"]["freq"] == "yearly"  # «ежегодно до 1 октября»
    assert windows(by["1.3"]) == [(None, "2025-10-01")]
    assert by["2.3"].deadline["anchor"]["event"] == "gia_start"  # «за 10 дней до начала ГИА-9»
    assert by["2.3"].deadline["anchor"]["offset"] == -10
    assert by["3.1"].deadline["recurrence"]["freq"] == "as_needed"  # «по мере поступления»
    assert by["2.1"].deadline["kind"] == "external"  # «по отдельному графику (приложение 2)»


def test_docx_header_row_repeated_inside_one_table_and_merged_number_cells():
    doc = imported(F.docx_repeated_header_rows(), "карта.docx")
    plan = doc.plan
    assert [it.number for it in plan.items] == ["1", *[f"1.{k}" for k in range(1, 9)], "2", "2.1", "2.2"]
    assert [it.parent for it in plan.items if it.number.startswith("1.")] == ["1"] * 8
    assert all("Наименование" not in it.activity for it in plan.items)
    by = {it.number: it for it in plan.items}
    # the number cell merged over two rows: one item, its text joined
    assert by["2.1"].activity == "Мониторинг готовности ППЭ с выездом в ППЭ на дому"
    assert windows(by["2.1"]) == [("2026-03-01", "2026-03-31")]
    assert "unreadable_deadline" not in codes(doc)


@pytest.mark.parametrize("builder,name", [(F.docx_gantt, "график.docx"), (F.xlsx_gantt, "график.xlsx")])
def test_gantt_month_columns_with_marks_become_deadlines(builder, name):
    doc = imported(builder(), name)
    plan = doc.plan
    assert doc.year == "2025/26"
    assert len(plan.items) == 4
    one, two, three, four = plan.items
    assert one.deadline_raw == "октябрь – ноябрь" and windows(one) == [("2025-10-01", "2025-11-30")]
    assert windows(two) == [("2025-09-01", "2025-09-30"), ("2026-01-01", "2026-01-31"), ("2026-04-01", "2026-04-30")]
    assert windows(three) == [("2026-03-01", "2026-03-31")]
    assert windows(four) == [("2025-09-01", "2026-05-31")]
    assert "month_marks" in codes(doc) and "unreadable_deadline" not in codes(doc)
    assert [it.responsible_raw for it in plan.items] == ["РЦОИ", "ОО", "МОУО", "ОО"]


@pytest.fixture(scope="module")
def schedule():
    return imported(F.xlsx_schedule(), "график.xlsx")


def test_xlsx_title_sheet_gives_title_approval_and_year(schedule):
    plan = schedule.plan
    assert plan.title.startswith("ПЛАН-ГРАФИК подготовки и проведения итогового собеседования")
    assert plan.approved["number"] == "777" and plan.approved["date"] == "2025-09-01"
    assert schedule.year == "2025/26"
    assert plan.abbreviations == {
        "РЦОИ": "региональный центр обработки информации",
        "ОО": "образовательная организация",
    }


def test_xlsx_date_cells_in_start_and_end_columns(schedule):
    by = {it.number: it for it in schedule.plan.items}
    assert windows(by["1.1"]) == [("2025-10-01", "2025-10-06")]
    assert windows(by["2"]) == [("2026-02-11", "2026-02-11")]  # a datetime cell at midnight
    assert by["1.1"].deadline_start_raw == "01.10.2025"


def test_xlsx_float_numbers_are_read_in_order_and_reported(schedule):
    """1.10 typed as a number is the float 1.1: read as 1.10 after 1.9, with a warning."""
    plan = schedule.plan
    assert [it.number for it in plan.items] == ["1", *[f"1.{k}" for k in range(1, 11)], "2", "3", "4"]
    assert [it.parent for it in plan.items[1:11]] == ["1"] * 10
    warned = [w for w in plan.warnings if w.code == "float_number"]
    assert len(warned) == 1 and "1.10" in warned[0].message and warned[0].line == 12
    assert "float_numbers" in codes(schedule)
    assert "duplicate_number" not in codes(schedule)


def test_xlsx_numbers_as_text_need_no_warning():
    doc = imported(F.xlsx_schedule(float_numbers=False, hidden=False), "график.xlsx")
    assert [it.number for it in doc.plan.items][:11] == ["1", *[f"1.{k}" for k in range(1, 11)]]
    assert not codes(doc) & {"float_number", "float_numbers", "hidden_rows", "hidden_columns"}


def test_xlsx_hidden_rows_and_columns_are_said(schedule):
    plan = schedule.plan
    hidden = next(w for w in plan.warnings if w.code == "hidden_rows")
    assert "15" in hidden.message and hidden.severity == "warning"
    assert any(it.number == "3" for it in plan.items)  # imported, not dropped silently
    assert any(w.code == "hidden_columns" and "Служебная отметка" in w.message for w in plan.warnings)


def test_pdf_saved_from_word_with_the_header_repeated_on_every_page():
    data = F.pdf_from_word(40)
    raw = read_raw(data, "auto", "карта.pdf")
    assert raw.format == "pdf" and len(raw.tables) >= 2  # the header found again on the next pages
    doc = imported(data, "карта.pdf")
    plan = doc.plan
    assert len(plan.items) == 40 and len(plan.sections) == 2
    assert [it.number for it in plan.items[:3]] == ["1.1", "1.2", "1.3"]
    assert plan.items[-1].number == "2.20"
    assert plan.approved["number"] == "900" and doc.year == "2025/26"
    assert "unreadable_deadline" not in codes(doc)


# ---------------------------------------------------------------------------
# Deadline phrasings of other regions' plans (the grammar alone)
# ---------------------------------------------------------------------------

FIELD_DEADLINES = [
    # (text, kind, windows, extra check)
    ("01.09.2025-31.05.2026", "window", [("2025-09-01", "2026-05-31")], None),
    ("01.09.2025 г.-31.05.2026 г.", "window", [("2025-09-01", "2026-05-31")], None),
    ("сентябрь 2025 - май 2026", "window", [("2025-09-01", "2026-05-31")], None),
    ("ноябрь 2025 – февраль 2026 г.", "window", [("2025-11-01", "2026-02-28")], None),
    ("ежегодно до 1 октября", "recurring", [(None, "2025-10-01")], ("recurrence", "freq", "yearly")),
    ("по мере поступления", "recurring", [("2025-09-01", "2026-08-31")], ("recurrence", "freq", "as_needed")),
    # were «Часть текста не разобрана: «следующего за отчетным»»
    ("до 5 числа месяца, следующего за отчетным", "recurring", None, ("recurrence", "day", 5)),
    ("до 10 числа месяца, следующего за отчетным периодом", "recurring", None, ("recurrence", "day", 10)),
    # was «не разобрано: «приложение»»; the annex number is kept
    ("по отдельному графику (приложение 2)", "external", [], None),
    ("согласно графику (прил. 1)", "external", [], None),
    ("за 10 дней до начала ГИА-9", "relative", [], ("anchor", "event", "gia_start")),
    # were «не удалось разобрать»
    ("после каждого экзамена", "relative", [], ("anchor", "event", "exam_day")),
    ("по итогам каждого экзамена", "relative", [], ("anchor", "event", "exam_day")),
    # was the whole year 2025 with a warning about an «исполнитель «III-IV кв»»
    ("III-IV кв. 2025", "window", [("2025-07-01", "2025-12-31")], None),
    # was the second quarter only, «I» not read
    ("I-II квартал 2026", "window", [("2026-01-01", "2026-06-30")], None),
    ("III кв. 2025 г.", "window", [("2025-07-01", "2025-09-30")], None),
    # were the whole period with «не разобрано: «конца»»
    ("до конца II квартала 2026 г.", "by_date", [(None, "2026-06-30")], None),
    ("до конца 2025 года", "by_date", [(None, "2025-12-31")], None),
    ("до окончания I полугодия", "by_date", [(None, "2025-12-31")], None),
    # was «не разобрано: «далее»»
    ("до 01.02.2026, далее – ежемесячно", "recurring", [(None, "2026-02-01")], ("recurrence", "freq", "monthly")),
]


@pytest.mark.parametrize("text,kind,expected,check", FIELD_DEADLINES, ids=[t for t, *_ in FIELD_DEADLINES])
def test_field_deadline_phrasings(text, kind, expected, check):
    from itog.plans.parsing.deadlines import AcademicYear, parse_deadline

    d = parse_deadline(text, AcademicYear.parse("2025/26")).to_json()
    assert d["kind"] == kind
    # «за 10 дней» rightly says the days are taken as calendar days; nothing else is left unread
    assert set(d["warning_codes"]) <= {"day_type_unspecified"}
    if expected is not None:
        assert [(w["start"], w["end"]) for w in d["windows"]] == expected
    if check:
        part, key, value = check
        assert d[part][key] == value


def test_annex_schedule_is_named_in_the_finding(sections_docx):
    item = next(it for it in sections_docx.plan.items if it.number == "2.1")
    assert item.deadline["qualifiers"]["schedule"][0]["annex"] == "2"
    finding = next(f for f in sections_docx.findings if f["code"] == "external_schedule" and f["item"] == item.id)
    assert "приложение 2" in finding["message"]


# ---------------------------------------------------------------------------
# People and posts in the responsible column
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,names,persons",
    [
        # were: the post read as an organisation «начальник отдела ГИА» (not in the dictionary)
        ("Петров П.П., начальник отдела ГИА", [], [("Петров П.П.", None, "начальник отдела ГИА")]),
        ("Иванов И.И., заместитель министра; РЦОИ", ["РЦОИ"], [("Иванов И.И.", None, "заместитель министра")]),
        ("заместитель министра Петров П.П.", [], [("Петров П.П.", None, "заместитель министра")]),
        # was «Министерство ( , главный специалист)»
        (
            "Министерство (Сидорова А.А., главный специалист)",
            ["Министерство"],
            [("Сидорова А.А.", "Министерство", "главный специалист")],
        ),
        # was «РЦОИ ( , )»
        ("РЦОИ (Иванов И.И., Петров П.П.)", ["РЦОИ"], [("Иванов И.И.", "РЦОИ", None), ("Петров П.П.", "РЦОИ", None)]),
        ("БУ РК «ЦОКО» (Убушаева Е.И.), МОУО", ["БУ РК «ЦОКО»", "МОУО"], [("Убушаева Е.И.", "БУ РК «ЦОКО»", None)]),
        ("руководители ОО", ["руководители ОО"], []),
    ],
)
def test_people_and_posts_in_the_responsible_cell(text, names, persons):
    from itog.plans.parsing.structure import split_responsible

    got_names, got_persons = split_responsible(text)
    assert got_names == names
    assert [(p["name"], p["organization"], p.get("position")) for p in got_persons] == persons


def test_a_person_without_an_organisation_is_said(sections_docx):
    item = next(it for it in sections_docx.plan.items if it.number == "2.2")
    assert item.persons == [{"name": "Петров П.П.", "organization": None, "position": "начальник отдела ГИА"}]
    assert item.responsible_names == []
    warning = next(w for w in item.warnings if w.code == "person_without_organization")
    assert "Петров П.П., начальник отдела ГИА" in warning.message and warning.severity == "warning"


# ---------------------------------------------------------------------------
# Word's automatic numbering; a two-row XLSX header; a number cell merged over stages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "levels,numbers,parents",
    [(False, ["1", "2", "3", "4"], [None] * 4), (True, ["1", "1.1", "1.2", "2"], [None, "1", "1", None])],
)
def test_docx_numbers_from_word_auto_numbering(levels, numbers, parents):
    """The «№» cells are empty in the text (w:numPr): were 4 «строка без номера» items."""
    doc = imported(F.docx_auto_numbered(levels), "план.docx")
    plan = doc.plan
    assert [it.number for it in plan.items] == numbers
    assert [it.parent for it in plan.items] == parents
    assert not item_codes(doc) & {"unnumbered_row", "parent_missing"}
    note = next(w for w in plan.warnings if w.code == "word_auto_numbers")
    assert "автонумерацией Word" in note.message and note.severity == "info"
    assert not doc.findings


def test_word_list_without_a_definition_is_numbered_with_a_warning():
    import io

    import docx

    d = docx.Document(io.BytesIO(F.docx_auto_numbered()))
    body = d.part.numbering_part.element
    for num in body.findall(F.qn("w:num")):  # the definitions are lost (a damaged copy)
        if num.get(F.qn("w:numId")) == "90":
            body.remove(num)
    out = io.BytesIO()
    d.save(out)
    doc = imported(out.getvalue(), "план.docx")
    assert [it.number for it in doc.plan.items] == ["1", "2", "3", "4"]
    assert next(w for w in doc.plan.warnings if w.code == "word_auto_numbers").severity == "warning"


def test_xlsx_two_row_header_and_a_number_merged_over_two_stages():
    doc = imported(F.xlsx_two_row_header(), "карта.xlsx")
    plan = doc.plan
    assert plan.columns["start"] == "начало" and plan.columns["end"] == "окончание"
    assert [it.number for it in plan.items] == ["1", "2", "3"]
    one, two, three = plan.items
    assert windows(one) == [("2025-10-01", "2025-10-31")]
    # was «01.11.2025 02.03.2026 – 01.03.2026 15.03.2026»: windows mixed up, «end before start»
    assert windows(two) == [("2025-11-01", "2026-03-01"), ("2026-03-02", "2026-03-15")]
    assert two.responsible_names == ["ОО", "РЦОИ"]
    assert three.deadline["kind"] == "external"
    assert "end_before_start" not in codes(doc)


def test_xlsx_one_sheet_per_part_gives_one_section_per_sheet():
    """Was: items 1, 2, 1, 2 in one list with «Номер 1 встречается дважды»."""
    doc = imported(F.xlsx_sheet_per_section(), "график.xlsx")
    plan = doc.plan
    assert [s.title for s in plan.sections] == ["ГИА-9", "ГИА-11"]
    assert [(it.section, it.number) for it in plan.items] == [
        (plan.sections[0].id, "1"),
        (plan.sections[0].id, "2"),
        (plan.sections[1].id, "1"),
        (plan.sections[1].id, "2"),
    ]
    assert windows(plan.items[2]) == [(None, "2026-02-01")]
    assert not codes(doc) & {"duplicate_number", "repeated_header"}


def test_pdf_without_ruling_lines_is_read_by_its_aligned_columns():
    doc = imported(F.pdf_borderless(), "план.pdf")
    plan = doc.plan
    assert plan.layout[:2] == ["pdf", "fixed"] or "fixed" in plan.layout
    assert [it.number for it in plan.items] == ["1", "2", "3"]
    assert windows(plan.items[2]) == [("2026-01-01", "2026-02-28")]
    assert [it.responsible_names for it in plan.items] == [["МОУО"], ["РЦОИ"], ["МОУО", "ОО"]]
    assert doc.year == "2025/26"


@pytest.mark.parametrize(
    "lines,kind,date,number",
    [
        (
            ["УТВЕРЖДЕНА", "приказом Министерства образования", "от «28» августа 2025 г. № 1024"],
            "приказ",
            "2025-08-28",
            "1024",
        ),
        (
            ["Приложение № 1", "к распоряжению министерства", "от 01 сентября 2025 года № 55-р"],
            "распоряжение",
            "2025-09-01",
            "55-р",
        ),
        # was not read: a signature stamp without an order
        (
            ["УТВЕРЖДАЮ", "Министр образования", "____________ И.И. Иванов", "«01» сентября 2025 г."],
            "гриф «УТВЕРЖДАЮ»",
            "2025-09-01",
            None,
        ),
    ],
)
def test_approval_stamps_of_other_regions(lines, kind, date, number):
    from itog.plans.parsing.structure import extract_approval

    approved, findings = extract_approval(list(enumerate(lines, 1)))
    assert (approved["kind"], approved["date"], approved["number"]) == (kind, date, number)
    assert findings == []


def test_unsigned_approval_stamp_is_a_draft():
    from itog.plans.parsing.structure import extract_approval

    lines = ["УТВЕРЖДАЮ", "Министр образования", "____________ И.И. Иванов", "«___» ____________ 2025 г."]
    approved, findings = extract_approval(list(enumerate(lines, 1)))
    assert approved is None
    assert [f.code for f in findings] == ["approval_placeholder"]
    assert findings[0].message.startswith("Дата утверждения не заполнена")


def test_cli_dry_run_json_on_a_generated_docx(tmp_path):
    """`itog plan import FILE --dry-run --json` on another region's layout (no database needed)."""
    import json
    import os
    import subprocess
    import sys

    path = tmp_path / "карта.docx"
    path.write_bytes(F.docx_sections_landscape(pad_rows=2))
    env = {**os.environ, "ITOG_DATA_DIR": str(tmp_path), "ITOG_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "itog", "plan", "import", str(path), "--dry-run", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["sections"]) == 3 and len(doc["items"]) == 3 + 5 + 2
    assert doc["year"] == "2025/26" and doc["approved"]["number"] == "1024"


def test_xlsx_dates_kept_as_day_numbers_are_read_as_dates_and_said():
    """Was «Не удалось разобрать срок: «45931 – 45961»»."""
    doc = imported(F.xlsx_serial_dates(), "план.xlsx")
    one, two = doc.plan.items
    assert windows(one) == [("2025-10-01", "2025-10-31")]
    assert windows(two) == [("2025-12-03", "2025-12-03")]
    note = next(w for w in doc.plan.warnings if w.code == "serial_dates")
    assert "3, 4" in note.message and note.severity == "warning"
    assert "unreadable_deadline" not in codes(doc)


@pytest.mark.parametrize(
    "text,is_section",
    [
        ("I. Нормативное правовое обеспечение", True),
        ("Раздел 2. Обучение специалистов", True),
        ("1. План мероприятий по подготовке к ГИА", False),  # a numbered title, not a section
        ("Приложение 1 к приказу от 01.09.2025 № 5", False),
        ("ДОРОЖНАЯ КАРТА", False),
    ],
)
def test_paragraph_right_above_the_first_table_as_a_section(text, is_section):
    from itog.plans.parsing.readers import _section_lead

    assert (_section_lead([(3, text)], 3) is not None) == is_section
    assert _section_lead([(2, text)], 3) is None  # a blank line between: not the table's heading


def test_docx_table_given_twice_is_still_a_duplicate_not_a_second_section():
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("План мероприятий по подготовке к ГИА в 2026 году")
    for _ in range(2):
        table = d.add_table(rows=3, cols=4)
        F._fill(
            table,
            [["№", "Мероприятие", "Срок", "Ответственный"], ["1", "Совещание", "сентябрь 2025", "МОУО"]]
            + [["2", "Обучение", "октябрь 2025", "РЦОИ"]],
        )
        d.add_paragraph("")
    out = io.BytesIO()
    d.save(out)
    doc = imported(out.getvalue(), "план.docx")
    assert [it.number for it in doc.plan.items] == ["1", "2"]
    assert "duplicate_table" in codes(doc)


# ---------------------------------------------------------------------------
# Word lists over several tables: continued, restarted («начать заново»), redefined, styled
# ---------------------------------------------------------------------------


def _two_tables(second: str) -> bytes:
    """Two section tables numbered by Word: the second table's list is the first list continued, a new list
    of the same definition (``shared``), the same restarted at 1 (``restart``), or restarted with a level
    redefined as «а)» (``redefined``)."""
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("План мероприятий по подготовке к ГИА-11 в 2025/2026 учебном году")
    first = F._decimal_list(d, 90)
    numbering = d.part.numbering_part.element
    other = first
    if second != "continued":
        num = F.OxmlElement("w:num")
        num.set(F.qn("w:numId"), "91")
        ref = F.OxmlElement("w:abstractNumId")
        ref.set(F.qn("w:val"), "90")
        num.append(ref)
        if second in ("restart", "redefined"):
            override = F.OxmlElement("w:lvlOverride")
            override.set(F.qn("w:ilvl"), "0")
            if second == "restart":
                start = F.OxmlElement("w:startOverride")
                start.set(F.qn("w:val"), "1")
                override.append(start)
            else:
                lvl = F.OxmlElement("w:lvl")
                lvl.set(F.qn("w:ilvl"), "0")
                for tag, value in (("w:start", "1"), ("w:numFmt", "russianLower"), ("w:lvlText", "%1)")):
                    child = F.OxmlElement(tag)
                    child.set(F.qn("w:val"), value)
                    lvl.append(child)
                override.append(lvl)
            num.append(override)
        numbering.append(num)
        other = 91
    for title, num_id, rows in (
        ("1. Организационные мероприятия", first, ["Совещание", "Приказ", "Списки"]),
        ("2. Проведение", other, ["Сочинение", "Проверка"]),
    ):
        d.add_paragraph(title)
        table = d.add_table(rows=1 + len(rows), cols=4)
        F._fill(table, [["№", "Мероприятие", "Срок", "Ответственный"]])
        for r, act in enumerate(rows, 1):
            F._fill(table, [["", act, "ноябрь 2025 г.", "РЦОИ"]], r)
            F._numbered(table.cell(r, 0).paragraphs[0], num_id, 0)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("second", "numbers"),
    [
        ("continued", ["1.", "2.", "3.", "4.", "5."]),
        ("shared", ["1.", "2.", "3.", "4.", "5."]),  # another list of the same definition continues, as in Word
        ("restart", ["1.", "2.", "3.", "1.", "2."]),
        ("redefined", ["1.", "2.", "3.", "а)", "б)"]),
    ],
)
def test_word_numbering_continues_restarts_and_redefines_as_word_shows_it(second, numbers):
    raw = read_raw(_two_tables(second), filename="план.docx")
    cells = [row.cells[0] for table in raw.tables for row in table.rows if len(row.cells) > 1]
    assert cells == numbers
    doc = imported(_two_tables(second), "план.docx")
    note = next(w for w in doc.plan.warnings if w.code == "word_auto_numbers")
    assert note.severity == "info" and "могут не совпасть" not in note.message


def test_a_list_defined_by_a_numbering_style_is_said_to_be_unsure():
    import io

    import docx

    d = docx.Document(io.BytesIO(F.docx_auto_numbered()))
    body = d.part.numbering_part.element
    for abstract in body.findall(F.qn("w:abstractNum")):
        if abstract.get(F.qn("w:abstractNumId")) == "90":
            for lvl in abstract.findall(F.qn("w:lvl")):
                abstract.remove(lvl)
            link = F.OxmlElement("w:numStyleLink")
            link.set(F.qn("w:val"), "ПланНумерация")
            abstract.append(link)
    out = io.BytesIO()
    d.save(out)
    doc = imported(out.getvalue(), "план.docx")
    note = next(w for w in doc.plan.warnings if w.code == "word_auto_numbers")
    assert note.severity == "warning" and "сверьте нумерацию" in note.message


# ---------------------------------------------------------------------------
# What python-docx does not show: tracked changes, content controls, text boxes
# ---------------------------------------------------------------------------


def _reviewed_plan(wrap_table: bool = False) -> bytes:
    """A plan sent back «в режиме рецензирования»: item 2's deadline replaced (w:del + w:ins), item 3's
    activity typed into a content control (w:sdt), item 1's responsible a hyperlink and a text box beside
    it; with ``wrap_table`` the whole table sits in a content control (a template's form)."""
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def xml(body: str):  # the namespace declared on the fragment's first element
        end = body.index(">")
        return parse_xml(body[:end] + f" {nsdecls('w')}" + body[end:])

    d = docx.Document()
    d.add_paragraph("План мероприятий по подготовке к ГИА-11 в 2025/2026 учебном году")
    t = d.add_table(rows=4, cols=4)
    rows = [
        ("№", "Мероприятие", "Срок", "Ответственный"),
        ("1", "Совещание", "октябрь 2025 г.", ""),
        ("2", "Приказ", "", "МОУО"),
        ("3", "", "декабрь 2025 г.", "ОО"),
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    p = t.cell(2, 2).paragraphs[0]._p
    p.append(xml('<w:del w:id="1" w:author="Проверяющий"><w:r><w:delText>ноябрь 2025 г.</w:delText></w:r></w:del>'))
    p.append(xml('<w:ins w:id="2" w:author="Проверяющий"><w:r><w:t>до 15.11.2025</w:t></w:r></w:ins>'))
    tc = t.cell(3, 1)._tc
    tc.remove(tc.findall(F.qn("w:p"))[0])
    tc.append(
        xml("<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Списки участников</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    )
    p = t.cell(1, 3).paragraphs[0]._p
    p.append(xml('<w:hyperlink w:anchor="rcoi"><w:r><w:t>РЦОИ</w:t></w:r></w:hyperlink>'))
    p.append(
        xml(
            "<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>Примечание на полях</w:t></w:r></w:p>"
            "</w:txbxContent></w:pict></w:r>"
        )
    )
    if wrap_table:
        sdt = xml("<w:sdt><w:sdtPr/><w:sdtContent/></w:sdt>")
        t._tbl.addprevious(sdt)
        sdt[1].append(t._tbl)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.mark.parametrize("wrap_table", [False, True])
def test_a_reviewed_word_plan_is_read_as_word_shows_it(wrap_table):
    doc = imported(_reviewed_plan(wrap_table), "план.docx")
    one, two, three = doc.plan.items
    assert two.deadline_raw == "до 15.11.2025"  # was «октябрь 2025 г.», inherited over the lost insertion
    assert "inherited" not in (two.inherited or []) and windows(two) == [(None, "2025-11-15")]
    assert three.activity == "Списки участников"  # was empty: the content control's text was not read
    assert one.responsible_raw == "РЦОИ"  # the hyperlink counts, the text box beside it does not
    note = next(w for w in doc.plan.warnings if w.code == "tracked_changes")
    assert note.severity == "warning" and "режим рецензирования" in note.message


def test_a_plan_without_tracked_changes_has_no_such_warning():
    doc = imported(F.docx_auto_numbered(), "план.docx")
    assert not any(w.code == "tracked_changes" for w in doc.plan.warnings)


# ---------------------------------------------------------------------------
# XLSX formulas: saved values are read; formulas without them are said, never inherited over
# ---------------------------------------------------------------------------


def _formula_plan(saved: bool) -> bytes:
    """Deadlines and a number computed by formulas. A file written by a program has no saved values (openpyxl
    writes none); with ``saved`` the values Excel would store are put in, as in a file saved by Excel."""
    import io
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["План мероприятий по подготовке к ГИА-11 в 2025/2026 учебном году"])
    ws.append(["№", "Мероприятие", "Срок", "Ответственный"])
    ws.append([1, "Совещание", "октябрь 2025 г.", "РЦОИ"])
    ws.append([2, "Приказ", "=DATE(2025,11,15)", "МОУО"])
    ws.append([3, "Списки", '="до "&TEXT(DATE(2025,12,1),"ДД.ММ.ГГГГ")', "ОО"])
    ws.append(["=A5+1", "Проверка", "декабрь 2025 г.", "ОО"])
    out = io.BytesIO()
    wb.save(out)
    if not saved:
        return out.getvalue()
    values = {"C4": "<v>45976</v>", "C5": "<v>до 01.12.2025</v>", "A6": "<v>4</v>"}
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, value in values.items():
                    start = text.index(f'<c r="{ref}"')
                    empty = text.index("<v></v>", start)
                    text = text[:empty] + value + text[empty + len("<v></v>") :]
                    if ref == "C5":  # a string result
                        text = text[:start] + text[start:].replace(f'<c r="{ref}"', f'<c r="{ref}" t="str"', 1)
                data = text.encode()
            dst.writestr(name, data)
    return result.getvalue()


def test_xlsx_formulas_with_saved_values_are_read():
    doc = imported(_formula_plan(saved=True), "план.xlsx")
    assert [it.number for it in doc.plan.items] == ["1", "2", "3", "4"]
    two, three = doc.plan.items[1:3]
    assert windows(two) == [("2025-11-15", "2025-11-15")]  # a day number in a «Общий» cell (serial_dates)
    assert windows(three) == [(None, "2025-12-01")]
    assert not any(w.code == "uncached_formulas" for w in doc.plan.warnings)


def test_xlsx_formulas_without_saved_values_are_said_not_inherited():
    doc = imported(_formula_plan(saved=False), "план.xlsx")
    one, two, three, four = doc.plan.items
    # was: item 2 inherited «октябрь 2025 г.» from item 1 and item 3 had no deadline, both without a word
    assert two.deadline_raw == "=DATE(2025,11,15)" and "deadline" not in two.inherited
    assert two.deadline["kind"] == "unknown" and three.deadline["kind"] == "unknown"
    assert two.deadline["warnings"] == [
        "В ячейке срока формула без сохранённого значения («=DATE(2025,11,15)»): срок не прочитан."
    ]
    note = next(w for w in doc.plan.warnings if w.code == "uncached_formulas")
    assert note.severity == "warning" and "C4, C5, A6" in note.message
    assert {f["code"] for f in doc.findings} >= {"unreadable_deadline"}


def test_a_table_nested_in_a_cell_is_read_one_line_per_row():
    """An item whose stages are a small table inside the activity cell: python-docx gives no text for it (the
    activity was «Проведение» alone, its stages lost)."""
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("План мероприятий по подготовке к ГИА-11 в 2025/2026 учебном году")
    t = d.add_table(rows=2, cols=4)
    for c, value in enumerate(["№", "Мероприятие", "Срок", "Ответственный"]):
        t.cell(0, c).text = value
    for c, value in enumerate(["1", "Проведение тренировочных мероприятий:", "ноябрь 2025 г.", "РЦОИ"]):
        t.cell(1, c).text = value
    inner = t.cell(1, 1).add_table(rows=2, cols=2)
    for r, (stage, when) in enumerate([("по русскому языку", "10.11.2025"), ("по математике", "17.11.2025")]):
        inner.cell(r, 0).text = stage
        inner.cell(r, 1).text = when
    out = io.BytesIO()
    d.save(out)
    (item,) = imported(out.getvalue(), "план.docx").plan.items
    assert "по русскому языку | 10.11.2025" in item.activity and "по математике | 17.11.2025" in item.activity


# ---------------------------------------------------------------------------
# A web page: Word's «веб-страница», a page saved from the ministry's site
# ---------------------------------------------------------------------------

WEB_PLAN = """<!DOCTYPE html><html><head><meta charset="windows-1251"><title>План</title>
<style>td {{ border: 1px solid }}</style><script>var row = "<tr><td>9</td><td>Не пункт</td></tr>";</script></head>
<body><p align=center><b>УТВЕРЖДЁН</b><br>приказом Министерства от 01.09.2025 № 123</p>
<h2>План мероприятий по подготовке к ГИА-11 в 2025/2026 учебном году</h2>
<table border=1>
<tr><th>№ п/п</th><th>Мероприятие</th><th>Срок</th><th>Ответственный</th></tr>
<tr><td colspan=4><b>I. Нормативное обеспечение</b></td></tr>
<tr><td>1.1</td><td>Разработка приказа о&nbsp;проведении {evil}</td><td>октябрь 2025 г.</td><td>Министерство</td></tr>
<tr><td>1.2</td><td>Утверждение<br>составов ГЭК</td><td>до 01.12.2025</td><td>РЦОИ, МОУО</td></tr>
<tr><td colspan=4><b>II. Обучение</b></td></tr>
<tr><td>2.1</td><td>Обучение организаторов:<table><tr><td>ППЭ</td><td>март 2026</td></tr>
<tr><td>ГЭК</td><td>апрель 2026</td></tr></table></td><td>март – апрель 2026 г.</td><td>РЦОИ</td></tr>
</table></body></html>"""


def test_a_web_page_plan_is_read_with_its_approval_sections_and_nested_stages():
    data = WEB_PLAN.format(evil="&lt;script&gt;").encode("cp1251")
    doc = imported(data, "план.htm")
    plan = doc.plan
    assert doc.year == "2025/26" and plan.approved["number"] == "123" and plan.approved["date"] == "2025-09-01"
    assert [it.number for it in plan.items] == ["1.1", "1.2", "2.1"]
    one, two, three = plan.items
    assert one.activity == "Разработка приказа о проведении <script>"  # an entity is text, never markup
    assert two.activity == "Утверждение составов ГЭК" and windows(two) == [(None, "2025-12-01")]
    assert "ППЭ | март 2026" in three.activity and "ГЭК | апрель 2026" in three.activity
    assert windows(three) == [("2026-03-01", "2026-04-30")]
    assert "Не пункт" not in str(plan.to_json())  # a script's text is not the plan's


def test_a_web_page_without_a_table_is_refused_in_russian():
    from itog.plans.parsing.model import PlanReadError

    with pytest.raises(PlanReadError, match="На веб-странице нет таблиц"):
        imported("<html><body><p>1. Совещание - октябрь 2025</p></body></html>".encode(), "план.html")


_TAGS = ["<table>", "</table>", "<tr>", "</tr>", "<td colspan=99999999999>", "<td colspan=-1>", "</td>", "<th>", "<br>"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_TAGS), st.text(max_size=12)), max_size=40))
def test_any_web_page_is_read_or_refused_in_russian(parts):
    """Broken markup (unclosed tables, a cell outside a row, absurd spans) never ends in a program error."""
    from itog.plans.parsing.model import PlanReadError

    page = "<html><body>" + "".join(parts) + "</body></html>"
    try:
        read_raw(page.encode(), filename="план.html")
    except PlanReadError as exc:
        assert exc.message and exc.message[0].isupper()
