"""Essay rules: the day before the exam — venue readiness, printing, seating
(B9–B10, B24, B26–B28, C28, C36, I1; п. 4.5, 4.6.1, 7.6, 7.7, 7.11.1(1)–(2), 7.11.4(1))."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from itog.exams.kinds.base import ParticipantRef, SeatingPlan, VenueData, VenueKind
from itog.exams.kinds.essay import procedure as essay

EXAM = date(2023, 12, 6)
D1 = date(2023, 12, 5)

READY = VenueData(
    "v1",
    kind=VenueKind.OO,
    school_id="s1",
    has_meal_room=True,
    meal_room_fridge=True,
    meal_room_kettle=True,
    meal_room_sanitary_ok=True,
    has_medical_room=True,
    has_participant_storage=True,
    has_staff_storage=True,
    head_room_safe=True,
)
REGULAR = ParticipantRef("p1", duration_min=235)
EXTENDED = ParticipantRef("p2", ovz=True, duration_min=325)

V20_TEXT = (
    "В месте проведения есть участники с продолжительностью 4 часа и более — необходимо помещение для "
    "питания и перерывов с холодильником и электрическим чайником (пп. 4.5, 4.6.1)."
)


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def test_ready_venue_has_no_violations():
    assert essay.check_venue_readiness(READY, [REGULAR, EXTENDED], EXAM, checked_on=D1) == []


# ---------------------------------------------------------------- B26: readiness check by D−1


@pytest.mark.parametrize("checked_on", [None, EXAM])
def test_p_7_11_1_b26_readiness_checked_by_d_minus_1_x05(checked_on):
    [v] = essay.check_venue_readiness(READY, [REGULAR], EXAM, checked_on=checked_on)
    assert (v.code, v.item, v.field) == ("X05", "п. 7.11.1", "checked_on")
    assert v.message == (
        "Готовность помещений и технических средств должна быть проверена не позднее чем за день "
        "до проведения (п. 7.11.1)."
    )
    assert essay.check_venue_readiness(READY, [REGULAR], EXAM, checked_on=date(2023, 12, 1)) == []


# ---------------------------------------------------------------- B9, B10: the meal room


@pytest.mark.parametrize("missing", ["has_meal_room", "meal_room_fridge", "meal_room_kettle", "meal_room_sanitary_ok"])
def test_p_4_5_4_6_1_b10_meal_room_for_participants_writing_4_hours_v20(missing):
    venue = replace(READY, **{missing: False})
    [v] = essay.check_venue_readiness(venue, [REGULAR, EXTENDED])
    assert (v.code, v.item, v.field) == ("V20", "пп. 4.5, 4.6.1", "meal_room")
    assert v.message == V20_TEXT


def test_p_4_5_b9_no_meal_room_needed_for_235_minutes():
    assert essay.check_venue_readiness(replace(READY, has_meal_room=False), [REGULAR]) == []


# ---------------------------------------------------------------- C28, C36, I1: other rooms


def test_p_7_7_c28_medical_room_x06():
    [v] = essay.check_venue_readiness(replace(READY, has_medical_room=False), [REGULAR])
    assert (v.code, v.item) == ("X06", "п. 7.7")
    assert v.message == (
        "В месте проведения должно быть выделено помещение для медицинских работников в "
        "непосредственной близости к аудиториям (п. 7.7)."
    )


def test_p_7_6_c36_belongings_storage_x07():
    out = essay.check_venue_readiness(replace(READY, has_participant_storage=False, has_staff_storage=False), [REGULAR])
    assert [(v.code, v.field) for v in out] == [("X07", "participant_storage"), ("X07", "staff_storage")]
    assert out[0].message == (
        "До входа в место проведения должны быть выделены места для хранения личных вещей участников (п. 7.6)."
    )
    assert out[1].message == (
        "До входа в место проведения должны быть выделены места для хранения личных вещей "
        "членов комиссии по проведению, медицинских работников, независимых наблюдателей и "
        "представителей средств массовой информации (п. 7.6)."
    )


def test_p_7_11_1_i1_safe_in_the_heads_room_x08():
    [v] = essay.check_venue_readiness(replace(READY, head_room_safe=False), [REGULAR])
    assert (v.code, v.message) == (
        "X08",
        "Бланки и отчетные формы хранятся в сейфе в кабинете руководителя комиссии по проведению (п. 7.11.1).",
    )


def test_p_7_5_1_exam_at_home_needs_no_rooms():
    home = VenueData("home-p2", kind=VenueKind.HOME)
    assert essay.check_venue_readiness(home, [EXTENDED], EXAM, checked_on=D1) == []
    assert codes(essay.check_venue_readiness(home, [EXTENDED], EXAM)) == ["X05"]


def test_bare_oo_venue_lists_everything_missing():
    bare = VenueData("v0")
    assert codes(essay.check_venue_readiness(bare, [EXTENDED], EXAM)) == ["X05", "V20", "X06", "X07", "X07", "X08"]


# ---------------------------------------------------------------- B27: printing


def test_p_7_11_1_b27_blanks_printed_by_d_minus_1():
    assert essay.check_blank_printing(D1, EXAM) == []
    assert essay.check_blank_printing(date(2023, 12, 1), EXAM) == []


@pytest.mark.parametrize("printed_on", [None, EXAM])
def test_p_7_11_1_b27_late_printing_v31(printed_on):
    [v] = essay.check_blank_printing(printed_on, EXAM)
    assert (v.code, v.item, v.field) == ("V31", "п. 7.11.1", "printed_on")
    assert v.message == (
        "Бланки и отчетные формы должны быть распечатаны не позднее чем за день до проведения (п. 7.11.1)."
    )


def test_p_7_11_1_photocopying_blanks_forbidden_v32():
    [v] = essay.check_blank_printing(D1, EXAM, photocopied=True)
    assert (v.code, v.item) == ("V32", "п. 7.11.1")
    assert v.message == (
        "Копирование бланков при нехватке запрещено: бланки имеют уникальный код работы. "
        "Распечатайте дополнительные бланки в ПО РЦОИ (п. 7.11.1)."
    )


def test_p_7_11_4_printed_with_rcoi_software_x11():
    [v] = essay.check_blank_printing(D1, EXAM, via_rcoi_software=False)
    assert (v.code, v.item) == ("X11", "п. 7.11.4")
    assert v.message == (
        "Бланки и отчетные формы распечатываются только с использованием программного "
        "обеспечения, полученного из РЦОИ (п. 7.11.4)."
    )


# ---------------------------------------------------------------- B24, B28: seating


READER_1 = ParticipantRef("r1", exam_form="exposition", reading_40min=True)
READER_2 = ParticipantRef("r2", exam_form="exposition", reading_40min=True)
PEOPLE = [REGULAR, EXTENDED, READER_1, READER_2]
V33_TEXT = (
    "Распределение участников по аудиториям выполняется за один календарный день до проведения в "
    "произвольном порядке (п. 7.11.1)."
)


def test_p_7_11_1_b28_seating_on_d_minus_1_random():
    plan = SeatingPlan(D1, {"p1": "A", "p2": "A", "r1": "B", "r2": "B"}, random_seed="a1b2")
    assert essay.check_seating(plan, EXAM, PEOPLE) == []


@pytest.mark.parametrize("done_on, seed", [(date(2023, 12, 4), 7), (EXAM, 7), (D1, None)])
def test_p_7_11_1_b28_seating_not_on_d_minus_1_or_not_random_v33(done_on, seed):
    plan = SeatingPlan(done_on, {"p1": "A"}, random_seed=seed)
    [v] = essay.check_seating(plan, EXAM, PEOPLE)
    assert (v.code, v.item, v.field, v.message) == ("V33", "п. 7.11.1", "seating", V33_TEXT)


def test_p_7_11_1_b24_reading_40min_participants_in_a_separate_room_v34():
    plan = SeatingPlan(D1, {"p1": "A", "r1": "A", "p2": "B", "r2": "C"}, random_seed=1)
    [v] = essay.check_seating(plan, EXAM, PEOPLE)
    assert (v.code, v.field) == ("V34", "room:A")
    assert v.message == (
        "Участники изложения с выдачей текста для чтения на 40 минут должны быть распределены в "
        "отдельный учебный кабинет."
    )
