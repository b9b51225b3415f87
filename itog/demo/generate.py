"""Generate the demo region deterministically (same seed → same region).

Running it twice does not duplicate anything: the region is recognised by its
ministry code, and only the demo accounts are brought up to date.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from faker import Faker
from simple_history.utils import bulk_create_with_history

from itog.accounts.models import Membership
from itog.orgs.kinds import OrgKind, normalize_name
from itog.orgs.models import ActorAlias, Organization, Place, PlaceKind, Room
from itog.people.models import DocumentType, Employee, HealthCategory, Sex, Student

from . import region as R

REASON = "Демонстрационные данные"


@dataclass
class DemoSize:
    schools: int = 250
    grade11: int = 8000
    grade9: int = 10000
    teachers_per_school: int = 14


# Regions of a given size for measurements (`itog demo --scale moscow`): Moscow's essay is about 75,000
# participants in some 1,500 schools.
SCALES = {"moscow": DemoSize(schools=1500, grade11=75000, grade9=5000, teachers_per_school=14)}


@dataclass
class DemoResult:
    created: bool
    seconds: float
    counts: dict
    logins: list[tuple[str, str, str, str]]  # username, password, role label, organization
    region: Organization | None = None


def academic_year_start(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def snils_with_checksum(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(9)]
    total = sum(d * (9 - i) for i, d in enumerate(digits))
    check = total % 101
    check = 0 if check == 100 else check
    s = "".join(map(str, digits))
    return f"{s[0:3]}-{s[3:6]}-{s[6:9]} {check:02d}"


def generate(
    password: str, seed: int = 2024, size: DemoSize | None = None, today: date | None = None, progress=print
) -> DemoResult:
    size = size or DemoSize()
    today = today or date.today()
    started = time.perf_counter()
    ministry = Organization.objects.filter(code=R.MINISTRY_CODE).first()
    created = ministry is None
    if created:
        with transaction.atomic():
            ministry = _build_region(seed, size, today, progress)
    logins = _ensure_users(ministry, password)
    counts = {
        "municipalities": Organization.objects.filter(path__startswith=ministry.path, kind=OrgKind.MOUO).count(),
        "schools": Organization.objects.filter(path__startswith=ministry.path, kind=OrgKind.SCHOOL).count(),
        "students": Student.objects.filter(school__path__startswith=ministry.path).count(),
        "employees": Employee.objects.filter(organization__path__startswith=ministry.path).count(),
        "rooms": Room.objects.filter(place__organization__path__startswith=ministry.path).count(),
    }
    return DemoResult(
        created=created, seconds=time.perf_counter() - started, counts=counts, logins=logins, region=ministry
    )


def _school_counts(total: int) -> list[int]:
    weights = [n for _, _, n in R.MUNICIPALITIES]
    scale = total / sum(weights)
    counts = [max(1, round(w * scale)) for w in weights]
    counts[0] += total - sum(counts)
    return counts


def _build_region(seed: int, size: DemoSize, today: date, progress) -> Organization:
    rng = random.Random(seed)
    fake = Faker("ru_RU")
    fake.seed_instance(seed)
    tz = "Europe/Moscow"

    ministry = Organization.objects.create(
        kind=OrgKind.MINISTRY,
        code=R.MINISTRY_CODE,
        name=R.MINISTRY[0],
        short_name=R.MINISTRY[1],
        address="г. Северск-на-Волге, пл. Советов, 1",
        time_zone=tz,
    )
    rcoi = Organization.objects.create(
        kind=OrgKind.RCOI,
        code=R.RCOI_CODE,
        name=R.RCOI[0],
        short_name=R.RCOI[1],
        parent=ministry,
        address="г. Северск-на-Волге, ул. Гагарина, 12",
        time_zone=tz,
    )
    iro = Organization.objects.create(
        kind=OrgKind.REGIONAL_BODY,
        code=R.IRO_CODE,
        name=R.IRO[0],
        short_name=R.IRO[1],
        parent=ministry,
        address="г. Северск-на-Волге, ул. Пушкина, 5",
        time_zone=tz,
    )
    progress(f"  регион: {ministry.short_name}, РЦОИ, ИРО")

    schools: list[Organization] = []
    for m_index, ((m_name, m_type, _), n_schools) in enumerate(
        zip(R.MUNICIPALITIES, _school_counts(size.schools)), start=1
    ):
        code = f"{m_index:02d}"
        is_city = m_name.startswith("г.")
        town = m_name if is_city else f"{m_name[:-2]}ск"
        if is_city:
            full = f"Управление образования администрации городского округа «{m_name}»"
            short = f"УО {m_name}"
        else:
            genitive = {"муниципальный район": "муниципального района", "муниципальный округ": "муниципального округа"}
            full = f"Отдел образования администрации {m_name[:-2]}ого {genitive[m_type]}"
            short = f"{m_name} {m_type}"
        mouo = Organization.objects.create(
            kind=OrgKind.MOUO,
            code=code,
            name=full,
            short_name=short,
            parent=ministry,
            address=f"{town if not is_city else m_name}, {rng.choice(R.STREETS)}, {rng.randint(1, 60)}",
            time_zone=tz,
        )
        for s_index in range(1, n_schools + 1):
            schools.append(_make_school(mouo, m_index, s_index, is_city, m_name, rng, tz))
    progress(f"  {len(R.MUNICIPALITIES)} МОУО, {len(schools)} ОО")

    _make_aliases(ministry, rcoi, iro)
    _make_students(schools, size, today, rng, fake)
    progress(f"  обучающиеся: {size.grade11} (11 кл.) + {size.grade9} (9 кл.)")
    _make_places(ministry, rcoi, schools, rng)
    _make_employees(schools, size, rng, fake)
    progress("  работники ОО")
    return ministry


def _make_school(mouo, m_index, s_index, is_city, m_name, rng, tz) -> Organization:
    code = f"{m_index:02d}{s_index:04d}"
    if is_city:
        kind_word, number = rng.choices(["СОШ", "гимназия", "лицей"], weights=[8, 1, 1])[0], s_index
        if kind_word == "СОШ":
            name = (
                f"Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {number}»"
            )
            short = f"МБОУ «СОШ № {number}» {m_name}"
        else:
            name = f"Муниципальное бюджетное общеобразовательное учреждение «{kind_word.capitalize()} № {number}»"
            short = f"МБОУ «{kind_word.capitalize()} № {number}» {m_name}"
        address = f"{m_name}, {rng.choice(R.STREETS)}, {rng.randint(1, 120)}"
    else:
        village = R.VILLAGES[(s_index - 1) % len(R.VILLAGES)]
        suffix = "" if s_index <= len(R.VILLAGES) else f" № {s_index // len(R.VILLAGES) + 1}"
        name = f"Муниципальное казенное общеобразовательное учреждение «{village}ская средняя общеобразовательная школа{suffix}»"
        name = name.replace("аская", "инская").replace("оеская", "овская").replace("ьеская", "ьевская")
        short = f"МКОУ «{village} СОШ{suffix}» ({m_name} р-н)"
        address = f"с. {village}, {rng.choice(R.STREETS)}, {rng.randint(1, 40)}"
    return Organization.objects.create(
        kind=OrgKind.SCHOOL, code=code, name=name, short_name=short, parent=mouo, address=address, time_zone=tz
    )


def _make_places(ministry, rcoi, schools, rng) -> None:
    places = [
        Place(
            organization=ministry,
            kind=PlaceKind.REGISTRATION,
            code="R-000",
            name="Место регистрации министерства (выпускники прошлых лет)",
            address=ministry.address,
        ),
        Place(
            organization=rcoi, kind=PlaceKind.CHECKING, code="P-001", name="Место проверки РЦОИ", address=rcoi.address
        ),
    ]
    for mouo in {s.parent_id: s.parent for s in schools}.values():
        places.append(
            Place(
                organization=mouo,
                kind=PlaceKind.REGISTRATION,
                code=f"R-{mouo.code}",
                name=f"Место регистрации — {mouo.short_name}",
                address=mouo.address,
            )
        )
    for i, school in enumerate(schools):
        ready = {f: True for f in Place.READINESS_FIELDS}
        if i % 40 == 7:  # a few venues still lack a medical room: the readiness check shows them
            ready["has_medical_room"] = False
        places.append(
            Place(
                organization=school,
                kind=PlaceKind.VENUE,
                code=f"V-{school.code}",
                name=f"Место проведения — {school.short_name}",
                address=school.address,
                **ready,
            )
        )
    bulk_create_with_history(places, Place, default_change_reason=REASON)
    rooms = []
    grade11 = dict(Student.objects.filter(school__in=schools, grade=11).values_list("school").annotate(n=Count("pk")))
    for place in Place.objects.filter(kind=PlaceKind.VENUE, organization__in=schools).order_by("pk"):
        # Enough rooms for the school's 11th-graders (about 13 a room) plus two spare ones
        # for the separate groups (изложение, особые условия).
        needed = -(-grade11.get(place.organization_id, 0) // 12) + 2
        for n in range(max(3, min(needed, 12)) + rng.randint(0, 1)):
            rooms.append(
                Room(
                    place=place,
                    number=str(101 + n if n < 4 else 201 + n - 4),
                    capacity=rng.choice([12, 15, 15, 15, 20]),
                    accessible=(n == 0),
                    # the first two rooms of a school are equipped for audio recording: the interview's
                    # answers go there, the others serve as its waiting and finished rooms
                    audio_equipped=(n < 2),
                )
            )
    rcoi_place = Place.objects.get(organization=rcoi, kind=PlaceKind.CHECKING)
    rooms += [Room(place=rcoi_place, number=str(300 + n), capacity=25) for n in range(1, 5)]
    bulk_create_with_history(rooms, Room, default_change_reason=REASON)


def _make_aliases(ministry, rcoi, iro) -> None:
    entries = [ActorAlias(region=ministry, alias=a, organization=rcoi) for a in R.ALIASES_TO_RCOI]
    entries += [ActorAlias(region=ministry, alias=a, organization=iro) for a in R.ALIASES_TO_IRO]
    entries += [ActorAlias(region=ministry, alias=a, organization=ministry) for a in R.ALIASES_TO_MINISTRY]
    entries += [ActorAlias(region=ministry, alias=a, org_kind=OrgKind.MOUO) for a in R.ALIASES_TO_ALL_MOUO]
    entries += [ActorAlias(region=ministry, alias=a, org_kind=OrgKind.SCHOOL) for a in R.ALIASES_TO_ALL_SCHOOLS]
    entries += [
        ActorAlias(region=ministry, alias=a, external_name=canon)
        for canon, spellings in R.EXTERNAL_ALIASES.items()
        for a in spellings
    ]
    unique: dict[str, ActorAlias] = {}
    for entry in entries:
        entry.key = normalize_name(entry.alias)
        unique.setdefault(entry.key, entry)
    bulk_create_with_history(list(unique.values()), ActorAlias, default_change_reason=REASON)


def _distribute(total: int, n: int, rng: random.Random) -> list[int]:
    weights = [rng.uniform(0.4, 2.2) for _ in range(n)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(n), total - sum(counts)):
        counts[i] += 1
    return counts


def _make_students(schools, size, today, rng, fake) -> None:
    year = academic_year_start(today)
    used_docs: set[str] = set()
    batch: list[Student] = []
    for grade, total in ((11, size.grade11), (9, size.grade9)):
        birth_year = year - (grade + 6)
        for school, count in zip(schools, _distribute(total, len(schools), rng)):
            for i in range(count):
                male = rng.random() < 0.49
                if male:
                    last, first, middle = fake.last_name_male(), fake.first_name_male(), fake.middle_name_male()
                else:
                    last, first, middle = fake.last_name_female(), fake.first_name_female(), fake.middle_name_female()
                while True:
                    series, number = (
                        f"{rng.randint(1, 99):02d}{rng.randint(0, 99):02d}",
                        f"{rng.randint(0, 999999):06d}",
                    )
                    if series + number not in used_docs:
                        used_docs.add(series + number)
                        break
                roll = rng.random()
                health = (
                    HealthCategory.OVZ
                    if roll < 0.02
                    else HealthCategory.DISABLED_CHILD
                    if roll < 0.026
                    else HealthCategory.NONE
                )
                batch.append(
                    Student(
                        last_name=last,
                        first_name=first,
                        middle_name=middle,
                        sex=Sex.MALE if male else Sex.FEMALE,
                        birth_date=date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
                        phone=f"+7 9{rng.randint(0, 99):02d} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
                        if rng.random() < 0.6
                        else "",
                        snils=snils_with_checksum(rng) if rng.random() < 0.9 else "",
                        document_type=DocumentType.PASSPORT_RF,
                        document_series=series,
                        document_number=number,
                        school=school,
                        grade=grade,
                        class_letter="абвг"[i // 25],
                        health_category=health,
                    )
                )
                if len(batch) >= 2000:
                    bulk_create_with_history(batch, Student, default_change_reason=REASON)
                    batch = []
    bulk_create_with_history(batch, Student, default_change_reason=REASON)


def _make_employees(schools, size, rng, fake) -> None:
    batch = []
    for school in schools:
        staff = [("Директор", "", False), ("Заместитель директора по учебно-воспитательной работе", "", False)]
        staff += [("Учитель", "Русский язык, литература", True) for _ in range(2)]
        staff += [
            ("Учитель", ", ".join(rng.sample(R.SUBJECTS, 2)), False)
            for _ in range(max(0, size.teachers_per_school - 2))
        ]
        for position, subjects, russian in staff:
            female = rng.random() < 0.78
            if female:
                last, first, middle = fake.last_name_female(), fake.first_name_female(), fake.middle_name_female()
            else:
                last, first, middle = fake.last_name_male(), fake.first_name_male(), fake.middle_name_male()
            batch.append(
                Employee(
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    organization=school,
                    position=position,
                    subjects=subjects,
                    is_russian_specialist=russian,
                )
            )
    bulk_create_with_history(batch, Employee, batch_size=2000, default_change_reason=REASON)


def _ensure_users(ministry: Organization, password: str) -> list[tuple[str, str, str, str]]:
    User = get_user_model()
    mouos = list(Organization.objects.filter(path__startswith=ministry.path, kind=OrgKind.MOUO).order_by("code")[:2])
    first_schools = list(Organization.objects.filter(parent=mouos[0], kind=OrgKind.SCHOOL).order_by("code")[:3])
    other_school = Organization.objects.filter(parent=mouos[1], kind=OrgKind.SCHOOL).order_by("code").first()
    if len(first_schools) < 3:  # a very small demo: take the expert's school from elsewhere
        first_schools += list(
            Organization.objects.filter(path__startswith=ministry.path, kind=OrgKind.SCHOOL)
            .exclude(pk__in=[s.pk for s in first_schools] + [other_school.pk])
            .order_by("code")[: 3 - len(first_schools)]
        )
    targets = {
        "ministry": ministry,
        "rcoi": Organization.objects.get(code=R.RCOI_CODE),
        "mouo1": mouos[0],
        "mouo2": mouos[1],
        "school1": first_schools[0],
        "school2": other_school,
        "school3": first_schools[2],
    }
    from itog.accounts.roles import ROLE_LABELS, Role

    logins = []
    for username, role, target, first, last in R.DEMO_USERS:
        org = targets[target]
        user, new_user = User.objects.get_or_create(username=username)
        if role == "participant":
            candidates = Student.objects.filter(Q(user__isnull=True) | Q(user=user)).order_by("pk")
            student = (
                candidates.filter(school=org, grade=11).first()
                or candidates.filter(school=org).first()
                or candidates.filter(school__path__startswith=ministry.path).first()
            )
            org = student.school
            student.user = user
            student.save()
            first, last = student.first_name, student.last_name
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.itog.invalid"  # reminders are printed to the console in the demo
        # A re-run keeps the password (and so every logged-in session: Django ties sessions to the password
        # hash); only a new account or a different --password sets it.
        if new_user or not user.check_password(password):
            user.set_password(password)
        user.is_active = True
        user.save()
        Membership.objects.get_or_create(user=user, role=role, organization=org)
        logins.append((username, password, ROLE_LABELS[Role(role)], org.display_name))
    return logins
