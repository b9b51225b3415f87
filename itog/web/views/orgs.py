from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from itog.accounts.scope import can, has_perm, may_in, scoped_get
from itog.audit.services import record_export
from itog.core.tables import write_csv, write_xlsx
from itog.jobs.imports import refused_table, start_import
from itog.orgs import directory
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization, Place
from itog.orgs.services import directory_rows, region_of

from ..access import requires
from ..forms import ImportForm, OrganizationForm
from ..list_specs import ORGANIZATIONS
from ..lists import filtered, list_context


def _filtered(request):
    return filtered(ORGANIZATIONS, request.user, request.GET).qs


@requires("orgs:view")
def org_list(request):
    return render(request, "web/orgs/list.html", list_context(request, ORGANIZATIONS))


@requires("orgs:view")
def org_detail(request, pk):
    org = scoped_get(Organization, request.user, pk=pk)
    children = (
        Organization.objects.for_user(request.user)
        .filter(parent=org)
        .annotate(n_students=Count("students"))
        .order_by("name")
    )
    # through the scoping layer: a role without access to places (an expert, an authorized person) is not
    # offered links to pages it may not open
    can_view_places = has_perm(request.user, "places:view")
    places = Place.objects.for_user(request.user).filter(organization=org).prefetch_related("rooms")
    places = places.order_by("kind", "name")
    return render(
        request,
        "web/orgs/detail.html",
        {
            "org": org,
            "ancestors": [a for a in org.ancestors() if can(request.user, a, "view")],
            "children": children,
            "places": places,
            "can_edit": can(request.user, org, "edit"),
            "can_edit_places": may_in(request.user, "places:edit", org),
            "can_view_places": can_view_places,
            "history": org.history.select_related("history_user")[:20]
            if has_perm(request.user, "audit:view")
            else None,
        },
    )


@requires("orgs:edit")
def org_edit(request, pk=None):
    org = scoped_get(Organization, request.user, "edit", pk=pk) if pk else Organization()
    if not pk and request.GET.get("parent"):
        org.parent = scoped_get(Organization, request.user, "edit", pk=request.GET["parent"])
        org.time_zone = org.parent.time_zone
        org.kind = OrgKind.SCHOOL if org.parent.kind == OrgKind.MOUO else ""
    form = OrganizationForm(request.POST or None, instance=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        org = form.save()
        messages.success(request, f"Сохранено: {org.display_name}")
        return redirect("org_detail", pk=org.pk)
    return render(request, "web/orgs/edit.html", {"form": form, "org": org})


@requires("orgs:import")
def org_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        refusal = refused_table(data, upload.name)  # a hostile file never reaches a worker
        if refusal:
            report = {"errors": [refusal], "error_count": 1}
        else:  # checked (and saved) by a background job (issue 15); its page shows the outcome
            region = region_of(request.user)
            dry_run = form.cleaned_data["dry_run"]
            job = start_import(
                "import-orgs",
                f"{'Проверка' if dry_run else 'Загрузка'} справочника организаций «{upload.name}»",
                region,
                request,
                data,
                upload.name,
                region_id=region.pk,
                dry_run=dry_run,
            )
            return redirect("job_detail", pk=job.pk)
    return render(request, "web/orgs/import.html", {"form": form, "report": report, "columns": directory.HEADER})


@requires("orgs:export")
def org_export(request, fmt):
    if fmt not in ("csv", "xlsx"):  # the name goes into the download header
        raise Http404("Нет такого формата")
    rows = directory_rows(_filtered(request))
    record_export(request, "Справочник организаций", len(rows), personal_data=False, fmt=fmt)
    if fmt == "csv":
        response = HttpResponse(write_csv(directory.HEADER, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            write_xlsx(directory.HEADER, rows, "Организации"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="organizations.{fmt}"'
    return response
