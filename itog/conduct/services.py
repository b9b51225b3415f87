"""Services of the second half of the essay procedure (sections D–I): the database side of
:mod:`itog.exams.rules.essay_after` (the rules) and :mod:`itog.exams.assignment` (who checks what).

Every refusal raises :class:`Refused` with the rule's violations, changes nothing and is logged
(:func:`log_refusal`); every change is saved with its author, so the history shows who did what.
"""

from __future__ import annotations

import hashlib
import hmac
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.core.plural import count_of
from itog.exams import assignment as assign_rules
from itog.exams.criteria import criteria_for
from itog.exams.models import Application, ApplicationStatus, Commission, CommissionMember, ExamSession, WorkCode
from itog.exams.rules import essay as essay_rules
from itog.exams.rules import essay_after as R
from itog.exams.rules.base import Violation
from itog.exams.printing import latest_seating
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization

from .models import (ChainTask, DayRecord, DestructionAct, Handover, RecheckCase, RecheckKind, RecheckStatus,
                     StorageItem, TopicSet, TransferAppointment, Work, WorkStatus)

PASS, FAIL = "зачет", "незачет"


class Refused(Exception):
    """A rule refused the action; ``violations`` say which and why (in Russian)."""

    def __init__(self, violations: list[Violation]):
        self.violations = list(violations)
        super().__init__("; ".join(v.message for v in self.violations))


def log_refusal(request_or_user, exc: Refused, what: str, region_path: str = "") -> None:
    """Every refused attempt is kept in the audit log («Отказ по правилу Порядка»)."""
    request = request_or_user if hasattr(request_or_user, "META") else None
    user = request.user if request is not None else request_or_user
    event = record(EventKind.REFUSED, request, user=user, description=f"{what}: {exc}"[:500],
                   codes=[v.code for v in exc.violations])
    if region_path and not event.region_path:
        event.region_path = region_path
        event.save(update_fields=["region_path"])


def _refuse_if(violations: list[Violation]) -> None:
    errors = [v for v in violations if v.is_error]
    if errors:
        raise Refused(errors)


def _x(code: str, item: str, message: str, field: str | None = None) -> Violation:
    return Violation(code, item, message, field)


def local_now(tz: str, now: datetime | None = None) -> datetime:
    return (now or timezone.now()).astimezone(ZoneInfo(tz))


# ==================================================================== exam day (section D)


def venue_zone(venue) -> str:
    return venue.organization.time_zone


@dataclass
class TopicView:
    form: str
    label: str
    release_at: datetime
    content: str | None  # None until the release time in the venue's zone


def topics_for(session: ExamSession, venue, now: datetime | None = None) -> list[TopicView]:
    """Topics (09:45) and texts (09:30) are shown in a venue only from the release time in the
    venue's local time (пп. 7.1, 7.2; L21 decided as local time)."""
    tz = venue_zone(venue)
    out = []
    sets = {t.form: t.content for t in TopicSet.objects.filter(session=session)}
    for form, label in (("essay", "Темы итогового сочинения"), ("exposition", "Тексты итогового изложения")):
        at = R.release_at(session.date, tz, form)
        released = not R.check_release(now or timezone.now(), session.date, tz, form)
        out.append(TopicView(form, label, at, sets.get(form, "") if released else None))
    return out


def room_roster(session: ExamSession, user, venue, room) -> list[tuple]:
    """(seat, application, day record or None) for one room of the latest seating."""
    from itog.exams.models import Seat

    run = latest_seating(session)
    seats = (Seat.objects.filter(run=run, venue=venue, room=room)
             .select_related("application__participant").order_by("seat_number"))
    records = {r.application_id: r for r in DayRecord.objects.for_user(user).filter(
        application__in=[s.application_id for s in seats])}
    return [(s, s.application, records.get(s.application_id)) for s in seats]


DAY_FLAGS = ("has_id_document", "late", "is05_marked", "is05_signed", "is09_by_head", "member_signature")
DAY_TEXTS = ("identity_act", "valid_reason_document", "is08_act", "is09_act")


