"""The tables of the pages, as rows for the templates and as sheets for XLSX (one definition for both)."""

from __future__ import annotations

from . import queries as Q
from . import stats as S

COUNT_COLUMNS = [
    ("registered", "Зарегистрировано"),
    ("participants", "Явились"),
    ("absent", "Не явились"),
    ("not_finished", "Не закончили"),
    ("removed", "Удалены"),
    ("checked", "Проверено работ"),
    ("passed", "«Зачет»"),
    ("failed", "«Незачет»"),
]
FLOW_COLUMNS = [
    ("readmitted", "Повторно допущены"),
    ("rechecks", "Повторных проверок"),
    ("recheck_changed", "…результат изменен"),
    ("pereproverki", "Перепроверок"),
    ("pereproverka_changed", "…результат изменен"),
]


class CriterionRow:
    def __init__(self, code: str, title: str, failed: int, checked: int, ref: tuple[int, int] | None = None):
        self.key, self.title, self.failed, self.checked, self.ref = code, title, failed, checked, ref

    @property
    def small(self) -> bool:
        return self.checked < S.MIN_GROUP

    @property
    def fail_text(self) -> str:
        return S.shown_share(self.failed, self.checked)

    @property
    def ci_text(self) -> str:
        if self.small:
            return ""
        low, high = S.wilson(self.failed, self.checked)
        return f"{S.pct(low)} – {S.pct(high)}"

    @property
    def ref_text(self) -> str:
        return S.shown_share(*self.ref) if self.ref else "—"


def overview(user, f: Q.Filters, org) -> dict:
    qs = Q.facts(user, f, org)
    own = Q.Row(org.pk if org else None, org.display_name if org else "—", Q.totals(qs))
    region = Q.region_row(user, f)
    level, children = Q.children(user, f, org) if org is not None else ("", [])
    titles = Q.criteria_titles(f)
    crit = Q.criteria_of(user, f, org)
    order = list(titles)
    criteria = [
        CriterionRow(code, titles.get(code, ""), k, n, region.criteria.get(code))
        for code, (k, n) in sorted(crit.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0]))
    ]
    return {
        "own": own,
        "region": region,
        "level": level or "Единица",
        "children": children,
        "criteria": criteria,
        "categories": Q.by_category(qs),
        "dates": Q.by_date(qs),
        "forms": Q.by_form(qs),
        "count_columns": COUNT_COLUMNS,
        "flow_columns": FLOW_COLUMNS,
        "share_ci": own.ci_text,
    }


def _row_cells(r: Q.Row) -> list:
    return (
        [r.shown(k) for k, _ in COUNT_COLUMNS]
        + [r.pass_text, r.fail_text, r.ci_text]
        + [getattr(r, k) for k, _ in FLOW_COLUMNS]
    )


_ROW_HEADER = (
    [t for _, t in COUNT_COLUMNS]
    + ["Доля «зачета»", "Доля «незачета»", "95 % ДИ доли «незачета»"]
    + [t for _, t in FLOW_COLUMNS]
)


def export_table(user, f: Q.Filters, org, table: str) -> tuple[list[str], list[list], str, bool]:
    """(header, rows, sheet title, contains personal data) of one table of the pages."""
    if table in ("units", "categories", "dates", "forms"):
        data = overview(user, f, org)
        if table == "units":
            rows = [[org.display_name if org else "—", *_row_cells(data["own"])]]
            rows += [[r.name, *_row_cells(r)] for r in data["children"]]
            rows.append([data["region"].name, *_row_cells(data["region"])])
            return [data["level"], *_ROW_HEADER], rows, "Показатели", False
        items = data[table]
        title = {"categories": "Категории", "dates": "Даты", "forms": "Формы"}[table]
        return (
            [title[:-1] if table != "categories" else "Категория", *_ROW_HEADER],
            [[r.name, *_row_cells(r)] for r in items],
            title,
            False,
        )
    if table == "criteria":
        data = overview(user, f, org)
        return (
            ["Код", "Требование / критерий", "Проверено", "Не выполнили", "Доля", "95 % ДИ", "Регион"],
            [
                [c.key, c.title, c.checked, "—" if c.small else c.failed, c.fail_text, c.ci_text, c.ref_text]
                for c in data["criteria"]
            ],
            "Критерии",
            False,
        )
    if table == "years":
        years, rows = Q.years_table(user, f, org)
        header = ["Единица"]
        for y in years:
            header += [f"{y}: проверено", f"{y}: доля «незачета»", f"{y}: 95 % ДИ", f"{y}: изменение"]
        out = []
        for name, cells in rows:
            line = [name]
            for c in cells:
                line += [c.row.checked, c.row.fail_text, c.row.ci_text, c.change_text]
            out.append(line)
        return header, out, "По годам", False
    if table == "risks":
        flags = Q.risk_flags(user, f, org)
        return (
            ["Вид", "Кого касается", "Пояснение"],
            [[fl.title, fl.name, fl.sentence] for fl in flags],
            "Зоны риска",
            any(fl.kind.startswith("expert") for fl in flags),
        )
    if table == "experts":
        rows = Q.expert_rows(user, f, org)
        out = []
        for e in rows:
            low, high = S.wilson(e.failed, e.checked)
            out.append(
                [
                    e.name,
                    e.checked,
                    e.failed,
                    S.pct(e.failed / e.checked) if e.checked else "—",
                    f"{S.pct(low)} – {S.pct(high)}",
                    e.rechecked,
                    e.changed,
                ]
            )
        return (
            [
                "Эксперт",
                "Проверено работ",
                "«Незачет»",
                "Доля «незачета»",
                "95 % ДИ",
                "Повторно проверено / перепроверено",
                "Результат изменен",
            ],
            out,
            "Эксперты",
            True,
        )
    raise KeyError(table)
