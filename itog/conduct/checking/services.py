"""Checking (section E): works for those who finished, assignment to experts (the pure part is
``itog.exams.checking.assignment``), the expert's marks on the copy, the authorized person's second
entry (a mismatch blocks), the delivery deadlines. Criteria and marks are the kind's
(``session.rules.checking``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from itog.conduct.models import DayRecord, TransferAppointment, Work, WorkStatus
from itog.exams.checking import assignment as assign_rules
from itog.exams.models import CommissionMember, ExamSession, WorkCode
from itog.exams.violations import Refused, refuse_if, violation
from itog.orgs.models import Organization


def create_works(session: ExamSession, user=None, school: Organization | None = None) -> int:
    """One work per participant who finished writing; not finished / removed works are never copied or
    checked (п. 7.11.4, V51). Idempotent. ``school``: only that registration place's (the interview's school
    hands its own answers to its experts)."""
    have = set(Work.objects.filter(session=session).values_list("application_id", flat=True))
    records = (
        DayRecord.objects.filter(application__session=session)
        .exclude(application_id__in=have)
        .select_related("application__participant")
    )
    if school is not None:
        records = records.filter(application__participant__registration_org=school)
    codes = dict(
        WorkCode.objects.filter(application__session=session, voided_at__isnull=True).values_list(
            "application_id", "code"
        )
    )
    new = []
    # V51 (п. 7.11.4, D21): the kind's rule says why a work is not copied or checked (the essay: «Не закончил»,
    # «Удален» — V51; absent, turned away — nothing written); such a work is never created, so no expert,
    # transfer or re-check can reach it.
    check_checkable = session.rules.examday.check_checkable
    for r in records:
        if check_checkable(r.state) or r.application_id not in codes:
            continue
        new.append(
            Work(
                session=session,
                application_id=r.application_id,
                work_code_id=codes[r.application_id],
                school_id=r.application.participant.school_id,
            )
        )
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(
        new, Work, batch_size=2000, default_user=user, default_change_reason="Работы переданы на проверку"
    )
    return len(new)


def session_experts(session: ExamSession) -> list[CommissionMember]:
    return list(
        CommissionMember.objects.filter(
            commission__session=session, commission__kind="check", role="expert"
        ).select_related("employee")
    )


def _rule_experts(members: list[CommissionMember]) -> list[assign_rules.Expert]:
    """Experts as the assignment sees them: the school they work in (п. 8.1.3), their checking days, daily
    capacity and the consultant flag (one expert may be in several commissions: the first row counts)."""
    out = {}
    for m in members:
        e = m.employee
        if e.pk in out:
            continue
        days = tuple(sorted(date.fromisoformat(d) for d in (m.check_days or [])))
        out[e.pk] = assign_rules.Expert(
            id=e.pk,
            name=e.full_name,
            school_ids=frozenset({e.organization_id}),
            days=days,
            capacity_per_day=m.capacity_per_day,
            consultant=m.consultant,
        )
    return list(out.values())


def assign_experts(session: ExamSession, user, seed: int = 0) -> assign_rules.AssignmentResult:
    """Assign every waiting work to one expert of the checking commissions — never an expert working in the
    participant's school (п. 8.1.3), load balanced; assignments already made stay (п. 8.1.4)."""
    create_works(session, user)
    experts = _rule_experts(session_experts(session))
    if not experts:
        raise Refused([violation("X33")])
    known = {e.id for e in experts}
    # Works checked by an expert who has since left are done: they are not placed again.
    works = [
        w
        for w in Work.objects.filter(session=session).values_list("pk", "school_id", "expert_id")
        if w[2] is None or w[2] in known
    ]
    existing = {pk: expert for pk, _, expert in works if expert}
    result = assign_rules.assign(
        [assign_rules.Work(id=pk, school_id=school) for pk, school, _ in works], experts, existing=existing, seed=seed
    )
    _save_assignments(result, existing, user)
    return result


def _save_assignments(result, existing: dict, user) -> None:
    """Save new assignments: one UPDATE per (expert, day) — a session has tens of thousands of works and a
    row-by-row bulk update is slow — and one history row per work (who assigned, when)."""
    groups = defaultdict(list)
    for a in result.assignments:
        if existing.get(a.work_id) != a.expert_id:
            groups[(a.expert_id, a.day)].append(a.work_id)
    if not groups:
        return
    changed = []
    for (expert_id, day), ids in groups.items():
        for start in range(0, len(ids), 500):
            Work.objects.filter(pk__in=ids[start : start + 500]).update(
                expert_id=expert_id, check_day=day, status=WorkStatus.ASSIGNED
            )
        changed += ids
    _history(changed, user, "Назначение эксперту")


def _history(work_ids: list[int], user, reason: str) -> None:
    for start in range(0, len(work_ids), 2000):
        Work.history.bulk_history_create(
            list(Work.objects.filter(pk__in=work_ids[start : start + 2000])),
            update=True,
            default_user=user,
            default_change_reason=reason,
        )


