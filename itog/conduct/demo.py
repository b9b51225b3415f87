"""Last academic year for the demo and the tests: the main date seated, written, checked, transferred,
processed and published; its failures re-admitted to the February date, finished too, with a pending re-check
application; the April date still being checked (works for the expert and the authorized person) with a scan
batch and a disputed box in the verification queue; copies due for destruction — every screen has real data.

Deterministic (seeded). The steps go through the same services the screens use, except the marks and the
reconciliation of the finished dates, which are written in bulk (the demo does not render thousands of scans;
a few April scans are rendered and recognized for real). The per-work rules are covered by the tests.
"""

from __future__ import annotations

import io
import json
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from itog.exams.common import FAIL, PASS
from itog.exams.demo import REASON, make_conduct_commissions, register_students
from itog.exams.kinds import get_rules
from itog.exams.models import Application, Commission, CommissionMember, ExamSession
from itog.exams.printing import issue_codes
from itog.exams.registration.services import ensure_sessions
from itog.exams.seating.services import seat_session
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization
from itog.people.models import Employee, Student

from . import services as S
from .models import DayRecord, TopicSet, TransferAppointment, Work, WorkStatus

TOPICS = (
    "1. Чем опасно равнодушие?\n2. Какие книги помогают понять себя?\n3. Что значит быть наследником "
    "культуры?\n4. Может ли ошибка стать шагом вперед?\n5. О чем рассказывает дневник?"
)
TEXTS = "Текст для изложения № 11 (демонстрационный)."


def _state_for(rng: random.Random) -> tuple[str, dict]:
    x = rng.random()
    if x < 0.015:
        return "absent", {"valid_reason_document": "Справка медицинской организации № 15" if rng.random() < 0.6 else ""}
    if x < 0.025:
        return "not_finished", {
            "is08_act": f"ИС-08/{rng.randint(1, 9)}",
            "is05_marked": True,
            "is05_signed": True,
            "member_signature": True,
            "valid_reason_document": "Справка фельдшера",
        }
    if x < 0.03:
        return "removed", {
            "is09_act": f"ИС-09/{rng.randint(1, 9)}",
            "is09_by_head": True,
            "is05_marked": True,
            "is05_signed": True,
            "member_signature": True,
        }
    return "finished", {"is05_signed": True, "late": rng.random() < 0.02, "blanks_used": rng.choice((1, 2, 2, 3))}


def _marks(rng: random.Random, criteria, fail_rate: float) -> tuple[dict, dict, str]:
    fail = rng.random() < fail_rate
    requirements = {r.code: PASS for r in criteria.requirements}
    marks = {c.code: PASS for c in criteria.criteria}
    if fail:
        if rng.random() < 0.3:
            requirements[criteria.requirements[0].code] = FAIL
            marks = {}
        else:
            marks[criteria.criteria[rng.randrange(2)].code] = FAIL
    return requirements, marks, get_rules("essay").checking.aggregate(criteria, requirements, marks).overall


def checking_commissions(region: Organization, session: ExamSession) -> int:
    """A checking commission per МОУО (п. 3.2) with the Russian-language teachers of its schools as experts."""
    if Commission.objects.filter(session=session, kind="check").exists():
        return 0
    members = []
    count = 0
    for mouo in Organization.objects.filter(path__startswith=region.path, kind=OrgKind.MOUO).order_by("code"):
        teachers = list(
            Employee.objects.filter(organization__path__startswith=mouo.path, is_russian_specialist=True).order_by("pk")
        )
        if len(teachers) < 3:
            continue
        c = Commission.objects.create(session=session, kind="check", organization=mouo, order_number=f"{mouo.code}-ПР")
        count += 1
        members += [CommissionMember(commission=c, employee=e, role="expert", trained=True) for e in teachers]
    CommissionMember.objects.bulk_create(members, batch_size=2000)
    return count


def link_demo_staff(region: Organization) -> None:
    """The demo's expert login is a Russian-language teacher of their school; the «transfer» login is an
    authorized person appointed by an МОУО order (п. 8.1.2)."""
    User = get_user_model()
    expert = User.objects.filter(username="expert").first()
    if expert is not None and not Employee.objects.filter(user=expert).exists():
        org = expert.memberships.filter(role="expert").first().organization
        employee = Employee.objects.filter(
            organization=org, is_russian_specialist=True, user__isnull=True
        ).first() or Employee.objects.create(
            organization=org,
            last_name=expert.last_name,
            first_name=expert.first_name,
            position="Учитель",
            subjects="Русский язык, литература",
            is_russian_specialist=True,
        )
        employee.user = expert
        employee.save()
    transfer = User.objects.filter(username="transfer").first()
    if transfer is not None:
        for m in transfer.memberships.filter(role="authorized"):
            TransferAppointment.objects.get_or_create(
                user=transfer,
                mouo=m.organization,
                defaults={"order_number": f"{m.organization.code}-УЛ", "order_date": date(2025, 11, 1)},
            )