def record_day(application: Application, seat, data: dict, user, entered_from: str = "venue",
               now: datetime | None = None) -> DayRecord:
    """Record a participant's state on the exam day with its documents (п. 7.11.6–7.11.9); refused
    with the rule's message when a document the state needs is missing (V41, V42, V48–V50)."""
    state = R.DayState(data["state"])
    blanks_used = data.get("blanks_used")
    rec = R.DayRecord(
        category=application.participant.category, state=state,
        has_id_document=bool(data.get("has_id_document", True)),
        identity_act=bool((data.get("identity_act") or "").strip()),
        late=bool(data.get("late")), end_extended=bool(data.get("end_extended")),
        valid_reason_document=bool((data.get("valid_reason_document") or "").strip()),
        is05_marked=bool(data.get("is05_marked")), is05_signed=bool(data.get("is05_signed")),
        is08_act=bool((data.get("is08_act") or "").strip()), is09_act=bool((data.get("is09_act") or "").strip()),
        is09_by_head=bool(data.get("is09_by_head")), member_signature=bool(data.get("member_signature")),
        blank_count=data.get("blank_count"), blanks_used=blanks_used)
    problems = R.check_day_record(rec)
    if local_now(venue_zone(seat.venue), now).date() < application.session.date:
        problems.append(_x("X30", "п. 7.11.3", "Сведения о дне проведения вносятся не ранее дня проведения "
                           f"({application.session.date:%d.%m.%Y})."))
    _refuse_if(problems)
    if session_has_works(application.session):
        _refuse_if([_x("X31", "п. 7.11.4", "Работы уже переданы на проверку: изменить сведения дня проведения "
                       "нельзя.")])
    values = {f: bool(data.get(f, f == "has_id_document")) for f in DAY_FLAGS}
    values.update({f: (data.get(f) or "").strip()[:300] for f in DAY_TEXTS})
    values.update(state=state.value, blanks_used=blanks_used, venue=seat.venue, room=seat.room,
                  entered_from=entered_from, recorded_by=user)
    record_obj = DayRecord.objects.filter(application=application).first() or DayRecord(application=application)
    for key, value in values.items():
        setattr(record_obj, key, value)
    record_obj._history_user = user
    record_obj.save()
    return record_obj


def session_has_works(session: ExamSession) -> bool:
    return Work.objects.filter(session=session).exists()


def record_handover(session: ExamSession, user, from_org: Organization, venue, kind: str, from_person: str,
                    to_person: str, handed_at: datetime, works: int) -> Handover:
    """Custody: the head hands originals and copies to the responsible person on day D (п. 7.11.1(3),
    8.1.1; D22); the responsible person delivers originals to РЦОИ (п. 8.1.1, 9.1.1; V60)."""
    if not from_person.strip() or not to_person.strip():
        raise Refused([_x("X32", "п. 8.1.1", "Укажите, кто передал и кто принял бланки.", "to_person")])
    tz = from_org.time_zone
    handed_on = handed_at.astimezone(ZoneInfo(tz)).date()
    late = ""
    if kind == "originals_copies":
        problems = R.custody_checks(handed_on, session.date)
    else:
        completed = checking_completed_on(session) or handed_on
        problems = R.check_delivery(handed_on, session.date, completed)
    if problems:
        late = problems[0].message[:300]
    h = Handover(session=session, kind=kind, from_org=from_org, venue=venue, from_person=from_person.strip(),
                 to_person=to_person.strip(), handed_at=handed_at, works=works, late_reason=late, recorded_by=user)
    h._history_user = user
    h.save()
    return h


# ==================================================================== checking (section E)


def create_works(session: ExamSession, user=None) -> int:
    """One work per participant who finished writing; not finished / removed works are never copied or
    checked (п. 7.11.4, V51). Idempotent."""
    have = set(Work.objects.filter(session=session).values_list("application_id", flat=True))
    records = (DayRecord.objects.filter(application__session=session).exclude(application_id__in=have)
               .select_related("application__participant"))
    codes = dict(WorkCode.objects.filter(application__session=session, voided_at__isnull=True)
                 .values_list("application_id", "code"))
    new = []
    for r in records:
        if not R.is_checkable(r.state) or r.application_id not in codes:
            continue
        new.append(Work(session=session, application_id=r.application_id, code=codes[r.application_id],
                        school_id=r.application.participant.school_id))
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(new, Work, batch_size=2000, default_user=user,
                             default_change_reason="Работы переданы на проверку")
    return len(new)


def session_experts(session: ExamSession) -> list[CommissionMember]:
    return list(CommissionMember.objects.filter(commission__session=session, commission__kind="check",
                                                role="expert").select_related("employee"))


def _rule_experts(members: list[CommissionMember]) -> list[assign_rules.Expert]:
    """Experts as the assignment sees them: the school they work in (п. 8.1.3), their checking days, daily
    capacity and the consultant flag (one expert may be in several commissions: the first row counts)."""
    out = {}
    for m in members:
        e = m.employee
        if e.pk in out:
            continue
        days = tuple(sorted(date.fromisoformat(d) for d in (m.check_days or [])))
        out[e.pk] = assign_rules.Expert(id=e.pk, name=e.full_name, school_ids=frozenset({e.organization_id}),
                                        days=days, capacity_per_day=m.capacity_per_day, consultant=m.consultant)
    return list(out.values())