def expert_leaves(session: ExamSession, employee_id: int, user) -> assign_rules.AssignmentResult:
    """An expert leaves the commission: their unchecked works go to others under the same rules; the works
    they already checked stay theirs (п. 8.1.4)."""
    experts = _rule_experts(session_experts(session))
    works = list(Work.objects.filter(session=session).values_list("pk", "school_id", "expert_id", "checked_at"))
    previous = [assign_rules.Assignment(pk, e, None) for pk, _, e, _ in works if e]
    result = assign_rules.reassign_leaving(
        previous,
        employee_id,
        [assign_rules.Work(id=pk, school_id=s) for pk, s, _, _ in works],
        experts,
        checked={pk for pk, _, _, checked in works if checked},
    )
    with transaction.atomic():
        _save_assignments(result, {pk: e for pk, _, e, _ in works if e}, user)
        for member in CommissionMember.objects.filter(
            commission__session=session, commission__kind="check", employee_id=employee_id, role="expert"
        ):
            member._history_user = user
            member.delete()  # kept in the history; no new works for them
    return result


def marks_form_spec(session: ExamSession, form: str):
    """The criteria set in force for the session's academic year and the work's form."""
    return session.rules.checking.criteria_for(
        form if form in session.rules.forms else session.kind, session.academic_year
    )


def _employee_of(user):
    return getattr(user, "employee", None)


def own_school_refusal(work: Work, user) -> Refused | None:
    """V56 (п. 8.1.3): an expert never checks — nor opens — a work of the school where they work."""
    employee = _employee_of(user)
    if employee is not None and employee.organization_id == work.school_id:
        return Refused([violation("V56", name=str(employee))])
    return None


def submit_expert_marks(work: Work, user, requirements: dict, marks: dict, now: datetime | None = None):
    """The expert's marks on the copy (п. 8.1.4): computed overall result; submitted once — a later change is
    refused («оценка уже передана»); an expert of the participant's school is refused (V56)."""
    employee = _employee_of(user)
    if employee is None or work.expert_id is None:
        raise Refused([violation("X34")])
    if work.expert_id != employee.pk:
        # п. 8.1.4 (V57): each work is checked by one expert once — the expert it is assigned to
        holder = str(work.expert_id)
        refuse_if(
            work.session.rules.checking.check_assignments(
                [(work.code, holder), (work.code, str(employee.pk))], {holder: work.expert.full_name}
            )
        )
    if employee.organization_id == work.school_id:
        raise Refused([violation("V56", name=str(employee))])
    if work.checked_at is not None:
        raise Refused([violation("X35")])
    criteria = marks_form_spec(work.session, work.application.form)
    outcome, problems = work.session.rules.checking.check_expert_marks(criteria, requirements, marks, None)
    refuse_if(problems)
    work.expert_requirements, work.expert_marks = dict(requirements), dict(marks)
    work.expert_result, work.checked_at, work.status = outcome.overall, now or timezone.now(), WorkStatus.CHECKED
    work._history_user = user
    work.save()
    return outcome


def is_session_expert(user, session: ExamSession) -> bool:
    """Whether the user is an expert of a checking commission of the session."""
    employee = _employee_of(user)
    return (
        employee is not None
        and CommissionMember.objects.filter(
            commission__session=session, commission__kind="check", role="expert", employee=employee
        ).exists()
    )


def has_transfer_order(user, work: Work) -> bool:
    """V30: only a person appointed by an МОУО order may transfer marks (п. 8.1.2)."""
    return TransferAppointment.objects.filter(user=user, mouo__path__in=_ancestors(work)).exists()


def _ancestors(work: Work) -> list[str]:
    from itog.accounts.scope import ancestor_paths

    return ancestor_paths(work.application.participant.registration_org.path)


def transfer_marks(work: Work, user, requirements: dict, marks: dict, now: datetime | None = None) -> list[str]:
    """The authorized person's independent second entry of the marks into the original (п. 8.1.2). Any
    mismatch with the expert's marks blocks the work until a new entry agrees; returns the mismatched codes."""
    checking = work.session.rules.checking
    refuse_if(checking.check_transfer_person(has_transfer_order(user, work)))
    # пп. 8.1.3, 8.1.4 (V59): an expert of the session's checking enters marks into the copy only; the original
    # is the authorized person's (п. 8.1.2) — an expert who also holds that appointment does not transfer here
    refuse_if(checking.check_marks_target(by_expert=is_session_expert(user, work.session), on_copy=False))
    if work.status not in (WorkStatus.CHECKED, WorkStatus.BLOCKED):
        raise Refused([violation("X36")])
    first = {**work.expert_requirements, **work.expert_marks}
    second = {**requirements, **marks}
    mismatch = checking.compare_entries(first, second)
    work.transfer_requirements, work.transfer_marks = dict(requirements), dict(marks)
    work.transferred_by, work.transferred_at, work.mismatch = user, now or timezone.now(), mismatch
    if mismatch:
        work.status = WorkStatus.BLOCKED
    else:
        work.status, work.transfer_result, work.result = WorkStatus.TRANSFERRED, work.expert_result, work.expert_result
    work._history_user = user
    work.save()
    if not mismatch:
        for hook in AFTER_TRANSFER_HOOKS:
            hook(work)
    return mismatch


