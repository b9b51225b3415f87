"""Acceptance tests on the real seed documents (read from shared/seeds).

Item ids follow the analyses in shared/domain: 001 uses section letters
(E2, G4, C56), 004 uses S<section>.<number> (S6.2.2.7), 000 the document's
own numbers, 002 (no number column) R1…R10.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache

import pytest

from itog.plans.parsing.readers import read_plan
from tests.seeds import seed_path


@cache
def _plan(prefix: str):
    return read_plan(seed_path(prefix))


def plan(prefix: str):
    seed_path(prefix)  # skip when the seeds are absent
    return _plan(prefix)


def codes(item) -> set[str]:
    return {w.code for w in item.warnings}


# ---------------------------------------------------------------------------
# Counts (the acceptance numbers)
# ---------------------------------------------------------------------------


def test_001_has_145_items_in_10_sections():
    p = plan("001")
    assert p.format == "tab"
    assert len(p.items) == 145
    assert [s.id for s in p.sections] == list("ABCDEFGHIJ")
    per_section = Counter(it.section for it in p.items)
    assert [per_section[s] for s in "ABCDEFGHIJ"] == [8, 16, 59, 3, 13, 17, 5, 4, 13, 7]
    assert p.sections[2].title == "Нормативное правовое обеспечение ГИА- 2024"


def test_000_has_22_items():
    p = plan("000")
    assert p.format == "cells"
    assert len(p.items) == 22
    assert [it.number for it in p.items] == [str(n) for n in range(1, 23)]
    # one unnamed block (IS1) and four stage headings
    assert [s.title for s in p.sections] == [
        "Подготовка к проведению итогового сочинения (изложения)",
        "Проведение итогового сочинения (изложения)",
        "Проверка итогового сочинения (изложения)",
        "Обработка результатов итогового сочинения (изложения)",
    ]
    assert Counter(it.section for it in p.items) == {None: 1, "S1": 10, "S2": 3, "S3": 4, "S4": 4}


def test_002_duplicate_table_merged_into_10_items():
    p = plan("002")
    assert len(p.items) == 10
    assert [it.id for it in p.items] == [f"R{n}" for n in range(1, 11)]
    dup = [w for w in p.warnings if w.code == "duplicate_table"]
    assert len(dup) == 1
    assert "дважды" in dup[0].message
    # all items come from the first (signed) copy
    assert all(50 < it.line <= 60 for it in p.items)


def test_004_has_459_numbered_items_in_8_sections_plus_the_unnumbered_row():
    p = plan("004")
    numbered = [it for it in p.items if it.number]
    unnumbered = [it for it in p.items if not it.number]
    assert len(numbered) == 459
    assert len(p.sections) == 8
    assert Counter(it.section for it in numbered) == {
        "S1": 21,
        "S2": 103,
        "S3": 88,
        "S4": 17,
        "S5": 28,
        "S6": 145,
        "S7": 43,
        "S8": 14,
    }
    assert len(unnumbered) == 1
    row = unnumbered[0]
    assert row.line == 319
    assert "unnumbered_row" in codes(row)
    levels = Counter(it.level for it in numbered)
    assert levels == {1: 37, 2: 372, 3: 50}


def test_004_paragraph_headings_are_sections():
    p = plan("004")
    s5, s8 = p.sections[4], p.sections[7]
    assert (s5.title, s5.line) == ("Обучение лиц, привлекаемых к проведению ГИА", 346)
    assert (s8.title, s8.line) == ("Контроль за организацией и проведением ГИА-9 и ГИА-11", 589)


# ---------------------------------------------------------------------------
# Items the analyses discuss: 004
# ---------------------------------------------------------------------------


def test_004_subgroup_headings_are_not_sections():
    p = plan("004")
    titles = [s.title for s in p.sections]
    assert "На всех этапах проведения экзаменов" not in titles
    s6 = p.sections[5]
    assert [g["line"] for g in s6.groups] == [396, 428]
    # numbering continues: 2.2.9 -> heading -> 2.2.10 under the same parent
    it = p.item("S6.2.2.10")
    assert it.parent == "S6.2.2"
    assert it.group == "На всех этапах проведения экзаменов"
    assert "subgroup_heading" in codes(it)
    assert p.item("S6.2.2.20").group == it.group
    assert p.item("S6.2.2.9").group is None
    assert p.item("S6.2.3").group is None
    assert p.item("S6.3.2.9").group == it.group


def test_004_duplicate_number_3_24():
    p = plan("004")
    first, second = p.item("S6.3.24"), p.item("S6.3.24-2")
    assert first.number == second.number == "3.24"
    assert first.line == 459 and second.line == 462
    assert "duplicate_number" in codes(first) and "duplicate_number" in codes(second)
    # the first one was split across a page break (L459 + L461)
    assert first.lines == [459, 461]
    assert first.activity.endswith("программам основного общего образования")
    assert first.deadline_raw == "январь – сентябрь 2020 года"
    assert second.deadline_raw == "январь – сентябрь 2021 года"


@pytest.mark.parametrize(
    "item_id, lines, field, expected",
    [
        ("S1.2.3", [101, 103], "responsible_raw", "МОУО, методические службы, ОО"),
        ("S1.2.3", [101, 103], "deadline_raw", "в течение учебного года"),
        (
            "S2.2.49",
            [169, 171],
            "activity",
            "Подготовка обучающихся к ГИА. Анализ диагностического экзамена по русскому языку "
            "2021 года в формате ОГЭ и ЕГЭ",
        ),
        ("S2.2.70", [192, 194], "deadline_raw", "февраль 2021 года"),
        ("S2.3.3", [211, 213], "responsible_raw", "МОиНК, ГУ ОЦМКО, МОУО"),
        ("S6.2.2.14", [401, 403], "deadline_raw", "не позднее чем за 1 календарный день до экзамена"),
        ("S7.1.11", [558, 560], "deadline_raw", "январь – май 2021 года"),
        ("S8.2.6", [602, 604], "responsible_raw", "МОиНК, ГЭК, общественные наблюдатели, Кузбассобрнадзор"),
    ],
)
def test_004_page_break_continuations_joined(item_id, lines, field, expected):
    it = plan("004").item(item_id)
    assert it.lines == lines
    assert getattr(it, field) == expected
    assert "row_joined" in codes(it)


def test_004_continuations_without_blank_line():
    p = plan("004")
    it = p.item("S3.2.8")
    assert it.lines == [281, 282]
    assert it.activity.endswith("в 2021 году: - в досрочный период; - основной период; - дополнительный период")
    it = p.item("S6.4.2")
    assert it.responsible_names == [
        "МОиНК",
        "ГУ ОЦМКО",
        "МОУО",
        "образовательные организации высшего образования",
        "профессиональные образовательные организации",
    ]


def test_004_continuation_with_another_actor_is_flagged():
    it = plan("004").item("S6.12.7")
    assert it.lines == [524, 526]
    assert it.responsible_names == ["МОУО", "ГЭК"]
    assert "continuation_new_actor" in codes(it)


def test_004_three_cell_rows_take_the_deadline_and_inherit_the_responsible():
    p = plan("004")
    it = p.item("S2.2.26")  # L146, fixture from the analysis
    assert it.line == 146
    assert it.deadline_raw == "ноябрь 2020 года"
    assert it.responsible_raw == "КРИПКиПРО"
    assert "responsible" in it.inherited
    assert "missing_column" in codes(it)
    three_cell = [i for i in p.items if "missing_column" in codes(i)]
    assert len(three_cell) == 75
    # S3 1.4–1.27: the responsible is inherited from the parent S3 1
    it = p.item("S3.1.10")
    assert it.deadline_raw == "ноябрь 2020 года"
    assert it.responsible_raw == "МОиНК, ГЭК, ГУ ОЦМКО"
    assert it.inherited_from["responsible"] == "S3.1"


def test_004_date_in_responsible_column_is_moved():
    p = plan("004")
    shifted = [i.id for i in p.items if "column_shift" in codes(i)]
    assert shifted == [f"S2.2.{n}" for n in range(12, 25)]
    it = p.item("S2.2.12")  # L130
    assert it.deadline_raw == "сентябрь 2020 года"
    assert it.responsible_raw == "КРИПКиПРО"
    assert it.inherited == ["responsible"]
    assert "deadline" not in it.inherited


def test_004_organisation_in_deadline_column():
    it = plan("004").item("S6.3.2.16")
    assert it.deadline_raw == "ГУ ОЦМКО"
    assert "actor_in_deadline" in codes(it)


def test_004_inheritance_from_sibling_and_parent_is_marked():
    p = plan("004")
    # previous sibling: S6 2.2.2–2.2.20 take «ГУ ОЦМКО» from 2.2.1
    it = p.item("S6.2.2.5")
    assert it.responsible_raw == "ГУ ОЦМКО"
    assert it.inherited == ["responsible"]
    assert it.inherited_from == {"responsible": "S6.2.2.1"}
    # sibling: S2 2.2–2.11 share 2.1's responsible and deadline
    it = p.item("S2.2.7")
    assert set(it.inherited) == {"responsible", "deadline"}
    assert it.deadline_raw == "в течение учебного года и по заявкам"
    assert it.inherited_from == {"responsible": "S2.2.1", "deadline": "S2.2.1"}
    # parent: S6 14.1–14.7 take responsible and date from 14
    for n in range(1, 8):
        it = p.item(f"S6.14.{n}")
        assert it.deadline_raw == "февраль – апрель 2021 года"
        assert it.responsible_raw == "МОиНК, МОУО, ГУ ОЦМКО"
        assert it.inherited_from == {"responsible": "S6.14", "deadline": "S6.14"}
    # own values are not marked
    assert p.item("S6.2.2.1").inherited == []


def test_004_parents_keep_their_empty_cells():
    p = plan("004")
    empty = [i.id for i in p.items if not i.deadline_raw]
    assert empty == [
        "S3.1",
        "S3.2",
        "S3.3",
        "S4.1",
        "S4.2",
        "S4.3.4",
        "S5.1",
        "S5.3",
        "S6.1",
        "S6.2",
        "S6.2.2",
        "S6.3",
        "S6.3.2",
        "S6.4",
        "S6.6",
        "S6.7",
        "S6.8",
        "S6.10",
        "S6.12",
        "S7.1",
        "S7.2",
        "S7.5",
        "S8.1",
        "S8.2",
    ]
    assert not any("empty_deadline" in codes(i) for i in p.items)


def test_004_unnumbered_row_is_a_sub_item_with_inherited_deadline():
    it = plan("004").item("S3.3.1-u1")
    assert it.parent == "S3.3.1"
    assert it.number is None
    assert it.responsible_names == ["МОиНК", "ГУ ОЦМКО"]
    assert it.deadline_raw == "октябрь – декабрь 2020 года"
    assert it.inherited == ["deadline"]


def test_004_numbering_scheme_and_parents():
    p = plan("004")
    it = p.item("S6.2.2.7")
    assert it.number == "2.2.7" and it.number_raw == "2.2.7."
    assert it.parent == "S6.2.2"
    assert p.item("S6.2.2").parent == "S6.2"
    assert p.item("S6.2").parent is None
    assert p.item("S1.1").deadline_raw == "август – сентябрь 2020 года"
    assert p.item("S1.1").responsible_names == ["МОиНК", "ГУ ОЦМКО"]
    # «1.15» without the trailing dot is read and flagged
    it = p.item("S5.1.15")
    assert it.number_raw == "1.15"
    assert "number_format" in codes(it)
    ids = [i.id for i in p.items]
    assert len(ids) == len(set(ids))


def test_004_schedule_reference_in_responsible_column():
    it = plan("004").item("S2.2.78")
    assert "schedule_in_responsible" in codes(it)
    assert it.responsible_names == ["КРИПКИПРО"]


def test_004_tracks():
    p = plan("004")
    assert p.item("S6.2.1").track == "gia11"  # under S6 2 (ГИА-11)
    assert p.item("S6.3.1").track == "gia9"  # under S6 3 (ГИА-9)
    assert p.item("S6.7.1").track == "essay"
    assert p.item("S6.8").track == "interview"
    assert p.item("S1.3.5").track != "interview"  # «Собеседование с руководителями» is a meeting


def test_004_metadata():
    p = plan("004")
    assert p.title.startswith("ДОРОЖНАЯ КАРТА по подготовке к проведению государственной итоговой аттестации")
    assert p.title.endswith("в Кемеровской области-Кузбассе в 2021 году")
    assert p.approved["date"] == "2020-09-07"
    assert p.approved["number"] == "1462"
    assert p.year == "2020/21"
    assert p.abbreviations["ГУ ОЦМКО"].startswith("Государственное учреждение")
    assert len(p.abbreviations) == 24


# ---------------------------------------------------------------------------
# Items the analyses discuss: 001
# ---------------------------------------------------------------------------


def test_001_merged_deadline_and_responsible_cells():
    p = plan("001")
    merged = [i.id for i in p.items if "merged_deadline_responsible" in codes(i)]
    assert merged == ["G1", "G2", "G3", "G4", "H1", "H2", "H3", "H4", "I1", "I2"]
    g4 = p.item("G4")
    assert g4.deadline_raw == "за 2 недели до начала ГИА"
    assert g4.responsible_names == ["УГСС", "Сектор ГИА"]
    g1 = p.item("G1")
    assert (g1.deadline_raw, g1.responsible_raw) == ("в период ГИА", "Сектор ГИА")
    g3 = p.item("G3")
    assert (g3.deadline_raw, g3.responsible_raw) == ("по договору", "Сектор ГИА, РЦОИ")
    h2 = p.item("H2")
    assert h2.deadline_raw == "Октябрь - ноябрь 2023 года, март - июнь 2024 года"
    assert h2.responsible_names == ["Сектор ГИА", "РЦОИ"]
    # G5 has no responsible at all: flagged, not inherited from G4
    g5 = p.item("G5")
    assert g5.deadline_raw == "февраль - март, апрель-май 2024 года по договору"
    assert g5.responsible_raw == "" and g5.responsible == []
    assert "no_responsible" in codes(g5)
    assert g5.inherited == []


def test_001_continuation_rows_with_empty_number():
    p = plan("001")
    c56 = p.item("C56")
    assert c56.lines == [143, 145]
    assert c56.activity.endswith("основного этапа ГИА-11 в 2024 году на территории Республики Калмыкия»")
    assert c56.deadline_raw == "апрель 2024 года"
    j2 = p.item("J2")
    assert j2.lines == [218, 220]
    assert "наблюдения за экзаменами" in j2.activity
    assert "row_joined" in codes(j2)


def test_001_numbering_restarts_and_numbers_without_dot():
    p = plan("001")
    assert p.item("A1").line == 50
    assert p.item("B1").line == 60
    assert p.item("J3").number == "3" and p.item("J3").number_raw == "3"
    assert p.item("J7").line == 225
    assert all(i.parent is None for i in p.items)


@pytest.mark.parametrize(
    "item_id, deadline, names",
    [
        ("E2", "октябрь 2023 года- май 2023 года", ["Сектор ГИА", "РЦОИ", "БУ ДПО РК «КРИПКРО»", "МОУО"]),
        ("F5", "сентябрь 2023 года - июнь 2023 года", ["ЦПМПК"]),
        ("B4", "ноябрь 2023 года, март 2024 года", ["Руководители МОУО"]),
        ("C24", "январь 2024 года  декабрь 2023 года", ["Сектор ГИА", "БУ РК «ЦОКО»"]),
        ("F8", "ГИА-11: с 01.12. 2023 г. - 01.02. 2024 года, ГИА-9: до 01.03.2024 года", ["МОУО", "РЦОИ"]),
        (
            "B10",
            "в течение 2023-2024 учебного года",
            ["Руководители МОУО", "руководители ОО", "Руководители методических объединений"],
        ),
    ],
)
def test_001_raw_deadlines_kept_exactly(item_id, deadline, names):
    it = plan("001").item(item_id)
    assert it.deadline_raw == deadline
    assert it.responsible_names == names


def test_001_metadata():
    p = plan("001")
    assert p.title.startswith("План мероприятий («дорожная карта») по организации и проведению")
    assert p.approved["number"] == "1992"
    assert p.approved["date"] == "2023-11-01"
    assert p.year == "2023/24"
    assert "approval_date_conflict" in {w.code for w in p.warnings}


def test_001_tracks():
    p = plan("001")
    assert p.item("C11").track == "essay"  # итоговое сочинение 06.12.2023
    assert p.item("C16").track == "interview"  # итоговое собеседование 14.02.2024
    assert p.item("C9").track == "gia11"
    assert p.item("C10").track == "gia9"
    assert p.item("F8").track == "both"


# ---------------------------------------------------------------------------
# 000 and 002
# ---------------------------------------------------------------------------


def test_000_cell_per_line_rows():
    p = plan("000")
    is1 = p.item("1")
    assert is1.section is None
    assert is1.responsible_raw == "горячая линия РЦОИ (884722)39090"
    assert (is1.deadline_start_raw, is1.deadline_end_raw) == ("09.11.2023г.", "29.12.2023г.")
    is4 = p.item("4")
    assert is4.deadline_start_raw == "16.11.2023г. Районы и СПО"
    assert is4.deadline_end_raw == "17.11.2023г. г. Элиста"
    is6 = p.item("6")
    assert is6.deadline_start_raw == "" and is6.deadline_end_raw == "до 24.11.2023г."
    assert is6.deadline_raw == "до 24.11.2023г."
    is8 = p.item("8")  # blank lines inside the row
    assert is8.activity.endswith("6 декабря 2023 г. (1 этап)")
    assert is8.deadline_start_raw == "01.12.2023г. в 12:00 ч."
    assert is8.deadline_end_raw == "01.12.2023г. в 14:00 ч."
    assert p.item("12").responsible_names == ["РЦОИ", "МОУО"]  # «РЦОИ. МОУО»
    assert p.item("15").responsible_names == ["технические специалисты ОО", "руководители ОО"]
    assert p.item("11").responsible_names == ["технические специалисты РЦОИ", "ОО", "руководители ОО"]
    assert all(i.track == "essay" for i in p.items)
    assert p.item("22").line == 181


def test_000_metadata():
    p = plan("000")
    assert p.title == ("План-график проведения итогового сочинения (изложения) (основной этап –6 декабря 2023 года)")
    assert p.approved is None
    assert "approval_placeholder" in {w.code for w in p.warnings}
    assert p.year == "2023/24"


def test_002_items_and_links():
    p = plan("002")
    r9 = p.item("R9")
    assert r9.activity.startswith("Передача протоколов экспертов")
    assert r9.deadline_raw == "Не позднее 20.02.2024"
    assert r9.extra == {"Ссылка": "http://coko.tomsk.ru/exam2024/"}
    r5 = p.item("R5")
    assert "duplicate_table_diff" in codes(r5)
    assert all(i.track == "interview" for i in p.items)
    assert p.approved["kind"] == "письмо" and p.approved["number"] == "54-0370"
    assert p.year == "2023/24"


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_json_shape(prefix):
    p = plan(prefix)
    data = json.loads(json.dumps(p.to_json(), ensure_ascii=False))
    assert len(data["items"]) == len(p.items)
    for item in data["items"]:
        for key in (
            "id",
            "section",
            "number",
            "parent",
            "activity",
            "deadline",
            "responsible",
            "responsible_raw",
            "inherited",
            "warnings",
            "line",
        ):
            assert key in item
        assert "raw" in item["deadline"]
        assert isinstance(item["line"], int)
    ids = [i["id"] for i in data["items"]]
    assert len(ids) == len(set(ids))
    parents = {i["parent"] for i in data["items"] if i["parent"]}
    assert parents <= set(ids)
    # document order
    lines = [i["line"] for i in data["items"]]
    assert lines == sorted(lines)
