from django.shortcuts import render


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


class RefusedMiddleware:
    """A rule's refusal that a page did not catch (an essay-shaped page opened for a session of a kind that has
    no such stage: I90) is shown as the rule's Russian message with 409, never as a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from itog.exams.violations import Refused

        if not isinstance(exception, Refused):
            return None
        return render(request, "errors/refused.html", {"violations": exception.violations}, status=409)
