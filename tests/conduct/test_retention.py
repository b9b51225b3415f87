"""Storage and destruction (section I): copies from D + 1 month (п. 8.1.1, V73), originals and report forms
from 1 March (п. 13.3, V74; L5 configurable); the act lists what was destroyed; early destruction refused."""

from __future__ import annotations

import io
from datetime import date

import pytest

from itog.audit.models import AuditEvent
from itog.conduct import services as S
from itog.conduct.models import StorageItem
from tests.conduct.fixtures import finished_session


@pytest.fixture
def kept(region):
    return finished_session(region)


def test_storage_items_and_their_dates(region, kept):
    """п. 8.1.1 (I2): copies kept by the responsible person (МОУО) at least a month; пп. 13.1–13.3 (I3, I5):
    originals kept by РЦОИ until 1 March."""
    copies = StorageItem.objects.filter(session=kept, kind="copy")
    originals = StorageItem.objects.get(session=kept, kind="original")
    assert copies.exists() and all(c.holder.kind == "mouo" for c in copies)
    assert {c.destroy_not_before for c in copies} == {date(2026, 1, 3)}  # 03.12.2025 + 1 month
    assert originals.holder.kind == "rcoi"
    assert originals.destroy_not_before == date(2027, 3, 1)  # L5 default: the next academic year


def test_destruction_before_its_date_is_refused_and_logged(region, kept, login):
    originals = StorageItem.objects.get(session=kept, kind="original")
    client = login("rcoi")
    page = client.post(
        "/retention/",
        {"item": [originals.pk], "destroyed_on": "2026-11-23", "commission_text": "Лебедева И., Смирнов П."},
    ).content.decode()
    assert "до 1 марта 2027" in page
    originals.refresh_from_db()
    assert originals.destroyed_at is None
    assert AuditEvent.objects.filter(kind="refused", description__contains="Уничтожение").exists()


def test_due_copies_destroyed_under_an_act_pdf(region, kept, login):
    from pypdf import PdfReader

    copy = StorageItem.objects.filter(session=kept, kind="copy", holder=region.mouo1).first()
    assert copy in S.due_for_destruction(region.user("mouo"), date(2026, 11, 23))
    with pytest.raises(S.Refused) as exc:
        S.destroy([copy], region.user("mouo"), date(2026, 1, 2), "Комиссия")
    assert exc.value.violations[0].code == "V73"
    client = login("mouo")
    assert (
        client.post(
            "/retention/", {"item": [copy.pk], "destroyed_on": "2026-11-23", "commission_text": "Соколов А., Орлова Е."}
        ).status_code
        == 302
    )
    copy.refresh_from_db()
    assert copy.destroyed_at is not None and copy.act is not None
    pdf = client.get(f"/retention/acts/{copy.act_id}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"Акт об уничтожении № {copy.act.number}" in text and "Копии бланков" in text
    assert login("mouo2").get(f"/retention/acts/{copy.act_id}.pdf").status_code == 404


def test_same_academic_year_reading_of_l5(region, kept, settings):
    """п. 3.1 (I7): the keeping period is a setting of the region (L5); п. 13.3 (I6): after it РЦОИ destroys."""
    settings.ITOG_ORIGINALS_KEPT_UNTIL = "same_academic_year"
    originals = StorageItem.objects.get(session=kept, kind="original")
    assert S.destroy([originals], region.user("rcoi"), date(2026, 3, 1), "Комиссия РЦОИ").number


def test_mouo_cannot_destroy_originals_kept_by_rcoi(region, kept, login):
    """п. 13.2 (I5): the head of РЦОИ is responsible for keeping and destroying the originals."""
    originals = StorageItem.objects.get(session=kept, kind="original")
    login("mouo").post(
        "/retention/", {"item": [originals.pk], "destroyed_on": "2027-03-02", "commission_text": "Комиссия"}
    )
    originals.refresh_from_db()
    assert originals.destroyed_at is None


def test_reminders_mail_the_holders_of_due_items(region, kept, settings):
    from django.core import mail
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = region.user("mouo")
    user.email = "mouo@example.ru"
    user.save()
    call_command("retention", "remind", "--today", "2026-01-02")  # the day before copies are due
    assert not [m for m in mail.outbox if "mouo@example.ru" in m.to]
    call_command("retention", "remind", "--today", "2026-01-03")
    letter = next(m for m in mail.outbox if m.to == ["mouo@example.ru"])
    assert "Копии бланков" in letter.body and "03.01.2026" in letter.body


def test_p13_3_originals_of_unfinished_and_removed_works_and_audio_are_kept(region, kept, login):
    """п. 13.3 with L18: the originals of every written work are kept — also of works marked «Не закончил» /
    «Удален», which are not copied or checked (п. 7.11.4); the audio recordings of oral works are a storage item
    of their own, kept in РЦОИ until 1 March and not destroyable before (V74)."""
    from itog.conduct.models import DayRecord, Work

    records = DayRecord.objects.filter(application__session=kept)
    written = records.exclude(state__in=["absent", "entry_denied"]).count()
    unchecked = records.filter(state__in=["not_finished", "removed"]).count()
    if unchecked == 0:  # make sure the story has an unfinished and a removed work
        r1, r2 = records.filter(state="finished")[:2]
        r1.state, r2.state = "not_finished", "removed"
        r1.save(), r2.save()
        Work.objects.filter(application__in=[r1.application_id, r2.application_id]).delete()
    oral = records.exclude(state__in=["absent", "entry_denied"]).first().application
    oral.oral_form = True
    oral.save()
    StorageItem.objects.filter(session=kept).delete()
    S.ensure_storage_items(kept)
    checked = Work.objects.filter(session=kept).count()
    originals = StorageItem.objects.get(session=kept, kind="original")
    assert originals.quantity == written > checked  # not only the checked works
    assert sum(StorageItem.objects.filter(session=kept, kind="copy").values_list("quantity", flat=True)) == checked
    audio = StorageItem.objects.get(session=kept, kind="audio")
    assert audio.quantity == 1 and audio.holder.kind == "rcoi"
    assert audio.destroy_not_before == originals.destroy_not_before == date(2027, 3, 1)
    page = (
        login("rcoi")
        .post(
            "/retention/",
            {"item": [audio.pk], "destroyed_on": "2027-02-28", "commission_text": "Лебедева И., Смирнов П."},
        )
        .content.decode()
    )
    assert "до 1 марта 2027" in page
    audio.refresh_from_db()
    assert audio.destroyed_at is None
