from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "itog.web"
    label = "web"
    verbose_name = "Веб-интерфейс"
