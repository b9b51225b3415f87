import re
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from itog.accounts.scope import has_perm, scoped_get
from itog.audit.services import record_export
from itog.jobs.imports import discard_staged, stage_upload, staged_upload, start_import
from itog.orgs.models import Organization
from itog.orgs.services import region_of
from itog.plans import exports, projection
from itog.plans.importing import (
    parse_document,
    referenced_events,
    reread_last_version,
    set_anchors,
)
from itog.plans.models import Assignment, Evidence, Plan, PlanItem, Status
from itog.plans.parsing.deadlines import ANCHOR_EVENTS, AcademicYear
from itog.plans.parsing.lint import campaign_bounds
from itog.plans.parsing.model import PlanReadError
from itog.plans.preview import make_preview, mapping_from
from itog.plans.tracking import (
    ReportError,
    assign,
    monitoring,
    monitoring_rows,
    my_items,
    report_progress,
)

from ..access import requires
from ..forms import (
    AnchorForm,
    AnchorsForm,
    AssignForm,
    PlanUploadForm,
    ProgressForm,
    TemplateForm,
)
from ..params import key_of, keys_of


@requires("plans:view")
def plan_list(request):
    plans = Plan.objects.for_user(request.user).prefetch_related("versions")
    return render(
        request,
        "web/plans/list.html",
        {
            "plans": plans,
            "can_import": has_perm(request.user, "plans:import"),
            "can_monitor": has_perm(request.user, "plans:monitor"),
        },
    )


FORMAT_CHOICES = [
    ("auto", "определить автоматически"),
    ("tab", "текст: таблица с табуляциями"),
    ("cells", "текст: ячейка на строку с табуляцией в начале"),
    ("lines", "текст: ячейка на строку (с «|» или без)"),
    ("pipe", "текст: таблица с «|»"),
    ("markdown", "текст: таблица Markdown"),
    ("fixed", "текст: столбцы выровнены пробелами"),
    ("plain", "текст без разделителей: номера и даты"),
    ("pdf", "PDF с текстовым слоем"),
    ("docx", "DOCX"),
    ("xlsx", "XLSX"),
    ("html", "веб-страница (HTML)"),
]
_YEAR_RE = re.compile(r"^\d{4}(/\d{2}(\d{2})?)?$")


def _upload_form(*args) -> PlanUploadForm:
    form = PlanUploadForm(*args)
    form.fields["format"].choices = FORMAT_CHOICES
    form.fields["file"].label = "Документ (DOCX, XLSX, PDF с текстом, веб-страница HTML, TXT)"
    return form


def _save(request, doc, data, name, region, plan, fmt="auto", year=None, columns=None, header_lines=None):
    """The document parsed in the request (so a non-plan is refused on the form) is saved by a background job
    (issue 15): it parses the stored file again with the same format, year and column mapping, then writes
    the plan (or its next version), its items, assignments and findings in one transaction."""
    job = start_import(
        "import-plan",
        f"Загрузка {'новой версии плана' if plan else 'плана'} «{(doc.plan.title or name)[:200]}»",
        region,
        request,
        data,
        name,
        region_id=region.pk,
        plan_id=plan.pk if plan else None,
        fmt=fmt,
        year=year,
        columns=columns,
        header_lines=sorted(header_lines) if header_lines else None,
    )
    return redirect("job_detail", pk=job.pk)


