"""Essay rules: participants, applications, documents, special conditions, the consent
(section A of the analysis; п. 2, 3.2, 3.3, 4.4, 5, 7.5, 7.11.1(2), 7.11.5 and приложения 1–3)."""

from __future__ import annotations

from datetime import date

import pytest

from itog.exams.kinds.base import (
    ApplicationData,
    ApplicationForm,
    Category,
    DocumentKind,
    ExamForm,
    OrgKind,
    RegistrationPlaceKind,
    SchoolType,
    SessionDate,
    SessionKind,
    SpecialCondition,
)
from itog.exams.kinds.essay import procedure as essay

MAIN = SessionDate(SessionKind.MAIN, date(2023, 12, 6))
FEB = SessionDate(SessionKind.ADDITIONAL, date(2024, 2, 7))

PLACE = {
    Category.STUDENT: RegistrationPlaceKind.OWN_OO,
    Category.EXTERN: RegistrationPlaceKind.CHOSEN_OO,
    Category.SPRAVKA: RegistrationPlaceKind.REINSTATEMENT_OO,
    Category.VPL: RegistrationPlaceKind.MINISTRY_PLACE,
    Category.SPO: RegistrationPlaceKind.MINISTRY_PLACE,
    Category.FOREIGN: RegistrationPlaceKind.MINISTRY_PLACE,
}
EGE = [Category.VPL, Category.SPO, Category.FOREIGN]


def app(category: Category | str = Category.STUDENT, **kw) -> ApplicationData:
    """A complete, valid application of the category for the main date of 2023/24."""
    category = Category(category)
    base = dict(
        category=category,
        consent_present=True,
        pamyatka_ack=True,
        registration_place=PLACE[category],
        registration_date=date(2023, 11, 1),
        application_form=essay.application_form_for(category),
    )
    if category in (Category.STUDENT, Category.EXTERN):
        base["grade"] = 11
    if category in EGE:
        base["chosen_date"] = MAIN.date
    if category == Category.SPRAVKA:
        base["documents"] = {DocumentKind.SPRAVKA}
    base.update(kw)
    return ApplicationData(**base)


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def only(violations, code):
    found = [v for v in violations if v.code == code]
    assert len(found) == 1, codes(violations)
    return found[0]


# ---------------------------------------------------------------- complete applications pass


@pytest.mark.parametrize("category", list(Category))
def test_valid_application_of_every_category_has_no_violations(category):
    assert essay.check_application(app(category), MAIN) == []


# ---------------------------------------------------------------- A1–A3: categories and groups


@pytest.mark.parametrize("category", [Category.STUDENT, Category.EXTERN])
def test_p_2_1_a1_students_and_externs_are_obuchayushchiesya(category):
    assert essay.category_group(category) == essay.GROUP_OBUCH
    assert essay.exam_purpose(category) == "условие допуска к ГИА"


@pytest.mark.parametrize("category", EGE)
def test_p_2_2_a2_ege_participants(category):
    assert essay.category_group(category) == essay.GROUP_EGE
    assert "бакалавриата и специалитета" in essay.exam_purpose(category)


def test_p_2_2_a3_spravka_is_neither_group():
    assert essay.category_group("spravka") == essay.GROUP_SPRAVKA
    assert Category.SPRAVKA not in essay.EGE_PARTICIPANTS | essay.OBUCHAYUSHCHIESYA


# ---------------------------------------------------------------- A4–A7: who may write the exposition


@pytest.mark.parametrize("category", [*EGE, Category.SPRAVKA])
def test_p_2_2_5_2_a4_ege_and_spravka_essay_only_v02(category):
    v = only(
        essay.check_application(
            app(category, exam_form=ExamForm.EXPOSITION, ovz=True, documents={"pmpk", "spravka"}), MAIN
        ),
        "V02",
    )
    assert (v.item, v.field) == ("пп. 2.2, 5.2", "exam_form")
    assert v.message == (
        "Участники ЕГЭ и лица со справкой об обучении вправе писать только итоговое сочинение (пп. 2.2, 5.2)."
    )
    assert "V01" not in codes(essay.check_application(app(category, exam_form="exposition"), MAIN))
    assert essay.allowed_forms(app(category, ovz=True)) == {ExamForm.ESSAY}


