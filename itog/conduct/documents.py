"""Printable documents of the second half of the procedure (ReportLab, Cyrillic DejaVu fonts):
the familiarization sheet (п. 11), the protocol of a re-check / перепроверка (п. 8.2.5) and the
destruction act (п. 8.1.1, 13.3)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from itog.blanks.render import FONT, FONT_BOLD, register_fonts, text_paragraph


def table_pdf(
    title: str,
    lines: list[str],
    header: list[str],
    rows: list[list],
    widths_mm: list[float],
    signatures: list[str] = (),
) -> bytes:
    """A titled table with signature lines below: the shape of every act and sheet here."""
    register_fonts()
    title_style = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=6)
    normal = ParagraphStyle("n", fontName=FONT, fontSize=10, leading=13)
    cell = ParagraphStyle("c", fontName=FONT, fontSize=9, leading=11)
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, 9),
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
            ("GRID", (0, 0), (-1, -1), 0.4, "#555555"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("REPEATROWS", (0, 0), (-1, 0), 1),
        ]
    )
    body = [[text_paragraph(str(v), cell) if isinstance(v, str) and len(v) > 25 else v for v in row] for row in rows]
    story = [
        text_paragraph(title, title_style),
        *[text_paragraph(line, normal) for line in lines],
        Spacer(1, 4 * mm),
        Table([header, *body], colWidths=[w * mm for w in widths_mm], style=style, repeatRows=1),
    ]
    for sig in signatures:
        story += [Spacer(1, 8 * mm), text_paragraph(f"{sig} ____________________ / ____________________", normal)]
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm, title=title
    ).build(story)
    return out.getvalue()
