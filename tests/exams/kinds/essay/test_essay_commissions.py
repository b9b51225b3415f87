"""Essay rules: commissions and staff (section C of the analysis; п. 3.1–3.3, 7.7, 7.11 of order № 3311)."""

from __future__ import annotations

from datetime import date

import pytest

from itog.exams.kinds.base import (
    CommissionKind,
    OrgKind,
    ParticipantRef,
    Position,
    SeatingPlan,
    Severity,
    StaffMember,
    StaffRole,
    VenueData,
    VenueKind,
)
from itog.exams.kinds.essay import procedure as essay

VENUE = VenueData("v1", kind=VenueKind.OO, school_id="s1")
PARTICIPANTS = [
    ParticipantRef("p1", "Иванова Анна", school_id="s1", class_label="11А"),
    ParticipantRef("p2", "Петров Павел", school_id="s1", class_label="11Б", ovz=True),
    ParticipantRef("p3", "Сидоров Семен", school_id="s2", class_label="11А", disabled=True),
]


def member(id: str, name: str, **kw) -> StaffMember:
    base = dict(school_id="s1", trained=True, position=Position.TEACHER, role=StaffRole.ORGANIZER_IN_ROOM)
    base.update(kw)
    return StaffMember(id, name, **base)


def conduct(*extra: StaffMember, head: StaffMember | None = None) -> list[StaffMember]:
    """A valid conduct commission: the deputy head plus two organizers (a physics and a PE teacher)."""
    head = head or member("h", "Кузнецова Ольга", position=Position.DEPUTY_HEAD, role=StaffRole.CONDUCT_HEAD)
    return [head, member("o1", "Орлов Олег", room_id="r1"), member("o2", "Белова Бэлла", room_id="r1"), *extra]


def checking(*extra: StaffMember) -> list[StaffMember]:
    """A valid checking commission: three Russian teachers of another school, one of them the head."""
    experts = [
        member(f"e{i}", f"Эксперт {i}", school_id="s9", is_russian_specialist=True, role=StaffRole.EXPERT)
        for i in (1, 2)
    ]
    head = member("ch", "Руководитель Проверки", school_id="s9", is_russian_specialist=True, role=StaffRole.CHECK_HEAD)
    return [head, *experts, *extra]


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def test_valid_commissions_have_no_violations():
    assert essay.check_conduct_commission(conduct(), VENUE, PARTICIPANTS) == []
    assert essay.check_checking_commission(checking(), PARTICIPANTS) == []


# ---------------------------------------------------------------- C1–C6: who creates, who proposes


@pytest.mark.parametrize(
    "kind, venue_kind, creator",
    [
        (CommissionKind.CONDUCT, VenueKind.MINISTRY_PLACE, OrgKind.MINISTRY),  # C1
        (CommissionKind.CHECK, VenueKind.MINISTRY_PLACE, OrgKind.MINISTRY),  # C2
        (CommissionKind.REGIONAL_RECHECK, None, OrgKind.MINISTRY),  # C3
        (CommissionKind.CONDUCT, VenueKind.OO, OrgKind.MOUO),  # C4
        (CommissionKind.CHECK, VenueKind.OO, OrgKind.MOUO),  # C4
        (CommissionKind.CONDUCT, VenueKind.HOME, OrgKind.MOUO),  # п. 1.6: the ОО organises
    ],
)
def test_p_3_1_3_2_c1_c4_who_creates_the_commission(kind, venue_kind, creator):
    assert essay.commission_creator(kind, venue_kind) == creator


def test_p_3_1_c1_venue_kind_needed_for_conduct_and_checking():
    with pytest.raises(ValueError):
        essay.commission_creator(CommissionKind.CONDUCT)


def test_p_3_3_c6_proposals_oo_to_mouo_on_request():
    [step] = essay.proposal_route(CommissionKind.CONDUCT, VenueKind.OO)
    assert (step.from_org, step.to_org, step.on_request, step.item) == (OrgKind.OO, OrgKind.MOUO, True, "п. 3.3")


def test_p_3_2_c5_proposals_for_ministry_places_go_on_to_the_ministry():
    steps = essay.proposal_route("check", "ministry_place")
    assert [(s.from_org, s.to_org, s.on_request) for s in steps] == [
        (OrgKind.OO, OrgKind.MOUO, True),
        (OrgKind.MOUO, OrgKind.MINISTRY, False),
    ]


def test_p_3_2_c5_regional_commission_proposals_on_the_ministrys_request():
    [step] = essay.proposal_route(CommissionKind.REGIONAL_RECHECK)
    assert (step.from_org, step.to_org, step.on_request) == (OrgKind.MOUO, OrgKind.MINISTRY, True)