def assign_experts(session: ExamSession, user, seed: int = 0) -> assign_rules.AssignmentResult:
    """Assign every waiting work to one expert of the checking commissions — never an expert working in the
    participant's school (п. 8.1.3), load balanced; assignments already made stay (п. 8.1.4)."""
    create_works(session, user)
    experts = _rule_experts(session_experts(session))
    if not experts:
        raise Refused([_x("X33", "п. 3.2", "В комиссиях по проверке этой даты нет экспертов.")])
    known = {e.id for e in experts}
    # Works checked by an expert who has since left are done: they are not placed again.
    works = [w for w in Work.objects.filter(session=session).values_list("pk", "school_id", "expert_id")
             if w[2] is None or w[2] in known]
    existing = {pk: expert for pk, _, expert in works if expert}
    result = assign_rules.assign([assign_rules.Work(id=pk, school_id=school) for pk, school, _ in works], experts,
                                 existing=existing, seed=seed)
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
            Work.objects.filter(pk__in=ids[start:start + 500]).update(expert_id=expert_id, check_day=day,
                                                                      status=WorkStatus.ASSIGNED)
        changed += ids
    _history(changed, user, "Назначение эксперту")


def _history(work_ids: list[int], user, reason: str) -> None:
    for start in range(0, len(work_ids), 2000):
        Work.history.bulk_history_create(list(Work.objects.filter(pk__in=work_ids[start:start + 2000])),
                                         update=True, default_user=user, default_change_reason=reason)


def expert_leaves(session: ExamSession, employee_id: int, user) -> assign_rules.AssignmentResult:
    """An expert leaves the commission: their unchecked works go to others under the same rules; the works
    they already checked stay theirs (п. 8.1.4)."""
    experts = _rule_experts(session_experts(session))
    works = list(Work.objects.filter(session=session).values_list("pk", "school_id", "expert_id", "checked_at"))
    previous = [assign_rules.Assignment(pk, e, None) for pk, _, e, _ in works if e]
    result = assign_rules.reassign_leaving(
        previous, employee_id, [assign_rules.Work(id=pk, school_id=s) for pk, s, _, _ in works], experts,
        checked={pk for pk, _, _, checked in works if checked})
    with transaction.atomic():
        _save_assignments(result, {pk: e for pk, _, e, _ in works if e}, user)
        for member in CommissionMember.objects.filter(commission__session=session, commission__kind="check",
                                                      employee_id=employee_id, role="expert"):
            member._history_user = user
            member.delete()  # kept in the history; no new works for them
    return result


def marks_form_spec(session: ExamSession, form: str):
    """The criteria set in force for the session's academic year and the work's form."""
    return criteria_for("exposition" if form == "exposition" else "essay", session.academic_year)


def _employee_of(user):
    return getattr(user, "employee", None)


def own_school_refusal(work: Work, user) -> Refused | None:
    """V56 (п. 8.1.3): an expert never checks — nor opens — a work of the school where they work."""
    employee = _employee_of(user)
    if employee is not None and employee.organization_id == work.school_id:
        return Refused([essay_rules.violation("V56", name=str(employee))])
    return None


def submit_expert_marks(work: Work, user, requirements: dict, marks: dict, now: datetime | None = None):
    """The expert's marks on the copy (п. 8.1.4): computed overall result; submitted once — a later change is
    refused («оценка уже передана»); an expert of the participant's school is refused (V56)."""
    employee = _employee_of(user)
    if employee is None or work.expert_id != employee.pk:
        raise Refused([_x("X34", "п. 8.1.4", "Работа назначена другому эксперту.")])
    if employee.organization_id == work.school_id:
        raise Refused([essay_rules.violation("V56", name=str(employee))])
    if work.checked_at is not None:
        raise Refused([_x("X35", "п. 8.1.4", "Оценки по этой работе уже переданы руководителю комиссии; "
                          "каждая работа проверяется один раз, изменить оценки нельзя.")])
    criteria = marks_form_spec(work.session, work.application.form)
    outcome, problems = R.check_expert_marks(criteria, requirements, marks, None)
    _refuse_if(problems)
    work.expert_requirements, work.expert_marks = dict(requirements), dict(marks)
    work.expert_result, work.checked_at, work.status = outcome.overall, now or timezone.now(), WorkStatus.CHECKED
    work._history_user = user
    work.save()
    return outcome


def has_transfer_order(user, work: Work) -> bool:
    """V30: only a person appointed by an МОУО order may transfer marks (п. 8.1.2)."""
    return TransferAppointment.objects.filter(user=user, mouo__path__in=_ancestors(work)).exists()


def _ancestors(work: Work) -> list[str]:
    from itog.accounts.scope import ancestor_paths

    return ancestor_paths(work.application.participant.registration_org.path)


