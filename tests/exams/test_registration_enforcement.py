"""Every registration rule of the essay procedure (V01–V19, V21) refused where a person acts: the
registration form (HTTP), the list upload (HTTP) and the registration service — nothing saved on a
refusal. V16 (no processing after the consent is revoked) at registration, export, edits and seating.
The table of codes, enforcing functions and tests: docs/enforcement/registration.md."""

from __future__ import annotations

import html
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from itog.exams.kinds.essay.participants_import import HEADER
from itog.exams.models import (
    Application,
    ApplicationStatus,
    Participant,
    Seat,
    SupportingDocument,
)
from itog.exams.registration.services import ensure_sessions, register, revoke_consent
from itog.exams.seating.services import seat_session
from tests.exams.fixtures import (
    essay_session,
    registered_application,
    student_registration,
)

pytestmark = pytest.mark.usefixtures("sync_jobs")

TODAY = date(2026, 11, 10)  # before D−14 of the 02.12.2026 session


def codes(result) -> list[str]:
    return [v.code for v in result.violations]


def refused(region, **overrides) -> list[str]:
    """Register at school1 for the 2026/27 main date; the refusal's codes. Nothing may be saved."""
    today = overrides.pop("today", TODAY)
    result = register(
        student_registration(region.school1, **overrides), essay_session(region), region.school1, today=today
    )
    assert result.application is None, "a refused application must not be saved"
    assert Participant.objects.count() == 0 and Application.objects.count() == 0
    return codes(result)


# ---------------------------------------------------------------- the registration form (HTTP)


def open_session(region):
    """Next year's main date: its registration is open on the real today (п. 10 keeps students off the
    additional dates)."""
    return ensure_sessions(region.ministry, "2027/28")[0]


FORM = {
    "last_name": "Иванов",
    "first_name": "Иван",
    "sex": "м",
    "birth_date": "2009-05-01",
    "citizenship": "Российская Федерация",
    "document_type": "passport_rf",
    "document_series": "4510",
    "document_number": "654321",
    "health_category": "",
    "category": "student",
    "grade": "11",
    "form": "essay",
    "consent_signed_on": "2026-11-01",
    "pamyatka_ack": "on",
}


