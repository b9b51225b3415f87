"""View decorators: a view declares the permission it needs, nothing more."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from itog.accounts.scope import has_perm


def requires(perm: str | None = None):
    """Log-in required; with ``perm``, some membership must grant it (else 403).

    Object-level access is decided by the scoping layer inside the view
    (``scoped_get``), which answers 404 for records outside the user's scope.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if perm and not has_perm(request.user, perm):
                raise PermissionDenied("Недостаточно прав")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
