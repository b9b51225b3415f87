"""XLSX exports are opened back with openpyxl."""

import io
from datetime import date

from openpyxl import load_workbook

from itog.exams.kinds.interview import criteria as cr
from itog.exams.kinds.interview import exports, forms

H = forms.Header("МБОУ «СОШ № 5»", date(2024, 2, 14))


def test_final_statement_xlsx():
    rows = [forms.FinalRow("Аверин Артём", "9А", 17, "зачет"), forms.FinalRow("Белова Юлия", "9А", None, "неявка")]
    ws = load_workbook(io.BytesIO(exports.final_statement_xlsx(H, rows))).active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][0] == "Итоговая ведомость результатов итогового собеседования"
    assert values[4] == [1, "Аверин Артём", "9А", 17, "зачет", None]
    assert values[5][1:5] == ["Белова Юлия", "9А", None, "неявка"]


def test_protocols_xlsx():
    cs = cr.criteria_for("2024/25")
    marks = {c.key: c.max for c in cs.criteria}
    marks["2.П1"] = 1
    p = forms.ProtocolData("Аверин Артём", "9А", "201", marks, cr.aggregate(cs, marks), expert="Кузнецова Г. Г.")
    ws = load_workbook(io.BytesIO(exports.protocols_xlsx(H, cs, [p]))).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header, maxima, row = rows[3], rows[4], rows[5]
    assert header[3] == "1.ИЧ" and "2.П1" in header and header[-3:] == ["Итого", "Результат", "Эксперт"]
    assert maxima[header.index("2.П1")] == 2 and maxima[-3] == 20
    assert row[header.index("2.П1")] == 1 and row[-3] == 19 and row[-2] == "зачет"
