"""Response headers Django's SecurityMiddleware does not set: Content-Security-Policy and
Permissions-Policy.

The policy allows only the site's own scripts, styles, images and fonts and no inline code at all: the
templates keep scripts and styles in static files (itog/static/itog/), pass data in ``data-*``
attributes or ``json_script`` blocks, and htmx runs with ``includeIndicatorStyles`` off (its indicator
rules are in itog.css). The API docs page (Swagger UI, served from django-ninja's static files) sets
style attributes at run time, so its policy also allows inline style attributes — nothing else differs.
"""

from __future__ import annotations

from django.conf import settings

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
