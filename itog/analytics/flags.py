"""Risk zones of the results analytics (pure Python, no Django): which schools and experts need
attention, each flag with a Russian sentence that explains itself.

The roadmaps ask to name «школы с низкими результатами» and experts who mark out of line (seed 001,
sections A and B; seed 004, items 1.2 and 1.5). A flag is raised only when the difference is both
statistically significant and large enough to matter: hundreds of schools are tested at once, so the
threshold is ``FLAG_ALPHA`` = 1 % (not 5 %) and a minimal difference in percentage points is required.
All thresholds are named constants below (our reading; the seeds give none).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import stats as S

FLAG_ALPHA = 0.01
MIN_DIFF = 0.10  # a school's «незачет» share differs from its municipality's by ≥ 10 п.п.
MIN_CRITERION_DIFF = 0.10
MIN_JUMP = 0.10  # year over year
ALL_PASS_MIN_N = 30  # «every work is зачет» is suspicious only for a large school …
ALL_PASS_MAX_CHANCE = 0.01  # … when the region's share makes 0 failures that unlikely
MIN_EXPERT_WORKS = 15
MIN_EXPERT_DIFF = 0.08
MIN_RECHECKS_FOR_AGREEMENT = 3
MAX_CHANGED_SHARE = 0.5  # re-checks/перепроверки changed half of an expert's results or more
MIN_ODD_COUNT = 2  # removed / not finished: at least two persons


@dataclass
class Unit:
    """The figures of one school (or registration place) in one session, year or period."""

    key: int
    name: str
    group: int | None = None  # the municipality
    participants: int = 0
    removed: int = 0
    not_finished: int = 0
    checked: int = 0
    failed: int = 0
    criteria: dict[str, tuple[int, int]] = field(default_factory=dict)  # code → (failed, checked)


@dataclass
class ExpertUnit:
    key: int
    name: str
    pool: int | None  # experts compared with each other (the checking commission / municipality)
    checked: int = 0
    failed: int = 0
    rechecked: int = 0
    changed: int = 0


@dataclass(frozen=True)
class Flag:
    kind: str  # school_fail | school_criterion | jump | all_pass | expert_harder | expert_softer | expert_rechecks | removed | not_finished
    unit: int
    name: str
    sentence: str
    p_value: float = 1.0
    link: dict = field(default_factory=dict, hash=False, compare=False)  # what the works list filters by

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]


KIND_TITLES = {
    "school_fail": "Доля «незачета» далека от муниципальной",
    "school_criterion": "Профиль критериев отличается от муниципального",
    "jump": "Резкое изменение к прошлому году",
    "all_pass": "Все работы — «зачет» при большом числе участников",
    "expert_harder": "Эксперт оценивает строже коллег",
    "expert_softer": "Эксперт оценивает мягче коллег",
    "expert_rechecks": "Результаты эксперта часто меняются при перепроверке",
    "removed": "Необычная доля удаленных",
    "not_finished": "Необычная доля не закончивших",
}


def _p(value: float) -> str:
    if value < 0.001:
        return "p < 0,001"
    return f"p = {value:.3f}".replace(".", ",")


def _ci(k: int, n: int) -> str:
    low, high = S.wilson(k, n)
    return f"95 % ДИ {S.pct(low)} – {S.pct(high)}"


def school_flags(units: list[Unit], criteria_titles: dict[str, str] | None = None) -> list[Flag]:
    """Schools whose «незачет» share or a criterion's share is far from the rest of their municipality."""
    criteria_titles = criteria_titles or {}
    totals: dict[int | None, list[int]] = {}
    crit_totals: dict[tuple[int | None, str], list[int]] = {}
    for u in units:
        t = totals.setdefault(u.group, [0, 0])
        t[0] += u.failed
        t[1] += u.checked
        for code, (f, n) in u.criteria.items():
            c = crit_totals.setdefault((u.group, code), [0, 0])
            c[0] += f
            c[1] += n
    flags = []
    for u in units:
        if u.checked < S.MIN_GROUP:
            continue
        k, n = totals[u.group][0] - u.failed, totals[u.group][1] - u.checked
        # the size of the difference first (cheap), the test only then
        if n >= S.MIN_GROUP and abs(u.failed / u.checked - k / n) >= MIN_DIFF:
            cmp = S.compare(u.failed, u.checked, k, n)
            if cmp.p_value < FLAG_ALPHA and abs(cmp.diff) >= MIN_DIFF:
                word = "выше" if cmp.diff > 0 else "ниже"
                flags.append(
                    Flag(
                        "school_fail",
                        u.key,
                        u.name,
                        (
                            f"В {u.name} доля «незачета» {S.pct(u.failed / u.checked)} ({u.failed} из {u.checked}; "
                            f"{_ci(u.failed, u.checked)}) {word}, чем в остальных ОО муниципалитета "
                            f"({S.pct(k / n)}, {k} из {n}): разница {S.pp(cmp.diff)}, значима ({_p(cmp.p_value)})."
                        ),
                        cmp.p_value,
                        {"org": u.key, "result": "незачет"},
                    )
                )
        for code, (f, m) in sorted(u.criteria.items()):
            if m < S.MIN_GROUP:
                continue
            gk, gn = crit_totals[(u.group, code)]
            gk, gn = gk - f, gn - m
            if gn < S.MIN_GROUP or abs(f / m - gk / gn) < MIN_CRITERION_DIFF:
                continue
            cmp = S.compare(f, m, gk, gn)
            if cmp.p_value < FLAG_ALPHA and abs(cmp.diff) >= MIN_CRITERION_DIFF:
                word = "чаще" if cmp.diff > 0 else "реже"
                title = criteria_titles.get(code, "")
                label = f"{code} «{title}»" if title else code
                flags.append(
                    Flag(
                        "school_criterion",
                        u.key,
                        u.name,
                        (
                            f"В {u.name} по критерию {label} «незачет» получают {word}, чем в остальных ОО "
                            f"муниципалитета: {S.pct(f / m)} ({f} из {m}) против {S.pct(gk / gn)}; разница "
                            f"{S.pp(cmp.diff)}, {_p(cmp.p_value)}."
                        ),
                        cmp.p_value,
                        {"org": u.key, "criterion": code},
                    )
                )
    return flags


