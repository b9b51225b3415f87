from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "itog.plans"
    label = "plans"
    verbose_name = "Дорожные карты и планы-графики"