def _upload(request, plan=None):
    """Upload → preview (the first rows as read, the column roles the user may correct, which rows are
    headers) → import. A POST with a file and no ``step`` imports at once (as the API-like form did)."""
    region = plan.region if plan else region_of(request.user)
    context = {"plan": plan, "preview": None}
    if request.method == "POST" and request.POST.get("staged"):
        form = _upload_form()
        token = request.POST["staged"]
        staged = staged_upload(request.user, token)
        if staged is None:
            gone = (
                "Файл предпросмотра не найден: он уже загружен или хранился больше суток. Загрузите документ ещё раз."
            )
            return render(request, "web/plans/import.html", {**context, "form": form, "stage_error": gone})
        data, name = staged
        fmt = request.POST.get("format", "auto")
        fmt = fmt if fmt in dict(FORMAT_CHOICES) else "auto"
        year = request.POST.get("year", "").strip()
        year = year if _YEAR_RE.match(year) else None
        detected = make_preview(data, name, region, fmt, year).detected
        columns = mapping_from(request.POST, detected)
        header_lines = set(keys_of(request.POST.getlist("header_line"))) or None
        preview = make_preview(data, name, region, fmt, year, columns, header_lines)
        if request.POST.get("step") == "import" and preview.doc is not None:
            saved = _save(request, preview.doc, data, name, region, plan, fmt, year, columns, header_lines)
            discard_staged(request.user, token)
            return saved
        return render(
            request,
            "web/plans/import.html",
            {
                **context,
                "form": form,
                "preview": preview,
                "staged": token,
                "filename": name,
                "fmt": fmt,
                "year": year or "",
                "header_lines": header_lines or set(),
                "mapped": columns is not None,
            },
        )
    form = _upload_form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        fmt, year = form.cleaned_data["format"], form.cleaned_data["year"] or None
        if request.POST.get("step") == "preview" or form.cleaned_data["dry_run"]:
            preview = make_preview(data, upload.name, region, fmt, year)
            if preview.error and not preview.rows:
                form.add_error("file", preview.error)
            else:
                return render(
                    request,
                    "web/plans/import.html",
                    {
                        **context,
                        "form": form,
                        "preview": preview,
                        "staged": stage_upload(request.user, data, upload.name),
                        "filename": Path(upload.name).name,
                        "fmt": fmt,
                        "year": year or "",
                        "header_lines": set(),
                    },
                )
        else:
            try:
                doc = parse_document(data, upload.name, region, fmt=fmt, year=year)
            except PlanReadError as exc:
                form.add_error("file", exc.message)
            else:
                return _save(request, doc, data, upload.name, region, plan, fmt, year)
    return render(request, "web/plans/import.html", {**context, "form": form})


@requires("plans:import")
def plan_import(request):
    return _upload(request)


@requires("plans:import")
def plan_reimport(request, pk):
    return _upload(request, scoped_get(Plan, request.user, "edit", pk=pk))


def _items_and_filters(request, plan) -> dict:
    """The plan's items the user may see, filtered by section and responsible organization."""
    items = PlanItem.objects.for_user(request.user).filter(plan=plan).select_related("section")
    section = request.GET.get("section", "")
    if section:
        items = items.filter(section__code=section)
    actor = request.GET.get("actor", "")
    if key_of(actor):
        items = items.filter(assignments__organization_id=key_of(actor)).distinct()
    return {
        "items": items,
        "query": request.GET,
        "sections": plan.sections.all(),
        "actors": Organization.objects.for_user(request.user).filter(plan_assignments__item__plan=plan).distinct(),
    }


@requires("plans:view")
def plan_detail(request, pk):
    plan = scoped_get(Plan, request.user, pk=pk)
    tab = request.GET.get("tab", "items")
    latest = plan.versions.order_by("-number").first()
    snapshot = latest.snapshot if latest else {}
    context = {
        "confidence": snapshot.get("confidence") or {},
        "layout": snapshot.get("layout") or [],
        "parse_notes": [
            w
            for w in snapshot.get("warnings") or []
            if w.get("severity") != "info" or w.get("code") in ("no_responsible_column", "plain_layout")
        ],
        "plan": plan,
        "tab": tab,
        **_items_and_filters(request, plan),
        "versions": plan.versions.select_related("imported_by").order_by("-number"),
        "findings": plan.findings.select_related("item") if has_perm(request.user, "plans:edit") else None,
        "unresolved": plan.unresolved.all() if has_perm(request.user, "plans:edit") else None,
        "can_edit": has_perm(request.user, "plans:edit"),
        "can_monitor": has_perm(request.user, "plans:monitor"),
        "events": [(ANCHOR_EVENTS.get(e, e), d) for e, d in referenced_events(plan).items()],
    }
    return render(request, "web/plans/detail.html", context)


def _query_without(request, key: str) -> str:
    q = request.GET.copy()
    q.pop(key, None)
    return q.urlencode()


@requires("plans:monitor")
def plan_monitoring(request, pk):
    plan = scoped_get(Plan, request.user, pk=pk)
    return render(
        request,
        "web/plans/monitoring.html",
        {
            "plan": plan,
            "m": monitoring(plan, request.user, actors_page=request.GET.get("apage")),
            "today": timezone.localdate(),
            "apager_query": _query_without(request, "apage"),
        },
    )


