from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "itog.api"
    label = "api"
    verbose_name = "REST API"
