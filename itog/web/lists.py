"""Server-side lists: filter and search (django-filter), sort, paginate with counts from the database,
and export exactly what is filtered as XLSX — inline when small, as a background job when large.

A list is a :class:`ListSpec`: the scoped queryset (``Model.objects.for_user(user, action)`` with its
``select_related``), the filter set, the table columns and the export columns. Every page and every
export goes through :func:`filtered`, so the rows a user sees, counts and exports are the same rows.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from openpyxl import Workbook

from itog.accounts.scope import grants_of, has_perm
from itog.audit.models import EventKind
from itog.audit.services import record, record_export
from itog.core.plural import count_of
from itog.core.tables import write_only_row
from itog.exams.consents import check_pd_export, consents_covered_by
from itog.exams.violations import Refused
from itog.jobs.runner import enqueue, job, progress
from itog.orgs.models import Organization

PER_PAGE = 50
# Up to this many rows the XLSX is written inside the request; above it a background job does it.
INLINE_EXPORT_ROWS = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    label: str
    sort: str = ""  # the ordering key of the filter set's «sort» field; empty = not sortable
    css: str = ""


@dataclass
class ListSpec:
    name: str
    title: str
    filterset: type
    queryset: Callable[..., QuerySet]  # (user, action, **kwargs) -> scoped queryset
    columns: list[Column]
    export_header: list[str] = field(default_factory=list)
    export_row: Callable[[Any], list] | None = None
    export_perm: str = ""
    personal_data: bool = False
    filename: str = "export"
    per_page: int = PER_PAGE


REGISTRY: dict[str, ListSpec] = {}


def register(spec: ListSpec) -> ListSpec:
    REGISTRY[spec.name] = spec
    return spec


def filtered(spec: ListSpec, user, data: QueryDict, action: str = "view", **kwargs):
    """The filter set bound to ``data`` over the user's scoped queryset (its ``.qs`` is the result)."""
    return spec.filterset(data, queryset=spec.queryset(user, action, **kwargs), user=user)


def _querystring(data: QueryDict, drop: tuple[str, ...]) -> str:
    q = data.copy()
    for key in drop:
        q.pop(key, None)
    return q.urlencode()


class DeferredJoinPaginator(Paginator):
    """A page read in two queries: the primary keys of the page (the database sorts and skips only the narrow
    key and sort columns), then the page's rows with their joins by those keys. With 75,000 applications,
    page 1,000 of the participants sorted the whole wide join (every participant and organization column)
    on disk: 0.9 s; the keys alone sort in memory."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        qs = self.object_list
        keys = list(qs.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in qs.filter(pk__in=keys)}
        return self._get_page([rows[k] for k in keys if k in rows], number, self)


def list_context(request, spec: ListSpec, **kwargs) -> dict:
    """Everything a list template needs: the page, the filter form, sortable headers, the export link."""
    fs = filtered(spec, request.user, request.GET, **kwargs)
    paginator = DeferredJoinPaginator(fs.qs, spec.per_page)
    page = paginator.get_page(request.GET.get("page"))
    current = request.GET.get("sort", "")
    base = _querystring(request.GET, ("page", "sort", "export"))
    headers = []
    for col in spec.columns:
        if col.sort:
            desc = current == col.sort
            url = f"?{base}&sort={'-' if desc else ''}{col.sort}" if base else f"?sort={'-' if desc else ''}{col.sort}"
            arrow = "▲" if current == col.sort else "▼" if current == f"-{col.sort}" else ""
            headers.append({"label": col.label, "url": url, "arrow": arrow, "css": col.css})
        else:
            headers.append({"label": col.label, "url": "", "arrow": "", "css": col.css})
    return {
        "filter": fs,
        "page": page,
        "headers": headers,
        "pager_query": _querystring(request.GET, ("page", "export")),
        "export_query": _querystring(request.GET, ("page", "export")),
        "can_export": bool(spec.export_perm) and has_perm(request.user, spec.export_perm),
        "list_title": spec.title,
    }


def _acting_org(user, perm: str):
    grant = next((g for g in grants_of(user) if perm in g.permissions), None)
    if grant is None:
        raise PermissionDenied("Недостаточно прав")
    return Organization.objects.for_user(user).get(pk=grant.org_id)


def write_rows_xlsx(header: list[str], rows, sheet: str, on_progress: Callable[[int], None] | None = None) -> bytes:
    """Stream rows into a write-only workbook (constant memory per row), return the file's bytes."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    ws.append(write_only_row(ws, header))
    n = 0
    for row in rows:
        ws.append(write_only_row(ws, row))  # «=HYPERLINK(…)» in a name stays text (issue 15)
        n += 1
        if on_progress and n % 2000 == 0:
            on_progress(n)
    with tempfile.TemporaryFile() as tmp:
        wb.save(tmp)
        tmp.seek(0)
        return tmp.read()


def export(request, spec: ListSpec, **kwargs) -> HttpResponse:
    """XLSX of exactly the filtered rows. Small: in the request; large: a job with progress."""
    if not spec.export_perm or not has_perm(request.user, spec.export_perm):
        raise PermissionDenied("Недостаточно прав")
    qs = filtered(spec, request.user, request.GET, "export", **kwargs).qs
    if spec.personal_data:  # A38, A39: within the purposes and third parties each covered consent names
        try:
            check_pd_export(consents_covered_by(qs))
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
    total = qs.count()
    if total > INLINE_EXPORT_ROWS:
        params = {k: request.GET.getlist(k) for k in request.GET if k not in ("page", "export")}
        new = enqueue(
            "list-export",
            f"Выгрузка XLSX: {spec.title} ({total} записей)",
            _acting_org(request.user, spec.export_perm),
            user=request.user,
            list=spec.name,
            query=params,
            kwargs=kwargs,
        )
        return redirect("job_detail", pk=new.pk)
    data = write_rows_xlsx(spec.export_header, (spec.export_row(o) for o in qs.iterator(chunk_size=2000)), spec.title)
    # Personal data leaving the system is logged: who, when, how many rows (A37; audit).
    record_export(request, spec.title, total, personal_data=spec.personal_data, fmt="xlsx")
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{spec.filename}.xlsx"'
    return response


def list_or_export(request, spec: ListSpec, **kwargs):
    """``?export=xlsx`` on a list's own URL exports it; otherwise the page context is returned."""
    if request.GET.get("export") == "xlsx":
        return export(request, spec, **kwargs)
    return list_context(request, spec, **kwargs)


@job("list-export")
def run_list_export(current, list: str, query: dict, kwargs: dict):
    """The background half of :func:`export`: same filter set, same scope (the job's creator), progress."""
    spec = REGISTRY[list]
    user = current.created_by
    data = QueryDict(mutable=True)
    for key, values in query.items():
        data.setlist(key, values)
    qs = filtered(spec, user, data, "export", **kwargs).qs
    total = qs.count()
    progress(current, 0, total, "Выгрузка строк")
    content = write_rows_xlsx(
        spec.export_header,
        (spec.export_row(o) for o in qs.iterator(chunk_size=2000)),
        spec.title,
        on_progress=lambda n: progress(current, n, total, f"Выгружено {n} из {total}"),
    )
    kind = EventKind.PD_EXPORT if spec.personal_data else EventKind.EXPORT
    record(
        kind,
        user=user,
        description=f"{spec.title}: {count_of(total, 'запись', 'записи', 'записей')} (xlsx, фоновая выгрузка)",
        what=spec.title,
        rows=total,
        format="xlsx",
        job=current.pk,
    )
    return f"{spec.filename}.xlsx", content
