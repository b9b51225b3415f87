from django.apps import AppConfig


class ConductConfig(AppConfig):
    name = "itog.conduct"
    label = "conduct"
    verbose_name = "Проведение, проверка, результаты, хранение"
