import multiprocessing
import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Запускает сервер приложений (gunicorn) со статическими файлами (WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("ITOG_BIND", "127.0.0.1:8000"))
        # Processes: one per core plus one spare for a slow request. Requests are mostly CPU (Python) with short
        # database waits, so more processes only add switching: the public results lookup measured 1,021-1,125
        # requests/s with 2 workers on 2 cores, 925 with 3 and 728 with 5 (benchmarks/RESULTS.md).
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("ITOG_WORKERS", 0)) or multiprocessing.cpu_count() + 1
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ITOG_THREADS", 1)))
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, **opts):
        if not opts["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        from gunicorn.app.base import BaseApplication

        from itog.wsgi import application

        options = {
            "bind": opts["bind"],
            "workers": opts["workers"],
            "threads": opts["threads"],
            "worker_class": "gthread" if opts["threads"] > 1 else "sync",
            "accesslog": os.environ.get("ITOG_ACCESS_LOG", "-") or None,
            "timeout": 120,
            "graceful_timeout": 20,
        }

        class Server(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        Server().run()
