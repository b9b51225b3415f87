from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "itog.orgs"
    label = "orgs"
    verbose_name = "Организации"