def test_p_3_2_c7_c8_mouo_appointments():
    assert set(essay.MOUO_APPOINTMENTS) == {"responsible_person", "authorized_transfer_person"}
    assert "приказом МОУО" in essay.MOUO_APPOINTMENTS["authorized_transfer_person"]


# ---------------------------------------------------------------- C12–C15, C19: the conduct commission


def test_p_3_2_c12_at_least_three_oo_employees_v22():
    members = [conduct()[0], member("o1", "Орлов Олег"), member("x", "Внешний Эксперт", school_id=None)]
    [v] = essay.check_conduct_commission(members, VENUE, PARTICIPANTS)
    assert (v.code, v.item, v.field) == ("V22", "п. 3.2", "members")
    assert v.message == "В комиссии по проведению должно быть не менее трех работников ОО (п. 3.2)."


def test_p_7_7_c28_medical_worker_is_not_a_member():
    medic = member("m", "Доктор Айболит", role=StaffRole.MEDIC, trained=False, is_russian_specialist=True)
    assert codes(essay.check_conduct_commission(conduct()[:2] + [medic], VENUE, PARTICIPANTS)) == ["V22"]
    assert essay.check_conduct_commission(conduct(medic), VENUE, PARTICIPANTS) == []
    assert StaffRole.MEDIC in essay.NON_MEMBER_ROLES


def test_p_3_2_c13_no_russian_specialists_v23():
    [v] = essay.check_conduct_commission(
        conduct(member("r", "Русакова Вера", is_russian_specialist=True)), VENUE, PARTICIPANTS
    )
    assert (v.code, v.field, v.severity) == ("V23", "member:r", Severity.ERROR)
    assert v.message == (
        "Русакова Вера: специалист по русскому языку и литературе не может входить в комиссию по проведению (п. 3.2)."
    )


@pytest.mark.parametrize("teaching", [{"teaches_participant_ids": {"p3"}}, {"teaches_classes": {("s1", "11Б")}}])
def test_p_3_2_c14_no_teachers_of_the_participants_v24(teaching):
    [v] = essay.check_conduct_commission(conduct(member("t", "Учителева Тамара", **teaching)), VENUE, PARTICIPANTS)
    assert (v.code, v.item) == ("V24", "п. 3.2")
    assert v.message == (
        "Учителева Тамара обучает участников в текущем учебном году и не может входить в комиссию "
        "по проведению (п. 3.2)."
    )


def test_p_3_2_c14_teaching_another_class_is_fine():
    other = member("t", "Учителева Тамара", teaches_classes={("s1", "10А"), ("s2", "11Б")})
    assert essay.check_conduct_commission(conduct(other), VENUE, PARTICIPANTS) == []


def test_p_3_2_c15_trained_at_municipal_level_v25():
    [v] = essay.check_conduct_commission(conduct(member("n", "Новикова Нина", trained=False)), VENUE, PARTICIPANTS)
    assert (v.code, v.field) == ("V25", "member:n")
    assert v.message == "Новикова Нина не прошел подготовку на муниципальном уровне (п. 3.2)."


@pytest.mark.parametrize("position", [Position.HEAD, Position.DEPUTY_HEAD])
def test_p_7_11_1_c19_head_is_the_oo_head_or_deputy(position):
    head = member("h", "Директоров Дмитрий", position=position, role=StaffRole.CONDUCT_HEAD)
    assert essay.check_conduct_commission(conduct(head=head), VENUE, PARTICIPANTS) == []


def test_p_7_11_1_c19_head_of_wrong_position_v28():
    head = member("h", "Учителев Иван", position=Position.TEACHER, role=StaffRole.CONDUCT_HEAD)
    [v] = essay.check_conduct_commission(conduct(head=head), VENUE, PARTICIPANTS)
    assert (v.code, v.item, v.field) == ("V28", "п. 7.11.1", "member:h")
    assert v.message == (
        "Руководителем комиссии по проведению может быть только руководитель или заместитель "
        "руководителя ОО (п. 7.11.1)."
    )


def test_p_7_11_1_c19_head_of_another_oo_at_an_oo_venue_v28():
    head = member("h", "Чужой Директор", school_id="s2", position=Position.HEAD, role=StaffRole.CONDUCT_HEAD)
    assert codes(essay.check_conduct_commission(conduct(head=head), VENUE, PARTICIPANTS)) == ["V28"]
    ministry_place = VenueData("mp", kind=VenueKind.MINISTRY_PLACE)
    assert essay.check_conduct_commission(conduct(head=head), ministry_place, PARTICIPANTS) == []


