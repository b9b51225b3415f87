"""Checking by a protocol per participant (the interview): the expert's marks by the kind's criteria (versioned
data, ``session.rules.checking.criteria_for``), entered twice — the expert's protocol as the first entry, the
school's technical specialist's second entry compared with it (``compare_entries``: a mismatch blocks, as the
essay's transfer) — and the result aggregated by the kind (``aggregate``: «зачет» from the threshold, the lower
ОВЗ threshold where the ПМПК recommends).

The marks live on the shared :class:`~itog.conduct.models.Work` (its code is the participant's code issued with
the schedule): ``expert_marks`` the first entry, ``transfer_marks`` the second, ``expert_requirements`` the
outcome (total, threshold, points per block) — the interview has no «требования» of the essay.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from itog.conduct.common import local_now
from itog.conduct.models import Work, WorkStatus
from itog.exams.models import ExamSession
from itog.exams.violations import Refused, refuse_if, violation

from .services import create_works


def criteria(session: ExamSession):
    return session.rules.checking.criteria_for(session.academic_year)


def make_works(session: ExamSession, user=None, school=None) -> int:
    """Works for the answers that finished (the kind's ``is_checkable``), each with the participant's code;
    a school's works go to the expert of its commission (the first member with the role «эксперт»), so the
    expert sees them (and their recordings) in «Мои работы»."""
    n = create_works(session, user, school)
    from itog.exams.models import CommissionMember

    members = CommissionMember.objects.filter(commission__session=session, role="expert")
    if school is not None:
        members = members.filter(commission__organization=school)
    for m in members.select_related("commission"):
        Work.objects.filter(
            session=session, expert__isnull=True, application__participant__registration_org=m.commission.organization
        ).update(expert=m.employee, status=WorkStatus.ASSIGNED)
    return n


def _ovz_lower(work: Work) -> bool:
    """The lower threshold applies to ОВЗ participants with the ПМПК recommendations (our reading: the
    presented recommendations are the ПМПК's recommendation)."""
    p = work.application.participant
    return p.health_category == "ovz" and p.documents.filter(kind="pmpk").exists()


def _clean(cs, marks: dict) -> dict[str, int]:
    out = {}
    for c in cs.criteria:
        raw = str(marks.get(c.key, "")).strip()
        if raw != "":
            out[c.key] = int(raw) if raw.lstrip("-").isdigit() else raw
    return out


@transaction.atomic
def enter_protocol(work: Work, user, marks: dict, entry: int, now: datetime | None = None) -> list:
    """Enter the protocol: ``entry`` 1 (the expert's protocol) or 2 (the second entry). Returns the
    mismatches (the work is blocked until a corrected entry matches); refused on invalid marks."""
    session = work.session
    check = session.rules.checking
    cs = criteria(session)
    marks = _clean(cs, marks)
    refuse_if(check.check_expert_marks(cs, marks))
    now = now or timezone.now()
    if entry == 1:
        # V78 (J8, seed 002 row 8 «Проверка … до 19.02.2024 включительно»): the expert's protocol after D+5 on the
        # school's calendar is refused, not recorded as late — the signed paper protocol stays the original (nothing
        # is lost), the refusal is in the audit log, and a late check is the РЦОИ's decision, not the school's.
        school = work.application.participant.registration_org
        refuse_if(check.check_checking_done(session.date, local_now(school.time_zone, now).date()))
    work = Work.objects.select_for_update().get(pk=work.pk)
    if work.status in (WorkStatus.TRANSFERRED, WorkStatus.FINAL):
        raise Refused([violation("X35")])
    outcome = check.aggregate(cs, marks, _ovz_lower(work))
    if entry == 1:
        work.expert_marks = marks
        work.expert_result = outcome.result
        work.checked_at = now
        work.status = WorkStatus.CHECKED
        work.mismatch = []
        work.expert_requirements = {
            "total": outcome.total,
            "threshold": outcome.threshold,
            "by_block": outcome.by_block,
            "criteria": cs.valid_from,
        }
    else:
        if not work.expert_marks:
            raise Refused("Сначала внесите протокол эксперта (первый ввод).")
        work.transfer_marks = marks
        work.transfer_result = outcome.result
        work.transferred_by, work.transferred_at = user, now
        problems = check.compare_entries(work.expert_marks, marks)
        work.mismatch = [v.message for v in problems]
        if problems:
            work.status = WorkStatus.BLOCKED
        else:
            work.status = WorkStatus.TRANSFERRED
            work.result = outcome.result
    work._history_user = user
    work.save()
    return work.mismatch


def deadline(session: ExamSession):
    """Checking ends D+5 inclusive (seed 002)."""
    return session.rules.checking.delivery_deadline(session.date)
