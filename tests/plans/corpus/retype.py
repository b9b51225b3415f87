"""Re-type a parsed plan in every layout plans arrive in (the test corpus, generated).

``retype(plan, layout)`` returns the bytes of a document holding the same table
(title, section headings, numbered rows) in one layout: tab, pipe, markdown,
cells (TAB-prefixed cell lines), lines (one cell per line, blank line between
rows), lines-pipe (every cell ends with «|», wrapped cells over several lines),
lines-sep (a line with only «|» between cells), numbered (the number alone on
its line), pages (header repeated after page breaks with page numbers), fixed
(columns aligned with spaces, cells hard-wrapped), pdf (ReportLab table, read
back through its text layer), docx, xlsx.
"""

from __future__ import annotations

import io
import textwrap

from itog.plans.parsing.model import ParsedPlan
from itog.plans.parsing.structure import split_responsible

LAYOUTS = (
    "tab",
    "pipe",
    "markdown",
    "cells",
    "lines",
    "lines-pipe",
    "lines-sep",
    "numbered",
    "pages",
    "fixed",
    "pdf",
    "docx",
    "xlsx",
)
TEXT_FORMAT = {
    "tab": "tab",
    "pipe": "pipe",
    "markdown": "markdown",
    "cells": "cells",
    "lines": "lines",
    "lines-pipe": "lines",
    "lines-sep": "lines",
    "numbered": "tab",
    "pages": "tab",
    "fixed": "fixed",
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
}


def table_of(plan: ParsedPlan) -> tuple[list[str], list]:
    """(header, rows): a row is a heading string or a list of cells in the header's order."""
    roles = list(plan.columns)
    header = [plan.columns[r] or ("№" if r == "number" else r) for r in roles]
    rows: list = []
    section = None
    titles = {s.id: s.title for s in plan.sections}
    for item in plan.items:
        if item.section != section:
            section = item.section
            if section in titles:
                rows.append(titles[section])
        cells = []
        for role in roles:
            if role == "number":
                cells.append(item.number_raw or "")
            elif role == "activity":
                cells.append(item.activity)
            elif role == "deadline":
                cells.append(item.deadline_raw)
            elif role == "start":
                cells.append(item.deadline_start_raw or "")
            elif role == "end":
                cells.append(item.deadline_end_raw or "")
            elif role == "responsible":
                raw = item.responsible_raw
                joined = " ".join(raw.split())
                cells.append(
                    joined
                    if split_responsible(joined)[0] == item.responsible_names
                    else ", ".join(item.responsible_names)
                )
            else:
                cells.append(item.extra.get(role.split(":", 1)[1], ""))
        rows.append([" ".join(c.split()) for c in cells])
    return header, rows


def _title(plan: ParsedPlan) -> str:
    return plan.title or "План мероприятий"