@pytest.mark.parametrize("category", [Category.STUDENT, Category.EXTERN])
@pytest.mark.parametrize("flag, doc", [("ovz", "pmpk"), ("child_disabled", "disability"), ("disabled", "disability")])
def test_p_2_3_a5_exposition_for_ovz_and_disabled_students_and_externs(category, flag, doc):
    a = app(category, exam_form="exposition", documents={doc}, **{flag: True})
    assert essay.check_application(a, MAIN) == []
    assert essay.exposition_grounds(a) == ("A5",)
    assert ExamForm.EXPOSITION in essay.allowed_forms(a)


@pytest.mark.parametrize("school_type", [SchoolType.SUVU_CLOSED, SchoolType.PENAL])
def test_p_2_3_a6_exposition_in_suvu_and_penal_institutions(school_type):
    a = app(exam_form="exposition", school_type=school_type, documents={"application_copy", "enrolment_order"})
    assert essay.check_application(a, MAIN) == []
    assert essay.exposition_grounds(a) == ("A6",)


@pytest.mark.parametrize("kw", [{"home_schooling_health": True}, {"school_type": SchoolType.SANATORIUM}])
def test_p_2_3_a7_exposition_at_home_or_sanatorium_with_medical_conclusion(kw):
    a = app(exam_form="exposition", documents={"med_conclusion"}, **kw)
    assert essay.check_application(a, MAIN) == []
    assert essay.exposition_grounds(a) == ("A7",)
    assert essay.required_documents(a) == {DocumentKind.MED_CONCLUSION}


@pytest.mark.parametrize("kw", [{"home_schooling_health": True}, {"school_type": SchoolType.SANATORIUM}])
def test_p_2_3_a7_without_medical_conclusion_v09(kw):
    v = only(essay.check_application(app(exam_form="exposition", **kw), MAIN), "V09")
    assert (v.item, v.field) == ("п. 2.3", "documents")
    assert v.message == (
        "Отсутствует заключение медицинской организации, являющееся основанием для права на изложение (п. 2.3)."
    )
    assert essay.allowed_forms(app(**kw)) == {ExamForm.ESSAY}


def test_p_2_3_a7_medical_conclusion_not_needed_with_another_ground():
    a = app(exam_form="exposition", home_schooling_health=True, ovz=True, documents={"pmpk"})
    assert essay.check_application(a, MAIN) == []
    assert DocumentKind.MED_CONCLUSION not in essay.required_documents(a)


def test_p_2_3_exposition_without_any_ground_v01():
    v = only(essay.check_application(app(exam_form=ExamForm.EXPOSITION), MAIN), "V01")
    assert (v.code, v.item, v.field) == ("V01", "п. 2.3", "exam_form")
    assert v.message == (
        "Участник не относится к категориям, которым предоставлено право писать изложение "
        "(п. 2.3 Порядка). Выберите итоговое сочинение."
    )


# ---------------------------------------------------------------- A8: X-graders


def test_p_2_4_a8_grade_10_does_not_take_part_v03():
    a = app(grade=10)
    v = only(essay.check_application(a, MAIN), "V03")
    assert (v.item, v.field) == ("п. 2.4", "grade")
    assert v.message == (
        "Обучающиеся X классов, участвующие в экзаменах по отдельным учебным предметам, "
        "не участвуют в итоговом сочинении (изложении) (п. 2.4)."
    )
    assert essay.allowed_forms(a) == frozenset()
    assert essay.allowed_forms(app(grade=12)) == {ExamForm.ESSAY}


# ---------------------------------------------------------------- A9–A14: where and by whom


@pytest.mark.parametrize("category, place", list(PLACE.items()))
def test_p_5_1_a9_a12_registration_place_by_category(category, place):
    assert essay.registration_place_kind(category) == place


