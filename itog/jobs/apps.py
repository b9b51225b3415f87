from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "itog.jobs"
    label = "jobs"
    verbose_name = "Фоновые задания"
