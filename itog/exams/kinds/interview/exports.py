"""XLSX exports of the interview's results (openpyxl), from the same dataclasses as :mod:`.forms`.

* :func:`final_statement_xlsx` — итоговая ведомость (participant, class, points, result, note);
* :func:`protocols_xlsx` — every protocol as one row with a column per criterion of the year
  (what РЦОИ loads), with the maxima in a second header row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from .criteria import CriteriaSet
from .forms import FinalRow, Header, ProtocolData

__all__ = ["final_statement_xlsx", "protocols_xlsx"]


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _title(ws, h: Header, title: str) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append([f"{h.school}" + (f", {h.region}" if h.region else ""), f"{h.exam_date:%d.%m.%Y}", h.session_label])
    ws.append([])


def final_statement_xlsx(h: Header, rows: Sequence[FinalRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Итоговая ведомость"
    _title(ws, h, "Итоговая ведомость результатов итогового собеседования")
    ws.append(["№", "ФИО участника", "Класс", "Баллы", "Результат", "Примечание"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for k, r in enumerate(rows, 1):
        ws.append([k, r.participant, r.class_label, r.total, r.result, r.note])
    ws.column_dimensions["B"].width = 40
    return _save(wb)


def protocols_xlsx(h: Header, cs: CriteriaSet, protocols: Sequence[ProtocolData]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Протоколы"
    _title(ws, h, "Протоколы экспертов итогового собеседования")
    ws.append(["ФИО участника", "Класс", "Аудитория", *[c.key for c in cs.criteria], "Итого", "Результат", "Эксперт"])
    ws.append(["максимум", "", "", *[c.max for c in cs.criteria], cs.max_total, f"зачет от {cs.pass_min}", ""])
    for p in protocols:
        ws.append(
            [
                p.participant,
                p.class_label,
                p.room,
                *[p.marks.get(c.key) for c in cs.criteria],
                p.outcome.total,
                p.outcome.result,
                p.expert,
            ]
        )
    return _save(wb)
