"""Re-admission to an additional date (п. 10): who may be readmitted and on which ground, and the
readmission itself in one action. The rules are the kind's (``session.rules.readmission``)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from itog.conduct.models import DayRecord, Work
from itog.exams.models import Application, ApplicationStatus, ExamSession
from itog.exams.profiles import profile_kw
from itog.exams.violations import refuse_if, violation


def readmission_list(user, session: ExamSession) -> list[tuple[Application, object]]:
    """Everyone of the closed session the user may see, with the п. 10 decision (eligible + ground)."""
    apps = (
        Application.objects.for_user(user)
        .filter(session=session)
        .select_related("participant", "participant__registration_org")
        .order_by("participant__last_name")
    )
    records = {r.application_id: r for r in DayRecord.objects.filter(application__session=session)}
    results = dict(Work.objects.filter(session=session).values_list("application_id", "result"))
    rules = session.rules
    kw = profile_kw(session)  # the region's additional-date rule (L19)
    out = []
    for a in apps:
        r = records.get(a.pk)
        if r is None:
            continue
        decision = rules.readmission.readmission(
            a.participant.category,
            rules.examday.DayState(r.state),
            results.get(a.pk) or None,
            bool(r.valid_reason_document.strip()),
            **kw,
        )
        out.append((a, decision))
    return out


def readmit(
    user, session: ExamSession, target: ExamSession, application_ids: list[int], today: date | None = None
) -> list[Application]:
    """Register the eligible participants for an additional date in one action (п. 10; V69–V71)."""
    today = today or timezone.localdate()
    from itog.exams.registration.services import (
        check_processing,
        save_numbered,
        session_date,
    )

    refuse_if(
        session.rules.readmission.check_readmission_target(session_date(target), session.academic_year, today)
        + ([] if target.academic_year == session.academic_year and target.date > session.date else [violation("V71")])
    )
    eligible = {a.pk: (a, d) for a, d in readmission_list(user, session)}
    problems = []
    for pk in application_ids:
        if pk not in eligible:
            problems.append(violation("X43"))
        elif not eligible[pk][1].eligible:
            problems.extend(eligible[pk][1].violations or [violation("V69")])
        else:
            problems.extend(check_processing(eligible[pk][0].participant))  # V16: consent revoked
    refuse_if(problems)
    created = []
    with transaction.atomic():
        for pk in application_ids:
            a = eligible[pk][0]
            if Application.objects.filter(participant=a.participant, session=target).exists():
                continue
            new = Application(
                participant=a.participant,
                registration_org_id=a.registration_org_id,
                session=target,
                form=a.form,
                application_form=a.application_form,
                extra_time=a.extra_time,
                oral_form=a.oral_form,
                at_home=a.at_home,
                enlarged_blanks=a.enlarged_blanks,
                other_conditions=a.other_conditions,
                pamyatka_ack=a.pamyatka_ack,
                school_type=a.school_type,
                home_schooling_health=a.home_schooling_health,
                registered_by=user,
                status=ApplicationStatus.REGISTERED,
            )
            save_numbered(
                new, a.participant.registration_org, user, f"Повторный допуск (п. 10): {eligible[pk][1].ground}"
            )
            created.append(new)
    return created
