"""Builders of plans shaped like other regions' roadmaps and plan-schedules (not the seeds).

Each builder writes a real office file (python-docx, openpyxl, ReportLab) into bytes; the tests in
``test_field_layouts.py`` import them and assert what a user needs.  The wording is invented for
these tests; the shapes are those seen in Russian regional plans: landscape Word tables over several
pages with the header repeated, a column-number row «1 2 3 4» under the header, one table per
section, approval stamps in a borderless two-column table, Gantt-like month columns with «+» marks,
plan-schedules with Excel date cells, several sheets, hidden rows and PDFs saved from Word.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

HEADER4 = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные исполнители"]


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)


def _repeat_header(row) -> None:
    """Word's «Повторять как заголовок на каждой странице» (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _fill(table, rows: Iterable[list[str]], start: int = 0) -> None:
    for r, values in enumerate(rows, start):
        for c, value in enumerate(values):
            table.cell(r, c).text = value


# ---------------------------------------------------------------------------
# 1. Landscape DOCX: approval stamp table, title in several paragraphs, one table per section,
#    a column-number row under every header, the header row marked to repeat on each page
# ---------------------------------------------------------------------------

SECTIONS_A = [
    (
        "I. Нормативное правовое обеспечение",
        [
            ("1.1", "Подготовка приказа об организации ГИА-9 в 2026 году", "до 15 октября 2025 г.", "Министерство"),
            ("1.2", "Утверждение состава ГЭК", "01.09.2025-31.05.2026", "Министерство, РЦОИ"),
            ("1.3", "Утверждение мест расположения ППЭ", "ежегодно до 1 октября", "Министерство"),
        ],
    ),
    (
        "II. Обучение лиц, привлекаемых к проведению ГИА",
        [
            ("2.1", "Обучение организаторов ППЭ", "по отдельному графику (приложение 2)", "РЦОИ"),
            ("2.2", "Обучение членов ГЭК", "сентябрь 2025 - май 2026", "Петров П.П., начальник отдела ГИА"),
            ("2.3", "Тренировочное тестирование", "за 10 дней до начала ГИА-9", "МОУО, ОО"),
        ],
    ),
    (
        "III. Информационное сопровождение",
        [
            ("3.1", "Ответы на обращения граждан", "по мере поступления", "Иванов И.И., заместитель министра"),
            ("3.2", "Отчёт МОУО о работе горячей линии", "до 5 числа месяца, следующего за отчетным", "МОУО"),
        ],
    ),
]


def docx_sections_landscape(pad_rows: int = 12) -> bytes:
    """Three tables (one per section); the second one long enough to run over pages."""
    d = docx.Document()
    _landscape(d)
    stamp = d.add_table(rows=1, cols=2)
    stamp.cell(0, 0).text = "СОГЛАСОВАНО\nРектор ИРО\n_________ А.А. Смирнова"
    stamp.cell(0, 1).text = "УТВЕРЖДЕНО\nприказом Министерства образования и науки\nот 28.08.2025 № 1024"
    d.add_paragraph("")
    for line in (
        "ДОРОЖНАЯ КАРТА",
        "по организации и проведению государственной итоговой аттестации",
        "по образовательным программам основного общего образования",
        "в 2025/26 учебном году",
    ):
        d.add_paragraph(line)
    for heading, items in SECTIONS_A:
        d.add_paragraph(heading)
        extra = pad_rows if heading.startswith("II.") else 0
        table = d.add_table(rows=2 + len(items) + extra, cols=4)
        table.style = "Table Grid"
        _fill(table, [HEADER4, ["1", "2", "3", "4"]])
        _repeat_header(table.rows[0])
        _fill(table, [list(i) for i in items], 2)
        for k in range(extra):  # more items of section II: 2.4, 2.5 …
            _fill(
                table,
                [[f"2.{4 + k}", f"Семинар для руководителей ППЭ № {k + 1}", "ноябрь 2025 г.", "РЦОИ"]],
                2 + len(items) + k,
            )
    d.add_paragraph("")
    d.add_paragraph("Принятые сокращения: ГЭК – государственная экзаменационная комиссия.")
    return _save(d)


# ---------------------------------------------------------------------------
# 2. DOCX whose header row is physically repeated inside the table (a table pasted page by page)
#    and whose number cells are merged vertically over two rows (one item, two lines)
# ---------------------------------------------------------------------------


