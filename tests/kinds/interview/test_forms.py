"""Printable interview forms: the PDFs are parsed back (pypdf) and their Russian text checked."""

import io
from datetime import date, datetime, timedelta

from pypdf import PdfReader

from itog.exams.kinds.interview import criteria as cr
from itog.exams.kinds.interview import forms
from itog.exams.kinds.interview.examday import Person, Vedomost
from itog.exams.kinds.interview.schedule import Candidate, Room, make_schedule

H = forms.Header("МБОУ «СОШ № 5»", date(2024, 2, 14), region="Томская область")


def text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_room_lists():
    rooms = [
        Room("r1", "Каб. 201"),
        Room("r2", "Каб. 202"),
        Room("w", "Рекреация 2 этажа", "waiting"),
        Room("f", "Библиотека", "finished"),
    ]
    people = [Candidate(f"p{i}", f"Щукина Ёлка {i}", "9Б", extended=(i == 0)) for i in range(5)]
    s = make_schedule(rooms, people)
    pages, t = text(forms.render_room_lists(H, s, {"r1": "Каб. 201", "r2": "Каб. 202"}))
    assert pages == 2
    assert "аудитория Каб. 201" in t and "Каб. 202" in t and "Рекреация 2 этажа" in t and "Библиотека" in t
    assert "Щукина Ёлка 0" in t and "09:00–09:45" in t and "+30 мин (ОВЗ)" in t and "14.02.2024" in t


def test_vedomost():
    v = Vedomost("201", [Person("a", "Аверин Артём"), Person("b", "Белова Юлия"), Person("c", "Волков Влад")])
    t0 = datetime(2024, 2, 14, 9, 0)
    v.start("a", t0)
    v.stop("a", t0 + timedelta(minutes=14))
    v.mark_absent("b", "болезнь")
    v.start("c", t0 + timedelta(minutes=16))
    v.mark_not_finished("c", t0 + timedelta(minutes=20), "плохое самочувствие")
    _, t = text(forms.render_vedomost(H, "201", list(v.lines.values()), "Сидорова В. В."))
    assert "Ведомость учета проведения итогового собеседования в аудитории 201" in t
    assert "09:00" in t and "09:14" in t and "Н" in t and "болезнь" in t and "не завершил" in t
    assert "плохое самочувствие" in t and "Сидорова В. В." in t


def test_protocols_and_final_statement():
    cs = cr.criteria_for("2023/24")
    marks = {c.key: c.max for c in cs.criteria}
    low = dict.fromkeys(marks, 0)
    p1 = forms.ProtocolData("Аверин Артём", "9А", "201", marks, cr.aggregate(cs, marks), expert="Кузнецова Г. Г.")
    p2 = forms.ProtocolData("Волков Влад", "9А", "201", low, cr.aggregate(cs, low))
    pages, t = text(forms.render_protocols(H, cs, [p1, p2]))
    assert pages == 2
    assert "Протокол эксперта" in t and "Чтение текста вслух" in t and "Диалог" in t
    assert "Сохранение при пересказе микротем текста" in t and "Результат: «зачет»" in t
    assert "Результат: «незачет»" in t and "Кузнецова Г. Г." in t
    rows = [
        forms.FinalRow("Аверин Артём", "9А", 20, "зачет"),
        forms.FinalRow("Белова Юлия", "9А", None, "неявка", "болезнь, справка"),
    ]
    _, t = text(forms.render_final_statement(H, rows, "Иванова А. А."))
    assert "Итоговая ведомость" in t and "Белова Юлия" in t and "неявка" in t
    assert "Всего участников: 2; «зачет»: 1." in t
