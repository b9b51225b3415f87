"""The statistics and the risk flags (pure Python): properties over many inputs, and worked examples."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itog.analytics import flags as F
from itog.analytics import stats as S

counts = st.integers(min_value=0, max_value=5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@given(counts)
def test_intervals_contain_the_share_and_stay_in_0_1(kn):
    k, n = kn
    for low, high in (S.wilson(k, n), S.clopper_pearson(k, n)):
        assert 0.0 <= low <= high <= 1.0
        if n:
            assert low <= k / n <= high


@given(st.integers(1, 100000))
def test_clopper_pearson_at_zero_is_the_closed_form(n):
    # no failure among n: the exact upper bound is 1 − (α/2)^(1/n)
    low, high = S.clopper_pearson(0, n)
    assert low == 0.0 and high == pytest.approx(1 - 0.025 ** (1 / n), rel=1e-9)
    low, high = S.clopper_pearson(n, n)
    assert high == 1.0 and low == pytest.approx(0.025 ** (1 / n), rel=1e-9)


@given(st.integers(1, 2000), st.floats(0.05, 0.95))
def test_interval_narrows_with_more_participants(n, p):
    k = round(p * n)
    low1, high1 = S.wilson(k, n)
    low4, high4 = S.wilson(4 * k, 4 * n)
    assert high4 - low4 < high1 - low1


def test_known_values():
    # Wilson 95 % for 1 of 10: 0.0179 – 0.4042 (textbook value)
    low, high = S.wilson(1, 10)
    assert low == pytest.approx(0.0179, abs=1e-4) and high == pytest.approx(0.4042, abs=1e-4)
    # Clopper–Pearson 95 % for 1 of 10: 0.0025 – 0.4450
    low, high = S.clopper_pearson(1, 10)
    assert low == pytest.approx(0.00253, abs=1e-4) and high == pytest.approx(0.4450, abs=1e-4)
    with pytest.raises(ValueError):
        S.wilson(5, 3)


@given(counts, counts)
@settings(max_examples=200)
def test_comparison_is_antisymmetric_and_p_is_a_probability(a, b):
    (k1, n1), (k2, n2) = a, b
    c1, c2 = S.compare(k1, n1, k2, n2), S.compare(k2, n2, k1, n1)
    assert 0.0 <= c1.p_value <= 1.0
    assert c1.p_value == pytest.approx(c2.p_value, rel=1e-9, abs=1e-12)
    if n1 and n2:
        assert c1.diff == pytest.approx(-c2.diff)
        assert c1.low <= c1.diff <= c1.high
        assert c1.low >= -1.0 and c1.high <= 1.0


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 400), st.integers(0, 400))
@settings(max_examples=300)
def test_fisher_exact_agrees_with_scipy(a, b, c, d):
    from scipy.stats import fisher_exact

    k1, n1 = min(a, b), max(a, b)
    k2, n2 = min(c, d), max(c, d)
    if n1 == 0 or n2 == 0:
        return
    expected = fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    assert S.fisher_exact(k1, n1, k2, n2) == pytest.approx(expected, rel=1e-6, abs=1e-12)


@given(st.integers(0, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.floats(0.001, 0.999))
@settings(max_examples=300)
def test_binomial_test_agrees_with_scipy(kn, p0):
    from scipy.stats import binomtest

    k, n = kn
    if n == 0:
        return
    assert S.binomial_tail_p(k, n, p0) == pytest.approx(binomtest(k, n, p0).pvalue, rel=1e-6, abs=1e-12)


def test_comparison_significance():
    assert not S.compare(1, 10, 2, 10).significant  # small schools: no conclusion from a bare percentage
    assert S.compare(1, 10, 2, 10).method == "fisher"
    big = S.compare(300, 1000, 200, 1000)
    assert big.method == "z" and big.significant and big.diff == pytest.approx(0.1)
    assert S.compare(0, 0, 3, 10).diff is None


def test_display_never_reveals_small_groups():
    assert S.shown_share(1, 4) == "менее 5 участников"
    assert S.shown_share(1, 5) == "20,0 %"
    assert S.pp(-0.032) == "−3,2 п.п."


def _units(fails, group=1):
    return [
        F.Unit(key=i, name=f"ОО № {i}", group=group, participants=n, checked=n, failed=k)
        for i, (k, n) in enumerate(fails, start=1)
    ]


def test_school_far_from_municipality_is_flagged_with_a_sentence():
    units = _units([(30, 60)] + [(3, 60)] * 9)
    flags = F.school_flags(units)
    assert [f.unit for f in flags] == [1]
    flag = flags[0]
    assert flag.kind == "school_fail" and "ОО № 1" in flag.sentence and "выше" in flag.sentence
    assert "50,0 %" in flag.sentence and "30 из 60" in flag.sentence
    assert flag.link == {"org": 1, "result": "незачет"}


def test_small_school_is_not_flagged_on_a_bare_percentage():
    # 2 of 4 failed (50 %) against 5 %: too few participants to conclude anything
    units = _units([(2, 4)] + [(3, 60)] * 9)
    assert F.school_flags(units) == []


def test_criterion_profile():
    units = _units([(5, 60)] * 10)
    for i, u in enumerate(units):
        u.criteria = {"K2": (25 if i == 0 else 2, 60), "K1": (2, 60)}
    flags = F.school_flags(units, {"K2": "Аргументация"})
    assert [(f.kind, f.unit) for f in flags] == [("school_criterion", 1)]
    assert "K2 «Аргументация»" in flags[0].sentence


def test_year_jump_and_all_pass():
    now, before = _units([(20, 50), (3, 50)]), _units([(3, 50), (3, 50)])
    jumps = F.jump_flags(now, before, "2025/26", "2024/25")
    assert [f.unit for f in jumps] == [1] and "выросла" in jumps[0].sentence
    units = _units([(0, 120)] + [(15, 100)] * 10)
    flags = F.all_pass_flags(units)
    assert [f.unit for f in flags] == [1] and "все 120 работ" in flags[0].sentence
    # the whole region passes: nothing unusual
    assert F.all_pass_flags(_units([(0, 120)] + [(0, 100)] * 10)) == []


def test_removed_share():
    units = _units([(0, 100)] * 10)
    units[3].removed = 6
    units[5].removed = 1
    flags = F.odd_share_flags(units, "removed")
    assert [f.unit for f in flags] == [4] and "удаленных" in flags[0].sentence


def test_experts_harder_softer_and_rechecks():
    experts = [F.ExpertUnit(key=i, name=f"Эксперт {i}", pool=1, checked=80, failed=8) for i in range(10)]
    experts[0].failed = 30
    experts[1].failed = 0
    experts[2].rechecked, experts[2].changed = 4, 3
    flags = F.sort_flags(F.expert_flags(experts))
    kinds = {(f.kind, f.unit) for f in flags}
    assert kinds == {("expert_harder", 0), ("expert_softer", 1), ("expert_rechecks", 2)}
    harder = next(f for f in flags if f.kind == "expert_harder")
    assert "строже" in harder.sentence and "95 % ДИ" in harder.sentence


@given(st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), min_size=2, max_size=30))
@settings(max_examples=150)
def test_flags_never_crash_and_always_explain(raw):
    units = [
        F.Unit(
            key=i,
            name=f"ОО {i}",
            group=i % 3,
            participants=max(a, b),
            checked=max(a, b),
            failed=min(a, b),
            removed=min(a, b) // 3,
        )
        for i, (a, b) in enumerate(raw)
    ]
    out = F.school_flags(units) + F.all_pass_flags(units) + F.odd_share_flags(units, "removed")
    out += F.jump_flags(units, list(reversed(units)), "2025/26", "2024/25")
    for f in out:
        assert f.sentence.endswith(".") and f.name in f.sentence
        assert 0 <= f.p_value <= 1 and not math.isnan(f.p_value)
        # never a flag on a group too small to be shown
        assert next(u for u in units if u.key == f.unit).checked >= S.MIN_GROUP
