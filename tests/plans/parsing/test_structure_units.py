"""Unit tests of the structuring rules on small synthetic plans."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itog.plans.parsing.readers import read_plan
from itog.plans.parsing.structure import (
    WARNING_CODES,
    academic_year,
    detect_track,
    extract_approval,
    extract_title,
    header_roles,
    is_plan_header,
    looks_like_deadline,
    parse_number,
    section_ordinal,
    smart_join,
    split_deadline_responsible,
    split_responsible,
)

HEADER = "№\tМероприятие\tСрок\tОтветственные\n"


def tab_plan(*rows: str, header: str = HEADER) -> bytes:
    return ("План мероприятий на 2024/2025 учебный год\n\n" + header + "\n".join(rows) + "\n").encode()


def codes(item) -> set[str]:
    return {w.code for w in item.warnings}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2.2.7.", ("2.2.7", (2, 2, 7))),
        ("1.15", ("1.15", (1, 15))),
        ("3", ("3", (3,))),
        ("2.10.", ("2.10", (2, 10))),
        ("4)", ("4", (4,))),
        ("09.11.2023г.", None),
        ("Раздел", None),
        ("", None),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_header_roles():
    assert header_roles(["", "Мероприятия", "Ответственные исполнители", "Сроки реализации"]) == [
        "number",
        "activity",
        "responsible",
        "deadline",
    ]
    assert header_roles(["№ п/п", "Наименование работ", "исполнитель", "дата начала", "дата окончания"]) == [
        "number",
        "activity",
        "responsible",
        "start",
        "end",
    ]
    assert header_roles(["Мероприятие", "Дата", "Ответственный", "Ссылка"]) == [
        "activity",
        "deadline",
        "responsible",
        "extra:Ссылка",
    ]
    assert is_plan_header(["", "Основные мероприятия", "Сроки", "Ответственные"])
    assert not is_plan_header(["Сокращение", "Расшифровка"])
    assert not is_plan_header(["1.", "Проведение контрольных мероприятий", "в сроки работы КК", "РЦОИ"])


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("в период ГИА Сектор ГИА", ("в период ГИА", "Сектор ГИА")),
        ("по графику Сектор ГИА, РЦОИ", ("по графику", "Сектор ГИА, РЦОИ")),
        ("за 2 недели до начала ГИА УГСС, Сектор ГИА", ("за 2 недели до начала ГИА", "УГСС, Сектор ГИА")),
        ("постоянно Сектор ГИА, РЦОИ, МОУО", ("постоянно", "Сектор ГИА, РЦОИ, МОУО")),
        ("март, май-июнь 2024 года Сектор ГИА, РЦОИ", ("март, май-июнь 2024 года", "Сектор ГИА, РЦОИ")),
        ("ноябрь 2023 года Сектор ГИА РЦОИ", ("ноябрь 2023 года", "Сектор ГИА РЦОИ")),
        ("февраль - март, апрель-май 2024 года по договору", None),
        ("в течение учебного года", None),
    ],
)
def test_split_deadline_responsible(cell, expected):
    assert split_deadline_responsible(cell) == expected


def test_split_responsible_names_and_persons():
    names, persons = split_responsible("БУ РК «ЦОКО» (Убушаева Е.И.), БУ ДПО РК «КРИПКРО» (Мунчинова Л.Д.)")
    assert names == ["БУ РК «ЦОКО»", "БУ ДПО РК «КРИПКРО»"]
    assert persons == [
        {"name": "Убушаева Е.И.", "organization": "БУ РК «ЦОКО»"},
        {"name": "Мунчинова Л.Д.", "organization": "БУ ДПО РК «КРИПКРО»"},
    ]
    names, persons = split_responsible("Управление общего образования МОиНК (М.П. Гераськина)")
    assert persons[0]["name"] == "М.П. Гераськина"
    assert split_responsible("руководители образовательных организаций (далее – руководители ОО)")[0] == [
        "руководители образовательных организаций"
    ]
    assert split_responsible("РЦОИ. МОУО")[0] == ["РЦОИ", "МОУО"]
    assert split_responsible("МОиНК,")[0] == ["МОиНК"]
    assert split_responsible("Формирование составов РПК (ГИА-9, ГИА-11)")[0] == [
        "Формирование составов РПК (ГИА-9, ГИА-11)"
    ]
    assert split_responsible("")[0] == []


@pytest.mark.parametrize(
    "text, track",
    [
        ("Об организации и проведении итогового сочинения (изложения)", "essay"),
        ("распечатка комплектов на ИС (ИЗ)", "essay"),
        ("Проведение итогового собеседования по русскому языку", "interview"),
        ("Собеседование с руководителями МОУО", None),
        ("Утверждение перечня ППЭ ЕГЭ, ОГЭ, ГВЭ", "both"),
        ("по образовательным программам основного общего образования", "gia9"),
        ("по образовательным программам среднего общего образования", "gia11"),
        ("основного общего и среднего общего образования", "both"),
        ("Сбор информации о ГИА – 9", "gia9"),
        ("Обучение членов ГЭК РК", None),
    ],
)
def test_detect_track(text, track):
    assert detect_track(text) == track


def test_smart_join():
    assert smart_join(["МОУО,", "методические службы, ОО"]) == "МОУО, методические службы, ОО"
    assert smart_join(["http://coko.tomsk.ru/", "exam2024/"]) == "http://coko.tomsk.ru/exam2024/"
    assert smart_join(["информационно-", "технологическое"]) == "информационно-технологическое"
    assert smart_join(["", " а ", ""]) == "а"


def test_looks_like_deadline():
    for text in (
        "март 2021 года",
        "по графику",
        "в течение года",
        "не реже 1 раза в квартал",
        "1 сутки со дня утверждения результатов ГИА",
        "За две недели до итогового собеседования",
    ):
        assert looks_like_deadline(text), text
    for text in ("ГУ ОЦМКО", "МОиНК, ГУ ОЦМКО", "Сектор ГИА"):
        assert not looks_like_deadline(text), text


def test_academic_year():
    assert academic_year("… в 2024 году на территории Республики Калмыкия", None) == "2023/24"
    assert academic_year("(основной этап –6 декабря 2023 года)", None) == "2023/24"
    assert academic_year("… в феврале 2024 года", None) == "2023/24"
    assert academic_year("План на 2020-2021 учебный год", None) == "2020/21"
    # a two-digit second year (the shape most plans use) is the academic year, not «2025» → 2024/25
    assert academic_year("… в 2025/26 учебном году в Оренбургской области", None) == "2025/26"
    assert academic_year("План-график на 2025–26 уч. г.", {"date": "2025-09-10"}) == "2025/26"
    assert academic_year("Дорожная карта ГИА-2026 (2025/2026)", None) == "2025/26"
    assert academic_year("План", {"date": "2020-09-07"}) == "2020/21"
    assert academic_year(None, None) is None


def test_extract_title_and_approval():
    lines = list(
        enumerate(
            [
                "Приложение к приказу",
                "от «15» сентября 2023 г. № 77-п",
                "",
                "**План мероприятий",
                "по подготовке к ГИА**",
                "Пояснение к плану.",
            ],
            start=1,
        )
    )
    title, line = extract_title(lines)
    assert title == "План мероприятий по подготовке к ГИА"
    assert line == 4
    approved, findings = extract_approval(lines)
    assert approved["date"] == "2023-09-15" and approved["number"] == "77-п"
    assert approved["kind"] == "приказ" and not findings


@pytest.mark.parametrize(
    "first_line",
    [
        "Приложение 1 к приказу министерства образования и науки Самарской области",
        "Приложение № 2 к приказу министерства образования и науки Самарской области",
        "ПРИЛОЖЕНИЕ 3 К ПРИКАЗУ министерства образования и науки Самарской области",
    ],
)
def test_approval_from_a_numbered_annex(first_line):
    lines = [(1, first_line), (2, "от 15.09.2025 № 412-од"), (3, "План мероприятий")]
    approved, _ = extract_approval(lines)
    assert approved and approved["date"] == "2025-09-15" and approved["number"] == "412-од"


# ---------------------------------------------------------------------------
# Rules on synthetic text plans
# ---------------------------------------------------------------------------


def test_roman_section_rows_and_restart():
    plan = read_plan(
        tab_plan(
            "I.\tПодготовка\t\t",
            "1.\tСовещание\tмай 2024 года\tРЦОИ",
            "II.\tПроведение\t\t",
            "1.\tЭкзамен\tиюнь 2024 года\tГЭК",
        )
    )
    assert [s.title for s in plan.sections] == ["Подготовка", "Проведение"]
    assert [i.id for i in plan.items] == ["A1", "B1"]


def test_numbered_section_headings_are_the_parents_of_their_items():
    """«II. Организация…» then 2.1, 2.2: the section is the parent (no «нет пункта 2» warnings)."""
    plan = read_plan(
        tab_plan(
            "I. Нормативное обеспечение\t\t\t",
            "1.1.\tПриказ\tдо 01.10.2025\tминистерство",
            "1.2.\tПорядок\tоктябрь 2025 года\tминистерство",
            "Раздел 2. Организация\t\t\t",
            "2.1.\tСовещание\tноябрь 2025 года\tРЦОИ",
            "2.3.\tСочинение\tдекабрь 2025 года\tОО",
            "III\tКонтроль\t\t",
            "3.1.\tПроверка\tмай 2026 года\tминистерство",
            "4.1.\tЧужой номер\tмай 2026 года\tминистерство",
        )
    )
    assert len(plan.sections) == 3
    assert codes(plan.items[0]) == codes(plan.items[1]) == codes(plan.items[2]) == set()
    assert codes(plan.items[3]) == {"number_sequence"}  # 2.2 is missing
    assert codes(plan.items[4]) == set()  # roman «III» in the number column
    assert {"parent_missing", "number_sequence"} <= codes(plan.items[5])  # 4.1 in section III is still an orphan


@pytest.mark.parametrize(
    "numeral, title, expected",
    [
        (None, "I. Нормативное обеспечение", 1),
        (None, "IV. Контроль", 4),
        (None, "XII Итоги", 12),
        (None, "Раздел 3. Оценивание", 3),
        (None, "2) Организация", 2),
        ("IX.", "Мониторинг", 9),
        (None, "Мониторинг", None),
        (None, "Информирование", None),
        (None, "Итоговое собеседование", None),
        (None, "2025 год", None),
    ],
)
def test_section_ordinal(numeral, title, expected):
    assert section_ordinal(numeral, title) == expected


def test_global_numbering_headings_are_sections_and_ids_are_numbers():
    plan = read_plan(
        tab_plan(
            "Этап 1\t\t\t",
            "1.\tА\tмай 2024 года\tРЦОИ",
            "Этап 2\t\t\t",
            "2.\tБ\tиюнь 2024 года\tГЭК",
        )
    )
    assert len(plan.sections) == 2
    assert [i.id for i in plan.items] == ["1", "2"]


def test_subgroup_heading_inside_numbering():
    plan = read_plan(
        tab_plan(
            "Раздел\t\t\t",
            "1.\tРодитель\t\t",
            "1.1.\tПервый\tмай 2024 года\tРЦОИ",
            "Для всех этапов\t\t\t",
            "1.2.\tВторой\tиюнь 2024 года\t",
            "1.3.\tТретий\tиюнь 2024 года\t",
            "2.\tДругой\tиюль 2024 года\tГЭК",
            "Раздел Б\t\t\t",
            "1.\tНовый\tавгуст 2024 года\tОО",
        )
    )
    assert [s.title for s in plan.sections] == ["Раздел", "Раздел Б"]
    assert plan.sections[0].groups == [{"title": "Для всех этапов", "line": 7}]
    assert plan.item("S1.1.2").group == "Для всех этапов"
    assert plan.item("S1.1.3").group == "Для всех этапов"
    assert plan.item("S1.2").group is None
    assert plan.item("S1.1.2").responsible_raw == "РЦОИ"
    assert plan.item("S1.1.2").inherited == ["responsible"]


def test_missing_parent_bad_number_and_sequence():
    plan = read_plan(
        tab_plan(
            "1.\tА\tмай 2024 года\tРЦОИ",
            "2.3.\tБ\tмай 2024 года\tРЦОИ",
            "5.\tВ\tмай 2024 года\tРЦОИ",
            "5а\tГ\tмай 2024 года\tРЦОИ",
        )
    )
    b = plan.item("2.3")
    assert "parent_missing" in codes(b) and b.parent is None
    assert "number_sequence" in codes(plan.item("5"))
    odd = plan.items[-1]
    assert odd.number is None and odd.number_raw == "5а"
    assert "bad_number" in codes(odd)


def test_short_and_long_rows_keep_their_text():
    plan = read_plan(
        tab_plan(
            "1.\tА\tмай 2024 года\tРЦОИ\tлишнее",
            "2.\tБ",
        )
    )
    a, b = plan.items
    assert "extra_cells" in codes(a) and a.responsible_raw == "РЦОИ лишнее"
    assert "short_row" in codes(b)
    # the missing cells are treated as empty and inherited from the sibling
    assert b.inherited == ["responsible", "deadline"]


def test_text_inside_table_region_is_reported():
    plan = read_plan(
        tab_plan(
            "1.\tА\tмай 2024 года\tРЦОИ",
            "Примечание: сроки уточняются",
            "ежегодно по графику.",
            "2.\tБ\tмай 2024 года\tРЦОИ",
        )
    )
    assert len(plan.items) == 2
    assert [w.code for w in plan.warnings].count("text_outside_table") == 2


def test_continuation_after_page_break_vs_unnumbered_row():
    plan = read_plan(
        tab_plan(
            "1.\tПодготовка рекомендаций\tМОиНК,\tоктябрь",
            "",
            "\tпо информированию\tГУ ОЦМКО\t2024 года",
            "\tОтдельная строка без номера\tРЦОИ\t",
            "2.\tДругое\tРЦОИ\tмай 2024 года",
            header="№\tМероприятие\tОтветственные\tСроки\n",
        )
    )
    first = plan.item("1")
    assert first.activity == "Подготовка рекомендаций по информированию"
    assert first.responsible_names == ["МОиНК", "ГУ ОЦМКО"]
    assert first.deadline_raw == "октябрь 2024 года"
    extra = plan.item("1-u1")
    assert extra.parent == "1" and "unnumbered_row" in codes(extra)
    assert extra.deadline_raw == "октябрь 2024 года" and extra.inherited == ["deadline"]


def test_resolve_hook():
    aliases = {"МОиНК": "Министерство", "ГУ ОЦМКО": "РЦОИ", "МОУО": "МОУО", "Кузбассобнадзор": "Кузбассобрнадзор"}
    plan = read_plan(
        tab_plan(
            "1.\tА\tмай 2024 года\tМОиНК Кузбассобнадзор ГУ ОЦМКО МОУО",
            "2.\tБ\tмай 2024 года\tМОиНК, Неизвестный отдел",
        ),
        resolve=aliases.get,
    )
    a, b = plan.items
    assert a.responsible == ["Министерство", "Кузбассобрнадзор", "РЦОИ", "МОУО"]
    assert a.responsible_names == ["МОиНК Кузбассобнадзор ГУ ОЦМКО МОУО"]
    assert "responsible_split_guess" in codes(a)
    assert b.responsible == ["Министерство", "Неизвестный отдел"]
    assert "unresolved_responsible" in codes(b)
    assert plan.to_json()["items"][0]["responsible"] == a.responsible


def test_responsible_written_with_joining_words_and_remarks():
    aliases = {"РЦОИ": "РЦОИ", "МОУО": "МОУО", "ОО": "ОО", "ЦОКО": "РЦОИ"}
    plan = read_plan(
        tab_plan(
            "1.\tА\tмай 2024 года\tОО, МОУО и РЦОИ",
            "2.\tБ\tмай 2024 года\tМОУО/ОО",
            "3.\tВ\tмай 2024 года\tЦОКО совместно с МОУО",
            "4.\tГ\tмай 2024 года\tРЦОИ, ОО (по согласованию)",
            "5.\tД\tмай 2024 года\tИванова А.А. (РЦОИ), Петров П.П. (МОУО)",
            "6.\tЕ\tмай 2024 года\tМОУО и Неизвестный отдел",
        ),
        resolve=aliases.get,
    )
    got = [it.responsible for it in plan.items]
    assert got[:5] == [["ОО", "МОУО", "РЦОИ"], ["МОУО", "ОО"], ["РЦОИ", "МОУО"], ["РЦОИ", "ОО"], ["РЦОИ", "МОУО"]]
    # a part the dictionary does not know: the whole name is kept and said, nothing guessed
    assert got[5] == ["МОУО и Неизвестный отдел"] and "unresolved_responsible" in codes(plan.items[5])


def test_an_organisation_named_in_a_post_is_assigned_and_said():
    aliases = {"РЦОИ": "РЦОИ", "ГБУ «РЦОИ»": "РЦОИ", "МОУО": "МОУО"}
    plan = read_plan(
        tab_plan(
            "1.\tА\tмай 2024 года\tдиректор ГБУ «РЦОИ» Иванов И.И.",
            "2.\tБ\tмай 2024 года\tСидоров С.С., руководитель МОУО",
            "3.\tВ\tмай 2024 года\tначальник отдела ГИА министерства Петров П.П.",
        ),
        resolve=aliases.get,
    )
    a, b, c = plan.items
    assert a.responsible == ["РЦОИ"] and a.persons[0]["organization"] == "ГБУ «РЦОИ»"
    note = next(w for w in a.warnings if w.code == "organization_from_post")
    assert "«ГБУ «РЦОИ»» взята из должности «директор ГБУ «РЦОИ»» (Иванов И.И.)" in note.message
    assert "person_without_organization" not in codes(a)
    assert b.responsible == ["МОУО"] and "organization_from_post" in codes(b)
    # a post whose organisation the dictionary does not know stays a person, said as before
    assert c.responsible == [] and "person_without_organization" in codes(c)
    # without a dictionary nothing is guessed
    plain = read_plan(tab_plan("1.\tА\tмай 2024 года\tдиректор РЦОИ Иванов И.И."))
    assert plain.items[0].responsible == [] and "person_without_organization" in codes(plain.items[0])


def test_parse_deadline_hook_and_failure():
    plan = read_plan(
        tab_plan("1.\tА\tмай 2024 года\tРЦОИ"), parse_deadline=lambda item: {"kind": "month", "text": item.deadline_raw}
    )
    data = plan.to_json()["items"][0]["deadline"]
    assert data == {"raw": "май 2024 года", "kind": "month", "text": "май 2024 года"}

    def broken(item):
        raise ValueError("boom")

    plan = read_plan(tab_plan("1.\tА\tмай 2024 года\tРЦОИ"), parse_deadline=broken)
    assert "deadline_parser_error" in codes(plan.items[0])


def test_every_emitted_code_is_documented():
    from tests.seeds import seed_path

    seen = set()
    for prefix in ("000", "001", "002", "004"):
        plan = read_plan(seed_path(prefix))
        seen |= {w.code for w in plan.warnings}
        seen |= {w.code for it in plan.items for w in it.warnings}
    assert seen <= set(WARNING_CODES)


# ---------------------------------------------------------------------------
# Property: whatever plan we write, every row comes back, in order
# ---------------------------------------------------------------------------

_words = st.text(alphabet="абвгдежзиклмнопрстуф ", min_size=1, max_size=30).map(str.strip).filter(bool)
_months = st.sampled_from(["январь", "март", "май", "сентябрь", "ноябрь"])
_years = st.integers(min_value=2020, max_value=2030)
_actors = st.lists(st.sampled_from(["МОУО", "РЦОИ", "ОО", "Сектор ГИА", "ГЭК"]), min_size=1, max_size=3, unique=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(_words, _months, _years, _actors), min_size=1, max_size=6), min_size=1, max_size=4))
def test_tab_round_trip_property(sections):
    lines = []
    expected = []
    for s_index, rows in enumerate(sections):
        lines.append(f"<b>Раздел {s_index + 1}</b>\t\t\t")
        for n, (activity, month, year, actors) in enumerate(rows, start=1):
            activity = activity[0].upper() + activity[1:]
            deadline = f"{month} {year} года"
            lines.append(f"{n}.\t{activity}\t{deadline}\t{', '.join(actors)}")
            expected.append((activity, deadline, actors))
    plan = read_plan(tab_plan(*lines))
    assert len(plan.sections) == len(sections)
    assert [(i.activity, i.deadline_raw, i.responsible_names) for i in plan.items] == expected
    json.dumps(plan.to_json(), ensure_ascii=False)