def post_form(client, session, **changes):
    data = {**FORM, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(f"/sessions/{session.pk}/register/", data)
    return response, html.unescape(response.content.decode())


def test_v01_exposition_without_a_ground_of_p_2_3_is_refused_by_the_form(login, region):
    session = open_session(region)
    response, text = post_form(login("school"), session, form="exposition")
    assert response.status_code == 200 and "[V01]" in text and "п. 2.3" in text
    assert Application.objects.count() == 0


def test_v09_home_schooled_pupil_gets_the_exposition_with_a_medical_conclusion(login, region):
    """п. 2.3 (A7): taught at home for health reasons — the изложение on the medical conclusion; without it
    V09 (not V01: the ground is there, its document is missing)."""
    session = open_session(region)
    client = login("school")
    response, text = post_form(client, session, form="exposition", home_schooling_health="on")
    assert response.status_code == 200 and "[V09]" in text and "заключение медицинской организации" in text
    assert "[V01]" not in text and Application.objects.count() == 0
    response, _ = post_form(
        client, session, form="exposition", home_schooling_health="on", documents=["med_conclusion"]
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.form == "exposition" and app.home_schooling_health and app.school_type == "regular"
    assert list(app.participant.documents.values_list("kind", flat=True)) == ["med_conclusion"]


def test_v09_sanatorium_school_needs_the_medical_conclusion_too(region):
    assert refused(region, form="exposition", school_type="sanatorium") == ["V09"]
    result = register(
        student_registration(region.school1, form="exposition", school_type="sanatorium", documents={"med_conclusion"}),
        essay_session(region),
        region.school1,
        today=TODAY,
    )
    assert result.application is not None and result.application.school_type == "sanatorium"


@pytest.mark.parametrize("school_type", ["suvu_closed", "penal"])
def test_v10_closed_and_penal_institutions_need_the_copies_and_may_write_the_exposition(login, region, school_type):
    """п. 2.3 (A6): pupils of СУВУ(ЗТ) and penal institutions may write the изложение without ОВЗ status;
    п. 5.4 (A21): the copies of the application and of the enrolment order are required (V10)."""
    session = open_session(region)
    client = login("school")
    response, text = post_form(client, session, form="exposition", school_type=school_type)
    assert response.status_code == 200 and "[V10]" in text and "копия приказа о зачислении" in text
    assert "[V01]" not in text and Application.objects.count() == 0
    response, _ = post_form(
        client, session, form="exposition", school_type=school_type, documents=["application_copy", "enrolment_order"]
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert (app.form, app.school_type) == ("exposition", school_type)
    # The printed application (приложение 1) carries the ground of the изложение.
    from pypdf import PdfReader

    pdf = client.get(f"/applications/{app.pk}/form.pdf")
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert app.get_school_type_display()[:40] in text


def test_v06_pamyatka_not_acknowledged_is_refused_by_the_form(login, region):
    response, text = post_form(login("school"), open_session(region), pamyatka_ack=None)
    assert response.status_code == 200 and "[V06]" in text and "Памяткой" in text
    assert Application.objects.count() == 0


def test_v17_extra_time_without_health_grounds_is_refused_by_the_form(login, region):
    response, text = post_form(login("school"), open_session(region), extra_time="on")
    assert response.status_code == 200 and "[V17]" in text and "п. 4.4" in text
    assert Application.objects.count() == 0


def test_v21_a_moved_date_without_a_reason_is_refused(login, region):
    session = essay_session(region)
    response = login("rcoi").post(f"/sessions/{session.pk}/override/", {"date": "2026-12-10"})
    text = html.unescape(response.content.decode())
    assert response.status_code == 200 and "п. 4.1" in text and "первая среда декабря" in text
    session.refresh_from_db()
    assert session.date == date(2026, 12, 2)


# ---------------------------------------------------------------- the registration service


def test_v02_ege_participant_writes_the_essay_only(region):
    assert "V02" in refused(region, category="vpl", grade=None, form="exposition")


def test_v03_tenth_graders_do_not_take_part(region):
    assert refused(region, grade=10) == ["V03"]


def test_v04_the_application_form_follows_the_category(region):
    """V04 cannot be broken through Itog: the service picks приложение 1 or 2 from the category (п. 5.2)."""
    session = essay_session(region)
    student = register(student_registration(region.school1), session, region.school1, today=TODAY)
    assert student.application.application_form == "app1"
    vpl = register(
        student_registration(None, category="vpl", grade=None, personal={"document_number": "777777"}),
        session,
        region.mouo1,
        today=TODAY,
    )
    assert vpl.application is not None, vpl.violations
    assert vpl.application.application_form == "app2"


def test_v05_no_consent_no_registration(region):
    assert refused(region, consent_signed_on=None) == ["V05"]


def test_v08_disability_needs_the_certificate(region):
    assert refused(region, personal={"health_category": "disabled"}) == ["V08"]


def test_v11_spravka_needs_the_spravka(region):
    assert "V11" in refused(region, category="spravka")


def test_v12_ege_participant_is_not_registered_in_a_school(region):
    assert "V12" in refused(region, category="vpl", grade=None)


def test_v14_registration_after_d_minus_14(region):
    assert "V14" in refused(region, today=date(2026, 11, 25))


def test_v18_exam_at_home_needs_conclusion_and_pmpk(region):
    assert refused(region, personal={"health_category": "ovz"}, conditions={"at_home"}, documents={"pmpk"}) == ["V18"]


def test_v19_oral_form_needs_medical_indications(region):
    assert refused(region, personal={"health_category": "ovz"}, conditions={"oral_form"}, documents={"pmpk"}) == ["V19"]


def test_v07_ovz_needs_the_pmpk_recommendation(region):
    assert refused(region, personal={"health_category": "ovz"}) == ["V07"]


# ---------------------------------------------------------------- the list upload (HTTP)


def list_row(region, n, **over):
    values = {
        "Фамилия": "Орлов",
        "Имя": "Петр",
        "Отчество": "Ильич",
        "Пол": "м",
        "Дата рождения": "12.05.2009",
        "Гражданство": "Российская Федерация",
        "Вид документа": "Паспорт гражданина РФ",
        "Серия": "4511",
        "Номер": f"{200000 + n}",
        "Код ОО": region.school1.code,
        "Класс": "11А",
        "Категория участника": "обучающийся XI–XII класса",
        "Форма": "сочинение",
        "С Памяткой ознакомлен(а)": "да",
    }
    values.update(over)
    return values


def upload(client, session, rows, header=None):
    header = header or HEADER
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append([r.get(h, "") for h in header])
    out = io.BytesIO()
    wb.save(out)
    response = client.post(
        f"/sessions/{session.pk}/import/",
        {"file": SimpleUploadedFile("list.xlsx", out.getvalue()), "consent_on": "2026-11-01"},
        follow=True,  # to the import job's page
    )
    return html.unescape(response.content.decode())


def test_v06_the_list_upload_reads_the_pamyatka_from_the_file(login, region):
    """The upload once set «Памятка» true for every row; now «нет» or an empty cell refuses the row (V06),
    and a file without the column is refused as a whole."""
    session = open_session(region)
    client = login("school")
    text = upload(
        client,
        session,
        [
            list_row(region, 1),
            list_row(region, 2, **{"С Памяткой ознакомлен(а)": "нет"}),
            list_row(region, 3, **{"С Памяткой ознакомлен(а)": ""}),
        ],
    )
    assert "Строка 3, столбец «С Памяткой ознакомлен(а)»: Не подтверждено ознакомление с Памяткой" in text
    assert "Строка 4, столбец «С Памяткой ознакомлен(а)»" in text and "[V06]" in text
    assert Application.objects.count() == 0, "all or nothing"
    text = upload(client, session, [list_row(region, 1)], header=[h for h in HEADER if h != "С Памяткой ознакомлен(а)"])
    assert "столбец «С Памяткой ознакомлен(а)»: столбец отсутствует" in text
    assert Application.objects.count() == 0
    upload(client, session, [list_row(region, 1)])
    assert Application.objects.get().pamyatka_ack is True


def test_v09_v10_the_list_upload_records_school_type_home_schooling_and_documents(login, region):
    session = open_session(region)
    client = login("school")
    home = {"Форма": "изложение", "Обучение на дому": "да"}
    suvu = {"Форма": "изложение", "Тип ОО": "СУВУ(ЗТ)"}
    text = upload(client, session, [list_row(region, 1, **home), list_row(region, 2, **suvu)])
    assert "Строка 2, столбец «Предъявленные документы»: Отсутствует заключение медицинской организации" in text
    assert "[V09]" in text and "[V10]" in text and "[V01]" not in text
    assert Application.objects.count() == 0
    text = upload(
        client,
        session,
        [
            list_row(region, 1, **home, **{"Предъявленные документы": "заключение медицинской организации"}),
            list_row(region, 2, **suvu, **{"Предъявленные документы": "копия заявления; копия приказа о зачислении"}),
            list_row(
                region,
                3,
                Форма="изложение",
                **{
                    "Тип ОО": "учреждение, исполняющее наказание",
                    "Предъявленные документы": "копия заявления; приказ о зачислении",
                },
            ),
        ],
    )
    assert "Загружено заявлений: 3" in text
    apps = {a.participant.document_number: a for a in Application.objects.select_related("participant")}
    assert (apps["200001"].form, apps["200001"].home_schooling_health) == ("exposition", True)
    assert (apps["200002"].school_type, apps["200003"].school_type) == ("suvu_closed", "penal")
    assert set(
        SupportingDocument.objects.filter(participant__document_number="200002").values_list("kind", flat=True)
    ) == {"application_copy", "enrolment_order"}


def test_list_upload_refuses_unknown_school_type_and_documents(login, region):
    text = upload(
        login("school"),
        open_session(region),
        [list_row(region, 1, **{"Тип ОО": "гимназия-интернат", "Предъявленные документы": "аттестат"})],
    )
    assert "неизвестный тип ОО «гимназия-интернат»" in text and "неизвестный документ «аттестат»" in text
    assert Application.objects.count() == 0


def test_v13_v15_the_list_upload_refuses_a_missing_date_and_a_column_outside_the_consent(login, region):
    session = open_session(region)
    client = login("school")
    text = upload(
        client,
        session,
        [list_row(region, 1, **{"Категория участника": "выпускник прошлых лет", "Код ОО": "", "Класс": ""})],
    )
    assert "дату участия из числа установленных расписанием (п. 5.5)" in text
    text = upload(client, session, [{**list_row(region, 1), "Адрес": "ул. Красная, 1"}], header=HEADER + ["Адрес"])
    assert "не входит в перечень персональных данных, на обработку которых дано согласие" in text
    assert Application.objects.count() == 0


# ---------------------------------------------------------------- V16: processing after the revocation


def revoked(region):
    app = registered_application(region)
    revoke_consent(app.participant.consents.get(), date(2026, 11, 20), "заявление от 20.11.2026")
    app.refresh_from_db()
    return app


def test_v16_registration_with_the_revoked_consent_is_refused(region):
    app = revoked(region)
    additional = ensure_sessions(region.ministry, "2026/27")[2]
    reg = student_registration(region.school1b, category="extern", grade=None)  # same document, another place
    result = register(reg, additional, region.school1b, today=date(2027, 3, 1))
    assert "V16" in codes(result) and "отозвано 20.11.2026" in result.violations[codes(result).index("V16")].message
    assert Application.objects.exclude(pk=app.pk).count() == 0
    reg.consent_signed_on = date(2027, 2, 1)  # a new consent after the revocation: processing is lawful again
    assert "V16" not in codes(register(reg, additional, region.school1b, today=date(2027, 3, 1)))


def test_v16_no_pdf_export_and_no_new_code_after_the_revocation(login, region):
    app = revoked(region)
    client = login("school")
    response = client.get(f"/applications/{app.pk}/form.pdf", follow=True)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Согласие на обработку персональных данных отозвано 20.11.2026" in html.unescape(response.content.decode())
    response = client.post(
        f"/applications/{app.pk}/action/", {"action": "void", "code": "1", "reason": "x"}, follow=True
    )
    assert "отозвано 20.11.2026; обработка невозможна" in html.unescape(response.content.decode())


def test_v16_the_list_export_leaves_out_revoked_participants(login, region):
    app = revoked(region)
    other = register(
        student_registration(region.school1, personal={"document_number": "555555", "last_name": "Сидорова"}),
        app.session,
        region.school1,
        today=TODAY,
    ).application
    response = login("school").get(f"/sessions/{app.session.pk}/?export=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    numbers = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert numbers == [other.registration_number]


def test_v16_seating_leaves_out_revoked_participants(region):
    from tests.exams.test_seating_db import staff_venue

    app = revoked(region)
    # Even an application left registered (e.g. entered before the revocation by another path) is not seated.
    Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.REGISTERED)
    other = register(
        student_registration(region.school1, personal={"document_number": "555555"}),
        app.session,
        region.school1,
        today=TODAY,
    ).application
    staff_venue(app.session, region.school1)
    seat_session(app.session, seed=5)
    assert list(Seat.objects.values_list("application_id", flat=True)) == [other.pk]


def test_v16_no_readmission_after_the_revocation(region):
    """п. 10 re-admission creates a new application: not for a participant whose consent is revoked."""
    from datetime import timedelta

    from itog.conduct import services as S
    from itog.exams.models import ExamSession
    from tests.conduct.fixtures import finished_session

    main = finished_session(region, fail_rate=0.4)
    app = next(a for a, d in S.readmission_list(region.user("school"), main) if d.eligible)
    revoke_consent(
        app.participant.consents.filter(status="active").first(),
        main.date + timedelta(days=3),
        "заявление об отзыве согласия",
    )
    additional = ExamSession.objects.get(
        region=main.region, academic_year=main.academic_year, stage="additional", date__month=2
    )
    with pytest.raises(S.Refused) as exc:
        S.readmit(region.user("school"), main, additional, [app.pk], today=additional.date - timedelta(days=20))
    assert [v.code for v in exc.value.violations] == ["V16"]
    assert not Application.objects.filter(session=additional).exists()


# ---------------------------------------------------------------- V72: familiarization under signature (п. 11)


def test_v72_familiarization_is_recorded_the_day_after_the_results_under_signature(login, region):
    from datetime import timedelta

    from itog.conduct.models import Work
    from tests.conduct.fixtures import finished_session

    session = finished_session(region)
    app = (
        Work.objects.filter(session=session, application__participant__registration_org=region.school1)
        .select_related("application")
        .first()
        .application
    )
    client = login("school")
    assert "Ознакомление с результатом (п. 11)" in html.unescape(
        client.get(f"/applications/{app.pk}/").content.decode()
    )
    url = f"/applications/{app.pk}/action/"
    day = session.results_date
    assert day == timezone_date(session.published_at) + timedelta(days=1)

    def post(**data):
        return html.unescape(client.post(url, {"action": "familiarized", **data}, follow=True).content.decode())

    text = post(on=(day + timedelta(days=3)).isoformat(), signed="on")
    assert "[V72]" in text and "на следующий день после получения результатов" in text
    assert "[V72]" in post(on=day.isoformat())  # no signature
    app.refresh_from_db()
    assert app.familiarized_on is None
    assert "Ознакомление с результатом под подпись отмечено" in post(on=day.isoformat(), signed="on")
    app.refresh_from_db()
    assert app.familiarized_on == day
    assert app.history.first().history_user == region.user("school")


def timezone_date(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def test_v16_the_list_upload_refuses_a_person_whose_consent_was_revoked(login, region):
    app = revoked(region)  # document 4509 123456, revoked 20.11.2026
    p = app.participant
    row = list_row(region, 1, Фамилия=p.last_name, Имя=p.first_name, Серия=p.document_series, Номер=p.document_number)
    text = upload(login("school"), open_session(region), [row])
    assert "Согласие на обработку персональных данных отозвано 20.11.2026; обработка невозможна. [V16]" in text
    assert Application.objects.count() == 1
