from django.core.paginator import Paginator
from django.shortcuts import render

from itog.audit.models import AuditEvent, EventKind
from itog.audit.services import TRACKED_MODELS, changes_of, recent_history

from ..access import requires


@requires("audit:view")
def audit(request):
    tab = request.GET.get("tab", "changes")
    context = {"tab": tab}
    if tab == "events":
        events = AuditEvent.objects.for_user(request.user).select_related("user")
        kind = request.GET.get("kind", "")
        if kind in EventKind.values:
            events = events.filter(kind=kind)
        context["page"] = Paginator(events, 50).get_page(request.GET.get("page"))
        context["kinds"] = EventKind.choices
        context["kind"] = kind
    else:
        model = request.GET.get("model") or None
        entries = recent_history(request.user, limit=200, model_filter=model)
        for entry in entries:
            entry.changes = changes_of(entry)
        context["entries"] = entries
        context["models"] = TRACKED_MODELS
        context["model"] = model
    return render(request, "web/audit.html", context)
