from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils import timezone

from itog.accounts.models import ApiToken, TokenKind
from itog.accounts.roles import ROLE_LABELS
from itog.accounts.scope import grants_of, own_organizations
from itog.orgs.models import Organization

from ..access import requires
from ..params import key_of

VALIDITY_CHOICES = (30, 90, 180, 365)


def _days(request) -> int:
    try:
        days = int(request.POST.get("days") or settings.ITOG_TOKEN_DAYS)
    except ValueError:
        days = settings.ITOG_TOKEN_DAYS
    return max(1, min(days, settings.ITOG_TOKEN_MAX_DAYS))


def _feed_organizations(user):
    """Organizations whose deadlines the user may subscribe to: in scope and with assignments."""
    return Organization.objects.for_user(user).filter(plan_assignments__isnull=False).distinct().order_by("name")


@requires()
def account(request):
    new_token = new_feed = None
    if request.method == "POST":
        if request.POST.get("revoke"):
            pk = key_of(request.POST["revoke"]) or 0
            token = ApiToken.objects.filter(user=request.user, pk=pk, revoked=False).first()
            if token is not None:
                token.revoke()
                messages.success(
                    request, "Ссылка на календарь отозвана." if token.kind == TokenKind.CALENDAR else "Токен отозван."
                )
            return redirect("account")
        if request.POST.get("action") == "feed":
            try:
                org = _feed_organizations(request.user).get(pk=key_of(request.POST.get("organization")) or 0)
            except Organization.DoesNotExist:
                messages.error(request, "Выберите организацию.")
            else:
                token, raw = ApiToken.issue(
                    request.user,
                    f"Календарь: {org.display_name}"[:100],
                    _days(request),
                    kind=TokenKind.CALENDAR,
                    organization=org,
                )
                new_feed = request.build_absolute_uri(f"/calendar/{raw}.ics")
        else:
            name = "".join(ch for ch in request.POST.get("name", "") if ch.isprintable()).strip()[:100]
            if not name:
                messages.error(request, "Укажите назначение токена.")
            else:
                _, new_token = ApiToken.issue(request.user, name, _days(request))
    active = (
        ApiToken.objects.filter(user=request.user, revoked=False, expires_at__gt=timezone.now())
        .select_related("organization")
        .order_by("-created_at")
    )
    grants = grants_of(request.user)
    orgs = own_organizations(request.user)
    roles = [(ROLE_LABELS[g.role], orgs[g.org_id]) for g in grants]
    days = [d for d in VALIDITY_CHOICES if d <= settings.ITOG_TOKEN_MAX_DAYS] or [settings.ITOG_TOKEN_MAX_DAYS]
    return render(
        request,
        "web/account.html",
        {
            "tokens": [t for t in active if t.kind == TokenKind.API],
            "feeds": [t for t in active if t.kind == TokenKind.CALENDAR],
            "feed_orgs": _feed_organizations(request.user)[:50],
            "new_token": new_token,
            "new_feed": new_feed,
            "roles": roles,
            "days": days,
            "default_days": min(settings.ITOG_TOKEN_DAYS, settings.ITOG_TOKEN_MAX_DAYS),
        },
    )


@requires()
def password_change(request):
    """Смена пароля: the current password, then the new one twice, checked by AUTH_PASSWORD_VALIDATORS."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # this session stays; the user's other sessions end
        messages.success(request, "Пароль изменён.")
        return redirect("account")
    for field in form.fields.values():
        field.widget.attrs.setdefault("autocomplete", "new-password")
    form.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
    return render(request, "web/password_change.html", {"form": form})
