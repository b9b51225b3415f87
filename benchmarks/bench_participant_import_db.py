"""Importing a 30,000-row participant list (XLSX) into the database, end to end:
read → validate every row → the procedure's rules per application → save with history.

    python benchmarks/bench_participant_import_db.py [--rows 30000]

Runs on a throw-away SQLite database with a small demo region; the list is uploaded by one
school for next year's main date (registration open).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="itog-bench-")
    os.environ.update(
        ITOG_DATA_DIR=data_dir,
        ITOG_DATABASE_URL=f"sqlite:///{data_dir}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="itog.settings",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from openpyxl import Workbook

    from itog.demo.generate import DemoSize, generate
    from itog.exams.kinds.essay.participants_import import HEADER
    from itog.exams.models import Application
    from itog.exams.registration.importing import import_participants
    from itog.exams.registration.services import ensure_sessions
    from itog.orgs.models import Organization

    call_command("migrate", verbosity=0)
    region = generate(
        "bench-password",
        size=DemoSize(schools=24, grade11=50, grade9=0, teachers_per_school=1),
        progress=lambda *a: None,
    ).region
    user = get_user_model().objects.get(username="school")
    school = Organization.objects.get(pk=user.memberships.get().organization_id)
    session = ensure_sessions(region, "2027/28")[0]  # students: a main date (п. 10 keeps February for re-admission)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for i in range(args.rows):
        values = {
            "Фамилия": "Орлов",
            "Имя": "Петр",
            "Отчество": "Ильич",
            "Пол": "м",
            "Дата рождения": "12.05.2009",
            "Гражданство": "Российская Федерация",
            "Вид документа": "Паспорт гражданина РФ",
            "Серия": "4511",
            "Номер": f"{100000 + i}",
            "Код ОО": school.code,
            "Класс": "11А",
            "Категория участника": "обучающийся XI–XII класса",
            "Форма": "сочинение",
            "С Памяткой ознакомлен(а)": "да",
        }
        ws.append([values.get(h, "") for h in HEADER])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()

    started = time.perf_counter()
    report = import_participants(data, "list.xlsx", session, school, user, date(2026, 11, 1), today=date(2026, 12, 10))
    elapsed = time.perf_counter() - started
    assert report.saved and not report.errors, report.errors[:3]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.rows} rows ({len(data) / 1048576:.1f} MB XLSX): {elapsed:.1f} s end to end, "
        f"{Application.objects.count()} applications saved, peak RSS {peak:.0f} MiB (target: < 30 s)"
    )


if __name__ == "__main__":
    main()
