"""Every error under the API prefix answers JSON, as the OpenAPI document promises.

django-ninja answers its own errors in JSON, but some responses are made before or after it: an
unknown path (Django's 404 page), a method the path does not have (405 with an empty HTML body), a
failure outside an operation (Django's 500 page), a refused CSRF check. This middleware replaces such
bodies with ``{"detail": "…"}`` in Russian and keeps the status and the ``Allow`` header.
"""

from __future__ import annotations

from django.http import JsonResponse

API_PREFIX = "/api/"
DETAILS = {
    400: "Неверный запрос",
    401: "Требуется аутентификация",
    403: "Доступ запрещён",
    404: "Не найдено",
    405: "Метод не поддерживается",
    413: "Слишком большой запрос",
    415: "Неподдерживаемый тип содержимого",
    429: "Слишком много запросов",
    500: "Внутренняя ошибка сервера",
}


def is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().endswith("json")


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not request.path.startswith(API_PREFIX) or is_json(response):
            return response
        status = response.status_code
        detail = DETAILS.get(status) or ("Внутренняя ошибка сервера" if status >= 500 else "Ошибка запроса")
        replacement = JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement
