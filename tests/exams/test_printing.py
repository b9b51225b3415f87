"""Printing kits after seating: codes in the PDF text layer, the 2D code decodes, refusal without seating."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pypdfium2 as pdfium
import pytest

from itog.blanks.codes import is_valid
from itog.exams.models import WorkCode
from itog.exams.printing import PrintRefused, kit_participants, void_and_reissue
from itog.exams.registration.services import register
from itog.exams.seating.services import seat_session
from tests.exams.fixtures import essay_session, student_registration
from tests.exams.test_seating_db import staff_venue


@pytest.fixture
def seated(region):
    session = essay_session(region)
    for i in range(3):
        reg = student_registration(
            region.school1, personal={"document_number": f"77{i:04d}", "last_name": f"Фамилия{i}"}
        )
        assert register(reg, session, region.school1, today=date(2026, 11, 10)).application
    staff_venue(session, region.school1)
    seat_session(session, seed=7)
    # Printing is allowed up to D−1 (п. 7.11.1(1), V31): the exam is tomorrow on the region's clock.
    from datetime import timedelta

    from itog.exams.seating.services import region_today

    session.date = region_today(session) + timedelta(days=1)
    session.save(update_fields=["date"])
    return session


def test_printing_without_seating_is_refused(login, region):
    session = essay_session(region)
    with pytest.raises(PrintRefused, match="не распределены по аудиториям"):
        kit_participants(session)
    response = login("rcoi").post(f"/sessions/{session.pk}/print/", follow=True)
    assert "Печать невозможна" in response.content.decode()


def test_print_job_makes_kits_with_codes_and_room_forms(login, region, seated, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")
    response = login("school").post(f"/sessions/{seated.pk}/print/")
    assert response.status_code == 302
    job_page = login("school").get(response["Location"]).content.decode()
    assert "завершено" in job_page
    job_id = int(response["Location"].strip("/").split("/")[-1])
    data = b"".join(login("school").get(f"/jobs/{job_id}/result/").streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert any(n.startswith("комплекты/") for n in names) and "списки-по-аудиториям.pdf" in names
    assert any("ИС-05" in n for n in names)
    codes = list(WorkCode.objects.values_list("code", flat=True))
    assert len(codes) == 3 and all(is_valid(c) for c in codes)
    kits = pdfium.PdfDocument(archive.read(next(n for n in names if n.startswith("комплекты/"))))
    text = "".join(kits[i].get_textpage().get_text_range() for i in range(len(kits)))
    for code in codes:
        assert code in text.replace("-", "").replace(" ", "") or code in text
    import zxingcpp

    image = kits[0].render(scale=200 / 72).to_pil()
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert any(codes[0] in d or any(c in d for c in codes) for d in decoded), decoded
    lists = pdfium.PdfDocument(archive.read("списки-по-аудиториям.pdf"))
    assert "Фамилия0" in "".join(lists[i].get_textpage().get_text_range() for i in range(len(lists)))


def test_spoiled_blank_gets_a_new_code(region, seated):
    kit_participants(seated)
    first = WorkCode.objects.order_by("serial").first()
    new = void_and_reissue(first, "Испорчен при печати")
    assert new.code != first.code and new.application_id == first.application_id
    first.refresh_from_db()
    assert first.voided_at and first.void_reason == "Испорчен при печати"
    assert WorkCode.objects.filter(application=first.application, voided_at__isnull=True).count() == 1


def test_a_reissued_code_takes_the_work_with_it(region, seated):
    """Work.code is the issued code record, not a copy of its text: after a spoiled blank is voided and a new
    code issued, the participant's work answers with the new code (it used to keep the old text)."""
    from itog.conduct.models import Work

    kit_participants(seated)
    first = WorkCode.objects.order_by("serial").first()
    work = Work.objects.create(
        session=seated, application=first.application, work_code=first, school=first.application.participant.school
    )
    assert Work._meta.get_field("work_code").related_model is WorkCode
    assert work.code == first.code and Work.objects.get(work_code=first.code) == work
    new = void_and_reissue(first, "Испорчен при печати")
    work.refresh_from_db()
    assert work.code == new.code != first.code
    assert work.work_code == new and new.work == work
    assert not Work.objects.filter(work_code=first.code).exists()
    assert work.history.first().history_change_reason == f"Код {first.code} аннулирован, выдан {new.code}"
