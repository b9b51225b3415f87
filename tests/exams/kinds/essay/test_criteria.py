"""Federal criteria as versioned data; the aggregation of the expert's marks."""

from __future__ import annotations

import json

import pytest

from itog.exams.kinds.essay import criteria as crit
from itog.exams.kinds.essay.criteria import FAIL, PASS, aggregate, count_words, criteria_for

ALL_PASS = {f"K{i}": PASS for i in range(1, 6)}
REQ_OK = {"T1": PASS, "T2": PASS}


def test_essay_set_and_titles():
    s = criteria_for("essay", "2025/26")
    assert [c.code for c in s.criteria] == ["K1", "K2", "K3", "K4", "K5"]
    assert s.criteria[1].title == "Аргументация. Привлечение литературного материала"
    assert s.requirement("T1").min_words == 250
    assert criteria_for("exposition", "2023/24").requirement("T1").min_words == 150


def test_requirement_1_fewer_words_fails_and_stops_checking():
    outcome = aggregate(criteria_for("essay", "2023/24"), {"T1": FAIL, "T2": PASS}, {})
    assert outcome.overall == FAIL and not outcome.checked_criteria
    assert "Объем итогового сочинения" in outcome.reasons[0]


def test_k1_and_k2_plus_one_more_pass():
    s = criteria_for("essay", "2023/24")
    assert aggregate(s, REQ_OK, {**ALL_PASS, "K3": FAIL, "K4": FAIL}).overall == PASS
    assert aggregate(s, REQ_OK, {**ALL_PASS, "K3": FAIL, "K4": FAIL, "K5": FAIL}).overall == FAIL
    failed = aggregate(s, REQ_OK, {**ALL_PASS, "K2": FAIL})
    assert failed.overall == FAIL and "K2" in failed.reasons[0]


def test_missing_marks_are_refused():
    with pytest.raises(ValueError, match="Не выставлены оценки: K5"):
        aggregate(criteria_for("essay", "2023/24"), REQ_OK, {f"K{i}": PASS for i in range(1, 5)})


def test_a_new_year_is_a_new_file(tmp_path, monkeypatch):
    data = json.loads((crit.DATA_DIR / "essay-2019.json").read_text(encoding="utf-8"))
    data["valid_from"] = "2027/28"
    data["criteria"][4]["title"] = "Грамотность (новая редакция)"
    (tmp_path / "essay-2027.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "essay-2019.json").write_text(
        (crit.DATA_DIR / "essay-2019.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setattr(crit, "DATA_DIR", tmp_path)
    crit._all_sets.cache_clear()
    try:
        assert criteria_for("essay", "2026/27").criteria[4].title == "Грамотность"
        assert criteria_for("essay", "2027/28").criteria[4].title == "Грамотность (новая редакция)"
        with pytest.raises(LookupError, match="не загружены"):
            criteria_for("exposition", "2026/27")
    finally:
        crit._all_sets.cache_clear()


def test_word_count_counts_function_words_and_hyphenated_words():
    assert count_words("Я думаю, что по-моему это так: 1945 год.") == 7
