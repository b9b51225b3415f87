from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Расписание фоновых заданий (celery beat): напоминания и перехват заданий упавших обработчиков. Один на кластер."

    def add_arguments(self, parser):
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--schedule", default=None, help="файл состояния расписания")

    def handle(self, *args, loglevel="INFO", schedule=None, **opts):
        from django.conf import settings

        from itog.jobs.celery import app

        argv = ["beat", f"--loglevel={loglevel}", f"--schedule={schedule or settings.DATA_DIR / 'celerybeat-schedule'}"]
        app.start(argv)
