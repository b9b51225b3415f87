"""Log-in throttling that an attacker cannot turn against the rightful user (with django-axes).

- django-axes locks a (user name, client address) pair after ``ITOG_LOGIN_FAILURE_LIMIT`` failures for
  ``ITOG_LOGIN_COOLOFF_MINUTES``: an attacker elsewhere who knows the name locks only their own address.
- A user name with ``ITOG_LOGIN_USER_FAILURES_PER_DAY`` failures from all addresses in a day is under attack:
  each address then gets only ``ITOG_LOGIN_FAILURE_LIMIT_UNDER_ATTACK`` failures for it — slower guessing
  from many addresses, while the owner with the right password from a clean address still gets in.
- One address failing ``ITOG_LOGIN_ADDRESS_FAILURES_PER_HOUR`` times an hour (any names: password spraying)
  is refused for the rest of the hour; the limit is high because a school's staff share one address.

The counters are the shared ones of :mod:`itog.core.ratelimit` (Redis in production).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone

from . import ratelimit
from .netaddr import client_ip


def _user_key(username: str) -> str:
    return f"login-user:{username.strip().lower()[:150]}:{timezone.localdate().isoformat()}"


def _address_key(ip: str) -> str:
    return f"login-ip:{ip}:{timezone.now().strftime('%Y%m%d%H')}"


def _username(credentials: dict | None) -> str:
    return str((credentials or {}).get("username") or "")


def login_failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT: the failures allowed per (user name, address) pair."""
    name = _username(credentials)
    if name and ratelimit.get(_user_key(name)) >= settings.ITOG_LOGIN_USER_FAILURES_PER_DAY:
        return settings.ITOG_LOGIN_FAILURE_LIMIT_UNDER_ATTACK
    return settings.ITOG_LOGIN_FAILURE_LIMIT


@receiver(user_login_failed)
def _count_failure(sender, credentials=None, request=None, **kwargs) -> None:
    if not getattr(settings, "AXES_ENABLED", True):
        return
    name = _username(credentials)
    if name:
        ratelimit.hit(_user_key(name), 90000)
    ip = client_ip(request)
    if ip:
        ratelimit.hit(_address_key(ip), 3700)


class AddressThrottleBackend:
    """Before ModelBackend: refuses every log-in from an address over its hourly failures. (No ``get_user``: it
    never logs anyone in, and the test client's ``force_login`` must not pick it.)"""

    def authenticate(self, request, **credentials):
        if request is None or not getattr(settings, "AXES_ENABLED", True):
            return
        ip = client_ip(request)
        if ip and ratelimit.get(_address_key(ip)) >= settings.ITOG_LOGIN_ADDRESS_FAILURES_PER_HOUR:
            raise PermissionDenied("too many failed log-ins from this address")
        return
