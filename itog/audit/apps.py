from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "itog.audit"
    label = "audit"
    verbose_name = "Журнал аудита"

    def ready(self):
        from . import signals  # noqa: F401
