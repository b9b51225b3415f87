"""Directory import of what makes a commission member ineligible (п. 3.2; V24, V27): whom an employee
teaches this academic year, and the close relatives they declared.

One table (XLSX or CSV, read by :mod:`itog.core.tables`) per kind; the employee is found among the
employees of the uploading organization (and below it) by the full name. All or nothing: a file with
any bad row saves nothing and reports every row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.core.tables import RowError, TableError, read_table

from .models import (
    CloseRelative,
    Employee,
    Kinship,
    Student,
    TeachingAssignment,
    person_key,
)

TEACHING_HEADER = ["ФИО работника", "Учебный год", "Класс", "Литера", "Предмет"]
RELATIVES_HEADER = [
    "ФИО работника",
    "Фамилия родственника",
    "Имя родственника",
    "Отчество родственника",
    "Дата рождения родственника",
    "Степень родства",
]
KINDS = {"teaching": TEACHING_HEADER, "relatives": RELATIVES_HEADER}

_KINSHIP_WORDS = {
    "родитель": Kinship.PARENT,
    "мать": Kinship.PARENT,
    "отец": Kinship.PARENT,
    "ребенок": Kinship.CHILD,
    "сын": Kinship.CHILD,
    "дочь": Kinship.CHILD,
    "брат": Kinship.SIBLING,
    "сестра": Kinship.SIBLING,
    "дедушка": Kinship.GRANDPARENT,
    "бабушка": Kinship.GRANDPARENT,
    "дед": Kinship.GRANDPARENT,
    "внук": Kinship.GRANDCHILD,
    "внучка": Kinship.GRANDCHILD,
    "супруг": Kinship.SPOUSE,
    "супруга": Kinship.SPOUSE,
    "муж": Kinship.SPOUSE,
    "жена": Kinship.SPOUSE,
}


@dataclass
class LinksReport:
    created: int = 0
    skipped: int = 0  # already present
    errors: list[RowError] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors and self.created > 0


def _norm(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def _parse_date(text: str) -> date | None:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def kinship_of(text: str) -> Kinship | None:
    word = _norm(text).replace("(", " ").replace(")", " ").split()
    for w in word:
        if w in _KINSHIP_WORDS:
            return _KINSHIP_WORDS[w]
    for k in Kinship:
        if _norm(k.label) == _norm(text) or k.value == text.strip():
            return k
    return None


def _employees(org) -> dict[str, list[Employee]]:
    out: dict[str, list[Employee]] = {}
    for e in Employee.objects.filter(organization__path__startswith=org.path):
        out.setdefault(_norm(e.full_name), []).append(e)
    return out


def import_links(
    data: bytes,
    filename: str,
    kind: str,
    org,
    user=None,
    request=None,
    on_progress: Callable[[int, int | None, str], None] | None = None,
    in_transaction: Callable[[LinksReport], None] | None = None,
) -> LinksReport:
    """Read a table of ``kind`` («teaching» or «relatives») for the employees of ``org``. ``on_progress`` and
    ``in_transaction`` as in :func:`itog.exams.registration.importing.import_participants`."""
    if kind not in KINDS:
        raise ValueError(kind)
    report = LinksReport()
    say = on_progress or (lambda done, total=None, message="": None)
    try:
        table = read_table(data, filename, max_bytes=settings.ITOG_MAX_UPLOAD_MB * 1024 * 1024)
    except TableError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    say(0, len(table.rows), f"Проверка строк: {len(table.rows)}")
    header = [_norm(h) for h in table.header]
    expected = KINDS[kind]
    missing = [
        h
        for h in expected
        if _norm(h) not in header and not h.startswith("Отчество") and h not in ("Литера", "Предмет")
    ]
    if missing:
        report.errors.append(
            RowError(
                1,
                "",
                "Нет столбцов: "
                + ", ".join(f"«{h}»" for h in missing)
                + ". Ожидаются столбцы: "
                + ", ".join(f"«{h}»" for h in expected)
                + ".",
            )
        )
        return report
    col = {h: header.index(_norm(h)) if _norm(h) in header else None for h in expected}

    def cell(cells: list[str], name: str) -> str:
        i = col[name]
        return cells[i].strip() if i is not None and i < len(cells) else ""

    employees = _employees(org)
    objects = []
    for done, (number, cells) in enumerate(table.rows, 1):
        say(done, len(table.rows), f"Проверено строк: {done} из {len(table.rows)}")
        if not any(c.strip() for c in cells):
            continue
        name = cell(cells, "ФИО работника")
        found = employees.get(_norm(name), [])
        if not found:
            report.errors.append(
                RowError(number, "ФИО работника", f"работник «{name}» не найден в организации {org.display_name}")
            )
            continue
        if len(found) > 1:
            report.errors.append(
                RowError(
                    number,
                    "ФИО работника",
                    f"найдено несколько работников «{name}»; внесите запись на странице работника",
                )
            )
            continue
        employee = found[0]
        if kind == "teaching":
            year = cell(cells, "Учебный год").replace("-", "/")
            if not re.fullmatch(r"\d{4}/\d{2}(\d{2})?", year):
                report.errors.append(RowError(number, "Учебный год", "укажите учебный год в виде 2024/25"))
                continue
            grade_text = cell(cells, "Класс")
            m = re.fullmatch(r"(\d{1,2})\s*([А-Яа-яЁё]{0,2})", grade_text)
            if not m or not 1 <= int(m.group(1)) <= 12:
                report.errors.append(
                    RowError(number, "Класс", "укажите класс числом от 1 до 12 (например, 11 или 11А)")
                )
                continue
            letter = (cell(cells, "Литера") or m.group(2)).lower()
            objects.append(
                TeachingAssignment(
                    employee=employee,
                    school=employee.organization,
                    academic_year=year,
                    grade=int(m.group(1)),
                    class_letter=letter[:5],
                    subject=cell(cells, "Предмет")[:200],
                )
            )
        else:
            last, first = cell(cells, "Фамилия родственника"), cell(cells, "Имя родственника")
            middle = cell(cells, "Отчество родственника")
            born = _parse_date(cell(cells, "Дата рождения родственника"))
            kin = kinship_of(cell(cells, "Степень родства"))
            if not last or not first:
                report.errors.append(RowError(number, "Фамилия родственника", "укажите фамилию и имя родственника"))
                continue
            if born is None:
                report.errors.append(RowError(number, "Дата рождения родственника", "укажите дату в виде ДД.ММ.ГГГГ"))
                continue
            if kin is None:
                report.errors.append(
                    RowError(number, "Степень родства", "укажите одно из: " + ", ".join(k.label for k in Kinship))
                )
                continue
            objects.append(
                CloseRelative(
                    employee=employee,
                    last_name=last[:100],
                    first_name=first[:100],
                    middle_name=middle[:100],
                    birth_date=born,
                    kinship=kin.value,
                )
            )
    if report.errors:
        return report
    say(len(table.rows), len(table.rows), f"Сохранение записей: {len(objects)}")
    with transaction.atomic():
        for obj in objects:
            if isinstance(obj, CloseRelative):
                link_student(obj)
                exists = CloseRelative.objects.filter(
                    employee=obj.employee,
                    last_name=obj.last_name,
                    first_name=obj.first_name,
                    middle_name=obj.middle_name,
                    birth_date=obj.birth_date,
                ).exists()
            else:
                exists = TeachingAssignment.objects.filter(
                    employee=obj.employee,
                    school=obj.school,
                    academic_year=obj.academic_year,
                    grade=obj.grade,
                    class_letter=obj.class_letter,
                    subject=obj.subject,
                ).exists()
            if exists:
                report.skipped += 1
                continue
            obj._history_user = user
            obj.save()
            report.created += 1
        what = "Преподавание в классах" if kind == "teaching" else "Близкие родственники работников"
        record(
            EventKind.IMPORT,
            request,
            user=user,
            description=f"{what} из «{filename}»: {report.created} записей, уже были {report.skipped}",
            filename=filename,
            rows=report.created,
        )
        if in_transaction is not None:
            in_transaction(report)
    return report


def link_student(relative: CloseRelative) -> None:
    """Link the declared relative to the region's student with the same name and birth date, when exactly one."""
    key = person_key(relative.last_name, relative.first_name, relative.middle_name, relative.birth_date)
    candidates = [
        s
        for s in Student.objects.filter(birth_date=relative.birth_date)
        if person_key(s.last_name, s.first_name, s.middle_name, s.birth_date) == key
    ]
    relative.student = candidates[0] if len(candidates) == 1 else None
