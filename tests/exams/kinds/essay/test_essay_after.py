"""Essay rules from the exam day on: times of the day in the venue's zone, the participant's day,
checking, results, re-checks, re-admission, storage (sections B.4, D–I, K.2, K.3 V35–V74 and the
decisions L2, L3, L5, L7, L8, L10, L17–L21 of the analysis)."""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from itog.exams.common import FAIL, PASS
from itog.exams.kinds.base import Category, ExamForm, SessionDate, SessionKind, Severity, Violation
from itog.exams.kinds.essay import after
from itog.exams.kinds.essay import criteria as crit
from itog.exams.kinds.essay import procedure as essay
from itog.exams.kinds.essay.after import DayRecord, DayState, OriginalsReading, StorageKind

UTC = UTC
D = date(2023, 12, 6)  # the main date of 2023/24, a Wednesday
FEB = date(2024, 2, 7)
APR = date(2024, 4, 10)
MSK, KGD, SAMARA = "Europe/Moscow", "Europe/Kaliningrad", "Europe/Samara"
VVO, PKC = "Asia/Vladivostok", "Asia/Kamchatka"
# Russian zones keep one offset all year since 2014.
DST_FREE = [
    KGD,
    MSK,
    SAMARA,
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    VVO,
    "Asia/Magadan",
    PKC,
]

STUDENT, EXTERN, VPL, SPO, FOREIGN, SPRAVKA = (
    Category.STUDENT,
    Category.EXTERN,
    Category.VPL,
    Category.SPO,
    Category.FOREIGN,
    Category.SPRAVKA,
)
EGE = [VPL, SPO, FOREIGN]
OBUCH = [STUDENT, EXTERN]


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def local(tz: str, y, m, d, hh, mm, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=ZoneInfo(tz))


def utc(y, m, d, hh, mm, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=UTC)


# ================================================================ the module itself


def test_module_is_pure_python():
    tree = ast.parse(Path(after.__file__).read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.split(".")[0] == "django"]


@pytest.mark.parametrize("name", [n for n in after.__all__ if inspect.isfunction(getattr(after, n))])
def test_every_public_function_cites_its_item(name):
    doc = inspect.getdoc(getattr(after, name)) or ""
    assert re.search(r"(п\.|пп\.) ?\d", doc), name


def test_extra_codes_do_not_clash_with_the_essay_table():
    assert set(after.EXTRA).isdisjoint(essay.VALIDATIONS)
    assert all(re.fullmatch(r"X[2-9]\d", c) for c in after.EXTRA)
    assert set(after.EXTRA_PHASES) == set(after.EXTRA)
    for code, (item, text) in after.EXTRA.items():
        assert re.match(r"^пп?\. ", item), code
        assert item.split(" ", 1)[1].split(",")[0] in text, code  # the message names its item


# ================================================================ B16, B18, L21: publication of topics and texts


def test_p_7_1_7_2_release_times():
    assert time(9, 45) == after.TOPICS_RELEASE and time(9, 30) == after.TEXTS_RELEASE
    assert after.release_time(ExamForm.ESSAY) == time(9, 45)
    assert after.release_time("exposition") == time(9, 30)


@pytest.mark.parametrize(
    "tz, form, expected_utc",
    [
        (MSK, "essay", utc(2023, 12, 6, 6, 45)),
        (KGD, "essay", utc(2023, 12, 6, 7, 45)),
        (SAMARA, "essay", utc(2023, 12, 6, 5, 45)),
        (VVO, "essay", utc(2023, 12, 5, 23, 45)),  # UTC+10: the evening before in UTC
        (PKC, "essay", utc(2023, 12, 5, 21, 45)),  # UTC+12
        (VVO, "exposition", utc(2023, 12, 5, 23, 30)),
        (KGD, "exposition", utc(2023, 12, 6, 7, 30)),
    ],
)
def test_p_7_1_7_2_l21_release_at_is_local_time_of_the_venue(tz, form, expected_utc):
    at = after.release_at(D, tz, form)
    assert at.tzinfo is not None and at.utcoffset() is not None
    assert at.astimezone(ZoneInfo(tz)).time() == after.release_time(form)
    assert at == expected_utc


def test_p_7_1_release_at_uses_the_offset_of_that_date():
    # In December 2013 Moscow was on UTC+4 (the 2011–2014 "permanent summer time").
    assert after.release_at(date(2013, 12, 4), MSK, "essay") == utc(2013, 12, 4, 5, 45)
    assert after.release_at(date(2013, 12, 4), ZoneInfo(MSK), "essay") == utc(2013, 12, 4, 5, 45)


@pytest.mark.parametrize("tz", [VVO, KGD, PKC, MSK])
def test_p_7_1_v37_topics_not_before_0945_on_the_venue_clock(tz):
    [v] = after.check_release(local(tz, 2023, 12, 6, 9, 44, 59), D, tz, "essay")
    assert (v.code, v.item, v.field) == ("V37", "п. 7.1", "essay_topics_published")
    assert v.message == essay.VALIDATIONS["V37"][1]
    assert after.check_release(local(tz, 2023, 12, 6, 9, 45), D, tz, "essay") == []
    assert after.check_release(local(tz, 2023, 12, 6, 15, 0), D, tz, "essay") == []


def test_p_7_1_v37_instants_in_utc_are_judged_by_the_venue_clock():
    # Vladivostok: 09:45 local = 23:45 UTC of the day before.
    assert codes(after.check_release(utc(2023, 12, 5, 23, 44, 59), D, VVO, "essay")) == ["V37"]
    assert after.check_release(utc(2023, 12, 5, 23, 45), D, VVO, "essay") == []
    # Kamchatka: 21:45 UTC of the day before.
    assert codes(after.check_release(utc(2023, 12, 5, 21, 44), D, PKC, "essay")) == ["V37"]
    assert after.check_release(utc(2023, 12, 5, 21, 45), D, PKC, "essay") == []
    # Kaliningrad is an hour behind Moscow: 09:45 in Moscow is only 08:45 there.
    moscow_0945 = local(MSK, 2023, 12, 6, 9, 45)
    assert after.check_release(moscow_0945, D, MSK, "essay") == []
    assert codes(after.check_release(moscow_0945, D, KGD, "essay")) == ["V37"]
    assert after.check_release(local(MSK, 2023, 12, 6, 10, 45), D, KGD, "essay") == []


def test_p_7_2_v37_exposition_texts_from_0930():
    assert codes(after.check_release(local(VVO, 2023, 12, 6, 9, 29, 59), D, VVO, "exposition")) == ["V37"]
    assert after.check_release(local(VVO, 2023, 12, 6, 9, 30), D, VVO, "exposition") == []
    # 09:30 is still too early for the essay topics
    assert codes(after.check_release(local(VVO, 2023, 12, 6, 9, 30), D, VVO, "essay")) == ["V37"]
    [v] = after.check_release(local(VVO, 2023, 12, 6, 9, 0), D, VVO, ExamForm.EXPOSITION)
    assert (v.item, v.field) == ("п. 7.2", "exposition_texts_published")


def test_p_7_1_v37_other_days():
    assert codes(after.check_release(local(VVO, 2023, 12, 5, 23, 59), D, VVO, "essay")) == ["V37"]
    assert after.check_release(local(VVO, 2023, 12, 7, 0, 0), D, VVO, "essay") == []