def docx_repeated_header_rows() -> bytes:
    d = docx.Document()
    d.add_paragraph("План мероприятий («дорожная карта») по подготовке к проведению ГИА-11 в 2026 году")
    rows: list[list[str]] = [HEADER4, ["1", "2", "3", "4"]]
    rows.append(["1.", "Организационно-технологическое обеспечение", "", ""])
    for k in range(1, 9):
        rows.append([f"1.{k}.", f"Мероприятие организационного блока {k}", "октябрь 2025 г.", "РЦОИ"])
        if k == 5:
            rows.append(HEADER4)  # the page ends: the header again
            rows.append(["1", "2", "3", "4"])
    rows.append(["2.", "Контроль", "", ""])
    rows.append(["2.1.", "Мониторинг готовности ППЭ", "март 2026 г.", "Министерство"])
    rows.append(["", "с выездом в ППЭ на дому", "", ""])  # merged number over two rows
    rows.append(["2.2.", "Анализ результатов", "июль 2026 г.", "РЦОИ"])
    table = d.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    _fill(table, rows)
    # row index of 2.1 and its continuation
    r21 = next(i for i, r in enumerate(rows) if r[0] == "2.1.")
    table.cell(r21, 0).merge(table.cell(r21 + 1, 0))
    table.cell(r21, 2).merge(table.cell(r21 + 1, 2))
    table.cell(r21, 3).merge(table.cell(r21 + 1, 3))
    return _save(d)


# ---------------------------------------------------------------------------
# 3. Gantt-like plan: month columns with «+» / «х» marks instead of a deadline column
# ---------------------------------------------------------------------------

MONTHS = ["сентябрь", "октябрь", "ноябрь", "декабрь", "январь", "февраль", "март", "апрель", "май"]
GANTT = [
    ("1", "Сбор баз данных участников", {"октябрь", "ноябрь"}, "РЦОИ"),
    ("2", "Родительские собрания", {"сентябрь", "январь", "апрель"}, "ОО"),
    ("3", "Пробный экзамен по математике", {"март"}, "МОУО"),
    ("4", "Консультации для выпускников", set(MONTHS), "ОО"),
]


def docx_gantt(mark: str = "+") -> bytes:
    d = docx.Document()
    _landscape(d)
    d.add_paragraph("План-график подготовки к ГИА-9 на 2025/2026 учебный год")
    header = ["№", "Мероприятие", *MONTHS, "Ответственные"]
    table = d.add_table(rows=1 + len(GANTT), cols=len(header))
    table.style = "Table Grid"
    _fill(table, [header])
    for r, (num, act, months, who) in enumerate(GANTT, 1):
        _fill(table, [[num, act, *[(mark if m in months else "") for m in MONTHS], who]], r)
    return _save(d)


def xlsx_gantt() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "График"
    ws.append(["Дорожная карта по подготовке к ГИА-11 на 2025-2026 учебный год"])
    ws.append([])
    ws.append(["№", "Мероприятие", "Ответственный", *MONTHS])
    for num, act, months, who in GANTT:
        ws.append([int(num), act, who, *[("х" if m in months else None) for m in MONTHS]])
    return _xbytes(wb)


# ---------------------------------------------------------------------------
# 4. XLSX plan-schedule: title sheet, plan sheet, abbreviations sheet; «Дата начала» / «Дата
#    окончания» as date cells; numbers as floats (1.1 … 1.10); a hidden row and a hidden column
# ---------------------------------------------------------------------------