@pytest.mark.parametrize(
    "category, wrong, text",
    [
        (
            Category.VPL,
            RegistrationPlaceKind.OWN_OO,
            "Участники ЕГЭ регистрируются только в местах регистрации, определенных министерством (п. 5.1).",
        ),
        (Category.STUDENT, RegistrationPlaceKind.MINISTRY_PLACE, "Обучающиеся регистрируются в своей ОО (п. 5.1)."),
        (
            Category.EXTERN,
            RegistrationPlaceKind.MINISTRY_PLACE,
            "Экстерны регистрируются в ОО, выбранной ими для прохождения ГИА (п. 5.1).",
        ),
        (
            Category.SPRAVKA,
            RegistrationPlaceKind.OWN_OO,
            "Лица со справкой об обучении регистрируются в ОО, в которой они восстанавливаются на срок, необходимый "
            "для прохождения ГИА (п. 5.1).",
        ),
    ],
)
def test_p_5_1_a9_a12_wrong_registration_place_v12(category, wrong, text):
    v = only(essay.check_application(app(category, registration_place=wrong), MAIN), "V12")
    assert (v.item, v.field, v.message) == ("п. 5.1", "registration_place", text)


@pytest.mark.parametrize(
    "category, org",
    [
        (Category.STUDENT, OrgKind.OO),
        (Category.EXTERN, OrgKind.OO),
        (Category.SPRAVKA, OrgKind.OO),
        (Category.VPL, OrgKind.MOUO),
        (Category.SPO, OrgKind.MOUO),
        (Category.FOREIGN, OrgKind.MOUO),
    ],
)
def test_p_3_2_3_3_a13_a14_l12_who_registers(category, org):
    assert essay.registering_org_kind(category) == org


# ---------------------------------------------------------------- A15: the date an ЕГЭ participant chooses


@pytest.mark.parametrize("chosen", [None, date(2023, 12, 13)])
def test_p_5_5_a15_ege_chosen_date_missing_or_off_schedule_v13(chosen):
    v = only(essay.check_application(app("vpl", chosen_date=chosen), MAIN), "V13")
    assert (v.item, v.field) == ("п. 5.5", "chosen_date")
    assert v.message == (
        "Участник ЕГЭ должен указать в заявлении дату участия из числа установленных расписанием (п. 5.5)."
    )


def test_p_5_5_a15_ege_may_choose_an_additional_date():
    assert essay.check_application(app("spo", chosen_date=FEB.date), FEB) == []


def test_p_5_5_a15_application_belongs_to_the_chosen_session_x03():
    v = only(essay.check_application(app("foreign", chosen_date=FEB.date), MAIN), "X03")
    assert v.message == (
        "Дата участия, указанная в заявлении (07.02.2024), не совпадает с датой проведения 06.12.2023 (п. 5.5)."
    )


def test_p_5_5_a15_moved_session_is_a_valid_choice():
    moved = SessionDate(SessionKind.MAIN, date(2023, 12, 13), override_reason="федеральное расписание")
    assert essay.check_application(app("vpl", chosen_date=moved.date, registration_date=date(2023, 11, 1)), moved) == []


def test_p_5_5_a15_students_do_not_choose_a_date():
    assert essay.check_application(app(chosen_date=None), MAIN) == []
    assert essay.check_application(app("spravka", chosen_date=None), MAIN) == []


def test_p_4_1_application_for_a_session_off_the_rule_v21():
    bad = SessionDate(SessionKind.MAIN, date(2023, 12, 13))
    assert "V21" in codes(essay.check_application(app(), bad))


# ---------------------------------------------------------------- A17, A18: form 1 or form 2


@pytest.mark.parametrize(
    "category, form",
    [
        (Category.STUDENT, ApplicationForm.APP1),
        (Category.EXTERN, ApplicationForm.APP1),
        *[(c, ApplicationForm.APP2) for c in EGE],
        (Category.SPRAVKA, ApplicationForm.APP2),
    ],
)
def test_p_5_2_a17_a18_l11_application_form_by_category(category, form):
    assert essay.application_form_for(category) == form


