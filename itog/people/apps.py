from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "itog.people"
    label = "people"
    verbose_name = "Обучающиеся и работники"
