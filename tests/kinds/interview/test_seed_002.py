"""The deadline chain against the seed itself: every dated row of seed 002 (Tomsk, exam 14.02.2024)
must be the date the chain gives for 14.02.2024 — read from the document, not copied into the test."""

import re
from datetime import date

from itog.exams.kinds.interview.calendar import deadline_chain, session_dates
from tests.seeds import seed_path

# the first words of each row of the seed's table -> the chain's key (rules J1–J10 of the analysis)
ROWS = {
    "Назначение обучающихся": "registration",  # J1
    "Доступ к инструкциям": "materials_available",  # J3
    "Печать протоколов": "printing",  # J4
    "Тиражирование критериев": "criteria_copies",  # J5
    "Доступ к КИМ": "kim_available",  # J6
    "Проведение собеседования": "exam",  # J7
    "Проверка итогового собеседования": "checking",  # J8
    "Передача протоколов": "to_rcoi",  # J9
    "Обработка и отгрузка": "fis_upload",  # J10
}
DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})(?:\s+с\s+(\d{2})\.(\d{2}))?")


def seed_rows() -> dict[str, tuple[date, str | None]]:
    text = seed_path("002").read_text(encoding="utf-8")
    table = text[text.index("Мероприятие") :]  # the first copy of the table
    table = table[: table.index("Приложение к письму")]
    found = {}
    lines = [line for line in table.splitlines() if line.strip()]
    for line in lines:
        for start, key in ROWS.items():
            if line.startswith(start):
                m = DATE.search(line)
                assert m, line
                d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                found[key] = (d, f"{m.group(4)}:{m.group(5)}" if m.group(4) else None)
    return found


def test_every_dated_row_of_seed_002_is_the_chain_for_its_exam_date():
    rows = seed_rows()
    assert set(rows) == set(ROWS.values())
    exam = rows["exam"][0]
    assert exam == session_dates("2023/24")[0].date == date(2024, 2, 14)
    chain = {r.key: r for r in deadline_chain(exam)}
    for key, (day, at) in rows.items():
        assert chain[key].day == day, key
        if at:
            assert chain[key].deadline.at.strftime("%H:%M") == at, key
    assert "За две недели" in seed_path("002").read_text(encoding="utf-8")  # the commission row: D−14
    assert chain["commission"].day == date(2024, 1, 31)  # J2