def test_p_7_1_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        after.check_release(datetime(2023, 12, 6, 10, 0), D, MSK, "essay")
    with pytest.raises(ValueError, match="aware"):
        after.check_recheck_filing(datetime(2023, 12, 15, 10, 0), D, MSK)


def test_l21_switch_reads_publication_times_as_moscow_time(monkeypatch):
    rule = essay.TIME_RULES["essay_topics_published"]
    monkeypatch.setitem(essay.TIME_RULES, "essay_topics_published", replace(rule, local_time=False))
    assert after.release_at(D, VVO, "essay") == local(MSK, 2023, 12, 6, 9, 45)
    assert after.check_release(local(VVO, 2023, 12, 6, 16, 45), D, VVO, "essay") == []  # 09:45 in Moscow
    assert codes(after.check_release(local(VVO, 2023, 12, 6, 16, 44), D, VVO, "essay")) == ["V37"]  # 09:44 MSK
    assert codes(after.check_release(local(VVO, 2023, 12, 6, 10, 0), D, VVO, "essay")) == ["V37"]  # 03:00 MSK


_EXAM_DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 12, 31))
_OFFSETS = st.integers(min_value=-36 * 3600, max_value=36 * 3600)


@settings(deadline=None, max_examples=300)
@given(
    tz=st.timezone_keys(),
    exam_date=_EXAM_DATES,
    offset=_OFFSETS,
    form=st.sampled_from([ExamForm.ESSAY, ExamForm.EXPOSITION]),
)
def test_p_7_1_7_2_property_never_shown_before_the_local_release_time(tz, exam_date, offset, form):
    """Any zone, any instant near the release: accepted exactly when the venue's clock shows the
    exam date at the release time or later."""
    zone = ZoneInfo(tz)
    now = after.release_at(exam_date, tz, form).astimezone(UTC) + timedelta(seconds=offset)
    wall = now.astimezone(zone)
    accepted = after.check_release(now, exam_date, tz, form) == []
    assert accepted == ((wall.date(), wall.time()) >= (exam_date, after.release_time(form)))


@settings(deadline=None, max_examples=200)
@given(
    tz=st.sampled_from(DST_FREE),
    exam_date=st.dates(min_value=date(2015, 1, 1), max_value=date(2037, 12, 31)),
    offset=_OFFSETS,
)
def test_p_7_1_property_dst_free_zones_compare_as_instants(tz, exam_date, offset):
    release = after.release_at(exam_date, tz, "essay")
    now = release.astimezone(UTC) + timedelta(seconds=offset)
    assert (after.check_release(now, exam_date, tz, "essay") == []) == (now >= release)


# ================================================================ B15, B19–B21, B17, B14: other times of the day


@pytest.mark.parametrize("tz", [VVO, KGD])
def test_p_7_11_1_v36_kits_to_organizers_not_before_0945(tz):
    [v] = after.check_kit_issue(local(tz, 2023, 12, 6, 9, 44, 59), D, tz)
    assert (v.code, v.item, v.field) == ("V36", "пп. 7.11.1, 7.11.3", "kits_to_organizers")
    assert after.check_kit_issue(local(tz, 2023, 12, 6, 9, 45), D, tz) == []
    assert codes(after.check_kit_issue(utc(2023, 12, 6, 0, 0), D, VVO)) == []  # 10:00 in Vladivostok


@pytest.mark.parametrize(
    "part, code, field, refused, accepted",
    [
        (0, "V35", "staff_briefing", time(8, 14, 59), time(8, 15)),
        (1, "V38", "briefing_part1", time(9, 49, 59), time(9, 50)),
        (2, "V38", "briefing_part2", time(9, 59, 59), time(10, 0)),
    ],
)
def test_p_7_11_1_7_11_3_v35_v38_briefings(part, code, field, refused, accepted):
    at = lambda t: datetime.combine(D, t, tzinfo=ZoneInfo(PKC))  # noqa: E731
    [v] = after.check_briefing(at(refused), D, PKC, part)
    assert (v.code, v.field, v.severity) == (code, field, Severity.ERROR)
    assert after.check_briefing(at(accepted), D, PKC, part) == []


def test_p_7_11_3_briefing_part_must_exist():
    with pytest.raises(ValueError):
        after.check_briefing(local(MSK, 2023, 12, 6, 10, 0), D, MSK, 3)


def test_p_7_11_1_v39_seated_by_0940_to_the_minute_as_a_warning():
    assert after.check_seated(local(VVO, 2023, 12, 6, 9, 40, 59), D, VVO) == []
    [v] = after.check_seated(local(VVO, 2023, 12, 6, 9, 41), D, VVO)
    assert (v.code, v.severity, v.field) == ("V39", Severity.WARNING, "participants_seated")
    # 09:30 in Moscow is 16:30 in Vladivostok: too late there
    assert codes(after.check_seated(local(MSK, 2023, 12, 6, 9, 30), D, VVO)) == ["V39"]


def test_p_7_7_v53_medic_from_0900_until_the_last_participant_leaves():
    assert after.check_medic(local(KGD, 2023, 12, 6, 8, 50), D, KGD) == []
    [v] = after.check_medic(local(KGD, 2023, 12, 6, 9, 1), D, KGD)
    assert (v.code, v.severity, v.field) == ("V53", Severity.WARNING, "medic_present")
    left, last = local(KGD, 2023, 12, 6, 14, 0), local(KGD, 2023, 12, 6, 14, 10)
    [v] = after.check_medic(local(KGD, 2023, 12, 6, 9, 0), D, KGD, left_at=left, last_exit_at=last)
    assert (v.code, v.field) == ("V53", "medic_left")
    assert after.check_medic(local(KGD, 2023, 12, 6, 9, 0), D, KGD, left_at=last, last_exit_at=last) == []


def test_p_7_11_7_l17_late_participant_end_counts_from_the_room_start():
    start = local(MSK, 2023, 12, 6, 10, 10)
    assert after.personal_end(start, 235) == local(MSK, 2023, 12, 6, 14, 5)
    assert after.personal_end(start, 325, breaks_min=20) == local(MSK, 2023, 12, 6, 15, 55)
    assert after.check_end_time(local(MSK, 2023, 12, 6, 14, 5), start, 235, late=True) == []
    [v] = after.check_end_time(local(MSK, 2023, 12, 6, 14, 30), start, 235, late=True)
    assert (v.code, v.item, v.field) == ("V40", "п. 7.11.7", "end_time")
    assert after.check_end_time(local(MSK, 2023, 12, 6, 14, 30), start, 235, late=False) == []


# ================================================================ D1–D21: the participant's day


def finished(category=STUDENT, **kw) -> DayRecord:
    return DayRecord(category, DayState.FINISHED, **{"is05_signed": True, **kw})


def not_finished(**kw) -> DayRecord:
    base = dict(is08_act=True, is05_marked=True, is05_signed=True, member_signature=True)
    base.update(kw)
    return DayRecord(STUDENT, DayState.NOT_FINISHED, **base)


def removed(**kw) -> DayRecord:
    base = dict(is09_act=True, is09_by_head=True, is05_marked=True, is05_signed=True, member_signature=True)
    base.update(kw)
    return DayRecord(STUDENT, DayState.REMOVED, **base)