def transfer_marks(work: Work, user, requirements: dict, marks: dict, now: datetime | None = None) -> list[str]:
    """The authorized person's independent second entry of the marks into the original (п. 8.1.2). Any
    mismatch with the expert's marks blocks the work until a new entry agrees; returns the mismatched codes."""
    _refuse_if(R.check_transfer_person(has_transfer_order(user, work)))
    if work.status not in (WorkStatus.CHECKED, WorkStatus.BLOCKED):
        raise Refused([_x("X36", "п. 8.1.2", "Перенос возможен только для проверенной экспертом работы, "
                          "оценки которой еще не перенесены.")])
    first = {**work.expert_requirements, **work.expert_marks}
    second = {**requirements, **marks}
    mismatch = R.compare_entries(first, second)
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
        n=Count("pk"), unchecked=Count("pk", filter=Q(checked_at__isnull=True)), last=Max("checked_at"))
    if not agg["n"] or agg["unchecked"]:
        return None
    return timezone.localdate(agg["last"])


def checking_deadlines(session: ExamSession) -> dict[str, date | None]:
    """Originals to РЦОИ: the day after checking ends, and never later than D+7 (п. 8.1.1, 9.1.1)."""
    completed = checking_completed_on(session)
    return {"completed": completed,
            "delivery": R.delivery_deadline(session.date, completed) if completed else None,
            "latest": R.delivery_deadline(session.date, session.date + timedelta(days=30))}


# ==================================================================== results (п. 9.2, 11)


def processing_blockers(session: ExamSession) -> list[str]:
    """Why the session cannot be marked processed: unchecked or blocked works, and (the scanning
    issue) works whose recognised blanks are not yet verified (п. 9.2, V61)."""
    works = Work.objects.filter(session=session)
    out = []
    counts = Counter(works.values_list("status", flat=True))
    if not counts:
        out.append("Нет работ, переданных на проверку.")
    pending = counts[WorkStatus.WAITING] + counts[WorkStatus.ASSIGNED] + counts[WorkStatus.CHECKED]
    if pending:
        out.append(f"Оценки не перенесены в оригиналы: {count_of(pending, 'работа', 'работы', 'работ')}.")
    if counts[WorkStatus.BLOCKED]:
        out.append("Расхождения при переносе оценок не устранены: "
                   f"{count_of(counts[WorkStatus.BLOCKED], 'работа', 'работы', 'работ')}.")
    unverified = works.filter(scan_verified_at__isnull=True).count()
    if unverified:
        out.append("Сверка распознанной информации с бланками не завершена: "
                   f"{count_of(unverified, 'работа', 'работы', 'работ')} (п. 9.2).")
    for hook in PROCESSING_HOOKS:
        out.extend(hook(session))
    return out


PROCESSING_HOOKS: list = []  # callables(session) -> list[str]; the scanning verification registers one


def _moment(day: date | None):
    """Now — or, for a day given explicitly (loading past data), noon of that day in the server's zone, so a
    session finished last year is not stamped with today's date."""
    if day is None or day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def mark_processed(session: ExamSession, user, today: date | None = None) -> None:
    blockers = processing_blockers(session)
    if blockers:
        raise Refused([_x("V61", "п. 9.2", essay_rules.message("V61") + " " + " ".join(blockers))])
    session.processed_at = _moment(today)
    session._history_user = user
    session.save(update_fields=["processed_at"])


def publish(session: ExamSession, user, today: date | None = None) -> date:
    """Publish: schools and registration places see the results from the next day (п. 11, V72)."""
    if session.processed_at is None:
        raise Refused([_x("X37", "п. 9.2", "Сначала отметьте обработку бланков завершенной (сверка).")])
    session.published_at = _moment(today)
    today = today or timezone.localdate()
    session.results_date = R.familiarization_date(today)
    session._history_user = user
    session.save(update_fields=["published_at", "results_date"])
    ensure_storage_items(session)
    return session.results_date


def results_visible(session: ExamSession, today: date | None = None) -> bool:
    return session.results_date is not None and (today or timezone.localdate()) >= session.results_date


def visible_works(user, session: ExamSession, today: date | None = None):
    """Works with results the user may see: everything for РЦОИ / the ministry (who publish), for schools and
    МОУО only once the results day has come (п. 11)."""
    qs = Work.objects.for_user(user).filter(session=session)
    from itog.accounts.scope import has_perm

    if has_perm(user, "works:publish") or has_perm(user, "rechecks:decide") or has_perm(user, "works:assign"):
        return qs
    return qs if results_visible(session, today) else qs.none()


# ---------------------------------------------------------------- the public lookup


