"""Printable forms of the interview (PDF, ReportLab; DejaVu from matplotlib as in itog.blanks.render).

* :func:`render_room_lists` — списки участников по аудиториям (the schedule of each room, with
  the waiting room and the room for those who have finished);
* :func:`render_vedomost` — ведомость учета проведения итогового собеседования в аудитории;
* :func:`render_protocols` — протокол эксперта, one page per participant (criteria of the year);
* :func:`render_final_statement` — итоговая ведомость of the school.

Input is plain dataclasses (no Django). Each function returns the PDF bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from itog.blanks.render import FONT, FONT_BOLD, register_fonts, text_paragraph

from .criteria import CriteriaSet, Outcome
from .examday import Line
from .schedule import Schedule
from .values import AnswerState

__all__ = [
    "FinalRow",
    "Header",
    "ProtocolData",
    "render_final_statement",
    "render_protocols",
    "render_room_lists",
    "render_vedomost",
]


@dataclass(frozen=True)
class Header:
    school: str
    exam_date: date
    region: str = ""
    session_label: str = "основная дата"


@dataclass(frozen=True)
class ProtocolData:
    participant: str
    class_label: str
    room: str
    marks: Mapping[str, int]
    outcome: Outcome
    expert: str = ""
    interlocutor: str = ""


@dataclass(frozen=True)
class FinalRow:
    participant: str
    class_label: str
    total: int | None
    result: str  # «зачет» | «незачет» | «неявка» | «не завершил»
    note: str = ""


@dataclass
class _Doc:
    title: str
    pagesize: tuple = A4
    story: list = field(default_factory=list)


def _styles():
    register_fonts()
    return (
        ParagraphStyle("t", fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=4),
        ParagraphStyle("n", fontName=FONT, fontSize=9, leading=11),
        ParagraphStyle("c", fontName=FONT, fontSize=8, leading=10),
    )


def _table(rows: list[list], widths: list[float] | None = None) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return t


def _build(doc: _Doc) -> bytes:
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=doc.pagesize,
        title=doc.title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    ).build(doc.story)
    return buf.getvalue()


def _head(h: Header, title: str, styles) -> list:
    t, n, _ = styles
    return [
        text_paragraph(title, t),
        text_paragraph(f"Итоговое собеседование по русскому языку — {h.exam_date:%d.%m.%Y} ({h.session_label})", n),
        text_paragraph(f"Образовательная организация: {h.school}" + (f", {h.region}" if h.region else ""), n),
        Spacer(1, 4 * mm),
    ]


def render_room_lists(h: Header, schedule: Schedule, room_names: Mapping[str, str] | None = None) -> bytes:
    """One section per exam room: time slots with the participants (ОВЗ marked «+30 мин»)."""
    styles = _styles()
    names = dict(room_names or {})
    doc = _Doc("Списки участников по аудиториям")
    for i, (room_id, slots) in enumerate(schedule.slots.items()):
        if i:
            doc.story.append(PageBreak())
        doc.story += _head(
            h, f"Список участников итогового собеседования — аудитория {names.get(room_id, room_id)}", styles
        )
        if schedule.waiting_room and schedule.finished_room:
            doc.story.append(
                text_paragraph(
                    f"Помещение для ожидания: {schedule.waiting_room.name}. Помещение для "
                    f"участников, завершивших собеседование: {schedule.finished_room.name}.",
                    styles[1],
                )
            )
            doc.story.append(Spacer(1, 3 * mm))
        rows = [["№", "Время", "ФИО участника", "Класс", "Примечание"]]
        for k, s in enumerate(slots, 1):
            rows.append(
                [k, f"{s.start:%H:%M}–{s.end:%H:%M}", s.full_name, s.class_label, "+30 мин (ОВЗ)" if s.extended else ""]
            )
        doc.story.append(_table(rows, [10 * mm, 28 * mm, 80 * mm, 18 * mm, 34 * mm]))
    if not schedule.slots:
        doc.story += _head(h, "Список участников итогового собеседования", styles)
        doc.story.append(text_paragraph("Нет аудиторий с участниками.", styles[1]))
    return _build(doc)


_STATE_MARK = {
    AnswerState.ABSENT: "Н",
    AnswerState.NOT_FINISHED: "не завершил",
    AnswerState.FINISHED: "",
    AnswerState.IN_PROGRESS: "идет ответ",
    AnswerState.PLANNED: "",
}


def render_vedomost(h: Header, room: str, lines: Sequence[Line], interlocutor: str = "") -> bytes:
    """Ведомость учета проведения итогового собеседования в аудитории (filled or blank)."""
    styles = _styles()
    doc = _Doc("Ведомость учета проведения итогового собеседования", landscape(A4))
    doc.story += _head(h, f"Ведомость учета проведения итогового собеседования в аудитории {room}", styles)
    rows = [["№", "ФИО участника", "Начало", "Окончание", "Отметка", "Причина", "Подпись собеседника"]]
    for k, line in enumerate(lines, 1):
        rows.append(
            [
                k,
                text_paragraph(line.person.full_name, styles[2]),
                f"{line.started_at:%H:%M}" if line.started_at else "",
                f"{line.ended_at:%H:%M}" if line.ended_at else "",
                _STATE_MARK[line.state],
                text_paragraph(line.reason, styles[2]),
                "",
            ]
        )
    doc.story.append(_table(rows, [10 * mm, 75 * mm, 22 * mm, 22 * mm, 25 * mm, 70 * mm, 40 * mm]))
    doc.story += [
        Spacer(1, 6 * mm),
        text_paragraph(
            f"Экзаменатор-собеседник: {interlocutor or '____________________'}   Подпись ____________", styles[1]
        ),
    ]
    return _build(doc)


def render_protocols(h: Header, cs: CriteriaSet, protocols: Sequence[ProtocolData]) -> bytes:
    """Протокол эксперта по оцениванию ответов участника — one page per participant."""
    styles = _styles()
    doc = _Doc("Протоколы эксперта")
    titles = dict(cs.blocks)
    for i, p in enumerate(protocols):
        if i:
            doc.story.append(PageBreak())
        doc.story += _head(h, "Протокол эксперта по оцениванию ответов участника итогового собеседования", styles)
        doc.story.append(
            text_paragraph(f"Участник: {p.participant}, класс {p.class_label}, аудитория {p.room}", styles[1])
        )
        doc.story.append(Spacer(1, 3 * mm))
        rows = [["Задание", "Критерий", "Наименование", "Макс.", "Балл"]]
        for c in cs.criteria:
            rows.append(
                [
                    text_paragraph(titles[c.block], styles[2]),
                    c.code,
                    text_paragraph(c.title, styles[2]),
                    c.max,
                    p.marks.get(c.key, ""),
                ]
            )
        rows.append(["", "", "Итого", cs.max_total, p.outcome.total])
        doc.story.append(_table(rows, [50 * mm, 16 * mm, 80 * mm, 14 * mm, 14 * mm]))
        doc.story += [
            Spacer(1, 4 * mm),
            text_paragraph(
                f"Результат: «{p.outcome.result}» (минимум для «зачета» — {p.outcome.threshold} "
                f"баллов из {cs.max_total})",
                styles[0],
            ),
            text_paragraph(f"Эксперт: {p.expert or '____________'}   Подпись ____________", styles[1]),
            text_paragraph(f"Экзаменатор-собеседник: {p.interlocutor or '____________'}", styles[1]),
        ]
    return _build(doc)


def render_final_statement(h: Header, rows: Sequence[FinalRow], responsible: str = "") -> bytes:
    """Итоговая ведомость of the school."""
    styles = _styles()
    doc = _Doc("Итоговая ведомость")
    doc.story += _head(h, "Итоговая ведомость результатов итогового собеседования", styles)
    table = [["№", "ФИО участника", "Класс", "Баллы", "Результат", "Примечание"]]
    for k, r in enumerate(rows, 1):
        table.append(
            [
                k,
                text_paragraph(r.participant, styles[2]),
                r.class_label,
                "" if r.total is None else r.total,
                r.result,
                text_paragraph(r.note, styles[2]),
            ]
        )
    doc.story.append(_table(table, [10 * mm, 70 * mm, 16 * mm, 16 * mm, 24 * mm, 44 * mm]))
    passed = sum(1 for r in rows if r.result == "зачет")
    doc.story += [
        Spacer(1, 4 * mm),
        text_paragraph(f"Всего участников: {len(rows)}; «зачет»: {passed}.", styles[1]),
        text_paragraph(f"Ответственный организатор: {responsible or '____________'}   Подпись ____________", styles[1]),
    ]
    return _build(doc)