@pytest.mark.parametrize(
    "rec",
    [
        finished(),
        not_finished(),
        removed(),
        DayRecord(VPL, "admitted"),
        DayRecord(SPO, "absent"),
        DayRecord(VPL, "entry_denied", has_id_document=False),
        DayRecord(EXTERN, "admitted_by_act", has_id_document=False, identity_act=True),
        finished(blank_count=2, blanks_used=2),
        finished(late=True),
    ],
)
def test_p_7_11_complete_day_records_have_no_violations(rec):
    assert after.check_day_record(rec) == []


def test_day_record_accepts_model_values():
    rec = DayRecord("extern", "admitted_by_act", has_id_document=False, identity_act="Акт № 3", is08_act="")
    assert rec.category is Category.EXTERN and rec.state is DayState.ADMITTED_BY_ACT
    assert rec.identity_act is True and rec.is08_act is False
    with pytest.raises(ValueError):
        DayRecord(STUDENT, "gone")


def test_p_7_11_7_v40_late_participant_end_not_extended():
    [v] = after.check_day_record(finished(late=True, end_extended=True))
    assert (v.code, v.item, v.field) == ("V40", "п. 7.11.7", "end_extended")
    assert v.message == "Для опоздавшего участника время окончания не продлевается (п. 7.11.7)."
    assert after.check_day_record(finished(end_extended=True)) == []  # extension of п. 4.4 is not lateness


@pytest.mark.parametrize("category", EGE)
@pytest.mark.parametrize("state", ["admitted", "admitted_by_act", "finished", "not_finished", "removed"])
def test_p_7_11_6_v41_ege_participant_without_id_is_not_admitted(category, state):
    rec = DayRecord(
        category,
        state,
        has_id_document=False,
        identity_act=True,
        is05_signed=True,
        is08_act=True,
        is09_act=True,
        is09_by_head=True,
        is05_marked=True,
        member_signature=True,
    )
    [v] = after.check_day_record(rec)
    assert (v.code, v.field) == ("V41", "has_id_document")
    assert v.message.startswith("Участник ЕГЭ без документа")


@pytest.mark.parametrize("category", EGE)
def test_p_7_11_6_d3_ege_participant_without_id_denied_is_correct(category):
    assert after.check_day_record(DayRecord(category, "entry_denied", has_id_document=False)) == []


@pytest.mark.parametrize("category", OBUCH)
def test_p_7_11_6_v42_student_without_id_needs_an_identity_act(category):
    [v] = after.check_day_record(DayRecord(category, "admitted", has_id_document=False))
    assert (v.code, v.field) == ("V42", "identity_act")
    assert v.message == essay.VALIDATIONS["V42"][1]
    assert after.check_day_record(DayRecord(category, "admitted", has_id_document=False, identity_act=True)) == []
    # the state «допущен по акту» always needs the act
    assert codes(after.check_day_record(DayRecord(category, "admitted_by_act"))) == ["V42"]


@pytest.mark.parametrize("category", OBUCH)
def test_p_7_11_6_x21_student_without_id_is_not_turned_away(category):
    [v] = after.check_day_record(DayRecord(category, "entry_denied", has_id_document=False))
    assert (v.code, v.item, v.field) == ("X26", "п. 7.11.6", "state")
    assert category.label in v.message


def test_l10_person_with_spravka_without_id_is_treated_like_a_student(monkeypatch):
    [v] = after.check_day_record(DayRecord(SPRAVKA, "admitted", has_id_document=False))
    assert (v.code, v.message) == ("V42", after.V42_SPRAVKA_TEXT)
    assert codes(after.check_day_record(DayRecord(SPRAVKA, "entry_denied", has_id_document=False))) == ["X26"]
    from dataclasses import replace

    from itog.exams.kinds.essay.profile import DEFAULT

    strict = replace(DEFAULT, spravka_id_act_allowed=False)  # a region's profile switches L10 off
    [v] = after.check_day_record(DayRecord(SPRAVKA, "admitted", has_id_document=False, identity_act=True), strict)
    assert (v.code, v.message) == ("V41", after.V41_SPRAVKA_TEXT)
    assert after.check_day_record(DayRecord(SPRAVKA, "entry_denied", has_id_document=False), strict) == []


@pytest.mark.parametrize(
    "rec", [finished(is05_signed=False), not_finished(is05_signed=False), removed(is05_signed=False)]
)
def test_p_7_11_3_v48_is05_row_signed_by_the_participant(rec):
    [v] = after.check_day_record(rec)  # reported once, not again under V49/V50
    assert (v.code, v.item, v.field) == ("V48", "п. 7.11.3", "is05_signed")


def test_p_7_11_3_v48_no_row_yet_while_writing_or_absent():
    assert after.check_day_record(DayRecord(STUDENT, "admitted")) == []
    assert after.check_day_record(DayRecord(STUDENT, "absent")) == []


@pytest.mark.parametrize("flag", ["is08_act", "is05_marked", "member_signature"])
def test_p_7_11_8_v49_not_finished_needs_is08_is05_mark_and_member_signature(flag):
    [v] = after.check_day_record(not_finished(**{flag: False}))
    assert (v.code, v.item, v.field) == ("V49", "п. 7.11.8", flag)


def test_p_7_11_8_v49_every_missing_flag_is_reported():
    rec = DayRecord(STUDENT, "not_finished", is05_signed=True)
    assert [(v.code, v.field) for v in after.check_day_record(rec)] == [
        ("V49", "is08_act"),
        ("V49", "is05_marked"),
        ("V49", "member_signature"),
    ]


@pytest.mark.parametrize("flag", ["is09_act", "is05_marked", "member_signature"])
def test_p_7_11_9_v50_removal_needs_is09_is05_mark_and_member_signature(flag):
    kw = {flag: False}
    if flag == "is09_act":
        kw["is09_by_head"] = False
    [v] = after.check_day_record(removed(**kw))
    assert (v.code, v.item, v.field) == ("V50", "п. 7.11.9", flag)


def test_p_7_11_9_v50_is09_drawn_up_by_the_head():
    [v] = after.check_day_record(removed(is09_by_head=False))
    assert (v.code, v.field) == ("V50", "is09_by_head")


def test_p_7_11_3_v46_blank_count_equals_blanks_used():
    [v] = after.check_day_record(finished(blank_count=2, blanks_used=3))
    assert (v.code, v.field) == ("V46", "blank_count")
    assert v.message == (
        "Поле «Количество бланков» (2) не совпадает с числом использованных бланков записи, включая дополнительные (3)."
    )
    assert after.check_day_record(finished(blank_count=2)) == []
    assert after.check_day_record(finished(blanks_used=2)) == []


def test_p_7_11_several_faults_are_all_reported():
    rec = DayRecord(VPL, "removed", has_id_document=False, late=True, end_extended=True, blank_count=1, blanks_used=2)
    assert codes(after.check_day_record(rec)) == ["V40", "V41", "V48", "V50", "V50", "V50", "V46"]


# ---------------------------------------------------------------- D21, L18: what is copied and checked

CHECKABLE = {
    DayState.ADMITTED: True,
    DayState.ADMITTED_BY_ACT: True,
    DayState.FINISHED: True,
    DayState.NOT_FINISHED: False,
    DayState.REMOVED: False,
    DayState.ABSENT: False,
    DayState.ENTRY_DENIED: False,
}


@pytest.mark.parametrize("state", list(DayState))
def test_p_7_11_4_d21_checkable_states(state):
    assert after.is_checkable(state) is CHECKABLE[state]
    assert after.is_checkable(state.value) is CHECKABLE[state]
    found = after.check_checkable(state)
    if CHECKABLE[state]:
        assert found == []
    elif state in (DayState.NOT_FINISHED, DayState.REMOVED):
        [v] = found
        assert (v.code, v.item) == ("V51", "п. 7.11.4")
    else:
        [v] = found
        assert v.code == "X27" and state.label in v.message


@pytest.mark.parametrize("state", list(DayState))
def test_l18_originals_of_every_written_work_go_to_rcoi(state):
    expected = state not in (DayState.ABSENT, DayState.ENTRY_DENIED)
    assert after.has_originals(state) is expected


def test_l18_switch_keeps_unchecked_originals_out(monkeypatch):
    monkeypatch.setattr(after, "UNCHECKED_ORIGINALS_DELIVERED", False)
    assert not after.has_originals("removed") and not after.has_originals("not_finished")
    assert after.has_originals("finished")


# ---------------------------------------------------------------- D9, D17: the blanks; C35: visitors; D22: custody


def test_p_7_11_3_v44_v45_v47_blanks():
    assert after.check_blanks("A1", ["A1", "A1"], topic_no=3, released_topics=["1", "3"], z_marked=True) == []
    found = after.check_blanks("A1", ["A1", "B2", "A1 "], topic_no="7", released_topics=[1, 3], z_marked=False)
    assert [(v.code, v.field) for v in found] == [("V44", "writing_blank:2"), ("V45", "topic_no"), ("V47", "z_marked")]
    assert found[0].message == "Код работы на бланке записи №2 не совпадает с кодом на бланке регистрации."
    assert after.check_blanks("A1", [], topic_no=7) == []  # nothing to compare with


@pytest.mark.parametrize(
    "kind, who",
    [("observer", "независимого наблюдателя"), ("media", "представителя СМИ"), ("official", "должностного лица")],
)
def test_p_7_8_v43_visitors_need_identity_and_authority_documents(kind, who):
    assert after.check_visitor(kind, True, True) == []
    [v] = after.check_visitor(kind, True, False)
    assert (v.code, v.field) == ("V43", "authority_document")
    assert v.message.startswith(f"Допуск {who} возможен")
    assert [v.field for v in after.check_visitor(kind, False, False)] == ["id_document", "authority_document"]


def test_p_8_1_1_d22_handover_to_the_responsible_person_on_day_d():
    assert after.custody_checks(D, D) == []
    for when in (D + timedelta(days=1), D - timedelta(days=1), None):
        [v] = after.custody_checks(when, D)
        assert (v.code, v.item, v.field) == ("X29", "пп. 7.11.1, 8.1.1", "handover_date")
        assert "06.12.2023" in v.message


# ================================================================ E: checking

ESSAY_SET = crit.criteria_for("essay", "2023/24")
EXPOSITION_SET = crit.criteria_for("exposition", "2023/24")
REQ_OK = {"T1": PASS, "T2": PASS}
ALL_PASS = {f"K{i}": PASS for i in range(1, 6)}


def test_p_8_1_v54_v55_checking_place_and_briefing():
    assert after.check_checking_place(True) == []
    assert codes(after.check_checking_place(False)) == ["V54"]
    assert codes(after.check_expert_briefing(29)) == ["V55"]
    assert after.check_expert_briefing(30) == []


def test_p_8_1_3_v56_expert_never_checks_own_school():
    [v] = after.check_expert_assignment("s1", "s1", "Иванова И. И.")
    assert v.code == "V56" and v.message.startswith("Эксперт Иванова И. И. работает в ОО участника")
    assert after.check_expert_assignment("s1", "s2") == []
    assert after.check_expert_assignment(None, None) == []


def test_p_8_1_4_v57_one_expert_once():
    found = after.check_assignments([("W1", "e1"), ("W2", "e2"), ("W1", "e2"), ("W1", "e1")], {"e1": "Петров"})
    assert [(v.code, v.field) for v in found] == [("V57", "work:W1"), ("V57", "work:W1")]
    assert found[0].message.startswith("Работа W1 уже назначена эксперту Петров")
    assert after.check_assignments([("W1", "e1"), ("W2", "e1")]) == []


def test_p_8_1_4_v59_marks_only_on_the_copy():
    assert codes(after.check_marks_target(by_expert=True, on_copy=False)) == ["V59"]
    assert after.check_marks_target(by_expert=True, on_copy=True) == []
    assert after.check_marks_target(by_expert=False, on_copy=False) == []  # the authorized person


def test_p_8_1_2_v30_transfer_only_by_appointed_person():
    [v] = after.check_transfer_person(False)
    assert (v.code, v.item) == ("V30", "п. 8.1.2")
    assert after.check_transfer_person(True) == []


def test_p_8_1_4_marks_computed_by_the_federal_rules():
    outcome, found = after.check_expert_marks(ESSAY_SET, REQ_OK, ALL_PASS, PASS)
    assert (outcome.overall, found) == (PASS, [])
    outcome, found = after.check_expert_marks(ESSAY_SET, REQ_OK, {**ALL_PASS, "K2": FAIL}, None)
    assert outcome.overall == FAIL and outcome.checked_criteria and found == []


def test_p_8_1_4_v58_failed_requirement_cannot_be_zachet():
    outcome, [v] = after.check_expert_marks(ESSAY_SET, {"T1": FAIL, "T2": PASS}, ALL_PASS, PASS)
    assert outcome.overall == FAIL and not outcome.checked_criteria
    assert (v.code, v.item, v.field) == ("V58", "п. 8.1.4", "overall")
    outcome, found = after.check_expert_marks(EXPOSITION_SET, {"T1": PASS, "T2": FAIL}, {}, FAIL)
    assert outcome.overall == FAIL and found == []  # criteria are not needed after a failed requirement


def test_p_8_1_4_x20_missing_marks():
    outcome, [v] = after.check_expert_marks(ESSAY_SET, {"T1": PASS}, {**ALL_PASS, "K1": "", "K5": "?"}, PASS)
    assert outcome is None
    assert (v.code, v.field) == ("X25", "marks")
    assert "T2, K1, K5" in v.message


def test_p_8_1_4_x23_overall_disagrees_with_the_marks():
    _, [v] = after.check_expert_marks(ESSAY_SET, REQ_OK, ALL_PASS, FAIL)
    assert v.code == "X28" and "«зачет»" in v.message
    _, [v] = after.check_expert_marks(ESSAY_SET, REQ_OK, {**ALL_PASS, "K3": FAIL, "K4": FAIL, "K5": FAIL}, PASS)
    assert v.code == "X28"


def test_p_8_1_4_marks_are_read_without_case_spaces_or_yo():
    outcome, found = after.check_expert_marks(
        ESSAY_SET, {"T1": " Зачёт", "T2": "ЗАЧЕТ"}, {k: "зачёт " for k in ALL_PASS}, "Зачёт"
    )
    assert outcome.overall == PASS and found == []