def _doc_key(series: str, number: str) -> str:
    digits = "".join(ch for ch in f"{series}{number}" if ch.isalnum()).upper()
    return hmac.new(settings.SECRET_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()


_DUMMY = _doc_key("", "0")


@dataclass
class LookupAnswer:
    found: bool
    session_date: date | None = None
    form: str = ""
    result: str = ""
    final: bool = False
    recheck_until: datetime | None = None


_LOOKUP_COLUMNS = ("application__participant__document_series", "application__participant__document_number",
                   "session__date", "session__results_date", "application__form", "result", "result_final",
                   "application__participant__registration_org__time_zone")
_lookup_sql: dict[tuple[str, str], str] = {}


def _lookup_row(code: str) -> tuple | None:
    """The work's row for the lookup (:data:`_LOOKUP_COLUMNS`, published sessions only) or None.

    The public lookup is the busiest request of the results day: building and compiling this ORM query took
    most of its time, so the query is compiled once per process and database and then executed with the code
    as its only parameter (PostgreSQL: a prepared statement, :func:`_fetch_prepared`). Values are converted
    here as the ORM would (SQLite gives dates as text and booleans as integers)."""
    from django.db import connections, router

    connection = connections[router.db_for_read(Work)]
    key = (connection.alias, connection.vendor)
    sql = _lookup_sql.get(key)
    if sql is None:
        query = (Work.objects.filter(code="000000000000", session__results_date__isnull=False)
                 .values_list(*_LOOKUP_COLUMNS).order_by()[:1]).query  # code is unique: no ordering needed
        sql, params = query.get_compiler(connection=connection).as_sql()
        if list(params) != ["000000000000"]:  # the code must be the query's only parameter
            raise RuntimeError(f"unexpected parameters of the lookup query: {params!r}")
        _lookup_sql[key] = sql
    row = _UNPREPARED
    if connection.vendor == "postgresql" and _prepare_ok:
        row = _fetch_prepared(connection, sql, code)
    if row is _UNPREPARED:
        with connection.cursor() as cursor:
            cursor.execute(sql, [code])
            row = cursor.fetchone()
    if row is None:
        return None
    series, number, day, results_day, form, result, final, tz = row
    return (series, number, _as_date(day), _as_date(results_day), form, result, bool(final), tz)


_UNPREPARED = object()
_prepare_ok = True
_prepared_on = weakref.WeakSet()  # the raw connections that hold the prepared statement


def _fetch_prepared(connection, sql: str, code: str):
    """PostgreSQL: the lookup as a prepared statement of the connection (``PREPARE`` once per connection,
    then ``EXECUTE``): planning this five-table join cost the database more than running it, and Django turns
    the driver's own preparation off (for connection poolers). Runs through Django's cursor, so logging and
    execute wrappers see it. Only outside transactions (the public lookup runs in autocommit), so a failure
    leaves nothing broken: a pooler that loses prepared statements turns this off for the process, and
    :data:`_UNPREPARED` tells the caller to run the plain query."""
    global _prepare_ok
    if connection.in_atomic_block:
        return _UNPREPARED
    # The name carries a hash of the text: a statement left on a shared connection by another version of the
    # query is never executed by mistake.
    name = "itog_result_lookup_" + hashlib.sha1(sql.encode()).hexdigest()[:16]
    connection.ensure_connection()
    raw = connection.connection
    try:
        with connection.cursor() as cursor:
            if raw not in _prepared_on:
                if sql.count("%s") != 1 or "%%" in sql:
                    raise RuntimeError("the lookup query must have exactly one parameter")
                cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
                if cursor.fetchone() is None:
                    cursor.execute(f"PREPARE {name} AS " + sql.replace("%s", "$1"))
                _prepared_on.add(raw)
            cursor.execute(f"EXECUTE {name}(%s)", [code])
            return cursor.fetchone()
    except DatabaseError as exc:
        _prepared_on.discard(raw)
        state = getattr(exc.__cause__, "sqlstate", None) or getattr(exc.__cause__, "pgcode", None)
        if state in ("26000", "42P05"):  # prepared statement missing / already there: a pooler in between
            _prepare_ok = False
            return _UNPREPARED
        raise


def _as_date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def lookup_result(code: str, document: str) -> LookupAnswer:
    """A participant's own result by work code + document number. The answer for a wrong code, a wrong
    document and an unpublished result is the same «not found», and takes the same steps (one indexed
    query, one HMAC comparison), so nothing can be enumerated."""
    code = "".join(ch for ch in code if ch.isdigit())[:12]
    row = _lookup_row(code)
    # The number alone or series + number, spaces and signs ignored: both compared, always.
    full, number = (_doc_key(row[0], row[1]), _doc_key("", row[1])) if row else (_DUMMY, _DUMMY)
    given = _doc_key("", document)
    ok = (hmac.compare_digest(full, given) | hmac.compare_digest(number, given)) and row is not None
    tz = (row[7] if row else None) or "Europe/Moscow"
    # The results day is the participant's own (the school's local date, п. 11).
    if not ok or not row[5] or timezone.localdate(timezone=ZoneInfo(tz)) < row[3]:
        return LookupAnswer(False)
    return LookupAnswer(True, row[2], row[4], row[5], row[6], R.recheck_deadline(row[3], tz))


# ==================================================================== re-check and перепроверка (section F)


def earlier_fails(work: Work) -> int:
    """Earlier «незачет» results of the same person in the same academic year (L8 decided)."""
    p = work.application.participant
    return Work.objects.filter(
        session__academic_year=work.session.academic_year, session__date__lt=work.session.date, result=FAIL,
        application__participant__document_number=p.document_number,
        application__participant__document_series=p.document_series).count()


def file_recheck(work: Work, user, filed_at: datetime, copies: int, certified_by: str) -> RecheckCase:
    """An application for a re-check (п. 8.2.1): only a student with a repeated «незачет» (V62), only on the
    results day until 18:00 local time (V63), two copies certified by the school head (V64); the final result
    of an earlier re-check cannot be re-checked (V68). The forwarding chain becomes tracked tasks."""
    session = work.session
    tz = work.application.participant.registration_org.time_zone
    problems = R.check_recheck_eligibility(work.application.participant.category, work.result, earlier_fails(work),
                                           work.result_final)
    if session.results_date is None:
        problems.append(_x("X38", "п. 11", "Результаты этой даты еще не объявлены."))
    else:
        problems += R.check_recheck_filing(filed_at, session.results_date, tz)
    problems += R.check_recheck_copies(copies, bool(certified_by.strip()))
    if RecheckCase.objects.filter(work=work, kind=RecheckKind.RECHECK).exists():
        problems.append(_x("X39", "п. 8.2.1", "Заявление о повторной проверке этой работы уже подано."))
    _refuse_if(problems)
    with transaction.atomic():
        case = RecheckCase(work=work, kind=RecheckKind.RECHECK, filed_at=filed_at, copies=copies,
                           certified_by=certified_by.strip()[:200], previous_result=work.result, created_by=user)
        case._history_user = user
        case.save()
        filed_on = filed_at.astimezone(ZoneInfo(tz)).date()
        for t in R.recheck_chain(filed_on, session.results_date):
            ChainTask.objects.create(case=case, key=t.key, label=t.label, item=t.item, actor=t.actor, due=t.due)
    return case


def complete_task(task: ChainTask, user, now: datetime | None = None) -> list[Violation]:
    """Mark a chain step done; a late step is kept with its lateness (V65) as a warning."""
    now = now or timezone.now()
    late = R.check_chain_task(task, timezone.localdate(now), timezone.localdate(now))
    task.done_at, task.done_by = now, user
    task._history_user = user
    task.save()
    return late


def decide(case: RecheckCase, user, approve: bool, note: str, commission: Commission | None) -> None:
    """The ministry decides (п. 3.1, 8.2.3; V66) and names the regional commission (п. 8.2.4)."""
    if case.status != RecheckStatus.FILED:
        raise Refused([_x("X40", "п. 3.1", "Решение по этому делу уже принято.")])
    if approve and (commission is None or commission.kind != "regional_recheck"):
        raise Refused([_x("X41", "п. 8.2.4", "Укажите комиссию по перепроверке и повторной проверке.",
                          "commission")])
    case.status = RecheckStatus.DECIDED if approve else RecheckStatus.REFUSED
    case.decided_at, case.decided_by, case.decision_note, case.commission = timezone.now(), user, note[:500], commission
    case._history_user = user
    case.save()


def start_pereproverka(works: list[Work], user, note: str, commission: Commission) -> list[RecheckCase]:
    """Перепроверка of selected works on the ministry's decision (п. 8.2.3; F10): no application."""
    if commission is None or commission.kind != "regional_recheck":
        raise Refused([_x("X41", "п. 8.2.4", "Укажите комиссию по перепроверке и повторной проверке.",
                          "commission")])
    final = [w for w in works if w.result_final]
    if final:
        raise Refused([essay_rules.violation("V68")])
    cases = []
    with transaction.atomic():
        for w in works:
            c = RecheckCase(work=w, kind=RecheckKind.PEREPROVERKA, status=RecheckStatus.DECIDED,
                            decided_at=timezone.now(), decided_by=user, decision_note=note[:500],
                            commission=commission, previous_result=w.result, created_by=user)
            c._history_user = user
            c.save()
            cases.append(c)
    return cases


def record_protocol(case: RecheckCase, user, requirements: dict, marks: dict, completed_on: date,
                    delivered_on: date, number: str) -> str:
    """The regional commission's protocol (п. 8.2.5): marks by the federal criteria, delivered to РЦОИ the same
    day it ends (V67); its result is final and replaces the earlier one, with history (п. 8.2.6)."""
    problems = R.check_decision(case.status == RecheckStatus.DECIDED)
    problems += R.check_protocol_delivery(completed_on, delivered_on)
    if not number.strip():
        problems.append(_x("X42", "п. 8.2.5", "Укажите номер протокола.", "number"))
    work = case.work
    criteria = marks_form_spec(work.session, work.application.form)
    outcome, mark_problems = R.check_expert_marks(criteria, requirements, marks, None)
    _refuse_if(problems + mark_problems)
    with transaction.atomic():
        case.requirements, case.marks, case.result = dict(requirements), dict(marks), outcome.overall
        case.completed_on, case.protocol_delivered_on, case.protocol_number = completed_on, delivered_on, number.strip()
        case.status = RecheckStatus.CLOSED
        case._history_user = user
        case.save()
        work.result, work.result_final, work.status = outcome.overall, True, WorkStatus.FINAL
        work._history_user = user
        work._change_reason = f"Протокол № {case.protocol_number} ({case.get_kind_display()})"
        work.save()
    return outcome.overall


# ==================================================================== re-admission (п. 10)


def readmission_list(user, session: ExamSession) -> list[tuple[Application, object]]:
    """Everyone of the closed session the user may see, with the п. 10 decision (eligible + ground)."""
    apps = (Application.objects.for_user(user).filter(session=session)
            .select_related("participant", "participant__registration_org").order_by("participant__last_name"))
    records = {r.application_id: r for r in DayRecord.objects.filter(application__session=session)}
    results = dict(Work.objects.filter(session=session).values_list("application_id", "result"))
    out = []
    for a in apps:
        r = records.get(a.pk)
        if r is None:
            continue
        decision = R.readmission(a.participant.category, R.DayState(r.state), results.get(a.pk) or None,
                                 bool(r.valid_reason_document.strip()))
        out.append((a, decision))
    return out


def readmit(user, session: ExamSession, target: ExamSession, application_ids: list[int],
            today: date | None = None) -> list[Application]:
    """Register the eligible participants for an additional date in one action (п. 10; V69–V71)."""
    today = today or timezone.localdate()
    from itog.exams.services import save_numbered, session_date

    _refuse_if(R.check_readmission_target(session_date(target), session.academic_year, today)
               + ([] if target.academic_year == session.academic_year and target.date > session.date else
                  [essay_rules.violation("V71")]))
    eligible = {a.pk: (a, d) for a, d in readmission_list(user, session)}
    problems = []
    for pk in application_ids:
        if pk not in eligible:
            problems.append(_x("X43", "п. 10", "Заявление не найдено среди участников этой даты."))
        elif not eligible[pk][1].eligible:
            problems.extend(eligible[pk][1].violations or [essay_rules.violation("V69")])
    _refuse_if(problems)
    created = []
    with transaction.atomic():
        for pk in application_ids:
            a = eligible[pk][0]
            if Application.objects.filter(participant=a.participant, session=target).exists():
                continue
            new = Application(participant=a.participant, session=target, form=a.form,
                              application_form=a.application_form, extra_time=a.extra_time, oral_form=a.oral_form,
                              at_home=a.at_home, enlarged_blanks=a.enlarged_blanks,
                              other_conditions=a.other_conditions, pamyatka_ack=a.pamyatka_ack,
                              registered_by=user, status=ApplicationStatus.REGISTERED)
            save_numbered(new, a.participant.registration_org, user,
                          f"Повторный допуск (п. 10): {eligible[pk][1].ground}")
            created.append(new)
    return created


# ==================================================================== storage and destruction (section I)


def originals_reading() -> str:
    return getattr(settings, "ITOG_ORIGINALS_KEPT_UNTIL", R.OriginalsReading.NEXT_ACADEMIC_YEAR.value)


def ensure_storage_items(session: ExamSession) -> int:
    """What must be kept after a session, with the first day destruction is allowed: copies with the
    responsible persons (D + 1 month, п. 8.1.1), originals and report forms in РЦОИ (1 March, п. 13; L5
    configurable). Idempotent."""
    if StorageItem.objects.filter(session=session).exists():
        return 0
    rcoi = Organization.objects.filter(path__startswith=session.region.path, kind=OrgKind.RCOI).first()
    works_by_mouo = Counter()
    for path in Work.objects.filter(session=session).values_list("application__participant__registration_org__path",
                                                                  flat=True):
        parts = path.strip("/").split("/")
        works_by_mouo["/".join(parts[:2]) + "/"] += 1
    mouos = {o.path: o for o in Organization.objects.filter(path__in=list(works_by_mouo), kind=OrgKind.MOUO)}
    items = []
    reading = originals_reading()
    for path, n in sorted(works_by_mouo.items()):
        holder = mouos.get(path) or rcoi
        items.append(StorageItem(session=session, kind=R.StorageKind.COPY.value, holder=holder, quantity=n,
                                 description=f"Копии бланков ({holder.short_name or holder.name})",
                                 destroy_not_before=R.destroy_not_before(R.StorageKind.COPY, session.date, reading)))
    total = sum(works_by_mouo.values())
    if rcoi is not None:
        for kind, text in ((R.StorageKind.ORIGINAL, "Оригиналы бланков"), (R.StorageKind.REPORT_FORMS,
                                                                           "Отчетные формы")):
            items.append(StorageItem(session=session, kind=kind.value, holder=rcoi, quantity=total, description=text,
                                     destroy_not_before=R.destroy_not_before(kind, session.date, reading)))
    StorageItem.objects.bulk_create(items)
    return len(items)


def due_for_destruction(user, today: date | None = None):
    today = today or timezone.localdate()
    return StorageItem.objects.for_user(user).filter(destroyed_at__isnull=True, destroy_not_before__lte=today)


def destroy(items: list[StorageItem], user, on: date, commission_text: str) -> DestructionAct:
    """Destroy kept items under one act; refused as a whole if any is not yet due (V73, V74)."""
    if not items:
        raise Refused([_x("X44", "п. 13.3", "Не выбрано ни одного хранимого комплекта.")])
    if not commission_text.strip():
        raise Refused([_x("X45", "п. 13.3", "Укажите состав комиссии, уничтожившей материалы.", "commission_text")])
    problems = []
    for it in items:
        if it.destroyed_at is not None:
            problems.append(_x("X46", "п. 13.3", f"«{it.description}» уже уничтожено."))
        problems += R.check_destruction(it.kind, it.session.date, on, originals_reading())
    holders = {it.holder_id for it in items}
    if len(holders) > 1:
        problems.append(_x("X47", "п. 13.2", "Один акт составляется на материалы одного держателя."))
    _refuse_if(problems)
    with transaction.atomic():
        holder = items[0].holder
        n = DestructionAct.objects.filter(holder=holder).count() + 1
        act = DestructionAct(number=f"{on:%Y}-{n:03d}", holder=holder, destroyed_on=on,
                             commission_text=commission_text.strip()[:500], created_by=user)
        act._history_user = user
        act.save()
        now = timezone.now()
        for it in items:
            it.destroyed_at, it.act = now, act
            it._history_user = user
            it.save()
    return act


def retention_reminders(today: date | None = None) -> dict[int, list[StorageItem]]:
    """Items due for destruction by holder — the reminder mail of ``itog retention remind``."""
    today = today or timezone.localdate()
    out = defaultdict(list)
    for it in StorageItem.objects.filter(destroyed_at__isnull=True, destroy_not_before__lte=today).select_related(
            "holder", "session"):
        out[it.holder_id].append(it)
    return out


def send_retention_reminders(today: date | None = None) -> int:
    """One letter per holder listing the materials that may now be destroyed (and must be: п. 8.1.1 «организует
    их уничтожение по истечении этого срока», п. 13.3), to the people of the holder who may destroy them."""
    from django.core.mail import send_mail

    from itog.accounts.mail import recipients_of

    due = retention_reminders(today)
    emails_by_holder = recipients_of(due.keys(), {"retention:destroy"})
    sent = 0
    for holder_id, items in due.items():
        emails = emails_by_holder.get(holder_id)
        if not emails:
            continue
        lines = [f"- {it.description}, дата проведения {it.session.date:%d.%m.%Y}, {it.quantity} шт.: "
                 f"уничтожение возможно с {it.destroy_not_before:%d.%m.%Y}" for it in items]
        send_mail(f"«Итог»: истек срок хранения материалов ({len(items)})",
                  "Срок хранения истек, материалы подлежат уничтожению с составлением акта (пп. 8.1.1, 13.3 "
                  "Порядка):\n\n" + "\n".join(lines) + "\n\nРаздел «Хранение материалов» в «Итоге».",
                  None, emails)
        sent += 1
    return sent


def appoint_transfer_person(mouo: Organization, user, username: str, order_number: str, order_date: date
                            ) -> TransferAppointment:
    """Record the МОУО order appointing an authorized person to transfer marks into originals (п. 8.1.2). The
    person must hold the role «Уполномоченное лицо МОУО» in this МОУО (given by the ministry's administrator)."""
    from django.contrib.auth import get_user_model

    from itog.accounts.models import Membership

    problems = []
    person = get_user_model().objects.filter(username=username.strip()).first()
    if person is None or not Membership.objects.filter(user=person, organization=mouo, role="authorized",
                                                       is_active=True).exists():
        problems.append(_x("X49", "п. 8.1.2", "У пользователя нет роли «Уполномоченное лицо МОУО» в этом МОУО.",
                           "username"))
    if not order_number.strip():
        problems.append(_x("X50", "п. 8.1.2", "Укажите номер приказа МОУО.", "order_number"))
    _refuse_if(problems)
    appointment = TransferAppointment(mouo=mouo, user=person, order_number=order_number.strip()[:50],
                                      order_date=order_date)
    appointment._history_user = user
    appointment.save()
    return appointment