@requires("plans:monitor")
def monitoring_overview(request):
    """Monitoring across plans: filter by plan, academic year and status; XLSX for the meeting (logged)."""
    today = timezone.localdate()
    plans = Plan.objects.for_user(request.user).filter(is_template=False).order_by("-year", "title")
    plan_id = request.GET.get("plan", "")
    plan_id = key_of(plan_id)
    plan_id = plan_id if plan_id and plans.filter(pk=plan_id).exists() else None
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    archive = request.GET.get("archive") == "1"
    rows = monitoring_rows(request.user, plan_id=plan_id, year=year, status=status, today=today, archive=archive)
    if request.GET.get("export") == "xlsx":
        chosen = plans.filter(pk=plan_id).first() if plan_id else None
        title = (
            f"Мониторинг исполнения на {today:%d.%m.%Y}"
            + (f": {chosen.title[:150]}" if chosen else "")
            + (f", {year} уч. год" if year and not chosen else "")
        )
        data, count = exports.monitoring_xlsx(rows, today, title)
        record_export(request, "Мониторинг исполнения планов", count, personal_data=False, fmt="xlsx")
        response = HttpResponse(data, content_type=exports.XLSX)
        response["Content-Disposition"] = f'attachment; filename="monitoring-{today:%Y%m%d}.xlsx"'
        return response
    total = rows.count()
    return render(
        request,
        "web/plans/monitoring_all.html",
        {
            "rows": rows[:500],
            "total": total,
            "plans": plans,
            "today": today,
            "years": sorted({p.year for p in plans if p.year}, reverse=True),
            "statuses": [*Status.choices, ("overdue", "просрочено")],
            "f": {"plan": plan_id, "year": year, "status": status, "archive": archive},
            "query": request.GET.urlencode(),
        },
    )


@requires("plans:view")
def plan_timeline(request, pk):
    plan = scoped_get(Plan, request.user, pk=pk)
    context = _items_and_filters(request, plan)
    academic_year = AcademicYear.parse(plan.year) if plan.year and not plan.is_template else None
    timeline = projection.timeline(
        context.pop("items"),
        zoom=request.GET.get("zoom", "month"),
        today=timezone.localdate(),
        bounds=campaign_bounds(academic_year),
    )
    return render(
        request, "web/plans/timeline.html", {"plan": plan, "t": timeline, "today": timezone.localdate(), **context}
    )


@requires("plans:view")
def plan_export(request, pk, fmt):
    plan = scoped_get(Plan, request.user, pk=pk)
    if fmt not in ("docx", "xlsx"):  # the name goes into the download header
        raise Http404("Нет такого формата")
    items = PlanItem.objects.for_user(request.user).filter(plan=plan).select_related("section")
    if fmt == "docx":
        data, ctype = exports.plan_docx(plan, items), exports.DOCX
    else:
        data, ctype = exports.plan_xlsx(plan, items), exports.XLSX
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.{fmt}"'
    return response


@requires("plans:edit")
def plan_template(request, pk):
    plan = scoped_get(Plan, request.user, "edit", pk=pk)
    form = TemplateForm(request.POST or None, initial={"anchor_date": plan.anchor_date})
    if request.method == "POST" and form.is_valid():
        template = projection.make_template(
            plan, form.cleaned_data["anchor_event"], form.cleaned_data["anchor_date"], user=request.user
        )
        messages.success(request, "Создан шаблон: сроки пересчитаны относительно опорного события.")
        return redirect("plan_detail", pk=template.pk)
    return render(request, "web/plans/anchor.html", {"plan": plan, "form": form, "mode": "template"})


@requires("plans:edit")
def plan_instantiate(request, pk):
    template = scoped_get(Plan, request.user, "edit", pk=pk)
    if not template.is_template:
        raise PermissionDenied("Это не шаблон")
    form = AnchorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = projection.instantiate(template, form.cleaned_data["anchor_date"], user=request.user)
        messages.success(request, f"План создан по шаблону на {plan.anchor_date:%d.%m.%Y}.")
        return redirect("plan_detail", pk=plan.pk)
    return render(request, "web/plans/anchor.html", {"plan": template, "form": form, "mode": "instantiate"})


@requires("plans:edit")
def plan_move_anchor(request, pk):
    plan = scoped_get(Plan, request.user, "edit", pk=pk)
    if not plan.anchor_event or plan.is_template:
        raise PermissionDenied("У плана нет опорного события")
    form = AnchorForm(request.POST or None, initial={"anchor_date": plan.anchor_date})
    if request.method == "POST" and form.is_valid():
        result = projection.move_anchor(plan, form.cleaned_data["anchor_date"], user=request.user)
        messages.success(
            request,
            f"Сроки пересчитаны: изменено мероприятий — {result.moved}, уведомлено организаций — {result.notified}.",
        )
        return redirect("plan_detail", pk=plan.pk)
    return render(request, "web/plans/anchor.html", {"plan": plan, "form": form, "mode": "move"})


