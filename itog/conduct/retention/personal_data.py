"""Participants' personal data removed when the keeping period that bounds the consent ends (essay-procedure-rules.md
I8; приложение 3, A41: the consent is valid «в течение срока хранения информации»).

The keeping period of a session is that of its kept materials (:class:`~itog.conduct.models.StorageItem`, п. 8.1.1,
13.3 — the regional profile decides the dates): it ends on the latest «уничтожение не ранее» of the session. A
participant is обезличен (A39 lists «обезличивание» among the allowed actions) once every session they applied for
has ended its period: the identifying fields of the consent whitelist (names, document, СНИЛС, phone, day and month
of birth) are cleared in the record and in its change history; what the aggregate results (analytics) read — the
school, class, category, sex, health category, year of birth, applications, works and results — is kept. An audit
event records the counts. Before the date a session is refused (X82).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import CharField, Max, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.conduct.models import StorageItem
from itog.exams.common import fmt_date
from itog.exams.kinds import get_rules
from itog.exams.models import Application, ExamSession, Participant, SupportingDocument
from itog.exams.violations import refuse_if


def check_pd_removal(kept_until_day: date | None, today: date, what: str = "") -> list:
    """I8 (A41): the consent form's rule (приложение 3 of the essay procedure), through the registry."""
    return get_rules("essay").registration.check_pd_removal(kept_until_day, today, what)


REMOVED_NAME = "Обезличено"
CLEARED = {
    "middle_name": "",
    "phone": "",
    "snils": "",
    "document_series": "",
    "document_number": "",
}


@dataclass
class PurgeReport:
    today: date
    dry_run: bool
    sessions: list[str] = field(default_factory=list)  # sessions whose period has ended
    participants: int = 0
    documents: int = 0
    history_rows: int = 0
    kept_for_later: int = 0  # participants of an ended session who also applied for a session still kept

    def text(self) -> str:
        head = "Проверка (без изменений)" if self.dry_run else "Обезличено"
        return (
            f"{head}: участников {self.participants}, документов {self.documents}, записей истории "
            f"{self.history_rows}; сессий с истекшим сроком хранения: {len(self.sessions)}; "
            f"оставлено до окончания срока другой сессии: {self.kept_for_later}."
        )


def kept_until(session: ExamSession) -> date | None:
    """The last day of the session's keeping period: the latest «уничтожение не ранее» of its kept materials
    (None when nothing is recorded as kept yet — the period is not known, so it has not ended)."""
    return StorageItem.objects.filter(session=session).aggregate(d=Max("destroy_not_before"))["d"]


def _label(session: ExamSession) -> str:
    return f"{session.rules.label} {fmt_date(session.date)}"


def check_session(session: ExamSession, today: date | None = None) -> None:
    """Refuse (X82) before the session's keeping period ends."""
    refuse_if(check_pd_removal(kept_until(session), today or timezone.localdate(), _label(session)))


def purge_personal_data(
    today: date | None = None, dry_run: bool = False, user=None, session: ExamSession | None = None
) -> PurgeReport:
    """Обезличить the participants of every session (or of ``session``, refused before its date) whose keeping
    period has ended by ``today``. Idempotent; one transaction; one audit event with the counts."""
    today = today or timezone.localdate()
    report = PurgeReport(today, dry_run)
    if session is not None:
        check_session(session, today)
    sessions = [session] if session is not None else list(ExamSession.objects.all())
    ended = [s for s in sessions if not check_pd_removal(kept_until(s), today)]
    report.sessions = [_label(s) for s in ended]
    if not ended:
        return report
    candidates = set(
        Application.objects.filter(session__in=ended, participant__personal_data_removed_on__isnull=True).values_list(
            "participant_id", flat=True
        )
    )
    # a participant of a session still kept (another date, a re-admission) keeps the data until that one ends
    still = {s.pk for s in ExamSession.objects.filter(applications__participant__in=candidates).distinct()} - {
        s.pk for s in ended
    }
    blocked = set(
        Application.objects.filter(participant__in=candidates, session__in=still).values_list(
            "participant_id", flat=True
        )
    )
    ids = sorted(candidates - blocked)
    report.kept_for_later = len(candidates & blocked)
    report.participants = len(ids)
    report.documents = SupportingDocument.objects.filter(participant__in=ids).count()
    history = Participant.history.filter(id__in=ids)
    report.history_rows = history.count()
    if dry_run or not ids:
        return report
    by_year: dict[int, list[int]] = {}
    for pk, born in Participant.objects.filter(pk__in=ids).values_list("pk", "birth_date"):
        by_year.setdefault(born.year, []).append(pk)
    with transaction.atomic():
        for year, pks in by_year.items():
            for chunk in (pks[i : i + 5000] for i in range(0, len(pks), 5000)):
                values = dict(
                    CLEARED,
                    last_name=REMOVED_NAME,
                    first_name=Concat(Value("№ "), Cast("id", CharField())),
                    birth_date=date(year, 1, 1),  # the year stays for age statistics
                    personal_data_removed_on=today,
                    # the links to the school's directory record and to the login name it by another way: cut
                    # (the directory's record is the school's own, kept on its own basis — not this consent's)
                    student=None,
                    user=None,
                )
                # .update(): no new history row carrying the old values; the old rows are cleared as well
                Participant.objects.filter(pk__in=chunk).update(**values)
                Participant.history.filter(id__in=chunk).update(**values)
        SupportingDocument.objects.filter(participant__in=ids).update(number="", issuer="")
        SupportingDocument.history.filter(participant_id__in=ids).update(number="", issuer="")
        record(
            EventKind.PD_REMOVED,
            user=user,
            username="" if user else "itog retention purge-personal-data",
            description=report.text()[:500],
            participants=report.participants,
            documents=report.documents,
            history_rows=report.history_rows,
            sessions=report.sessions,
        )
    return report