def test_p_8_1_2_compare_entries_double_entry():
    first = {"T1": PASS, "T2": PASS, **ALL_PASS, "overall": PASS}
    assert after.compare_entries(first, dict(first)) == []
    second = {**first, "K4": FAIL, "K1": FAIL, "T2": FAIL, "overall": FAIL}
    del second["K5"]
    assert after.compare_entries(first, second) == ["T2", "K1", "K4", "K5", "overall"]
    assert after.compare_entries({"K1": "Зачёт "}, {"K1": "зачет"}) == []
    assert after.compare_entries({"K1": ""}, {}) == []  # empty is missing on both sides
    assert after.compare_entries({"K10": PASS, "K9": PASS, "K2": PASS}, {}) == ["K2", "K9", "K10"]


def test_p_8_1_2_compare_entries_in_the_order_of_a_criteria_set():
    assert after.compare_entries({"K5": PASS, "T1": PASS, "x": "1"}, {}, order=ESSAY_SET) == ["T1", "K5", "x"]
    assert after.compare_entries({"K1": PASS, "K2": PASS}, {}, order=["K2", "K1"]) == ["K2", "K1"]


@pytest.mark.parametrize(
    "completed, deadline",
    [
        (D, D + timedelta(days=1)),
        (D + timedelta(days=2), D + timedelta(days=3)),
        (D + timedelta(days=6), D + timedelta(days=7)),
        (D + timedelta(days=7), D + timedelta(days=7)),
        (D + timedelta(days=10), D + timedelta(days=7)),
    ],
)
def test_p_8_1_1_9_1_1_delivery_deadline_next_day_but_not_after_d_plus_7(completed, deadline):
    assert after.delivery_deadline(D, completed) == deadline


def test_p_9_1_1_delivery_deadline_needs_a_checking_after_the_exam():
    with pytest.raises(ValueError):
        after.delivery_deadline(D, D - timedelta(days=1))


def test_p_8_1_1_9_1_1_v60_delivery():
    completed = date(2023, 12, 11)
    assert after.check_delivery(date(2023, 12, 12), D, completed) == []
    assert after.check_delivery(completed, D, completed) == []  # on the completion day: not late
    [v] = after.check_delivery(date(2023, 12, 13), D, completed)
    assert (v.code, v.field) == ("V60", "delivered_on")
    assert v.message.endswith("но не позднее 12.12.2023.")
    assert codes(after.check_delivery(date(2023, 12, 10), D, completed)) == ["V60"]  # before the results exist
    assert after.check_delivery(None, D, completed, today=date(2023, 12, 12)) == []
    assert codes(after.check_delivery(None, D, completed, today=date(2023, 12, 13))) == ["V60"]
    assert after.check_delivery(None, D, completed) == []
    # a checking finished on D+7 leaves only D+7
    assert codes(after.check_delivery(date(2023, 12, 14), D, date(2023, 12, 13))) == ["V60"]
    with pytest.raises(TypeError):
        after.check_delivery(datetime(2023, 12, 12, 10, tzinfo=UTC), D, completed)


def test_p_9_2_v61_result_in_ris_after_verification():
    assert codes(after.check_ris_entry(False)) == ["V61"]
    assert after.check_ris_entry(True) == []


# ================================================================ H1: results familiarisation (п. 11)


def test_p_11_familiarization_the_next_day():
    assert after.familiarization_date(date(2023, 12, 14)) == date(2023, 12, 15)
    assert after.familiarization_date(date(2023, 12, 31)) == date(2024, 1, 1)
    assert after.familiarization_date(date(2024, 2, 28)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    "category, place",
    [
        (STUDENT, "school"),
        (EXTERN, "school"),
        (VPL, "registration_place"),
        (SPO, "registration_place"),
        (FOREIGN, "registration_place"),
        (SPRAVKA, "school"),  # L20
    ],
)
def test_p_11_l20_familiarization_place(category, place):
    assert after.familiarization_place(category) == place
    assert after.familiarization_place(category.value) == place


def test_p_11_v72_familiarization():
    received = date(2023, 12, 14)
    assert after.check_familiarization(VPL, received, date(2023, 12, 15), "registration_place") == []
    for day in (received, date(2023, 12, 16)):
        [v] = after.check_familiarization(STUDENT, received, day)
        assert (v.code, v.item, v.field) == ("V72", "п. 11", "familiarized_on")
    assert [
        v.field for v in after.check_familiarization(VPL, received, date(2023, 12, 15), "school", signed=False)
    ] == ["place", "signed"]


# ================================================================ F: re-check on application


def test_l8_earlier_fails_counted_within_the_academic_year():
    history = [
        (date(2022, 12, 7), FAIL),
        (date(2023, 12, 6), FAIL),
        (date(2024, 2, 7), "Незачёт"),
        (date(2024, 4, 10), FAIL),
        (date(2024, 2, 7), PASS),
    ]
    assert after.count_earlier_fails(history, date(2024, 4, 10)) == 2  # Dec 2023 and Feb 2024
    assert after.count_earlier_fails(history, date(2024, 2, 7)) == 1
    assert after.count_earlier_fails(history, date(2023, 12, 6)) == 0  # 2022/23 does not count


@pytest.mark.parametrize("category", OBUCH)
def test_p_8_2_1_v62_repeated_fail_of_a_student_may_apply(category):
    assert after.check_recheck_eligibility(category, FAIL, 1, False) == []
    assert after.check_recheck_eligibility(category.value, "Незачёт", 2, False) == []
    [v] = after.check_recheck_eligibility(category, FAIL, 0, False)  # the first «незачет»
    assert (v.code, v.item, v.field) == ("V62", "п. 8.2.1", "applicant")
    assert codes(after.check_recheck_eligibility(category, PASS, 1, False)) == ["V62"]
    assert codes(after.check_recheck_eligibility(category, None, 1, False)) == ["V62"]


@pytest.mark.parametrize("category", [*EGE, SPRAVKA])
def test_p_8_2_1_f1_v62_others_cannot_apply(category):
    assert codes(after.check_recheck_eligibility(category, FAIL, 3, False)) == ["V62"]


def test_p_8_2_6_v68_final_result():
    [v] = after.check_recheck_eligibility(STUDENT, FAIL, 1, True)
    assert (v.code, v.item) == ("V68", "п. 8.2.6")
    assert codes(after.check_recheck_eligibility(VPL, FAIL, 0, True)) == ["V62", "V68"]


@pytest.mark.parametrize(
    "tz, utc_deadline",
    [
        (MSK, utc(2023, 12, 15, 15, 0)),
        (VVO, utc(2023, 12, 15, 8, 0)),
        (KGD, utc(2023, 12, 15, 16, 0)),
        (PKC, utc(2023, 12, 15, 6, 0)),
    ],
)
def test_p_8_2_1_l7_recheck_deadline_1800_local(tz, utc_deadline):
    deadline = after.recheck_deadline(date(2023, 12, 15), tz)
    assert deadline == utc_deadline
    assert deadline.astimezone(ZoneInfo(tz)).time() == time(18, 0)


RESULTS = date(2023, 12, 15)  # a Friday


