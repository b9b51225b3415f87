"""Essay rules: the table of validations (section K.3), its coverage by the checks, the decisions
on open questions (section L). The registry of kinds: tests/exams/kinds/test_registry.py."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest

from itog.exams.kinds.base import (
    ApplicationData,
    ExamRules,
    ParticipantRef,
    Position,
    SeatingPlan,
    SessionDate,
    SessionKind,
    Severity,
    StaffMember,
    StaffRole,
    VenueData,
    Violation,
)
from itog.exams.kinds.essay import procedure as essay

from .k3_messages import K3_MESSAGES

HERE = Path(__file__).resolve().parent

MAIN = SessionDate(SessionKind.MAIN, date(2023, 12, 6))


def placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def literal_chunks(template: str) -> list[str]:
    return [text for text, _, _, _ in string.Formatter().parse(template) if text]


def k3_messages() -> dict[str, str]:
    """code -> the message text of section K.3, carried by the tests (never read from outside the repo)."""
    return dict(K3_MESSAGES)


# ---------------------------------------------------------------- the table


def test_validations_cover_v01_to_v74_and_the_added_codes():
    k3 = {f"V{n:02d}" for n in range(1, 75)}
    assert k3 <= set(essay.VALIDATIONS)
    extra = set(essay.VALIDATIONS) - k3
    assert extra == {f"X{n:02d}" for n in range(1, 13)}
    assert set(essay.PHASES) == set(essay.VALIDATIONS)


def test_the_carried_k3_table_is_complete():
    assert sorted(K3_MESSAGES) == [f"V{n:02d}" for n in range(1, 79)]


def test_items_are_items_of_the_procedure():
    for code, (item, _) in essay.VALIDATIONS.items():
        assert re.match(r"^(п\. |пп\. |приложени)", item), code


@pytest.mark.parametrize("code", sorted(essay.VALIDATIONS))
def test_templates_format_without_leftovers(code):
    template = essay.VALIDATIONS[code][1]
    text = essay.message(code, **{name: "Z" for name in placeholders(template)})
    assert "{" not in text and "}" not in text
    assert re.search(r"[а-яА-Я]", text)  # Russian


@pytest.mark.parametrize("code", [f"V{n:02d}" for n in range(1, 75)])
def test_k3_messages_verbatim(code):
    """Each message is K.3's text; only K.3's placeholders were renamed for str.format."""
    k3 = k3_messages()[code]
    template = essay.VALIDATIONS[code][1]
    if code == "V12":  # two texts in K.3, one per group
        first, second = k3.split("» / «")
        assert template == first == essay.V12_MESSAGES["ege"]
        assert essay.V12_MESSAGES["student"] == second
        return
    if not placeholders(template):
        assert template == k3
        return
    position = 0
    for chunk in literal_chunks(template):
        found = k3.find(chunk, position)
        assert found >= 0, (code, chunk)
        position = found + len(chunk)
    assert len(placeholders(template)) == k3.count("{")


def test_pre_exam_codes():
    expected = {f"V{n:02d}" for n in [*range(1, 30), 31, 32, 33, 34, 52]} | {f"X{n:02d}" for n in range(1, 13)}
    assert expected == essay.PRE_EXAM_CODES
    assert essay.PHASES["V30"] == essay.CHECKING
    assert essay.PHASES["V35"] == essay.PHASES["V53"] == essay.EXAM_DAY
    assert essay.PHASES["V62"] == essay.RECHECK and essay.PHASES["V74"] == essay.AFTER


# ---------------------------------------------------------------- every pre-exam code is produced by a check


def _app(**kw) -> ApplicationData:
    base = dict(category="student", grade=11, consent_present=True, pamyatka_ack=True)
    base.update(kw)
    return ApplicationData(**base)


def _staff(id, **kw) -> StaffMember:
    base = dict(school_id="s1", trained=True, role=StaffRole.ORGANIZER_IN_ROOM)
    base.update(kw)
    return StaffMember(id, f"Сотрудник {id}", **base)


_P = [ParticipantRef("p1", "Участник 1", school_id="s1", class_label="11А"), ParticipantRef("p2")]
_HEAD = _staff("h", position=Position.HEAD, role=StaffRole.CONDUCT_HEAD)
_VENUE = VenueData("v", school_id="s1")

SCENARIOS = {
    "V01": lambda: essay.check_application(_app(exam_form="exposition"), MAIN),
    "V02": lambda: essay.check_application(_app(category="vpl", exam_form="exposition", chosen_date=MAIN.date), MAIN),
    "V03": lambda: essay.check_application(_app(grade=10), MAIN),
    "V04": lambda: essay.check_application(_app(application_form="app2"), MAIN),
    "V05": lambda: essay.check_application(_app(consent_present=False), MAIN),
    "V06": lambda: essay.check_application(_app(pamyatka_ack=False), MAIN),
    "V07": lambda: essay.check_application(_app(ovz=True), MAIN),
    "V08": lambda: essay.check_application(_app(disabled=True), MAIN),
    "V09": lambda: essay.check_application(_app(exam_form="exposition", home_schooling_health=True), MAIN),
    "V10": lambda: essay.check_application(_app(school_type="penal"), MAIN),
    "V11": lambda: essay.check_application(_app(category="spravka"), MAIN),
    "V12": lambda: essay.check_application(_app(registration_place="ministry_place"), MAIN),
    "V13": lambda: essay.check_application(_app(category="spo"), MAIN),
    "V14": lambda: essay.check_submission("oo_to_mouo", date(2023, 12, 1), MAIN.date),
    "V15": lambda: essay.check_personal_data_fields({"email"}),
    "V16": lambda: essay.check_application(_app(consent_revoked_on=date(2023, 11, 1)), MAIN),
    "V17": lambda: essay.check_application(_app(special_conditions={"extra_time"}), MAIN),
    "V18": lambda: essay.check_application(_app(ovz=True, documents={"pmpk"}, special_conditions={"at_home"}), MAIN),
    "V19": lambda: essay.check_application(_app(special_conditions={"oral_form"}), MAIN),
    "V20": lambda: essay.check_venue_readiness(_VENUE, [ParticipantRef("p", duration_min=325)]),
    "V21": lambda: essay.validate_session(SessionDate(SessionKind.MAIN, date(2023, 12, 7))),
    "V22": lambda: essay.check_conduct_commission([_HEAD], _VENUE, _P),
    "V23": lambda: essay.check_conduct_commission(
        [_HEAD, _staff("a"), _staff("b", is_russian_specialist=True)], _VENUE, _P
    ),
    "V24": lambda: essay.check_checking_commission([_staff("e", teaches_participant_ids={"p1"})], _P),
    "V25": lambda: essay.check_checking_commission([_staff("e", trained=False)], _P),
    "V26": lambda: essay.check_checking_commission([], _P),
    "V27": lambda: essay.check_checking_commission([_staff("e", relative_of_participant_ids={"p1"})], _P),
    "V28": lambda: essay.check_conduct_commission([_staff("h", role=StaffRole.CONDUCT_HEAD)], _VENUE, _P),
    "V29": lambda: essay.check_staff_allocation([_staff("o", room_id="r")], _P),
    "V31": lambda: essay.check_blank_printing(None, MAIN.date),
    "V32": lambda: essay.check_blank_printing(date(2023, 12, 5), MAIN.date, photocopied=True),
    "V33": lambda: essay.check_seating(SeatingPlan(MAIN.date, {}), MAIN.date, _P),
    "V34": lambda: essay.check_seating(
        SeatingPlan(date(2023, 12, 5), {"p1": "r", "p2": "r"}, 1),
        MAIN.date,
        [ParticipantRef("p1", reading_40min=True), ParticipantRef("p2")],
    ),
    "V52": lambda: essay.check_staff_allocation(
        [_staff("a", role=StaffRole.ASSISTANT, assisted_participant_ids={"p1"})], _P
    ),
    "X01": lambda: essay.check_application(_app(special_conditions={"computer"}), MAIN),
    "X02": lambda: essay.check_application(_app(special_conditions={"reading_40min"}), MAIN),
    "X03": lambda: essay.check_application(_app(category="vpl", chosen_date=date(2024, 2, 7)), MAIN),
    "X04": lambda: essay.validate_override(MAIN.date, date(2023, 12, 13), ""),
    "X05": lambda: essay.check_venue_readiness(_VENUE, [], MAIN.date),
    "X06": lambda: essay.check_venue_readiness(_VENUE, []),
    "X07": lambda: essay.check_venue_readiness(_VENUE, []),
    "X08": lambda: essay.check_venue_readiness(_VENUE, []),
    "X09": lambda: essay.check_checking_commission([_staff("e", role=StaffRole.EXPERT)], _P),
    "X10": lambda: essay.check_conduct_commission([_staff("a"), _staff("b"), _staff("c")], _VENUE, _P),
    "X11": lambda: essay.check_blank_printing(date(2023, 12, 5), MAIN.date, via_rcoi_software=False),
    "X12": lambda: essay.check_staff_allocation([], _P, exam_date=MAIN.date, allocated_on=MAIN.date),
}


def test_scenarios_cover_every_pre_exam_code():
    assert set(SCENARIOS) == essay.PRE_EXAM_CODES


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_every_pre_exam_code_is_produced_by_a_check(code):
    produced = SCENARIOS[code]()
    assert all(isinstance(v, Violation) for v in produced)
    found = [v for v in produced if v.code == code]
    assert found, [v.code for v in produced]
    for v in found:
        assert v.message and "{" not in v.message
        if code != "V12":  # V12 has a text per group
            assert v.message.startswith(essay.VALIDATIONS[code][1].split("{")[0][:20])


def test_every_pre_exam_code_is_asserted_in_the_rule_tests():
    """Each pre-exam code is also named in the rule-by-rule tests (not only in SCENARIOS above)."""
    named: set[str] = set()
    for path in HERE.glob("test_essay_*.py"):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"[VX]\d\d", node.value):
                named.add(node.value)
    assert essay.PRE_EXAM_CODES - named == set()


# ---------------------------------------------------------------- decisions on open questions (section L)


def test_l9_d_minus_14_inclusive_same_day_for_both_levels():
    assert essay.SUBMISSION_DAYS_BEFORE == 14
    d = essay.session_deadlines(date(2024, 12, 4))
    assert d["oo_to_mouo"] == d["mouo_to_rcoi"] == date(2024, 11, 20)
    assert essay.check_submission("oo_to_mouo", date(2024, 11, 20), date(2024, 12, 4)) == []


def test_l11_gia_participants_are_students_and_externs():
    assert essay.GIA_PARTICIPANTS == essay.OBUCHAYUSHCHIESYA == {"student", "extern"}


def test_l12_ege_applications_registered_by_the_mouo():
    assert essay.EGE_REGISTRAR == "mouo"


def test_l13_l14_l15_l16_l21_constants():
    assert essay.CONDUCT_EXCLUDES_RELATIVES is False  # L13
    assert essay.HEAD_COMPOSITION_SEVERITY == Severity.WARNING  # L14
    assert essay.EXTRA_TIME_ON_REQUEST is True  # L15
    assert {"exposition"} == essay.READING_40MIN_FORMS and essay.READING_40MIN_EXTENDS_DURATION is False  # L16
    assert essay.PUBLICATION_TIMES_LOCAL is True  # L21


# ---------------------------------------------------------------- the registration protocol


def test_the_essay_registration_rules_satisfy_the_protocol():
    assert isinstance(essay, ExamRules)


def test_violation_is_frozen_and_has_the_agreed_fields():
    v = Violation("V05", "п. 5.2", "текст", None)
    assert (v.code, v.item, v.message, v.field, v.severity) == ("V05", "п. 5.2", "текст", None, "error")
    with pytest.raises(AttributeError):
        v.code = "V06"  # type: ignore[misc]
