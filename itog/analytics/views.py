"""Pages of the results analytics: drill-down region → municipality → school, three years side by side,
risk zones, experts, the works behind a flag, XLSX of every table, the report as DOCX.

Data comes only from the aggregate tables through the scoping layer (``for_user``); the organization asked
for is fetched with ``scoped_get`` (another municipality's school answers 404).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from itog.accounts.scope import has_perm
from itog.audit.services import record_export
from itog.conduct.models import DayRecord, Work
from itog.core.tables import write_xlsx
from itog.web.access import requires

from . import charts as C
from . import queries as Q
from . import stats as S
from . import tables as T

TABS = [
    ("analytics_overview", "Обзор"),
    ("analytics_years", "По годам"),
    ("analytics_risks", "Зоны риска"),
    ("analytics_experts", "Эксперты"),
]


def _base(request, tab: str) -> dict:
    f = Q.resolve(request.user, Q.Filters.from_request(request.GET))
    org = Q.org_of(request.user, f)
    chain = []
    node = org
    while node is not None and node.depth > 0:
        node = node.parent
        if node is not None and Q.Organization.objects.for_user(request.user).filter(pk=node.pk).exists():
            chain.insert(0, node)
    return {
        "f": f,
        "org": org,
        "crumbs": chain,
        "tab": tab,
        "tabs": [t for t in TABS if t[0] != "analytics_experts" or has_perm(request.user, "analytics:experts")],
        "years": Q.years_available(request.user, f.kind),
        "sessions": Q.sessions_available(request.user, f.kind, f.year) if f.year else [],
        "kinds": list(Q.KIND_LABELS.items()),
        "category_choices": list(Q.CATEGORY_LABELS.items()),
        "form_choices": list(Q.FORM_LABELS.items()),
        "query": f.query(),
        "min_group": S.MIN_GROUP,
    }


def _page(request, ctx: dict, body: str):
    ctx["body"] = body
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "analytics/_main.html", ctx)
    return render(request, "analytics/page.html", ctx)


@requires("analytics:view")
def overview(request):
    ctx = _base(request, "analytics_overview")
    f, org = ctx["f"], ctx["org"]
    data = T.overview(request.user, f, org)
    ctx.update(data)
    ref = data["region"]
    ref_share = ref.failed / ref.checked if ref.checked else None
    ctx["chart_children"] = (
        C.svg_text(
            C.share_bars(
                f"Доля «незачета»: {data['level'].lower()}",
                [(r.name, r.failed, r.checked) for r in data["children"]],
                ref_share,
            )
        )
        if data["children"]
        else ""
    )
    ctx["chart_criteria"] = C.svg_text(
        C.criteria_bars(
            "Не выполнили требование / критерий",
            [(c.key, c.failed, c.checked) for c in data["criteria"]],
            ref.criteria if org is not None and org.depth > 0 else None,
        )
    )
    ctx["chart_categories"] = C.svg_text(
        C.share_bars(
            "Доля «незачета» по категориям участников",
            [(r.name, r.failed, r.checked) for r in data["categories"]],
            ref_share,
        )
    )
    return _page(request, ctx, "analytics/_overview.html")


@requires("analytics:view")
def years(request):
    ctx = _base(request, "analytics_years")
    year_list, table = Q.years_table(request.user, ctx["f"], ctx["org"])
    ctx.update(year_list=year_list, table=table)
    ctx["chart"] = C.svg_text(
        C.year_bars(
            "Доля «незачета» по годам",
            [(name, [(c.row.key, c.row.failed, c.row.checked) for c in cells]) for name, cells in table],
        )
    )
    return _page(request, ctx, "analytics/_years.html")


@requires("analytics:view")
def risks(request):
    ctx = _base(request, "analytics_risks")
    flags = Q.risk_flags(request.user, ctx["f"], ctx["org"])
    ctx["flags"] = flags
    ctx["flag_links"] = [(fl, ctx["f"].query(**{"org": "", **fl.link})) for fl in flags]
    return _page(request, ctx, "analytics/_risks.html")


@requires("analytics:experts")
def experts(request):
    ctx = _base(request, "analytics_experts")
    rows = Q.expert_rows(request.user, ctx["f"], ctx["org"])
    flagged = {(fl.unit): fl for fl in Q.FL.expert_flags(rows)}
    ctx["rows"] = [
        (e, S.pct(e.failed / e.checked) if e.checked else "—", _interval(e.failed, e.checked), flagged.get(e.key))
        for e in rows
    ]
    ctx["chart"] = C.svg_text(
        C.share_bars("Доля «незачета» у экспертов", [(e.name, e.failed, e.checked) for e in rows])
    )
    return _page(request, ctx, "analytics/_experts.html")


def _interval(k: int, n: int) -> str:
    low, high = S.wilson(k, n)
    return f"{S.pct(low)} – {S.pct(high)}"


@requires("analytics:view")
def works(request):
    """The works behind a flag, within the user's scope (works:view / examday:view of the scoping layer)."""
    ctx = _base(request, "analytics_risks")
    ctx["records"] = None
    f = ctx["f"]
    g = request.GET
    state = g.get("state", "")
    if state in ("removed", "not_finished"):
        qs = DayRecord.objects.for_user(request.user).filter(state=state)
        qs = qs.filter(application__session__kind=f.kind, application__session__academic_year=f.year)
        if f.session:
            qs = qs.filter(application__session_id=f.session)
        if ctx["org"] is not None:
            qs = qs.filter(application__registration_org__path__startswith=ctx["org"].path)
        ctx["records"] = qs.select_related(
            "application__session", "application__participant__registration_org", "venue"
        ).order_by("application__session__date", "pk")[:500]
    else:
        qs = Work.objects.for_user(request.user).filter(
            session__kind=f.kind, session__academic_year=f.year, session__published_at__isnull=False
        )
        if f.session:
            qs = qs.filter(session_id=f.session)
        if ctx["org"] is not None:
            qs = qs.filter(application__registration_org__path__startswith=ctx["org"].path)
        if g.get("result") in ("зачет", "незачет"):
            qs = qs.filter(result=g["result"])
        code = g.get("criterion", "")
        if code.isalnum() and len(code) <= 10:
            qs = qs.filter(**{f"transfer_marks__{code}": "незачет"}) | qs.filter(
                **{f"transfer_requirements__{code}": "незачет"}
            )
        if g.get("expert", "").isdigit():
            if not has_perm(request.user, "analytics:experts"):
                raise Http404("Запись не найдена")
            qs = qs.filter(expert_id=int(g["expert"]))
            if g.get("rechecked"):
                qs = qs.filter(rechecks__status="closed").distinct()
        ctx["works"] = qs.select_related("session", "application__participant__registration_org").order_by(
            "session__date", "work_code"
        )[:500]
    ctx["total"] = qs.count()
    return _page(request, ctx, "analytics/_works.html")


@requires("analytics:view")
def export(request, table: str):
    ctx = _base(request, "analytics_overview")
    try:
        header, rows, title, personal = T.export_table(request.user, ctx["f"], ctx["org"], table)
    except KeyError:
        raise Http404("Таблица не найдена") from None
    if personal and not has_perm(request.user, "analytics:experts"):
        raise Http404("Таблица не найдена")
    record_export(request, f"Аналитика: {title}", len(rows), personal_data=personal, fmt="xlsx")
    response = HttpResponse(
        write_xlsx(header, rows, title=title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="analytics-{table}.xlsx"'
    return response


@requires("analytics:view")
def report(request):
    from .report import build_report

    ctx = _base(request, "analytics_overview")
    if not ctx["f"].year or ctx["org"] is None:
        raise Http404("Нет данных для отчета")
    data = build_report(request.user, ctx["f"], ctx["org"])
    record_export(request, "Аналитика: статистико-аналитический отчет", 1, personal_data=False, fmt="docx")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = 'attachment; filename="analytics-report.docx"'
    return response
