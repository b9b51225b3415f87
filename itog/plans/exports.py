"""A plan in the official table layout (№ / Мероприятие / Сроки / Ответственные), XLSX and DOCX."""

from __future__ import annotations

import io

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADER = ["№", "Мероприятие", "Сроки", "Ответственные"]


def _rows(items):
    """(section title or None, number, activity, deadline, responsible) in document order."""
    current = None
    for item in items:
        if item.section_id and item.section_id != current:
            current = item.section_id
            yield (item.section.title, None, None, None, None)
        yield (None, item.number or item.key, item.activity, item.deadline_display, item.responsible_raw)


def plan_xlsx(plan, items) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from itog.core.tables import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "План"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    append_row(ws, [plan.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    ws["A1"].font = Font(bold=True, size=12)
    ws["A1"].alignment = Alignment(wrap_text=True, horizontal="center")
    ws.row_dimensions[1].height = 48
    ws.append(HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for section, number, activity, deadline, responsible in _rows(items):
        if section is not None:
            append_row(ws, [section])
            row = ws.max_row
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            ws.cell(row, 1).font = Font(bold=True)
            ws.cell(row, 1).alignment = Alignment(horizontal="center", wrap_text=True)
            continue
        append_row(ws, [number, activity, deadline, responsible])  # texts from an upload stay texts
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
    for col, width in zip("ABCD", (8, 70, 24, 34)):
        ws.column_dimensions[col].width = width
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


MONITORING_HEADER = [
    "План",
    "Учебный год",
    "№",
    "Мероприятие",
    "Срок",
    "Окончание",
    "Организация",
    "Ответственное лицо",
    "Состояние",
    "Просрочено",
    "Комментарий",
]


def monitoring_xlsx(assignments, today, title: str) -> tuple[bytes, int]:
    """The monitoring table as printed for a meeting: one row per assignment. Returns (bytes, rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Мониторинг"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(MONITORING_HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    rows = 0
    open_states = {"new", "in_progress", "not_done"}
    for a in assignments:
        item = a.item
        overdue = a.status in open_states and item.due_end is not None and item.due_end < today
        ws.append(
            [
                item.plan.title[:200],
                item.plan.year,
                item.number or item.key,
                item.activity,
                item.deadline_display,
                item.due_end,
                a.organization.display_name,
                a.person,
                a.get_status_display(),
                "да" if overdue else "",
                a.comment,
            ]
        )
        ws.cell(ws.max_row, 6).number_format = "DD.MM.YYYY"
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        rows += 1
    for col, width in zip("ABCDEFGHIJK", (30, 10, 8, 60, 22, 12, 30, 20, 14, 11, 30)):
        ws.column_dimensions[col].width = width
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.auto_filter.ref = f"A2:K{ws.max_row}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), rows


def plan_docx(plan, items) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    if plan.approved:
        p = doc.add_paragraph(f"Утвержден: {plan.approved}")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(plan.title)
    run.bold = True
    run.font.size = Pt(13)

    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    widths = (Cm(1.5), Cm(13.5), Cm(5.0), Cm(6.7))
    for cell, text, width in zip(table.rows[0].cells, HEADER, widths):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.width = width
    # Repeat the header row on every printed page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header_flag = OxmlElement("w:tblHeader")
    header_flag.set(qn("w:val"), "true")
    tr_pr.append(header_flag)
    for section_title, number, activity, deadline, responsible in _rows(items):
        row = table.add_row()
        if section_title is not None:
            merged = row.cells[0].merge(row.cells[3])
            merged.text = ""
            merged.paragraphs[0].add_run(section_title).bold = True
            merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        for cell, text, width in zip(row.cells, (number, activity, deadline, responsible), widths):
            cell.text = text or ""
            cell.width = width
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