def test_p_5_2_a18_wrong_form_v04():
    v = only(essay.check_application(app("vpl", application_form="app1"), MAIN), "V04")
    assert (v.item, v.field) == ("п. 5.2", "application_form")
    assert v.message == "Для категории «выпускник прошлых лет» заявление подается по форме приложения 2 (п. 5.2)."


def test_p_5_2_a17_wrong_form_v04_for_an_extern():
    v = only(essay.check_application(app("extern", application_form=ApplicationForm.APP2), MAIN), "V04")
    assert v.message == "Для категории «экстерн» заявление подается по форме приложения 1 (п. 5.2)."


def test_p_5_2_form_left_to_the_rules_is_not_checked():
    assert essay.check_application(app("vpl", application_form=None), MAIN) == []


# ---------------------------------------------------------------- A24, A25: consent and the Памятка


def test_p_5_2_a24_consent_required_v05():
    v = only(essay.check_application(app(consent_present=False), MAIN), "V05")
    assert (v.item, v.field) == ("п. 5.2", "consent")
    assert v.message == (
        "Не приложено согласие на обработку персональных данных (приложение 3). Регистрация заявления невозможна."
    )


def test_form_tail_a25_pamyatka_acknowledgement_v06():
    v = only(essay.check_application(app(pamyatka_ack=False), MAIN), "V06")
    assert (v.item, v.field) == ("приложения 1, 2", "pamyatka_ack")
    assert v.message == (
        "Не подтверждено ознакомление с Памяткой о порядке проведения итогового сочинения (изложения)."
    )


# ---------------------------------------------------------------- A19–A23: documents


@pytest.mark.parametrize("category", [Category.STUDENT, Category.EXTERN, *EGE])
def test_p_5_3_a19_ovz_needs_pmpk_v07(category):
    v = only(essay.check_application(app(category, ovz=True), MAIN), "V07")
    assert (v.item, v.field) == ("п. 5.3", "documents")
    assert v.message == (
        "Для участника с ОВЗ необходимо предъявить оригинал или надлежащим образом заверенную "
        "копию рекомендаций ПМПК (п. 5.3)."
    )
    assert essay.check_application(app(category, ovz=True, documents={"pmpk", "spravka"}), MAIN) == []


@pytest.mark.parametrize("flag", ["child_disabled", "disabled"])
def test_p_5_3_a20_disability_needs_certificate_v08(flag):
    v = only(essay.check_application(app("vpl", **{flag: True}), MAIN), "V08")
    assert v.message == (
        "Для ребенка-инвалида/инвалида необходимо предъявить оригинал или заверенную копию "
        "справки, подтверждающей инвалидность (п. 5.3)."
    )
    assert essay.check_application(app("vpl", documents={"disability"}, **{flag: True}), MAIN) == []


def test_p_5_3_spravka_health_documents_decision():
    """п. 5.3 omits «лица со справкой»; SPRAVKA_HEALTH_DOCUMENTS_REQUIRED requires the same documents."""
    assert essay.SPRAVKA_HEALTH_DOCUMENTS_REQUIRED is True
    assert codes(essay.check_application(app("spravka", ovz=True, disabled=True), MAIN)) == ["V07", "V08"]


@pytest.mark.parametrize("school_type", [SchoolType.SUVU_CLOSED, SchoolType.PENAL])
def test_p_5_4_a21_suvu_and_penal_need_application_and_enrolment_copies_v10(school_type):
    v = only(essay.check_application(app(school_type=school_type, documents={"application_copy"}), MAIN), "V10")
    assert (v.item, v.field) == ("п. 5.4", "documents")
    assert v.message == (
        "Для обучающихся СУВУЗТ/учреждений, исполняющих наказание, необходимы копия заявления "
        "и копия приказа о зачислении в ОО (п. 5.4)."
    )
    assert essay.required_documents(app(school_type=school_type)) == {
        DocumentKind.APPLICATION_COPY,
        DocumentKind.ENROLMENT_ORDER,
    }