@pytest.mark.parametrize("hh, mm, ss", [(0, 0, 0), (9, 0, 0), (17, 59, 59), (18, 0, 0), (18, 0, 59)])
def test_p_8_2_1_v63_filing_accepted_until_1800_inclusive_to_the_minute(hh, mm, ss):
    assert after.check_recheck_filing(local(VVO, 2023, 12, 15, hh, mm, ss), RESULTS, VVO) == []


@pytest.mark.parametrize(
    "filed",
    [
        local(VVO, 2023, 12, 15, 18, 1),
        local(VVO, 2023, 12, 15, 23, 0),
        local(VVO, 2023, 12, 16, 9, 0),  # the next day
        local(VVO, 2023, 12, 14, 17, 0),  # the day before the announcement
    ],
)
def test_p_8_2_1_v63_filing_refused_after_1800_or_on_another_day(filed):
    [v] = after.check_recheck_filing(filed, RESULTS, VVO)
    assert (v.code, v.item, v.field) == ("V63", "п. 8.2.1", "filed_at")
    assert v.message == ("Заявление принимается только в день объявления результатов до 18:00 по местному времени.")


def test_p_8_2_1_v63_filing_is_judged_by_the_local_clock():
    assert after.check_recheck_filing(utc(2023, 12, 15, 8, 0, 59), RESULTS, VVO) == []  # 18:00:59 there
    assert codes(after.check_recheck_filing(utc(2023, 12, 15, 8, 1), RESULTS, VVO)) == ["V63"]
    assert after.check_recheck_filing(utc(2023, 12, 15, 16, 0, 59), RESULTS, KGD) == []
    assert codes(after.check_recheck_filing(utc(2023, 12, 15, 16, 1), RESULTS, KGD)) == ["V63"]
    # 17:30 in Moscow is already 00:30 of the next day in Vladivostok
    assert codes(after.check_recheck_filing(local(MSK, 2023, 12, 15, 17, 30), RESULTS, VVO)) == ["V63"]
    # 17:30 in Moscow is 16:30 in Kaliningrad
    assert after.check_recheck_filing(local(MSK, 2023, 12, 15, 17, 30), RESULTS, KGD) == []


@settings(deadline=None, max_examples=200)
@given(tz=st.sampled_from(DST_FREE), seconds=st.integers(min_value=-48 * 3600, max_value=48 * 3600))
def test_p_8_2_1_property_filing_window_is_the_local_day_until_1801(tz, seconds):
    zone = ZoneInfo(tz)
    start = datetime.combine(RESULTS, time(0, 0), tzinfo=zone)
    filed = (start + timedelta(seconds=seconds)).astimezone(UTC)
    inside = start <= filed < datetime.combine(RESULTS, time(18, 1), tzinfo=zone)
    assert (after.check_recheck_filing(filed, RESULTS, tz) == []) == inside


def test_p_8_2_1_v64_two_copies_certified_by_the_head():
    assert after.check_recheck_copies(2, True) == []
    for copies in (1, 3, 0):
        [v] = after.check_recheck_copies(copies, True)
        assert (v.code, v.field) == ("V64", "copies")
    [v] = after.check_recheck_copies(2, False)
    assert (v.code, v.field) == ("V64", "certified_by_head")
    assert [v.field for v in after.check_recheck_copies(1, False)] == ["copies", "certified_by_head"]


def test_l2_l3_chain_of_a_friday_filing_uses_calendar_days():
    friday, saturday = date(2023, 12, 15), date(2023, 12, 16)
    tasks = after.recheck_chain(friday, familiarization_on=friday)
    by_key = {t.key: t for t in tasks}
    assert [t.key for t in tasks] == [
        "oo_to_responsible_same_day",
        "oo_to_responsible_next_day",
        "responsible_to_ministry",
        "notice_to_ministry_rcoi",
        "mouo_to_rcoi",
    ]
    assert by_key["oo_to_responsible_same_day"].due == friday  # п. 8.2.1 (L2)
    for key in ("oo_to_responsible_next_day", "responsible_to_ministry", "notice_to_ministry_rcoi", "mouo_to_rcoi"):
        assert by_key[key].due == saturday, key  # not Monday: calendar days
    assert {t.key: (t.item, t.actor) for t in tasks} == {
        "oo_to_responsible_same_day": ("п. 8.2.1", "school"),
        "oo_to_responsible_next_day": ("п. 3.3", "school"),
        "responsible_to_ministry": ("п. 8.2.2", "responsible"),
        "notice_to_ministry_rcoi": ("п. 8.1.1", "responsible"),
        "mouo_to_rcoi": ("п. 3.2", "mouo"),
    }
    assert all(t.actor in after.ACTORS and re.search(r"[а-я]", t.label) for t in tasks)


def test_l2_chain_counts_from_the_actual_receipt():
    friday, saturday, sunday = date(2023, 12, 15), date(2023, 12, 16), date(2023, 12, 17)
    tasks = {t.key: t.due for t in after.recheck_chain(friday, friday, received_on=saturday)}
    assert tasks["oo_to_responsible_same_day"] == friday
    assert tasks["responsible_to_ministry"] == tasks["notice_to_ministry_rcoi"] == tasks["mouo_to_rcoi"] == sunday


def test_p_3_2_8_2_2_v65_overdue_chain_tasks():
    friday, saturday, monday = date(2023, 12, 15), date(2023, 12, 16), date(2023, 12, 18)
    by_key = {t.key: t for t in after.recheck_chain(friday, friday)}
    to_ministry = by_key["responsible_to_ministry"]
    assert after.check_chain_task(to_ministry, saturday, today=monday) == []
    assert after.check_chain_task(to_ministry, None, today=saturday) == []
    [v] = after.check_chain_task(to_ministry, monday, today=monday)
    assert (v.code, v.item, v.field) == ("V65", "п. 8.2.2", "responsible_to_ministry")
    assert v.message == "Срок передачи заявления ответственным лицом в министерство истек 16.12.2023."
    [v] = after.check_chain_task(by_key["mouo_to_rcoi"], None, today=date(2023, 12, 17))
    assert v.message == "Срок передачи заявления МОУО в ГКУ КК ЦОКО истек 16.12.2023." and v.item == "п. 3.2"
    [v] = after.check_chain_task(by_key["notice_to_ministry_rcoi"], None, today=monday)
    assert v.message.startswith("Срок передачи сведений о наличии заявлений") and v.item == "п. 8.1.1"
    [v] = after.check_chain_task(by_key["oo_to_responsible_same_day"], saturday, today=saturday)
    assert "ОО ответственному лицу истек 15.12.2023" in v.message


def test_p_3_1_v66_decision_of_the_ministry():
    assert codes(after.check_decision(False)) == ["V66"]
    assert after.check_decision(True) == []


def test_p_8_2_5_v67_protocol_on_the_day_the_recheck_ends():
    done = date(2023, 12, 22)
    assert after.check_protocol_delivery(done, done) == []
    for other in (done + timedelta(days=1), done - timedelta(days=1)):
        [v] = after.check_protocol_delivery(done, other)
        assert (v.code, v.item) == ("V67", "п. 8.2.5")
    assert after.check_protocol_delivery(done, None, today=done) == []
    assert codes(after.check_protocol_delivery(done, None, today=done + timedelta(days=1))) == ["V67"]


# ================================================================ G: re-admission (п. 10, L19)

