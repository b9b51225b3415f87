from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render

from itog.accounts.scope import has_perm, scoped_get
from itog.orgs.models import ActorAlias
from itog.orgs.services import region_of

from ..access import requires
from ..forms import AliasForm


@requires("aliases:view")
def alias_list(request):
    aliases = ActorAlias.objects.for_user(request.user).select_related("organization")
    q = request.GET.get("q", "").strip()
    if q:
        aliases = aliases.filter(
            Q(alias__icontains=q)
            | Q(external_name__icontains=q)
            | Q(organization__name__icontains=q)
            | Q(organization__short_name__icontains=q)
        )
    can_edit = has_perm(request.user, "aliases:edit")
    form = AliasForm(user=request.user, region=region_of(request.user)) if can_edit else None
    return render(request, "web/aliases/list.html", {"aliases": aliases, "form": form, "can_edit": can_edit, "q": q})


@requires("aliases:edit")
def alias_edit(request, pk=None):
    alias = scoped_get(ActorAlias, request.user, "edit", pk=pk) if pk else ActorAlias()
    form = AliasForm(request.POST or None, instance=alias, user=request.user, region=region_of(request.user))
    if request.method == "POST" and form.is_valid():
        alias = form.save()
        messages.success(request, f"Сохранено: «{alias.alias}» → {alias.canonical}")
        return redirect("alias_list")
    return render(request, "web/aliases/edit.html", {"form": form, "alias": alias})


@requires("aliases:edit")
def alias_delete(request, pk):
    alias = scoped_get(ActorAlias, request.user, "edit", pk=pk)
    if request.method == "POST":
        alias.delete()
        messages.success(request, f"Удалено из словаря: «{alias.alias}»")
        return redirect("alias_list")
    return render(request, "web/aliases/delete.html", {"alias": alias})
