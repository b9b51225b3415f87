from django.apps import AppConfig


class ScanConfig(AppConfig):
    name = "itog.scan"
    label = "scan"
    verbose_name = "Сканирование"

    def ready(self):
        from itog.conduct import services as conduct

        from . import services  # registers the "scan-batch" job

        if services.after_transfer not in conduct.AFTER_TRANSFER_HOOKS:
            conduct.AFTER_TRANSFER_HOOKS.append(services.after_transfer)