def test_p_7_11_1_exactly_one_head_x10():
    no_head = conduct()[1:] + [member("o3", "Третий Организатор")]
    [v] = essay.check_conduct_commission(no_head, VENUE, PARTICIPANTS)
    assert (v.code, v.message) == (
        "X10",
        "В комиссии по проведению должен быть назначен один руководитель (п. 7.11.1).",
    )
    second = member("h2", "Второй Директор", position=Position.HEAD, role=StaffRole.CONDUCT_HEAD)
    assert codes(essay.check_conduct_commission(conduct(second), VENUE, PARTICIPANTS)) == ["X10"]


def test_l14_head_teaching_russian_is_a_warning():
    head = member(
        "h",
        "Директорова Людмила",
        position=Position.HEAD,
        role=StaffRole.CONDUCT_HEAD,
        is_russian_specialist=True,
        teaches_participant_ids={"p1"},
    )
    out = essay.check_conduct_commission(conduct(head=head), VENUE, PARTICIPANTS)
    assert [(v.code, v.severity) for v in out] == [("V23", Severity.WARNING), ("V24", Severity.WARNING)]
    assert not any(v.is_error for v in out)
    assert essay.HEAD_COMPOSITION_SEVERITY == Severity.WARNING


def test_l13_relatives_not_checked_in_the_conduct_commission():
    relative = member("rel", "Иванов Иван", relative_of_participant_ids={"p1"})
    assert essay.CONDUCT_EXCLUDES_RELATIVES is False
    assert essay.check_conduct_commission(conduct(relative), VENUE, PARTICIPANTS) == []


def test_l13_relatives_in_the_conduct_commission_when_switched_on():
    from dataclasses import replace

    from itog.exams.kinds.essay.profile import DEFAULT

    relative = member("rel", "Иванов Иван", relative_of_participant_ids={"p1"})
    [v] = essay.check_conduct_commission(
        conduct(relative), VENUE, PARTICIPANTS, replace(DEFAULT, conduct_excludes_relatives=True)
    )
    assert v.message == (
        "Иванов Иван является близким родственником участника Иванова Анна и не может входить в "
        "комиссию по проведению (п. 3.2)."
    )


# ---------------------------------------------------------------- C16–C18: the checking commission


def test_p_3_2_c16_at_least_three_russian_specialists_v26():
    members = checking()[:2] + [member("t", "Техник Тимур", school_id="s9", role=StaffRole.CHECK_TECH)]
    [v] = essay.check_checking_commission(members, PARTICIPANTS)
    assert (v.code, v.item, v.field) == ("V26", "п. 3.2", "members")
    assert v.message == (
        "В комиссии по проверке должно быть не менее трех педагогических работников — "
        "специалистов по русскому языку и литературе (п. 3.2)."
    )


def test_p_3_2_c16_non_pedagogical_specialists_do_not_count():
    members = checking()[:2] + [
        member(
            "m",
            "Методист Мария",
            school_id="s9",
            is_russian_specialist=True,
            is_pedagogical=False,
            role=StaffRole.CHECK_HEAD,
        )
    ]
    assert codes(essay.check_checking_commission(members, PARTICIPANTS)) == ["V26"]


def test_p_3_2_c16_every_expert_is_a_russian_specialist_x09():
    [v] = essay.check_checking_commission(
        checking(member("f", "Физиков Федор", school_id="s9", role=StaffRole.EXPERT)), PARTICIPANTS
    )
    assert (v.code, v.field) == ("X09", "member:f")
    assert v.message == (
        "Физиков Федор: эксперт комиссии по проверке должен быть педагогическим работником — "
        "специалистом по русскому языку и литературе (п. 3.2)."
    )


def test_p_8_1_5_technical_specialist_need_not_be_a_russian_specialist():
    tech = member("t", "Техник Тимур", school_id="s9", role=StaffRole.CHECK_TECH)
    assert essay.check_checking_commission(checking(tech), PARTICIPANTS) == []


def test_p_3_2_c17_no_teachers_of_the_participants_v24():
    teacher = member(
        "e3",
        "Словесникова Софья",
        school_id="s2",
        is_russian_specialist=True,
        role=StaffRole.EXPERT,
        teaches_classes={("s2", "11А")},
    )
    [v] = essay.check_checking_commission(checking(teacher), PARTICIPANTS)
    assert v.message == (
        "Словесникова Софья обучает участников в текущем учебном году и не может входить в "
        "комиссию по проверке (п. 3.2)."
    )


def test_p_3_2_c17_trained_v25():
    untrained = member(
        "e3", "Неучева Нелли", school_id="s9", is_russian_specialist=True, role=StaffRole.EXPERT, trained=False
    )
    assert codes(essay.check_checking_commission(checking(untrained), PARTICIPANTS)) == ["V25"]


