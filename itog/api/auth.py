from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from itog.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer itog_…`` — tokens are issued on the «Профиль» page."""

    def authenticate(self, request, token):
        found, reason = ApiToken.verify(token)
        if found is None:
            request.itog_token_error = reason  # the 401 answer says why (expired, revoked, unknown)
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