def _xbytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_schedule(float_numbers: bool = True, hidden: bool = True) -> bytes:
    wb = openpyxl.Workbook()
    title = wb.active
    title.title = "Титул"
    title["D1"] = "УТВЕРЖДЕН"
    title["D2"] = "приказом Министерства образования"
    title["D3"] = "от 01.09.2025 № 777"
    title["A6"] = "ПЛАН-ГРАФИК"
    title["A7"] = "подготовки и проведения итогового собеседования по русскому языку"
    title["A8"] = "в 2025/26 учебном году"

    ws = wb.create_sheet("План")
    ws.append(["№ п/п", "Мероприятие", "Дата начала", "Дата окончания", "Ответственный", "Служебная отметка"])
    ws.append([1, "Подготовительный этап", None, None, None, None])
    numbers = [f"1.{k}" for k in range(1, 11)]
    for k, number in enumerate(numbers):
        start = dt.date(2025, 10, 1) + dt.timedelta(days=7 * k)
        value: object = float(number) if float_numbers else number
        ws.append([value, f"Этап подготовки № {k + 1}", start, start + dt.timedelta(days=5), "РЦОИ", "внутр."])
    ws.append([2, "Проведение итогового собеседования", dt.datetime(2026, 2, 11), dt.datetime(2026, 2, 11), "ОО", ""])
    ws.append([3, "Удалённая строка (скрыта)", dt.date(2026, 3, 1), dt.date(2026, 3, 2), "РЦОИ", ""])
    ws.append([4, "Обработка результатов", dt.date(2026, 2, 12), dt.date(2026, 2, 16), "РЦОИ", ""])
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "DD.MM.YYYY"
    if hidden:
        ws.row_dimensions[15].hidden = True  # the «3» row
        ws.column_dimensions["F"].hidden = True
    abbr = wb.create_sheet("Сокращения")
    abbr.append(["РЦОИ", "региональный центр обработки информации"])
    abbr.append(["ОО", "образовательная организация"])
    return _xbytes(wb)


# ---------------------------------------------------------------------------
# 5. PDF saved from Word: a ruled table over several pages, header repeated (ReportLab)
# ---------------------------------------------------------------------------


def pdf_from_word(n_items: int = 40) -> bytes:
    from pathlib import Path

    import matplotlib
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(font)))
    style = ParagraphStyle("c", fontName="DejaVu", fontSize=9, leading=11)
    data = [[Paragraph(h, style) for h in HEADER4]]
    spans = []
    for s, (heading, _) in enumerate(SECTIONS_A[:2], 1):
        spans.append(len(data))
        data.append([Paragraph(heading, style), "", "", ""])
        for k in range(1, n_items // 2 + 1):
            deadline = "в течение 2025/2026 учебного года" if k % 3 else "до 20.12.2025"
            data.append(
                [
                    Paragraph(f"{s}.{k}", style),
                    Paragraph(f"Мероприятие {s}.{k} по подготовке к ГИА", style),
                    Paragraph(deadline, style),
                    Paragraph("МОУО, ОО", style),
                ]
            )
    table = Table(data, colWidths=[50, 380, 160, 180], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *[("SPAN", (0, r), (-1, r)) for r in spans],
            ]
        )
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=30, rightMargin=30)
    title = ParagraphStyle("t", fontName="DejaVu", fontSize=11)
    doc.build(
        [
            Paragraph("УТВЕРЖДЕН приказом министерства от 02.09.2025 № 900", title),
            Spacer(1, 6),
            Paragraph("Дорожная карта по подготовке к ГИА-9 в 2025/26 учебном году", title),
            Spacer(1, 6),
            table,
        ]
    )
    return out.getvalue()


# ---------------------------------------------------------------------------
# 6. DOCX whose item numbers come from Word's automatic list numbering (not in the text)
# ---------------------------------------------------------------------------


