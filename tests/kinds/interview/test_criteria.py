"""Interview criteria as data: 4 tasks + literacy, 20 points, «зачет» from 10, ОВЗ threshold."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itog.exams.kinds.interview import criteria as cr


@pytest.fixture(scope="module")
def cs():
    return cr.criteria_for("2024/25")


def full_marks(cs, value=None):
    return {c.key: c.max if value is None else min(value, c.max) for c in cs.criteria}


def test_structure(cs):
    assert cs.max_total == 20 and cs.pass_min == 10
    titles = [t for _, t in cs.blocks]
    assert titles[0] == "Чтение текста вслух" and "Пересказ" in titles[1] and "Монолог" in titles[3]
    assert titles[4] == "Диалог" and sum(1 for c in cs.criteria if c.literacy) == 8
    assert "our reading" in cs.source


def test_aggregate_thresholds(cs):
    marks = full_marks(cs)
    assert cr.aggregate(cs, marks).result == "зачет" and cr.aggregate(cs, marks).total == 20
    nine = dict.fromkeys(marks, 0)
    for key in list(marks)[:9]:
        nine[key] = 1
    assert cr.aggregate(cs, nine).total == 9 and cr.aggregate(cs, nine).result == "незачет"
    assert cr.aggregate(cs, nine, ovz_lower_threshold=True).result == "зачет"  # 5 by default
    assert cr.aggregate(cs, nine, True, cr.PassPolicy(pass_min_ovz=9)).result == "зачет"
    assert cr.aggregate(cs, nine, True, cr.PassPolicy(pass_min_ovz=10)).result == "незачет"


def test_validation(cs):
    marks = full_marks(cs)
    marks["2.П1"] = 3
    marks["1.ИЧ"] = "1.5"
    marks["9.X"] = 1
    del marks["3-4.РО"]
    got = cr.validate_marks(cs, marks)
    assert sorted(v.code for v in got) == ["I70", "I70", "I71", "I72"]
    assert any("2.П1" in v.message and "0–2" in v.message for v in got)
    with pytest.raises(ValueError, match="вне допустимого"):
        cr.aggregate(cs, marks)


def test_double_entry(cs):
    a = full_marks(cs)
    b = dict(a, **{"1-2.Г": 0})
    assert cr.compare_entries(a, a) == []
    got = cr.compare_entries(a, b)
    assert [v.code for v in got] == ["I73"] and "1-2.Г" in got[0].message


def test_versioned_by_year(tmp_path):
    src = (cr.DATA_DIR / "interview-2019.json").read_text(encoding="utf-8")
    (tmp_path / "interview-2019.json").write_text(src, encoding="utf-8")
    data = json.loads(src)
    data["valid_from"] = "2026/27"
    data["pass_min"] = 11
    (tmp_path / "interview-2026.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cr.criteria_for("2025/26", tmp_path).pass_min == 10
    assert cr.criteria_for("2026/27", tmp_path).pass_min == 11
    with pytest.raises(LookupError, match="не загружены"):
        cr.criteria_for("2018/19", tmp_path)
    data["tasks"][0]["criteria"][0]["max"] = 2  # maxima no longer add up to 20
    (tmp_path / "interview-2027.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="add up"):
        cr.load_sets(str(tmp_path))


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_total_is_sum_and_result_matches(cs, data):
    marks = {c.key: data.draw(st.integers(0, c.max)) for c in cs.criteria}
    out = cr.aggregate(cs, marks)
    assert out.total == sum(marks.values()) == sum(out.by_block.values())
    assert (out.result == "зачет") == (out.total >= 10)
