from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "itog.analytics"
    label = "analytics"
    verbose_name = "Аналитика результатов"

    def ready(self):
        from . import signals  # noqa: F401 - refresh the aggregates when results are published
