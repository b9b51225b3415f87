"""What the pages show, read from the aggregate tables through the scoping layer (database aggregation;
Python only formats the aggregated rows)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum

from itog.exams.kinds.base import ExamForm
from itog.exams.models import Category, ExamKind
from itog.orgs.models import Organization

from . import flags as FL
from . import stats as S
from .models import COUNTERS, CriterionFact, ExpertFact, RegionFact, ResultFact
from .refresh import criteria_codes

SUMS = {k: Sum(k) for k in COUNTERS}
CATEGORY_LABELS = dict(Category.choices())
FORM_LABELS = {**dict(ExamForm.choices()), "interview": "собеседование"}
KIND_LABELS = dict(ExamKind.choices)


@dataclass
class Filters:
    kind: str = "essay"
    year: str = ""
    session: int | None = None
    category: str = ""
    health: str = ""  # "", "1" (ОВЗ, инвалидность), "0"
    form: str = ""
    org: int | None = None

    @classmethod
    def from_request(cls, data) -> Filters:
        def num(name):
            value = data.get(name, "")
            return int(value) if str(value).isdigit() else None

        kind = data.get("kind") or "essay"
        return cls(
            kind=kind if kind in KIND_LABELS else "essay",
            year=data.get("year", "")[:9],
            session=num("session"),
            category=data.get("category", "")[:20],
            health=data.get("health", "") if data.get("health") in ("0", "1") else "",
            form=data.get("form", "")[:20],
            org=num("org"),
        )

    def query(self, **override) -> str:
        from urllib.parse import urlencode

        values = {
            "kind": self.kind,
            "year": self.year,
            "session": self.session or "",
            "category": self.category,
            "health": self.health,
            "form": self.form,
            "org": self.org or "",
        }
        values.update(override)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _narrow(qs, f: Filters, prefix: str = "", year: bool = True):
    p = prefix
    qs = qs.filter(**{f"{p}kind": f.kind})
    if year and f.year:
        qs = qs.filter(**{f"{p}academic_year": f.year})
    if f.session and year:
        qs = qs.filter(**{f"{p}session_id": f.session})
    if f.category:
        qs = qs.filter(**{f"{p}category": f.category})
    if f.health:
        qs = qs.filter(**{f"{p}health": f.health == "1"})
    if f.form:
        qs = qs.filter(**{f"{p}form": f.form})
    return qs


def years_available(user, kind: str) -> list[str]:
    years = (
        RegionFact.objects.for_user(user)
        .filter(kind=kind)
        .values_list("academic_year", flat=True)
        .distinct()
        .order_by("-academic_year")
    )
    return list(years)


def sessions_available(user, kind: str, year: str) -> list[dict]:
    return list(
        RegionFact.objects.for_user(user)
        .filter(kind=kind, academic_year=year)
        .values("session_id", "exam_date", "stage")
        .distinct()
        .order_by("exam_date")
    )


def resolve(user, f: Filters) -> Filters:
    if not f.year:
        years = years_available(user, f.kind)
        f.year = years[0] if years else ""
    return f


@dataclass
class Row:
    """Figures of one unit (region, municipality, school, category, date, year)."""

    key: object
    name: str
    counts: dict
    link: str = ""
    criteria: dict = field(default_factory=dict)  # code → (failed, checked)

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name] or 0
        raise AttributeError(name)

    @property
    def small(self) -> bool:
        return self.checked < S.MIN_GROUP

    @property
    def fail_share(self):
        return S.share(self.failed, self.checked)

    @property
    def pass_text(self) -> str:
        return S.shown_share(self.passed, self.checked)

    @property
    def fail_text(self) -> str:
        return S.shown_share(self.failed, self.checked)

    @property
    def ci_text(self) -> str:
        if self.small:
            return ""
        sh = self.fail_share
        return f"{S.pct(sh.low)} – {S.pct(sh.high)}"

    def shown(self, name: str):
        """A count, hidden in a group too small to show (it would reveal a person)."""
        if name in ("passed", "failed") and self.small:
            return "—"
        return getattr(self, name)


def _counts(d: dict) -> dict:
    return {k: d.get(k) or 0 for k in COUNTERS}


def totals(qs) -> dict:
    return _counts(qs.aggregate(**SUMS))


def org_of(user, f: Filters) -> Organization | None:
    """The organization the page is about: the one asked for (404 outside the scope) or the user's widest."""
    from itog.accounts.scope import grants_of, scoped_get

    if f.org:
        return scoped_get(Organization, user, pk=f.org)
    grants = [g for g in grants_of(user) if "analytics:view" in g.permissions]
    if not grants:
        return None
    g = min(grants, key=lambda g: (0 if g.reach.value == "region" else 1, g.org_path.count("/")))
    path = g.region_path if g.reach.value == "region" else g.org_path
    return Organization.objects.for_user(user).filter(path=path).first()


def facts(user, f: Filters, org: Organization | None, year: bool = True):
    qs = _narrow(ResultFact.objects.for_user(user), f, year=year)
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    return qs


