"""Reconciliation of a work's scanned pages with the marks entered electronically."""

from __future__ import annotations

from itog.scan.recognize import BoxResult, PageResult, scanned_boxes
from itog.scan.reconcile import EXPERT_BOXES, reconcile

CODE = "236100042425"
MARKS = {
    "req1.pass": True,
    "req2.pass": True,
    "k1.pass": True,
    "k2.pass": True,
    "k3.fail": True,
    "k4.pass": True,
    "k5.pass": True,
    "overall.pass": True,
}


def registration(marks=MARKS, code=CODE, file="r.png", **overrides) -> PageResult:
    boxes = {b.id: BoxResult("marked" if marks.get(b.id) else "empty", 0.98) for b in scanned_boxes("registration")}
    boxes.update(overrides)
    return PageResult(file=file, page=1, work_code=code, page_type="registration", page_number=1, boxes=boxes)


def answer(number: int, code=CODE, kind="answer") -> PageResult:
    return PageResult(file=f"a{number}.png", page=1, work_code=code, page_type=kind, page_number=number)


def kinds(result) -> list[str]:
    return [item.kind for item in result.items]


def test_verified_when_blank_and_both_entries_agree():
    result = reconcile(CODE, [registration(), answer(1), answer(2)], dict(MARKS), dict(MARKS))
    assert result.verdict == "verified" and result.items == []
    assert result.marks["k3.fail"] is True and result.marks["k3.pass"] is False
    assert set(result.marks) == set(EXPERT_BOXES)


def test_nothing_entered_yet_compares_only_the_scan():
    assert reconcile(CODE, [registration(), answer(1)], None, None).verdict == "verified"


def test_mismatch_between_blank_and_expert():
    expert = {**MARKS, "k3.fail": False, "k3.pass": True}
    result = reconcile(CODE, [registration(), answer(1)], expert, dict(MARKS))
    assert result.verdict == "queue"
    mismatches = [i for i in result.items if i.kind == "mismatch"]
    assert {i.box_id for i in mismatches} == {"k3.fail", "k3.pass"}
    fail = next(i for i in mismatches if i.box_id == "k3.fail")
    assert fail.reason == "На бланке «отмечено», внесено экспертом «не отмечено»: Критерий К3, «незачет»"
    assert {i.kind for i in result.items} == {"mismatch", "disagreement"}


def test_disagreement_between_expert_and_authorized_person():
    authorized = {**MARKS, "overall.pass": False, "overall.fail": True}
    result = reconcile(CODE, [registration(), answer(1)], dict(MARKS), authorized)
    disagreements = [i for i in result.items if i.kind == "disagreement"]
    assert {i.box_id for i in disagreements} == {"overall.pass", "overall.fail"}
    assert disagreements[0].reason.startswith("Эксперт внес «отмечено», уполномоченное лицо — «не отмечено»")


def test_missing_registration_page():
    result = reconcile(CODE, [answer(1), answer(2)], dict(MARKS), dict(MARKS))
    assert kinds(result) == ["missing_registration"]


def test_duplicate_and_missing_pages():
    result = reconcile(CODE, [registration(), answer(1), answer(1), answer(3, kind="extra_answer")], None, None)
    assert sorted(kinds(result)) == ["duplicate_page", "missing_page"]
    dup = next(i for i in result.items if i.kind == "duplicate_page")
    assert "бланк записи № 1" in dup.reason and "2 раза" in dup.reason
    assert next(i for i in result.items if i.kind == "missing_page").reason.startswith("Нет бланка записи № 2")


def test_flagged_page_ambiguous_and_low_confidence_boxes():
    page = registration(**{"k2.pass": BoxResult("ambiguous", 0.3), "k4.pass": BoxResult("marked", 0.76)})
    page.flag("Неоднозначная отметка: Критерий К2, «зачет»")
    result = reconcile(CODE, [page, answer(1)], dict(MARKS), dict(MARKS))
    assert sorted(kinds(result)) == ["ambiguous", "flagged_page", "low_confidence"]
    flagged = next(i for i in result.items if i.kind == "flagged_page")
    assert "Критерий К2" in flagged.reason and flagged.file == "r.png"
    assert next(i for i in result.items if i.kind == "low_confidence").box_id == "k4.pass"


def test_page_of_another_work_is_reported():
    result = reconcile(CODE, [registration(), answer(1, code="236100042433")], None, None)
    assert kinds(result) == ["other_work"]


def test_other_entered_boxes_are_compared_too():
    expert = {**MARKS, "not_finished": True}
    result = reconcile(CODE, [registration()], expert, None)
    assert [(i.kind, i.box_id) for i in result.items] == [("mismatch", "not_finished")]


def test_pencil_box_is_one_question_with_its_likely_reading():
    page = registration()
    entered = dict(MARKS)
    box_id = "k2.pass"
    page.boxes[box_id] = BoxResult("marked", 0.5, note="pencil")
    page.reasons.append("Отметка карандашом или бледная (карандаш)…")
    result = reconcile(CODE, [page], entered, entered)
    pencil = [i for i in result.items if i.kind == "pencil"]
    assert len(pencil) == 1 and pencil[0].box_id == box_id and pencil[0].likely is True
    assert "вероятно «отмечено»" in pencil[0].reason
    assert not [i for i in result.items if i.box_id == box_id and i.kind != "pencil"]
    # a pencil mark that ended up ambiguous (both boxes of its row marked) is an ambiguous question
    page.boxes[box_id] = BoxResult("ambiguous", 0.2, note="pencil")
    kinds_of_box = {i.kind for i in reconcile(CODE, [page], entered, entered).items if i.box_id == box_id}
    assert kinds_of_box == {"ambiguous"}
