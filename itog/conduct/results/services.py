"""Results (п. 9.2, 11): processing, publication, who sees results when, and the public lookup by work
code and document (the rate limits are :mod:`.lookup`)."""

from __future__ import annotations

import hashlib
import hmac
import weakref
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Q
from django.utils import timezone

from itog.conduct.models import Work, WorkStatus
from itog.core.plural import count_of
from itog.exams.kinds import get_rules
from itog.exams.models import ExamSession
from itog.exams.violations import Refused, message, violation


def processing_blockers(session: ExamSession) -> list[str]:
    """Why the session cannot be marked processed: unchecked or blocked works, and (the scanning
    issue) works whose recognised blanks are not yet verified (п. 9.2, V61)."""
    works = Work.objects.filter(session=session)
    out = []
    # One GROUP BY over the session's works (a country: 670,000) — the statuses and the unverified scans.
    rows = list(
        works.order_by()
        .values("status")
        .annotate(n=Count("pk"), unverified=Count("pk", filter=Q(scan_verified_at__isnull=True)))
    )
    counts = Counter({r["status"]: r["n"] for r in rows})
    if not counts:
        out.append("Нет работ, переданных на проверку.")
    pending = counts[WorkStatus.WAITING] + counts[WorkStatus.ASSIGNED] + counts[WorkStatus.CHECKED]
    if pending:
        out.append(f"Оценки не перенесены в оригиналы: {count_of(pending, 'работа', 'работы', 'работ')}.")
    if counts[WorkStatus.BLOCKED]:
        out.append(
            "Расхождения при переносе оценок не устранены: "
            f"{count_of(counts[WorkStatus.BLOCKED], 'работа', 'работы', 'работ')}."
        )
    # a kind without paper blanks (the interview) has no scanning to verify: its second entry is the check
    unverified = sum(r["unverified"] for r in rows) if getattr(session.rules.blanks, "BOX_OF", None) else 0
    if unverified:
        out.append(
            "Сверка распознанной информации с бланками не завершена: "
            f"{count_of(unverified, 'работа', 'работы', 'работ')} (п. 9.2)."
        )
    for hook in PROCESSING_HOOKS:
        out.extend(hook(session))
    return out


PROCESSING_HOOKS: list = []  # callables(session) -> list[str]; the scanning verification registers one


def _moment(day: date | None) -> datetime:
    """Now — or, for a day given explicitly (loading past data), noon of that day in the server's zone, so a
    session finished last year is not stamped with today's date."""
    if day is None or day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def mark_processed(session: ExamSession, user, today: date | None = None) -> None:
    blockers = processing_blockers(session)
    if blockers:
        raise Refused([violation("V61", text=message("V61") + " " + " ".join(blockers))])
    session.processed_at = _moment(today)
    session._history_user = user
    session.save(update_fields=["processed_at"])


def publish(session: ExamSession, user, today: date | None = None) -> date:
    """Publish: schools and registration places see the results from the next day (п. 11, V72)."""
    if session.processed_at is None:
        raise Refused([violation("X37")])
    session.published_at = _moment(today)
    today = today or timezone.localdate()
    session.results_date = session.rules.results.familiarization_date(today)
    session._history_user = user
    session.save(update_fields=["published_at", "results_date"])
    from itog.conduct.retention.services import ensure_storage_items

    ensure_storage_items(session)
    return session.results_date


def record_familiarization(application, on: date, signed: bool, user=None) -> None:
    """п. 11 (V72): the familiarization with the result under signature, recorded per participant — on the
    day after the results were received (the publication; for a re-checked work the day after its protocol
    reached РЦОИ, F16), under signature; the place is the registration
    place of the application (the school's list). V16: not after the consent was revoked."""
    from itog.exams.registration.services import check_processing

    session = application.session
    if session.published_at is None:
        raise Refused([violation("X37")])
    received_on = timezone.localtime(session.published_at).date()
    from itog.conduct.models import RecheckCase, RecheckStatus

    recheck = (
        RecheckCase.objects.filter(
            work__application=application, status=RecheckStatus.CLOSED, protocol_delivered_on__isnull=False
        )
        .order_by("-protocol_delivered_on")
        .first()
    )
    if recheck is not None:
        # п. 11 (F16): the result of a re-check (перепроверка) is familiarized with the day after it is received
        # from the regional commission — the day its protocol reached РЦОИ (п. 8.2.5); the earlier date stays in
        # the application's history
        received_on = max(received_on, recheck.protocol_delivered_on)
    check = getattr(session.rules.results, "check_familiarization", None)
    problems = check_processing(application.participant)
    if check is not None:
        problems += check(application.participant.category, received_on, on, signed=signed)
    if problems:
        raise Refused(problems)
    application.familiarized_on = on
    application._history_user = user
    application.save(update_fields=["familiarized_on"])


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
    title: str = ""  # the exam kind's title («Итоговое собеседование по русскому языку»)
    form_label: str = ""  # the form in the kind's words («сочинение», «изложение», «собеседование»)


_LOOKUP_COLUMNS = (
    "application__participant__document_series",
    "application__participant__document_number",
    "session__date",
    "session__results_date",
    "application__form",
    "result",
    "result_final",
    "application__participant__registration_org__time_zone",
    "session__kind",
)
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
        query = (
            Work.objects.filter(work_code="000000000000", session__results_date__isnull=False)
            .values_list(*_LOOKUP_COLUMNS)
            .order_by()[:1]
        ).query  # code is unique: no ordering needed
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
    series, number, day, results_day, form, result, final, tz, kind = row
    return (series, number, _as_date(day), _as_date(results_day), form, result, bool(final), tz, kind)


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
    rules = get_rules(row[8])
    return LookupAnswer(
        True,
        row[2],
        row[4],
        row[5],
        row[6],
        rules.recheck.recheck_deadline(row[3], tz),
        rules.title,
        rules.forms.get(row[4], row[4]),
    )