AFTER_TRANSFER_HOOKS: list = []  # callables(work); scanning re-reconciles a work already scanned


def checking_completed_on(session: ExamSession) -> date | None:
    """The day the last work was checked (None while any is unchecked)."""
    from django.db.models import Count, Max, Q

    agg = Work.objects.filter(session=session).aggregate(
        n=Count("pk"), unchecked=Count("pk", filter=Q(checked_at__isnull=True)), last=Max("checked_at")
    )
    if not agg["n"] or agg["unchecked"]:
        return None
    return timezone.localdate(agg["last"])


def checking_deadlines(session: ExamSession) -> dict[str, date | None]:
    """Originals to РЦОИ: the day after checking ends, and never later than D+7 (п. 8.1.1, 9.1.1)."""
    from itog.exams.profiles import profile_kw

    completed = checking_completed_on(session)
    kw = profile_kw(session)  # the region's latest day (п. 9.1.1: D+7 by default)
    return {
        "completed": completed,
        "delivery": session.rules.checking.delivery_deadline(session.date, completed, **kw) if completed else None,
        "latest": session.rules.checking.delivery_deadline(session.date, session.date + timedelta(days=30), **kw),
    }


def appoint_transfer_person(
    mouo: Organization, user, username: str, order_number: str, order_date: date
) -> TransferAppointment:
    """Record the МОУО order appointing an authorized person to transfer marks into originals (п. 8.1.2). The
    person must hold the role «Уполномоченное лицо МОУО» in this МОУО (given by the ministry's administrator)."""
    from django.contrib.auth import get_user_model

    from itog.accounts.models import Membership

    problems = []
    person = get_user_model().objects.filter(username=username.strip()).first()
    if (
        person is None
        or not Membership.objects.filter(user=person, organization=mouo, role="authorized", is_active=True).exists()
    ):
        problems.append(violation("X49", field="username"))
    if not order_number.strip():
        problems.append(violation("X50", field="order_number"))
    refuse_if(problems)
    appointment = TransferAppointment(
        mouo=mouo, user=person, order_number=order_number.strip()[:50], order_date=order_date
    )
    appointment._history_user = user
    appointment.save()
    return appointment


def _rules_fn(session: ExamSession, name: str):
    return getattr(session.rules.examday, name, None)


def record_expert_briefing(session: ExamSession, commission, place, held_on: date, started_at, ended_at, user):
    """п. 8.1.3 (V55): the head of the checking commission briefs the experts «не менее 30 минут» before checking;
    п. 8.1 (V54): checking — and so its briefing — happens in a place with video surveillance and recording.
    Both are requirements: refused, nothing saved."""
    from itog.conduct.models import ExpertBriefing

    minutes = (ended_at.hour * 60 + ended_at.minute) - (started_at.hour * 60 + started_at.minute)
    problems = []
    if (check := _rules_fn(session, "check_checking_place")) is not None:
        problems += check(bool(place.has_video))
    if (check := _rules_fn(session, "check_expert_briefing")) is not None:
        problems += check(minutes)
    refuse_if(problems)
    b = ExpertBriefing(
        session=session,
        commission=commission,
        place=place,
        held_on=held_on,
        started_at=started_at,
        ended_at=ended_at,
        recorded_by=user,
    )
    b._history_user = user
    b.save()
    return b


def briefing_missing(session: ExamSession) -> list:
    """V55 before the assignment (the start of checking, п. 8.1.3): the checking commissions of the session with
    experts and no briefing of 30 minutes or more recorded. Empty for a kind without the rule."""
    from itog.conduct.models import ExpertBriefing
    from itog.exams.models import Commission, CommissionKind

    check = _rules_fn(session, "check_expert_briefing")
    if check is None:
        return []
    briefed = {b.commission_id for b in ExpertBriefing.objects.filter(session=session) if not check(b.minutes)}
    missing = (
        Commission.objects.filter(session=session, kind=CommissionKind.CHECK, members__role="expert")
        .exclude(pk__in=briefed)
        .distinct()
        .select_related("organization")
    )
    return [
        violation(
            "V55",
            field="briefing_minutes",
            text=f"{c.organization.display_name}: {check(0)[0].message} Запишите инструктаж экспертов (п. 8.1.3).",
        )
        for c in missing
    ]