def _text(plan: ParsedPlan, layout: str) -> str:
    header, rows = table_of(plan)
    out = [_title(plan), ""]
    width = len(header)
    if layout in ("tab", "numbered", "pages"):
        out.append("\t".join(header))
        for k, row in enumerate(rows):
            if isinstance(row, str):
                out += ["", row, ""]
                continue
            if layout == "numbered" and "number" in plan.columns and row[0]:
                out.append(row[0])
                out.append("\t".join(row[1:]))
            else:
                out.append("\t".join(row))
            if layout == "pages" and k % 23 == 22:
                out += ["", f"- {k // 23 + 2} -", "\f", "\t".join(header)]
        return "\n".join(out) + "\n"
    if layout in ("pipe", "markdown"):
        out.append("| " + " | ".join(header) + " |")
        if layout == "markdown":
            out.append("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            if isinstance(row, str):
                out.append("| " + (f"**{row}**" if layout == "markdown" else row) + " |" + " |" * (width - 1))
            else:
                out.append("| " + " | ".join(row) + " |")
        return "\n".join(out) + "\n"
    if layout == "cells":
        out += ["\t" + h for h in header] + [""]
        for row in rows:
            if isinstance(row, str):
                out += ["\t" + row, ""]
            else:
                out += ["\t" + c for c in row] + [""]
        return "\n".join(out) + "\n"
    if layout == "lines":
        out += header + [""]
        for row in rows:
            if isinstance(row, str):
                out += [row, ""]
            else:
                out += [c or "—" for c in row] + [""]
        return "\n".join(out) + "\n"
    if layout == "lines-pipe":
        out += [h + " |" for h in header] + [""]
        for row in rows:
            if isinstance(row, str):
                out += [row, ""]
                continue
            for c in row:
                wrapped = textwrap.wrap(c, 50, break_on_hyphens=False, break_long_words=False) or [""]
                out += wrapped[:-1] + [(wrapped[-1] or "—") + " |"]
            out.append("")
        return "\n".join(out) + "\n"
    if layout == "lines-sep":
        out += [x for h in header for x in (h, "|")][:-1] + [""]
        for row in rows:
            if isinstance(row, str):
                out += [row, ""]
                continue
            out += [x for c in row for x in (c or "—", "|")][:-1] + [""]
        return "\n".join(out) + "\n"
    if layout == "fixed":
        widths = _fixed_widths(header)
        out += _fixed_row(header, widths)
        if "number" not in plan.columns:
            out.append("")
        for row in rows:
            if isinstance(row, str):
                out += ["", row, ""]
            else:
                out += _fixed_row(row, widths)
                if "number" not in plan.columns:
                    out.append("")
        return "\n".join(out) + "\n"
    raise ValueError(layout)


def _fixed_widths(header: list[str]) -> list[int]:
    widths = []
    for h in header:
        low = h.lower()
        widths.append(
            6
            if low.startswith("№") or not h.strip()
            else 48
            if len(widths) == 1 or "мероприят" in low or "наименован" in low
            else 24
        )
    return widths


def _fixed_row(cells: list[str], widths: list[int]) -> list[str]:
    cols = [textwrap.wrap(c, w, break_on_hyphens=False, break_long_words=False) or [""] for c, w in zip(cells, widths)]
    height = max(len(c) for c in cols)
    lines = []
    for k in range(height):
        parts = [(col[k] if k < len(col) else "").ljust(w + 3) for col, w in zip(cols, widths)]
        lines.append("".join(parts).rstrip())
    return lines


def _pdf(plan: ParsedPlan) -> bytes:
    from pathlib import Path

    import matplotlib
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(font)))
    style = ParagraphStyle("c", fontName="DejaVu", fontSize=8, leading=10)
    header, rows = table_of(plan)
    width = len(header)

    def para(text: str) -> Paragraph:
        return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), style)

    data = [[para(h) for h in header]]
    spans = []
    for row in rows:
        if isinstance(row, str):
            spans.append(len(data))
            data.append([para(row)] + [""] * (width - 1))
        else:
            data.append([para(c) for c in row])
    avail = landscape(A4)[0] - 60
    first = 44 if header[0].strip().startswith("№") or not header[0].strip() else None
    if first:
        rest = (avail - first) / (width - 1)
        col_widths = [first, rest * 2] + [(avail - first - rest * 2) / (width - 2)] * (width - 2)
    else:
        col_widths = [avail / width * 1.6] + [(avail - avail / width * 1.6) / (width - 1)] * (width - 1)
    table = Table(data, colWidths=col_widths, repeatRows=1)
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
    doc.build([Paragraph(_title(plan), ParagraphStyle("t", fontName="DejaVu", fontSize=11)), table])
    return out.getvalue()


def _docx(plan: ParsedPlan) -> bytes:
    from docx import Document

    header, rows = table_of(plan)
    doc = Document()
    doc.add_paragraph(_title(plan))
    table = doc.add_table(rows=1, cols=len(header))
    for cell, h in zip(table.rows[0].cells, header):
        cell.text = h
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            merged.text = ""
            merged.paragraphs[0].add_run(row).bold = True
        else:
            for cell, text in zip(cells, row):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xlsx(plan: ParsedPlan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = table_of(plan)
    wb = Workbook()
    ws = wb.active
    ws.append([_title(plan)])
    ws.append([])
    ws.append(header)
    for row in rows:
        if isinstance(row, str):
            ws.append([row])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))
            ws.cell(r, 1).font = Font(bold=True)
        else:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def retype(plan: ParsedPlan, layout: str) -> bytes:
    if layout == "pdf":
        return _pdf(plan)
    if layout == "docx":
        return _docx(plan)
    if layout == "xlsx":
        return _xlsx(plan)
    return _text(plan, layout).encode("utf-8")
