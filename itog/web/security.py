"""Response headers Django's SecurityMiddleware does not set (Content-Security-Policy and
Permissions-Policy), and the ceiling on a request's body (:class:`RequestSizeMiddleware`).

The policy allows only the site's own scripts, styles, images and fonts and no inline code at all: the
templates keep scripts and styles in static files (itog/static/itog/), pass data in ``data-*``
attributes or ``json_script`` blocks, and htmx runs with ``includeIndicatorStyles`` off (its indicator
rules are in itog.css). The API docs page (Swagger UI, served from django-ninja's static files) sets
style attributes at run time, so its policy also allows inline style attributes — nothing else differs.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.http import content_disposition_header

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
DOCS_POLICY = {**POLICY, "style-src": "'self' 'unsafe-inline'"}
PERMISSIONS_POLICY = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"


def render(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


HEADER_VALUE = render(POLICY)
DOCS_HEADER_VALUE = render(DOCS_POLICY)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        name = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "ITOG_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        if name not in response:
            docs = request.path.startswith("/api/") and request.path.rstrip("/").endswith("/docs")
            response[name] = DOCS_HEADER_VALUE if docs else HEADER_VALUE
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequestSizeMiddleware:
    """Refuse a request whose declared body is larger than its sender may send (413, in Russian), before
    anything reads the body.

    Django parses a multipart POST into temporary files as soon as anything reads ``request.POST`` — the CSRF
    check does, before refusing a forged request — so without a ceiling one anonymous request could fill the
    server's disk. A visitor without a session sends only small forms (log-in, the results lookup):
    ``ITOG_MAX_ANONYMOUS_REQUEST_KB``. A signed-in user's largest request is a batch of scans:
    ``ITOG_MAX_REQUEST_MB``; each upload form keeps its own, smaller limit with its own message. A body sent
    without a length (chunked) is not read by Django at all. Placed after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ITOG_MAX_ANONYMOUS_REQUEST_KB * 1024:
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
            limit = (
                settings.ITOG_MAX_REQUEST_MB * 1024 * 1024
                if signed_in
                else settings.ITOG_MAX_ANONYMOUS_REQUEST_KB * 1024
            )
            if length > limit:
                return too_large(request, limit)
        return self.get_response(request)


class NulCharacterMiddleware:
    """Refuse (400, in Russian) a request whose query, form fields or JSON body hold a NUL character:
    PostgreSQL cannot store one in text, and a view that passes the value on would fail with a server error
    (a token name holding one did). Uploaded files are not looked into: they are read by their own readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            from django.shortcuts import render

            return render(request, "errors/400.html", {"reason": "В запросе недопустимый символ (NUL)."}, status=400)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "%00" in request.META.get("QUERY_STRING", "") or any("\x00" in v for _k, vs in request.GET.lists() for v in vs):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("application/json"):
        return b"\\u0000" in request.body or b"\x00" in request.body
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return any("\x00" in v for _k, vs in request.POST.lists() for v in vs)
    return False


def too_large(request, limit: int):
    from django.shortcuts import render

    size = f"{limit // (1024 * 1024)} МБ" if limit >= 1024 * 1024 else f"{limit // 1024} КБ"
    response = render(request, "errors/413.html", {"limit": size}, status=413)
    response["Connection"] = "close"  # the unread body is not kept on the connection
    return response


_UNSAFE_IN_NAME = re.compile(r"[^\w.\-]+")


def download_name(response, filename: str, inline: bool = False):
    """Set ``Content-Disposition`` for a file whose name holds user-typed text (a room's number, an act's number):
    everything but letters, digits, «.», «-», «_» becomes «-» (no quote can end the name early, no line break can
    start another header), and Django encodes the rest (``filename*`` for Cyrillic)."""
    safe = _UNSAFE_IN_NAME.sub("-", filename).strip("-.") or "file"
    response["Content-Disposition"] = content_disposition_header(not inline, safe)
    return response