def jump_flags(current: list[Unit], previous: list[Unit], current_label: str, previous_label: str) -> list[Flag]:
    """Schools whose «незачет» share changed sharply since the previous year."""
    before = {u.key: u for u in previous}
    flags = []
    for u in current:
        p = before.get(u.key)
        if p is None or u.checked < S.MIN_GROUP or p.checked < S.MIN_GROUP:
            continue
        if abs(u.failed / u.checked - p.failed / p.checked) < MIN_JUMP:
            continue
        cmp = S.compare(u.failed, u.checked, p.failed, p.checked)
        if cmp.p_value < FLAG_ALPHA and abs(cmp.diff) >= MIN_JUMP:
            word = "выросла" if cmp.diff > 0 else "снизилась"
            flags.append(
                Flag(
                    "jump",
                    u.key,
                    u.name,
                    (
                        f"В {u.name} доля «незачета» {word} с {S.pct(p.failed / p.checked)} ({previous_label}, "
                        f"{p.failed} из {p.checked}) до {S.pct(u.failed / u.checked)} ({current_label}, {u.failed} из "
                        f"{u.checked}): {S.pp(cmp.diff)}, 95 % ДИ разницы {S.pp(cmp.low)} … {S.pp(cmp.high)}, "
                        f"{_p(cmp.p_value)}."
                    ),
                    cmp.p_value,
                    {"org": u.key, "result": "незачет"},
                )
            )
    return flags


def all_pass_flags(units: list[Unit]) -> list[Flag]:
    """Large schools where every work is «зачет» although, at the region's share, that would be unlikely."""
    k = sum(u.failed for u in units)
    n = sum(u.checked for u in units)
    if not n:
        return []
    flags = []
    for u in units:
        if u.checked < ALL_PASS_MIN_N or u.failed:
            continue
        rk, rn = k - u.failed, n - u.checked
        if not rn:
            continue
        rate = rk / rn
        chance = (1 - rate) ** u.checked
        if chance < ALL_PASS_MAX_CHANCE:
            flags.append(
                Flag(
                    "all_pass",
                    u.key,
                    u.name,
                    (
                        f"В {u.name} все {u.checked} работ оценены «зачетом», хотя в регионе доля «незачета» "
                        f"{S.pct(rate)}: при такой доле ни одного «незачета» среди {u.checked} работ можно ожидать "
                        f"с вероятностью {S.pct(chance, 2)}. Стоит выборочно перепроверить работы."
                    ),
                    chance,
                    {"org": u.key, "result": "зачет"},
                )
            )
    return flags


def odd_share_flags(units: list[Unit], attr: str) -> list[Flag]:
    """Unusual shares of removed (``attr="removed"``) or not-finished participants against the region."""
    k = sum(getattr(u, attr) for u in units)
    n = sum(u.participants for u in units)
    if not n:
        return []
    flags = []
    what = {"removed": "удаленных с экзамена", "not_finished": "не закончивших по уважительной причине"}[attr]
    for u in units:
        x = getattr(u, attr)
        if x < MIN_ODD_COUNT or u.participants < S.MIN_GROUP:
            continue
        rk, rn = k - x, n - u.participants
        if not rn:
            continue
        rate = rk / rn
        if x / u.participants <= rate:
            continue
        p = S.binomial_tail_p(x, u.participants, rate)
        if p < FLAG_ALPHA:
            flags.append(
                Flag(
                    attr,
                    u.key,
                    u.name,
                    (
                        f"В {u.name} {what} {x} из {u.participants} ({S.pct(x / u.participants)}; "
                        f"{_ci(x, u.participants)}), в остальных ОО региона — {S.pct(rate)} ({_p(p)})."
                    ),
                    p,
                    {"org": u.key, "state": attr},
                )
            )
    return flags


def expert_flags(experts: list[ExpertUnit]) -> list[Flag]:
    """Experts who mark harder or softer than the other experts of their pool (works are assigned at random
    within a checking commission, so the works are comparable), and experts whose results re-checks and
    перепроверки often change."""
    pools: dict[int | None, list[int]] = {}
    for e in experts:
        t = pools.setdefault(e.pool, [0, 0])
        t[0] += e.failed
        t[1] += e.checked
    flags = []
    for e in experts:
        if e.checked >= MIN_EXPERT_WORKS:
            k, n = pools[e.pool][0] - e.failed, pools[e.pool][1] - e.checked
            if n >= MIN_EXPERT_WORKS:
                rate = k / n
                diff = e.failed / e.checked - rate
                p = S.binomial_tail_p(e.failed, e.checked, rate) if abs(diff) >= MIN_EXPERT_DIFF else 1.0
                if p < FLAG_ALPHA:
                    kind = "expert_harder" if diff > 0 else "expert_softer"
                    word = "строже" if diff > 0 else "мягче"
                    flags.append(
                        Flag(
                            kind,
                            e.key,
                            e.name,
                            (
                                f"Эксперт {e.name} оценивает {word} коллег своей комиссии: «незачет» в {e.failed} из "
                                f"{e.checked} работ ({S.pct(e.failed / e.checked)}; {_ci(e.failed, e.checked)}), у "
                                f"остальных экспертов — {S.pct(rate)} ({k} из {n}); {_p(p)}." + _agreement(e)
                            ),
                            p,
                            {"expert": e.key},
                        )
                    )
        if e.rechecked >= MIN_RECHECKS_FOR_AGREEMENT and e.changed / e.rechecked >= MAX_CHANGED_SHARE:
            flags.append(
                Flag(
                    "expert_rechecks",
                    e.key,
                    e.name,
                    (
                        f"Повторная проверка и перепроверка изменили результат эксперта {e.name} в {e.changed} из "
                        f"{e.rechecked} работ ({S.pct(e.changed / e.rechecked)})."
                    ),
                    0.0,
                    {"expert": e.key, "rechecked": "1"},
                )
            )
    return flags


def _agreement(e: ExpertUnit) -> str:
    if not e.rechecked:
        return " Повторных проверок и перепроверок его работ не было."
    agreed = e.rechecked - e.changed
    return f" Повторная проверка и перепроверка подтвердили его результат в {agreed} из {e.rechecked} работ."


def sort_flags(flags: list[Flag]) -> list[Flag]:
    order = {k: i for i, k in enumerate(KIND_TITLES)}
    return sorted(flags, key=lambda f: (order[f.kind], f.p_value, f.name))
