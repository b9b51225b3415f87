"""The statistical-analytical report («статистико-аналитический отчет») as DOCX: the standard sections —
participation, results, criteria, comparison with previous years, risk zones, conclusions to fill in — with
the charts as pictures and a table beside each (python-docx)."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from . import charts as C
from . import queries as Q
from . import stats as S
from . import tables as T

SECTIONS = [
    "1. Участие",
    "2. Результаты",
    "3. Результаты по требованиям и критериям",
    "4. Сравнение с предыдущими годами",
    "5. Зоны риска",
    "6. Выводы и предложения",
]


def _table(doc, header: list[str], rows: list[list]) -> None:
    """A grid table in 8 pt, written as one piece of WordprocessingML (python-docx builds a cell in about a
    millisecond; a region's tables have thousands of cells)."""
    grid = _style(doc, "Table Grid")
    if grid.font.size != Pt(8):
        grid.font.size = Pt(8)  # on the table style: no run properties per cell
    n = len(header)

    def cell(value, bold: bool = False) -> str:
        text = escape("" if value is None else str(value))
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p><w:r>{rpr}'
            f'<w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'
        )

    head = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{grid.style_id}"/><w:tblW w:w="0" w:type="auto"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
    )
    parts = [head, "<w:gridCol/>" * n, "</w:tblGrid>", "<w:tr>", *(cell(h, True) for h in header), "</w:tr>"]
    for row in rows:
        parts.append("<w:tr>")
        parts.extend(cell(row[j] if j < len(row) else "") for j in range(n))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    doc.element.body.sectPr.addprevious(parse_xml("".join(parts)))


def _bullet(doc, text: str) -> None:
    """A «List Bullet» paragraph, written as WordprocessingML (python-docx's add_paragraph with a style
    takes milliseconds; a region can have hundreds of flags)."""
    style = _style(doc, "List Bullet").style_id
    doc.element.body.sectPr.addprevious(
        parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">'
            f"{escape(text)}</w:t></w:r></w:p>"
        )
    )


def _style(doc, name: str):
    cache = doc.__dict__.setdefault("_itog_styles", {})
    if name not in cache:
        cache[name] = doc.styles[name]
    return cache[name]


def _picture(doc, png: bytes | None, caption: str) -> None:
    if not png:
        doc.add_paragraph("Диаграмма не построена: недостаточно данных (группы менее 5 участников не показываются).")
        return
    doc.add_picture(io.BytesIO(png), width=Cm(16))
    p = doc.add_paragraph(caption)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.runs[0].italic = True