def test_p_5_1_a11_spravka_needs_the_certificate_v11():
    v = only(essay.check_application(app("spravka", documents=set()), MAIN), "V11")
    assert (v.item, v.field) == ("п. 5.1", "documents")
    assert v.message == "Лицо со справкой об обучении предъявляет справку при подаче заявления (п. 5.1)."


def test_p_7_5_1_a22_at_home_needs_medical_conclusion_and_pmpk_v18():
    a = app(disabled=True, documents={"disability", "pmpk"}, special_conditions={SpecialCondition.AT_HOME})
    v = only(essay.check_application(a, MAIN), "V18")
    assert (v.item, v.field) == ("п. 7.5.1", "documents")
    assert v.message == (
        "Для проведения на дому требуются заключение медицинской организации и рекомендации ПМПК (п. 7.5.1)."
    )
    ok = app(disabled=True, documents={"disability", "pmpk", "med_conclusion"}, special_conditions={"at_home"})
    assert essay.check_application(ok, MAIN) == []
    assert essay.required_documents(ok) == {DocumentKind.DISABILITY, DocumentKind.PMPK, DocumentKind.MED_CONCLUSION}


def test_p_7_5_1_at_home_only_for_health_grounds_x01():
    a = app(documents={"pmpk", "med_conclusion"}, special_conditions={"at_home"})
    v = only(essay.check_application(a, MAIN), "X01")
    assert v.item == "п. 7.5.1"
    assert v.message == (
        "Условие «проведение на дому» предусмотрено только для участников с ОВЗ, "
        "детей-инвалидов и инвалидов (п. 7.5.1)."
    )


V19_TEXT = (
    "Устная форма допускается только для участников с ОВЗ, детей-инвалидов и инвалидов по их желанию и "
    "при наличии медицинских показаний (п. 7.5.2)."
)


@pytest.mark.parametrize(
    "kw",
    [
        {"medical_indications": True},  # no health grounds
        {"ovz": True, "documents": {"pmpk"}},  # no medical indications
    ],
)
def test_p_7_5_2_a23_oral_form_v19(kw):
    v = only(essay.check_application(app(special_conditions={"oral_form"}, **kw), MAIN), "V19")
    assert (v.item, v.message) == ("п. 7.5.2", V19_TEXT)


def test_p_7_5_2_a23_oral_form_allowed_on_request_with_indications():
    a = app(ovz=True, documents={"pmpk"}, medical_indications=True, special_conditions={"oral_form"})
    assert essay.check_application(a, MAIN) == []


# ---------------------------------------------------------------- A30–A32: special conditions


def test_p_4_4_a31_extra_time_only_for_health_grounds_v17():
    v = only(essay.check_application(app("vpl", special_conditions={"extra_time"}), MAIN), "V17")
    assert (v.item, v.field) == ("п. 4.4", "special_conditions")
    assert v.message == (
        "Увеличение продолжительности на 1,5 часа предусмотрено только для участников с ОВЗ, "
        "детей-инвалидов и инвалидов (п. 4.4)."
    )
    ok = app("vpl", child_disabled=True, documents={"disability"}, special_conditions={"extra_time"})
    assert essay.check_application(ok, MAIN) == []
    assert essay.duration_minutes(ok) == 325


@pytest.mark.parametrize(
    "condition, ref, label",
    [
        (SpecialCondition.ENLARGED_BLANKS, "п. 4.3", "бланки увеличенного размера"),
        (SpecialCondition.SPECIAL_NOTEBOOK, "п. 4.3", "специально предусмотренные тетради (для слепых и слабовидящих)"),
        (SpecialCondition.COMPUTER, "п. 4.3", "выполнение на компьютере"),
        (SpecialCondition.SPECIAL_TECH, "п. 7.11.6", "специальные технические средства"),
    ],
)
def test_p_4_3_a32_other_conditions_only_for_health_grounds_x01(condition, ref, label):
    v = only(essay.check_application(app(special_conditions={condition}), MAIN), "X01")
    assert (v.item, v.field) == (ref, "special_conditions")
    assert v.message == (
        f"Условие «{label}» предусмотрено только для участников с ОВЗ, детей-инвалидов и инвалидов ({ref})."
    )
    assert (
        essay.check_application(app(disabled=True, documents={"disability"}, special_conditions={condition}), MAIN)
        == []
    )


