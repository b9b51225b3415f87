"""Recording audit events and reading the change history."""

from __future__ import annotations

from django.apps import apps

from itog.accounts.scope import grants_of
from itog.core.netaddr import client_ip

from .models import AuditEvent, EventKind


def record(kind: str, request=None, user=None, username: str = "", description: str = "", **details) -> AuditEvent:
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    grants = grants_of(user) if user is not None else []
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
        region_path=grants[0].region_path if grants else "",
        description=description[:500],
        details=details,
    )


def record_export(request, what: str, rows: int, personal_data: bool, fmt: str) -> AuditEvent:
    kind = EventKind.PD_EXPORT if personal_data else EventKind.EXPORT
    from itog.core.plural import count_of

    return record(
        kind,
        request,
        description=f"{what}: {count_of(rows, 'запись', 'записи', 'записей')} ({fmt})",
        what=what,
        rows=rows,
        format=fmt,
    )


# Models whose history the audit screen shows, with their Russian names.
TRACKED_MODELS = [
    ("orgs", "Organization"),
    ("orgs", "Place"),
    ("orgs", "Room"),
    ("orgs", "ActorAlias"),
    ("people", "Student"),
    ("people", "Employee"),
    ("accounts", "Membership"),
    ("exams", "ProcedureProfileRecord"),  # the region's procedure profile (the ministry's choices)
]

HISTORY_TYPES = {"+": "создание", "~": "изменение", "-": "удаление"}


def changes_of(entry) -> list[dict]:
    """Field-level before/after of one history entry."""
    if entry.history_type != "~":
        return []
    previous = entry.prev_record
    if previous is None:
        return []
    delta = entry.diff_against(previous)
    model = entry.instance_type
    out = []
    for change in delta.changes:
        try:
            label = model._meta.get_field(change.field).verbose_name
        except Exception:
            label = change.field
        out.append({"field": str(label), "old": change.old, "new": change.new})
    return out


def recent_history(user, limit: int = 200, model_filter: str | None = None) -> list:
    """The newest history entries of records the user may see, newest first.

    Records are never hard-deleted through the UI (they are deactivated), so
    scoping history by the records visible now loses nothing.
    """
    entries = []
    for app_label, model_name in TRACKED_MODELS:
        if model_filter and model_filter != f"{app_label}.{model_name}":
            continue
        model = apps.get_model(app_label, model_name)
        visible = model.objects.for_user(user, "view").values("pk")
        history = model.history.select_related("history_user").filter(id__in=visible).order_by("-history_date")
        for entry in history[:limit]:
            entry.model_label = model._meta.verbose_name
            entry.model_key = f"{app_label}.{model_name}"
            entry.type_label = HISTORY_TYPES.get(entry.history_type, entry.history_type)
            entries.append(entry)
    entries.sort(key=lambda e: e.history_date, reverse=True)
    return entries[:limit]
