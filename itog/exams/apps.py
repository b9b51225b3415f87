from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "itog.exams"
    label = "exams"
    verbose_name = "Итоговое сочинение (изложение) и другие экзамены"