def region_row(user, f: Filters, year: bool = True) -> Row:
    qs = _narrow(RegionFact.objects.for_user(user), f, year=year)
    crit: dict[str, list[int]] = {}
    for c in qs.values_list("criteria", flat=True):
        for code, (k, n) in c.items():
            t = crit.setdefault(code, [0, 0])
            t[0] += k
            t[1] += n
    return Row("region", "Регион в целом", totals(qs), criteria={k: tuple(v) for k, v in crit.items()})


def criteria_of(user, f: Filters, org: Organization | None) -> dict[str, tuple[int, int]]:
    qs = _narrow(CriterionFact.objects.for_user(user), f, prefix="fact__")
    if org is not None:
        qs = qs.filter(fact__org_path__startswith=org.path)
    return {
        r["code"]: (r["f"] or 0, r["n"] or 0) for r in qs.values("code").annotate(f=Sum("failed"), n=Sum("checked"))
    }


def criteria_titles(f: Filters) -> dict[str, str]:
    forms = [f.form] if f.form else list(FORM_LABELS)
    return dict(criteria_codes(f.kind, forms, f.year or "2019/20"))


def _names(user, ids) -> dict[int, str]:
    rows = (
        Organization.objects.for_user(user).filter(pk__in=[i for i in ids if i]).values_list("pk", "short_name", "name")
    )
    return {pk: short or name for pk, short, name in rows}


def children(user, f: Filters, org: Organization) -> tuple[str, list[Row]]:
    """The units one level below ``org``: municipalities of a region, schools of a municipality."""
    qs = facts(user, f, org)
    if org.depth == 0:
        level, key = "Муниципалитет", "municipality_id"
    elif org.depth == 1:
        level, key = "Образовательная организация", "org_id"
    else:
        return "", []
    rows = list(qs.values(key).annotate(**SUMS).order_by(key))
    names = _names(user, [r[key] for r in rows])
    out = []
    for r in rows:
        pk = r[key]
        if pk is None:
            name, link = "Региональные места регистрации", ""
        elif pk == org.pk:
            name, link = f"Зарегистрированы в {org.display_name}", ""
        else:
            name, link = names.get(pk, f"№ {pk}"), f.query(org=pk)
        out.append(Row(pk, name, _counts(r), link))
    out.sort(key=lambda row: row.name)
    return level, out


def by_category(qs) -> list[Row]:
    rows = qs.values("category", "health").annotate(**SUMS).order_by("category", "health")
    return [
        Row(
            (r["category"], r["health"]),
            CATEGORY_LABELS.get(r["category"], r["category"]) + (" (ОВЗ, инвалидность)" if r["health"] else ""),
            _counts(r),
        )
        for r in rows
    ]


def by_date(qs) -> list[Row]:
    rows = qs.values("session_id", "exam_date", "stage").annotate(**SUMS).order_by("exam_date")
    stage = {"main": "основной срок", "additional": "дополнительный срок"}
    return [
        Row(r["session_id"], f"{r['exam_date']:%d.%m.%Y} ({stage.get(r['stage'], r['stage'])})", _counts(r))
        for r in rows
    ]


def by_form(qs) -> list[Row]:
    rows = qs.values("form").annotate(**SUMS).order_by("form")
    return [Row(r["form"], FORM_LABELS.get(r["form"], r["form"]), _counts(r)) for r in rows]


@dataclass
class YearCell:
    row: Row
    change: S.Comparison | None = None

    @property
    def change_text(self) -> str:
        if self.change is None or self.change.diff is None or self.row.small:
            return ""
        mark = " (значимо)" if self.change.significant else " (незначимо)"
        return S.pp(self.change.diff) + mark


def year_series(user, f: Filters, org: Organization | None, n: int = 3) -> list[str]:
    return (
        sorted(years_available(user, f.kind))[-n:]
        if not f.year
        else [y for y in sorted(years_available(user, f.kind)) if y <= f.year][-n:]
    )


def years_table(user, f: Filters, org: Organization | None) -> tuple[list[str], list[tuple[str, list[YearCell]]]]:
    """Rows: the unit itself and its children (or the region for a school user), columns: three years."""
    years = year_series(user, f, org)
    g = Filters(**{**f.__dict__, "session": None})
    qs = facts(user, g, org, year=False).filter(academic_year__in=years)
    units: list[tuple[str, dict[str, dict]]] = []
    own = {r["academic_year"]: _counts(r) for r in qs.values("academic_year").annotate(**SUMS)}
    units.append((org.display_name if org else "Итого", own))
    if org is not None and org.depth < 2:
        key = "municipality_id" if org.depth == 0 else "org_id"
        per: dict[int, dict[str, dict]] = {}
        for r in qs.values(key, "academic_year").annotate(**SUMS):
            per.setdefault(r[key], {})[r["academic_year"]] = _counts(r)
        names = _names(user, per)
        for pk in sorted(per, key=lambda p: names.get(p, "")):
            if pk and pk != org.pk:
                units.append((names.get(pk, f"№ {pk}"), per[pk]))
    if org is None or org.depth > 0:
        reg = _narrow(RegionFact.objects.for_user(user), g, year=False).filter(academic_year__in=years)
        units.insert(
            1,
            ("Регион в целом", {r["academic_year"]: _counts(r) for r in reg.values("academic_year").annotate(**SUMS)}),
        )
    table = []
    for name, per_year in units:
        cells, prev = [], None
        for y in years:
            row = Row(y, y, per_year.get(y, _counts({})))
            change = None
            if prev is not None and row.checked and prev.checked:
                change = S.compare(row.failed, row.checked, prev.failed, prev.checked)
            cells.append(YearCell(row, change))
            prev = row
        table.append((name, cells))
    return years, table


