"""Tests of the Russian deadline grammar (pure Python; run with ``-p no:django``)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itog.plans.parsing.deadline_lexicon import normalize
from itog.plans.parsing.deadlines import (
    ANCHOR_EVENTS,
    APPEAL_FILED,
    EXAM_DAY,
    GIA_END,
    GIA_PERIOD,
    GIA_START,
    KINDS,
    PERIOD_EVENTS,
    AcademicYear,
    Deadline,
    deadline_hook,
    exam_calendar,
    looks_like_actor,
    parse_deadline,
    parse_deadline_cells,
    parse_deadlines_stream,
    resolve,
    run_parse_deadlines,
)
from tests.plans.parsing.deadline_fixtures import (
    ALL_FIXTURES,
    KALMYKIA_001,
    KUZBASS_004,
    NOT_DEADLINES,
    PLAN_SCHEDULE_000,
    SEED_FIXTURES,
    TOMSK_002,
    Fx,
    year_of,
)


def _iso_windows(d: Deadline) -> list[tuple[str | None, str | None]]:
    return [(w.start.isoformat() if w.start else None, w.end.isoformat() if w.end else None) for w in d.windows]


# ---------------------------------------------------------------------------
# the table of every deadline string of the analyses
# ---------------------------------------------------------------------------


def test_fixture_inventory_matches_the_analyses():
    # roadmaps-kalmykia-2024.md §1.3: 63 distinct strings in 145 cells
    assert len(KALMYKIA_001) == 63
    assert sum(f.count for f in KALMYKIA_001) == 145
    assert len({f.raw for f in KALMYKIA_001}) == 63
    # roadmap-kuzbass-2021.md Appendix B: 127 distinct strings
    assert len(KUZBASS_004) == 127
    assert len({f.raw for f in KUZBASS_004}) == 127


@pytest.mark.parametrize("fx", ALL_FIXTURES, ids=lambda f: f.raw[:60] or "<empty>")
def test_fixture(fx: Fx):
    d = parse_deadline(fx.raw, year_of(fx))
    assert d.kind == fx.kind, d.to_json()
    if fx.windows is not None:
        assert _iso_windows(d) == [tuple(w) for w in fx.windows], d.to_json()
    if fx.anchor is not None:
        a = d.anchor
        assert a is not None
        assert (a.event, a.exam, a.offset, a.unit, a.bound) == fx.anchor
    if fx.schedule_ref is not None:
        assert d.schedule_ref == fx.schedule_ref
    if fx.recurrence is not None:
        assert d.recurrence is not None and d.recurrence.freq == fx.recurrence
    assert set(fx.warnings) <= set(d.warning_codes), d.warnings
    # no warning that the fixture does not expect (the seed strings read cleanly)
    assert set(d.warning_codes) <= set(fx.warnings), d.warnings
    assert len(d.warnings) == len(d.warning_codes)
    assert d.raw == fx.raw


def test_only_true_non_deadlines_are_unknown():
    unknown = [f.raw for f in SEED_FIXTURES + TOMSK_002 if parse_deadline(f.raw, year_of(f)).is_unknown]
    assert unknown == ["ГУ ОЦМКО"]
    d = parse_deadline("ГУ ОЦМКО", "2020/21")
    assert d.warnings and "исполнитель" in d.warnings[0]
    for fx in NOT_DEADLINES:
        d = parse_deadline(fx.raw, year_of(fx))
        assert d.kind == "unknown" and d.warnings and d.windows == ()


@pytest.mark.parametrize("fx", PLAN_SCHEDULE_000, ids=lambda f: f.item)
def test_plan_schedule_cells(fx):
    d = parse_deadline_cells(fx.start, fx.end, "2023/24")
    assert d.kind == fx.kind, d.to_json()
    assert _iso_windows(d) == fx.windows
    assert not d.warnings
    if fx.qualifiers is not None:
        for window, expected in zip(d.windows, fx.qualifiers):
            for key, value in expected.items():
                assert window.qualifiers.get(key) == value, window.qualifiers


def test_reversed_windows_kept_with_warning():
    for raw in ("октябрь 2023 года- май 2023 года", "сентябрь 2023 года - июнь 2023 года"):
        d = parse_deadline(raw, "2023/24")
        w = d.windows[0]
        assert w.start > w.end  # kept as written, not swapped
        assert "reversed_window" in d.warning_codes
        assert any("раньше начала" in m for m in d.warnings)


def test_track_qualifiers_attach_to_each_window():
    d = parse_deadline("ГИА-11: с 01.12. 2023 г. - 01.02. 2024 года, ГИА-9: до 01.03.2024 года", "2023/24")
    assert [w.qualifiers["track"] for w in d.windows] == [["ГИА-11"], ["ГИА-9"]]
    assert d.qualifiers["tracks"] == ["ГИА-11", "ГИА-9"]
    d = parse_deadline("Районы и СПО – до 10.01.2024; г. Элиста – до 15.01.2024", "2023/24")
    assert [w.qualifiers["territory"] for w in d.windows] == [["Районы и СПО"], ["г. Элиста"]]


def test_years_carried_leftwards():
    d = parse_deadline("ноябрь 2023 г., март-июнь, сентябрь 2024 года", "2023/24")
    assert _iso_windows(d) == [("2023-11-01", "2023-11-30"), ("2024-03-01", "2024-06-30"), ("2024-09-01", "2024-09-30")]
    # without a plan year too
    d = parse_deadline("с 10 по 25 января 2024")
    assert _iso_windows(d) == [("2024-01-10", "2024-01-25")]
    assert not d.warnings


def test_missing_year_inferred_from_academic_year_without_warning():
    assert _iso_windows(parse_deadline("ноябрь", "2023/24")) == [("2023-11-01", "2023-11-30")]
    assert _iso_windows(parse_deadline("март", "2023/24")) == [("2024-03-01", "2024-03-31")]
    assert not parse_deadline("март", "2023/24").warnings


def test_missing_year_without_academic_year_is_not_guessed():
    d = parse_deadline("ноябрь")
    assert d.windows == () and "year_unknown" in d.warning_codes
    d = parse_deadline("в течение учебного года")
    assert d.kind == "continuous" and d.windows == () and d.warnings


def test_configurable_year_boundary():
    ay = AcademicYear.parse("2023/24", boundary_month=8)
    assert ay.start == date(2023, 8, 1) and ay.end == date(2024, 7, 31)
    d = parse_deadline("в течение учебного года", ay)
    assert _iso_windows(d) == [("2023-08-01", "2024-07-31")]
    assert _iso_windows(parse_deadline("август", ay)) == [("2023-08-01", "2023-08-31")]
    assert _iso_windows(parse_deadline("август", "2023/24")) == [("2024-08-01", "2024-08-31")]


def test_academic_year_parsing():
    for text in ("2023/24", "2023/2024", "2023-2024", "2023–24", "2024", 2024):
        ay = AcademicYear.parse(text)
        assert (ay.start, ay.end, ay.label) == (date(2023, 9, 1), date(2024, 8, 31), "2023/24")
    assert AcademicYear.parse("2023/24").contains(date(2024, 5, 25))
    assert not AcademicYear.parse("2023/24").contains(date(2024, 9, 1))
    assert AcademicYear(2024, 1).end == date(2024, 12, 31)
    with pytest.raises(ValueError):
        AcademicYear.parse("2023/25")
    with pytest.raises(ValueError):
        AcademicYear.parse("учебный год")
    # a bad year does not make the parser raise
    d = parse_deadline("ноябрь", "абв")
    assert "bad_academic_year" in d.warning_codes


def test_latin_lookalikes_and_spacing():
    assert normalize("нoябрь").text == "ноябрь"
    assert normalize("MОУО").text == "моуо"
    assert normalize("portalу").text == "portalу"
    d = parse_deadline("ГИA-11: c 01.12. 2023 г. - 01.02. 2024 гoда", "2023/24")  # Latin A, c, o
    assert _iso_windows(d) == [("2023-12-01", "2024-02-01")]
    assert d.windows[0].qualifiers["track"] == ["ГИА-11"]


def test_word_numbers():
    d = parse_deadline("не позднее двух дней со дня принятия решения КК")
    assert d.anchor.offset == 2 and d.anchor.event == "appeal_decision"
    d = parse_deadline("за три рабочих дня до экзамена")
    assert (d.anchor.offset, d.anchor.unit, d.anchor.bound) == (-3, "working_day", "exact")


def test_schedule_ref_and_owner():
    d = parse_deadline("по отдельному графику ФЦТ")
    assert d.kind == "external" and d.qualifiers["schedule"][0]["owner"] == "ФЦТ"
    d = parse_deadline("по согласованному с Управлением специальной связи Кемеровской области графику")
    assert d.qualifiers["schedule"][0]["owner"] == "Управлением специальной связи Кемеровской области"
    d = parse_deadline("По отдельному плану мероприятий, утвержденному МОиН")
    assert d.qualifiers["schedule"][0]["type"] == "plan"
    d = parse_deadline("по договору")
    assert d.qualifiers["schedule"][0]["type"] == "contract"


def test_responsible_tail_split_off():
    d = parse_deadline("постоянно Сектор ГИА, РЦОИ, МОУО", "2023/24")
    assert d.kind == "continuous"
    assert d.qualifiers["responsible_tail"] == "Сектор ГИА, РЦОИ, МОУО"


def test_times_of_day():
    d = parse_deadline("С 07.02.2024 с 10.00", "2023/24")
    assert d.windows[0].qualifiers["times"] == [{"time": "10:00", "bound": "from"}]
    d = parse_deadline("в день объявления результатов до 18.00 часов")
    assert d.kind == "relative" and d.qualifiers["times"][0] == {"time": "18:00", "bound": "until"}
    # «13.02» stays a date, not a time
    assert _iso_windows(parse_deadline("до 13.02", "2023/24")) == [(None, "2024-02-13")]


# ---------------------------------------------------------------------------
# relative deadlines and resolution
# ---------------------------------------------------------------------------


def test_anchor_vocabulary_documented():
    import itog.plans.parsing.deadlines as mod

    for event in ANCHOR_EVENTS:
        assert f"``{event}``" in mod.__doc__
    assert {GIA_PERIOD} <= PERIOD_EVENTS
    assert set(KINDS) == {
        "date",
        "by_date",
        "window",
        "windows",
        "continuous",
        "recurring",
        "relative",
        "event_period",
        "external",
        "unknown",
    }


def test_exam_calendar_essay_and_interview():
    cal = exam_calendar("2023/24")
    assert list(cal["exam_day:essay"].values()) == [date(2023, 12, 6), date(2024, 2, 7), date(2024, 4, 10)]
    assert list(cal["exam_day:interview"].values()) == [date(2024, 2, 14), date(2024, 3, 13), date(2024, 4, 15)]
    cal = exam_calendar("2024/25")
    assert list(cal["exam_day:essay"].values()) == [date(2024, 12, 4), date(2025, 2, 5), date(2025, 4, 9)]


def test_essay_relative_resolves_from_calendar():
    # essay-procedure-rules.md A26–A28: «не позднее, чем за две недели до даты проведения»
    d = parse_deadline("не позднее чем за две недели до даты проведения итогового сочинения", "2024/25")
    assert d.windows[0].end == date(2024, 11, 20)
    assert d.windows[0].qualifiers["session"] == "основной срок"
    # without an academic year the deadline stays symbolic
    d = parse_deadline("не позднее чем за две недели до даты проведения итогового сочинения")
    assert d.kind == "relative" and d.windows == ()


def test_resolve_working_days_over_holidays():
    d = parse_deadline("не позднее чем за 1 рабочий день до экзамена")
    # exam on Tuesday 09.01.2024: the working day before is Friday 29.12.2023
    assert _iso_windows(Deadline(**{**d.__dict__, "windows": tuple(resolve(d, {EXAM_DAY: date(2024, 1, 9)}))})) == [
        (None, "2023-12-29")
    ]
    d = parse_deadline("за 1 календарный день до экзамена")
    assert [(w.start, w.end) for w in resolve(d, {"exam_day": date(2024, 1, 9)})] == [
        (date(2024, 1, 8), date(2024, 1, 8))
    ]
    d = parse_deadline("на следующий рабочий день после подачи апелляции")
    assert resolve(d, {APPEAL_FILED: date(2024, 4, 26)})[0].start == date(2024, 4, 27)  # transfer Saturday


def test_resolve_bounds():
    a = date(2024, 6, 3)
    within = resolve(parse_deadline("в течение 10 дней после экзамена"), {"exam_day": a})
    assert (within[0].start, within[0].end) == (a, date(2024, 6, 13))
    not_later = resolve(
        parse_deadline("не позднее 2 календарных дней после утверждения результатов председателем ГЭК"),
        {"gek_approval": a},
    )
    assert (not_later[0].start, not_later[0].end) == (a, date(2024, 6, 5))
    after = resolve(parse_deadline("по завершении сроков хранения"), {"storage_end": a})
    assert (after[0].start, after[0].end) == (a, None)
    half = resolve(parse_deadline("в течение полугода по завершении экзаменов"), {GIA_END: a})
    assert half[0].end == date(2024, 12, 3)
    g = resolve(parse_deadline("за 2 недели до начала ГИА"), {GIA_START: date(2024, 5, 23)})
    assert (g[0].start, g[0].end) == (date(2024, 5, 9), date(2024, 5, 9))
    # several exam days → one window each
    many = resolve(parse_deadline("в день проведения экзамена"), {"exam_day": [a, date(2024, 6, 6)]})
    assert [w.start for w in many] == [a, date(2024, 6, 6)]
    # unknown anchor → nothing, no guess
    assert resolve(parse_deadline("за 2 недели до начала ГИА"), {}) == []


def test_resolve_event_period():
    d = parse_deadline("в период проведения ГИА", "2023/24")
    assert d.kind == "event_period" and d.windows == ()
    span = resolve(d, {GIA_START: date(2024, 5, 23), GIA_END: date(2024, 7, 6)})
    assert (span[0].start, span[0].end) == (date(2024, 5, 23), date(2024, 7, 6))
    d2 = parse_deadline("в период ГИА", "2023/24", anchors={GIA_PERIOD: (date(2024, 3, 22), date(2024, 9, 24))})
    assert _iso_windows(d2) == [("2024-03-22", "2024-09-24")]


def test_resolve_passes_absolute_deadlines_through():
    d = parse_deadline("март 2024 года")
    assert resolve(d, {}) == list(d.windows)


# ---------------------------------------------------------------------------
# actor detection, stream, hook, JSON
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ГУ ОЦМКО", True),
        ("Сектор ГИА, РЦОИ", True),
        ("Иванов И.И.", True),
        ("МОиНК, ГУ ОЦМКО", True),
        ("по графику ФЦТ", False),
        ("ноябрь 2023 года", False),
        ("", False),
        ("постоянно", False),
        ("ГИА", False),
    ],
)
def test_looks_like_actor(text, expected):
    assert looks_like_actor(text) is expected


def test_stream_contract():
    lines = [
        "март 2024 года\n",
        "16.11.2023г.\\nРайоны и СПО – 17.11.2023г.\\nг. Элиста\n",
        "\n",
        "за 2 недели до начала ГИА",
    ]
    out = list(parse_deadlines_stream(lines, "2023/24"))
    assert [o["kind"] for o in out] == ["window", "windows", "unknown", "relative"]
    for o in out:
        assert {"raw", "kind", "windows", "anchor", "recurrence", "schedule_ref", "warnings"} <= set(o)
        json.dumps(o, ensure_ascii=False)
    assert out[1]["raw"] == "16.11.2023г.\nРайоны и СПО – 17.11.2023г.\nг. Элиста"
    assert out[1]["windows"][0] == {"start": "2023-11-16", "end": "2023-11-16", "territory": ["Районы и СПО"]}
    assert out[3]["anchor"]["event"] == "gia_start" and out[3]["windows"] == []


def test_run_parse_deadlines_cli_body():
    buf = io.StringIO()
    assert run_parse_deadlines(io.StringIO("ежемесячно\nпо договору\n"), buf, "2023/24") == 0
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert [r["kind"] for r in rows] == ["recurring", "external"]
    buf = io.StringIO()
    assert run_parse_deadlines(io.StringIO("март 2024 года\n"), buf, None, as_json=False) == 0
    assert "window" in buf.getvalue()
    assert run_parse_deadlines(io.StringIO(""), io.StringIO(), "20/2") == 2


def test_hook_for_plan_items():
    class Item:
        deadline_raw = "16.11.2023г. Районы и СПО – 17.11.2023г. г. Элиста"
        deadline_start_raw = "16.11.2023г. Районы и СПО"
        deadline_end_raw = "17.11.2023г. г. Элиста"

    out = deadline_hook("2024")(Item())
    assert out["kind"] == "windows" and "raw" not in out

    class Plain:
        deadline_raw = "по графику"

    assert deadline_hook()(Plain())["kind"] == "external"


def test_deadline_is_frozen_and_json_is_plain():
    d = parse_deadline("ноябрь 2023 года, март 2024 года", "2023/24")
    with pytest.raises(Exception):
        d.kind = "x"  # type: ignore[misc]
    js = d.to_json()
    assert js["windows"] == [{"start": "2023-11-01", "end": "2023-11-30"}, {"start": "2024-03-01", "end": "2024-03-31"}]
    assert js["academic_year"] == "2023/24"
    json.dumps(js, ensure_ascii=False)


def test_non_string_input_does_not_raise():
    assert parse_deadline(None).kind == "unknown"  # type: ignore[arg-type]
    assert parse_deadline(2024).kind == "window"  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

_VOCAB = [
    "январь",
    "марта",
    "ноябрь",
    "декабря",
    "2023",
    "2024 года",
    "г.",
    "-",
    "–",
    ",",
    ";",
    "с",
    "по",
    "до",
    "не позднее",
    "за",
    "дней",
    "рабочих",
    "после",
    "экзамена",
    "в течение",
    "учебного года",
    "ГИА-9:",
    "ГИА-11",
    "г. Элиста",
    "Районы и СПО",
    "01.12.",
    "31.02.2024",
    "10.00",
    "в 12:00 ч.",
    "по графику",
    "ФЦТ",
    "ежемесячно",
    "раз в",
    "квартал",
    "постоянно",
    "\n",
    "включительно",
    "первая среда",
    "конец",
    "2 недели",
    "начала",
    "ГИА",
    "Сектор ГИА",
    "00",
    "99",
    "0.0.0",
]

_phrases = st.lists(st.sampled_from(_VOCAB), min_size=0, max_size=12).map(" ".join)
_years = st.sampled_from([None, "2023/24", "2020/21", "1999", AcademicYear(2030, 1), "мусор"])


def _check_invariants(d: Deadline) -> None:
    assert d.kind in KINDS
    assert len(d.warnings) == len(d.warning_codes)
    assert "internal_error" not in d.warning_codes, d.warnings
    for w in d.windows:
        if w.start is not None and w.end is not None and w.start > w.end:
            assert "reversed_window" in d.warning_codes
    js = d.to_json()
    json.dumps(js, ensure_ascii=False)
    if d.kind == "unknown":
        assert d.warnings and d.windows == ()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120), _years)
def test_never_raises_on_arbitrary_text(text, year):
    d = parse_deadline(text, year)
    assert d.raw == text
    _check_invariants(d)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_phrases, _years)
def test_never_raises_on_deadline_like_text(text, year):
    _check_invariants(parse_deadline(text, year))


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
)
def test_numeric_ranges_keep_order_or_warn(a, b):
    d = parse_deadline(f"с {a:%d.%m.%Y} по {b:%d.%m.%Y}")
    assert d.kind in ("window", "date")
    w = d.windows[0]
    assert (w.start, w.end) == (a, b)
    assert (a > b) == ("reversed_window" in d.warning_codes)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=400),
    st.sampled_from(["календарных", "рабочих", ""]),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31)),
)
def test_resolved_relative_windows_are_ordered(n, mod, anchor_day):
    d = parse_deadline(f"в течение {n} {mod} дней после экзамена".replace("  ", " "))
    for w in resolve(d, {"exam_day": anchor_day}):
        assert w.start is None or w.end is None or w.start <= w.end


def test_year_edges_and_unknown_events_say_their_guess():
    d = parse_deadline("до начала учебного года", year="2025/26")
    assert "до 31.08.2026" in d.warnings[0] and "начало текущего учебного года" in d.warnings[0]
    d = parse_deadline("до конца года", year="2025/26")
    assert "до 31.12.2025" in d.warnings[0]
    d = parse_deadline("до конца учебного года")  # no year: said, not guessed
    assert d.kind == "unknown" and d.windows == () and d.warning_codes == ("year_unknown",)
    d = parse_deadline("в течение 2 дней после получения", year="2025/26")
    assert d.kind == "relative" and "«после получения»" in d.warnings[0]
    assert resolve(d, {}) == []  # counted from nothing the calendar knows: no dates invented