OK = ("ok",)
# group -> state -> expected answer with result «незачет» and WITHOUT a valid-reason document
NO_DOC = {
    "obuch": {
        "admitted": ("fail",),
        "admitted_by_act": ("fail",),
        "finished": ("fail",),
        "removed": ("removed",),
        "not_finished": ("V70",),
        "absent": ("V70",),
        "entry_denied": ("V69",),
    },
    "ege": {
        "admitted": ("V69", "ege"),
        "admitted_by_act": ("V69", "ege"),
        "finished": ("V69", "ege"),
        "removed": ("V69", "ege"),
        "not_finished": ("V70",),
        "absent": ("V70",),
        "entry_denied": ("V69",),
    },
    "spravka": {
        "admitted": ("V69", "spravka"),
        "admitted_by_act": ("V69", "spravka"),
        "finished": ("V69", "spravka"),
        "removed": ("V69", "spravka"),
        "not_finished": ("V70",),
        "absent": ("V70",),
        "entry_denied": ("V69",),
    },
}
# the same WITH the document: only absent / not finished change
WITH_DOC = {
    g: {**states, "not_finished": ("not_finished_valid",), "absent": ("absent_valid",)} for g, states in NO_DOC.items()
}
GROUP = {STUDENT: "obuch", EXTERN: "obuch", VPL: "ege", SPO: "ege", FOREIGN: "ege", SPRAVKA: "spravka"}
NOTES = {"ege": after.NOTE_EGE, "spravka": after.NOTE_SPRAVKA}


@pytest.mark.parametrize("doc", [False, True])
@pytest.mark.parametrize("state", list(DayState))
@pytest.mark.parametrize("category", list(Category))
def test_p_10_l19_readmission_table(category, state, doc):
    expected = (WITH_DOC if doc else NO_DOC)[GROUP[category]][state.value]
    r = after.readmission(category, state, FAIL, doc)
    if expected[0] in after.GROUND_KEYS.values():
        assert r.eligible and r.ground_key == expected[0] and r.violations == ()
        assert r.ground in (after.GROUND_FAIL, after.GROUND_REMOVED, after.GROUND_ABSENT, after.GROUND_NOT_FINISHED)
    else:
        assert not r.eligible and r.ground is None
        assert codes(r.violations) == [expected[0]]
        assert r.note == (NOTES[expected[1]] if len(expected) > 1 else "")


@pytest.mark.parametrize("category", list(Category))
@pytest.mark.parametrize("state", ["admitted", "admitted_by_act", "finished"])
def test_p_10_readmission_not_for_a_pass(category, state):
    r = after.readmission(category, state, PASS, True)
    assert not r.eligible and codes(r.violations) == ["V69"] and r.violations[0].field == "result"
    pending = after.readmission(category, state, None, False)
    assert not pending.eligible and pending.note == after.NOTE_NO_RESULT


def test_p_10_readmission_grounds_and_messages():
    r = after.readmission("student", "finished", "Незачёт", False)
    assert (r.eligible, r.ground) == (True, "незачет")
    assert after.readmission("extern", "removed", None, False).ground == "удален"
    assert after.readmission("vpl", "absent", None, True).ground == "не явился по уважительной причине"
    assert after.readmission("spravka", "not_finished", None, True).ground == "не закончил по уважительной причине"
    [v] = after.readmission("spo", "absent", None, False).violations
    assert (v.item, v.field) == ("п. 10", "valid_reason_document")
    assert v.message == "Уважительная причина неявки/незавершения должна быть подтверждена документально (п. 10)."
    [v] = after.readmission("vpl", "finished", FAIL, True).violations
    assert v.message.startswith("Участник не относится к категориям, допускаемым к повторному написанию")


def test_p_10_readmission_targets_are_the_remaining_additional_dates():
    assert [s.date for s in after.readmission_targets(D)] == [FEB, APR]
    assert [s.date for s in after.readmission_targets(FEB)] == [APR]
    assert after.readmission_targets(APR) == []
    assert [s.date for s in after.readmission_targets(D, today=date(2024, 3, 1))] == [APR]
    assert all(s.kind == SessionKind.ADDITIONAL for s in after.readmission_targets(D))


def test_p_10_v71_target_date():
    feb = SessionDate(SessionKind.ADDITIONAL, FEB)
    today = date(2023, 12, 20)
    assert after.check_readmission_target(feb, "2023/24", today) == []
    assert after.check_readmission_target(feb, 2023, today, source_date=D) == []
    assert after.check_readmission_target(feb, "2023/24", FEB) == []  # today is not the past
    bad = [
        (SessionDate(SessionKind.MAIN, D), "2023/24", date(2023, 11, 1), None),  # the main date
        (SessionDate(SessionKind.ADDITIONAL, date(2025, 2, 5)), "2023/24", today, None),  # another year
        (feb, "2023/24", date(2024, 2, 8), None),  # in the past
        (feb, "2022/23", today, None),
        (feb, "2023/24", today, FEB),  # not after the source session
    ]
    for target, year, when, source in bad:
        [v] = after.check_readmission_target(target, year, when, source_date=source)
        assert (v.code, v.item, v.field) == ("V71", "п. 10", "target")


# ================================================================ I: storage and destruction (L5)


def test_p_8_1_1_copy_retention_is_one_month():
    assert relativedelta(months=1) == after.COPY_RETENTION
    assert after.destroy_not_before(StorageKind.COPY, D) == date(2024, 1, 6)
    assert after.destroy_not_before("copy", date(2024, 1, 31)) == date(2024, 2, 29)  # a moved date, leap year
    assert after.destroy_not_before("copy", date(2023, 1, 31)) == date(2023, 2, 28)


def test_p_8_1_1_v73_copies_boundary():
    [v] = after.check_destruction("copy", D, date(2024, 1, 5))
    assert (v.code, v.item, v.field) == ("V73", "п. 8.1.1", "destroyed_on")
    assert v.message == (
        "Копии бланков хранятся не менее месяца с даты проведения; уничтожение до 06.01.2024 невозможно."
    )
    assert after.check_destruction("copy", D, date(2024, 1, 6)) == []
    # the reading of L5 does not touch the copies
    assert after.check_destruction("copy", D, date(2024, 1, 6), OriginalsReading.SAME_ACADEMIC_YEAR) == []


def test_p_8_1_1_copy_extra_day_switch():
    # the civil-code reading is the region's profile setting copy_extra_days (the default is 0)
    from dataclasses import replace

    from itog.exams.kinds.essay.profile import DEFAULT

    profile = replace(DEFAULT, copy_extra_days=1)
    assert codes(after.check_destruction("copy", D, date(2024, 1, 6), profile=profile)) == ["V73"]
    assert after.check_destruction("copy", D, date(2024, 1, 7), profile=profile) == []


