from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Обработчик фоновых заданий: запускает Celery worker (нужен ITOG_REDIS_URL). "
        "Запускайте на любом числе машин; --beat добавляет расписание (напоминания, перехват заданий)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency", "-c", type=int, default=None, help="процессов (по умолчанию — по числу ядер)"
        )
        parser.add_argument("--beat", action="store_true", help="также выполнять расписание (celery beat)")
        parser.add_argument("--hostname", "-n", default=None, help="имя обработчика (по умолчанию itog@host)")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, concurrency=None, beat=False, hostname=None, loglevel="INFO", **opts):
        from django.conf import settings

        if not (settings.ITOG_REDIS_URL or settings.CELERY_BROKER_URL.startswith(("redis", "amqp"))):
            raise CommandError(
                "Задайте ITOG_REDIS_URL (Redis — брокер заданий); без него задания выполняются "
                "внутри веб-процесса и обработчик не нужен."
            )
        from itog.jobs.celery import app

        argv = ["worker", f"--loglevel={loglevel}", "--disable-prefetch"]
        if concurrency:
            argv.append(f"--concurrency={concurrency}")
        if beat:
            argv.append("--beat")
        argv.append(f"--hostname={hostname or 'itog@%h'}")
        app.worker_main(argv)
