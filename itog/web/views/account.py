from django.contrib import messages
from django.shortcuts import redirect, render

from itog.accounts.models import ApiToken
from itog.accounts.roles import ROLE_LABELS
from itog.accounts.scope import grants_of, own_organizations

from ..access import requires


@requires()
def account(request):
    new_token = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if request.POST.get("revoke"):
            ApiToken.objects.filter(user=request.user, pk=request.POST["revoke"]).update(revoked=True)
            messages.success(request, "Токен отозван.")
            return redirect("account")
        if not name:
            messages.error(request, "Укажите назначение токена.")
        else:
            _, new_token = ApiToken.issue(request.user, name)
    tokens = ApiToken.objects.filter(user=request.user, revoked=False).order_by("-created_at")
    grants = grants_of(request.user)
    orgs = own_organizations(request.user)
    roles = [(ROLE_LABELS[g.role], orgs[g.org_id]) for g in grants]
    return render(request, "web/account.html", {"tokens": tokens, "new_token": new_token, "roles": roles})
