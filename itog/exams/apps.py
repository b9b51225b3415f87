from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "itog.exams"
    label = "exams"
    verbose_name = "Экзамены"

    def ready(self):
        from . import printing  # noqa: F401 - registers the "print-kits" job
