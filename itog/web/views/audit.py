from django.apps import apps
from django.core.paginator import Paginator
from django.shortcuts import render

from itog.audit.services import (
    HISTORY_TYPES,
    TRACKED_MODELS,
    changes_of,
    recent_history,
)

from ..access import requires
from ..list_specs import AUDIT_EVENTS
from ..lists import list_or_export

CHANGES_PER_PAGE = 50


def _model_choices():
    out = []
    for app_label, model_name in TRACKED_MODELS:
        model = apps.get_model(app_label, model_name)
        out.append((f"{app_label}.{model_name}", str(model._meta.verbose_name_plural).capitalize()))
    return out


@requires("audit:view")
def audit(request):
    tab = request.GET.get("tab", "changes")
    context = {"tab": tab}
    if tab == "events":
        ctx = list_or_export(request, AUDIT_EVENTS)
        if not isinstance(ctx, dict):
            return ctx
        context.update(ctx)
    else:
        choices = _model_choices()
        model_key = request.GET.get("model") or None
        if model_key not in dict(choices):
            model_key = None
        if model_key:
            # One kind of record: its history paginated in the database (through the scoping layer).
            model = apps.get_model(*model_key.split("."))
            visible = model.objects.for_user(request.user, "view").values("pk")
            history = model.history.select_related("history_user").filter(id__in=visible).order_by("-history_date")
            page = Paginator(history, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
            entries = list(page.object_list)
            for entry in entries:
                entry.model_label = model._meta.verbose_name
                entry.type_label = HISTORY_TYPES.get(entry.history_type, entry.history_type)
            context["page"] = page
        else:
            entries = recent_history(request.user, limit=CHANGES_PER_PAGE)
        for entry in entries:
            entry.changes = changes_of(entry)
        q = request.GET.copy()
        q.pop("page", None)
        context.update({"entries": entries, "models": choices, "model": model_key, "pager_query": q.urlencode()})
    return render(request, "web/audit.html", context)