def _numbered(paragraph, num_id: int, level: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(nid)
    p_pr.append(num_pr)


def _decimal_list(document, num_id: int = 90) -> int:
    """A numbering definition «1.», «1.1.» (as Word writes it for a multilevel list)."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(num_id))
    for level, text in enumerate(["%1.", "%1.%2."]):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(num_id))
    num.append(ref)
    numbering.append(num)
    return num_id


def docx_auto_numbered(levels: bool = False) -> bytes:
    """The «№» cells hold no text: Word numbers them (w:numPr).  With ``levels`` the sub-items are
    on the list's second level (1.1, 1.2 as Word shows them)."""
    d = docx.Document()
    d.add_paragraph("План мероприятий по подготовке к ГИА-11 в 2025/2026 учебном году")
    num_id = _decimal_list(d)
    rows = [
        (0, "Совещание с руководителями МОУО", "сентябрь - ноябрь 2025 г.", "Министерство"),
        (1 if levels else 0, "Подготовка списков участников", "октябрь 2025 г.", "МОУО"),
        (1 if levels else 0, "Сверка списков", "ноябрь 2025 г.", "РЦОИ"),
        (0, "Итоговое сочинение", "03.12.2025", "ОО"),
    ]
    table = d.add_table(rows=1 + len(rows), cols=4)
    table.style = "Table Grid"
    _fill(table, [["№", "Мероприятие", "Срок", "Ответственный"]])
    for r, (level, act, when, who) in enumerate(rows, 1):
        _fill(table, [["", act, when, who]], r)
        _numbered(table.cell(r, 0).paragraphs[0], num_id, level)
    return _save(d)


# ---------------------------------------------------------------------------
# 7. XLSX with a two-row header («Сроки» over «начало» / «окончание») and a number cell merged
#    over the rows of one item's stages
# ---------------------------------------------------------------------------


def xlsx_two_row_header() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Дорожная карта"
    ws.append(["Дорожная карта подготовки к ГИА-9 в 2026 году"])
    ws.append(["№ п/п", "Мероприятие", "Сроки", None, "Ответственный"])
    ws.append([None, None, "начало", "окончание", None])
    ws.merge_cells("C2:D2")
    for col in "ABE":
        ws.merge_cells(f"{col}2:{col}3")
    ws.append(["1", "Сбор предварительной информации", dt.date(2025, 10, 1), dt.date(2025, 10, 31), "МОУО"])
    ws.append(["2", "Формирование РИС: приём заявлений", dt.date(2025, 11, 1), dt.date(2026, 3, 1), "ОО"])
    ws.append([None, "внесение сведений в РИС", dt.date(2026, 3, 2), dt.date(2026, 3, 15), "РЦОИ"])
    ws.merge_cells("A5:A6")
    ws.append(["3", "Проведение ГИА-9", "по расписанию", None, "Министерство"])
    ws.merge_cells("C7:D7")
    return _xbytes(wb)


# ---------------------------------------------------------------------------
# 8. XLSX with one sheet per part of the plan («ГИА-9», «ГИА-11»), the same header on each
# ---------------------------------------------------------------------------


def xlsx_sheet_per_section() -> bytes:
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "ГИА-9"
    first.append(["План-график мероприятий по подготовке к ГИА в 2026 году"])
    for ws, exam in ((first, "ОГЭ"), (wb.create_sheet("ГИА-11"), "ЕГЭ")):
        ws.append(["№", "Мероприятие", "Срок", "Ответственный"])
        ws.append(["1", f"Приём заявлений на {exam}", "до 01.02.2026" if exam == "ЕГЭ" else "до 01.03.2026", "ОО"])
        ws.append(["2", f"Тренировочный {exam}", "апрель 2026 г.", "РЦОИ"])
    return _xbytes(wb)


# ---------------------------------------------------------------------------
# 9. PDF without ruling lines (a borderless Word table saved as PDF)
# ---------------------------------------------------------------------------


def pdf_borderless() -> bytes:
    from pathlib import Path

    import matplotlib
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(font)))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=landscape(A4))
    c.setFont("DejaVu", 10)
    y = 550
    c.drawString(40, y, "План мероприятий по подготовке к ГИА-9 в 2025/26 учебном году")
    y -= 30
    cols = [40, 80, 420, 600]
    rows = [
        HEADER4,
        ["1.", "Совещание с руководителями ОО", "сентябрь 2025 г.", "МОУО"],
        ["2.", "Пробный ОГЭ по математике", "15.01.2026", "РЦОИ"],
        ["3.", "Анализ результатов пробного ОГЭ", "январь - февраль 2026", "МОУО, ОО"],
    ]
    for row in rows:
        for x, text in zip(cols, row):
            c.drawString(x, y, text)
        y -= 20
    c.save()
    return out.getvalue()


def xlsx_serial_dates() -> bytes:
    """Dates pasted as values into cells formatted «Общий»: Excel keeps only the day numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["План мероприятий по подготовке к итоговому сочинению в 2025/26 учебном году"])
    ws.append(["№", "Мероприятие", "Дата начала", "Дата окончания", "Ответственный"])
    ws.append(["1", "Приём заявлений", 45931, 45961, "ОО"])  # 01.10.2025 – 31.10.2025
    ws.append(["2", "Проведение итогового сочинения", 45994, 45994, "ОО"])  # 03.12.2025
    return _xbytes(wb)
