from zoneinfo import ZoneInfo

from django.utils import timezone

from .scope import grants_of


class LocalTimeZoneMiddleware:
    """Show times in the time zone of the user's (first) organization."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        grants = grants_of(getattr(request, "user", None))
        if grants:
            timezone.activate(ZoneInfo(grants[0].time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