def test_p_7_11_5_assistant_only_for_ovz_v52():
    v = only(
        essay.check_application(app(disabled=True, documents={"disability"}, special_conditions={"assistant"}), MAIN),
        "V52",
    )
    assert (v.item, v.message) == ("п. 7.11.5", "Ассистент назначается для участников с ОВЗ (п. 7.11.5).")
    assert essay.check_application(app(ovz=True, documents={"pmpk"}, special_conditions={"assistant"}), MAIN) == []


def test_p_7_11_1_l16_reading_40_minutes_only_for_the_exposition_x02():
    v = only(
        essay.check_application(app(ovz=True, documents={"pmpk"}, special_conditions={"reading_40min"}), MAIN), "X02"
    )
    assert v.message == (
        "Выдача текста для чтения на 40 минут предусмотрена только для участников итогового изложения (п. 7.11.1)."
    )
    reader = app(ovz=True, documents={"pmpk"}, exam_form="exposition", special_conditions={"reading_40min"})
    assert essay.check_application(reader, MAIN) == []


def test_a30_allowed_special_conditions():
    assert essay.allowed_special_conditions(app()) == frozenset()
    assert essay.allowed_special_conditions(app(exam_form="exposition")) == {SpecialCondition.READING_40MIN}
    health = essay.allowed_special_conditions(app(disabled=True))
    assert health == set(essay.HEALTH_CONDITIONS)
    assert SpecialCondition.ASSISTANT not in health
    assert SpecialCondition.ASSISTANT in essay.allowed_special_conditions(app(ovz=True))


def test_a32_other_conditions_free_text_is_kept_not_checked():
    assert essay.check_application(app(ovz=True, documents={"pmpk"}, other_conditions="пандус"), MAIN) == []


# ---------------------------------------------------------------- A26–A28: registration in time


def test_p_3_3_a26_student_registered_after_d14_v14():
    v = only(essay.check_application(app(registration_date=date(2023, 11, 23)), MAIN), "V14")
    assert (v.item, v.field) == ("п. 3.3", "registration_date")
    assert v.message == (
        "Сведения о зарегистрированных участниках должны быть переданы в МОУО не позднее "
        "22.11.2023 (за две недели до даты проведения, пп. 3.2, 3.3)."
    )


def test_p_3_2_a27_ege_registered_after_d14_v14():
    v = only(essay.check_application(app("vpl", chosen_date=FEB.date, registration_date=date(2024, 1, 25)), FEB), "V14")
    assert v.item == "п. 3.2"
    assert v.message == (
        "Сведения о зарегистрированных участниках должны быть переданы в РЦОИ не позднее "
        "24.01.2024 (за две недели до даты проведения, пп. 3.2, 3.3)."
    )


def test_a28_l9_registered_on_d14_is_in_time():
    assert essay.check_application(app(registration_date=date(2023, 11, 22)), MAIN) == []


# ---------------------------------------------------------------- A33–A43: the consent (приложение 3)


def test_annex_3_a37_personal_data_whitelist_v15():
    fields = {"last_name", "first_name", "middle_name", "birth_date", "snils", "document_number", "email"}
    v = only(essay.check_application(app(personal_data_fields=fields), MAIN), "V15")
    assert (v.item, v.field) == ("приложение 3", "email")
    assert v.message == (
        "Поле «email» не входит в перечень персональных данных, на обработку которых дано согласие (приложение 3)."
    )


