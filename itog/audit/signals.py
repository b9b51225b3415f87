from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import EventKind
from .services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(EventKind.LOGIN, request, user=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(EventKind.LOGOUT, request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record(EventKind.LOGIN_FAILED, request, user=None, username=str(credentials.get("username", ""))[:150])
