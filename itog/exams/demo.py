"""Demo data of the exam pipeline: this year's essay sessions and the region's 11th-graders
registered for the main date (as schools would have done by D−14)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from itog.orgs.models import Organization
from itog.people.models import PERSONAL_FIELDS, Student

from .common import academic_year_label
from .kinds.base import DocumentKind
from .models import Application, ApplicationStatus, Consent, Participant, SupportingDocument
from .registration.services import ensure_sessions
from .seating.services import seat_session

REASON = "Демонстрационные данные"


def load_demo_exams(region: Organization, today: date, progress=print, seat: bool = True) -> None:
    start_year = today.year if today.month >= 9 else today.year - 1
    sessions = ensure_sessions(region, academic_year_label(start_year))
    main = sessions[0]
    if Application.objects.filter(session=main).exists():
        return
    students = list(Student.objects.filter(school__path__startswith=region.path, grade=11).order_by("pk"))
    applications = register_students(region, main, students)
    progress(f"  итоговое сочинение {main.date:%d.%m.%Y}: зарегистрировано заявлений — {len(applications)}")
    commissions = make_conduct_commissions(region, main)
    if not seat:
        progress(f"  комиссии по проведению: {commissions}")
        return
    run = seat_session(main, seed=2024)
    progress(
        f"  комиссии по проведению: {commissions}; рассадка (зерно {run.seed}): рассажено {run.seated}, "
        f"мест проведения с замечаниями — {len(run.problems)}"
    )


def register_students(region: Organization, session, students: list[Student]) -> list[Application]:
    """Participants for the students (reused when they exist), their consents and documents, and an
    application for ``session`` each — as the schools would have registered them by D−14."""
    with transaction.atomic():
        have = set(Participant.objects.filter(student__in=students).values_list("student_id", flat=True))
        # ids, not objects: reading ``s.school`` / ``s.user`` cost one query per student (25 min at 75,000)
        new = [
            Participant(
                **{f: getattr(s, f) for f in PERSONAL_FIELDS},
                category="student",
                school_id=s.school_id,
                grade=s.grade,
                class_letter=s.class_letter,
                registration_org_id=s.school_id,
                student=s,
                user_id=s.user_id,
            )
            for s in students
            if s.pk not in have
        ]
        bulk_create_with_history(new, Participant, batch_size=2000, default_change_reason=REASON)
        created = set(
            p.pk for p in Participant.objects.filter(student__in=[s.pk for s in students if s.pk not in have])
        )
        participants = list(Participant.objects.filter(student__in=students).order_by("pk"))
        fresh = [p for p in participants if p.pk in created]
        signed = session.date - timedelta(days=30)
        bulk_create_with_history(
            [Consent(participant=p, operator=region, signed_on=signed) for p in fresh],
            Consent,
            batch_size=2000,
            default_change_reason=REASON,
        )
        # A participant reused for an earlier session (last year's, loaded after this year's) gave the consent
        # before that session: never a consent dated after an exam the participant wrote.
        Consent.objects.filter(participant__student_id__in=have, signed_on__gt=signed).update(signed_on=signed)
        documents = []
        for p in fresh:
            if p.health_category == "ovz":
                documents.append(SupportingDocument(participant=p, kind=DocumentKind.PMPK.value, is_original=True))
            elif p.health_category in ("disabled_child", "disabled"):
                documents.append(SupportingDocument(participant=p, kind=DocumentKind.DISABILITY.value))
        bulk_create_with_history(documents, SupportingDocument, batch_size=2000, default_change_reason=REASON)
        applications = [
            Application(
                participant=p,
                registration_org_id=p.registration_org_id,
                session=session,
                form="essay",
                application_form="app1",
                extra_time=p.health_category != "",
                pamyatka_ack=True,
                status=ApplicationStatus.SUBMITTED_RCOI,
                registration_number=f"{session.date:%y%m%d}-{p.registration_org_id:05d}-{p.pk:06d}",
            )
            for p in participants
        ]
        bulk_create_with_history(applications, Application, batch_size=2000, default_change_reason=REASON)
    return applications


def make_conduct_commissions(region: Organization, session) -> int:
    """A conduct commission per school venue (п. 3.2): the head (director), organizers in rooms and outside —
    employees who are not Russian-language specialists (C12–C19)."""
    from itog.orgs.models import Place, PlaceKind
    from itog.people.models import Employee

    from .models import Commission, CommissionMember

    staff = defaultdict(list)
    for e in Employee.objects.filter(organization__path__startswith=region.path, is_russian_specialist=False):
        staff[e.organization_id].append(e)
    commissions, people_of = [], []
    for venue in Place.objects.filter(organization__path__startswith=region.path, kind=PlaceKind.VENUE).select_related(
        "organization"
    ):
        people = staff.get(venue.organization_id, [])
        if len(people) < 3:
            continue
        commissions.append(
            Commission(
                session=session,
                kind="conduct",
                organization_id=venue.organization_id,
                venue=venue,
                order_number=f"{venue.organization.code}-ИС",
            )
        )
        people_of.append(people)
    # In bulk with their history rows (one INSERT per 2,000, not a save per venue: 1,500 venues at Moscow size)
    bulk_create_with_history(commissions, Commission, batch_size=2000, default_change_reason=REASON)
    members = []
    for commission, people in zip(commissions, people_of):
        for i, e in enumerate(people):
            role = (
                "conduct_head"
                if e.position == "Директор"
                else ("organizer_outside" if i == len(people) - 1 else "organizer_in_room")
            )
            members.append(CommissionMember(commission=commission, employee=e, role=role, trained=True))
    CommissionMember.objects.bulk_create(members, batch_size=2000)
    return len(commissions)