def test_annex_3_a37_field_labels_and_optional_fields():
    [v] = essay.check_personal_data_fields({"last_name": "фамилия", "photo": "фотография"})
    assert v.message == (
        "Поле «фотография» не входит в перечень персональных данных, на обработку которых дано согласие (приложение 3)."
    )
    assert set(essay.CONSENT_PD_FIELDS) >= essay.CONSENT_OPTIONAL_PD_FIELDS
    assert {"middle_name", "phone", "snils"} <= essay.CONSENT_OPTIONAL_PD_FIELDS
    assert essay.check_personal_data_fields(essay.CONSENT_PD_FIELDS) == []


def test_annex_3_a33_a36_a43_consent_form_fields_are_outside_the_participant_record():
    """The registration address and passport details live on the consent, not in the record."""
    assert not set(essay.CONSENT_FORM_FIELDS) & set(essay.CONSENT_PD_FIELDS)
    assert codes(essay.check_personal_data_fields({"registration_address"})) == ["V15"]


def test_annex_3_a42_revoked_consent_v16():
    v = only(essay.check_application(app(consent_revoked_on=date(2023, 11, 20)), MAIN), "V16")
    assert (v.item, v.field) == ("приложение 3", "consent")
    assert v.message == "Согласие на обработку персональных данных отозвано 20.11.2023; обработка невозможна."
    assert "V05" not in codes(essay.check_application(app(consent_revoked_on=date(2023, 11, 20)), MAIN))


def test_annex_3_a38_a40_purposes_third_parties_modes():
    assert len(essay.CONSENT_PURPOSES) == 3
    assert essay.CONSENT_THIRD_PARTIES == ("оператор ФИС", "оператор РИС")
    assert essay.CONSENT_MODES == ("неавтоматизированный", "автоматизированный")


def test_annex_3_a41_consent_valid_until_the_later_date():
    assert essay.consent_valid_until(date(2024, 6, 30), date(2025, 3, 1)) == date(2025, 3, 1)
    assert essay.consent_valid_until(date(2025, 6, 30), date(2025, 3, 1)) == date(2025, 6, 30)


# ---------------------------------------------------------------- the whole application


def test_check_application_returns_all_violations_at_once():
    bad = ApplicationData(
        category="vpl",
        exam_form="exposition",
        application_form="app1",
        special_conditions={"extra_time", "oral_form"},
        registration_place="own_oo",
        registration_date=date(2023, 11, 30),
        personal_data_fields={"email"},
    )
    assert codes(essay.check_application(bad, MAIN)) == [
        "V02",
        "V04",
        "V05",
        "V06",
        "V17",
        "V19",
        "V12",
        "V13",
        "V14",
        "V15",
    ]
    assert all(v.is_error for v in essay.check_application(bad, MAIN))
    blocked = ApplicationData(category="student", grade=10, exam_form="exposition", ovz=True)
    assert codes(essay.check_application(blocked, MAIN)) == ["V03", "V05", "V06", "V07"]


def test_required_documents_of_a_plain_student_are_none():
    assert essay.required_documents(app()) == frozenset()
    assert essay.required_documents(app("spravka")) == {DocumentKind.SPRAVKA}
    assert essay.required_documents(app(ovz=True, child_disabled=True)) == {DocumentKind.PMPK, DocumentKind.DISABILITY}


def test_application_as_participant():
    a = app(
        participant_id="p1",
        full_name="Иванова Анна",
        school_id="s1",
        class_label="11А",
        ovz=True,
        exam_form="exposition",
        documents={"pmpk"},
        special_conditions={"extra_time", "reading_40min"},
    )
    p = essay.to_participant(a)
    assert (p.id, p.school_id, p.class_label, p.duration_min, p.reading_40min) == ("p1", "s1", "11А", 325, True)
    assert p.exam_form == ExamForm.EXPOSITION and p.health_grounds


@pytest.mark.parametrize("category", [Category.VPL, Category.SPO, Category.SPRAVKA])
def test_p_2_4_a8_grade_matters_only_for_obuchayushchiesya(category):
    assert "V03" not in codes(essay.check_application(app(category, grade=10), MAIN))
    assert "V03" in codes(essay.check_application(app(Category.EXTERN, grade=10), MAIN))
