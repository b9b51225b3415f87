from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "itog.demo"
    label = "demo"
    verbose_name = "Демонстрационный регион"
