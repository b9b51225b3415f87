"""Personal data removed when the keeping period that bounds the consent ends (essay-procedure-rules.md I8;
приложение 3, A41 «в течение срока хранения информации»): a session past its period is обезличена through the
service and ``itog retention purge-personal-data``, one not yet is left (and refused when named); aggregate
results stay; an audit event records the counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from itog.audit.models import AuditEvent, EventKind
from itog.conduct.models import StorageItem
from itog.conduct.retention.personal_data import REMOVED_NAME, kept_until, purge_personal_data
from itog.exams.models import Application, Participant
from itog.exams.registration.services import ensure_sessions, register
from itog.exams.violations import Refused
from itog.people.models import Student
from tests.exams.fixtures import student_registration

pytestmark = pytest.mark.django_db

ENDED, LATER = date(2028, 3, 1), date(2029, 3, 1)


def _story(region):
    past = ensure_sessions(region.ministry, "2026/27")[0]
    kept = ensure_sessions(region.ministry, "2027/28")[0]
    a = register(
        student_registration(
            region.school1,
            personal={"last_name": "Старова", "document_number": "700001", "snils": "123-456-789 01"},
            student_id=Student.objects.filter(school=region.school1, participant__isnull=True).first().pk,
        ),
        past,
        region.school1,
        today=date(2026, 11, 10),
    ).application
    b = register(
        student_registration(region.school1, personal={"last_name": "Новикова", "document_number": "700002"}),
        kept,
        region.school1,
        today=date(2027, 11, 10),
    ).application
    assert a and b
    for session, until in ((past, ENDED), (kept, LATER)):
        StorageItem.objects.create(
            session=session, kind="originals", holder=region.ministry, description="оригиналы", destroy_not_before=until
        )
    return past, kept, a.participant, b.participant


def test_i8_purge_after_the_keeping_period_only(region):
    past, kept, old, new = _story(region)
    assert kept_until(past) == ENDED
    assert old.student_id is not None
    student = old.student
    school, grade, category, year = old.school_id, old.grade, old.category, old.birth_date.year
    apps_before = Application.objects.count()

    # before the date: nothing is due; naming the session is refused with the date (X82)
    assert purge_personal_data(today=date(2028, 2, 28)).participants == 0
    with pytest.raises(Refused) as err:
        purge_personal_data(today=date(2028, 2, 28), session=past)
    assert err.value.violations[0].code == "X82" and "01.03.2028" in str(err.value)

    dry = purge_personal_data(today=ENDED, dry_run=True)
    assert dry.participants == 1
    old.refresh_from_db()
    assert old.last_name == "Старова"  # a dry run changes nothing

    report = purge_personal_data(today=ENDED)
    assert report.participants == 1 and report.history_rows >= 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.last_name == REMOVED_NAME and old.document_number == "" and old.snils == ""
    assert old.first_name == f"№ {old.pk}" and old.birth_date == date(year, 1, 1)
    assert old.personal_data_removed_on == ENDED
    # the history keeps no old value either
    assert not Participant.history.filter(id=old.pk, last_name="Старова").exists()
    # nor a link that names the person another way: the school's directory record (which the school keeps) and
    # a login are no longer reachable from the обезличенный participant or its history
    assert old.student_id is None and old.user_id is None
    assert not Participant.objects.filter(student=student).exists()
    assert Student.objects.filter(pk=student.pk, last_name=student.last_name).exists()  # the school's record stays
    assert not Participant.history.filter(id=old.pk, student_id__isnull=False).exists()
    # aggregates: the school, class, category and the applications stay
    assert (old.school_id, old.grade, old.category) == (school, grade, category)
    assert Application.objects.count() == apps_before
    # the session not yet past its period is untouched
    assert new.last_name == "Новикова" and new.document_number == "700002"
    event = AuditEvent.objects.filter(kind=EventKind.PD_REMOVED).get()
    assert event.details["participants"] == 1
    # idempotent
    assert purge_personal_data(today=ENDED).participants == 0


def test_i8_the_command_dry_run_and_refusal(region, capsys):
    past, kept, old, new = _story(region)
    call_command("retention", "purge-personal-data", "--dry-run", "--today", "2028-03-01")
    assert "Проверка (без изменений): участников 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="01.03.2029"):
        call_command("retention", "purge-personal-data", "--session", str(kept.pk), "--today", "2028-03-01")
    call_command("retention", "purge-personal-data", "--today", "2029-03-01")
    assert "Обезличено: участников 2" in capsys.readouterr().out
    assert set(Participant.objects.filter(pk__in=[old.pk, new.pk]).values_list("last_name", flat=True)) == {
        REMOVED_NAME
    }
