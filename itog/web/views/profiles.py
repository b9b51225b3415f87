"""The region's procedure profile (ministry only): the region's choices where its procedure differs from
the default (Krasnodar's order), grouped, with the defaults, what differs, presets and the history."""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from itog.accounts.scope import has_perm, scoped_get
from itog.exams.models import ExamKind, ProcedureProfileRecord
from itog.exams.profiles import (
    PRESETS,
    ProfileInvalid,
    base_profile,
    has_profile,
    load_preset,
    profile_for,
    profile_module,
    reset_profile,
    save_profile,
)
from itog.orgs.models import Organization
from itog.orgs.services import region_of

from ..access import requires


@requires("profiles:view")
def profile_home(request):
    region = region_of(request.user)
    if region is None:
        raise Http404("Регион не найден")
    return redirect("procedure_profile", region_pk=region.pk, kind=ExamKind.ESSAY.value)


def _form_value(value) -> str:
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _posted(request, module) -> dict:
    data = {}
    for f in module.field_specs():
        if f.type in (bool, "bool"):
            data[f.name] = request.POST.get(f.name, "") == "on"
        else:
            data[f.name] = request.POST.get(f.name, "").strip()
    return data


@requires("profiles:view")
def procedure_profile(request, region_pk: int, kind: str):
    # a region the user may not see answers 404 (the scoping layer), an exam kind without profiles too
    region = scoped_get(Organization.objects.filter(depth=0), request.user, pk=region_pk)
    if kind not in ExamKind.values or not has_profile(kind):
        raise Http404("Профиль не найден")
    module = profile_module(kind)
    base = base_profile(kind)
    record = ProcedureProfileRecord.objects.for_user(request.user).filter(region=region, kind=kind).first()
    can_edit = has_perm(request.user, "profiles:edit")
    errors: dict[str, list[str]] = {}
    posted: dict | None = None
    if request.method == "POST":
        if not can_edit:
            raise Http404("Профиль не найден")
        action = request.POST.get("action", "save")
        try:
            if action == "preset":
                _, note = load_preset(region, request.POST.get("preset", ""), request.user)
                messages.success(request, f"Загружен образец. {note}")
            elif action == "reset":
                reset_profile(region, kind, request.user, request.POST.get("note", ""))
                messages.success(request, "Восстановлен порядок по умолчанию.")
            else:
                posted = _posted(request, module)
                save_profile(region, kind, posted, request.user, request.POST.get("note", ""))
                messages.success(request, "Профиль порядка сохранен.")
            return redirect("procedure_profile", region_pk=region.pk, kind=kind)
        except ProfileInvalid as exc:
            errors = exc.errors
            messages.error(request, "Профиль не сохранен: исправьте отмеченные значения.")
    current = profile_for(region, kind)
    groups = []
    for key, title in module.GROUPS.items():
        rows = []
        for f in module.field_specs():
            if f.metadata["group"] != key:
                continue
            value, default = getattr(current, f.name), getattr(base, f.name)
            choices = f.metadata["choices"]
            rows.append(
                {
                    "name": f.name,
                    "label": f.metadata["label"],
                    "source": f.metadata["source"],
                    "kind": "choice"
                    if choices
                    else ("bool" if f.type in (bool, "bool") else "time" if f.type in (time, "time") else "int"),
                    "choices": choices.choices() if choices else [],
                    "value": posted[f.name] if posted is not None and f.name in posted else _form_value(value),
                    "checked": (posted[f.name] if posted is not None else value) is True,
                    "min": f.metadata["min"],
                    "max": f.metadata["max"],
                    "default": module.display(f.name, default),
                    "differs": value != default,
                    "errors": errors.get(f.name, []),
                }
            )
        groups.append({"title": title, "rows": rows})
    history = []
    if record is not None:
        for h in record.history.select_related("history_user").order_by("-history_date")[:50]:
            try:
                shown = module.ProcedureProfile.from_dict({**base.to_dict(), **(h.values or {})})
                diff = module.differences(shown, base)
            except ValueError:
                diff = {}
            history.append(
                {
                    "at": h.history_date,
                    "user": h.history_user,
                    "preset": h.preset,
                    "note": h.note,
                    "diff": [
                        (module.field_specs_by_name()[n].metadata["label"], module.display(n, new))
                        for n, (_, new) in diff.items()
                    ],
                }
            )
    return render(
        request,
        "web/profile/edit.html",
        {
            "region": region,
            "kind": kind,
            "kind_label": ExamKind(kind).label,
            "groups": groups,
            "record": record,
            "history": history,
            "can_edit": can_edit,
            "errors_all": errors.get("__all__", []),
            "presets": [p for p in PRESETS.values() if p.kind == kind],
            "n_differs": len(module.differences(current, base)),
        },
    )