def build_report(user, f: Q.Filters, org) -> bytes:
    data = T.overview(user, f, org)
    own, region = data["own"], data["region"]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    kind = Q.KIND_LABELS.get(f.kind, f.kind)
    doc.add_heading(f"Статистико-аналитический отчет о результатах: {kind}", level=0)
    doc.add_paragraph(
        f"{org.display_name}. {f.year} учебный год."
        + (
            " Выбраны не все участники (фильтр по категории, ОВЗ или форме)."
            if f.category or f.health or f.form
            else ""
        )
    )
    doc.add_paragraph(
        f"Сформирован {date.today():%d.%m.%Y} в системе «Итог» по опубликованным результатам. "
        f"Доли для групп менее {S.MIN_GROUP} участников не приводятся; 95 % ДИ — доверительный "
        "интервал доли (метод Уилсона)."
    )

    doc.add_heading(SECTIONS[0], level=1)
    doc.add_paragraph(
        f"Зарегистрировано {own.registered}, явились {own.participants}, не явились {own.absent}, "
        f"не закончили по уважительной причине {own.not_finished}, удалены {own.removed}; "
        f"повторно допущены {own.readmitted}."
    )
    _table(
        doc,
        ["Дата", "Зарегистрировано", "Явились", "Не явились", "Не закончили", "Удалены"],
        [[r.name, r.registered, r.participants, r.absent, r.not_finished, r.removed] for r in data["dates"]],
    )
    doc.add_paragraph()
    _table(
        doc,
        ["Категория", "Зарегистрировано", "Явились", "Не явились", "Не закончили", "Удалены"],
        [[r.name, r.registered, r.participants, r.absent, r.not_finished, r.removed] for r in data["categories"]],
    )

    doc.add_heading(SECTIONS[1], level=1)
    doc.add_paragraph(
        f"Проверено работ {own.checked}: «зачет» — {own.pass_text}, «незачет» — {own.fail_text}"
        + (f" (95 % ДИ {own.ci_text})" if own.ci_text else "")
        + f"; в регионе «незачет» — {region.fail_text}. Повторных проверок {own.rechecks} (результат "
        f"изменен в {own.recheck_changed}), перепроверок {own.pereproverki} (изменен в "
        f"{own.pereproverka_changed})."
    )
    if data["children"]:
        ref = region.failed / region.checked if region.checked else None
        _picture(
            doc,
            C.share_bars(
                f"Доля «незачета»: {data['level'].lower()}",
                [(r.name, r.failed, r.checked) for r in data["children"]],
                ref,
                fmt="png",
            ),
            f"Рисунок 1. Доля «незачета» по единицам уровня «{data['level']}»",
        )
        _table(
            doc,
            [data["level"], "Проверено", "«Зачет»", "«Незачет»", "Доля «незачета»", "95 % ДИ"],
            [
                [r.name, r.checked, r.shown("passed"), r.shown("failed"), r.fail_text, r.ci_text]
                for r in [own, *data["children"], region]
            ],
        )
    _picture(
        doc,
        C.share_bars(
            "Доля «незачета» по категориям участников",
            [(r.name, r.failed, r.checked) for r in data["categories"]],
            fmt="png",
        ),
        "Рисунок 2. Доля «незачета» по категориям участников",
    )

    doc.add_heading(SECTIONS[2], level=1)
    _picture(
        doc,
        C.criteria_bars(
            "Не выполнили требование / критерий",
            [(c.key, c.failed, c.checked) for c in data["criteria"]],
            region.criteria if org.depth > 0 else None,
            fmt="png",
        ),
        "Рисунок 3. Доля не выполнивших требования и критерии",
    )
    _table(
        doc,
        ["Код", "Требование / критерий", "Проверено", "Доля не выполнивших", "95 % ДИ", "Регион"],
        [[c.key, c.title, c.checked, c.fail_text, c.ci_text, c.ref_text] for c in data["criteria"]],
    )

    doc.add_heading(SECTIONS[3], level=1)
    years, table = Q.years_table(user, f, org)
    _picture(
        doc,
        C.year_bars(
            "Доля «незачета» по годам",
            [(name, [(c.row.key, c.row.failed, c.row.checked) for c in cells]) for name, cells in table],
            fmt="png",
        ),
        "Рисунок 4. Доля «незачета» по учебным годам",
    )
    header = ["Единица"] + [f"{y}: «незачет»" for y in years] + [f"{y}: изменение" for y in years[1:]]
    _table(
        doc,
        header,
        [[name] + [c.row.fail_text for c in cells] + [c.change_text for c in cells[1:]] for name, cells in table],
    )

    doc.add_heading(SECTIONS[4], level=1)
    flags = Q.risk_flags(user, f, org)
    if not flags:
        doc.add_paragraph("Зон риска по принятым критериям (p < 0,01 и заметная величина различия) не выявлено.")
    for fl in flags[:200]:
        _bullet(doc, f"{fl.title}. {fl.sentence}")
    if len(flags) > 200:
        doc.add_paragraph(f"… и еще {len(flags) - 200}: полный список — в разделе «Зоны риска» системы (XLSX).")

    doc.add_heading(SECTIONS[5], level=1)
    for prompt in (
        "Выводы о результатах:",
        "Причины выявленных отклонений:",
        "Адресные рекомендации (ОО, МОУО, эксперты):",
        "Меры и ответственные, сроки:",
    ):
        doc.add_paragraph(prompt).runs[0].bold = True
        doc.add_paragraph("_" * 80)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
