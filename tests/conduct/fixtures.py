"""A finished essay session of the small test region (built by the demo's own builder)."""

from __future__ import annotations

from datetime import timedelta

from itog.conduct.demo import finish_session, link_demo_staff
from itog.exams.demo import register_students
from itog.exams.models import Application
from itog.exams.registration.services import ensure_sessions
from itog.people.models import Student

YEAR = "2025/26"


def sessions(region):
    return ensure_sessions(region.ministry, YEAR)[:2]


def add_staff(region, per_school: int = 8) -> None:
    """The small test region has three employees a school: give the story's schools enough organizers for
    their rooms (п. 7.11.3), so that their own venues are used."""
    from itog.people.models import Employee

    for org in (region.school1, region.school2, region.school1b):
        have = Employee.objects.filter(organization=org, is_russian_specialist=False).count()
        for i in range(have, per_school):
            Employee.objects.create(
                organization=org,
                last_name=f"Организаторов{i}",
                first_name="Олег",
                position="Учитель",
                subjects="История",
            )


def finished_session(region, leave_unchecked: int = 0, publish: bool = True, fail_rate: float = 0.1):
    """The 2025/26 main date, seated, written, checked and (unless ``leave_unchecked``) published."""
    link_demo_staff(region.ministry)
    add_staff(region)
    main, _ = sessions(region)
    students = list(Student.objects.filter(grade=11, school__path__startswith=region.ministry.path).order_by("pk"))
    register_students(region.ministry, main, students)
    apps = list(Application.objects.filter(session=main))
    finish_session(
        main,
        apps,
        seed=1,
        published_on=main.date + timedelta(days=10),
        fail_rate=fail_rate,
        leave_unchecked=leave_unchecked,
    )
    main.refresh_from_db()
    return main


def seated_session(region):
    """The 2025/26 main date registered and seated (no exam-day records yet)."""
    from itog.exams.demo import make_conduct_commissions
    from itog.exams.printing import issue_codes
    from itog.exams.seating.services import seat_session

    link_demo_staff(region.ministry)
    add_staff(region)
    main, _ = sessions(region)
    students = list(Student.objects.filter(grade=11, school__path__startswith=region.ministry.path).order_by("pk"))
    register_students(region.ministry, main, students)
    make_conduct_commissions(region.ministry, main)
    run = seat_session(main, seed=3)
    issue_codes(main, list(run.seats.values_list("application_id", flat=True)))
    return main, run


def seat_in(run, org):
    """A seat of the run in a venue of ``org``."""
    return (
        run.seats.filter(venue__organization=org)
        .select_related("venue__organization", "room", "application__participant")
        .first()
    )


def repeated_fail(region):
    """A finished main date and its additional date, where the re-admitted participants failed again:
    returns (main, additional, a work of school1 with a repeated «незачет»)."""
    from itog.conduct import services as S
    from itog.conduct.models import Work

    main = finished_session(region, fail_rate=0.4)
    additional = sessions(region)[1]
    rcoi = region.user("rcoi")
    eligible = [a.pk for a, d in S.readmission_list(rcoi, main) if d.eligible]
    readmitted = S.readmit(rcoi, main, additional, eligible, today=additional.date - timedelta(days=20))
    finish_session(additional, readmitted, seed=2, published_on=additional.date + timedelta(days=10), fail_rate=1.0)
    additional.refresh_from_db()
    work = (
        Work.objects.filter(
            session=additional,
            result="незачет",
            application__participant__category="student",
            application__participant__registration_org__parent=region.mouo1,
        )
        .select_related("application__participant__registration_org", "session")
        .order_by("pk")
    )
    work = next(w for w in work if S.earlier_fails(w) > 0)
    return main, additional, work