def _units(rows) -> list[FL.Unit]:
    return [
        FL.Unit(
            key=r["org_id"],
            name="",
            group=r["municipality_id"],
            participants=r["participants"] or 0,
            removed=r["removed"] or 0,
            not_finished=r["not_finished"] or 0,
            checked=r["checked"] or 0,
            failed=r["failed"] or 0,
        )
        for r in rows
    ]


def risk_flags(user, f: Filters, org: Organization | None) -> list[FL.Flag]:
    """Every flag of the year (or date) within the user's scope, below ``org``."""
    qs = facts(user, f, org)
    units = _units(qs.values("org_id", "municipality_id").annotate(**SUMS))
    crit = _narrow(CriterionFact.objects.for_user(user), f, prefix="fact__")
    if org is not None:
        crit = crit.filter(fact__org_path__startswith=org.path)
    by_org: dict[int, dict] = {}
    for r in crit.values("fact__org_id", "code").annotate(k=Sum("failed"), n=Sum("checked")):
        by_org.setdefault(r["fact__org_id"], {})[r["code"]] = (r["k"] or 0, r["n"] or 0)
    names = _names(user, [u.key for u in units])
    for u in units:
        u.name = names.get(u.key, f"№ {u.key}")
        u.criteria = by_org.get(u.key, {})
    places = _places(user, units)
    units = [u for u in units if u.key not in places]
    out = FL.school_flags(units, criteria_titles(f)) + FL.all_pass_flags(units)
    out += FL.odd_share_flags(units, "removed") + FL.odd_share_flags(units, "not_finished")
    years = years_available(user, f.kind)
    if f.year in years and years.index(f.year) + 1 < len(years):
        prev_year = years[years.index(f.year) + 1]
        g = Filters(**{**f.__dict__, "year": prev_year, "session": None})
        previous = _units(facts(user, g, org).values("org_id", "municipality_id").annotate(**SUMS))
        if f.session:  # a date was chosen: the jump is still year against year
            cur = Filters(**{**f.__dict__, "session": None})
            current = _units(facts(user, cur, org).values("org_id", "municipality_id").annotate(**SUMS))
            more = _names(user, [u.key for u in current if u.key not in names])
            for u in current:
                u.name = names.get(u.key) or more.get(u.key, f"№ {u.key}")
            current = [u for u in current if u.key not in places]
        else:
            current = units
        out += FL.jump_flags(current, previous, f.year, prev_year)
    out += expert_flags(user, f, org)
    return FL.sort_flags(out)


def _places(user, units) -> set[int]:
    """Registration places that are not schools (МОУО, ministry): not compared with schools."""
    return set(
        Organization.objects.for_user(user)
        .filter(pk__in=[u.key for u in units])
        .exclude(kind="school")
        .values_list("pk", flat=True)
    )


def expert_rows(user, f: Filters, org: Organization | None) -> list[FL.ExpertUnit]:
    qs = ExpertFact.objects.for_user(user, "experts").filter(kind=f.kind)
    if f.year:
        qs = qs.filter(academic_year=f.year)
    if f.session:
        qs = qs.filter(session_id=f.session)
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    rows = list(
        qs.values("expert_id", "expert__last_name", "expert__first_name", "expert__middle_name", "pool_id")
        .annotate(c=Sum("checked"), k=Sum("failed"), r=Sum("rechecked"), ch=Sum("changed"))
        .order_by("expert__last_name", "expert_id")
    )
    return [
        FL.ExpertUnit(
            key=r["expert_id"],
            name=" ".join(p for p in (r["expert__last_name"], r["expert__first_name"], r["expert__middle_name"]) if p),
            pool=r["pool_id"],
            checked=r["c"] or 0,
            failed=r["k"] or 0,
            rechecked=r["r"] or 0,
            changed=r["ch"] or 0,
        )
        for r in rows
    ]


def expert_flags(user, f: Filters, org: Organization | None) -> list[FL.Flag]:
    from itog.accounts.scope import has_perm

    if not has_perm(user, "analytics:experts"):
        return []
    return FL.expert_flags(expert_rows(user, f, org))