def test_p_3_2_c18_no_close_relatives_v27():
    relative = member(
        "e3",
        "Петрова Полина",
        school_id="s9",
        is_russian_specialist=True,
        role=StaffRole.EXPERT,
        relative_of_participant_ids={"p2", "not-a-participant-here"},
    )
    [v] = essay.check_checking_commission(checking(relative), PARTICIPANTS)
    assert (v.code, v.item, v.field) == ("V27", "п. 3.2", "member:e3")
    assert v.message == (
        "Петрова Полина является близким родственником участника Петров Павел и не может "
        "входить в комиссию по проверке (п. 3.2)."
    )


# ---------------------------------------------------------------- C20–C34: roles and the allocation on D−1


def test_c23_c34_roles_by_commission():
    conduct_roles = essay.COMMISSION_ROLES[CommissionKind.CONDUCT]
    assert conduct_roles == {
        StaffRole.CONDUCT_HEAD,
        StaffRole.ORGANIZER_IN_ROOM,
        StaffRole.ORGANIZER_OUTSIDE,
        StaffRole.TECH_SPECIALIST,
        StaffRole.ASSISTANT,
    }
    assert essay.COMMISSION_ROLES[CommissionKind.CHECK] == {
        StaffRole.CHECK_HEAD,
        StaffRole.EXPERT,
        StaffRole.CHECK_TECH,
    }
    assert essay.COMMISSION_ROLES[CommissionKind.REGIONAL_RECHECK] == {
        StaffRole.RECHECK_CHAIR,
        StaffRole.RECHECK_MEMBER,
    }
    assert StaffRole.ORGANIZER_IN_ROOM == "organizer_in_room" and StaffRole.ORGANIZER_OUTSIDE == "organizer_outside"


SEATING = SeatingPlan(date(2023, 12, 5), {"p1": "r1", "p2": "r1", "p3": "r2"}, random_seed=42)


def test_p_7_11_3_c20_two_organizers_in_every_room_v29():
    staff = conduct(member("o3", "Третий Организатор", room_id="r2"))
    [v] = essay.check_staff_allocation(staff, PARTICIPANTS, SEATING, room_labels={"r2": "12"})
    assert (v.code, v.item, v.field) == ("V29", "п. 7.11.3", "room:r2")
    assert v.message == "В аудитории 12 назначено менее двух организаторов (п. 7.11.3)."
    staff.append(member("o4", "Четвертый Организатор", room_id="r2"))
    assert essay.check_staff_allocation(staff, PARTICIPANTS, SEATING) == []


def test_p_7_11_3_c20_rooms_from_organizers_when_no_seating():
    [v] = essay.check_staff_allocation([member("o", "Один Организатор", room_id="r7")], PARTICIPANTS)
    assert v.message == "В аудитории r7 назначено менее двух организаторов (п. 7.11.3)."


def test_p_7_11_5_c27_assistant_only_for_ovz_participants_v52():
    helper = member("a", "Ассистентова Алла", role=StaffRole.ASSISTANT, assisted_participant_ids={"p2", "p3"})
    [v] = essay.check_staff_allocation(conduct(helper), PARTICIPANTS)
    assert (v.code, v.item, v.field) == ("V52", "п. 7.11.5", "member:a")
    assert v.message == "Ассистент назначается для участников с ОВЗ (п. 7.11.5)."


def test_p_7_11_1_staff_allocated_on_d_minus_1_x12():
    [v] = essay.check_staff_allocation(
        conduct(), PARTICIPANTS, exam_date=date(2023, 12, 6), allocated_on=date(2023, 12, 4)
    )
    assert (v.code, v.message) == (
        "X12",
        "Распределение членов комиссии по проведению по рабочим местам "
        "выполняется за один календарный день до проведения (п. 7.11.1).",
    )
    assert (
        essay.check_staff_allocation(
            conduct(), PARTICIPANTS, exam_date=date(2023, 12, 6), allocated_on=date(2023, 12, 5)
        )
        == []
    )


# ---------------------------------------------------------------- п. 3.1–3.3, 5.6: duties before the exam


@pytest.mark.parametrize(
    "rule, org, item",
    [
        ("A12", OrgKind.MINISTRY, "п. 3.1"),
        ("C3", OrgKind.MINISTRY, "п. 3.1"),
        ("A13", OrgKind.MOUO, "п. 3.2"),
        ("C9", OrgKind.MOUO, "п. 3.2"),
        ("C10", OrgKind.MOUO, "п. 3.2"),
        ("C11", OrgKind.MOUO, "п. 3.2"),
        ("A14", OrgKind.OO, "п. 3.3"),
        ("C38", OrgKind.OO, "п. 3.3"),
        ("A16", OrgKind.RCOI, "п. 5.6"),
    ],
)
def test_p_3_1_3_3_5_6_pre_exam_duties(rule, org, item):
    [duty] = [d for d in essay.PRE_EXAM_DUTIES if d.rule == rule]
    assert (duty.org, duty.item) == (org, item)
    assert duty.text and duty.text[0].islower()
