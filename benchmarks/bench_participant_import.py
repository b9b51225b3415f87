"""Participant bulk import without the database: read the XLSX + validate (issue target for the whole
import including the database: 30,000 rows < 30 s; this part should be a small fraction of it).

    python benchmarks/bench_participant_import.py [--rows 30000] [--runs 3]

Generates a school-style XLSX (openpyxl) of valid rows — 10 % of them выпускники прошлых лет with a
chosen date, 90 % with a СНИЛС — checked against 30,000 documents already registered in the region and
250 schools. Prints the best time of ``--runs`` for ``read_table`` and for ``validate_rows``.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from itog.core.tables import read_table  # noqa: E402
from itog.exams.kinds.essay.participants_import import HEADER, snils_checksum, validate_rows  # noqa: E402

TODAY = date(2024, 11, 1)
SESSIONS = [date(2024, 12, 4), date(2025, 2, 5), date(2025, 4, 9)]
SCHOOLS = {f"23{i:04d}": f"МБОУ СОШ № {i}" for i in range(1, 251)}
LAST = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Новиков"]
FIRST = ["Александр", "Мария", "Дмитрий", "Анна", "Максим", "Софья", "Иван", "Дарья"]


def generate(rows: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Участники")
    ws.append(HEADER)
    for i in range(rows):
        vpl = i % 10 == 0
        digits = f"{i * 7_919 + 2_000_000:09d}"  # distinct for every row
        snils = f"{digits[:3]}-{digits[3:6]}-{digits[6:]} {snils_checksum(digits):02d}" if rng.random() < 0.9 else ""
        values = {
            "Фамилия": rng.choice(LAST),
            "Имя": rng.choice(FIRST),
            "Отчество": "Петрович",
            "Пол": "м",
            "Дата рождения": date(2006 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28)),
            "Гражданство": "Российская Федерация",
            "СНИЛС": snils,
            "Вид документа": "Паспорт гражданина РФ",
            "Серия": f"{rng.randint(1000, 9999)}",
            "Номер": f"{i:06d}",
            "Код ОО": "" if vpl else rng.choice(list(SCHOOLS)),
            "Класс": "" if vpl else rng.choice(["11А", "11Б"]),
            "Категория участника": "выпускник прошлых лет" if vpl else "обучающийся XI–XII класса",
            "Форма": "сочинение",
            "ОВЗ/инвалидность": "ОВЗ" if rng.random() < 0.02 else "",
            "Дата участия": SESSIONS[rng.randint(0, 2)] if vpl else "",
            "Телефон": f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        }
        ws.append([values.get(t, "да" if t == "С Памяткой ознакомлен(а)" else "") for t in HEADER])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    data = generate(args.rows)
    print(f"generated {args.rows} rows: {len(data) / 1048576:.1f} MB XLSX in {time.perf_counter() - t0:.1f} s")
    existing = {("0000", f"{n:06d}") for n in range(30_000)}  # other documents already in the region
    read_times, validate_times = [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        table = read_table(data, "participants.xlsx")
        t1 = time.perf_counter()
        result = validate_rows(table, existing, SCHOOLS, SESSIONS, TODAY)
        t2 = time.perf_counter()
        read_times.append(t1 - t0)
        validate_times.append(t2 - t1)
        assert result.ok and len(result.records) == args.rows, [str(e) for e in result.errors[:3]]
    read, validate = min(read_times), min(validate_times)
    print(
        f"read_table {read:.2f} s + validate_rows {validate:.2f} s = {read + validate:.2f} s "
        f"for {args.rows} rows (best of {args.runs})"
    )


if __name__ == "__main__":
    main()