@transaction.atomic
def finish_session(
    session: ExamSession,
    applications: list[Application],
    seed: int,
    published_on: date,
    fail_rate: float = 0.06,
    leave_unchecked: int = 0,
    for_screens: bool = False,
) -> dict:
    """Take a registered session through the day, checking, transfer, processing and publication."""
    rng = random.Random(seed)
    region = session.region
    user = get_user_model().objects.filter(username="rcoi").first()
    if not Commission.objects.filter(session=session, kind="conduct").exists():
        make_conduct_commissions(region, session)  # every venue: the seating decides which are used
    run = seat_session(session, seed=seed)
    seats = {s.application_id: s for s in run.seats.select_related("venue", "room")}
    issue_codes(session, list(seats))
    TopicSet.objects.get_or_create(session=session, form="essay", defaults={"content": TOPICS})
    TopicSet.objects.get_or_create(session=session, form="exposition", defaults={"content": TEXTS})
    records = []
    for app in applications:
        seat = seats.get(app.pk)
        if seat is None:
            continue
        state, extra = _state_for(rng)
        records.append(
            DayRecord(application_id=app.pk, venue=seat.venue, room=seat.room, state=state, recorded_by=user, **extra)
        )
    bulk_create_with_history(records, DayRecord, batch_size=2000, default_user=user, default_change_reason=REASON)
    checking_commissions(region, session)
    S.assign_experts(session, user, seed=seed)
    criteria = session.rules.checking.criteria_for("essay", session.academic_year)
    works = list(Work.objects.filter(session=session).order_by("pk"))
    # Works left unchecked: the demo expert's first, so that their screen has work on it.
    expert_id = Employee.objects.filter(user__username="expert").values_list("pk", flat=True).first()
    ordered = sorted(works, key=lambda w: (w.expert_id != expert_id, w.pk))
    # For the demo's screens: at most a third unchecked (a small region keeps checked works too).
    if leave_unchecked and for_screens:
        leave_unchecked = min(leave_unchecked, max(1, len(works) // 3))
    keep = set(w.pk for w in ordered[:leave_unchecked])
    expert = Employee.objects.filter(pk=expert_id).first()
    if for_screens and expert is not None and keep:  # the demo expert gets them (never of their own school)
        mine = [w.pk for w in works if w.pk in keep and w.school_id != expert.organization_id]
        Work.objects.filter(pk__in=mine).update(expert=expert)
        S._history(mine, user, REASON)
    checked_at = datetime.combine(session.date + timedelta(days=3), time(15), tzinfo=ZoneInfo("Europe/Moscow"))
    groups = defaultdict(list)  # identical marks are written by one UPDATE each (a few combinations)
    for w in works:
        if w.pk in keep:
            continue
        req, marks, overall = _marks(rng, criteria, fail_rate)
        groups[(json.dumps(req, sort_keys=True), json.dumps(marks, sort_keys=True), overall)].append(w.pk)
    failed = 0
    for (req, marks, overall), ids in groups.items():
        req, marks = json.loads(req), json.loads(marks)
        for start in range(0, len(ids), 500):
            Work.objects.filter(pk__in=ids[start : start + 500]).update(
                expert_requirements=req,
                expert_marks=marks,
                expert_result=overall,
                checked_at=checked_at,
                transfer_requirements=req,
                transfer_marks=marks,
                transfer_result=overall,
                transferred_at=checked_at + timedelta(hours=2),
                result=overall,
                status=WorkStatus.TRANSFERRED,
                scan_verified_at=checked_at + timedelta(days=2),
            )
        failed += len(ids) if overall == FAIL else 0
        S._history(ids, user, REASON)
    if works and not keep:
        S.mark_processed(session, user, today=published_on)
        S.publish(session, user, today=published_on)
    return {"works": len(works), "failed": failed}


def load_demo_results(region: Organization, today: date, progress=print, fail_rate: float = 0.06) -> ExamSession | None:
    """Last academic year: the main date finished and published, its failures re-admitted to the
    additional date, finished too, one pending re-check application and copies due for destruction."""
    start = (today.year if today.month >= 9 else today.year - 1) - 1
    year = f"{start}/{(start + 1) % 100:02d}"
    main, additional = ensure_sessions(region, year)[:2]
    link_demo_staff(region)
    if Work.objects.filter(session=main).exists():
        return main
    mouos = list(Organization.objects.filter(path__startswith=region.path, kind=OrgKind.MOUO).order_by("code")[:2])
    # The first municipality and the second's first school (the demo's «school2»): enough for every screen
    # of both МОУО logins, and the demo stays under a minute.
    second = Organization.objects.filter(parent=mouos[1], kind=OrgKind.SCHOOL).order_by("code").first()
    students = list(
        Student.objects.filter(grade=11).filter(Q(school__parent=mouos[0]) | Q(school=second)).order_by("pk")
    )
    apps = register_students(region, main, students)
    apps = list(Application.objects.filter(session=main).select_related("participant"))
    stats = finish_session(main, apps, seed=start, published_on=main.date + timedelta(days=10), fail_rate=fail_rate)
    progress(
        f"  {main.date:%d.%m.%Y}: проверено и опубликовано работ — {stats['works']}, «незачет» — {stats['failed']}"
    )
    rcoi_user = get_user_model().objects.filter(username="rcoi").first()
    eligible = [a.pk for a, d in S.readmission_list(rcoi_user, main) if d.eligible]
    readmitted = S.readmit(rcoi_user, main, additional, eligible, today=additional.date - timedelta(days=20))
    stats2 = finish_session(
        additional, readmitted, seed=start + 1, published_on=additional.date + timedelta(days=10), fail_rate=0.5
    )
    progress(
        f"  {additional.date:%d.%m.%Y}: повторно допущено {len(readmitted)}, «незачет» повторно — {stats2['failed']}"
    )
    _pending_recheck(additional, rcoi_user)
    # The April date is still being checked and scanned: works for the expert and the authorized person, a
    # scan batch with one disputed box in the verification queue.
    april = ensure_sessions(region, year)[2]
    eligible = [a.pk for a, d in S.readmission_list(rcoi_user, additional) if d.eligible]
    again = S.readmit(rcoi_user, additional, april, eligible, today=april.date - timedelta(days=20))
    finish_session(
        april,
        again,
        seed=start + 2,
        published_on=april.date + timedelta(days=10),
        fail_rate=0.3,
        leave_unchecked=6,
        for_screens=True,
    )
    scanned = demo_scans(april, rcoi_user)
    candidates = Work.objects.filter(session=april, status=WorkStatus.TRANSFERRED, scan_verified_at__isnull=False)
    waiting = (
        candidates.filter(application__participant__registration_org__parent=mouos[0]).first() or candidates.first()
    )
    if waiting is not None:  # checked by the expert, not yet transferred: for the authorized person
        waiting.transfer_requirements, waiting.transfer_marks, waiting.transfer_result = {}, {}, ""
        waiting.transferred_at, waiting.result, waiting.scan_verified_at = None, "", None
        waiting.status = WorkStatus.CHECKED
        waiting._change_reason = REASON
        waiting.save()
    progress(
        f"  {april.date:%d.%m.%Y}: допущено {len(again)}, проверка идет; отсканировано работ — {scanned}, "
        f"в очереди сверки есть вопрос"
    )
    return main


def demo_scans(session: ExamSession, user, count: int = 3) -> int:
    """Scans of a few checked works, rendered and recognized for real; the last one's К3 crossed the other way."""
    import tempfile
    from pathlib import Path

    import cv2
    import numpy as np

    from itog.blanks.render import KitParticipant, render_kits
    from itog.scan import services as SS
    from itog.scan import synth

    works = list(
        Work.objects.filter(session=session, status=WorkStatus.TRANSFERRED)
        .select_related("application__participant")
        .order_by("pk")[:count]
    )
    if not works:
        return 0
    Work.objects.filter(pk__in=[w.pk for w in works]).update(scan_verified_at=None)
    rng = np.random.default_rng(session.pk)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, w in enumerate(works):
            p = w.application.participant
            buf = io.BytesIO()
            render_kits(
                [
                    KitParticipant(
                        work_code=w.code,
                        last_name=p.last_name,
                        first_name=p.first_name,
                        middle_name=p.middle_name,
                        session_date=f"{session.date:%d.%m.%Y}",
                    )
                ],
                buf,
            )
            page = synth.rasterize_pdf(buf.getvalue(), 150)[0]
            boxes = SS.entered_boxes(w.expert_requirements, w.expert_marks, w.expert_result)
            if i == len(works) - 1:
                boxes = {k: (not v if k.startswith("k3.") else v) for k, v in boxes.items()}
            image = synth.draw_marks(
                page, 150, "registration", {b: synth.MarkSpec("cross", "marked") for b, on in boxes.items() if on}, rng
            )
            image, _ = synth.distort(image, 150, rng, quarter=0)
            path = Path(tmp) / f"scan-{i + 1:04d}.png"
            path.write_bytes(cv2.imencode(".png", image)[1].tobytes())
            paths.append(str(path))
        import os

        previous = os.environ.get("ITOG_JOB_BACKEND")
        os.environ["ITOG_JOB_BACKEND"] = "sync"
        try:
            SS.add_paths(session, user, paths)
        finally:
            if previous is None:
                del os.environ["ITOG_JOB_BACKEND"]
            else:
                os.environ["ITOG_JOB_BACKEND"] = previous
    return len(works)


def _pending_recheck(session: ExamSession, user) -> None:
    school_user = get_user_model().objects.filter(username="school").first() or user
    for work in (
        Work.objects.filter(session=session, result=FAIL)
        .select_related("application__participant__registration_org", "session")
        .order_by("pk")
    ):
        if S.earlier_fails(work) == 0:
            continue
        tz = ZoneInfo(work.application.participant.registration_org.time_zone)
        filed = datetime.combine(session.results_date, time(15, 30), tzinfo=tz)
        try:
            S.file_recheck(work, school_user, filed, 2, "Директор ОО")
        except S.Refused:
            continue
        return