@requires("plans:view")
def my_plan_items(request):
    archive = request.GET.get("archive") == "1"
    return render(
        request,
        "web/plans/my.html",
        {
            "my": my_items(request.user, archive=archive),
            "today": timezone.localdate(),
            "archive": archive,
            # feed links are issued (and revoked) on «Профиль»: they expire and are stored hashed
            "feeds": Organization.objects.for_user(request.user).filter(plan_assignments__isnull=False).exists(),
        },
    )


@requires("plans:view")
def assignment_detail(request, pk):
    assignment = scoped_get(
        Assignment.objects.select_related("item", "item__plan", "organization"), request.user, pk=pk
    )
    can_report = Assignment.objects.for_user(request.user, "report").filter(pk=pk).exists()
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"status": assignment.status})
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied("Недостаточно прав")
        if form.is_valid():
            try:
                report_progress(
                    assignment,
                    request.user,
                    form.cleaned_data["status"],
                    form.cleaned_data["comment"],
                    request.FILES.getlist("files"),
                )
            except ReportError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Отмечено: {Status(form.cleaned_data['status']).label}.")
                return redirect("assignment_detail", pk=pk)
    reports = assignment.reports.select_related("created_by").prefetch_related("evidence")
    return render(
        request,
        "web/plans/assignment.html",
        {"a": assignment, "form": form, "reports": reports, "can_report": can_report},
    )


@requires("plans:view")
def evidence_download(request, pk):
    evidence = scoped_get(Evidence, request.user, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


def calendar_feed(request, token):
    """iCalendar feed of an organization's items; the signed token stands for the user."""
    user, org = projection.read_feed_token(token)
    if user is None:
        return HttpResponse("Ссылка недействительна", status=404)
    org = scoped_get(Organization, user, pk=org.pk)
    assignments = Assignment.objects.for_user(user).filter(organization=org).select_related("item", "item__plan")
    return HttpResponse(projection.ical(org, assignments), content_type="text/calendar; charset=utf-8")


@requires("plans:edit")
def plan_anchors(request, pk):
    """Dates of the events the plan's relative deadlines count from."""
    plan = scoped_get(Plan, request.user, "edit", pk=pk)
    events = referenced_events(plan)
    form = AnchorsForm(request.POST or None, events=events)
    if request.method == "POST" and form.is_valid():
        changed = set_anchors(plan, {k: v for k, v in form.cleaned_data.items() if v}, user=request.user)
        messages.success(request, f"Даты событий сохранены; пересчитано сроков: {changed}.")
        return redirect("plan_detail", pk=plan.pk)
    return render(request, "web/plans/anchors.html", {"plan": plan, "form": form})


@requires("plans:view")
def item_detail(request, pk, item_pk):
    plan = scoped_get(Plan, request.user, pk=pk)
    item = scoped_get(PlanItem.objects.filter(plan=plan).select_related("section", "parent"), request.user, pk=item_pk)
    can_assign = (
        has_perm(request.user, "plans:edit") and Plan.objects.for_user(request.user, "edit").filter(pk=plan.pk).exists()
    )
    form = AssignForm(request.POST or None, user=request.user, item=item) if can_assign else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Недостаточно прав")
        if form.is_valid():
            assign(item, form.cleaned_data["organization"], form.cleaned_data["person"], user=request.user)
            messages.success(request, f"Назначено: {form.cleaned_data['organization'].display_name}.")
            return redirect("item_detail", pk=plan.pk, item_pk=item.pk)
    return render(
        request,
        "web/plans/item.html",
        {
            "plan": plan,
            "item": item,
            "form": form,
            "assignments": Assignment.objects.for_user(request.user).filter(item=item).select_related("organization"),
            "findings": item.findings.all() if has_perm(request.user, "plans:edit") else None,
            "event_labels": ANCHOR_EVENTS,
        },
    )


@requires("plans:edit")
def plan_reresolve(request, pk):
    """After the alias dictionary was completed: read the last version again, so that
    newly mapped names become assignments (progress already reported is kept)."""
    plan = scoped_get(Plan, request.user, "edit", pk=pk)
    if request.method != "POST":
        return redirect(f"{plan.get_absolute_url()}?tab=findings")
    before = plan.unresolved.count()
    reread_last_version(plan, user=request.user)
    messages.success(
        request, f"Участники сопоставлены заново: не сопоставлено было {before}, стало {plan.unresolved.count()}."
    )
    return redirect(f"{plan.get_absolute_url()}?tab=findings")