@pytest.mark.parametrize("kind", [StorageKind.ORIGINAL, StorageKind.AUDIO, StorageKind.REPORT_FORMS])
@pytest.mark.parametrize(
    "exam, reading, first",
    [
        (D, OriginalsReading.NEXT_ACADEMIC_YEAR, date(2025, 3, 1)),
        (D, OriginalsReading.SAME_ACADEMIC_YEAR, date(2024, 3, 1)),
        (FEB, OriginalsReading.NEXT_ACADEMIC_YEAR, date(2025, 3, 1)),
        (FEB, OriginalsReading.SAME_ACADEMIC_YEAR, date(2025, 3, 1)),
        (APR, OriginalsReading.NEXT_ACADEMIC_YEAR, date(2025, 3, 1)),
        (APR, OriginalsReading.SAME_ACADEMIC_YEAR, date(2025, 3, 1)),
    ],
)
def test_p_13_3_l5_v74_originals_boundary_for_both_readings(kind, exam, reading, first):
    assert after.destroy_not_before(kind, exam, reading) == first
    assert after.destroy_not_before(kind.value, exam, reading.value) == first
    [v] = after.check_destruction(kind, exam, first - timedelta(days=1), reading)
    assert (v.code, v.item, v.field) == ("V74", "п. 13.3", "destroyed_on")
    assert f"до 1 марта {first.year};" in v.message
    assert after.check_destruction(kind, exam, first, reading) == []


def test_l5_default_reading_is_the_longer_keeping():
    assert after.ORIGINALS_READING is OriginalsReading.NEXT_ACADEMIC_YEAR
    assert after.destroy_not_before("original", D) == date(2025, 3, 1)
    assert codes(after.check_destruction("original", D, date(2024, 3, 1))) == ["V74"]
    # 29.02.2024 (leap year) is the day before for the other reading
    assert codes(after.check_destruction("original", D, date(2024, 2, 29), "same_academic_year")) == ["V74"]


@settings(deadline=None)
@given(exam=st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 12, 31)))
def test_i_property_retention_never_ends_too_early(exam):
    copy = after.destroy_not_before("copy", exam)
    assert 28 <= (copy - exam).days <= 31
    longer = after.destroy_not_before("original", exam, "next_academic_year")
    shorter = after.destroy_not_before("original", exam, "same_academic_year")
    assert (longer.month, longer.day) == (shorter.month, shorter.day) == (3, 1)
    assert exam < shorter <= longer
    assert (shorter - exam).days >= 60  # never the «1 March» just after a February or April date


# ================================================================ every code of the module is produced by a check

_T = lambda tz, hh, mm: local(tz, 2023, 12, 6, hh, mm)  # noqa: E731
_CHAIN = after.recheck_chain(RESULTS, RESULTS)

SCENARIOS = {
    "V35": lambda: after.check_briefing(_T(MSK, 8, 0), D, MSK, 0),
    "V36": lambda: after.check_kit_issue(_T(MSK, 9, 0), D, MSK),
    "V37": lambda: after.check_release(_T(MSK, 9, 0), D, MSK, "essay"),
    "V38": lambda: after.check_briefing(_T(MSK, 9, 55), D, MSK, 2),
    "V39": lambda: after.check_seated(_T(MSK, 9, 50), D, MSK),
    "V40": lambda: after.check_day_record(finished(late=True, end_extended=True)),
    "V41": lambda: after.check_day_record(DayRecord(VPL, "admitted", has_id_document=False)),
    "V42": lambda: after.check_day_record(DayRecord(STUDENT, "admitted", has_id_document=False)),
    "V43": lambda: after.check_visitor("media", False, True),
    "V44": lambda: after.check_blanks("A", ["B"]),
    "V45": lambda: after.check_blanks("A", [], topic_no=9, released_topics=[1]),
    "V46": lambda: after.check_day_record(finished(blank_count=1, blanks_used=2)),
    "V47": lambda: after.check_blanks("A", ["A"], z_marked=False),
    "V48": lambda: after.check_day_record(finished(is05_signed=False)),
    "V49": lambda: after.check_day_record(not_finished(is08_act=False)),
    "V50": lambda: after.check_day_record(removed(member_signature=False)),
    "V51": lambda: after.check_checkable("removed"),
    "V53": lambda: after.check_medic(_T(MSK, 9, 30), D, MSK),
    "V54": lambda: after.check_checking_place(False),
    "V55": lambda: after.check_expert_briefing(10),
    "V56": lambda: after.check_expert_assignment("s", "s", "И"),
    "V57": lambda: after.check_assignments([("W", "a"), ("W", "b")]),
    "V58": lambda: after.check_expert_marks(ESSAY_SET, {"T1": FAIL, "T2": PASS}, {}, PASS)[1],
    "V59": lambda: after.check_marks_target(True, False),
    "V60": lambda: after.check_delivery(date(2023, 12, 20), D, date(2023, 12, 8)),
    "V61": lambda: after.check_ris_entry(False),
    "V62": lambda: after.check_recheck_eligibility(VPL, FAIL, 1, False),
    "V63": lambda: after.check_recheck_filing(local(MSK, 2023, 12, 15, 18, 1), RESULTS, MSK),
    "V64": lambda: after.check_recheck_copies(1, True),
    "V65": lambda: after.check_chain_task(_CHAIN[0], None, RESULTS + timedelta(days=1)),
    "V66": lambda: after.check_decision(False),
    "V67": lambda: after.check_protocol_delivery(RESULTS, RESULTS + timedelta(days=1)),
    "V68": lambda: after.check_recheck_eligibility(STUDENT, FAIL, 1, True),
    "V69": lambda: list(after.readmission(VPL, "finished", FAIL, False).violations),
    "V70": lambda: list(after.readmission(STUDENT, "absent", None, False).violations),
    "V71": lambda: after.check_readmission_target(SessionDate(SessionKind.MAIN, D), "2023/24", D),
    "V72": lambda: after.check_familiarization(STUDENT, RESULTS, RESULTS),
    "V73": lambda: after.check_destruction("copy", D, D),
    "V74": lambda: after.check_destruction("audio", D, D),
    "X25": lambda: after.check_expert_marks(ESSAY_SET, REQ_OK, {}, None)[1],
    "X26": lambda: after.check_day_record(DayRecord(EXTERN, "entry_denied", has_id_document=False)),
    "X27": lambda: after.check_checkable("absent"),
    "X28": lambda: after.check_expert_marks(ESSAY_SET, REQ_OK, ALL_PASS, FAIL)[1],
    "X29": lambda: after.custody_checks(None, D),
}


def test_scenarios_cover_every_code_of_the_module():
    assert set(SCENARIOS) == after.PRODUCED_CODES
    assert {f"V{n:02d}" for n in range(35, 75)} - after.PRODUCED_CODES == {"V52"}  # V52: the pre-exam module


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_every_code_is_produced_with_its_message(code):
    produced = SCENARIOS[code]()
    assert all(isinstance(v, Violation) for v in produced)
    found = [v for v in produced if v.code == code]
    assert found, codes(produced)
    table = after.EXTRA if code in after.EXTRA else essay.VALIDATIONS
    for v in found:
        assert v.message and "{" not in v.message and re.search(r"[а-я]", v.message)
        assert v.message.startswith(table[code][1].split("{")[0][:20])
        assert v.field


def test_additional_date_takes_students_only_as_readmission():
    """п. 10 (B4, G0) at registration; ЕГЭ participants choose their date (п. 5.5, L19)."""
    from itog.exams.kinds.base import Category

    check = after.check_direct_registration
    assert [v.code for v in check(Category.STUDENT, True)] == ["V69"]
    assert [v.code for v in check(Category.EXTERN, True)] == ["V69"]
    assert check(Category.STUDENT, False) == []
    ege = [c for c in Category if after.category_group(c) == "ege"]
    assert ege and all(check(c, True) == [] for c in ege)
