"""Bulk import of a school's participant list (XLSX/CSV): every row checked, all or nothing
(or, on the user's explicit choice, the valid rows with the others listed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.core.bulk import create_with_history
from itog.core.tables import RowError, TableError, read_table
from itog.exams.models import Application, Consent, ExamSession, Participant, SupportingDocument
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization
from itog.people.models import PERSONAL_FIELDS

from .services import Registration, application_data, outside_region, session_date

# The list's column a rule's field is read from, so that a refusal names the column (V06 → «С Памяткой …»).
_FIELD_COLUMNS = {
    "pamyatka_ack": "С Памяткой ознакомлен(а)",
    "documents": "Предъявленные документы",
    "exam_form": "Форма",
    "grade": "Класс",
    "chosen_date": "Дата участия",
    "special_conditions": "ОВЗ/инвалидность",
    "consent": "",
}


def _column_of(field: str | None) -> str:
    return _FIELD_COLUMNS.get(field or "", "")


@dataclass
class ParticipantImportReport:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    created: int = 0
    skipped_rows: list[int] = field(default_factory=list)
    saved: bool = False


SAVE_CHUNK = 2000


def _save_chunk(accepted: list, registration_org: Organization, region: Organization, rules, user, consent_on) -> None:
    """Participants, consents, documents and applications (with their history rows) of a chunk of rows."""
    participants = [
        Participant(
            **reg.personal,
            category=reg.category,
            school=reg.school,
            grade=reg.grade,
            class_letter=reg.class_letter,
            registration_org=registration_org,
        )
        for _, reg, _ in accepted
    ]
    create_with_history(Participant, participants, user)
    if all(p.pk for p in participants):  # PostgreSQL, SQLite ≥ 3.35: the ids come back from the insert
        by_row = participants
    else:
        by_key = {
            (p.document_series, p.document_number): p
            for p in Participant.objects.filter(
                registration_org=registration_org, document_number__in=[r.document_number for r, _, _ in accepted]
            )
        }
        by_row = [by_key[(r.document_series, r.document_number)] for r, _, _ in accepted]
    consents, applications, documents = [], [], []
    for (_, reg, target), p in zip(accepted, by_row, strict=True):
        consents.append(Consent(participant=p, operator=region, signed_on=consent_on))
        documents += [SupportingDocument(participant=p, kind=kind) for kind in sorted(reg.documents)]
        applications.append(
            Application(
                participant=p,
                registration_org=registration_org,
                session=target,
                form=reg.form,
                application_form=rules.application_form_for(reg.category).value,
                pamyatka_ack=reg.pamyatka_ack,
                school_type=reg.school_type,
                home_schooling_health=reg.home_schooling_health,
                registered_by=user,
                registration_number=f"{target.date:%y%m%d}-{registration_org.code}-{p.pk:06d}",
            )
        )
    create_with_history(Consent, consents, user)
    if documents:
        create_with_history(SupportingDocument, documents, user)
    create_with_history(Application, applications, user)


def import_participants(
    data: bytes,
    filename: str,
    session: ExamSession,
    registration_org: Organization,
    user,
    consent_on: date,
    partial: bool = False,
    request=None,
    today: date | None = None,
    on_progress: Callable[[int, int | None, str], None] | None = None,
    in_transaction: Callable[[ParticipantImportReport], None] | None = None,
) -> ParticipantImportReport:
    """Check every row of the list and save the applications in one transaction (all or nothing, or the
    valid rows when ``partial``). ``on_progress(done, total, message)`` hears how far the checks are;
    ``in_transaction(report)`` runs inside the saving transaction after the rows are saved (a background job
    records its outcome there, so that a retry never imports twice)."""
    today = today or timezone.localdate()
    report = ParticipantImportReport()
    if outside := outside_region(registration_org, session):  # п. 5.1: a place of the session's region
        report.errors.append(outside.message)
        return report
    say = on_progress or (lambda done, total=None, message="": None)
    try:
        table = read_table(data, filename, max_bytes=settings.ITOG_MAX_UPLOAD_MB * 1024 * 1024)
    except TableError as exc:
        report.errors.append(str(exc))
        return report
    report.notes += table.notes
    total = len(table.rows)
    say(0, total, f"Проверка строк: {total}")
    region = session.region
    in_region = Participant.objects.filter(registration_org__path__startswith=region.path)
    # V16: a person whose consent was revoked is not a duplicate — the row is checked against the revocation.
    revoked: dict[tuple[str, str], date] = {}
    for series, number, on in (
        in_region.filter(consents__status="revoked", consents__revoked_on__isnull=False)
        .exclude(pk__in=in_region.filter(consents__status="active").values("pk"))
        .values_list("document_series", "document_number", "consents__revoked_on")
    ):
        revoked[(series, number)] = max(on, revoked.get((series, number), on))
    existing = set(in_region.values_list("document_series", "document_number")) - set(revoked)
    schools = {o.code: o for o in Organization.objects.for_user(user).filter(kind=OrgKind.SCHOOL)}
    year_sessions = {
        s.date: s
        for s in ExamSession.objects.filter(region=region, kind=session.kind, academic_year=session.academic_year)
    }
    rules = session.rules.registration  # the kind's list columns and row checks, then its application rules
    check = rules.validate_rows(table, existing, schools, sorted(year_sessions), today, partial=True)
    errors: list[RowError] = list(check.errors)
    accepted = []
    checked = max(total - len(check.records), 0)  # the rows the list's own checks refused are done
    for rec in check.records:
        checked += 1
        say(checked, total, f"Проверено строк: {checked} из {total}")
        target = year_sessions.get(rec.participation_date) or session
        reg = Registration(
            personal={f: getattr(rec, f) for f in PERSONAL_FIELDS},
            category=rec.category,
            school=rec.school,
            grade=rec.grade,
            class_letter=rec.class_letter,
            form=rec.exam_kind,
            conditions=set(),
            other_conditions="",
            documents=set(rec.documents),
            medical_indications=False,
            consent_signed_on=consent_on,
            pamyatka_ack=rec.pamyatka_ack,  # from the file's column, never assumed (A25, V06)
            school_type=rec.school_type,
            home_schooling_health=rec.home_schooling_health,
        )
        revoked_on = revoked.get((rec.document_series, rec.document_number))
        if revoked_on is not None and consent_on > revoked_on:
            revoked_on = None  # consents collected after the revocation: lawful again
        data = application_data(reg, registration_org, target, today, consent_revoked_on=revoked_on)
        problems = [v for v in rules.check_application(data, session_date(target)) if v.severity == "error"]
        # п. 10: no ordinary application of a student on an additional date (the kind's re-admission rules)
        problems += target.rules.readmission.check_direct_registration(rec.category, target.stage == "additional")
        if problems:
            errors += [RowError(rec.row, _column_of(v.field), f"{v.message} [{v.code}]") for v in problems]
        else:
            accepted.append((rec, reg, target))
    report.errors = [str(e) for e in errors]
    report.skipped_rows = sorted({e.row for e in errors})
    if errors and not partial:
        return report
    if not accepted:
        return report
    say(total, total, f"Сохранение заявлений: {len(accepted)}")
    del table, check  # the parsed cells are not needed any more: the memory goes to the saving
    with transaction.atomic():  # one transaction: all or nothing, whatever the chunks
        # Saved in chunks, so that a region's list (75,000 rows) never holds every model instance and history
        # row at once (issue 12: < 500 MiB).
        for first in range(0, len(accepted), SAVE_CHUNK):
            _save_chunk(accepted[first : first + SAVE_CHUNK], registration_org, region, rules, user, consent_on)
        record(
            EventKind.IMPORT,
            request,
            user=user,
            description=f"Список участников из «{filename}»: {len(accepted)} заявлений",
            rows=len(accepted),
        )
        report.created = len(accepted)
        report.saved = True
        if in_transaction is not None:
            in_transaction(report)
    return report
